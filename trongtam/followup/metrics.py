"""What follow-up measures for the assessment rubric: the metrics automatic criteria may name (issue #4).

Each is measured for a unit (or a person, through their unit) over an annual period, as of the round's cut-off
date, and returns the records behind the value -- the tasks that cost points -- so a score sheet can link to them.

"As of the cut-off" is judged from the dates the tasks keep: a task counts as done when its completion was
accepted and had been reported on or before the cut-off (its on-time verdict is fixed by that report), and as due
when it is done or its deadline had passed by the cut-off. Cancelled and refused tasks are outside the counts, as
in every follow-up report. Only tasks assigned from the period's start to the cut-off count.

Each metric comes in two forms: the batch form (`*_many`) measures many subjects with a constant number of
queries -- one per metric, the units' tasks with what counts of each, tallied here -- so that opening a round
for every head of the province does not query per head; the per-subject form is the batch of one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from trongtam.assessment.domain.rubric import MetricValue, register_metric
from trongtam.followup.enums import Lifecycle, Source
from trongtam.followup.models import Task

RECORD_KIND = "followup.task"
HUNDRED, ZERO = Decimal(100), Decimal("0.00")
DIRECTIVE_UNIT, KEY_TASK_UNIT = "lead_unit_id", "registration__unit_id"


def _unit_id(subject: Any) -> int | None:
    """A unit's id, or the unit of a person."""
    return subject.pk if subject.__class__.__name__ == "Unit" else getattr(subject, "unit_id", None)


def _unit_ids(subjects: Iterable[Any]) -> list[int]:
    return sorted({unit_id for unit_id in map(_unit_id, subjects) if unit_id is not None})


def _in_round(tasks: QuerySet[Task], period: Any, cut_off: dt.date) -> QuerySet[Task]:
    return tasks.filter(assigned_on__gte=period.start_date, assigned_on__lte=cut_off).exclude(
        lifecycle__in=(Lifecycle.CANCELLED, Lifecycle.REFUSED)
    )


def _done(cut_off: dt.date) -> Q:
    return Q(lifecycle=Lifecycle.DONE, completion_reported_on__lte=cut_off)


def _due(cut_off: dt.date) -> Q:
    return _done(cut_off) | Q(deadline__lt=cut_off)


def _by_deadline() -> Callable[[Sequence[Any]], tuple[bool, dt.date, int]]:
    """Tasks by deadline then id, those without a deadline where the database sorts them (as ORDER BY would)."""
    nulls_last = connection.features.nulls_order_largest

    def key(row: Sequence[Any]) -> tuple[bool, dt.date, int]:  # (unit, deadline, id, …)
        deadline, pk = row[1], row[2]
        return (deadline is None) == nulls_last, deadline or dt.date.min, pk

    return key


def _rates(
    tasks: QuerySet[Task], unit_field: str, cut_off: dt.date, *, on_time_only: bool
) -> dict[int, MetricValue]:
    """For every unit that has tasks: done (on time, with `on_time_only`) ÷ due, in percent, with the due tasks
    that fell short, by deadline; nothing to measure when none is due. Units without tasks are absent: the
    caller says what that means.

    One query, whatever the number of units: the units' tasks, each with whether it is due and whether it is
    good, counted here. (Two queries -- grouped counts, then the short tasks -- cost more: filtering on "done or
    past its deadline" makes the database walk the deadline index over every task of the province.)"""
    good = _done(cut_off) & Q(on_time=True) if on_time_only else _done(cut_off)
    flagged = (
        tasks.order_by()
        .annotate(
            is_due=ExpressionWrapper(_due(cut_off), output_field=BooleanField()),
            is_good=ExpressionWrapper(good, output_field=BooleanField()),
        )
        .values_list(unit_field, "deadline", "pk", "is_due", "is_good")
    )
    counts: dict[int, list[int]] = {}  # unit → [due, good]
    short: dict[int, list[int]] = {}
    for unit_id, _deadline, pk, is_due, is_good in sorted(flagged, key=_by_deadline()):
        count = counts.setdefault(unit_id, [0, 0])
        if is_due:  # NULL (a done task without a report date, say) is neither due nor good, as in SQL
            count[0] += 1
            if is_good:
                count[1] += 1
            else:
                short.setdefault(unit_id, []).append(pk)
    rates = {}
    for unit_id, (due, done) in counts.items():
        if not due:
            rates[unit_id] = MetricValue(None, record_kind=RECORD_KIND)
        else:
            value = (HUNDRED * done / due).quantize(Decimal("0.01"))
            rates[unit_id] = MetricValue(value, tuple(short.get(unit_id, ())), RECORD_KIND)
    return rates


def _per_subject(
    subjects: Sequence[Any], by_unit: dict[int, MetricValue], missing: MetricValue
) -> list[MetricValue]:
    return [
        by_unit.get(unit_id, missing) if unit_id is not None else missing
        for unit_id in map(_unit_id, subjects)
    ]


def _directive_tasks(unit_ids: list[int], period: Any, cut_off: dt.date) -> QuerySet[Task]:
    return _in_round(Task.objects.filter(source=Source.DIRECTIVE, lead_unit_id__in=unit_ids), period, cut_off)


