"""What feedback measures for the assessment rubric (issue #5, item 7), for a unit or a person over a period, as
of the round's cut-off date, with the cases behind each value.

- `feedback.answered_on_time_rate` (%): of the unit's cases whose response deadline fell from the period's start
  to the cut-off, the share answered by their deadline (and by the cut-off). Cases transferred to another agency
  or not accepted (rejected) were never the unit's to answer and are left out. Nothing to measure when none is due.
  The records are the cases that fell short.
- `feedback.upheld_complaints` (cases): cases about the unit answered in the period and found upheld.
- `feedback.upheld_complaints_official` (cases): upheld cases naming the person (the official staff matched to the
  report); for a unit, the upheld cases naming any of its officials.

A person is measured through their unit for the unit metrics. The batch forms read one query per metric, whatever
the number of subjects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trongtam.assessment.domain.rubric import MetricValue, register_metric
from trongtam.feedback.enums import Outcome
from trongtam.feedback.models import Feedback

RECORD_KIND = "feedback.feedback"
HUNDRED = Decimal(100)


def _is_unit(subject: Any) -> bool:
    return subject.__class__.__name__ == "Unit"


def _unit_id(subject: Any) -> int | None:
    return subject.pk if _is_unit(subject) else getattr(subject, "unit_id", None)


def _unit_ids(subjects: Iterable[Any]) -> list[int]:
    return sorted({pk for pk in map(_unit_id, subjects) if pk is not None})


def answered_on_time_rates(subjects: Sequence[Any], period: Any, cut_off: dt.date, /) -> list[MetricValue]:
    nothing = MetricValue(None, record_kind=RECORD_KIND)
    unit_ids = _unit_ids(subjects)
    if not unit_ids:
        return [nothing for _subject in subjects]
    rows = (
        Feedback.objects.filter(
            unit_id__in=unit_ids, response_due__gte=period.start_date, response_due__lte=cut_off
        )
        .exclude(outcome__in=Outcome.without_answer)
        .order_by("response_due", "pk")
        .values_list("unit_id", "pk", "response_due", "answered_on")
    )
    counts: dict[int, list[int]] = {}
    short: dict[int, list[int]] = {}
    for unit_id, pk, due, answered_on in rows:
        count = counts.setdefault(unit_id, [0, 0])
        count[0] += 1
        if answered_on is not None and answered_on <= due and answered_on <= cut_off:
            count[1] += 1
        else:
            short.setdefault(unit_id, []).append(pk)
    by_unit = {
        unit_id: MetricValue(
            (HUNDRED * good / due).quantize(Decimal("0.01")), tuple(short.get(unit_id, ())), RECORD_KIND
        )
        for unit_id, (due, good) in counts.items()
    }
    return [by_unit.get(pk, nothing) if pk is not None else nothing for pk in map(_unit_id, subjects)]


def _upheld(period: Any, cut_off: dt.date) -> Q:
    return Q(upheld=True, answered_on__gte=period.start_date, answered_on__lte=cut_off)


def upheld_complaints_many(subjects: Sequence[Any], period: Any, cut_off: dt.date, /) -> list[MetricValue]:
    none = MetricValue(Decimal(0), (), RECORD_KIND)
    unit_ids = _unit_ids(subjects)
    if not unit_ids:
        return [none for _subject in subjects]
    rows = (
        Feedback.objects.filter(_upheld(period, cut_off), unit_id__in=unit_ids)
        .order_by("answered_on", "pk")
        .values_list("unit_id", "pk")
    )
    found: dict[int, list[int]] = {}
    for unit_id, pk in rows:
        found.setdefault(unit_id, []).append(pk)
    by_unit = {
        unit_id: MetricValue(Decimal(len(ids)), tuple(ids), RECORD_KIND) for unit_id, ids in found.items()
    }
    return [by_unit.get(pk, none) if pk is not None else none for pk in map(_unit_id, subjects)]


def upheld_complaints_official_many(
    subjects: Sequence[Any], period: Any, cut_off: dt.date, /
) -> list[MetricValue]:
    none = MetricValue(Decimal(0), (), RECORD_KIND)
    person_ids = sorted({s.pk for s in subjects if not _is_unit(s)})
    unit_ids = sorted({s.pk for s in subjects if _is_unit(s)})
    if not person_ids and not unit_ids:
        return [none for _subject in subjects]
    rows = (
        Feedback.objects.filter(_upheld(period, cut_off), official__isnull=False)
        .filter(Q(official_id__in=person_ids) | Q(official__unit_id__in=unit_ids))
        .order_by("answered_on", "pk")
        .values_list("official_id", "official__unit_id", "pk")
    )
    by_person: dict[int, list[int]] = {}
    by_unit: dict[int, list[int]] = {}
    for official_id, unit_id, pk in rows:
        by_person.setdefault(official_id, []).append(pk)
        if unit_id is not None:
            by_unit.setdefault(unit_id, []).append(pk)
    values = []
    for subject in subjects:
        ids = (by_unit if _is_unit(subject) else by_person).get(subject.pk, [])
        values.append(MetricValue(Decimal(len(ids)), tuple(ids), RECORD_KIND))
    return values


def answered_on_time_rate(subject: Any, period: Any, cut_off: dt.date, /) -> MetricValue:
    return answered_on_time_rates([subject], period, cut_off)[0]


def upheld_complaints(subject: Any, period: Any, cut_off: dt.date, /) -> MetricValue:
    return upheld_complaints_many([subject], period, cut_off)[0]


def upheld_complaints_official(subject: Any, period: Any, cut_off: dt.date, /) -> MetricValue:
    return upheld_complaints_official_many([subject], period, cut_off)[0]


def register() -> None:
    """Called from the app's ready(): add the feedback metrics to the rubric's registry, each with its batch."""
    register_metric(
        "feedback.answered_on_time_rate", _("Tỷ lệ phản ánh, kiến nghị được trả lời đúng hạn"), "%",
        answered_on_time_rate, compute_many=answered_on_time_rates,
    )  # fmt: skip
    register_metric(
        "feedback.upheld_complaints", _("Số phản ánh, kiến nghị về đơn vị được kết luận là đúng"), _("phản ánh"),
        upheld_complaints, compute_many=upheld_complaints_many,
    )  # fmt: skip
    register_metric(
        "feedback.upheld_complaints_official", _("Số phản ánh, kiến nghị về cán bộ được kết luận là đúng"),
        _("phản ánh"), upheld_complaints_official, compute_many=upheld_complaints_official_many,
    )  # fmt: skip
