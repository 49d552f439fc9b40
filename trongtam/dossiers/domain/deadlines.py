"""Due dates and timeliness of one-stop dossiers: the one place they are computed (domain-vn.md §3.1, §3.4, §3.5).

The rules, with what each relies on:

- **The period starts the day after receipt** (Civil Code 2015 Art. 147): a procedure of N working days received
  on day D is due on the N-th working day after D, on the shared working-day calendar (holidays, Tết, the
  Government's swaps and the administrator's exceptions). A procedure of 0 days is due the day it is received.
- **Receipt outside office hours** -- after `DOSSIERS_OFFICE_CLOSES` (default 17:00, local time) or on a day that is
  not a working day, as an online dossier can be -- counts as receipt on the next working day. The provincial
  systems do so (their `HanTiepNhan`); the law does not say it in so many words (domain-vn.md §3.5, [U]), hence a
  setting.
- **The clock stops while a supplement is awaited**: the working days from the request to the day the citizen
  supplies the papers, (requested, supplied], are added to the due date (the systems pause on status 5 with
  `ThoiHanBoSung`; [U] in law). A pause never brings a due date earlier.
- **On time is judged on dates, not times**: finished before the due date is early, on it on time, after it late;
  a dossier without a due date is on time (domain-vn.md §3.4, the provincial report definitions). A dossier still
  open is in time while today ≤ its due date, overdue after; a paused one (supplement, fees) counts as in time.
  The new appointment date of an apology letter does not make a late dossier on time: the statistics judge against
  the legal due date, and the apology is counted beside it.
- **An apology letter is due at the latest one working day before the due date** (Decree 61/2018 Art. 19): a
  dossier is *at risk* from that day while it is open, and a letter drafted after that day is flagged late. For a
  procedure of 0 or 1 working day that day would fall on the day of receipt or before it, so there the letter is
  due on the working day after the receipt at the earliest (see `apology_deadline`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from trongtam.dossiers.enums import (
    ENDED_WITHOUT_RESULT,
    FINISHED,
    NOT_RECEIVED,
    OPEN,
    PAUSED,
    DossierStatus,
    Timeliness,
)
from trongtam.workdays.domain.calendar import WorkCalendar

DEFAULT_OFFICE_CLOSES = dt.time(17, 0)


def office_closes() -> dt.time:
    value = getattr(settings, "DOSSIERS_OFFICE_CLOSES", DEFAULT_OFFICE_CLOSES)
    return value if isinstance(value, dt.time) else dt.time.fromisoformat(str(value))


def reception_day(received_at: dt.datetime, calendar: WorkCalendar, closes: dt.time | None = None) -> dt.date:
    """The working day a receipt counts from: its own day if it is a working day and within office hours, else
    the next working day."""
    local = timezone.localtime(received_at) if timezone.is_aware(received_at) else received_at
    day = local.date()
    if calendar.is_working_day(day) and local.time() < (closes or office_closes()):
        return day
    return calendar.next_working_day(day)


def paused_working_days(
    requested_on: dt.date | None, supplied_on: dt.date | None, calendar: WorkCalendar
) -> int:
    """Working days in (requested, supplied]: the days the clock stood still; 0 until the papers arrive."""
    if requested_on is None or supplied_on is None or supplied_on <= requested_on:
        return 0
    return calendar.working_days_between(requested_on, supplied_on)


def due_date(
    received_at: dt.datetime,
    processing_days: int,
    calendar: WorkCalendar,
    *,
    paused_days: int = 0,
    closes: dt.time | None = None,
) -> dt.date:
    """The legal return date: `processing_days` working days after the reception day, plus the paused days."""
    if processing_days < 0 or paused_days < 0:
        raise ValueError("processing_days and paused_days must not be negative")
    start = reception_day(received_at, calendar, closes)
    return calendar.add_working_days(start, processing_days + paused_days)


def timeliness(status: int, due: dt.date | None, finished_on: dt.date | None, today: dt.date) -> Timeliness:
    """Where a dossier stands against its due date, compared as dates."""
    if status in NOT_RECEIVED or status == DossierStatus.STOPPED:
        return Timeliness.NOT_COUNTED
    if status in FINISHED:
        if due is None or finished_on is None or finished_on == due:
            return Timeliness.ON_TIME
        return Timeliness.EARLY if finished_on < due else Timeliness.LATE
    if status in ENDED_WITHOUT_RESULT:  # withdrawn: counted with on time
        return Timeliness.ON_TIME
    if status in PAUSED or due is None or today <= due:
        return Timeliness.OPEN_IN_TIME
    return Timeliness.OPEN_OVERDUE  # received or in process (OPEN), past its due date


def apology_deadline(due: dt.date, calendar: WorkCalendar, received_on: dt.date | None = None) -> dt.date:
    """The last day an apology letter may be drafted in time: one working day before the due date.

    For a procedure of 0 or 1 working day that day is not after the receipt -- nobody can know on the day a
    dossier arrives that it will be late -- so, given the day of receipt, the letter is due no earlier than the
    working day after it (for a 0-day procedure, the day after the due date: such a dossier is at risk only once
    it is overdue)."""
    deadline = calendar.add_working_days(due, -1)
    if received_on is not None:
        deadline = max(deadline, calendar.next_working_day(received_on))
    return deadline


def is_at_risk(
    status: int,
    due: dt.date | None,
    today: dt.date,
    calendar: WorkCalendar,
    received_on: dt.date | None = None,
) -> bool:
    """Open, not paused, and on or past the day the apology letter is due (see `apology_deadline`)."""
    return status in OPEN and due is not None and today >= apology_deadline(due, calendar, received_on)


@dataclass(frozen=True)
class Schedule:
    """What the dossier's dates give: the columns `Dossier` keeps."""

    received_on: dt.date | None  # the local date of receipt, as the reports count receipts
    due_date: dt.date | None
    paused_days: int


def schedule(
    received_at: dt.datetime | None,
    processing_days: int,
    calendar: WorkCalendar,
    *,
    supplement_requested_on: dt.date | None = None,
    supplement_received_on: dt.date | None = None,
    closes: dt.time | None = None,
) -> Schedule:
    """The reception day, due date and paused days of a dossier from its recorded dates; nothing before receipt."""
    if received_at is None:
        return Schedule(None, None, 0)
    paused = paused_working_days(supplement_requested_on, supplement_received_on, calendar)
    local = timezone.localtime(received_at) if timezone.is_aware(received_at) else received_at
    return Schedule(
        local.date(),
        due_date(received_at, processing_days, calendar, paused_days=paused, closes=closes),
        paused,
    )
