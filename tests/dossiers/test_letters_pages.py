"""The apology-letter pages: the register with its filters and Excel export, a letter's page and its steps, drafting
by hand, the panel on the dossier's page, the PDF and Word documents (A5, the fields of Form 04)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from tests.dossiers.factories import at, make_dossier, make_procedure
from trongtam.dossiers.domain.letters import LetterAction, act, draft_letter, sweep
from trongtam.dossiers.enums import LetterStatus
from trongtam.dossiers.interfaces import letter_documents
from trongtam.dossiers.models import ApologyLetter, Dossier
from trongtam.workdays.domain.queries import work_calendar

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

MONDAY = dt.date(2026, 3, 2)
LAST_DAY = dt.date(2026, 3, 6)
REASON = "Chờ kết quả đo đạc địa chính"


@pytest.fixture
def dossier(db: None) -> Dossier:
    return make_dossier(
        "XA01",
        make_procedure("T-PXL-05", 5, name="Cấp giấy chứng nhận quyền sử dụng đất", field="Đất đai"),
        at(MONDAY),
    )


@pytest.fixture
def draft(dossier: Dossier, person: Any) -> ApologyLetter:
    return draft_letter(dossier.pk, by=person("cc.xa01"), expected_version=None, today=LAST_DAY)


@pytest.fixture
def approved(draft: ApologyLetter, person: Any) -> ApologyLetter:
    letter = act(
        draft.pk, LetterAction.SUBMIT, by=person("cc.xa01"), expected_version=draft.version, reason=REASON
    )
    return act(letter.pk, LetterAction.APPROVE, by=person("pct.xa01"), expected_version=letter.version)


def _post(client: Any, letter: ApologyLetter, action: str, prefix: str, **data: Any) -> Any:
    payload = {"action": action, f"{prefix}-version": str(data.pop("version", letter.version))}
    payload.update({f"{prefix}-{k}": v for k, v in data.items()})
    return client.post(reverse("dossiers:letter-action", args=[letter.pk]), payload)


# -- the workflow through the pages --------------------------------------------------------------------------------


def test_the_officer_submits_and_the_head_approves_through_the_pages(
    client_for: Any, draft: ApologyLetter, dossier: Dossier
) -> None:
    officer, head = client_for("cc.xa01"), client_for("ct.xa01")
    page = officer.get(reverse("dossiers:letter-detail", args=[draft.pk]))
    assert page.status_code == 200
    assert 'value="submit"' in page.content.decode()

    response = _post(officer, draft, "submit", "edit", reason=REASON, new_due_date="16/03/2026")
    assert response.status_code == 302
    letter = ApologyLetter.objects.get(pk=draft.pk)
    assert letter.status == LetterStatus.AWAITING_APPROVAL

    assert 'value="approve"' in head.get(reverse("dossiers:letter-detail", args=[draft.pk])).content.decode()
    response = _post(head, letter, "approve", "review")
    assert response.status_code == 302
    letter.refresh_from_db()
    dossier.refresh_from_db()
    assert letter.status == LetterStatus.APPROVED
    assert dossier.appointment_date == dt.date(2026, 3, 16)

    response = _post(officer, letter, "send", "send", channel="sms", sent_at="")
    assert response.status_code == 302
    assert ApologyLetter.objects.get(pk=draft.pk).status == LetterStatus.SENT


def test_a_stale_page_gets_409_and_keeps_the_input(client_for: Any, draft: ApologyLetter) -> None:
    response = _post(
        client_for("cc.xa01"),
        draft,
        "save",
        "edit",
        version=draft.version - 1,
        reason="Lý do mới",
        new_due_date="16/03/2026",
    )

    assert response.status_code == 409
    assert "Lý do mới" in response.content.decode()


def test_a_new_date_before_the_due_date_is_shown_beside_its_field(
    client_for: Any, draft: ApologyLetter
) -> None:
    response = _post(client_for("cc.xa01"), draft, "submit", "edit", reason=REASON, new_due_date="09/03/2026")

    assert response.status_code == 200
    assert "phải sau ngày hẹn trả ban đầu (09/03/2026)" in response.content.decode()
    assert ApologyLetter.objects.get(pk=draft.pk).status == LetterStatus.DRAFT


def test_an_official_may_not_approve_403(client_for: Any, draft: ApologyLetter, person: Any) -> None:
    letter = act(
        draft.pk, LetterAction.SUBMIT, by=person("cc.xa01"), expected_version=draft.version, reason=REASON
    )

    assert _post(client_for("cc.xa01"), letter, "approve", "review").status_code == 403
    assert _post(client_for("ct.xa02"), letter, "approve", "review").status_code == 404
    assert ApologyLetter.objects.get(pk=draft.pk).status == LetterStatus.AWAITING_APPROVAL


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("cc.xa01", 200),
        ("ct.xa01", 200),
        ("chutich", 200),
        ("cc.xa02", 404),
        ("ct.xa02", 404),
        ("congdan", 404),
    ],
)
def test_who_sees_a_letter(client_for: Any, draft: ApologyLetter, username: str, status: int) -> None:
    assert client_for(username).get(reverse("dossiers:letter-detail", args=[draft.pk])).status_code == status


# -- drafting by hand --------------------------------------------------------------------------------------------


def test_an_officer_drafts_by_hand_from_the_dossier(client_for: Any, dossier: Dossier) -> None:
    client = client_for("cc.xa01")
    url = reverse("dossiers:letter-new", args=[dossier.pk])
    page = client.get(url)
    assert page.status_code == 200

    response = client.post(
        url, {"draft-version": dossier.version, "draft-reason": REASON, "draft-new_due_date": ""}
    )

    letter = ApologyLetter.objects.get(dossier=dossier)
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:letter-detail", args=[letter.pk])
    assert letter.reason == REASON
    assert letter.drafted_automatically is False


@pytest.mark.parametrize(("username", "status"), [("cc.xa02", 404), ("chutich", 403), ("congdan", 404)])
def test_who_may_not_draft(client_for: Any, dossier: Dossier, username: str, status: int) -> None:
    url = reverse("dossiers:letter-new", args=[dossier.pk])
    assert client_for(username).get(url).status_code == status


def test_a_second_letter_by_hand_is_409(client_for: Any, draft: ApologyLetter, dossier: Dossier) -> None:
    response = client_for("cc.xa01").post(
        reverse("dossiers:letter-new", args=[dossier.pk]),
        {"draft-version": dossier.version, "draft-reason": REASON},
    )

    assert response.status_code == 409
    assert ApologyLetter.objects.filter(dossier=dossier).count() == 1


def test_the_panel_offers_a_draft_then_shows_the_letter(
    client_for: Any, dossier: Dossier, person: Any
) -> None:
    from django.template.loader import render_to_string

    officer = person("cc.xa01")
    html = render_to_string("dossiers/_letter_panel.html", {"dossier": dossier, "user": officer})
    assert reverse("dossiers:letter-new", args=[dossier.pk]) in html
    assert "Lập phiếu xin lỗi" in html
    assert reverse("dossiers:letter-new", args=[dossier.pk]) not in render_to_string(
        "dossiers/_letter_panel.html", {"dossier": dossier, "user": person("chutich")}
    )

    letter = draft_letter(dossier.pk, by=officer, expected_version=None, today=LAST_DAY)
    fresh = Dossier.objects.get(pk=dossier.pk)
    html = render_to_string("dossiers/_letter_panel.html", {"dossier": fresh, "user": officer})
    assert reverse("dossiers:letter-detail", args=[letter.pk]) in html
    assert reverse("dossiers:letter-pdf", args=[letter.pk]) in html
    assert "Dự thảo" in html


# -- the register ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("item_count", [1, 3])
def test_the_register_costs_the_same_queries_whatever_the_letters(
    client_for: Any, django_assert_max_num_queries: Any, item_count: int
) -> None:
    procedure = make_procedure("T-PXL-05", 5)
    for _ in range(item_count):
        make_dossier("XA01", procedure, at(MONDAY))
    sweep(LAST_DAY, work_calendar())
    client = client_for("ct.xa01")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("dossiers:letter-list"))

    assert response.status_code == 200
    assert len(response.context["letters"]) >= item_count


def test_the_register_filters_by_status_late_and_month(client_for: Any, approved: ApologyLetter) -> None:
    late = make_dossier("XA01", make_procedure("T-PXL-05", 5), at(MONDAY))
    sweep(dt.date(2026, 3, 10), work_calendar())
    client = client_for("ct.xa01")
    url = reverse("dossiers:letter-list")

    approved_only = client.get(url, {"status": "approved"}).context["letters"]
    late_only = client.get(url, {"late": "on", "unit": str(late.unit_id)}).context["letters"]
    bad_month = client.get(url, {"month": "13/2026"})

    assert [row.pk for row in approved_only] == [approved.pk]
    assert late.apology_letter.pk in [row.pk for row in late_only]
    assert approved.pk not in [row.pk for row in late_only]
    assert "Tháng phải từ 01 đến 12." in bad_month.content.decode()


def test_the_register_shows_only_the_units_in_scope(client_for: Any, draft: ApologyLetter) -> None:
    rows = client_for("ct.xa02").get(reverse("dossiers:letter-list")).context["letters"]

    assert draft.pk not in [row.pk for row in rows]


def test_a_citizen_may_not_open_the_register(client_for: Any) -> None:
    assert client_for("congdan").get(reverse("dossiers:letter-list")).status_code == 403


def test_the_register_exports_to_excel(client_for: Any, approved: ApologyLetter) -> None:
    response = client_for("ct.xa01").get(reverse("dossiers:letter-export"), {"status": "approved"})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][:3] == ("STT", "Số phiếu", "Mã hồ sơ")
    assert rows[3][1] == approved.number
    assert rows[3][2] == approved.dossier.code
    assert len(rows) == 4


# -- the documents -------------------------------------------------------------------------------------------------


def _pdf_text(letter: ApologyLetter) -> tuple[str, Any]:
    from weasyprint import HTML  # type: ignore[import-untyped]

    doc = letter_documents.letter_document(
        ApologyLetter.objects.select_related(
            "dossier__unit__parent", "dossier__procedure", "approved_by"
        ).get(pk=letter.pk)
    )
    rendered = HTML(string=letter_documents.letter_html(doc)).render()
    texts = []

    def walk(box: Any) -> None:
        if hasattr(box, "text"):
            texts.append(box.text)
        for child in getattr(box, "children", []) or []:
            walk(child)

    for page in rendered.pages:
        walk(page._page_box)
    return " ".join(" ".join(texts).split()), rendered


def test_the_pdf_is_a5_and_has_the_fields_of_form_04(client_for: Any, approved: ApologyLetter) -> None:
    response = client_for("cc.xa01").get(reverse("dossiers:letter-pdf", args=[approved.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")

    text, rendered = _pdf_text(approved)
    page = rendered.pages[0]
    assert (round(page.width * 25.4 / 96), round(page.height * 25.4 / 96)) == (148, 210)
    dossier = approved.dossier
    for expected in (
        "ỦY BAN NHÂN DÂN PHƯỜNG SƠN HÀ",
        f"Số: {approved.number}",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        f"Kính gửi: {dossier.applicant_name}",
        dossier.applicant_address,
        "Ngày 02/03/2026",
        "lĩnh vực Đất đai",
        "Cấp giấy chứng nhận quyền sử dụng đất",
        f"Số biên nhận (mã hồ sơ): {dossier.code}",
        "09/03/2026",
        "chuyển đến Ủy ban nhân dân phường Sơn Hà",
        f"Lý do: {REASON}",
        "xin lỗi Ông/Bà và hẹn trả kết quả vào ngày 16/03/2026",
        "Nơi nhận:",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        approved.approved_by.get_full_name() if approved.approved_by else "",
    ):
        assert expected in text, expected
    assert "DỰ THẢO" not in text


def test_a_drafts_pdf_says_draft_and_has_no_number(draft: ApologyLetter) -> None:
    text, _rendered = _pdf_text(draft)

    assert "DỰ THẢO" in text
    assert "/PXL" in text


def test_the_docx_is_a5_and_has_the_fields_of_form_04(client_for: Any, approved: ApologyLetter) -> None:
    response = client_for("ct.xa01").get(reverse("dossiers:letter-docx", args=[approved.pk]))
    assert response.status_code == 200

    document = Document(io.BytesIO(response.content))
    section = document.sections[0]
    assert section.page_width is not None
    assert section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (148, 210)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = "\n".join([p.text for p in document.paragraphs] + cells)
    for expected in (
        "ỦY BAN NHÂN DÂN\nPHƯỜNG SƠN HÀ",
        f"Số: {approved.number}",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        f"Kính gửi: {approved.dossier.applicant_name}",
        f"Số biên nhận (mã hồ sơ): {approved.dossier.code}",
        f"Lý do: {REASON}",
        "Nơi nhận:",
        "KT. CHỦ TỊCH",
    ):
        assert expected in text, expected
    bold_dates = [
        run.text for p in document.paragraphs for run in p.runs if run.bold and run.text == "16/03/2026"
    ]
    assert bold_dates == ["16/03/2026"]
    assert "DỰ THẢO" not in text


def test_the_documents_are_for_whoever_sees_the_letter(client_for: Any, draft: ApologyLetter) -> None:
    for name in ("dossiers:letter-pdf", "dossiers:letter-docx"):
        assert client_for("cc.xa02").get(reverse(name, args=[draft.pk])).status_code == 404
    document = Document(
        io.BytesIO(client_for("cc.xa01").get(reverse("dossiers:letter-docx", args=[draft.pk])).content)
    )
    assert document.paragraphs[0].text == "DỰ THẢO"


def test_the_dossier_page_includes_the_panel(client_for: Any, draft: ApologyLetter, dossier: Dossier) -> None:
    page = client_for("cc.xa01").get(reverse("dossiers:dossier-detail", args=[dossier.pk]))

    assert page.status_code == 200
    assert reverse("dossiers:letter-detail", args=[draft.pk]) in page.content.decode()
