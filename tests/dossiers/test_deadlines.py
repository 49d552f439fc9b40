"""Due dates and timeliness of dossiers (trongtam/dossiers/domain/deadlines.py): a table of cases around weekends,
Tết 2026 and 2027, National Day and its swapped Saturday, Culture Day, receipts after 17:00 and on a Saturday,
0-day procedures and supplement pauses; then properties that must hold for every receipt and every date."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trongtam.dossiers.domain.deadlines import (
    apology_deadline,
    due_date,
    is_at_risk,
    paused_working_days,
    reception_day,
    schedule,
    timeliness,
)
from trongtam.dossiers.enums import DossierStatus, Timeliness
from trongtam.workdays.domain.calendar import WorkCalendar

pytestmark = pytest.mark.unit

D = dt.date
S = DossierStatus
T = Timeliness
CAL = WorkCalendar()  # the statutory calendar (holidays, Tết, the Government's swaps)
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=HCM)


def test_the_calendar_the_cases_rely_on() -> None:
    holidays = CAL.holidays_of(2026)
    assert [d for d in holidays if d.month == 2] == [D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18),
                                                     D(2026, 2, 19), D(2026, 2, 20)]  # fmt: skip
    assert {D(2026, 8, 31), D(2026, 9, 1), D(2026, 9, 2), D(2026, 11, 24)} <= holidays.keys()
    assert CAL.is_working_day(D(2026, 8, 22))  # a Saturday worked in exchange for Monday 31/8
    assert [d for d in CAL.holidays_of(2027) if d.month == 2] == [D(2027, 2, d) for d in range(4, 11)]


@pytest.mark.parametrize(
    ("received_at", "days", "due"),
    [
        # ordinary weeks: the period starts the day after receipt
        (at(D(2026, 3, 2)), 1, D(2026, 3, 3)),
        (at(D(2026, 3, 2)), 5, D(2026, 3, 9)),
        (at(D(2026, 3, 6)), 1, D(2026, 3, 9)),  # Friday: Monday next
        (at(D(2026, 3, 6)), 5, D(2026, 3, 13)),
        # 0 days: due the day of reception
        (at(D(2026, 3, 2), 10), 0, D(2026, 3, 2)),
        (at(D(2026, 3, 2), 17, 30), 0, D(2026, 3, 3)),
        (at(D(2026, 3, 7), 10), 0, D(2026, 3, 9)),  # Saturday, online
        # after 17:00 counts as received the next working day
        (at(D(2026, 3, 2), 16, 59), 1, D(2026, 3, 3)),
        (at(D(2026, 3, 2), 17, 0), 1, D(2026, 3, 4)),
        (at(D(2026, 3, 2), 17, 30), 1, D(2026, 3, 4)),
        (at(D(2026, 3, 6), 18), 1, D(2026, 3, 10)),  # Friday evening: received Monday, due Tuesday
        # a Saturday or a Sunday (online): received on Monday
        (at(D(2026, 3, 7), 10), 2, D(2026, 3, 11)),
        (at(D(2026, 3, 8), 23, 59), 1, D(2026, 3, 10)),
        (at(D(2026, 3, 9), 0, 5), 1, D(2026, 3, 10)),  # Monday just after midnight: a working day, early
        # Tết Bính Ngọ 2026 (16/2 - 20/2) with its weekends
        (at(D(2026, 2, 12)), 3, D(2026, 2, 24)),
        (at(D(2026, 2, 13)), 1, D(2026, 2, 23)),
        (at(D(2026, 2, 13), 17, 15), 1, D(2026, 2, 24)),
        (at(D(2026, 2, 17), 10), 0, D(2026, 2, 23)),  # online on the first day of Tết
        (at(D(2026, 2, 17), 10), 2, D(2026, 2, 25)),
        # Tết Đinh Mùi 2027 (4/2 - 10/2)
        (at(D(2027, 2, 3)), 1, D(2027, 2, 11)),
        (at(D(2027, 2, 3)), 3, D(2027, 2, 15)),
        (at(D(2027, 2, 6), 9), 1, D(2027, 2, 12)),
        # National Day 2026: Mon 31/8 off in exchange for Sat 22/8 worked, then 1-2/9
        (at(D(2026, 8, 21)), 1, D(2026, 8, 22)),  # due on the worked Saturday
        (at(D(2026, 8, 22), 10), 0, D(2026, 8, 22)),  # received on it
        (at(D(2026, 8, 28)), 1, D(2026, 9, 3)),
        (at(D(2026, 8, 28)), 2, D(2026, 9, 4)),
        # Culture Day 24/11/2026, New Year 2027, Giỗ Tổ observed on Monday 27/4/2026
        (at(D(2026, 11, 23)), 1, D(2026, 11, 25)),
        (at(D(2026, 12, 31)), 1, D(2027, 1, 4)),
        (at(D(2026, 4, 24)), 1, D(2026, 4, 28)),
        # a long procedure across Tết
        (at(D(2026, 2, 2)), 15, D(2026, 3, 2)),
    ],
)
def test_due_date_table(received_at: dt.datetime, days: int, due: dt.date) -> None:
    assert due_date(received_at, days, CAL) == due


@pytest.mark.parametrize(
    ("received_at", "day"),
    [
        (at(D(2026, 3, 2), 8), D(2026, 3, 2)),
        (at(D(2026, 3, 2), 17, 1), D(2026, 3, 3)),
        (at(D(2026, 2, 14), 9), D(2026, 2, 23)),  # Saturday before Tết: after Tết
        (at(D(2026, 9, 2), 9), D(2026, 9, 3)),
    ],
)
def test_reception_day(received_at: dt.datetime, day: dt.date) -> None:
    assert reception_day(received_at, CAL) == day


def test_closing_hour_is_a_setting(settings: Any) -> None:
    late = at(D(2026, 3, 2), 16, 45)
    assert due_date(late, 1, CAL) == D(2026, 3, 3)
    assert due_date(late, 1, CAL, closes=dt.time(16, 30)) == D(2026, 3, 4)
    settings.DOSSIERS_OFFICE_CLOSES = "16:30"
    assert due_date(late, 1, CAL) == D(2026, 3, 4)


@pytest.mark.parametrize(
    ("requested", "supplied", "paused"),
    [
        (D(2026, 3, 4), D(2026, 3, 6), 2),  # Thursday and Friday
        (D(2026, 3, 6), D(2026, 3, 9), 1),  # over a weekend: only Monday counts
        (D(2026, 2, 13), D(2026, 2, 23), 1),  # over Tết: only 23/2 counts
        (D(2026, 3, 4), D(2026, 3, 4), 0),  # the same day
        (D(2026, 3, 6), D(2026, 3, 4), 0),  # dates the wrong way round count for nothing
        (D(2026, 3, 4), None, 0),  # still awaited
        (None, D(2026, 3, 4), 0),
    ],
)
def test_paused_working_days(requested: dt.date | None, supplied: dt.date | None, paused: int) -> None:
    assert paused_working_days(requested, supplied, CAL) == paused


def test_schedule_adds_the_pause_to_the_due_date() -> None:
    plain = schedule(at(D(2026, 3, 2)), 5, CAL)
    assert plain == type(plain)(D(2026, 3, 2), D(2026, 3, 9), 0)
    paused = schedule(
        at(D(2026, 3, 2)), 5, CAL, supplement_requested_on=D(2026, 3, 4), supplement_received_on=D(2026, 3, 6)
    )
    assert paused == type(plain)(D(2026, 3, 2), D(2026, 3, 11), 2)
    awaited = schedule(at(D(2026, 3, 2)), 5, CAL, supplement_requested_on=D(2026, 3, 4))
    assert awaited.due_date == D(2026, 3, 9)  # the pause counts once the papers arrive


def test_schedule_keeps_the_local_date_of_receipt_even_after_hours() -> None:
    """`received_on` is the day the reports count the receipt on; the due date counts from the next day."""
    plan = schedule(at(D(2026, 3, 6), 18), 1, CAL)
    assert (plan.received_on, plan.due_date) == (D(2026, 3, 6), D(2026, 3, 10))
    utc = dt.datetime(2026, 3, 5, 20, 0, tzinfo=dt.UTC)  # 03:00 on 6/3 in Hà Nội
    assert schedule(utc, 0, CAL).received_on == D(2026, 3, 6)


def test_schedule_before_receipt_is_empty() -> None:
    plan = schedule(None, 5, CAL, supplement_requested_on=D(2026, 3, 4), supplement_received_on=D(2026, 3, 6))
    assert (plan.received_on, plan.due_date, plan.paused_days) == (None, None, 0)


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        due_date(at(D(2026, 3, 2)), -1, CAL)


DUE = D(2026, 3, 9)


@pytest.mark.parametrize(
    ("status", "due", "finished_on", "today", "expected"),
    [
        (S.DONE, DUE, D(2026, 3, 6), D(2026, 3, 20), T.EARLY),
        (S.RETURNED, DUE, DUE, D(2026, 3, 20), T.ON_TIME),
        (S.RETURNED, DUE, D(2026, 3, 10), D(2026, 3, 20), T.LATE),
        (
            S.DONE,
            None,
            D(2026, 3, 10),
            D(2026, 3, 20),
            T.ON_TIME,
        ),  # no due date: on time, as the reports count
        (S.WITHDRAWN, DUE, D(2026, 3, 20), D(2026, 3, 25), T.ON_TIME),
        (S.STOPPED, DUE, D(2026, 3, 20), D(2026, 3, 25), T.NOT_COUNTED),
        (S.SUBMITTED_ONLINE, None, None, D(2026, 3, 25), T.NOT_COUNTED),
        (S.REFUSED, None, None, D(2026, 3, 25), T.NOT_COUNTED),
        (S.RECEIVED, DUE, None, DUE, T.OPEN_IN_TIME),  # due today: still in time
        (S.IN_PROCESS, DUE, None, D(2026, 3, 10), T.OPEN_OVERDUE),
        (S.SUPPLEMENT_REQUESTED, DUE, None, D(2026, 3, 30), T.OPEN_IN_TIME),  # paused: in time
        (S.AWAITING_FEES, DUE, None, D(2026, 3, 30), T.OPEN_IN_TIME),
        (S.IN_PROCESS, None, None, D(2026, 3, 30), T.OPEN_IN_TIME),
    ],
)
def test_timeliness_table(
    status: int, due: dt.date | None, finished_on: dt.date | None, today: dt.date, expected: Timeliness
) -> None:
    assert timeliness(status, due, finished_on, today) == expected


def test_at_risk_from_one_working_day_before_the_due_date() -> None:
    due = D(2026, 2, 23)  # the Monday after Tết: the letter is due on the Friday before it
    assert apology_deadline(due, CAL) == D(2026, 2, 13)
    assert not is_at_risk(S.IN_PROCESS, due, D(2026, 2, 12), CAL)
    assert is_at_risk(S.IN_PROCESS, due, D(2026, 2, 13), CAL)
    assert is_at_risk(S.RECEIVED, due, D(2026, 2, 24), CAL)
    assert not is_at_risk(S.SUPPLEMENT_REQUESTED, due, D(2026, 2, 20), CAL)
    assert not is_at_risk(S.DONE, due, D(2026, 2, 20), CAL)
    assert not is_at_risk(S.IN_PROCESS, None, D(2026, 2, 20), CAL)


def test_a_same_day_or_next_day_procedure_is_not_at_risk_on_the_day_it_arrives() -> None:
    monday = D(2026, 3, 2)
    same_day = due_date(at(monday), 0, CAL)
    next_day = due_date(at(monday), 1, CAL)
    assert not is_at_risk(S.IN_PROCESS, same_day, monday, CAL, monday)
    assert not is_at_risk(S.IN_PROCESS, next_day, monday, CAL, monday)
    assert is_at_risk(S.IN_PROCESS, next_day, D(2026, 3, 3), CAL, monday)  # on its due date
    assert is_at_risk(S.IN_PROCESS, same_day, D(2026, 3, 3), CAL, monday)  # once overdue


@given(st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 12, 31)), st.integers(0, 30))
def test_the_apology_is_never_due_on_or_before_the_day_of_receipt(received: dt.date, days: int) -> None:
    due = CAL.add_working_days(CAL.working_day_on_or_after(received), days)
    deadline = apology_deadline(due, CAL, received)
    assert deadline > received
    assert deadline >= CAL.add_working_days(due, -1)  # never earlier than the rule's day


# -- properties -----------------------------------------------------------------------------------------------

receipts = st.datetimes(
    min_value=dt.datetime(2025, 12, 1),  # noqa: DTZ001 -- hypothesis takes naive bounds and adds the zone
    max_value=dt.datetime(2027, 12, 31),  # noqa: DTZ001
    timezones=st.just(HCM),
)
days = st.integers(min_value=0, max_value=60)
dates = st.dates(min_value=D(2025, 12, 1), max_value=D(2028, 6, 30))
FINISHED = [S.DONE, S.RETURNED]
ENDED = [S.DONE, S.RETURNED, S.WITHDRAWN, S.STOPPED, S.REFUSED]


@given(receipts, days, st.integers(min_value=0, max_value=40), st.sampled_from(FINISHED), dates)
def test_finished_on_or_before_the_due_date_is_never_late(
    received_at: dt.datetime, n: int, ahead: int, status: int, today: dt.date
) -> None:
    due = due_date(received_at, n, CAL)
    finished = due - dt.timedelta(days=ahead)
    assert timeliness(status, due, finished, today) in (T.EARLY, T.ON_TIME)


@given(receipts, days, dates, dates)
def test_a_pause_never_makes_the_due_date_earlier(
    received_at: dt.datetime, n: int, requested: dt.date, supplied: dt.date
) -> None:
    plain = schedule(received_at, n, CAL)
    paused = schedule(received_at, n, CAL, supplement_requested_on=requested, supplement_received_on=supplied)
    assert plain.due_date is not None
    assert paused.due_date is not None
    assert paused.due_date >= plain.due_date
    assert paused.paused_days >= 0


@given(receipts, days)
def test_the_due_date_is_a_working_day_after_the_receipt(received_at: dt.datetime, n: int) -> None:
    due = due_date(received_at, n, CAL)
    assert CAL.is_working_day(due)
    assert due >= received_at.date()
    assert CAL.working_days_between(reception_day(received_at, CAL), due) == n


@given(receipts, days, st.integers(min_value=0, max_value=30))
def test_more_processing_days_never_give_an_earlier_due_date(
    received_at: dt.datetime, n: int, more: int
) -> None:
    shorter, longer = due_date(received_at, n, CAL), due_date(received_at, n + more, CAL)
    assert longer >= shorter
    assert (longer > shorter) == (more > 0)


@given(receipts, st.integers(min_value=0, max_value=10))
def test_a_later_receipt_never_gives_an_earlier_due_date(received_at: dt.datetime, hours: int) -> None:
    later = received_at + dt.timedelta(hours=hours)
    assert due_date(later, 3, CAL) >= due_date(received_at, 3, CAL)


@given(st.sampled_from(list(S)), st.none() | dates, st.none() | dates, dates)
def test_timeliness_is_a_function_of_its_arguments(
    status: int, due: dt.date | None, finished_on: dt.date | None, today: dt.date
) -> None:
    first = timeliness(status, due, finished_on, today)
    assert first == timeliness(status, due, finished_on, today)
    assert first in Timeliness


@given(st.sampled_from(ENDED), st.none() | dates, st.none() | dates, dates, dates)
def test_a_finished_dossiers_verdict_does_not_change_with_today(
    status: int, due: dt.date | None, finished_on: dt.date | None, today: dt.date, later: dt.date
) -> None:
    assert timeliness(status, due, finished_on, today) == timeliness(status, due, finished_on, later)


@given(st.sampled_from([S.RECEIVED, S.IN_PROCESS]), dates, dates)
def test_an_open_dossier_is_overdue_exactly_after_its_due_date(
    status: int, due: dt.date, today: dt.date
) -> None:
    expected = T.OPEN_OVERDUE if today > due else T.OPEN_IN_TIME
    assert timeliness(status, due, None, today) == expected
