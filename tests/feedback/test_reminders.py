"""Reminders before the response deadline and once it has passed: idempotent, one digest per person per day, and
silent the moment the case is answered."""

from __future__ import annotations

import pytest

from tests.feedback.conftest import By, move, submit
from trongtam.core.models import Notification, NotificationKind
from trongtam.feedback.domain import cases
from trongtam.feedback.domain.reminders import send_digests, sweep
from trongtam.feedback.enums import FeedbackStatus, ReminderKind
from trongtam.feedback.models import Feedback, FeedbackReminder
from trongtam.feedback.tasks import task_feedback_sweep
from trongtam.workdays.domain.queries import work_calendar

pytestmark = pytest.mark.django_db


def _only(case: Feedback) -> None:
    """Keep `case` as the only case owed an answer (the test's province may hold others)."""
    Feedback.objects.exclude(pk=case.pk).update(status=FeedbackStatus.CLOSED)


def _digests(username: str) -> int:
    return Notification.objects.filter(recipient__username=username, kind=NotificationKind.REMINDER).count()


def test_nothing_is_owed_before_the_reminder_window() -> None:
    case = submit()
    _only(case)
    calendar = work_calendar()
    assert sweep(calendar.add_working_days(case.response_due, -3), calendar) == 0


def test_an_unassigned_case_due_soon_reminds_the_triage_staff_once() -> None:
    case = submit()
    _only(case)
    calendar = work_calendar()
    day = calendar.add_working_days(case.response_due, -2)
    assert sweep(day, calendar) == 2  # the Office and the service centre's head
    assert sweep(day, calendar) == 0
    assert set(FeedbackReminder.objects.values_list("kind", flat=True)) == {ReminderKind.BEFORE}
    assert send_digests(day) == 2
    assert send_digests(day) == 0
    assert _digests("vanphong") == 1


def test_an_overdue_case_reminds_its_handler_and_head_but_never_the_official_named(by: By) -> None:
    case = move(submit(), FeedbackStatus.ASSIGNED)
    case = cases.handle(case.pk, by=by("ct.xa01"), expected_version=case.version, delegate_to=by("pct.xa01"))
    cases.match_official(case.pk, by=by("vanphong"), expected_version=case.version, official=by("cc.xa01"))
    _only(case)
    calendar = work_calendar()
    day = calendar.add_working_days(case.response_due, 1)
    assert sweep(day, calendar) == 2
    assert set(FeedbackReminder.objects.values_list("person__username", "kind")) == {
        ("pct.xa01", ReminderKind.OVERDUE),
        ("ct.xa01", ReminderKind.OVERDUE),
    }
    send_digests(day)
    assert _digests("cc.xa01") == 0
    assert _digests("pct.xa01") == 1


def test_the_overdue_notice_is_sent_once_however_long_it_stays_overdue() -> None:
    case = move(submit(), FeedbackStatus.IN_HANDLING)
    _only(case)
    calendar = work_calendar()
    first = calendar.add_working_days(case.response_due, 1)
    assert sweep(first, calendar) == 1
    send_digests(first)
    later = calendar.add_working_days(case.response_due, 5)
    assert sweep(later, calendar) == 0
    assert send_digests(later) == 0


def test_an_answered_case_is_no_longer_reminded() -> None:
    case = move(submit(), FeedbackStatus.ANSWERED)
    _only(case)
    calendar = work_calendar()
    assert sweep(calendar.add_working_days(case.response_due, 1), calendar) == 0


def test_the_periodic_task_twice_sends_nothing_twice() -> None:
    case = submit()
    _only(case)
    Feedback.objects.filter(pk=case.pk).update(
        response_due=work_calendar().add_working_days(case.received_on, -1)
    )
    first = task_feedback_sweep.call()
    assert first["reminders"] >= 1
    assert first["digests"] >= 1
    assert task_feedback_sweep.call() == {"reminders": 0, "digests": 0}
