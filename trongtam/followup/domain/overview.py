"""The follow-up overview: the Government's 2×2 per unit, per sector and per Vice-Chairman, in SQL.

Every figure is one aggregate query (COUNT ... FILTER per cell), never a loop over tasks. The tasks counted
are those assigned within the chosen range, with their status as of today; the 2×2 and the completion rate
follow Report 1270/BC-TCTTTg (see `status.py`). Reporting periods follow Decree 09/2019: a month runs from
the 15th of the previous month to the 14th, a year from 15/12 of the previous year to 14/12.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from trongtam.followup.domain.status import Tally, outcome_q
from trongtam.followup.enums import Delivery, Lifecycle, Outcome
from trongtam.followup.models import Task
from trongtam.org.domain.queries import areas_by_unit
from trongtam.org.enums import Role

CELLS = {cell.value: cell for cell in Outcome}


def reporting_period(kind: str, year: int, number: int = 1) -> tuple[dt.date, dt.date]:
    """Decree 09/2019 data cut-off: month `number`, quarter `number`, half `number` or the year."""

    def span(first_month: int, last_month: int) -> tuple[dt.date, dt.date]:
        start_year, start_month = (year - 1, 12) if first_month == 1 else (year, first_month - 1)
        return dt.date(start_year, start_month, 15), dt.date(year, last_month, 14)

    if kind == "month":
        return span(number, number)
    if kind == "quarter":
        return span(3 * number - 2, 3 * number)
    if kind == "half":
        return span(6 * number - 5, 6 * number)
    return span(1, 12)


def tasks_in_scope(user: Any) -> QuerySet[Task]:
    """The tasks whose figures this person may see: all of them, their units', or their own unit's."""
    qs = Task.objects.all()
    if user.is_province_wide or user.role == Role.COUNCIL:
        return qs
    if user.role == Role.VICE_CHAIRMAN:
        return qs.filter(lead_unit_id__in=user.charged_unit_ids)
    if user.unit_id:
        return qs.filter(lead_unit_id=user.unit_id)
    return qs.none()


def tasks_in_range(user: Any, start: dt.date | None, end: dt.date | None) -> QuerySet[Task]:
    """The tasks of the person's scope assigned within the range (either end may be open): what the overview,
    its Excel export and `GET /overview` all count."""
    qs = tasks_in_scope(user)
    if start:
        qs = qs.filter(assigned_on__gte=start)
    if end:
        qs = qs.filter(assigned_on__lte=end)
    return qs


def worst_first(units: list[Row]) -> list[Row]:
    """Units with the most open overdue tasks first, then the most tasks, then by name."""
    return sorted(units, key=lambda r: (-r.tally.open_overdue, -r.tally.total, r.label))


def _cells(today: dt.date) -> dict[str, Count]:
    return {cell.value: Count("pk", filter=outcome_q(cell, today)) for cell in Outcome}


@dataclass(frozen=True)
class Row:
    key: Any
    label: str
    tally: Tally


def _rows(values: Any, key: str, label: str) -> list[Row]:
    return [Row(v[key], v[label] or "—", Tally(**{name: v[name] for name in CELLS})) for v in values]


def totals(rows: list[Row]) -> Tally:
    """The whole scope, summed from the per-unit rows (already aggregated: at most one row per unit)."""
    return _sum(rows)


def _sum(rows: Any) -> Tally:
    return Tally(**{cell: sum(getattr(r.tally, cell) for r in rows) for cell in CELLS})


def by_unit(qs: QuerySet[Task], today: dt.date) -> list[Row]:
    """The one aggregate query the overview needs: the 2×2 of every lead unit."""
    values = qs.values("lead_unit", "lead_unit__name").annotate(**_cells(today)).order_by("lead_unit__name")
    return _rows(values, "lead_unit", "lead_unit__name")


def regroup(units: list[Row]) -> tuple[list[Row], list[Row]]:
    """Per Vice-Chairman and per sector, summed from the per-unit rows (no second pass over the tasks)."""
    areas = areas_by_unit()
    by_vc: dict[Any, list[Row]] = defaultdict(list)
    by_sector: dict[Any, list[Row]] = defaultdict(list)
    names: dict[Any, str] = {}
    for row in units:
        unit_areas = areas.get(row.key, [])
        for vc_id in {a.vice_chairman_id for a in unit_areas}:  # a unit counts once per Vice-Chairman
            by_vc[vc_id].append(row)
        for sector in {a.sector for a in unit_areas}:
            by_sector[sector].append(row)
        names.update({a.vice_chairman_id: a.vice_chairman_name for a in unit_areas})
    vcs = sorted((Row(k, names[k], _sum(rows)) for k, rows in by_vc.items()), key=lambda r: r.label)
    sectors = sorted((Row(k, k, _sum(rows)) for k, rows in by_sector.items()), key=lambda r: r.label)
    return vcs, sectors


def slow_and_missed(qs: QuerySet[Task], today: dt.date) -> QuerySet[Task]:
    """Open tasks that are overdue or judged red: the list the Chairman asks about first."""
    return (
        qs.filter(
            Q(outcome_q(Outcome.OPEN_OVERDUE, today)) | Q(lifecycle__in=Lifecycle.open, delivery=Delivery.RED)
        )
        .select_related("lead_unit", "directive")
        .order_by("deadline", "pk")
    )
