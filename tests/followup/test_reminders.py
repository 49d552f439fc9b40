"""Reminders and escalation on the working-day calendar; idempotent sweeps; one digest per person."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from tests.followup.factories import make_directive_task
from trongtam.core.models import Notification, NotificationKind
from trongtam.followup.domain.reminders import owed, send_digests, sweep
from trongtam.followup.enums import Lifecycle
from trongtam.followup.models import Reminder, ReminderKind, Task
from trongtam.followup.tasks import task_follow_up_sweep
from trongtam.org.models import Unit
from trongtam.workdays.domain.calendar import WorkCalendar

CALENDAR = WorkCalendar()
DEADLINE = dt.date(2026, 3, 20)  # a Friday


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 3, 12), []),  # 6 working days before
        (dt.date(2026, 3, 13), [("before", "before:5:2026-03-20")]),
        (dt.date(2026, 3, 17), [("before", "before:5:2026-03-20")]),
        (dt.date(2026, 3, 18), [("before", "before:2:2026-03-20")]),
        (dt.date(2026, 3, 20), [("before", "before:0:2026-03-20")]),
        (dt.date(2026, 3, 23), [("overdue", "overdue:2026-03-20")]),
        (dt.date(2026, 3, 25), [("overdue", "overdue:2026-03-20"), ("escalation", "escalation:2026-03-20")]),
    ],
)
def test_what_is_owed_on_which_day(today: dt.date, expected: list[tuple[str, str]]) -> None:
    assert owed(DEADLINE, today, CALENDAR) == expected


def test_tet_counts_as_days_off_for_reminders() -> None:
    """Due Wed 25/2/2026: 5 working days before is Wed 11/2, because Tết (16-20/2) does not count."""
    assert owed(dt.date(2026, 2, 25), dt.date(2026, 2, 11), CALENDAR) == [("before", "before:5:2026-02-25")]
    assert owed(dt.date(2026, 2, 25), dt.date(2026, 2, 10), CALENDAR) == []
    assert owed(dt.date(2026, 2, 25), dt.date(2026, 2, 24), CALENDAR) == [("before", "before:2:2026-02-25")]


@given(st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31)), st.integers(-30, 30))
def test_at_most_one_reminder_before_and_escalation_only_when_overdue(deadline: dt.date, offset: int) -> None:
    today = deadline + dt.timedelta(days=offset)
    kinds = [kind for kind, _trigger in owed(deadline, today, CALENDAR)]
    if today <= deadline:
        assert kinds in ([], ["before"])
    else:
        assert kinds[0] == "overdue"
        assert ("escalation" in kinds) == (CALENDAR.working_days_between(deadline, today) >= 3)


@pytest.fixture
def due_task(db: None) -> Task:
    return make_directive_task(lead_unit=Unit.objects.get(code="SCT"), deadline=DEADLINE)


def test_the_head_is_reminded_then_the_vice_chairman_once_overdue(due_task: Task, person: Any) -> None:
    head, vc = person("gd.sct"), person("pct.kinhte")
    for day in (dt.date(2026, 3, 13), dt.date(2026, 3, 18), dt.date(2026, 3, 20), dt.date(2026, 3, 23)):
        sweep(day, CALENDAR)
    assert set(Reminder.objects.filter(task=due_task).values_list("person", "kind")) == {
        (head.pk, ReminderKind.BEFORE),
        (head.pk, ReminderKind.OVERDUE),
    }
    assert Reminder.objects.filter(task=due_task, kind=ReminderKind.BEFORE).count() == 3
    sweep(dt.date(2026, 3, 25), CALENDAR)
    assert Reminder.objects.filter(task=due_task, person=vc, kind=ReminderKind.ESCALATION).exists()
    assert Task.objects.get(pk=due_task.pk).overdue_since == dt.date(2026, 3, 23)


def test_a_sweep_run_twice_records_and_sends_nothing_twice(due_task: Task, person: Any) -> None:
    day = dt.date(2026, 3, 25)
    assert sweep(day, CALENDAR) > 0
    assert sweep(day, CALENDAR) == 0
    assert send_digests(day) >= 2  # the head and the Vice-Chairman
    assert send_digests(day) == 0
    mine = Notification.objects.filter(recipient=person("gd.sct"), kind=NotificationKind.REMINDER)
    assert mine.count() == 1


def test_one_digest_per_person_instead_of_a_flood(due_task: Task, person: Any) -> None:
    for n in range(3):
        make_directive_task(
            title=f"Nhiệm vụ thêm {n}", lead_unit=Unit.objects.get(code="SCT"), deadline=DEADLINE
        )
    sweep(dt.date(2026, 3, 18), CALENDAR)
    send_digests(dt.date(2026, 3, 18))
    [digest] = Notification.objects.filter(recipient=person("gd.sct"), kind=NotificationKind.REMINDER)
    assert "4 nhiệm vụ" in digest.title
    assert digest.body.count("•") == 4


@pytest.mark.parametrize(
    "lifecycle", [Lifecycle.DONE, Lifecycle.PAUSED, Lifecycle.AWAITING_ACCEPTANCE, Lifecycle.CANCELLED]
)
def test_reminders_stop_the_moment_the_state_says_so(due_task: Task, lifecycle: str) -> None:
    Task.objects.filter(pk=due_task.pk).update(lifecycle=lifecycle)
    sweep(dt.date(2026, 3, 25), CALENDAR)
    assert not Reminder.objects.filter(task=due_task).exists()


def test_the_background_job_runs_on_todays_date(due_task: Task, person: Any, mailoutbox: list[Any]) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 18, 8, tzinfo=dt.UTC)):  # 15:00 in Hà Nội
        result = task_follow_up_sweep.call()
        again = task_follow_up_sweep.call()
    assert result["reminders"] >= 1
    assert again == {"reminders": 0, "digests": 0}
    assert (
        Notification.objects.filter(recipient=person("gd.sct"), kind=NotificationKind.REMINDER).count() == 1
    )
