"""What follow-up measures for the assessment rubric: the metrics automatic criteria may name (issue #4).

Each is measured for a unit (or a person, through their unit) over an annual period, as of the round's cut-off
date, and returns the records behind the value -- the tasks that cost points -- so a score sheet can link to them.

"As of the cut-off" is judged from the dates the tasks keep: a task counts as done when its completion was
accepted and had been reported on or before the cut-off (its on-time verdict is fixed by that report), and as due
when it is done or its deadline had passed by the cut-off. Cancelled and refused tasks are outside the counts, as
in every follow-up report. Only tasks assigned from the period's start to the cut-off count.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from trongtam.assessment.domain.rubric import MetricValue, register_metric
from trongtam.followup.enums import Lifecycle, Source
from trongtam.followup.models import Task

RECORD_KIND = "followup.task"


def _unit_id(subject: Any) -> int | None:
    """A unit's id, or the unit of a person."""
    return subject.pk if subject.__class__.__name__ == "Unit" else getattr(subject, "unit_id", None)


def _in_round(tasks: QuerySet[Task], period: Any, cut_off: dt.date) -> QuerySet[Task]:
    return tasks.filter(assigned_on__gte=period.start_date, assigned_on__lte=cut_off).exclude(
        lifecycle__in=(Lifecycle.CANCELLED, Lifecycle.REFUSED)
    )


def _done(cut_off: dt.date) -> Q:
    return Q(lifecycle=Lifecycle.DONE, completion_reported_on__lte=cut_off)


def _due(cut_off: dt.date) -> Q:
    return _done(cut_off) | Q(deadline__lt=cut_off)


def _rate(tasks: QuerySet[Task], cut_off: dt.date, *, on_time_only: bool) -> MetricValue:
    """Done (on time, with `on_time_only`) ÷ due, in percent, and the due tasks that fell short."""
    good = _done(cut_off) & Q(on_time=True) if on_time_only else _done(cut_off)
    counts = tasks.aggregate(due=Count("pk", filter=_due(cut_off)), good=Count("pk", filter=good))
    if not counts["due"]:
        return MetricValue(None, record_kind=RECORD_KIND)
    short = tasks.filter(_due(cut_off)).exclude(good).order_by("deadline", "pk").values_list("pk", flat=True)
    value = (Decimal(100) * counts["good"] / counts["due"]).quantize(Decimal("0.01"))
    return MetricValue(value, tuple(short), RECORD_KIND)


def _directive_tasks(subject: Any, period: Any, cut_off: dt.date) -> QuerySet[Task]:
    unit_id = _unit_id(subject)
    if unit_id is None:
        return Task.objects.none()
    return _in_round(Task.objects.filter(source=Source.DIRECTIVE, lead_unit_id=unit_id), period, cut_off)


def _key_tasks(subject: Any, period: Any) -> QuerySet[Task]:
    """The followed key tasks of the unit's registration for the period (assigned when it was approved)."""
    unit_id = _unit_id(subject)
    if unit_id is None:
        return Task.objects.none()
    return Task.objects.filter(
        source=Source.KEY_TASK, registration__unit_id=unit_id, registration__period=period
    ).exclude(lifecycle__in=(Lifecycle.CANCELLED, Lifecycle.REFUSED))


def directive_on_time_rate(subject: Any, period: Any, cut_off: dt.date, /) -> MetricValue:
    return _rate(_directive_tasks(subject, period, cut_off), cut_off, on_time_only=True)


def _key_task_rate(subject: Any, period: Any, cut_off: dt.date, *, on_time_only: bool) -> MetricValue:
    """A unit with no approved registration follows no key task: that is 0 %, not "nothing to measure" (which a
    rubric may score in full) -- a head who has not registered must not gain points by it."""
    tasks = _key_tasks(subject, period)
    if not tasks.exists():
        return MetricValue(Decimal("0.00"), record_kind=RECORD_KIND)
    return _rate(tasks, cut_off, on_time_only=on_time_only)


def key_task_completion_rate(subject: Any, period: Any, cut_off: dt.date, /) -> MetricValue:
    return _key_task_rate(subject, period, cut_off, on_time_only=False)


def key_task_on_time_rate(subject: Any, period: Any, cut_off: dt.date, /) -> MetricValue:
    return _key_task_rate(subject, period, cut_off, on_time_only=True)


def overdue_led_personally(subject: Any, period: Any, cut_off: dt.date, /) -> MetricValue:
    """Key tasks the head leads personally that were past their deadline and not done at the cut-off."""
    overdue = (
        _key_tasks(subject, period)
        .filter(key_task__led_personally=True, deadline__lt=cut_off)
        .exclude(_done(cut_off))
        .order_by("deadline", "pk")
        .values_list("pk", flat=True)
    )
    ids = tuple(overdue)
    return MetricValue(Decimal(len(ids)), ids, RECORD_KIND)


def register() -> None:
    """Called from the app's ready(): add the follow-up metrics to the rubric's registry."""
    register_metric(
        "followup.directive_on_time_rate", _("Tỷ lệ nhiệm vụ được giao tại văn bản hoàn thành đúng hạn"), "%",
        directive_on_time_rate,
    )  # fmt: skip
    register_metric(
        "followup.key_task_completion_rate", _("Tỷ lệ nhiệm vụ trọng tâm đã hoàn thành trên số đã đến hạn"), "%",
        key_task_completion_rate,
    )  # fmt: skip
    register_metric(
        "followup.key_task_on_time_rate", _("Tỷ lệ nhiệm vụ trọng tâm hoàn thành đúng hạn"), "%",
        key_task_on_time_rate,
    )  # fmt: skip
    register_metric(
        "followup.overdue_led_personally",
        _("Số nhiệm vụ trọng tâm do người đứng đầu trực tiếp chỉ đạo quá hạn chưa hoàn thành"),
        _("nhiệm vụ"),
        overdue_led_personally,
    )
