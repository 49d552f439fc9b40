"""Reminders of dialogue issues and Council recommendations: the daily sweep, then one digest per person.

The follow-up's rule decides what is owed on which day (followup/domain/reminders.py `owed`): 5, 2 and 0 working
days before the deadline and once overdue, to the head of the responsible unit; after 3 working days overdue, to
the Vice-Chairman(s) in charge of that unit as well. Only items waiting on their unit (assigned, in handling) are
reminded: the moment an item is answered or closed its reminders stop. A reminder is a row, unique per (item,
person, trigger), so a sweep run twice -- or by two workers at once -- owes nothing twice; the digest claims its
rows first (compare-and-set), so no one gets the same digest twice. The follow-up's own digest cannot be reused:
its rows point at followed tasks.
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
from trongtam.followup.domain.reminders import owed
from trongtam.org.domain.queries import areas_by_unit
from trongtam.org.enums import Role
from trongtam.org.models import Person
from trongtam.supervision.enums import ItemStatus, ReminderKind
from trongtam.supervision.models import DialogueIssue, Recommendation, Reminder
from trongtam.workdays.domain.calendar import WorkCalendar


def _rows(
    model: type[Any],
    key: str,
    *,
    today: dt.date,
    calendar: WorkCalendar,
    heads: dict[int, int],
    vcs: dict[int, set[int]],
) -> list[Reminder]:
    rows: list[Reminder] = []
    items = model.objects.filter(
        status__in=ItemStatus.pending, deadline__isnull=False, responsible_unit__isnull=False
    ).values_list("pk", "responsible_unit_id", "deadline")
    for pk, unit_id, deadline in items.iterator(chunk_size=2000):
        for kind, trigger in owed(deadline, today, calendar):
            if kind == ReminderKind.ESCALATION:
                people = sorted(vcs.get(unit_id, set()))
            else:
                head = heads.get(unit_id)
                people = [head] if head is not None else []
            rows += [
                Reminder(**{key: pk}, person_id=person, kind=kind, trigger=trigger, due_on=today)
                for person in people
            ]
    return rows


def sweep(today: dt.date, calendar: WorkCalendar) -> int:
    """Record every reminder owed today; return how many were new."""
    heads = dict(
        Person.objects.filter(role=Role.HEAD, is_active=True, unit__isnull=False).values_list("unit_id", "pk")
    )
    vcs = {unit: {a.vice_chairman_id for a in areas} for unit, areas in areas_by_unit().items()}
    rows = _rows(DialogueIssue, "issue_id", today=today, calendar=calendar, heads=heads, vcs=vcs)
    rows += _rows(Recommendation, "recommendation_id", today=today, calendar=calendar, heads=heads, vcs=vcs)
    with transaction.atomic():
        before = Reminder.objects.count()
        Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        return Reminder.objects.count() - before


def _line(reminder: Reminder) -> str:
    item: Any = reminder.issue or reminder.recommendation
    what = _("Kiến nghị tại buổi đối thoại") if reminder.issue_id else _("Kiến nghị giám sát của HĐND")
    label = {
        ReminderKind.BEFORE: _("sắp đến hạn %(date)s"),
        ReminderKind.OVERDUE: _("đã quá hạn %(date)s"),
        ReminderKind.ESCALATION: _("quá hạn %(date)s, đơn vị %(unit)s chưa trả lời"),
    }[ReminderKind(reminder.kind)] % {
        "date": date_format(item.deadline, "SHORT_DATE_FORMAT") if item.deadline else "",
        "unit": item.responsible_unit.name if item.responsible_unit else "",
    }
    return f"• {what}: {str(item)[:120]} — {label}"


def _list_of(pending: list[Reminder]) -> str:
    return "supervision:issue-list" if any(r.issue_id for r in pending) else "supervision:recommendation-list"


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
                .select_related("issue__responsible_unit", "recommendation__responsible_unit")
                .order_by("due_on", "pk")
            )
            claimed = Reminder.objects.filter(
                pk__in=[r.pk for r in pending], digest_sent_on__isnull=True
            ).update(digest_sent_on=today)
            if not claimed:
                continue
            first: Any = pending[0].issue or pending[0].recommendation
            notify(
                [Person.objects.get(pk=person_id)],
                kind=NotificationKind.REMINDER,
                title=_("Nhắc việc ngày %(date)s: %(count)s kiến nghị cần trả lời")
                % {"date": date_format(today, "SHORT_DATE_FORMAT"), "count": len(pending)},
                body="\n".join(_line(r) for r in pending),
                url=first.get_absolute_url() if len(pending) == 1 else reverse(_list_of(pending)),
            )
            sent += 1
    return sent
