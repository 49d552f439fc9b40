"""The calendar as the rest of the product gets it: statutory rules plus the administrator's exceptions."""

from __future__ import annotations

from trongtam.workdays.domain.calendar import WorkCalendar
from trongtam.workdays.models import CalendarException, DayKind


def work_calendar() -> WorkCalendar:
    """A calendar with the current exceptions (one small query). Hold it for a batch; build a new one per request."""
    rows = CalendarException.objects.values_list("day", "kind")
    return WorkCalendar({day: kind == DayKind.WORKING_DAY for day, kind in rows})
