"""Status derivation: a table of cases, properties, and the SQL expressions agreeing with the Python rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trongtam.followup.domain.status import (
    Tally,
    deadline_state,
    deadline_state_expression,
    outcome,
    outcome_expression,
    proposed_delivery,
)
from trongtam.followup.enums import DeadlineState, Delivery, Lifecycle, Outcome

D = dt.date
TODAY = D(2026, 6, 15)


@pytest.mark.parametrize(
    ("lifecycle", "deadline", "due_soon_from", "state"),
    [
        (Lifecycle.IN_PROGRESS, None, None, DeadlineState.NO_DEADLINE),
        (Lifecycle.IN_PROGRESS, D(2026, 6, 30), D(2026, 6, 25), DeadlineState.IN_TIME),
        (Lifecycle.IN_PROGRESS, D(2026, 6, 18), D(2026, 6, 15), DeadlineState.DUE_SOON),
        (Lifecycle.NOT_STARTED, D(2026, 6, 15), D(2026, 6, 10), DeadlineState.DUE_SOON),  # the last day
        (Lifecycle.NOT_STARTED, D(2026, 6, 14), D(2026, 6, 9), DeadlineState.OVERDUE),
        (Lifecycle.PAUSED, D(2026, 6, 1), D(2026, 5, 27), DeadlineState.OVERDUE),
        (Lifecycle.AWAITING_ACCEPTANCE, D(2026, 6, 1), D(2026, 5, 27), DeadlineState.OVERDUE),
        (Lifecycle.DONE, D(2026, 6, 1), D(2026, 5, 27), None),
        (Lifecycle.CANCELLED, D(2026, 6, 1), D(2026, 5, 27), None),
    ],
)
def test_deadline_state_table(
    lifecycle: str, deadline: dt.date | None, due_soon_from: dt.date | None, state: DeadlineState | None
) -> None:
    assert (
        deadline_state(lifecycle=lifecycle, deadline=deadline, due_soon_from=due_soon_from, today=TODAY)
        == state
    )


@pytest.mark.parametrize(
    ("lifecycle", "on_time", "deadline", "cell"),
    [
        (Lifecycle.DONE, True, D(2026, 1, 31), Outcome.DONE_ON_TIME),
        (Lifecycle.DONE, False, D(2026, 1, 31), Outcome.DONE_LATE),
        (Lifecycle.IN_PROGRESS, None, D(2026, 6, 15), Outcome.OPEN_IN_TIME),
        (Lifecycle.IN_PROGRESS, None, D(2026, 6, 14), Outcome.OPEN_OVERDUE),
        (Lifecycle.REDO, None, None, Outcome.OPEN_IN_TIME),
        (Lifecycle.REFUSED, None, D(2026, 1, 1), None),
        (Lifecycle.CANCELLED, None, D(2026, 1, 1), None),
    ],
)
def test_outcome_table(
    lifecycle: str, on_time: bool | None, deadline: dt.date | None, cell: Outcome | None
) -> None:
    assert outcome(lifecycle=lifecycle, on_time=on_time, deadline=deadline, today=TODAY) == cell


def test_the_government_completion_rate_of_2017() -> None:
    """Report 1270/BC-TCTTTg: 16,051 done (14,068 on time), 5,640 open in time, 223 overdue -> 98.63 %."""
    tally = Tally(done_on_time=14068, done_late=1983, open_in_time=5640, open_overdue=223)
    assert tally.total == 21914
    assert tally.completion_rate == Decimal("98.63")  # the report rounded down to 98.62
    assert Tally().completion_rate is None


lifecycles = st.sampled_from(list(Lifecycle.values))
dates = st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 12, 31))


@given(lifecycles, st.none() | st.booleans(), st.none() | dates, dates, dates)
def test_done_tasks_keep_their_verdict_whatever_the_day(
    lifecycle: str, on_time: bool | None, deadline: dt.date | None, day1: dt.date, day2: dt.date
) -> None:
    """A task's cell never depends on the day once it is done: done on time never becomes late later."""
    first = outcome(lifecycle=Lifecycle.DONE, on_time=on_time, deadline=deadline, today=day1)
    second = outcome(lifecycle=Lifecycle.DONE, on_time=on_time, deadline=deadline, today=day2)
    assert first == second
    assert first in (Outcome.DONE_ON_TIME, Outcome.DONE_LATE)


