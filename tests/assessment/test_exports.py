"""Exports of a round: the classification to Excel and to Word (Decree 30/2020), a head's sheet to PDF.

The classification files are built from the same classification the preview page shows (before sign-off) and
from the levels stored on the sheets after it (so an appeal's decision shows); who may download them; the
official layout of the Word file read back with python-docx; the PDF's source HTML with a breakdown that adds up
to the total; and a number of queries that does not grow with the sheets.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import pytest
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from tests.assessment.conftest import (
    CUT_OFF,
    MANUAL,
    clear_followup,
    fresh,
    only_heads_of,
    vc_of,
)
from trongtam.assessment.domain import appeals, rounds
from trongtam.assessment.domain.classification import ClassificationSettings
from trongtam.assessment.enums import Level, RoundStatus
from trongtam.assessment.interfaces import exporters
from trongtam.assessment.models import AppealStatus, Round, RubricVersion
from trongtam.core.interfaces import official_docx as od
from trongtam.cycles.models import Period
from trongtam.org.enums import Role
from trongtam.org.models import Person

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def signed_round(quota_round: Round, person: Any) -> Round:
    """The quota round signed by the Chairman; SKHCN (demoted by the quota) appeals and is upheld."""
    rounds.sign_round(quota_round.pk, by=person("chutich"), expected_version=quota_round.version)
    sheet = fresh(quota_round.sheets.get(unit__code="SKHCN"))
    appeal = appeals.file_appeal(
        sheet.pk,
        grounds="Đơn vị có thành tích nổi bật",
        requested_level=Level.EXCELLENT,
        by=sheet.person,
        expected_version=sheet.version,
    )
    appeals.decide_appeal(
        appeal.pk,
        outcome=AppealStatus.UPHELD,
        level=Level.EXCELLENT,
        decision="Quyết định số 12/QĐ-UBND",
        by=person("chutich"),
        expected_version=appeal.version,
    )
    return Round.objects.get(pk=quota_round.pk)


def _workbook(response: Any) -> Workbook:
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _docx(response: Any) -> Any:
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    return Document(io.BytesIO(response.content))


def _rows(book: Workbook, name: str) -> list[tuple[Any, ...]]:
    """The data rows of a group sheet: after the heading (row 1) and the column titles (row 2), until a blank."""
    rows = []
    for row in book[name].iter_rows(min_row=3, values_only=True):
        if row[0] is None:
            break
        rows.append(row)
    return rows


# -- words of the official format ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 2, 5), "Sơn Hà, ngày 05 tháng 02 năm 2026"),
        (dt.date(2026, 1, 31), "Sơn Hà, ngày 31 tháng 01 năm 2026"),
        (dt.date(2026, 3, 9), "Sơn Hà, ngày 09 tháng 3 năm 2026"),
        (dt.date(2026, 12, 10), "Sơn Hà, ngày 10 tháng 12 năm 2026"),
    ],
)
def test_official_dates_pad_days_under_ten_and_january_and_february(day: dt.date, expected: str) -> None:
    assert od.official_date("Sơn Hà", day) == expected


def test_the_issuing_body_and_the_place_come_from_the_provinces_name() -> None:
    assert od.issuing_body("UBND tỉnh Sơn Hà") == "ỦY BAN NHÂN DÂN TỈNH SƠN HÀ"
    assert od.issuing_body("Ủy ban nhân dân tỉnh Sơn Hà") == "ỦY BAN NHÂN DÂN TỈNH SƠN HÀ"
    assert od.place_name("UBND tỉnh Sơn Hà") == "Sơn Hà"
    assert od.place_name("Sơn Hà") == "Sơn Hà"


def test_file_names_are_ascii_without_diacritics() -> None:
    assert exporters.ascii_name("Đánh giá năm 2026") == "danh-gia-nam-2026"
    assert exporters.ascii_name("Sở Khoa học và Công nghệ") == "so-khoa-hoc-va-cong-nghe"


# -- Excel --------------------------------------------------------------------------------------------------------


def test_the_preview_workbook_counts_what_the_preview_page_shows(client_for: Any, quota_round: Round) -> None:
    client = client_for("noivu")
    page = client.get(reverse("assessment:round-preview", args=[quota_round.pk])).context

    response = client.get(reverse("assessment:round-export-xlsx", args=[quota_round.pk]))

    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        'attachment; filename="du-kien-xep-loai_danh-gia-nam-2026.xlsx"; '
        "filename*=UTF-8''" + quote("Dự kiến xếp loại - Đánh giá năm 2026.xlsx", safe="")
    )
    book = _workbook(response)
    assert book.sheetnames == ["Tổng hợp", "Sở, ban, ngành"]
    summary = book["Tổng hợp"]
    assert str(summary["A1"].value).startswith("Dự kiến kết quả xếp loại")
    totals = {
        row[0]: (row[1], row[2])
        for row in summary.iter_rows(values_only=True)
        if row[0] in {label for label, _s, _g in page["totals"]}
    }
    assert totals == {label: (by_score, given) for label, by_score, given in page["totals"]}
    (group,) = page["groups"]
    rows = _rows(book, "Sở, ban, ngành")
    assert [(r[1], r[4], r[5], r[6]) for r in rows] == [
        (row.sheet.unit.name, float(row.score), row.level_by_score.label, row.level.label)
        for row in group.rows
    ]
    given = {label: n for _value, label, _by_score, n in group.counts}
    assert sum(1 for r in rows if r[6] == Level.EXCELLENT.label) == given[Level.EXCELLENT.label] == 1
    skhcn = next(r for r in rows if r[1] == quota_round.sheets.get(unit__code="SKHCN").unit.name)
    assert "Tỷ lệ hoàn thành xuất sắc: xếp thứ 2/2 trong nhóm" in skhcn[7]
    assert [r[0] for r in rows] == list(range(1, 7))
    assert rows[0][3] == Person.objects.get(role=Role.HEAD, unit__code="SCT", is_active=True).title


def test_the_signed_workbook_shows_the_result_with_the_appeals_decision(
    client_for: Any, signed_round: Round
) -> None:
    response = client_for("vanphong").get(reverse("assessment:round-export-xlsx", args=[signed_round.pk]))

    assert 'filename="ket-qua-xep-loai_danh-gia-nam-2026.xlsx"' in response["Content-Disposition"]
    book = _workbook(response)
    assert str(book["Tổng hợp"]["A1"].value).startswith("Kết quả xếp loại")
    rows = _rows(book, "Sở, ban, ngành")
    skhcn = next(r for r in rows if r[1] == signed_round.sheets.get(unit__code="SKHCN").unit.name)
    assert skhcn[5] == Level.EXCELLENT.label  # by score
    assert skhcn[6] == Level.EXCELLENT.label  # given on appeal, after the quota lowered it
    assert "Tỷ lệ hoàn thành xuất sắc" in skhcn[7]
    assert "Giải quyết kiến nghị: Theo quyết định giải quyết kiến nghị" in skhcn[7]
    assert sum(1 for r in rows if r[6] == Level.EXCELLENT.label) == 2
    assert [r[4] for r in rows] == sorted((r[4] for r in rows), reverse=True)


def test_text_that_looks_like_a_formula_stays_text(client_for: Any, quota_round: Round) -> None:
    Person.objects.filter(role=Role.HEAD, unit__code="SCT", is_active=True).update(title="=1+1")

    book = _workbook(client_for("noivu").get(reverse("assessment:round-export-xlsx", args=[quota_round.pk])))

    titles = [row[3] for row in book["Sở, ban, ngành"].iter_rows(min_row=3) if row[3].value == "=1+1"]
    assert titles, "the title is listed"
    assert all(cell.data_type == "s" for cell in titles)


# -- Word ---------------------------------------------------------------------------------------------------------


def _all_text(document: Any) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def test_the_word_report_follows_decree_30(client_for: Any, quota_round: Round) -> None:
    response = client_for("chutich").get(reverse("assessment:round-export-docx", args=[quota_round.pk]))
    document = _docx(response)

    assert 'filename="du-kien-xep-loai_danh-gia-nam-2026.docx"' in response["Content-Disposition"]
    first, table_pages = document.sections[0], document.sections[1]
    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)  # A4, in twips
    assert (round(table_pages.page_width.mm), round(table_pages.page_height.mm)) == (297, 210)
    for section in document.sections:
        margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
        assert [round(m.mm) for m in margins] == [20, 20, 30, 15]
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    fonts = normal.element.rPr.rFonts
    assert {fonts.get(f"{{{fonts.nsmap['w']}}}{slot}") for slot in ("ascii", "hAnsi", "eastAsia", "cs")} == {
        "Times New Roman"
    }
    runs = [r for p in document.paragraphs for r in p.runs] + [
        r for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs
    ]
    assert runs
    assert {r.font.name for r in runs} == {"Times New Roman"}

    left, right = document.tables[0].rows[0].cells
    assert left.paragraphs[0].text == "ỦY BAN NHÂN DÂN\nTỈNH SƠN HÀ"
    assert left.paragraphs[0].runs[0].bold is True
    assert left.paragraphs[-1].text.startswith("Số:")
    assert left.paragraphs[-1].text.endswith("/BC-UBND")
    quoc_hieu, tieu_ngu, rule, place_date = right.paragraphs
    assert quoc_hieu.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert quoc_hieu.runs[0].bold is True
    assert quoc_hieu.runs[0].font.size.pt == 12
    assert tieu_ngu.text == "Độc lập - Tự do - Hạnh phúc"
    assert tieu_ngu.runs[0].font.size.pt == 13
    tags = [child.tag.split("}")[1] for child in rule._p.pPr]  # the line under the Tiêu ngữ: a border,
    assert tags.index("pBdr") < tags.index("spacing") < tags.index("ind")  # in the schema's order
    assert place_date.text == od.official_date("Sơn Hà", timezone.localdate())
    assert place_date.runs[0].italic is True
    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in texts
    assert "Dự kiến kết quả đánh giá, xếp loại chất lượng người đứng đầu cơ quan, đơn vị năm 2026" in texts

    # Page numbers: a PAGE field centred in the header, none on page 1.
    assert first.different_first_page_header_footer is True
    assert "PAGE" in first.header._element.xml
    assert first.first_page_header.paragraphs[0].text == ""
    assert table_pages.different_first_page_header_footer is False

    table = exporters.classification_table(quota_round)
    detail = document.tables[2]  # boxes, totals per level, then the group's table
    listed = [tuple(c.text for c in row.cells) for row in detail.rows[1:]]
    expected = [
        (str(r.number), r.unit, r.head, r.level_by_score, r.level) for g in table.groups for r in g.rows
    ]
    assert [(row[0], row[1], row[2], row[5], row[6]) for row in listed] == expected
    assert detail.rows[0].cells[7].text == "Lý do điều chỉnh mức"
    totals = [tuple(c.text for c in row.cells) for row in document.tables[1].rows[1:]]
    assert totals == [(label, str(s), str(g)) for label, s, g in table.totals] + [("Cộng", "6", "6")]

    signature = document.tables[-1]
    assert signature.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:"
    assert signature.rows[0].cells[1].paragraphs[0].text == "CHỦ TỊCH"


def test_the_signed_word_report_names_the_signer(client_for: Any, signed_round: Round, person: Any) -> None:
    document = _docx(client_for("hdnd").get(reverse("assessment:round-export-docx", args=[signed_round.pk])))

    text = _all_text(document)
    assert "Kết quả đánh giá, xếp loại chất lượng người đứng đầu cơ quan, đơn vị năm 2026" in text
    assert "Dự kiến" not in text
    assert person("chutich").get_full_name() in document.tables[-1].rows[0].cells[1].text
    assert "Giải quyết kiến nghị" in text


def test_a_vice_chairman_signs_on_behalf_of_the_chairman() -> None:
    assert exporters.signer_position(Person(role=Role.VICE_CHAIRMAN)) == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert exporters.signer_position(Person(role=Role.CHAIRMAN)) == ["CHỦ TỊCH"]
    assert exporters.signer_position(None) == ["CHỦ TỊCH"]


# -- who may download ---------------------------------------------------------------------------------------------

BEFORE = {"noivu": 200, "chutich": 200, "vanphong": 403, "quantri": 403, "hdnd": 403, "pct.kinhte": 403}
AFTER = {"noivu": 200, "chutich": 200, "vanphong": 200, "quantri": 200, "hdnd": 200, "pct.kinhte": 403}


@pytest.mark.parametrize("name", ["assessment:round-export-xlsx", "assessment:round-export-docx"])
def test_before_sign_off_only_those_who_preview_export(
    client_for: Any, open_small_round: Any, name: str
) -> None:
    rnd = open_small_round(["STC", "SCT"])
    others = {"gd.sct": 403, "congdan": 403}
    for username, status in {**BEFORE, **others}.items():
        assert client_for(username).get(reverse(name, args=[rnd.pk])).status_code == status, username


@pytest.mark.parametrize("name", ["assessment:round-export-xlsx", "assessment:round-export-docx"])
def test_after_sign_off_the_province_wide_roles_and_the_council_export(
    client_for: Any, open_small_round: Any, name: str
) -> None:
    rnd = open_small_round(["STC", "SCT"])
    Round.objects.filter(pk=rnd.pk).update(status=RoundStatus.SIGNED)
    for username, status in {**AFTER, "gd.sct": 403, "congdan": 403}.items():
        assert client_for(username).get(reverse(name, args=[rnd.pk])).status_code == status, username


def test_an_unknown_round_is_a_404(client_for: Any) -> None:
    assert client_for("noivu").get(reverse("assessment:round-export-xlsx", args=[999999])).status_code == 404


def test_the_pages_link_to_the_exports(client_for: Any, open_small_round: Any) -> None:
    rnd = open_small_round(["STC", "SCT"])
    sheet = rnd.sheets.get(unit__code="STC")
    xlsx = reverse("assessment:round-export-xlsx", args=[rnd.pk])
    docx = reverse("assessment:round-export-docx", args=[rnd.pk])
    pdf = reverse("assessment:sheet-export-pdf", args=[sheet.pk])

    detail = client_for("noivu").get(reverse("assessment:round-detail", args=[rnd.pk])).content.decode()
    preview = client_for("chutich").get(reverse("assessment:round-preview", args=[rnd.pk])).content.decode()
    head = client_for("gd.stc").get(reverse("assessment:round-detail", args=[rnd.pk])).content.decode()
    own = client_for("gd.stc").get(reverse("assessment:sheet-detail", args=[sheet.pk])).content.decode()

    assert xlsx in detail
    assert docx in detail
    assert xlsx in preview
    assert docx in preview
    assert xlsx not in head  # a head sees only their own sheet, never the whole table
    assert pdf in own


# -- the sheet's PDF ----------------------------------------------------------------------------------------------


@pytest.fixture
def reviewed_sheet(open_small_round: Any, person: Any) -> Any:
    """STC's sheet, scored by its head, with one criterion lowered by the Vice-Chairman with a reason."""
    rnd = open_small_round(["STC", "SCT"])
    sheet = rnd.sheets.get(unit__code="STC")
    for code, value in MANUAL.items():
        sheet = fresh(sheet)
        rounds.enter_points(
            sheet.pk,
            code,
            points=value,
            comment=f"Căn cứ {code}",
            by=sheet.person,
            expected_version=sheet.version,
        )
    sheet = fresh(sheet)
    rounds.submit(sheet.pk, by=sheet.person, expected_version=sheet.version)
    sheet = fresh(sheet)
    rounds.enter_points(
        sheet.pk,
        "CT.3",
        points=Decimal("7.5"),
        reason="Chưa đủ minh chứng về cải cách hành chính",
        by=vc_of(sheet),
        expected_version=sheet.version,
    )
    return fresh(sheet)


