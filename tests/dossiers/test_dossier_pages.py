"""The dossier pages: the list in the person's scope with its filters and a constant number of queries, a dossier's
page with its dates, badges, history and the moves open to the person, the moves themselves (302, 409, input kept),
the counter entry, and the procedure catalog."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.dossiers.factories import at, dossier_in, make_dossier, make_procedure
from trongtam.core.models import AuditEntry
from trongtam.dossiers.domain.lifecycle import DossierAction, Move, transition
from trongtam.dossiers.enums import DossierStatus
from trongtam.dossiers.models import Dossier, Procedure
from trongtam.org.models import Person
from trongtam.workdays.domain.queries import work_calendar

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

S = DossierStatus
LIST = reverse("dossiers:dossier-list")
NEW = reverse("dossiers:dossier-new")


def _codes(response: Any) -> list[str]:
    return [dossier.code for dossier, _timeliness in response.context["rows"]]


# -- the list -------------------------------------------------------------------------------------------------


def test_the_list_shows_the_persons_scope_only(client_for: Any) -> None:
    mine = make_dossier("XA01", code="PG-XA01-1")
    theirs = make_dossier("XA02", code="PG-XA02-1")
    seen_by_commune = _codes(client_for("cc.xa01").get(LIST, {"q": "PG-"}))
    assert seen_by_commune == [mine.code]
    assert sorted(_codes(client_for("chutich").get(LIST, {"q": "PG-"}))) == [mine.code, theirs.code]
    assert _codes(client_for("pct.vanxa").get(LIST, {"q": "PG-"})) == []  # XA01-02 are not in their charge
    assert sorted(_codes(client_for("gd.ttpvhcc").get(LIST, {"q": "PG-"}))) == [mine.code, theirs.code]


def test_a_unit_outside_the_scope_cannot_be_chosen(client_for: Any) -> None:
    make_dossier("XA02", code="PG-XA02-2")
    response = client_for("cc.xa01").get(
        LIST, {"q": "PG-", "unit": Person.objects.get(username="cc.xa02").unit_id}
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert _codes(response) == []


def test_the_filters_narrow_the_list(client_for: Any) -> None:
    today = timezone.localdate()
    late = dossier_in(
        S.RETURNED, code="PG-F-LATE", finished_on=dt.date(2026, 3, 12), returned_on=dt.date(2026, 3, 12)
    )
    early = dossier_in(S.DONE, code="PG-F-EARLY", applicant_name="Đỗ Thị Ánh Lọc Thử")
    overdue = dossier_in(S.IN_PROCESS, code="PG-F-OPEN")
    client = client_for("ct.xa01")
    assert _codes(client.get(LIST, {"q": "PG-F", "timeliness": "late"})) == [late.code]
    assert _codes(client.get(LIST, {"q": "PG-F", "timeliness": "early"})) == [early.code]
    expected = [overdue.code] if today > dt.date(2026, 3, 9) else []
    assert _codes(client.get(LIST, {"q": "PG-F", "timeliness": "open_overdue"})) == expected
    assert _codes(client.get(LIST, {"q": "do thi anh loc thu"})) == [early.code]
    assert _codes(client.get(LIST, {"q": "PG-F", "status": S.DONE})) == [early.code]
    assert _codes(client.get(LIST, {"q": "PG-F", "received_from": "03/03/2026"})) == []
    bad = client.get(LIST, {"q": "PG-F", "received_from": "05/03/2026", "received_to": "01/03/2026"})
    assert "received_to" in bad.context["form"].errors
    assert len(_codes(bad)) == 3  # a wrong range is named, not applied
    page = client.get(LIST, {"q": "PG-F", "timeliness": "late"}).content.decode()
    assert 'data-timeliness="late"' in page


@pytest.mark.parametrize("item_count", [1, 3])
def test_the_list_takes_the_same_queries_whatever_the_number_of_dossiers(
    item_count: int, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    procedures = [make_procedure(f"T-PGQ-{i}", processing_days=i) for i in range(item_count)]
    for i in range(item_count):
        make_dossier("XA03", procedures[i], code=f"PG-Q-{i}")
    client = client_for("ct.xa03")
    # session, person, their unit, menu permissions (2), notifications, the unit and procedure choices, count, page
    with django_assert_max_num_queries(10):
        response = client.get(LIST, {"q": "PG-Q"})
    assert len(response.context["rows"]) == item_count


# -- a dossier ------------------------------------------------------------------------------------------------


def test_the_dossier_page_shows_its_dates_history_and_letter_panel(client_for: Any) -> None:
    official = Person.objects.get(username="cc.xa01")
    dossier = dossier_in(S.IN_PROCESS, code="PG-D-1", applicant_phone="0911 222 333")
    transition(
        dossier.pk,
        DossierAction.REQUEST_SUPPLEMENT,
        Move(on=dt.date(2026, 3, 4), reason="Thiếu CCCD"),
        by=official,
    )
    transition(dossier.pk, DossierAction.SUPPLEMENT_RECEIVED, Move(on=dt.date(2026, 3, 6)), by=official)
    response = client_for("ct.xa01").get(reverse("dossiers:dossier-detail", args=[dossier.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<dd class="col-sm-8 fw-bold" id="due-date">11/03/2026</dd>' in page
    assert "0911 222 333" in page  # the applicant, on the internal page
    assert 'id="letter-panel"' in page
    assert "Thiếu CCCD" in page  # the supplement's reason, in the history
    steps = [step["what"] for step in response.context["history"]]
    assert [str(s) for s in steps] == ["Yêu cầu bổ sung giấy tờ", "Đã nhận giấy tờ bổ sung"]
    assert {move[0] for move in response.context["moves"]} == {
        "request_supplement", "request_fees", "finish", "withdraw", "stop",
    }  # fmt: skip


def test_an_at_risk_dossier_says_so_and_one_with_a_new_appointment_shows_it(client_for: Any) -> None:
    calendar = work_calendar()
    today = timezone.localdate()
    due = calendar.next_working_day(today)
    procedure = make_procedure("T-PG-RISK", processing_days=2)
    dossier = make_dossier(
        "XA01", procedure, received_at=at(calendar.add_working_days(due, -2), 9), code="PG-RISK"
    )
    assert dossier.due_date == due
    Dossier.objects.filter(pk=dossier.pk).update(appointment_date=calendar.add_working_days(due, 5))
    page = client_for("cc.xa01").get(reverse("dossiers:dossier-detail", args=[dossier.pk])).content.decode()
    assert 'id="at-risk"' in page
    assert 'id="appointment-date"' in page


def test_who_sees_the_moves(client_for: Any) -> None:
    dossier = dossier_in(S.RECEIVED)
    url = reverse("dossiers:dossier-detail", args=[dossier.pk])
    assert client_for("pct.kinhte").get(url).context["moves"] == []  # sees it, may not move it
    assert [m[0] for m in client_for("cc.xa01").get(url).context["moves"]] == [
        "start", "request_supplement", "request_fees", "finish", "withdraw", "stop",
    ]  # fmt: skip


def _act(dossier: Dossier, action: str) -> str:
    return reverse("dossiers:dossier-act", args=[dossier.pk, action])


def test_a_move_from_the_page(client_for: Any) -> None:
    dossier = dossier_in(S.IN_PROCESS)
    client = client_for("cc.xa01")
    response = client.post(_act(dossier, "finish"), {"act-finish-version": 1, "act-finish-on": "06/03/2026"})
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:dossier-detail", args=[dossier.pk])
    dossier.refresh_from_db()
    assert (dossier.status, dossier.finished_on, dossier.version) == (S.DONE, dt.date(2026, 3, 6), 2)


def test_a_move_with_bad_input_keeps_it_and_names_the_field(client_for: Any) -> None:
    dossier = dossier_in(S.IN_PROCESS)
    entries = AuditEntry.objects.count()
    response = client_for("cc.xa01").post(
        _act(dossier, "stop"), {"act-stop-version": 1, "act-stop-reason": ""}
    )
    assert response.status_code == 200
    form = {m[0]: m[2] for m in response.context["moves"]}["stop"]
    assert form.errors["reason"] == ["Cần nêu lý do khi «Dừng xử lý»."]
    assert 'id="error-summary"' in response.content.decode()
    assert AuditEntry.objects.count() == entries


def test_a_stale_or_wrong_state_move_is_a_409_that_says_why(client_for: Any) -> None:
    dossier = dossier_in(S.RECEIVED)
    transition(dossier.pk, DossierAction.START, by=Person.objects.get(username="pct.xa01"))
    client = client_for("cc.xa01")
    stale = client.post(_act(dossier, "request_fees"), {"act-request_fees-version": 1})
    assert stale.status_code == 409
    assert Person.objects.get(username="pct.xa01").full_name in stale.content.decode()
    wrong = client.post(_act(dossier, "receive"), {"act-receive-version": 2})
    assert wrong.status_code == 409  # received long ago, and in process since
    not_allowed = client.post(_act(dossier, "return_result"), {"act-return_result-version": 2})
    assert not_allowed.status_code == 409
    assert "Không thể «Trả kết quả»" in not_allowed.content.decode()
    assert client.post(_act(dossier, "fly"), {}).status_code == 404
    dossier.refresh_from_db()
    assert (dossier.status, dossier.version) == (S.IN_PROCESS, 2)


# -- the counter entry ----------------------------------------------------------------------------------------


def _entry(**changes: Any) -> dict[str, Any]:
    procedure = make_procedure("T-PG-ENTRY", processing_days=3)
    data = {
        "unit": Person.objects.get(username="cc.xa01").unit_id,
        "procedure": procedure.pk,
        "channel": 1,
        "applicant_kind": "citizen",
        "applicant_name": "Vũ Thị Lan Quầy Thử",
        "applicant_phone": "0903 456 789",
        "applicant_email": "",
        "applicant_address": "Thôn Đông",
        "received_at": "01/12/2025 09:30",
        "code": "",
    }
    data.update(changes)
    return data


def test_the_counter_entry_saves_and_shows_the_due_date(client_for: Any) -> None:
    client = client_for("cc.xa01")
    form = client.get(NEW)
    assert form.status_code == 200
    assert form.context["form"].fields["unit"].initial.code == "XA01"  # the only unit the official enters for
    response = client.post(NEW, _entry(), follow=True)
    dossier = Dossier.objects.get(applicant_name="Vũ Thị Lan Quầy Thử")
    assert response.redirect_chain == [(reverse("dossiers:dossier-detail", args=[dossier.pk]), 302)]
    assert dossier.code == "XA01-251201-0001"
    assert dossier.due_date == dt.date(2025, 12, 4)
    page = response.content.decode()
    assert "Ngày hẹn trả kết quả: 04/12/2025" in page
    assert "04/12/2025" in page


def test_the_counter_entry_shows_every_error_and_saves_nothing(client_for: Any) -> None:
    count = Dossier.objects.count()
    response = client_for("cc.xa01").post(NEW, _entry(applicant_phone="12", received_at="01/12/2099 09:00"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"applicant_phone", "received_at"}
    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert 'href="#id_applicant_phone"' in page
    assert Dossier.objects.count() == count


def test_the_counter_entry_offers_only_the_units_one_may_enter_for(client_for: Any) -> None:
    commune = client_for("cc.xa01").get(NEW).context["form"].fields["unit"].queryset
    assert [u.code for u in commune] == ["XA01"]
    centre = client_for("gd.ttpvhcc").get(NEW).context["form"].fields["unit"].queryset
    assert {"XA01", "XA30", "STP", "SYT"} <= {u.code for u in centre}
    refused = client_for("cc.xa01").post(NEW, _entry(unit=Person.objects.get(username="cc.xa02").unit_id))
    assert "unit" in refused.context["form"].errors


# -- the procedure catalog ------------------------------------------------------------------------------------


def test_the_catalog_searches_without_diacritics(client_for: Any) -> None:
    make_procedure("T-PG-KS", name="Đăng ký khai sinh lưu động", field="Hộ tịch")
    response = client_for("cc.xa01").get(reverse("dossiers:procedure-list"), {"q": "khai sinh luu dong"})
    assert [p.code for p in response.context["procedures"]] == ["T-PG-KS"]
    assert not response.context["may_manage"]


def test_the_office_adds_and_edits_a_procedure(client_for: Any) -> None:
    client = client_for("vanphong")
    data = {"code": "9.PG.001", "name": "Cấp giấy phép thử", "field": "Thử nghiệm", "level": "province",
            "processing_days": 7, "is_active": "on", "version": ""}  # fmt: skip
    assert client.post(reverse("dossiers:procedure-new"), data).status_code == 302
    procedure = Procedure.objects.get(code="9.PG.001")
    edit = reverse("dossiers:procedure-edit", args=[procedure.pk])
    loaded = client.get(edit).context["form"].initial["version"]
    assert client.post(edit, {**data, "processing_days": 8, "version": loaded}).status_code == 302
    assert Procedure.objects.get(pk=procedure.pk).processing_days == 8
    stale = client.post(edit, {**data, "processing_days": 9, "version": loaded})
    assert stale.status_code == 409
    assert Procedure.objects.get(pk=procedure.pk).processing_days == 8
    taken = client.post(reverse("dossiers:procedure-new"), data)
    assert taken.context["form"].errors["code"] == ["Mã thủ tục «9.PG.001» đã có trong danh mục."]


def test_query_capture_of_the_detail_page_is_bounded(client_for: Any) -> None:
    dossier = dossier_in(S.IN_PROCESS)
    client = client_for("cc.xa01")
    url = reverse("dossiers:dossier-detail", args=[dossier.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(3):
        transition(dossier.pk, DossierAction.REQUEST_FEES, by=Person.objects.get(username="cc.xa01"))
        transition(dossier.pk, DossierAction.FEES_PAID, by=Person.objects.get(username="cc.xa01"))
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few)  # the history does not cost a query per step
