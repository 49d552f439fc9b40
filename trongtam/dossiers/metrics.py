"""What one-stop dossiers measure for the assessment rubric (issue #5, item 7).

Each metric is measured for a unit, or for a person through their unit (a head is rated on their unit's
dossiers), over the period from its start to the round's cut-off (or the period's end, if earlier), with the
definitions of the statistics page (`domain/statistics.py`), so a score sheet and the page agree:

- `dossiers.on_time_rate`: Decision 766's on-time share of the dossiers settled (processed or withdrawn), in
  percent; the records behind it are the dossiers processed late. Nothing to measure when none was settled.
- `dossiers.apology_letters_per_1000`: apology letters signed in the period per 1,000 dossiers received in it; the
  records are the letters' dossiers. Nothing to measure when no dossier was received.
- `dossiers.satisfaction_rate`: the share of the ratings given in the period that are "satisfied" or "very
  satisfied", in percent; the records are the dossiers rated below that. Nothing to measure without ratings.

Each comes in a batch form (`*_many`) with a constant number of queries whatever the number of subjects -- the
statistics' aggregate queries grouped by unit, then one query for the records -- and a per-subject form, the batch
of one. The records are dossiers (`dossiers.dossier`), linked to `dossiers:dossier-detail`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trongtam.assessment.domain.rubric import MetricValue, register_metric
from trongtam.dossiers.domain import statistics
from trongtam.dossiers.models import ApologyLetter, Dossier, DossierRating
from trongtam.org.models import Unit

RECORD_KIND = "dossiers.dossier"
THOUSAND = Decimal(1000)

Many = Callable[[Sequence[Any], Any, dt.date], list[MetricValue]]


def _unit_id(subject: Any) -> int | None:
    """A unit's id, or the unit of a person."""
    return subject.pk if isinstance(subject, Unit) else getattr(subject, "unit_id", None)


def _unit_ids(subjects: Iterable[Any]) -> list[int]:
    return sorted({unit_id for unit_id in map(_unit_id, subjects) if unit_id is not None})


def _window(period: Any, cut_off: dt.date) -> statistics.Window:
    return statistics.Window(period.start_date, min(period.end_date, cut_off))


def _by_unit(unit_ids: list[int], window: statistics.Window) -> dict[int, statistics.Figures]:
    units = Unit.objects.filter(pk__in=unit_ids)
    result = statistics.report(units, statistics.Filters(window), statistics.Grouping.UNIT)
    return {row.key: row.figures for row in result.rows}


def _records(pairs: Iterable[tuple[int, int]]) -> dict[int, tuple[int, ...]]:
    found: dict[int, list[int]] = {}
    for unit_id, pk in pairs:
        found.setdefault(unit_id, []).append(pk)
    return {unit_id: tuple(sorted(ids)) for unit_id, ids in found.items()}


def _per_subject(subjects: Sequence[Any], values: dict[int, MetricValue]) -> list[MetricValue]:
    nothing = MetricValue(None, record_kind=RECORD_KIND)
    return [
        values.get(unit_id, nothing) if unit_id is not None else nothing
        for unit_id in map(_unit_id, subjects)
    ]


def on_time_rates(subjects: Sequence[Any], period: Any, cut_off: dt.date, /) -> list[MetricValue]:
    unit_ids = _unit_ids(subjects)
    if not unit_ids:
        return _per_subject(subjects, {})
    window = _window(period, cut_off)
    figures = _by_unit(unit_ids, window)
    late = (
        Dossier.objects.filter(unit_id__in=unit_ids)
        .filter(statistics.counted_in(window), statistics.column_conditions(window)["late"])
        .values_list("unit_id", "pk")
    )
    records = _records(late)
    return _per_subject(
        subjects,
        {
            unit_id: MetricValue(f.on_time_rate, records.get(unit_id, ()), RECORD_KIND)
            for unit_id, f in figures.items()
        },
    )


def apology_letters_per_1000_many(
    subjects: Sequence[Any], period: Any, cut_off: dt.date, /
) -> list[MetricValue]:
    unit_ids = _unit_ids(subjects)
    if not unit_ids:
        return _per_subject(subjects, {})
    window = _window(period, cut_off)
    figures = _by_unit(unit_ids, window)
    letters = (
        ApologyLetter.objects.filter(
            dossier__unit_id__in=unit_ids,
            status__in=statistics.ISSUED_LETTER,
        )
        .filter(statistics.within("approved_at", window))
        .values_list("dossier__unit_id", "dossier_id")
    )
    records = _records(letters)
    values = {}
    for unit_id, f in figures.items():
        value = None if not f.received else (THOUSAND * f.letters / f.received).quantize(statistics.CENT)
        values[unit_id] = MetricValue(value, records.get(unit_id, ()), RECORD_KIND)
    return _per_subject(subjects, values)


def satisfaction_rates(subjects: Sequence[Any], period: Any, cut_off: dt.date, /) -> list[MetricValue]:
    unit_ids = _unit_ids(subjects)
    if not unit_ids:
        return _per_subject(subjects, {})
    window = _window(period, cut_off)
    figures = _by_unit(unit_ids, window)
    below = (
        DossierRating.objects.filter(statistics.within("rated_at", window), dossier__unit_id__in=unit_ids)
        .exclude(Q(satisfaction__in=statistics.SATISFIED))
        .values_list("dossier__unit_id", "dossier_id")
    )
    records = _records(below)
    return _per_subject(
        subjects,
        {
            unit_id: MetricValue(f.satisfaction_rate, records.get(unit_id, ()), RECORD_KIND)
            for unit_id, f in figures.items()
        },
    )


def _one(many: Many, subject: Any, period: Any, cut_off: dt.date) -> MetricValue:
    return many([subject], period, cut_off)[0]


def on_time_rate(subject: Any, period: Any, cut_off: dt.date, /) -> MetricValue:
    return _one(on_time_rates, subject, period, cut_off)


def apology_letters_per_1000(subject: Any, period: Any, cut_off: dt.date, /) -> MetricValue:
    return _one(apology_letters_per_1000_many, subject, period, cut_off)


def satisfaction_rate(subject: Any, period: Any, cut_off: dt.date, /) -> MetricValue:
    return _one(satisfaction_rates, subject, period, cut_off)


def register() -> None:
    """Called from the app's ready(): add the dossier metrics to the rubric's registry, each with its batch."""
    register_metric(
        "dossiers.on_time_rate", _("Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn"), "%",
        on_time_rate, compute_many=on_time_rates,
    )  # fmt: skip
    register_metric(
        "dossiers.apology_letters_per_1000", _("Số phiếu xin lỗi trên 1.000 hồ sơ tiếp nhận"), _("phiếu"),
        apology_letters_per_1000, compute_many=apology_letters_per_1000_many,
    )  # fmt: skip
    register_metric(
        "dossiers.satisfaction_rate", _("Tỷ lệ đánh giá hài lòng về giải quyết thủ tục hành chính"), "%",
        satisfaction_rate, compute_many=satisfaction_rates,
    )  # fmt: skip
