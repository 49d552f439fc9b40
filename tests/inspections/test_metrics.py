"""The inspection metrics of the rubric: violations per unit and per official, batch = one by one, one query."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.inspections.factories import by, held, make_inspection, violation
from trongtam.assessment.domain.rubric import METRICS
from trongtam.cycles.models import Period
from trongtam.inspections.domain.queries import violation_codes_by_unit
from trongtam.inspections.metrics import (
    RECORD_KIND,
    violations_official,
    violations_official_many,
    violations_unit,
    violations_unit_many,
)
from trongtam.org.models import Unit
from trongtam.rankings.domain.league import VIOLATIONS

pytestmark = pytest.mark.django_db

CUT_OFF = dt.date(2026, 10, 31)


@pytest.fixture
def found(period: Period) -> dict[str, Any]:
    """XA05: two violations in June (one by cc.xa05, one unidentified) and one by pct.xa05 in September; XA06: one
    after the cut-off; a planned inspection of XA05 (nothing found yet)."""
    june = held()
    first = violation(june)
    second = violation(june, person=None)
    september = held(on=dt.date(2026, 9, 9))
    third = violation(september, person="pct.xa05")
    late = held(on=dt.date(2026, 11, 4), unit=Unit.objects.get(code="XA06"))
    violation(late, person="cc.xa06")
    make_inspection(scheduled_on=dt.date(2026, 10, 1))
    return {"unit": [first.pk, second.pk, third.pk], "cc": [first.pk], "pct": [third.pk]}


def test_violations_unit_counts_what_held_inspections_found_to_the_cut_off(
    period: Period, found: dict[str, Any]
) -> None:
    value = violations_unit(Unit.objects.get(code="XA05"), period, CUT_OFF)
    assert value.value == Decimal(3)
    assert value.record_ids == tuple(found["unit"])
    assert value.record_kind == RECORD_KIND
    assert violations_unit(Unit.objects.get(code="XA06"), period, CUT_OFF).value == Decimal(0)
    assert violations_unit(Unit.objects.get(code="XA06"), period, dt.date(2026, 12, 31)).value == Decimal(1)


def test_a_person_is_measured_through_their_unit_for_the_unit_metric(
    period: Period, found: dict[str, Any]
) -> None:
    assert violations_unit(by("ct.xa05"), period, CUT_OFF).value == Decimal(3)


def test_violations_official_counts_the_persons_own(period: Period, found: dict[str, Any]) -> None:
    assert violations_official(by("cc.xa05"), period, CUT_OFF).record_ids == tuple(found["cc"])
    assert violations_official(by("pct.xa05"), period, CUT_OFF).value == Decimal(1)
    assert violations_official(by("ct.xa05"), period, CUT_OFF).value == Decimal(0)
    assert violations_official(Unit.objects.get(code="XA05"), period, CUT_OFF).value is None


def test_the_batch_is_the_one_by_one(period: Period, found: dict[str, Any]) -> None:
    subjects: list[Any] = [
        Unit.objects.get(code="XA05"), by("cc.xa05"), by("pct.xa05"), by("ct.xa05"), Unit.objects.get(code="XA06"),
        by("cc.xa05"), by("congdan"),
    ]  # fmt: skip
    for many, one in (
        (violations_unit_many, violations_unit),
        (violations_official_many, violations_official),
    ):
        assert list(many(subjects, period, CUT_OFF)) == [one(s, period, CUT_OFF) for s in subjects]


@pytest.mark.parametrize("count", [1, 5, 40])
def test_the_batch_takes_one_query_whatever_the_number_of_subjects(
    count: int, period: Period, found: dict[str, Any], django_assert_num_queries: Any
) -> None:
    units = list(Unit.objects.filter(code__startswith="XA").order_by("code")[:count])
    heads = [by(f"ct.{u.code.lower()}") for u in units]
    with django_assert_num_queries(1):
        violations_unit_many(units, period, CUT_OFF)
    with django_assert_num_queries(1):
        violations_official_many(heads, period, CUT_OFF)


def test_the_metrics_are_registered() -> None:
    assert METRICS.get("inspections.violations_unit") is not None
    assert METRICS.get("inspections.violations_official") is not None


def test_the_kinds_are_in_the_repeat_violations_registry(period: Period, found: dict[str, Any]) -> None:
    assert {"inspection:absence", "inspection:alcohol", "inspection:lateness"} <= set(VIOLATIONS)
    xa05 = Unit.objects.get(code="XA05").pk
    assert violation_codes_by_unit([xa05], dt.date(2026, 1, 1), CUT_OFF) == {
        xa05: frozenset({"inspection:absence"})
    }
