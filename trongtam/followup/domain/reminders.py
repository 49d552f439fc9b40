"""Reminders and escalation: the daily sweep that nobody has to press a button for.

`sweep(today)` works out, for every task that is still being worked on, which reminder is owed today:
5, 2 and 0 working days before the deadline to the head of the lead unit; once overdue, to the head; after
3 working days overdue, to the Vice-Chairman(s) in charge. A reminder is a row, unique per (task, person,
trigger), so a sweep run twice -- or by two workers at once -- owes nothing twice. `send_digests(today)` then
sends each person one notification listing everything owed to them, claiming the rows first (compare-and-set),
so no one gets the same digest twice. Tasks paused, awaiting acceptance or closed are never reminded: the
moment the task's state changes, the reminders stop.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trongtam.core.models import NotificationKind
from trongtam.core.notifications import notify
from trongtam.followup.enums import ESCALATION_WORKING_DAYS, REMINDER_WORKING_DAYS, Lifecycle
from trongtam.followup.models import Reminder, ReminderKind, Task
from trongtam.org.domain.queries import areas_by_unit
from trongtam.org.enums import Role
from trongtam.org.models import Person
from trongtam.workdays.domain.calendar import WorkCalendar

REMINDED = (Lifecycle.NOT_STARTED, Lifecycle.IN_PROGRESS, Lifecycle.REDO)


def _heads() -> dict[int, int]:
    return dict(
        Person.objects.filter(role=Role.HEAD, is_active=True, unit__isnull=False).values_list("unit_id", "pk")
    )


def _vice_chairmen() -> dict[int, set[int]]:
    """unit id -> the Vice-Chairmen in charge of it or of a unit above it."""
    return {unit: {a.vice_chairman_id for a in areas} for unit, areas in areas_by_unit().items()}


def owed(task_deadline: dt.date, today: dt.date, calendar: WorkCalendar) -> list[tuple[str, str]]:
    """The (kind, trigger) owed for a task with this deadline on `today`: at most one before it, and when
    overdue the overdue notice plus, from 3 working days on, the escalation."""
    key = task_deadline.isoformat()
    if today <= task_deadline:
        for days in sorted(REMINDER_WORKING_DAYS):  # the nearest trigger already reached: 0, then 2, then 5
            if today >= calendar.add_working_days(task_deadline, -days):
                return [(ReminderKind.BEFORE, f"before:{days}:{key}")]
        return []
    owed_now: list[tuple[str, str]] = [(ReminderKind.OVERDUE, f"overdue:{key}")]
    if calendar.working_days_between(task_deadline, today) >= ESCALATION_WORKING_DAYS:
        owed_now.append((ReminderKind.ESCALATION, f"escalation:{key}"))
    return owed_now


def sweep(today: dt.date, calendar: WorkCalendar) -> int:
    """Record every reminder owed today; return how many were new."""
    heads, vcs = _heads(), _vice_chairmen()
    rows: list[Reminder] = []
    newly_overdue: list[int] = []
    tasks = Task.objects.filter(lifecycle__in=REMINDED, deadline__isnull=False).values_list(
        "pk", "lead_unit_id", "deadline", "overdue_since"
    )
    for task_id, unit_id, deadline, overdue_since in tasks.iterator(chunk_size=2000):
        if deadline is None:  # excluded by the filter; the check keeps the types honest
            continue
        for kind, trigger in owed(deadline, today, calendar):
            if kind == ReminderKind.ESCALATION:
                people = sorted(vcs.get(unit_id, set()))
            else:
                head = heads.get(unit_id)
                people = [head] if head is not None else []
            rows += [
                Reminder(task_id=task_id, person_id=pk, kind=kind, trigger=trigger, due_on=today)
                for pk in people
            ]
        if today > deadline and overdue_since is None:
            newly_overdue.append(task_id)
    with transaction.atomic():
        before = Reminder.objects.count()
        Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        Task.objects.filter(pk__in=newly_overdue, overdue_since__isnull=True).update(overdue_since=today)
        return Reminder.objects.count() - before


def _line(reminder: Any) -> str:
    deadline = date_format(reminder.task.deadline, "SHORT_DATE_FORMAT") if reminder.task.deadline else ""
    label = {
        ReminderKind.BEFORE: _("sắp đến hạn %(date)s"),
        ReminderKind.OVERDUE: _("đã quá hạn %(date)s"),
        ReminderKind.ESCALATION: _("quá hạn %(date)s, đơn vị %(unit)s chưa hoàn thành"),
    }[ReminderKind(reminder.kind)] % {"date": deadline, "unit": reminder.task.lead_unit.name}
    return f"• {reminder.task.title} — {label}"


def send_digests(today: dt.date) -> int:
    """One notification per person for everything owed up to today. Returns the number of digests sent."""
    people = (
        Reminder.objects.filter(digest_sent_on__isnull=True, due_on__lte=today)
        .values_list("person_id", flat=True)
        .distinct()
    )
    sent = 0
    for person_id in list(people):
        with transaction.atomic():
            pending = list(
                Reminder.objects.select_for_update(of=("self",))
                .filter(person_id=person_id, digest_sent_on__isnull=True, due_on__lte=today)
                .select_related("task", "task__lead_unit")
                .order_by("task__deadline", "pk")
            )
            claimed = Reminder.objects.filter(
                pk__in=[r.pk for r in pending], digest_sent_on__isnull=True
            ).update(digest_sent_on=today)
            if not claimed:
                continue
            person = Person.objects.get(pk=person_id)
            notify(
                [person],
                kind=NotificationKind.REMINDER,
                title=_("Nhắc việc ngày %(date)s: %(count)s nhiệm vụ cần chú ý")
                % {"date": date_format(today, "SHORT_DATE_FORMAT"), "count": len(pending)},
                body="\n".join(_line(r) for r in pending),
                url=pending[0].task.get_absolute_url() if len(pending) == 1 else reverse("core:home"),
            )
            sent += 1
    return sent
