"""Deadlines as a directive states them: a date, N working days from the document's date, or a recurrence.

Pure functions over the calendar: they answer a date (or a list of dates) or raise `Problem`s naming the field.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trongtam.core.errors import Problem, RuleViolations
from trongtam.directives.models import Frequency
from trongtam.workdays.domain.calendar import WorkCalendar


class DeadlineKind:
    DATE = "date"
    WORKING_DAYS = "working_days"
    RECURRING = "recurring"
    NONE = "none"

    choices = [
        (DATE, _("Đến ngày")),
        (WORKING_DAYS, _("Trong số ngày làm việc kể từ ngày văn bản")),
        (RECURRING, _("Định kỳ")),
        (NONE, _("Không có thời hạn")),
    ]


@dataclass(frozen=True)
class DeadlineSpec:
    kind: str
    date: dt.date | None = None
    working_days: int | None = None
    frequency: str | None = None
    day: int | None = None
    until: dt.date | None = None


def _d(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def single_deadline(
    spec: DeadlineSpec, issued_on: dt.date, calendar: WorkCalendar, field: str
) -> dt.date | None:
    """The deadline of a one-off task, or None for a task without one. Raises a list of Problems."""
    if spec.kind == DeadlineKind.NONE:
        return None
    if spec.kind == DeadlineKind.DATE:
        if spec.date is None:
            raise RuleViolations([Problem(_("Cần nhập thời hạn."), f"{field}.date")])
        if spec.date < issued_on:
            raise RuleViolations(
                [
                    Problem(
                        _("Thời hạn %(deadline)s trước ngày ban hành văn bản %(issued)s.")
                        % {"deadline": _d(spec.date), "issued": _d(issued_on)},
                        f"{field}.date",
                    )
                ]
            )
        return spec.date
    if spec.kind == DeadlineKind.WORKING_DAYS:
        if spec.working_days is None or not 1 <= spec.working_days <= 366:
            raise RuleViolations([Problem(_("Số ngày làm việc phải từ 1 đến 366."), f"{field}.working_days")])
        return calendar.add_working_days(issued_on, spec.working_days)
    raise RuleViolations([Problem(_("Loại thời hạn không hợp lệ."), f"{field}.kind")])


def recurrence_dates(
    *, frequency: str, day: int, starts_on: dt.date, ends_on: dt.date, calendar: WorkCalendar
) -> list[dt.date]:
    """Every due date of a recurrence in [starts_on, ends_on], moved to the next working day where needed."""
    months = range(1, 13) if frequency == Frequency.MONTHLY else (3, 6, 9, 12)
    dates = []
    for year in range(starts_on.year, ends_on.year + 1):
        for month in months:
            last = month_calendar.monthrange(year, month)[1]
            nominal = dt.date(year, month, min(day, last))
            if starts_on <= nominal <= ends_on:
                dates.append(calendar.working_day_on_or_after(nominal))
    return dates


def recurring_deadlines(
    spec: DeadlineSpec, issued_on: dt.date, calendar: WorkCalendar, field: str
) -> list[dt.date]:
    problems = []
    if spec.frequency not in Frequency.values:
        problems.append(Problem(_("Chọn tần suất: hằng tháng hoặc hằng quý."), f"{field}.frequency"))
    if spec.day is None or not 1 <= spec.day <= 31:
        problems.append(Problem(_("Ngày trong tháng phải từ 1 đến 31."), f"{field}.day"))
    if spec.until is None:
        problems.append(Problem(_("Cần nhập ngày kết thúc của nhiệm vụ định kỳ."), f"{field}.until"))
    elif spec.until < issued_on:
        problems.append(
            Problem(
                _("Ngày kết thúc %(until)s trước ngày ban hành văn bản %(issued)s.")
                % {"until": _d(spec.until), "issued": _d(issued_on)},
                f"{field}.until",
            )
        )
    elif spec.until > issued_on + dt.timedelta(days=3 * 366):
        problems.append(Problem(_("Nhiệm vụ định kỳ kéo dài tối đa 3 năm."), f"{field}.until"))
    if problems:
        raise RuleViolations(problems)
    assert spec.frequency is not None  # noqa: S101
    assert spec.day is not None  # noqa: S101
    assert spec.until is not None  # noqa: S101
    dates = recurrence_dates(
        frequency=spec.frequency, day=spec.day, starts_on=issued_on, ends_on=spec.until, calendar=calendar
    )
    if not dates:
        raise RuleViolations(
            [
                Problem(
                    _("Từ %(start)s đến %(until)s không có kỳ nào đến hạn; hãy kiểm tra ngày và tần suất.")
                    % {"start": _d(issued_on), "until": _d(spec.until)},
                    f"{field}.until",
                )
            ]
        )
    return dates