@given(lifecycles, st.none() | dates, dates, dates)
def test_an_open_task_once_overdue_stays_overdue_as_days_pass(
    lifecycle: str, deadline: dt.date | None, day: dt.date, later: dt.date
) -> None:
    if later < day:
        day, later = later, day
    if outcome(lifecycle=lifecycle, on_time=None, deadline=deadline, today=day) == Outcome.OPEN_OVERDUE:
        assert (
            outcome(lifecycle=lifecycle, on_time=None, deadline=deadline, today=later) == Outcome.OPEN_OVERDUE
        )


@given(lifecycles, st.none() | dates, dates)
def test_open_tasks_have_a_deadline_state_and_closed_ones_do_not(
    lifecycle: str, deadline: dt.date | None, today: dt.date
) -> None:
    state = deadline_state(lifecycle=lifecycle, deadline=deadline, due_soon_from=None, today=today)
    assert (state is None) == (lifecycle in Lifecycle.closed)


@given(
    st.integers(0, 100),
    st.integers(0, 100),
    st.integers(1, 400),
    st.integers(0, 3),
)
def test_more_progress_never_makes_the_judgement_worse(low: int, high: int, length: int, missed: int) -> None:
    low, high = sorted((low, high))
    start = D(2026, 1, 1)
    deadline = start + dt.timedelta(days=length)
    today = start + dt.timedelta(days=length // 2)
    rank = {Delivery.GREEN: 0, Delivery.AMBER: 1, Delivery.RED: 2}
    worse = proposed_delivery(start=start, deadline=deadline, today=today, percent=low, milestones_due=missed)
    better = proposed_delivery(
        start=start, deadline=deadline, today=today, percent=high, milestones_due=missed
    )
    assert rank[better] <= rank[worse]


def test_delivery_examples() -> None:
    start, deadline = D(2026, 1, 1), D(2026, 12, 31)
    mid = D(2026, 7, 2)
    assert proposed_delivery(start=start, deadline=deadline, today=mid, percent=50) == Delivery.GREEN
    assert proposed_delivery(start=start, deadline=deadline, today=mid, percent=35) == Delivery.AMBER
    assert proposed_delivery(start=start, deadline=deadline, today=mid, percent=20) == Delivery.RED
    assert (
        proposed_delivery(start=start, deadline=deadline, today=mid, percent=60, milestones_due=1)
        == Delivery.AMBER
    )
    assert proposed_delivery(start=start, deadline=deadline, today=D(2027, 1, 1), percent=99) == Delivery.RED


# -- the SQL expressions give the same answers -------------------------------------------------------------


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(lifecycles, st.none() | st.booleans(), st.none() | dates, st.integers(0, 5)),
        min_size=1,
        max_size=12,
    ),
    dates,
)
def test_sql_and_python_agree(
    rows: list[tuple[str, bool | None, dt.date | None, int]], today: dt.date
) -> None:
    from tests.followup.factories import make_directive_task

    tasks = []
    for lifecycle, on_time, deadline, soon in rows:
        due_soon_from = deadline - dt.timedelta(days=soon) if deadline else None
        tasks.append(
            make_directive_task(
                lifecycle=lifecycle, on_time=on_time, deadline=deadline, due_soon_from=due_soon_from
            )
        )
    from trongtam.followup.models import Task

    annotated = Task.objects.filter(pk__in=[t.pk for t in tasks]).annotate(
        state=deadline_state_expression(today), cell=outcome_expression(today)
    )
    for task in annotated:
        assert task.state == deadline_state(
            lifecycle=task.lifecycle, deadline=task.deadline, due_soon_from=task.due_soon_from, today=today
        )
        expected = outcome(
            lifecycle=task.lifecycle, on_time=task.on_time, deadline=task.deadline, today=today
        )
        if task.lifecycle == Lifecycle.DONE and task.on_time is None:
            expected = None  # a done task always has a verdict; the SQL leaves an impossible row out
        assert task.cell == expected
