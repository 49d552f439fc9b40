"""Status of a followed task, derived from its dates and events -- in this one place.

Python functions for one task, and the same rules as SQL expressions for lists and aggregates
(`deadline_state_expression`, `outcome_expression`); the tests check that the two always agree.

Rules (domain-vn.md §5; Report 1270/BC-TCTTTg):
- open tasks are "overdue" once today is past the deadline, "due soon" from `due_soon_from` (3 working days
  before the deadline, computed on the calendar when the deadline is set), else "in time";
- a task's on-time verdict is fixed when its completion is accepted, by the day the lead unit reported it done
  against the deadline in force (an approved extension counts; the original stays on record). It never changes
  afterwards: done-on-time does not become late;
- cancelled and refused tasks are outside the 2×2; paused and redo tasks are open;
- the completion rate is taken over tasks already due: done ÷ (done + open overdue).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Q, Value, When
from django.db.models.expressions import Expression

from trongtam.followup.enums import DeadlineState, Delivery, Lifecycle, Outcome


def deadline_state(
    *, lifecycle: str, deadline: dt.date | None, due_soon_from: dt.date | None, today: dt.date
) -> DeadlineState | None:
    """The deadline state of an open task; None for a closed one (its outcome says how it ended)."""
    if lifecycle not in Lifecycle.open:
        return None
    if deadline is None:
        return DeadlineState.NO_DEADLINE
    if today > deadline:
        return DeadlineState.OVERDUE
    if due_soon_from is not None and today >= due_soon_from:
        return DeadlineState.DUE_SOON
    return DeadlineState.IN_TIME


def outcome(
    *, lifecycle: str, on_time: bool | None, deadline: dt.date | None, today: dt.date
) -> Outcome | None:
    """The task's cell in the 2×2, or None when it is outside it (cancelled, refused)."""
    if lifecycle == Lifecycle.DONE:
        return Outcome.DONE_ON_TIME if on_time else Outcome.DONE_LATE
    if lifecycle not in Lifecycle.open:
        return None
    if deadline is not None and today > deadline:
        return Outcome.OPEN_OVERDUE
    return Outcome.OPEN_IN_TIME


def deadline_state_expression(today: dt.date) -> Expression:
    """`deadline_state` as SQL over the Task columns (NULL for closed tasks)."""
    return Case(
        When(~Q(lifecycle__in=Lifecycle.open), then=Value(None)),
        When(deadline__isnull=True, then=Value(DeadlineState.NO_DEADLINE.value)),
        When(deadline__lt=today, then=Value(DeadlineState.OVERDUE.value)),
        When(due_soon_from__lte=today, then=Value(DeadlineState.DUE_SOON.value)),
        default=Value(DeadlineState.IN_TIME.value),
    )


def outcome_q(cell: Outcome, today: dt.date) -> Q:
    """The filter that selects the tasks of one 2×2 cell (for Count(filter=...) aggregates)."""
    if cell == Outcome.DONE_ON_TIME:
        return Q(lifecycle=Lifecycle.DONE, on_time=True)
    if cell == Outcome.DONE_LATE:
        return Q(lifecycle=Lifecycle.DONE, on_time=False)
    overdue = Q(deadline__isnull=False, deadline__lt=today)
    if cell == Outcome.OPEN_OVERDUE:
        return Q(lifecycle__in=Lifecycle.open) & overdue
    return Q(lifecycle__in=Lifecycle.open) & ~overdue


def outcome_expression(today: dt.date) -> Expression:
    return Case(
        *(When(outcome_q(cell, today), then=Value(cell.value)) for cell in Outcome),
        default=Value(None),
    )


@dataclass(frozen=True)
class Tally:
    """A 2×2 count and the rates derived from it."""

    done_on_time: int = 0
    done_late: int = 0
    open_in_time: int = 0
    open_overdue: int = 0

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late

    @property
    def total(self) -> int:
        return self.done + self.open_in_time + self.open_overdue

    @property
    def due(self) -> int:
        """Tasks already due: every done task and every open overdue one."""
        return self.done + self.open_overdue

    @property
    def completion_rate(self) -> Decimal | None:
        """Done ÷ (done + open overdue), in percent with two decimals; None when nothing is due yet."""
        if self.due == 0:
            return None
        return (Decimal(100) * self.done / self.due).quantize(Decimal("0.01"))

    @property
    def on_time_rate(self) -> Decimal | None:
        """Done on time ÷ all tasks due, in percent."""
        if self.due == 0:
            return None
        return (Decimal(100) * self.done_on_time / self.due).quantize(Decimal("0.01"))


def proposed_delivery(
    *,
    start: dt.date,
    deadline: dt.date | None,
    today: dt.date,
    percent: int | None,
    milestones_due: int = 0,
    milestones_met: int = 0,
) -> Delivery:
    """The system's proposal: progress and milestones against the share of time elapsed.

    Red when overdue, when progress lags the time elapsed by more than 25 points, or when a due milestone is
    missed and progress lags by more than 10; amber when progress lags by more than 10 points or a due
    milestone is missed; green otherwise.
    """
    if deadline is None:
        return Delivery.GREEN if not milestones_due or milestones_met >= milestones_due else Delivery.AMBER
    if today > deadline:
        return Delivery.RED
    total = max((deadline - start).days, 1)
    elapsed = min(max((today - start).days, 0), total)
    expected = 100 * elapsed / total
    lag = expected - (percent or 0)
    missed = milestones_met < milestones_due
    if lag > 25 or (missed and lag > 10):
        return Delivery.RED
    if lag > 10 or missed:
        return Delivery.AMBER
    return Delivery.GREEN
