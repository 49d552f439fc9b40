"""The period keeps itself consistent: it ends after it starts, holds its key dates, minima within maxima."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from trongtam.cycles.models import Period

D = dt.date


def period_2027(**changes: Any) -> Period:
    values: dict[str, Any] = {
        "year": 2027,
        "name": "Năm 2027",
        "theme": "Chủ đề năm 2027",
        "start_date": D(2027, 1, 1),
        "end_date": D(2027, 12, 31),
        "registration_deadline": D(2027, 2, 26),
        "midyear_review_date": D(2027, 7, 15),
        "final_assessment_date": D(2027, 12, 10),
    }
    return Period(**(values | changes))


def errors_of(period: Period) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        period.clean()
    return caught.value.message_dict


def test_a_consistent_period_passes() -> None:
    period = period_2027()
    period.clean()
    assert (period.own_min, period.own_max, period.common_count) == (3, 5, 5)
    assert (period.assigned_min, period.assigned_max) == (1, 2)


@pytest.mark.django_db
def test_full_clean_of_a_consistent_period_passes() -> None:
    period_2027().full_clean()


@pytest.mark.parametrize(
    ("own", "assigned"),
    [((3, 3), (1, 1)), ((0, 5), (0, 2)), ((5, 5), (2, 2))],
)
def test_equal_or_zero_bounds_are_consistent(own: tuple[int, int], assigned: tuple[int, int]) -> None:
    period_2027(own_min=own[0], own_max=own[1], assigned_min=assigned[0], assigned_max=assigned[1]).clean()


def test_more_own_tasks_required_than_allowed_is_refused() -> None:
    assert errors_of(period_2027(own_min=6, own_max=5)) == {
        "own_min": ["Số tối thiểu không được lớn hơn số tối đa."]
    }


def test_more_assigned_tasks_required_than_allowed_is_refused() -> None:
    assert errors_of(period_2027(assigned_min=3, assigned_max=2)) == {
        "assigned_min": ["Số tối thiểu không được lớn hơn số tối đa."]
    }


@pytest.mark.parametrize("end", [D(2027, 1, 1), D(2026, 12, 31)])
def test_a_period_must_end_after_it_starts(end: dt.date) -> None:
    errors = errors_of(
        period_2027(
            end_date=end, registration_deadline=end, midyear_review_date=end, final_assessment_date=end
        )
    )
    assert errors["end_date"] == ["Ngày kết thúc phải sau ngày bắt đầu."]


@pytest.mark.parametrize("name", ["registration_deadline", "midyear_review_date", "final_assessment_date"])
@pytest.mark.parametrize("day", [D(2026, 12, 31), D(2028, 1, 1)])
def test_key_dates_must_lie_inside_the_period(name: str, day: dt.date) -> None:
    assert errors_of(period_2027(**{name: day})) == {name: ["Ngày này phải nằm trong kỳ công tác."]}


@pytest.mark.parametrize("name", ["registration_deadline", "midyear_review_date", "final_assessment_date"])
@pytest.mark.parametrize("day", [D(2027, 1, 1), D(2027, 12, 31)])
def test_key_dates_on_the_first_or_last_day_are_inside(name: str, day: dt.date) -> None:
    period_2027(**{name: day}).clean()


def test_a_leap_year_period_keeps_its_29_february() -> None:
    period = period_2027(
        year=2028,
        start_date=D(2028, 1, 1),
        end_date=D(2028, 12, 31),
        registration_deadline=D(2028, 2, 29),
        midyear_review_date=D(2028, 7, 14),
        final_assessment_date=D(2028, 12, 8),
    )
    period.clean()
    assert period.contains(D(2028, 2, 29))
    assert not period.contains(D(2029, 1, 1))


def test_every_inconsistency_is_named_at_once() -> None:
    errors = errors_of(
        period_2027(
            own_min=4, own_max=2, assigned_min=3, assigned_max=1, registration_deadline=D(2026, 12, 1)
        )
    )
    assert sorted(errors) == ["assigned_min", "own_min", "registration_deadline"]


@pytest.mark.django_db
def test_full_clean_reports_the_inconsistency_too() -> None:
    with pytest.raises(ValidationError) as caught:
        period_2027(own_min=9).full_clean()
    assert caught.value.message_dict == {"own_min": ["Số tối thiểu không được lớn hơn số tối đa."]}


@pytest.mark.django_db
def test_the_demo_period_is_consistent(period: Period) -> None:
    period.full_clean()
    assert period.common_tasks.count() == period.common_count == 5
