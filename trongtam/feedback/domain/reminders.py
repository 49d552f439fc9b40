"""Reminders: the daily sweep nobody has to press a button for (`tasks.task_feedback_sweep`).

`sweep(today)` works out, for every case still owed an answer, which reminder is due today: from
`REMIND_WORKING_DAYS` working days before the response deadline ("due soon"), and once the deadline has passed
("overdue"), to the person handling the case and the head of its unit -- or, while nobody has been given it, to
the triage staff. A reminder is a row, unique per (case, person, trigger), so a sweep run twice -- or by two
workers at once -- owes nothing twice. `send_digests(today)` then sends each person one notification listing every
case owed to them, claiming the rows first, so no one gets the same digest twice. The moment a case is answered
or closed, it is no longer swept.
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
from trongtam.feedback.domain.cases import triagers
from trongtam.feedback.enums import FeedbackStatus, ReminderKind
from trongtam.feedback.models import Feedback, FeedbackReminder
from trongtam.org.enums import Role
from trongtam.org.models import Person
from trongtam.workdays.domain.calendar import WorkCalendar

REMIND_WORKING_DAYS = 2


def owed(due: dt.date, today: dt.date, calendar: WorkCalendar) -> tuple[str, str] | None:
    """The (kind, trigger) owed today for a case due on `due`, or None."""
    if today > due:
        return ReminderKind.OVERDUE, f"overdue:{due.isoformat()}"
    if today >= calendar.add_working_days(due, -REMIND_WORKING_DAYS):
        return ReminderKind.BEFORE, f"before:{due.isoformat()}"
    return None


def sweep(today: dt.date, calendar: WorkCalendar) -> int:
    """Record every reminder owed today; return how many were new."""
    heads = dict(
        Person.objects.filter(role=Role.HEAD, is_active=True, unit__isnull=False).values_list("unit_id", "pk")
    )
    triage = [p.pk for p in triagers()]
    rows: list[FeedbackReminder] = []
    cases = Feedback.objects.filter(status__in=FeedbackStatus.awaiting_answer).values_list(
        "pk", "unit_id", "response_due", "assigned_to_id", "handler_id", "official_id"
    )
    for case_id, unit_id, due, assigned_id, handler_id, official_id in cases.iterator(chunk_size=2000):
        found = owed(due, today, calendar)
        if found is None:
            continue
        kind, trigger = found
        if assigned_id is None and handler_id is None:
            people = set(triage)
        else:
            people = {pk for pk in (handler_id or assigned_id, heads.get(unit_id)) if pk is not None}
        people.discard(official_id)  # never tell the person reported on
        rows += [
            FeedbackReminder(feedback_id=case_id, person_id=pk, kind=kind, trigger=trigger, due_on=today)
            for pk in sorted(people)
        ]
    with transaction.atomic():
        before = FeedbackReminder.objects.count()
        FeedbackReminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        return FeedbackReminder.objects.count() - before


def _line(reminder: Any) -> str:
    case = reminder.feedback
    label = {
        ReminderKind.BEFORE: _("hạn trả lời %(date)s"),
        ReminderKind.OVERDUE: _("đã quá hạn trả lời %(date)s"),
    }[ReminderKind(reminder.kind)] % {"date": date_format(case.response_due, "SHORT_DATE_FORMAT")}
    return f"• {case.tracking_code} ({case.unit.name}) — {label}"


def send_digests(today: dt.date) -> int:
    """One notification per person for every case owed up to today. Returns the number of digests sent."""
    people = (
        FeedbackReminder.objects.filter(digest_sent_on__isnull=True, due_on__lte=today)
        .values_list("person_id", flat=True)
        .distinct()
    )
    sent = 0
    for person_id in list(people):
        with transaction.atomic():
            pending = list(
                FeedbackReminder.objects.select_for_update(of=("self",))
                .filter(person_id=person_id, digest_sent_on__isnull=True, due_on__lte=today)
                .select_related("feedback", "feedback__unit")
                .order_by("feedback__response_due", "pk")
            )
            claimed = FeedbackReminder.objects.filter(
                pk__in=[r.pk for r in pending], digest_sent_on__isnull=True
            ).update(digest_sent_on=today)
            if not claimed:
                continue
            notify(
                [Person.objects.get(pk=person_id)],
                kind=NotificationKind.REMINDER,
                title=_("Nhắc trả lời phản ánh ngày %(date)s: %(count)s phản ánh cần chú ý")
                % {"date": date_format(today, "SHORT_DATE_FORMAT"), "count": len(pending)},
                body="\n".join(_line(r) for r in pending),
                url=pending[0].feedback.get_absolute_url()
                if len(pending) == 1
                else reverse("feedback:feedback-list"),
            )
            sent += 1
    return sent