def _key_tasks(unit_ids: list[int], period: Any) -> QuerySet[Task]:
    """The followed key tasks of the units' registrations for the period (assigned when they were approved)."""
    return Task.objects.filter(
        source=Source.KEY_TASK, registration__unit_id__in=unit_ids, registration__period=period
    ).exclude(lifecycle__in=(Lifecycle.CANCELLED, Lifecycle.REFUSED))


def directive_on_time_rates(subjects: Sequence[Any], period: Any, cut_off: dt.date, /) -> list[MetricValue]:
    """Directive tasks the unit leads, done on time ÷ due; nothing to measure when none is due."""
    nothing = MetricValue(None, record_kind=RECORD_KIND)
    unit_ids = _unit_ids(subjects)
    if not unit_ids:
        return [nothing for _subject in subjects]
    tasks = _directive_tasks(unit_ids, period, cut_off)
    return _per_subject(subjects, _rates(tasks, DIRECTIVE_UNIT, cut_off, on_time_only=True), nothing)


def _key_task_rates(
    subjects: Sequence[Any], period: Any, cut_off: dt.date, *, on_time_only: bool
) -> list[MetricValue]:
    """A unit with no approved registration follows no key task: that is 0 %, not "nothing to measure" (which a
    rubric may score in full) -- a head who has not registered must not gain points by it."""
    none_followed = MetricValue(ZERO, record_kind=RECORD_KIND)
    unit_ids = _unit_ids(subjects)
    if not unit_ids:
        return [none_followed for _subject in subjects]
    tasks = _key_tasks(unit_ids, period)
    rates = _rates(tasks, KEY_TASK_UNIT, cut_off, on_time_only=on_time_only)
    return _per_subject(subjects, rates, none_followed)


def key_task_completion_rates(subjects: Sequence[Any], period: Any, cut_off: dt.date, /) -> list[MetricValue]:
    return _key_task_rates(subjects, period, cut_off, on_time_only=False)


def key_task_on_time_rates(subjects: Sequence[Any], period: Any, cut_off: dt.date, /) -> list[MetricValue]:
    return _key_task_rates(subjects, period, cut_off, on_time_only=True)


def overdue_led_personally_many(
    subjects: Sequence[Any], period: Any, cut_off: dt.date, /
) -> list[MetricValue]:
    """Key tasks the head leads personally that were past their deadline and not done at the cut-off."""
    none = MetricValue(Decimal(0), (), RECORD_KIND)
    unit_ids = _unit_ids(subjects)
    if not unit_ids:
        return [none for _subject in subjects]
    overdue = (
        _key_tasks(unit_ids, period)
        .filter(key_task__led_personally=True, deadline__lt=cut_off)
        .exclude(_done(cut_off))
        .order_by()
        .values_list(KEY_TASK_UNIT, "deadline", "pk")
    )
    found: dict[int, list[int]] = {}
    for unit_id, _deadline, pk in sorted(overdue, key=_by_deadline()):
        found.setdefault(unit_id, []).append(pk)
    by_unit = {
        unit_id: MetricValue(Decimal(len(ids)), tuple(ids), RECORD_KIND) for unit_id, ids in found.items()
    }
    return _per_subject(subjects, by_unit, none)


def _one(
    many: Callable[[Sequence[Any], Any, dt.date], list[MetricValue]],
    subject: Any,
    period: Any,
    cut_off: dt.date,
) -> MetricValue:
    return many([subject], period, cut_off)[0]


def directive_on_time_rate(subject: Any, period: Any, cut_off: dt.date, /) -> MetricValue:
    return _one(directive_on_time_rates, subject, period, cut_off)


def key_task_completion_rate(subject: Any, period: Any, cut_off: dt.date, /) -> MetricValue:
    return _one(key_task_completion_rates, subject, period, cut_off)


def key_task_on_time_rate(subject: Any, period: Any, cut_off: dt.date, /) -> MetricValue:
    return _one(key_task_on_time_rates, subject, period, cut_off)


def overdue_led_personally(subject: Any, period: Any, cut_off: dt.date, /) -> MetricValue:
    return _one(overdue_led_personally_many, subject, period, cut_off)


def register() -> None:
    """Called from the app's ready(): add the follow-up metrics to the rubric's registry, each with its batch."""
    register_metric(
        "followup.directive_on_time_rate", _("Tỷ lệ nhiệm vụ được giao tại văn bản hoàn thành đúng hạn"), "%",
        directive_on_time_rate, compute_many=directive_on_time_rates,
    )  # fmt: skip
    register_metric(
        "followup.key_task_completion_rate", _("Tỷ lệ nhiệm vụ trọng tâm đã hoàn thành trên số đã đến hạn"), "%",
        key_task_completion_rate, compute_many=key_task_completion_rates,
    )  # fmt: skip
    register_metric(
        "followup.key_task_on_time_rate", _("Tỷ lệ nhiệm vụ trọng tâm hoàn thành đúng hạn"), "%",
        key_task_on_time_rate, compute_many=key_task_on_time_rates,
    )  # fmt: skip
    register_metric(
        "followup.overdue_led_personally",
        _("Số nhiệm vụ trọng tâm do người đứng đầu trực tiếp chỉ đạo quá hạn chưa hoàn thành"),
        _("nhiệm vụ"),
        overdue_led_personally,
        compute_many=overdue_led_personally_many,
    )
