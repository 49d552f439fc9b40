"""Reminders of dialogue issues and Council recommendations: on the working-day calendar, to the head of the
responsible unit then the Vice-Chairman in charge; idempotent sweeps; one digest per person; they stop the moment
the item is answered or closed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from tests.supervision.conftest import by, make_issue, make_recommendation, step
from trongtam.core.models import Notification, NotificationKind
from trongtam.supervision.domain.items import act_on_issue
from trongtam.supervision.domain.reminders import send_digests, sweep
from trongtam.supervision.enums import IssueAction, ItemStatus
from trongtam.supervision.models import Reminder
from trongtam.supervision.tasks import task_supervision_sweep
from trongtam.workdays.domain.calendar import WorkCalendar

pytestmark = pytest.mark.django_db
CALENDAR = WorkCalendar()
# make_issue: the session on Mon 2/3/2026, 10 working days → Mon 16/3/2026.
DEADLINE = dt.date(2026, 3, 16)


def _owed(issue: Any) -> list[tuple[str, str, str]]:
    return sorted(Reminder.objects.filter(issue=issue).values_list("person__username", "kind", "trigger"))


def test_the_head_is_reminded_before_then_the_vice_chairman_once_overdue() -> None:
    issue = make_issue()
    sweep(dt.date(2026, 3, 6), CALENDAR)
    assert _owed(issue) == []
    sweep(dt.date(2026, 3, 9), CALENDAR)  # 5 working days before
    assert _owed(issue) == [("gd.sct", "before", "before:5:2026-03-16")]
    sweep(dt.date(2026, 3, 17), CALENDAR)
    assert ("gd.sct", "overdue", "overdue:2026-03-16") in _owed(issue)
    assert not Reminder.objects.filter(issue=issue, kind="escalation").exists()
    sweep(dt.date(2026, 3, 19), CALENDAR)  # 3 working days overdue
    assert ("pct.kinhte", "escalation", "escalation:2026-03-16") in _owed(issue)


def test_a_sweep_run_twice_owes_nothing_twice() -> None:
    issue = make_issue()
    rec = make_recommendation(deadline=DEADLINE)
    sweep(dt.date(2026, 3, 19), CALENDAR)
    first = Reminder.objects.filter(issue=issue).count() + Reminder.objects.filter(recommendation=rec).count()
    again = sweep(dt.date(2026, 3, 19), CALENDAR)
    assert first == 4  # for each item: overdue to the head, escalation to the Vice-Chairman
    assert again == 0


@pytest.mark.parametrize("status", [ItemStatus.ANSWERED, ItemStatus.CLOSED, ItemStatus.OPEN])
def test_reminders_stop_the_moment_the_item_is_no_longer_waiting_on_its_unit(status: str) -> None:
    issue = make_issue(status=status)
    rec = make_recommendation(deadline=DEADLINE, status=status)
    sweep(dt.date(2026, 3, 25), CALENDAR)
    assert not Reminder.objects.filter(issue=issue).exists()
    assert not Reminder.objects.filter(recommendation=rec).exists()


def test_answering_stops_the_counting() -> None:
    issue = make_issue()
    sweep(dt.date(2026, 3, 17), CALENDAR)
    act_on_issue(issue.pk, IssueAction.ANSWER, by=by("gd.sct"), data=step(answer="Đã trả lời"))
    sweep(dt.date(2026, 3, 19), CALENDAR)
    assert [kind for _u, kind, _t in _owed(issue)] == ["overdue"]


def test_one_digest_per_person_and_never_twice() -> None:
    make_issue()
    make_issue(content="Kiến nghị thứ hai")
    make_recommendation(deadline=DEADLINE)
    sweep(dt.date(2026, 3, 9), CALENDAR)
    head = by("gd.sct")
    before = Notification.objects.filter(recipient=head, kind=NotificationKind.REMINDER).count()
    assert send_digests(dt.date(2026, 3, 9)) >= 1
    assert send_digests(dt.date(2026, 3, 9)) == 0
    digests = Notification.objects.filter(recipient=head, kind=NotificationKind.REMINDER)
    assert digests.count() == before + 1
    latest = digests.latest("pk")
    assert latest.title == "Nhắc việc ngày 09/03/2026: 3 kiến nghị cần trả lời"
    assert "Kiến nghị thứ hai — sắp đến hạn 16/03/2026" in latest.body


def test_the_background_job_is_idempotent() -> None:
    make_issue()
    with time_machine.travel(dt.datetime(2026, 3, 19, 8, tzinfo=dt.UTC)):  # 15:00 in Hà Nội
        result = task_supervision_sweep.call()
        again = task_supervision_sweep.call()
    assert result["reminders"] >= 2
    assert again == {"reminders": 0, "digests": 0}


@given(st.lists(st.dates(dt.date(2026, 3, 2), dt.date(2026, 4, 30)), min_size=1, max_size=6))
def test_sweeping_on_any_days_in_any_order_owes_each_trigger_once(days: list[dt.date]) -> None:
    """Whatever the days the job ran on, each (person, trigger) is owed once, and an escalation only after an
    overdue notice could have been owed."""
    issue = make_issue()
    for day in days:
        sweep(day, CALENDAR)
    owed = _owed(issue)
    assert len(owed) == len({(person, trigger) for person, _kind, trigger in owed})
    Reminder.objects.filter(issue=issue).delete()
