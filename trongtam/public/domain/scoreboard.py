"""The public scoreboard: for a period, every active unit's one-stop dossiers, apology letters, citizens' feedback
and satisfaction, departments and communes apart, with a ranking by the on-time rate.

The dossier figures are the internal statistics' own (`trongtam.dossiers.domain.statistics.report`, by unit), so
that a citizen and an official read the same rate for the same unit. A period is judged as of its last day, or
today if sooner (the cut-off). Definitions (domain-vn.md §3.4, dates compared as dates; the page states them):

- **received**: dossiers whose reception day falls in the period (not those refused or awaiting reception);
- **processed**: dossiers done or returned whose processing ended in the period; **on time**: those that ended on
  or before their due date (or have none) -- early plus on time; **late**: after it. The new appointment date of
  an apology letter does not make a late dossier on time;
- **withdrawn**: dossiers the citizen withdrew in the period, counted with on time, as the provincial reports do;
- **on-time rate** (Decision 766/QĐ-TTg) = (on time + withdrawn) / (processed + withdrawn) -- one denominator for
  every unit;
- **overdue, still open**: dossiers being processed at the cut-off and past their due date on that day;
- **apology letters issued**: letters signed by the unit's leader in the period;
- **feedback**: reports received in the period, of those the answered ones, and of those the ones answered by
  their response deadline;
- **satisfaction**: ratings given in the period, and the share "satisfied" or "very satisfied".

**Ranking** (product.md, Lessons: a minimum volume and one denominator): a unit is ranked only with at least
`minimum_dossiers()` dossiers in the rate's denominator in the period (the `PUBLIC_SCOREBOARD_MIN_DOSSIERS`
setting, 30 by default); below it the unit is listed, unranked. Units with the same rate share a rank (1, 1, 3).

**Aggregate queries only**: a constant number of queries whatever the number of units or dossiers (six at most) --
the statistics report's (dossiers, letters, ratings, each grouped by unit in the database, and the names of the
units found), the feedback grouped by unit, and the units listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trongtam.dossiers.domain import statistics
from trongtam.dossiers.domain.statistics import Figures
from trongtam.feedback.enums import FeedbackStatus
from trongtam.feedback.models import Feedback
from trongtam.org.enums import UnitKind
from trongtam.org.models import Unit

DEFAULT_MINIMUM = 30
FIRST_YEAR = 2018  # Decree 61/2018: the one-stop rules the figures follow

GROUP_DEPARTMENTS = "departments"
GROUP_COMMUNES = "communes"
GROUPS = {
    GROUP_DEPARTMENTS: gettext_lazy("Sở, ban, ngành và tương đương"),
    GROUP_COMMUNES: gettext_lazy("Xã, phường, đặc khu"),
}
COMMUNE_KINDS = frozenset({UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE})
# Listed even without a dossier in the period: the units that receive and decide procedures. Any other active unit
# (a division, a public service unit) is listed when it has figures in the period.
LISTED_KINDS = frozenset(
    {UnitKind.DEPARTMENT, UnitKind.SECTOR_AGENCY, UnitKind.SERVICE_CENTER, *COMMUNE_KINDS}
)
ANSWERED = (FeedbackStatus.ANSWERED, FeedbackStatus.CLOSED)
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def minimum_dossiers() -> int:
    """Processed dossiers a unit needs in the period to be ranked (a setting)."""
    return int(getattr(settings, "PUBLIC_SCOREBOARD_MIN_DOSSIERS", DEFAULT_MINIMUM))


# -- the period --------------------------------------------------------------------------------------------------


def part_choices() -> list[tuple[str, str]]:
    """The parts of a year one may choose: the whole year, a quarter (q1…q4) or a month (t1…t12)."""
    return [
        ("", _("Cả năm")),
        *((f"q{q}", _("Quý %(q)s") % {"q": ROMAN[q]}) for q in range(1, 5)),
        *((f"t{m}", _("Tháng %(m)s") % {"m": m}) for m in range(1, 13)),
    ]


def year_choices(today: dt.date) -> list[int]:
    return list(range(today.year, FIRST_YEAR - 1, -1))


@dataclass(frozen=True)
class Window:
    """The period the scoreboard counts: a year, a quarter or a month, with its first and last days."""

    year: int
    part: str
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        if self.part.startswith("q"):
            return _("Quý %(q)s năm %(year)s") % {"q": ROMAN[int(self.part[1:])], "year": self.year}
        if self.part.startswith("t"):
            return _("Tháng %(m)s năm %(year)s") % {"m": int(self.part[1:]), "year": self.year}
        return _("Năm %(year)s") % {"year": self.year}


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def window(year: Any, part: Any, today: dt.date) -> Window:
    """The period asked for; this year when the year is missing or out of range, the whole year when the part
    is not one of `part_choices()`."""
    try:
        chosen_year = int(year)
    except (TypeError, ValueError):
        chosen_year = today.year
    if chosen_year not in year_choices(today):
        chosen_year = today.year
    part = part if part in dict(part_choices()) else ""
    if part.startswith("q"):
        quarter = int(part[1:])
        start = dt.date(chosen_year, 3 * quarter - 2, 1)
        return Window(chosen_year, part, start, _month_end(chosen_year, 3 * quarter))
    if part.startswith("t"):
        month = int(part[1:])
        return Window(chosen_year, part, dt.date(chosen_year, month, 1), _month_end(chosen_year, month))
    return Window(chosen_year, "", dt.date(chosen_year, 1, 1), dt.date(chosen_year, 12, 31))


# -- the rows ----------------------------------------------------------------------------------------------------


@dataclass
class UnitRow:
    """One unit: its dossier figures (the internal statistics' own, `statistics.Figures`), its feedback, and its
    rank (None below the minimum)."""

    unit_id: int
    code: str
    name: str
    group: str
    figures: Figures = field(default_factory=Figures)
    feedback_received: int = 0
    feedback_answered: int = 0
    feedback_on_time: int = 0
    rank: int | None = None
    eligible: bool = False

    @property
    def received(self) -> int:
        return self.figures.received

    @property
    def processed(self) -> int:
        return self.figures.processed

    @property
    def on_time(self) -> int:
        """Processed early or on the due date."""
        return self.figures.early + self.figures.on_time

    @property
    def late(self) -> int:
        return self.figures.late

    @property
    def withdrawn(self) -> int:
        return self.figures.withdrawn

    @property
    def settled(self) -> int:
        """The on-time rate's denominator: processed plus withdrawn."""
        return self.figures.processed + self.figures.withdrawn

    @property
    def open_overdue(self) -> int:
        return self.figures.open_overdue

    @property
    def letters(self) -> int:
        return self.figures.letters

    @property
    def ratings(self) -> int:
        return self.figures.ratings

    @property
    def satisfied(self) -> int:
        return self.figures.satisfied

    @property
    def on_time_rate(self) -> Decimal | None:
        return self.figures.on_time_rate

    @property
    def exact_rate(self) -> Fraction | None:
        return Fraction(self.on_time + self.withdrawn, self.settled) if self.settled else None

    @property
    def satisfied_rate(self) -> Decimal | None:
        return self.figures.satisfaction_rate


@dataclass
class GroupRows:
    key: str
    label: str
    rows: list[UnitRow] = field(default_factory=list)

    @property
    def ranked(self) -> list[UnitRow]:
        return [row for row in self.rows if row.rank is not None]


@dataclass(frozen=True)
class Scoreboard:
    window: Window
    cut_off: dt.date  # the day the period is judged on: its last day, or today if sooner
    minimum: int
    groups: list[GroupRows]

    @property
    def started(self) -> bool:
        return self.window.start <= self.cut_off

    def rows(self) -> list[UnitRow]:
        return [row for group in self.groups for row in group.rows]


def rank_rows(rows: Iterable[UnitRow], minimum: int) -> list[UnitRow]:
    """Rank the units with at least `minimum` dossiers in the rate's denominator by on-time rate (best first,
    equal rates share a rank); then the others, unranked, by name. Ties are listed by volume, then name."""
    eligible: list[UnitRow] = []
    others: list[UnitRow] = []
    for row in rows:
        row.eligible = row.settled >= max(minimum, 1)
        row.rank = None
        (eligible if row.eligible else others).append(row)
    eligible.sort(key=lambda r: (-(r.exact_rate or 0), -r.settled, r.name, r.unit_id))
    for position, row in enumerate(eligible, start=1):
        previous = eligible[position - 2] if position > 1 else None
        row.rank = (
            previous.rank if previous is not None and previous.exact_rate == row.exact_rate else position
        )
    others.sort(key=lambda r: (r.name, r.unit_id))
    return eligible + others


def _dossier_figures(period: Window, cut_off: dt.date) -> dict[int, Figures]:
    """The internal statistics' report by unit, judged as of the cut-off (its aggregate queries)."""
    units = Unit.objects.filter(is_active=True)
    judged = statistics.Filters(statistics.Window(period.start, cut_off))
    return {row.key: row.figures for row in statistics.report(units, judged, statistics.Grouping.UNIT).rows}


def _feedback_figures(period: Window) -> dict[int, dict[str, int]]:
    answered = Q(status__in=ANSWERED, answered_on__isnull=False)
    rows = (
        Feedback.objects.filter(received_on__range=(period.start, period.end))
        .order_by()
        .values("unit_id")
        .annotate(
            feedback_received=Count("pk"),
            feedback_answered=Count("pk", filter=answered),
            feedback_on_time=Count("pk", filter=answered & Q(answered_on__lte=F("response_due"))),
        )
    )
    return {row.pop("unit_id"): row for row in rows}


def group_of(kind: str) -> str:
    return GROUP_COMMUNES if kind in COMMUNE_KINDS else GROUP_DEPARTMENTS


def build(period: Window, today: dt.date, minimum: int | None = None) -> Scoreboard:
    """The scoreboard of `period` as of `today`, in a constant number of queries (fewer for a period yet to start,
    which has no dossier figures)."""
    minimum = minimum_dossiers() if minimum is None else minimum
    cut_off = min(period.end, today)
    dossiers = _dossier_figures(period, cut_off) if period.start <= cut_off else {}
    feedback = _feedback_figures(period)
    with_figures = set(dossiers) | set(feedback)
    units = Unit.objects.filter(
        Q(kind__in=LISTED_KINDS) | Q(pk__in=with_figures), is_active=True
    ).values_list("pk", "code", "name", "kind")
    groups = {key: GroupRows(key, str(label)) for key, label in GROUPS.items()}
    for pk, code, name, kind in units:
        row = UnitRow(
            unit_id=pk, code=code, name=name, group=group_of(kind), figures=dossiers.get(pk, Figures())
        )
        for key, value in feedback.get(pk, {}).items():
            setattr(row, key, value)
        groups[row.group].rows.append(row)
    for group in groups.values():
        group.rows = rank_rows(group.rows, minimum)
    return Scoreboard(window=period, cut_off=cut_off, minimum=minimum, groups=list(groups.values()))
