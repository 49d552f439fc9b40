"""The rubric's feedback metrics: answered on time, upheld cases about a unit and about an official -- with the
cases behind each value, and one query per metric whatever the number of subjects."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.feedback.conftest import submit
from trongtam.assessment.domain.rubric import METRICS
from trongtam.cycles.models import Period
from trongtam.feedback import metrics
from trongtam.feedback.models import Feedback
from trongtam.org.models import Person, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_other_cases() -> None:
    """Each test measures its own cases only (the session's demo province may hold feedback)."""
    Feedback.objects.all().delete()


CUT_OFF = dt.date(2026, 11, 30)
D = dt.date


def case(unit: str = "SCT", **values: Any) -> Feedback:
    made = submit(unit)
    Feedback.objects.filter(pk=made.pk).update(**values)
    made.refresh_from_db()
    return made


def test_the_metrics_are_registered_with_their_batch() -> None:
    for code in (
        "feedback.answered_on_time_rate",
        "feedback.upheld_complaints",
        "feedback.upheld_complaints_official",
    ):
        assert METRICS.get(code) is not None
        assert METRICS.get(code).compute_many is not None  # type: ignore[union-attr]


def test_answered_on_time_rate_counts_cases_due_in_the_period(period: Period, unit: Any) -> None:
    good = case(response_due=D(2026, 3, 16), answered_on=D(2026, 3, 16), status="answered")
    late = case(response_due=D(2026, 4, 10), answered_on=D(2026, 4, 13), status="answered")
    unanswered = case(response_due=D(2026, 5, 4), status="in_handling")
    case(response_due=D(2026, 6, 1), status="closed", outcome="transferred")  # never the unit's to answer
    case(response_due=D(2026, 12, 15), status="in_handling")  # due after the cut-off
    case(response_due=D(2025, 12, 20), answered_on=D(2026, 1, 5), status="answered")  # due before the period
    value = metrics.answered_on_time_rate(unit("SCT"), period, CUT_OFF)
    assert value.value == Decimal("33.33")
    assert value.record_ids == (late.pk, unanswered.pk)
    assert value.record_kind == "feedback.feedback"
    assert good.pk not in value.record_ids


def test_an_answer_after_the_cut_off_does_not_count_as_on_time(period: Period, unit: Any) -> None:
    case(response_due=D(2026, 11, 27), answered_on=D(2026, 11, 27), status="answered")
    assert metrics.answered_on_time_rate(unit("SCT"), period, D(2026, 11, 27)).value == Decimal(100)
    assert metrics.answered_on_time_rate(unit("SCT"), period, D(2026, 11, 26)).value is None


def test_nothing_due_is_nothing_to_measure(period: Period, unit: Any) -> None:
    assert metrics.answered_on_time_rate(unit("STC"), period, CUT_OFF).value is None


def test_upheld_complaints_about_the_unit_and_a_person_through_their_unit(period: Period, unit: Any) -> None:
    upheld = case(upheld=True, answered_on=D(2026, 5, 5), status="answered")
    case(upheld=False, answered_on=D(2026, 5, 6), status="answered")
    case(upheld=True, answered_on=D(2025, 12, 1), status="closed")  # answered before the period
    assert metrics.upheld_complaints(unit("SCT"), period, CUT_OFF).value == Decimal(1)
    head = Person.objects.get(username="gd.sct")
    assert metrics.upheld_complaints(head, period, CUT_OFF).record_ids == (upheld.pk,)
    assert metrics.upheld_complaints(unit("STC"), period, CUT_OFF).value == Decimal(0)


def test_upheld_complaints_naming_an_official(period: Period, unit: Any) -> None:
    official = Person.objects.get(username="cv.sct")
    named = case(upheld=True, answered_on=D(2026, 7, 1), status="answered", official=official)
    case(upheld=True, answered_on=D(2026, 7, 2), status="answered")  # about the unit, nobody named
    assert metrics.upheld_complaints_official(official, period, CUT_OFF).record_ids == (named.pk,)
    assert (
        metrics.upheld_complaints_official(Person.objects.get(username="gd.sct"), period, CUT_OFF).value == 0
    )
    assert metrics.upheld_complaints_official(unit("SCT"), period, CUT_OFF).value == Decimal(1)


@pytest.mark.parametrize(
    "many",
    [metrics.answered_on_time_rates, metrics.upheld_complaints_many, metrics.upheld_complaints_official_many],
)
def test_the_batch_takes_one_query_whatever_the_number_of_subjects(
    many: Any, period: Period, django_assert_max_num_queries: Any
) -> None:
    case(response_due=D(2026, 3, 16), answered_on=D(2026, 3, 20), upheld=True, status="answered")
    heads = list(Person.objects.filter(role="head", is_active=True).order_by("pk"))
    units = list(Unit.objects.order_by("pk"))
    with django_assert_max_num_queries(1):
        values = many([*heads, *units], period, CUT_OFF)
    assert len(values) == len(heads) + len(units)
    one = [many([subject], period, CUT_OFF)[0] for subject in heads[:5]]
    assert one == values[:5]
