"""What inspections measure for the assessment rubric: violations of administrative discipline found in a unit,
and those of a person, over the period as of the round's cut-off.

A violation counts when the inspection that found it was held (its findings recorded) from the period's start to
the cut-off (or the period's end, if earlier). A remedy does not erase it: the violation happened. The records
behind each value are the violations, in the order they were found (`inspections.violation`; their page is the
inspection's).

Each metric has a batch form (`*_many`) of one query whatever the number of subjects; the per-subject form is the
batch of one. A unit is measured directly; a person for `violations_unit` through their unit. `violations_official`
counts the violations recorded against the person; a unit has no such value (None: nothing to measure).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from trongtam.assessment.domain.rubric import MetricValue, register_metric
from trongtam.inspections.domain.queries import held_violations
from trongtam.inspections.enums import ViolationKind, violation_code

RECORD_KIND = "inspections.violation"
FOUND_BY_INSPECTION = _("Kiểm tra công vụ phát hiện")


def _is_unit(subject: Any) -> bool:
    return subject.__class__.__name__ == "Unit"


def _unit_id(subject: Any) -> int | None:
    return subject.pk if _is_unit(subject) else getattr(subject, "unit_id", None)


def _span(period: Any, cut_off: dt.date) -> tuple[dt.date, dt.date]:
    return period.start_date, min(period.end_date, cut_off)


def _counts(rows: Any) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for key, pk in rows:
        found.setdefault(key, []).append(pk)
    return found


def _value(ids: list[int]) -> MetricValue:
    return MetricValue(Decimal(len(ids)), tuple(ids), RECORD_KIND)


def violations_unit_many(subjects: Sequence[Any], period: Any, cut_off: dt.date, /) -> list[MetricValue]:
    """Violations found in each subject's unit (one query)."""
    unit_ids = sorted({u for u in map(_unit_id, subjects) if u is not None})
    found: dict[int, list[int]] = {}
    if unit_ids:
        rows = (
            held_violations(*_span(period, cut_off))
            .filter(inspection__unit_id__in=unit_ids)
            .order_by("inspection__conducted_on", "pk")
            .values_list("inspection__unit_id", "pk")
        )
        found = _counts(rows)
    return [
        _value(found.get(unit_id, [])) if unit_id is not None else MetricValue(None, (), RECORD_KIND)
        for unit_id in map(_unit_id, subjects)
    ]


def violations_official_many(subjects: Sequence[Any], period: Any, cut_off: dt.date, /) -> list[MetricValue]:
    """Violations recorded against each subject person (one query)."""
    person_ids = sorted({s.pk for s in subjects if not _is_unit(s)})
    found: dict[int, list[int]] = {}
    if person_ids:
        rows = (
            held_violations(*_span(period, cut_off))
            .filter(person_id__in=person_ids)
            .order_by("inspection__conducted_on", "pk")
            .values_list("person_id", "pk")
        )
        found = _counts(rows)
    return [
        MetricValue(None, (), RECORD_KIND) if _is_unit(s) else _value(found.get(s.pk, [])) for s in subjects
    ]


def violations_unit(subject: Any, period: Any, cut_off: dt.date, /) -> MetricValue:
    return violations_unit_many([subject], period, cut_off)[0]


def violations_official(subject: Any, period: Any, cut_off: dt.date, /) -> MetricValue:
    return violations_official_many([subject], period, cut_off)[0]


def register() -> None:
    """Called from the app's ready(): the metrics, and the kinds of violation in the rankings' registry of repeat
    violations (a unit whose sheet carries the same kind in consecutive periods is flagged there)."""
    from trongtam.rankings.domain.league import register_violation

    register_metric(
        "inspections.violations_unit",
        _("Số vi phạm kỷ luật, kỷ cương hành chính qua kiểm tra công vụ tại đơn vị"),
        _("vi phạm"),
        violations_unit,
        compute_many=violations_unit_many,
    )
    register_metric(
        "inspections.violations_official",
        _("Số vi phạm kỷ luật, kỷ cương hành chính của cá nhân qua kiểm tra công vụ"),
        _("vi phạm"),
        violations_official,
        compute_many=violations_official_many,
    )
    for kind in ViolationKind:
        register_violation(violation_code(kind.value), format_lazy("{}: {}", FOUND_BY_INSPECTION, kind.label))
