"""Remedy reminders: before and after the deadline, to the inspected unit's head, never twice, and never once the
unit has reported the remedy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from tests.inspections.factories import by, held, violation
from trongtam.core.models import Notification, NotificationKind
from trongtam.inspections.domain.inspections import report_remedy
from trongtam.inspections.domain.reminders import owed, send_reminders, sweep
from trongtam.inspections.models import RemedyReminder, Violation
from trongtam.inspections.tasks import task_remedy_sweep
from trongtam.workdays.domain.calendar import WorkCalendar
from trongtam.workdays.domain.queries import work_calendar

pytestmark = pytest.mark.django_db

DEADLINE = dt.date(2026, 6, 24)  # a Wednesday: the default for an inspection held on 10/6


def _reminders(username: str) -> list[str]:
    return list(
        Notification.objects.filter(recipient__username=username, kind=NotificationKind.REMINDER)
        .order_by("pk")
        .values_list("body", flat=True)
    )


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 6, 19), None),  # three working days before
        (dt.date(2026, 6, 22), ("before", "before:2026-06-24")),  # two working days before
        (dt.date(2026, 6, 24), ("before", "before:2026-06-24")),  # on the day
        (dt.date(2026, 6, 25), ("overdue", "overdue:2026-06-24")),
        (dt.date(2026, 7, 30), ("overdue", "overdue:2026-06-24")),
    ],
)
def test_what_is_owed_around_the_deadline(today: dt.date, expected: tuple[str, str] | None) -> None:
    assert owed(DEADLINE, today, WorkCalendar()) == expected


def test_the_sweep_reminds_the_head_before_and_after_the_deadline_once_each() -> None:
    found = violation(held())
    assert found.remedy_deadline == DEADLINE
    calendar = work_calendar()
    assert sweep(dt.date(2026, 6, 22), calendar) == 1
    assert send_reminders(dt.date(2026, 6, 22)) == 1
    assert sweep(dt.date(2026, 6, 23), calendar) == 0  # the same trigger: owed already
    assert send_reminders(dt.date(2026, 6, 23)) == 0
    assert sweep(dt.date(2026, 6, 25), calendar) == 1
    assert send_reminders(dt.date(2026, 6, 25)) == 1
    bodies = _reminders("ct.xa05")
    assert len(bodies) == 2
    assert "hạn khắc phục 24/06/2026" in bodies[0]
    assert "quá hạn khắc phục từ 24/06/2026" in bodies[1]


def test_running_the_job_twice_sends_once() -> None:
    found = violation(held())
    Violation.objects.filter(pk=found.pk).update(remedy_deadline=dt.date(2026, 1, 5))  # long overdue today
    task_remedy_sweep.call()
    second = task_remedy_sweep.call()
    assert (second["reminders"], second["notifications"]) == (0, 0)
    assert RemedyReminder.objects.filter(violation=found).count() == 1
    assert len(_reminders("ct.xa05")) == 1


def test_a_reported_remedy_is_not_reminded() -> None:
    found = violation(held())
    report_remedy(found.pk, report="Đã kiểm điểm", evidence=None, by=by("ct.xa05"), expected_version=None)
    assert sweep(dt.date(2026, 6, 25), work_calendar()) == 0
    assert RemedyReminder.objects.count() == 0


@override_settings(INSPECTION_REMEDY_WORKING_DAYS=1)
def test_one_notification_lists_every_remedy_owed_by_the_unit() -> None:
    inspection = held()
    violation(inspection)
    violation(inspection, person=None)
    sweep(dt.date(2026, 6, 12), work_calendar())
    assert send_reminders(dt.date(2026, 6, 12)) == 1
    [body] = _reminders("ct.xa05")
    assert body.count("•") == 2
    assert "chưa xác định người vi phạm" in body
