"""The inspection's workflow: plan → held → violations and their remedies → closed, with its guards."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from tests.inspections.factories import HELD_ON, PDF, by, held, make_inspection, plan_input, violation
from trongtam.core.errors import RuleViolations, StaleEdit, TransitionNotAllowed
from trongtam.core.models import AuditEntry, Notification
from trongtam.inspections.domain.inspections import (
    close_inspection,
    create_inspection,
    decide_remedy,
    default_remedy_deadline,
    record_results,
    report_remedy,
    update_plan,
)
from trongtam.inspections.enums import InspectingBody, InspectionKind, InspectionStatus, RemedyState
from trongtam.inspections.models import Inspection, Violation
from trongtam.workdays.domain.calendar import WorkCalendar

pytestmark = pytest.mark.django_db


def _problems(exc: pytest.ExceptionInfo[RuleViolations]) -> dict[str, list[str]]:
    return exc.value.by_field()


# -- the plan ----------------------------------------------------------------------------------------------------


def test_create_inspection_audits_and_tells_the_team_and_the_unit_of_a_regular_one() -> None:
    inspection = make_inspection()
    assert inspection.status == InspectionStatus.PLANNED
    assert (
        AuditEntry.objects.filter(object_type="inspections.inspection", object_id=str(inspection.pk)).count()
        == 1
    )
    told = set(
        Notification.objects.filter(url=inspection.get_absolute_url()).values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"pgd.snv", "cv.snv", "ct.xa05"}


def test_a_surprise_inspection_is_not_announced_to_the_unit() -> None:
    inspection = make_inspection(kind=InspectionKind.SURPRISE)
    told = set(
        Notification.objects.filter(url=inspection.get_absolute_url()).values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"pgd.snv", "cv.snv"}


def test_only_home_affairs_and_the_office_plan_inspections_each_for_its_own_body() -> None:
    with pytest.raises(PermissionDenied):
        make_inspection(creator="chutich")
    with pytest.raises(RuleViolations) as exc:
        make_inspection(creator="vanphong", body=InspectingBody.HOME_AFFAIRS)
    assert list(_problems(exc)) == ["body"]
    assert make_inspection(creator="vanphong", body=InspectingBody.OFFICE).body == InspectingBody.OFFICE


def test_create_inspection_names_every_missing_field_and_writes_nothing() -> None:
    count = Inspection.objects.count()
    with pytest.raises(RuleViolations) as exc:
        create_inspection(
            plan_input(title=" ", unit=None, scheduled_on=None, scope="", leader=None), by=by("noivu")
        )
    assert set(_problems(exc)) == {"title", "unit", "scheduled_on", "scope", "leader"}
    assert Inspection.objects.count() == count


def test_nobody_inspects_their_own_unit() -> None:
    with pytest.raises(RuleViolations) as exc:
        make_inspection(members=[by("cc.xa05")])
    assert _problems(exc)["members"] == [
        f"«{by('cc.xa05').full_name}» thuộc đơn vị được kiểm tra, không tham gia đoàn kiểm tra được."
    ]


def test_update_plan_needs_the_version_last_seen() -> None:
    inspection = make_inspection()
    update_plan(
        inspection.pk, plan_input(title="Tên mới"), by=by("noivu"), expected_version=inspection.version
    )
    with pytest.raises(StaleEdit) as exc:
        update_plan(
            inspection.pk, plan_input(title="Tên khác"), by=by("pgd.snv"), expected_version=inspection.version
        )
    assert "vừa thay đổi" in exc.value.user_message
    assert Inspection.objects.get(pk=inspection.pk).title == "Tên mới"


def test_a_changed_plan_is_told_to_the_team_but_a_surprise_never_to_the_unit() -> None:
    inspection = make_inspection(kind=InspectionKind.SURPRISE)
    update_plan(inspection.pk, plan_input(kind=InspectionKind.SURPRISE, scheduled_on=dt.date(2026, 6, 12)),
                by=by("noivu"), expected_version=inspection.version)  # fmt: skip
    changed = Notification.objects.filter(url=inspection.get_absolute_url(), title__contains="điều chỉnh")
    assert set(changed.values_list("recipient__username", flat=True)) == {"pgd.snv", "cv.snv"}


def test_the_plan_of_a_held_inspection_cannot_change() -> None:
    inspection = held()
    with pytest.raises(TransitionNotAllowed):
        update_plan(
            inspection.pk, plan_input(title="Muộn"), by=by("noivu"), expected_version=inspection.version
        )


def test_the_head_of_the_unit_cannot_run_the_inspection() -> None:
    inspection = make_inspection()
    with pytest.raises(PermissionDenied):
        record_results(
            inspection.pk, conducted_on=HELD_ON, findings="x", by=by("ct.xa05"), expected_version=None
        )


# -- holding it --------------------------------------------------------------------------------------------------


def test_results_cannot_be_dated_after_today_and_need_findings() -> None:
    inspection = make_inspection()
    with pytest.raises(RuleViolations) as exc:
        record_results(
            inspection.pk,
            conducted_on=dt.date(2026, 6, 11),
            findings=" ",
            by=by("noivu"),
            expected_version=None,
            today=dt.date(2026, 6, 10),
        )
    assert set(_problems(exc)) == {"conducted_on", "findings"}
    assert Inspection.objects.get(pk=inspection.pk).status == InspectionStatus.PLANNED


def test_results_twice_is_a_conflict() -> None:
    inspection = held()
    with pytest.raises(TransitionNotAllowed):
        held(inspection)


def test_the_team_leader_records_results() -> None:
    inspection = make_inspection()
    record_results(
        inspection.pk,
        conducted_on=HELD_ON,
        findings="Tốt",
        by=by("pgd.snv"),
        expected_version=inspection.version,
    )
    assert Inspection.objects.get(pk=inspection.pk).status == InspectionStatus.DONE


# -- violations --------------------------------------------------------------------------------------------------


def test_a_violation_needs_a_held_inspection() -> None:
    with pytest.raises(TransitionNotAllowed):
        violation(make_inspection())


def test_a_violation_concerns_a_person_of_the_unit_or_no_one() -> None:
    inspection = held()
    with pytest.raises(RuleViolations) as exc:
        violation(inspection, person="cc.xa06")
    assert list(_problems(exc)) == ["person"]
    assert violation(inspection, person=None).person is None


def test_a_violation_takes_the_default_deadline_on_the_working_day_calendar() -> None:
    found = violation(held())
    assert found.remedy_deadline == dt.date(2026, 6, 24)  # 10 working days after Wednesday 10/6
    assert found.remedy_state == RemedyState.PENDING


@override_settings(INSPECTION_REMEDY_WORKING_DAYS=3)
def test_the_default_remedy_deadline_is_a_setting() -> None:
    assert violation(held()).remedy_deadline == dt.date(2026, 6, 15)


def test_a_remedy_deadline_before_the_inspection_is_refused() -> None:
    with pytest.raises(RuleViolations) as exc:
        violation(held(), deadline=HELD_ON - dt.timedelta(days=1))
    assert list(_problems(exc)) == ["remedy_deadline"]


@pytest.mark.parametrize(
    ("found_on", "deadline"),
    [
        (dt.date(2026, 6, 10), dt.date(2026, 6, 24)),  # two plain weeks
        (dt.date(2026, 6, 12), dt.date(2026, 6, 26)),  # found on a Friday
        (
            dt.date(2026, 6, 13),
            dt.date(2026, 6, 26),
        ),  # found on a Saturday: counted from the next working day
        (dt.date(2026, 2, 12), dt.date(2026, 3, 5)),  # across Tết (16–20/2)
        (dt.date(2026, 4, 24), dt.date(2026, 5, 13)),  # across Giỗ Tổ, 30/4 and 1/5
        (dt.date(2026, 8, 27), dt.date(2026, 9, 15)),  # across National Day (31/8–2/9)
    ],
)
def test_default_remedy_deadline_table(found_on: dt.date, deadline: dt.date) -> None:
    assert default_remedy_deadline(found_on, WorkCalendar()) == deadline


@given(st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31)), st.integers(1, 40))
def test_the_default_deadline_is_a_working_day_n_working_days_later(found_on: dt.date, days: int) -> None:
    calendar = WorkCalendar()
    with override_settings(INSPECTION_REMEDY_WORKING_DAYS=days):
        deadline = default_remedy_deadline(found_on, calendar)
    assert deadline > found_on
    assert calendar.is_working_day(deadline)
    assert calendar.working_days_between(found_on, deadline) == days


# -- remedies ----------------------------------------------------------------------------------------------------


def test_remedy_reported_accepted_then_the_inspection_closes() -> None:
    found = violation(held())
    report_remedy(
        found.pk,
        report="Đã kiểm điểm",
        evidence=SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf"),
        by=by("ct.xa05"),
        expected_version=None,
    )
    found.refresh_from_db()
    assert (found.remedy_state, found.remedy_evidence_name) == (RemedyState.REPORTED, "bien-ban.pdf")
    decide_remedy(found.pk, accept=True, comment="", by=by("pgd.snv"), expected_version=None)
    close_inspection(found.inspection_id, by=by("noivu"), expected_version=None)
    inspection = Inspection.objects.get(pk=found.inspection_id)
    assert inspection.status == InspectionStatus.CLOSED
    assert inspection.closed_at is not None


def test_a_returned_remedy_needs_a_reason_and_may_be_reported_again() -> None:
    found = violation(held())
    report_remedy(found.pk, report="Đã nhắc nhở", evidence=None, by=by("pct.xa05"), expected_version=None)
    with pytest.raises(RuleViolations) as exc:
        decide_remedy(found.pk, accept=False, comment=" ", by=by("noivu"), expected_version=None)
    assert list(_problems(exc)) == ["comment"]
    decide_remedy(found.pk, accept=False, comment="Chưa có biên bản", by=by("noivu"), expected_version=None)
    assert Violation.objects.get(pk=found.pk).remedy_state == RemedyState.RETURNED
    report_remedy(found.pk, report="Có biên bản", evidence=None, by=by("ct.xa05"), expected_version=None)
    assert Violation.objects.get(pk=found.pk).remedy_state == RemedyState.REPORTED


def test_an_official_of_the_unit_does_not_speak_for_it() -> None:
    found = violation(held())
    with pytest.raises(PermissionDenied):
        report_remedy(found.pk, report="x", evidence=None, by=by("cc.xa05"), expected_version=None)


def test_a_fake_evidence_file_is_refused_and_nothing_is_written() -> None:
    found = violation(held())
    fake = SimpleUploadedFile("bien-ban.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(RuleViolations) as exc:
        report_remedy(found.pk, report="Đã kiểm điểm", evidence=fake, by=by("ct.xa05"), expected_version=None)
    assert list(_problems(exc)) == ["evidence"]
    assert Violation.objects.get(pk=found.pk).remedy_state == RemedyState.PENDING


@pytest.mark.parametrize("state", [RemedyState.PENDING, RemedyState.ACCEPTED, RemedyState.RETURNED])
def test_only_a_reported_remedy_can_be_decided(state: str) -> None:
    found = violation(held())
    Violation.objects.filter(pk=found.pk).update(remedy_state=state)
    with pytest.raises(TransitionNotAllowed):
        decide_remedy(found.pk, accept=True, comment="", by=by("noivu"), expected_version=None)


@pytest.mark.parametrize("state", [RemedyState.REPORTED, RemedyState.ACCEPTED])
def test_a_remedy_not_owed_cannot_be_reported(state: str) -> None:
    found = violation(held())
    Violation.objects.filter(pk=found.pk).update(remedy_state=state)
    with pytest.raises(TransitionNotAllowed):
        report_remedy(found.pk, report="x", evidence=None, by=by("ct.xa05"), expected_version=None)


def test_closing_waits_for_every_remedy() -> None:
    found = violation(held())
    with pytest.raises(TransitionNotAllowed) as exc:
        close_inspection(found.inspection_id, by=by("noivu"), expected_version=None)
    assert (
        exc.value.user_message == "Còn 1 vi phạm chưa được xác nhận khắc phục; chưa kết thúc theo dõi được."
    )


def test_a_planned_inspection_cannot_close_and_a_closed_one_takes_no_violation() -> None:
    with pytest.raises(TransitionNotAllowed):
        close_inspection(make_inspection().pk, by=by("noivu"), expected_version=None)
    closed = held()
    close_inspection(closed.pk, by=by("noivu"), expected_version=None)
    with pytest.raises(TransitionNotAllowed):
        violation(closed)


def test_every_change_to_a_violation_raises_the_inspections_version() -> None:
    inspection = held()
    found = violation(inspection)
    assert Inspection.objects.get(pk=inspection.pk).version == inspection.version + 1
    with pytest.raises(StaleEdit):
        report_remedy(
            found.pk, report="x", evidence=None, by=by("ct.xa05"), expected_version=inspection.version
        )


def test_a_held_inspection_lists_its_audit_on_its_page() -> None:
    found = violation(held())
    entries = AuditEntry.objects.filter(root_type="inspections.inspection", root_id=str(found.inspection_id))
    assert list(entries.values_list("action", flat=True)) == ["create", "transition", "create"]
