"""Working days in Vietnam: the one calendar every deadline of the product is computed with.

A day is a working day when it is Monday to Friday and not a public holiday, or a Saturday/Sunday the
Government made a make-up working day -- unless the administrator's table (`CalendarException`) says otherwise.
Public holidays, lunar ones included, and the Government's published swaps come from the `holidays` package
(Labor Code 2019 Art. 112; Vietnam Cultural Day 24/11 from 2026); the province adds what the package lacks.

Counting follows the Civil Code (Art. 147-148): a period of N working days starts on the day after the event,
so `add_working_days(d, N)` is the N-th working day after d, and `working_days_between(a, b)` counts the
working days in (a, b]. Both use a sorted index of working days, so each call is a binary search.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Mapping
from functools import cache

import holidays

FIRST_YEAR = 2000
LAST_YEAR = 2100


@cache
def _statutory(year: int) -> tuple[dict[dt.date, str], frozenset[dt.date]]:
    """The package's holidays of `year` (Vietnamese names) and its make-up working weekend days."""
    calendar = holidays.country_holidays("VN", years=year, language="vi")
    named = {day: str(name) for day, name in calendar.items() if day.year == year}
    workdays = frozenset(d for d in getattr(calendar, "weekend_workdays", ()) if d.year == year)
    return named, workdays


class WorkCalendar:
    """Working days, given the administrator's exceptions (date -> is it a working day)."""

    def __init__(self, exceptions: Mapping[dt.date, bool] | None = None) -> None:
        self._exceptions = dict(exceptions or {})
        self._years: tuple[int, int] | None = None
        self._index: list[int] = []  # ordinals of the working days of the covered years, ascending

    # -- single days ---------------------------------------------------------------------------------------

    def is_working_day(self, day: dt.date) -> bool:
        if day in self._exceptions:
            return self._exceptions[day]
        named, workdays = _statutory(day.year)
        if day in workdays:
            return True
        return day.weekday() < 5 and day not in named

    def holiday_name(self, day: dt.date) -> str:
        """The public holiday's Vietnamese name, or "" if `day` is not one."""
        return _statutory(day.year)[0].get(day, "")

    def holidays_of(self, year: int) -> dict[dt.date, str]:
        return dict(sorted(_statutory(year)[0].items()))

    # -- counting ------------------------------------------------------------------------------------------

    def _cover(self, first: int, last: int) -> None:
        first, last = max(first, FIRST_YEAR), min(last, LAST_YEAR)
        if self._years is not None and self._years[0] <= first and last <= self._years[1]:
            return
        if self._years is not None:
            first, last = min(first, self._years[0]), max(last, self._years[1])
        day, end = dt.date(first, 1, 1), dt.date(last, 12, 31)
        index = []
        while day <= end:
            if self.is_working_day(day):
                index.append(day.toordinal())
            day += dt.timedelta(days=1)
        self._years, self._index = (first, last), index

    def _check(self, day: dt.date) -> None:
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValueError(f"Ngày {day:%d/%m/%Y} nằm ngoài phạm vi lịch ({FIRST_YEAR}–{LAST_YEAR}).")

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        self._check(start)
        self._check(end)
        self._cover(start.year, end.year)
        return bisect_right(self._index, end.toordinal()) - bisect_right(self._index, start.toordinal())

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The `days`-th working day after `start` (before it, if negative); `start` itself for 0."""
        self._check(start)
        if days == 0:
            return start
        span = abs(days) // 200 + 2  # 200+ working days a year: enough years to hold the answer
        if days > 0:
            self._cover(start.year, start.year + span)
            position = bisect_right(self._index, start.toordinal()) + days - 1
        else:
            self._cover(start.year - span, start.year)
            position = bisect_right(self._index, start.toordinal() - 1) + days
        if not 0 <= position < len(self._index):
            raise ValueError(f"Kết quả nằm ngoài phạm vi lịch ({FIRST_YEAR}–{LAST_YEAR}).")
        return dt.date.fromordinal(self._index[position])

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after `day`."""
        return self.add_working_days(day, 1)

    def working_day_on_or_after(self, day: dt.date) -> dt.date:
        """`day` if it is a working day, else the next one (Civil Code Art. 148: a period ending on a day off)."""
        return day if self.is_working_day(day) else self.next_working_day(day)
