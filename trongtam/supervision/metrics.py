"""What the Council's supervision measures for the assessment rubric: the share of its recommendations a unit
resolved on time.

Measured for a unit (or a person, through their unit) over a period, as of the round's cut-off date, from the
dates the recommendations keep. The recommendations counted are those of supervisions held from the period's
start to the cut-off and addressed to the unit. One is *due* when the Council has closed it by the cut-off or its
deadline had passed by then; it is *resolved on time* when the Council closed it by the cut-off with the verdict
"resolved" and the unit's last report came on or before its deadline. Closing is not fixing: a recommendation
closed as partly or not resolved counts as due and not resolved. The records behind the value are the due
recommendations that fell short, by deadline. Nothing to measure (None) when none is due.

The batch form measures any number of subjects with one query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.utils.translation import gettext_lazy as _

from trongtam.assessment.domain.rubric import MetricValue, register_metric
from trongtam.supervision.enums import ItemStatus, Verdict
from trongtam.supervision.models import Recommendation

RECORD_KIND = "supervision.recommendation"
CODE = "supervision.recommendations_resolved_on_time_rate"
HUNDRED = Decimal(100)


def _unit_id(subject: Any) -> int | None:
    return subject.pk if subject.__class__.__name__ == "Unit" else getattr(subject, "unit_id", None)


def _unit_ids(subjects: Iterable[Any]) -> list[int]:
    return sorted({unit_id for unit_id in map(_unit_id, subjects) if unit_id is not None})


def resolved_on_time_rates(subjects: Sequence[Any], period: Any, cut_off: dt.date, /) -> list[MetricValue]:
    nothing = MetricValue(None, record_kind=RECORD_KIND)
    unit_ids = _unit_ids(subjects)
    if not unit_ids:
        return [nothing for _subject in subjects]
    closed = Q(status=ItemStatus.CLOSED, closed_on__lte=cut_off)
    good = closed & Q(verdict=Verdict.RESOLVED, answered_on__isnull=False, answered_on__lte=F("deadline"))
    rows = (
        Recommendation.objects.filter(
            responsible_unit_id__in=unit_ids,
            supervision__held_on__gte=period.start_date,
            supervision__held_on__lte=cut_off,
        )
        .filter(closed | Q(deadline__lt=cut_off))
        .annotate(is_good=ExpressionWrapper(good, output_field=BooleanField()))
        .order_by("deadline", "pk")
        .values_list("responsible_unit_id", "pk", "is_good")
    )
    counts: dict[int, list[int]] = {}
    short: dict[int, list[int]] = {}
    for unit_id, pk, is_good in rows:
        count = counts.setdefault(unit_id, [0, 0])
        count[0] += 1
        if is_good:
            count[1] += 1
        else:
            short.setdefault(unit_id, []).append(pk)
    by_unit = {
        unit_id: MetricValue(
            (HUNDRED * good_count / due).quantize(Decimal("0.01")), tuple(short.get(unit_id, ())), RECORD_KIND
        )
        for unit_id, (due, good_count) in counts.items()
    }
    return [
        by_unit.get(unit_id, nothing) if unit_id is not None else nothing
        for unit_id in map(_unit_id, subjects)
    ]


def resolved_on_time_rate(subject: Any, period: Any, cut_off: dt.date, /) -> MetricValue:
    return resolved_on_time_rates([subject], period, cut_off)[0]


def register() -> None:
    """Called from the app's ready()."""
    register_metric(
        CODE,
        _("Tỷ lệ kiến nghị giám sát của HĐND được giải quyết đúng hạn"),
        "%",
        resolved_on_time_rate,
        compute_many=resolved_on_time_rates,
    )
