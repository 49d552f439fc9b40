"""Follow-up metrics for the assessment rubric: the value as of the cut-off and the tasks behind it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.followup.factories import make_directive, make_directive_task
from trongtam.assessment.domain.rubric import METRICS
from trongtam.cycles.models import Period
from trongtam.followup import metrics
from trongtam.followup.enums import Lifecycle
from trongtam.followup.models import Task
from trongtam.keytasks.domain.registration import transition_registration
from trongtam.keytasks.enums import RegistrationAction as A
from trongtam.keytasks.models import KeyTask
from trongtam.org.models import Unit

pytestmark = pytest.mark.django_db

CUT_OFF = dt.date(2026, 11, 30)


@pytest.fixture
def period() -> Period:
    return Period.objects.get(year=2026)


def _task(sct: Unit, **fields: Any) -> Task:
    directive = make_directive(issued_on=fields.pop("assigned_on", dt.date(2026, 3, 2)))
    return make_directive_task(directive, lead_unit=sct, **fields)


def test_the_directive_on_time_rate_as_of_the_cut_off(period: Period) -> None:
    sct = Unit.objects.get(code="SCT")
    Task.objects.filter(lead_unit=sct).delete()
    june, december = dt.date(2026, 6, 30), dt.date(2026, 12, 31)
    on_time = _task(sct, lifecycle=Lifecycle.DONE, on_time=True, deadline=june, completion_reported_on=june)
    late = _task(
        sct,
        lifecycle=Lifecycle.DONE,
        on_time=False,
        deadline=june,
        completion_reported_on=dt.date(2026, 7, 9),
    )
    overdue = _task(sct, lifecycle=Lifecycle.IN_PROGRESS, deadline=june)
    _task(sct, lifecycle=Lifecycle.IN_PROGRESS, deadline=december)  # not due yet
    _task(
        sct,
        lifecycle=Lifecycle.DONE,
        on_time=True,
        deadline=december,
        completion_reported_on=dt.date(2026, 12, 5),
    )  # done after the cut-off, not due at it
    _task(sct, lifecycle=Lifecycle.CANCELLED, deadline=june)  # outside the counts
    _task(
        sct, lifecycle=Lifecycle.IN_PROGRESS, deadline=june, assigned_on=dt.date(2025, 11, 3)
    )  # last year's
    measured = metrics.directive_on_time_rate(sct, period, CUT_OFF)
    assert measured.value == Decimal("33.33")  # 1 on time of 3 due
    assert set(measured.record_ids) == {late.pk, overdue.pk}
    assert measured.record_kind == "followup.task"
    assert on_time.pk not in measured.record_ids  # fmt: skip


def test_nothing_due_is_not_measured_and_a_person_is_measured_by_their_unit(
    period: Period, person: Any
) -> None:
    sct = Unit.objects.get(code="SCT")
    Task.objects.filter(lead_unit=sct).delete()
    assert metrics.directive_on_time_rate(sct, period, CUT_OFF).value is None
    _task(sct, lifecycle=Lifecycle.IN_PROGRESS, deadline=dt.date(2026, 6, 30))
    assert metrics.directive_on_time_rate(person("gd.sct"), period, CUT_OFF).value == Decimal("0.00")
    assert metrics.directive_on_time_rate(person("congdan"), period, CUT_OFF).value is None


def test_key_task_metrics_follow_the_units_approved_registration(
    period: Period, person: Any, registration_of: Any
) -> None:
    registration = registration_of("SCT")
    transition_registration(registration.pk, A.APPROVE, by=person("pct.kinhte"))
    followed = list(Task.objects.filter(registration=registration).order_by("pk"))
    done, personal = followed[0], followed[1]
    Task.objects.filter(registration=registration).update(
        deadline=dt.date(2026, 12, 31)
    )  # none due but these
    Task.objects.filter(pk=done.pk).update(
        lifecycle=Lifecycle.DONE, on_time=True, deadline=dt.date(2026, 9, 30),
        completion_reported_on=dt.date(2026, 9, 28),
    )  # fmt: skip
    Task.objects.filter(pk=personal.pk).update(deadline=dt.date(2026, 10, 15))
    KeyTask.objects.filter(followed=personal).update(led_personally=True)
    due = Task.objects.filter(registration=registration, deadline__lt=CUT_OFF).count()

    completion = metrics.key_task_completion_rate(person("gd.sct"), period, CUT_OFF)
    assert completion.value == (Decimal(100) / due).quantize(Decimal("0.01"))
    assert done.pk not in completion.record_ids
    overdue = metrics.overdue_led_personally(person("gd.sct"), period, CUT_OFF)
    assert overdue.record_ids == (personal.pk,)
    assert overdue.value == 1


def test_the_registry_offers_the_follow_up_metrics() -> None:
    assert {
        "followup.directive_on_time_rate",
        "followup.key_task_completion_rate",
        "followup.key_task_on_time_rate",
        "followup.overdue_led_personally",
    } <= {metric.code for metric in METRICS}


states = st.tuples(
    st.sampled_from([Lifecycle.DONE, Lifecycle.IN_PROGRESS, Lifecycle.NOT_STARTED, Lifecycle.CANCELLED]),
    st.booleans(),
    st.integers(min_value=-60, max_value=60),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(states, max_size=8))
def test_the_rate_is_a_share_of_the_due_tasks_and_names_every_one_that_fell_short(
    period: Period, tasks: list[tuple[str, bool, int]]
) -> None:
    sct = Unit.objects.get(code="XA30")
    Task.objects.filter(lead_unit=sct).delete()
    made = []
    for lifecycle, on_time, offset in tasks:
        deadline = CUT_OFF + dt.timedelta(days=offset)
        accepted = lifecycle == Lifecycle.DONE
        made.append(_task(sct, lifecycle=lifecycle, deadline=deadline, on_time=on_time if accepted else None,
                          completion_reported_on=deadline if accepted else None))  # fmt: skip
    measured = metrics.directive_on_time_rate(sct, period, CUT_OFF)
    counted = [t for t in made if t.lifecycle != Lifecycle.CANCELLED]
    # Done as of the cut-off: accepted, and reported by then (a report after the cut-off is not counted yet).
    done = [t for t in counted if t.lifecycle == Lifecycle.DONE and t.completion_reported_on <= CUT_OFF]  # type: ignore[operator]
    due = [t for t in counted if t in done or t.deadline < CUT_OFF]  # type: ignore[operator]
    good = [t for t in done if t.on_time]
    if not due:
        assert measured.value is None
        return
    assert measured.value is not None
    assert 0 <= measured.value <= 100
    assert measured.value == (Decimal(100) * len(good) / len(due)).quantize(Decimal("0.01"))
    assert set(measured.record_ids) == {t.pk for t in due} - {t.pk for t in good}


def test_a_unit_without_an_approved_registration_scores_nothing_for_key_tasks(
    period: Period, person: Any
) -> None:
    """STC has no registration in the demo: 0 %, not "nothing to measure" (which a rubric may score in full)."""
    assert not Task.objects.filter(registration__unit__code="STC").exists()
    assert metrics.key_task_completion_rate(person("gd.stc"), period, CUT_OFF).value == Decimal("0.00")
    assert metrics.key_task_on_time_rate(person("gd.stc"), period, CUT_OFF).value == Decimal("0.00")
