"""The rubric's metric: the share of the Council's recommendations a unit resolved on time, as of a cut-off."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.supervision.conftest import by, make_recommendation, make_supervision, step
from trongtam.assessment.domain.rubric import METRICS
from trongtam.org.models import Unit
from trongtam.supervision.domain.items import act_on_recommendation
from trongtam.supervision.enums import RecommendationAction as RA  # noqa: N817
from trongtam.supervision.enums import Verdict
from trongtam.supervision.metrics import CODE, RECORD_KIND, resolved_on_time_rate, resolved_on_time_rates

pytestmark = pytest.mark.django_db
DUE = dt.date(2026, 4, 30)
CUT_OFF = dt.date(2026, 11, 30)


def _report(rec: Any, day: dt.date) -> None:
    act_on_recommendation(rec.pk, RA.REPORT, by=by("gd.sct"), data=step(answer="Đã thực hiện"), today=day)


def _conclude(rec: Any, verdict: str, day: dt.date) -> None:
    act_on_recommendation(
        rec.pk, RA.CONCLUDE, by=by("hdnd"), data=step(verdict=verdict, comment="Kết luận"), today=day
    )


@pytest.fixture
def recommendations() -> dict[str, Any]:
    supervision = make_supervision()
    made = {
        name: make_recommendation(supervision, title=name, deadline=DUE)
        for name in ("on_time", "late", "partly", "open")
    }
    made["not_due"] = make_recommendation(supervision, title="not_due", deadline=dt.date(2026, 12, 31))
    _report(made["on_time"], dt.date(2026, 4, 20))
    _conclude(made["on_time"], Verdict.RESOLVED, dt.date(2026, 5, 4))
    _report(made["late"], dt.date(2026, 5, 5))
    _conclude(made["late"], Verdict.RESOLVED, dt.date(2026, 5, 10))
    _report(made["partly"], dt.date(2026, 4, 25))
    _conclude(made["partly"], Verdict.PARTLY, dt.date(2026, 5, 10))
    return made


def test_only_resolved_by_the_deadline_counts_and_the_short_ones_are_named(
    recommendations: dict[str, Any], period: Any
) -> None:
    value = resolved_on_time_rate(Unit.objects.get(code="SCT"), period, CUT_OFF)
    assert value.value == Decimal("25.00")
    assert value.record_kind == RECORD_KIND
    assert list(value.record_ids) == [recommendations[n].pk for n in ("late", "partly", "open")]


def test_a_head_is_measured_through_their_unit(recommendations: dict[str, Any], period: Any) -> None:
    assert resolved_on_time_rate(by("gd.sct"), period, CUT_OFF).value == Decimal("25.00")


def test_as_of_the_cut_off_a_verdict_given_later_does_not_count(
    recommendations: dict[str, Any], period: Any
) -> None:
    value = resolved_on_time_rate(Unit.objects.get(code="SCT"), period, dt.date(2026, 5, 1))
    assert value.value == Decimal("0.00")  # four past their deadline, none closed yet


def test_nothing_to_measure_when_nothing_is_due(period: Any) -> None:
    make_recommendation(deadline=dt.date(2026, 12, 31))
    assert resolved_on_time_rate(Unit.objects.get(code="SCT"), period, CUT_OFF).value is None
    assert resolved_on_time_rate(Unit.objects.get(code="STC"), period, CUT_OFF).value is None


def test_the_batch_takes_one_query_whatever_the_number_of_subjects(
    recommendations: dict[str, Any], period: Any, django_assert_num_queries: Any
) -> None:
    units = list(Unit.objects.filter(code__in=["SCT", "STC", "SXD", "SYT"]).order_by("code"))
    head = by("gd.sct")
    with django_assert_num_queries(1):
        values = resolved_on_time_rates([*units, head], period, CUT_OFF)
    by_code = {unit.code: v.value for unit, v in zip(units, values, strict=False)}
    assert by_code["SCT"] == Decimal("25.00")
    assert values[-1].value == Decimal("25.00")
    with django_assert_num_queries(1):
        resolved_on_time_rates(units[:1], period, CUT_OFF)


def test_the_metric_is_registered() -> None:
    metric = METRICS.get(CODE)
    assert metric is not None
    assert (metric.unit, metric.compute_many) == ("%", resolved_on_time_rates)
