"""The inspection pages: lists (filters, pagination in the database, constant queries), the detail page, the plan's
form and the actions, with their error summaries and conflicts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.inspections.factories import PDF, by, held, make_inspection, violation
from trongtam.core.models import AuditEntry
from trongtam.inspections.domain.inspections import report_remedy
from trongtam.inspections.enums import InspectionKind, InspectionStatus, RemedyState, ViolationKind
from trongtam.inspections.models import Inspection, Violation
from trongtam.org.models import Unit

pytestmark = pytest.mark.django_db

LIST = reverse("inspections:inspection-list")
VIOLATIONS = reverse("inspections:violation-list")


OWN = {"XA05", "XA06"}  # units the demo's inspections leave alone


def _codes(response: Any) -> set[str]:
    return {i.unit.code for i in response.context["page_obj"].paginator.object_list} & OWN


# -- lists -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("item_count", [1, 3])
def test_the_list_takes_the_same_queries_whatever_the_number_of_inspections(
    item_count: int, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(item_count):
        violation(held())
    client = client_for("noivu")
    with django_assert_max_num_queries(7):
        response = client.get(LIST, {"unit": "XA05"})
    assert response.status_code == 200
    assert len(response.context["inspections"]) == item_count
    assert response.context["inspections"][0].violation_count == 1


@pytest.mark.parametrize("item_count", [1, 3])
def test_the_violation_list_takes_the_same_queries(
    item_count: int, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    inspection = held()
    for _ in range(item_count):
        violation(inspection)
    client = client_for("chutich")
    with django_assert_max_num_queries(7):
        response = client.get(VIOLATIONS, {"unit": "XA05"})
    assert len(response.context["violations"]) == item_count


def test_the_list_filters_by_kind_unit_status_and_dates(client_for: Any) -> None:
    make_inspection(
        kind=InspectionKind.SURPRISE, unit=Unit.objects.get(code="XA06"), scheduled_on=dt.date(2026, 7, 1)
    )
    held()
    client = client_for("noivu")
    assert _codes(client.get(LIST, {"kind": "surprise"})) == {"XA06"}
    assert _codes(client.get(LIST, {"unit": "xa05"})) == {"XA05"}
    assert _codes(client.get(LIST, {"status": "done"})) == {"XA05"}
    assert _codes(client.get(LIST, {"date_from": "20/06/2026", "date_to": "05/07/2026"})) == {"XA06"}


def test_a_reversed_date_range_is_named_and_ignored(client_for: Any) -> None:
    held()
    response = client_for("noivu").get(LIST, {"date_from": "05/07/2026", "date_to": "20/06/2026"})
    assert response.status_code == 200
    assert "Ngày kết thúc không được trước ngày bắt đầu." in response.content.decode()
    assert _codes(response) == {"XA05"}


def test_the_violation_list_filters_by_type_person_unit_and_remedy(client_for: Any) -> None:
    inspection = held()
    absent = violation(inspection)
    drunk = violation(
        inspection, kind=ViolationKind.ALCOHOL, person="pct.xa05", deadline=dt.date(2030, 12, 31)
    )
    overdue = violation(held(on=dt.date(2026, 1, 7), unit=Unit.objects.get(code="XA06")), person="cc.xa06")
    report_remedy(absent.pk, report="Đã kiểm điểm", evidence=None, by=by("ct.xa05"), expected_version=None)
    client = client_for("noivu")

    def pks(**query: str) -> set[int]:
        response = client.get(VIOLATIONS, query)
        return {v.pk for v in response.context["page_obj"].paginator.object_list} & {
            absent.pk,
            drunk.pk,
            overdue.pk,
        }

    assert pks(kind="alcohol") == {drunk.pk}
    assert pks(person=by("pct.xa05").full_name.lower()) == {drunk.pk}
    assert pks(unit="XA06") == {overdue.pk}
    assert pks(remedy="reported") == {absent.pk}
    assert pks(remedy="overdue") == {overdue.pk}


def test_a_citizen_gets_no_list(client_for: Any) -> None:
    assert client_for("congdan").get(LIST).status_code == 403
    assert client_for("congdan").get(VIOLATIONS).status_code == 403


# -- the plan's form ---------------------------------------------------------------------------------------------


def _plan(**changes: Any) -> dict[str, Any]:
    data = {
        "title": "Kiểm tra đột xuất Sở Tư pháp",
        "kind": "surprise",
        "unit": Unit.objects.get(code="STP").pk,
        "scheduled_on": "15/12/2026",
        "scheduled_time": "07:45",
        "scope": "Thời giờ làm việc",
        "leader": by("pgd.snv").pk,
        "members": [by("cv.snv").pk, by("cv2.snv").pk],
    }
    data.update(changes)
    return data


def test_home_affairs_plans_an_inspection(client_for: Any) -> None:
    response = client_for("noivu").post(reverse("inspections:inspection-new"), _plan())
    inspection = Inspection.objects.get(title="Kiểm tra đột xuất Sở Tư pháp")
    assert response["Location"] == inspection.get_absolute_url()
    assert (inspection.body, inspection.scheduled_time) == ("home_affairs", dt.time(7, 45))
    assert {m.username for m in inspection.members.all()} == {"cv.snv", "cv2.snv"}


def test_the_plan_form_names_each_error_at_the_top(client_for: Any) -> None:
    count = Inspection.objects.count()
    response = client_for("noivu").post(
        reverse("inspections:inspection-new"), _plan(title="", scheduled_on="31/02/2026")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert 'href="#id_title"' in page
    assert 'href="#id_scheduled_on"' in page
    assert Inspection.objects.count() == count


def test_editing_a_plan_someone_else_changed_is_a_conflict_that_keeps_the_input(client_for: Any) -> None:
    inspection = make_inspection()
    url = reverse("inspections:inspection-edit", args=[inspection.pk])
    first = client_for("noivu").post(url, _plan(version=inspection.version, title="Tên thứ nhất"))
    assert first.status_code == 302
    second = client_for("pgd.snv").post(url, _plan(version=inspection.version, title="Tên thứ hai"))
    assert second.status_code == 409
    assert "Tên thứ hai" in second.content.decode()
    assert Inspection.objects.get(pk=inspection.pk).title == "Tên thứ nhất"


# -- the detail page and its actions -----------------------------------------------------------------------------


def test_the_whole_story_through_the_pages(client_for: Any) -> None:
    inspection = make_inspection(kind=InspectionKind.SURPRISE)
    team, head = client_for("pgd.snv"), client_for("ct.xa05")
    assert head.get(inspection.get_absolute_url()).status_code == 404  # a surprise, not held yet
    detail = team.get(inspection.get_absolute_url())
    assert detail.status_code == 200
    response = team.post(
        reverse("inspections:inspection-results", args=[inspection.pk]),
        {
            "results-version": inspection.version,
            "results-conducted_on": "10/06/2026",
            "results-findings": "Vắng mặt",
        },
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    response = team.post(
        reverse("inspections:violation-add", args=[inspection.pk]),
        {
            "violation-version": inspection.version,
            "violation-kind": "absence",
            "violation-person": by("cc.xa05").pk,
            "violation-description": "Vắng mặt không lý do",
        },
    )
    assert response.status_code == 302
    found = Violation.objects.get(inspection=inspection)
    inspection.refresh_from_db()
    page = head.get(inspection.get_absolute_url())
    assert page.status_code == 200
    assert f'id="remedy-{found.pk}-form"' in page.content.decode()
    response = head.post(
        reverse("inspections:remedy-report", args=[inspection.pk, found.pk]),
        {
            f"remedy-{found.pk}-version": inspection.version,
            f"remedy-{found.pk}-report": "Đã kiểm điểm",
            f"remedy-{found.pk}-evidence": SimpleUploadedFile(
                "bien-ban.pdf", PDF, content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 302
    evidence = reverse("inspections:evidence-file", args=[inspection.pk, found.pk])
    assert head.get(evidence).status_code == 200
    assert client_for("ct.xa06").get(evidence).status_code == 404
    inspection.refresh_from_db()
    response = team.post(
        reverse("inspections:remedy-decide", args=[inspection.pk, found.pk]),
        {f"decide-{found.pk}-version": inspection.version, f"decide-{found.pk}-decision": "accept"},
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    response = team.post(
        reverse("inspections:inspection-close", args=[inspection.pk]), {"close-version": inspection.version}
    )
    assert response.status_code == 302
    assert Inspection.objects.get(pk=inspection.pk).status == InspectionStatus.CLOSED
    assert Violation.objects.get(pk=found.pk).remedy_state == RemedyState.ACCEPTED


def test_a_violation_form_error_is_shown_beside_its_field(client_for: Any) -> None:
    inspection = held()
    entries = AuditEntry.objects.count()
    response = client_for("noivu").post(
        reverse("inspections:violation-add", args=[inspection.pk]),
        {"violation-version": inspection.version, "violation-kind": "absence", "violation-person": by("cc.xa06").pk,
         "violation-description": "x"},
    )  # fmt: skip
    assert response.status_code == 200
    assert 'href="#id_violation-person"' in response.content.decode()
    assert AuditEntry.objects.count() == entries


def test_closing_with_a_remedy_owed_is_a_conflict_shown_on_the_page(client_for: Any) -> None:
    inspection = held()
    violation(inspection)
    inspection.refresh_from_db()
    response = client_for("noivu").post(
        reverse("inspections:inspection-close", args=[inspection.pk]), {"close-version": inspection.version}
    )
    assert response.status_code == 409
    assert "Còn 1 vi phạm chưa được xác nhận khắc phục" in response.content.decode()


def test_the_detail_shows_findings_violations_and_overdue_remedies(client_for: Any) -> None:
    inspection = held(on=dt.date(2026, 1, 7))
    violation(inspection, person=None)
    page = client_for("chutich").get(inspection.get_absolute_url()).content.decode()
    assert "Hai công chức vắng mặt không lý do." in page
    assert "chưa xác định người vi phạm" in page
    assert "Quá hạn khắc phục" in page


def test_the_detail_page_takes_the_same_queries_whatever_the_number_of_violations(client_for: Any) -> None:
    counts = []
    for how_many in (1, 3):
        inspection = held()
        for _ in range(how_many):
            violation(inspection)
        client = client_for("ct.xa05")
        client.get(inspection.get_absolute_url())  # the session, once
        with CaptureQueriesContext(connection) as queries:
            assert client.get(inspection.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
