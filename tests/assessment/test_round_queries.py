"""Opening a round measures every head with a constant number of queries: the metrics' batch form gives the
values of the per-subject form, and of the plain per-unit queries the metrics were first written with."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.assessment.conftest import CUT_OFF
from trongtam.assessment.domain import rounds
from trongtam.assessment.domain import rubric as rb
from trongtam.assessment.models import RubricVersion
from trongtam.cycles.models import Period
from trongtam.followup import metrics
from trongtam.followup.enums import Lifecycle, Source
from trongtam.followup.models import Task
from trongtam.org.enums import Role
from trongtam.org.models import Person, Unit

pytestmark = pytest.mark.django_db

FOLLOWUP_METRICS = [
    "followup.directive_on_time_rate",
    "followup.key_task_completion_rate",
    "followup.key_task_on_time_rate",
    "followup.overdue_led_personally",
]


def _open_counting(codes: list[str], period: Period, rubric: RubricVersion, by: Person) -> tuple[int, int]:
    """Open a round for the heads of `codes` only; its number of queries and of sheets."""
    Person.objects.filter(role=Role.HEAD).exclude(unit__code__in=codes).update(is_active=False)
    Person.objects.filter(role=Role.HEAD, unit__code__in=codes).update(is_active=True)
    with CaptureQueriesContext(connection) as queries:
        rnd = rounds.open_round(period, rubric, name=f"Đợt {len(codes)}", cut_off=CUT_OFF, by=by)
    return len(queries), rnd.sheets.count()


def test_opening_a_round_takes_the_same_queries_for_one_head_and_for_three(
    person: Any, period: Period, rubric_2026: RubricVersion
) -> None:
    home_affairs = person("noivu")
    _open_counting(
        ["STC"], period, rubric_2026, home_affairs
    )  # freezes the rubric: later rounds compare alike

    one, one_sheets = _open_counting(["SCT"], period, rubric_2026, home_affairs)
    three, three_sheets = _open_counting(["SCT", "SKHCN", "SNNMT"], period, rubric_2026, home_affairs)

    assert (one_sheets, three_sheets) == (1, 3)
    assert one == three


def test_the_classification_preview_takes_the_same_queries_for_one_head_and_for_three(
    person: Any, period: Period, rubric_2026: RubricVersion
) -> None:
    home_affairs = person("noivu")
    counts = []
    for codes in (["SCT"], ["SCT", "SKHCN", "SNNMT"]):
        Person.objects.filter(role=Role.HEAD).exclude(unit__code__in=codes).update(is_active=False)
        Person.objects.filter(role=Role.HEAD, unit__code__in=codes).update(is_active=True)
        rnd = rounds.open_round(period, rubric_2026, name="Đợt", cut_off=CUT_OFF, by=home_affairs)
        with CaptureQueriesContext(connection) as queries:
            result = rounds.preview(rnd)
        assert len(result.results) == len(codes)
        counts.append(len(queries))
    assert counts[0] == counts[1]


# -- the batch form against the per-subject form and the plain queries ---------------------------------------------


def _reference_rate(tasks: QuerySet[Task], cut_off: dt.date, *, on_time_only: bool) -> rb.MetricValue:
    """The per-unit query the metrics were first written with: one aggregate and one list per unit."""
    done = Q(lifecycle=Lifecycle.DONE, completion_reported_on__lte=cut_off)
    due = done | Q(deadline__lt=cut_off)
    good = done & Q(on_time=True) if on_time_only else done
    counts = tasks.aggregate(due=Count("pk", filter=due), good=Count("pk", filter=good))
    if not counts["due"]:
        return rb.MetricValue(None, record_kind=metrics.RECORD_KIND)
    short = tasks.filter(due).exclude(good).order_by("deadline", "pk").values_list("pk", flat=True)
    value = (Decimal(100) * counts["good"] / counts["due"]).quantize(Decimal("0.01"))
    return rb.MetricValue(value, tuple(short), metrics.RECORD_KIND)


def _reference(code: str, unit: Unit, period: Period, cut_off: dt.date) -> rb.MetricValue:
    live = ~Q(lifecycle__in=(Lifecycle.CANCELLED, Lifecycle.REFUSED))
    key_tasks = Task.objects.filter(
        live, source=Source.KEY_TASK, registration__unit=unit, registration__period=period
    )
    if code == "followup.directive_on_time_rate":
        directive_tasks = Task.objects.filter(
            live,
            source=Source.DIRECTIVE,
            lead_unit=unit,
            assigned_on__gte=period.start_date,
            assigned_on__lte=cut_off,
        )
        return _reference_rate(directive_tasks, cut_off, on_time_only=True)
    if code == "followup.overdue_led_personally":
        ids = tuple(
            key_tasks.filter(key_task__led_personally=True, deadline__lt=cut_off)
            .exclude(lifecycle=Lifecycle.DONE, completion_reported_on__lte=cut_off)
            .order_by("deadline", "pk")
            .values_list("pk", flat=True)
        )
        return rb.MetricValue(Decimal(len(ids)), ids, metrics.RECORD_KIND)
    if not key_tasks.exists():
        return rb.MetricValue(Decimal("0.00"), record_kind=metrics.RECORD_KIND)
    return _reference_rate(key_tasks, cut_off, on_time_only=code == "followup.key_task_on_time_rate")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    picks=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=12),
    with_people=st.booleans(),
    cut_off=st.dates(min_value=dt.date(2026, 2, 1), max_value=dt.date(2026, 12, 31)),
)
def test_the_batch_gives_every_unit_the_value_of_the_unit_alone(
    period: Period, picks: list[int], with_people: bool, cut_off: dt.date
) -> None:
    units = list(Unit.objects.order_by("pk"))
    subjects: list[Any] = [units[i % len(units)] for i in picks]  # repeats allowed
    if with_people:
        heads = {p.unit_id: p for p in Person.objects.filter(role=Role.HEAD, is_active=True)}
        subjects = [heads.get(u.pk, u) for u in subjects]  # a person is measured by their unit
    for code in FOLLOWUP_METRICS:
        metric = rb.METRICS.get(code)
        assert metric is not None
        assert metric.compute_many is not None
        batch = metric.measure_many(subjects, period, cut_off)
        assert batch == [metric.compute(subject, period, cut_off) for subject in subjects]
        for subject, value in zip(subjects, batch, strict=True):
            unit = subject if isinstance(subject, Unit) else subject.unit
            assert value == _reference(code, unit, period, cut_off), (code, unit.code)


def test_the_batch_over_every_demo_unit_agrees_and_measures_something(period: Period) -> None:
    units = list(Unit.objects.order_by("pk"))
    measured = 0
    for code in FOLLOWUP_METRICS:
        metric = rb.METRICS.get(code)
        assert metric is not None
        with CaptureQueriesContext(connection) as queries:
            batch = metric.measure_many(units, period, CUT_OFF)
        assert len(queries) <= 2
        for unit, value in zip(units, batch, strict=True):
            assert value == _reference(code, unit, period, CUT_OFF), (code, unit.code)
            measured += len(value.record_ids)
    assert measured > 0  # the demo has late and overdue tasks


def test_no_subject_no_query(period: Period) -> None:
    metric = rb.METRICS.get("followup.directive_on_time_rate")
    assert metric is not None
    with CaptureQueriesContext(connection) as queries:
        assert metric.measure_many([], period, CUT_OFF) == []
    assert len(queries) == 0


def test_a_metric_without_a_batch_is_measured_one_by_one() -> None:
    registry = rb.MetricRegistry()
    seen: list[Any] = []

    def one(subject: Any, period: Any, cut_off: dt.date, /) -> rb.MetricValue:
        seen.append(subject)
        return rb.MetricValue(Decimal(subject))

    metric = rb.register_metric("m", "M", "%", one, registry=registry)
    assert metric.measure_many([1, 2, 2], None, CUT_OFF) == [rb.MetricValue(Decimal(n)) for n in (1, 2, 2)]
    assert seen == [1, 2, 2]


def test_a_batch_that_loses_a_subject_is_a_programming_error() -> None:
    def one(subject: Any, period: Any, cut_off: dt.date, /) -> rb.MetricValue:
        return rb.MetricValue(None)

    def short(subjects: Any, period: Any, cut_off: dt.date, /) -> list[rb.MetricValue]:
        return [rb.MetricValue(None)]

    metric = rb.register_metric("m", "M", "%", one, compute_many=short, registry=rb.MetricRegistry())
    with pytest.raises(ValueError, match="2 subjects"):
        metric.measure_many([1, 2], None, CUT_OFF)