def test_the_pdf_is_a_pdf_with_a_readable_name(client_for: Any, reviewed_sheet: Any) -> None:
    response = client_for("gd.stc").get(reverse("assessment:sheet-export-pdf", args=[reviewed_sheet.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    person = reviewed_sheet.person.get_full_name()
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="phieu-danh-gia_so-tai-chinh_{exporters.ascii_name(person)}_2026.pdf"; '
    )
    assert quote(f"Phiếu đánh giá - {person}", safe="") in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("username", "status"),
    [("gd.stc", 200), ("noivu", 200), ("hdnd", 200), ("gd.sct", 404), ("pct.vanxa", 404), ("congdan", 404)],
)
def test_the_pdf_is_for_whoever_may_view_the_sheet(
    client_for: Any, open_small_round: Any, username: str, status: int
) -> None:
    sheet = open_small_round(["STC", "SCT"]).sheets.get(unit__code="STC")
    assert (
        client_for(username).get(reverse("assessment:sheet-export-pdf", args=[sheet.pk])).status_code
        == status
    )


def test_the_pdfs_breakdown_adds_up_to_the_total_and_keeps_the_history(reviewed_sheet: Any) -> None:
    context = exporters.sheet_context(reviewed_sheet, today=dt.date(2026, 2, 5))
    html = exporters.sheet_html(reviewed_sheet, today=dt.date(2026, 2, 5))

    assert context["lines_total"] == context["total"] == reviewed_sheet.total
    assert context["place_and_date"] == "Sơn Hà, ngày 05 tháng 02 năm 2026"
    assert context["body"] == "SỞ TÀI CHÍNH"
    for item in context["lines"]:
        assert f'data-code="{item.line.code}"' in html
    assert html.count('class="criterion"') == sum(1 for item in context["lines"] if not item.is_adjustment)
    assert f'<td class="num" id="total">{floatformat(reviewed_sheet.total, "-2")}</td>' in html
    assert "Căn cứ CT.1" in html  # the head's comment
    assert "Chưa đủ minh chứng về cải cách hành chính" in html  # the reviewer's reason, in the history
    assert "10 → 7,5" in html
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html
    assert "Độc lập - Tự do - Hạnh phúc" in html
    for block in ("Người tự đánh giá", "Người nhận xét, đánh giá", "Cơ quan thẩm định"):
        assert block in html
    assert vc_of(reviewed_sheet).get_full_name() in html
    assert "Chưa phê duyệt" in html  # no level given before sign-off
    by_score = ClassificationSettings().thresholds.level_for(reviewed_sheet.total)
    assert f'id="level-by-score">{by_score.label}<' in html  # the level the score alone gives


def test_a_signed_sheets_pdf_shows_the_levels_and_the_reasons(signed_round: Round) -> None:
    sheet = fresh(signed_round.sheets.get(unit__code="SKHCN"))
    html = exporters.sheet_html(sheet, today=dt.date(2026, 12, 20))

    assert 'id="level">' + str(Level.EXCELLENT.label) in html
    assert "Tỷ lệ hoàn thành xuất sắc: xếp thứ 2/2 trong nhóm" in html
    assert "Quyết định số 12/QĐ-UBND" in html


# -- queries ------------------------------------------------------------------------------------------------------


@pytest.fixture
def round_of(person: Any, period: Period, rubric_2026: RubricVersion) -> Any:
    """A round of the first `size` of three departments, with nothing to measure."""

    def make(size: int) -> Round:
        codes = ["STC", "SCT", "SXD"][:size]
        clear_followup(codes)
        only_heads_of(codes)
        return rounds.open_round(period, rubric_2026, name=f"Đợt {size}", cut_off=CUT_OFF, by=person("noivu"))

    return make


@pytest.mark.parametrize("size", [1, 3])
@pytest.mark.parametrize(
    "case",
    [
        ("assessment:round-export-xlsx", False, 9),
        ("assessment:round-export-docx", False, 9),
        ("assessment:round-export-xlsx", True, 6),  # the stored result: no classification to run
        ("assessment:round-export-docx", True, 6),
    ],
    ids=["xlsx-preview", "docx-preview", "xlsx-signed", "docx-signed"],
)
def test_the_classification_exports_cost_the_same_queries_for_any_number_of_sheets(
    client_for: Any, round_of: Any, django_assert_num_queries: Any, size: int, case: tuple[str, bool, int]
) -> None:
    name, signed, queries = case
    rnd = round_of(size)
    if signed:
        Round.objects.filter(pk=rnd.pk).update(status=RoundStatus.SIGNED)
    client = client_for("noivu")
    with django_assert_num_queries(queries):
        response = client.get(reverse(name, args=[rnd.pk]))
    assert response.status_code == 200
    assert exporters.classification_table(Round.objects.get(pk=rnd.pk)).size == size


@pytest.mark.parametrize("size", [1, 3])
def test_the_sheet_pdf_costs_the_same_queries_for_any_number_of_sheets(
    client_for: Any, round_of: Any, django_assert_num_queries: Any, size: int
) -> None:
    sheet = round_of(size).sheets.get(unit__code="STC")
    client = client_for("noivu")
    with django_assert_num_queries(8):
        response = client.get(reverse("assessment:sheet-export-pdf", args=[sheet.pk]))
    assert response.status_code == 200
