"""The working-day calendar: examples around Tết and National Day 2025-2027, and properties of the arithmetic."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trongtam.workdays.domain.calendar import WorkCalendar
from trongtam.workdays.domain.queries import work_calendar

D = dt.date
PLAIN = WorkCalendar()  # the statutory calendar alone, without the province's exceptions


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 1, 27), False),  # 29 Tết Ất Tỵ
        (D(2025, 2, 1), False),  # mùng 4 Tết, a Saturday
        (D(2025, 2, 3), True),
        (D(2025, 4, 7), False),  # Giỗ Tổ Hùng Vương
        (D(2025, 4, 26), True),  # Saturday worked in exchange for Fri 2/5
        (D(2025, 5, 2), False),
        (D(2025, 9, 1), False),  # National Day, second day
        (D(2025, 9, 2), False),
        (D(2026, 1, 1), False),
        (D(2026, 2, 13), True),  # last working day before Tết Bính Ngọ
        (D(2026, 2, 16), False),  # giao thừa
        (D(2026, 2, 20), False),  # mùng 4
        (D(2026, 2, 23), True),
        (D(2026, 4, 27), False),  # Giỗ Tổ falls on Sunday 26/4: observed Monday
        (D(2026, 8, 22), True),  # Saturday worked in exchange for Mon 31/8
        (D(2026, 8, 31), False),
        (D(2026, 11, 24), False),  # Ngày Văn hóa Việt Nam, from 2026
        (D(2027, 2, 5), False),  # giao thừa Tết Đinh Mùi
        (D(2027, 2, 10), False),
        (D(2027, 2, 11), True),
        (D(2027, 9, 3), False),
    ],
)
def test_statutory_days(day: dt.date, working: bool) -> None:
    assert PLAIN.is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "days", "deadline"),
    [
        (D(2025, 1, 24), 1, D(2025, 2, 3)),  # across Tết 2025
        (D(2025, 8, 29), 1, D(2025, 9, 3)),  # across National Day 2025
        (D(2026, 2, 13), 1, D(2026, 2, 23)),  # across Tết 2026
        (D(2026, 2, 6), 15, D(2026, 3, 6)),  # "within 15 working days" of a notice dated 6/2/2026
        (D(2026, 8, 28), 1, D(2026, 9, 3)),
        (D(2027, 2, 3), 1, D(2027, 2, 11)),
        (D(2026, 2, 23), -1, D(2026, 2, 13)),
        (D(2026, 3, 2), 0, D(2026, 3, 2)),
    ],
)
def test_adding_working_days(start: dt.date, days: int, deadline: dt.date) -> None:
    assert PLAIN.add_working_days(start, days) == deadline
    assert PLAIN.working_days_between(start, deadline) == days


def test_holiday_names_are_vietnamese() -> None:
    assert PLAIN.holiday_name(D(2026, 9, 2)) == "Quốc khánh"
    assert "Tết" in PLAIN.holiday_name(D(2026, 2, 17))
    assert PLAIN.holiday_name(D(2026, 3, 2)) == ""


@pytest.mark.django_db
def test_the_2026_new_year_swap_is_in_the_provinces_calendar() -> None:
    """Văn bản 12729/VPCP-KGVX: off Fri 2/1/2026, worked Sat 10/1/2026 (the package lacks it)."""
    calendar = work_calendar()
    assert PLAIN.is_working_day(D(2026, 1, 2))
    assert not calendar.is_working_day(D(2026, 1, 2))
    assert calendar.is_working_day(D(2026, 1, 10))
    assert calendar.add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 5)


def test_an_exception_overrides_the_law() -> None:
    calendar = WorkCalendar({D(2026, 3, 2): False, D(2026, 3, 7): True})
    assert not calendar.is_working_day(D(2026, 3, 2))
    assert calendar.is_working_day(D(2026, 3, 7))
    assert calendar.add_working_days(D(2026, 2, 27), 1) == D(2026, 3, 3)


def test_dates_outside_the_calendar_are_refused() -> None:
    with pytest.raises(ValueError, match="ngoài phạm vi"):
        PLAIN.add_working_days(D(1999, 12, 31), 3)


# -- properties -----------------------------------------------------------------------------------------------

dates = st.dates(min_value=D(2001, 1, 1), max_value=D(2098, 12, 31))
counts = st.integers(min_value=0, max_value=400)
exceptions = st.dictionaries(
    st.dates(min_value=D(2024, 1, 1), max_value=D(2028, 12, 31)), st.booleans(), max_size=40
)


@given(dates, counts)
def test_adding_then_counting_gives_n_back(start: dt.date, days: int) -> None:
    assert PLAIN.working_days_between(start, PLAIN.add_working_days(start, days)) == days


@given(dates, st.integers(min_value=1, max_value=400))
def test_the_result_is_never_a_holiday_or_a_day_off(start: dt.date, days: int) -> None:
    deadline = PLAIN.add_working_days(start, days)
    assert deadline > start
    assert PLAIN.is_working_day(deadline)


@settings(max_examples=60)
@given(exceptions, st.dates(min_value=D(2024, 1, 1), max_value=D(2028, 6, 30)), st.integers(1, 60))
def test_with_any_exceptions_the_result_is_a_working_day(
    table: dict[dt.date, bool], start: dt.date, days: int
) -> None:
    calendar = WorkCalendar(table)
    deadline = calendar.add_working_days(start, days)
    assert calendar.is_working_day(deadline)
    assert table.get(deadline, True) is True
    assert calendar.working_days_between(start, deadline) == days


@given(dates, dates, dates)
def test_counting_is_additive(a: dt.date, b: dt.date, c: dt.date) -> None:
    assert PLAIN.working_days_between(a, b) + PLAIN.working_days_between(b, c) == PLAIN.working_days_between(
        a, c
    )


@given(dates, counts)
def test_going_back_returns_to_a_working_start(start: dt.date, days: int) -> None:
    start = PLAIN.working_day_on_or_after(start)
    assert PLAIN.add_working_days(PLAIN.add_working_days(start, days), -days) == start


@given(dates)
def test_on_or_after_is_the_first_working_day_not_before(day: dt.date) -> None:
    found = PLAIN.working_day_on_or_after(day)
    assert found >= day
    assert PLAIN.is_working_day(found)
    assert PLAIN.working_days_between(day - dt.timedelta(days=1), found) == 1
