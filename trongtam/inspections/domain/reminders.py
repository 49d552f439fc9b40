"""Remedy reminders: the daily sweep that reminds the inspected unit's head of the remedies it still owes.

`sweep(today)` works out, for every violation whose remedy is still owed (pending, or sent back) on a held
inspection, which reminder is owed today: one from `REMINDER_WORKING_DAYS` working days before the deadline, and
one once the deadline has passed -- each to the head of the inspected unit. A reminder is a row, unique per
(violation, person, trigger), so a sweep run twice -- or by two workers at once -- owes nothing twice.
`send_reminders(today)` then sends each head one notification listing what is owed to them, claiming the rows
first, so no one is told twice. A remedy reported or accepted is never reminded: the reminders stop the moment
the unit has acted. A deadline moved (a remedy sent back keeps its deadline) gives new triggers.
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
from trongtam.inspections.enums import REMINDER_WORKING_DAYS, InspectionStatus, RemedyState, ReminderKind
from trongtam.inspections.models import RemedyReminder, Violation
from trongtam.org.enums import Role
from trongtam.org.models import Person
from trongtam.workdays.domain.calendar import WorkCalendar


def owed(deadline: dt.date, today: dt.date, calendar: WorkCalendar) -> tuple[str, str] | None:
    """The (kind, trigger) owed on `today` for a remedy due on `deadline`, or None."""
    key = deadline.isoformat()
    if today > deadline:
        return ReminderKind.OVERDUE, f"overdue:{key}"
    if today >= calendar.add_working_days(deadline, -REMINDER_WORKING_DAYS):
        return ReminderKind.BEFORE, f"before:{key}"
    return None


def sweep(today: dt.date, calendar: WorkCalendar) -> int:
    """Record every reminder owed today; return how many were new. Three queries whatever the number of
    violations: the heads, the owed remedies, the insert."""
    heads = dict(
        Person.objects.filter(role=Role.HEAD, is_active=True, unit__isnull=False).values_list("unit_id", "pk")
    )
    rows = []
    violations = Violation.objects.filter(
        remedy_state__in=RemedyState.owed, inspection__status=InspectionStatus.DONE
    ).values_list("pk", "inspection__unit_id", "remedy_deadline")
    for violation_id, unit_id, deadline in violations.iterator(chunk_size=2000):
        found = owed(deadline, today, calendar)
        head = heads.get(unit_id)
        if found is None or head is None:
            continue
        kind, trigger = found
        rows.append(
            RemedyReminder(
                violation_id=violation_id, person_id=head, kind=kind, trigger=trigger, due_on=today
            )
        )
    with transaction.atomic():
        before = RemedyReminder.objects.count()
        RemedyReminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        return RemedyReminder.objects.count() - before


def _line(reminder: Any) -> str:
    violation = reminder.violation
    label = (
        _("quá hạn khắc phục từ %(date)s")
        if reminder.kind == ReminderKind.OVERDUE
        else _("hạn khắc phục %(date)s")
    ) % {"date": date_format(violation.remedy_deadline, "SHORT_DATE_FORMAT")}
    who = violation.person.get_full_name() if violation.person else _("chưa xác định người vi phạm")
    return f"• {violation.get_kind_display()} ({who}) — {label}"


def send_reminders(today: dt.date) -> int:
    """One notification per head for every reminder owed up to today; returns the number sent. Rows are claimed
    under a lock before the notice is written, so two workers never send the same reminder."""
    people = (
        RemedyReminder.objects.filter(sent_on__isnull=True, due_on__lte=today)
        .values_list("person_id", flat=True)
        .distinct()
    )
    sent = 0
    for person_id in list(people):
        with transaction.atomic():
            pending = list(
                RemedyReminder.objects.select_for_update(of=("self",))
                .filter(person_id=person_id, sent_on__isnull=True, due_on__lte=today)
                .select_related("violation__person", "violation__inspection")
                .order_by("violation__remedy_deadline", "pk")
            )
            claimed = RemedyReminder.objects.filter(
                pk__in=[r.pk for r in pending], sent_on__isnull=True
            ).update(sent_on=today)
            if not claimed:
                continue
            inspections = {r.violation.inspection_id for r in pending}
            url = (
                pending[0].violation.inspection.get_absolute_url()
                if len(inspections) == 1
                else reverse("inspections:violation-list") + "?remedy=overdue"
            )
            notify(
                [Person.objects.get(pk=person_id)],
                kind=NotificationKind.REMINDER,
                title=_("Nhắc khắc phục vi phạm sau kiểm tra công vụ: %(count)s vi phạm cần khắc phục")
                % {"count": len(pending)},
                body="\n".join(_line(r) for r in pending),
                url=url,
            )
            sent += 1
    return sent
