"""The steps of a dialogue issue and of a Council recommendation: which statuses each leaves from and goes to,
who may take it, and what it needs.

Dialogue issue:  open → assigned → in handling → answered → closed (resolved)
                          ↑  (given to another unit)  ↓ returned        ↘ closed unresolved, with a reason
                 open/assigned/in handling → closed: transferred (with the authority) or rejected (with a reason)
                 closed → assigned again: reopened, with a reason and a new deadline.
Recommendation:  assigned (recorded with its unit and deadline) → in handling → answered (the unit's report)
                 → closed with the Council's verdict; or sent back to the unit from "answered".
"""

from __future__ import annotations

from dataclasses import dataclass

from trongtam.supervision.enums import IssueAction as IA  # noqa: N817
from trongtam.supervision.enums import ItemStatus as S
from trongtam.supervision.enums import Outcome
from trongtam.supervision.enums import RecommendationAction as RA  # noqa: N817


@dataclass(frozen=True)
class Step:
    sources: frozenset[str]
    target: str
    perm: str
    needs_comment: bool = False
    outcome: str = ""  # the end state a closing step records
    needs_unit: bool = False  # a unit and a deadline (giving the item to a unit)
    needs_answer: bool = False


MANAGE, HANDLE, ANSWER = "supervision.manage_issue", "supervision.handle_issue", "supervision.answer_issue"
WAITING = frozenset({S.ASSIGNED, S.IN_HANDLING})

ISSUE_STEPS: dict[IA, Step] = {
    IA.ASSIGN: Step(frozenset({S.OPEN, *WAITING}), S.ASSIGNED, MANAGE, needs_unit=True),
    IA.START: Step(frozenset({S.ASSIGNED}), S.IN_HANDLING, HANDLE),
    IA.ANSWER: Step(WAITING, S.ANSWERED, ANSWER, needs_answer=True),
    IA.RETURN: Step(frozenset({S.ANSWERED}), S.IN_HANDLING, MANAGE, needs_comment=True),
    IA.RESOLVE: Step(frozenset({S.ANSWERED}), S.CLOSED, MANAGE, outcome=Outcome.RESOLVED),
    IA.CLOSE_UNRESOLVED: Step(
        frozenset({*WAITING, S.ANSWERED}),
        S.CLOSED,
        MANAGE,
        needs_comment=True,
        outcome=Outcome.CLOSED_UNRESOLVED,
    ),
    IA.TRANSFER: Step(
        frozenset({S.OPEN, *WAITING}), S.CLOSED, MANAGE, needs_comment=True, outcome=Outcome.TRANSFERRED
    ),
    IA.REJECT: Step(
        frozenset({S.OPEN, S.ASSIGNED}), S.CLOSED, MANAGE, needs_comment=True, outcome=Outcome.REJECTED
    ),
    IA.REOPEN: Step(frozenset({S.CLOSED}), S.ASSIGNED, MANAGE, needs_comment=True, needs_unit=True),
}

JUDGE = "supervision.judge_recommendation"
RECOMMENDATION_STEPS: dict[RA, Step] = {
    RA.START: Step(frozenset({S.ASSIGNED}), S.IN_HANDLING, "supervision.handle_recommendation"),
    RA.REPORT: Step(WAITING, S.ANSWERED, "supervision.answer_recommendation", needs_answer=True),
    RA.CONCLUDE: Step(frozenset({*WAITING, S.ANSWERED}), S.CLOSED, JUDGE),
    RA.RETURN: Step(frozenset({S.ANSWERED}), S.IN_HANDLING, JUDGE, needs_comment=True),
}


def next_status(steps: dict[IA, Step] | dict[RA, Step], status: str, action: str) -> str | None:
    """The status `action` leads to from `status`, or None when it is not allowed there."""
    step = steps[action]  # type: ignore[index]
    return step.target if status in step.sources else None


def available(steps: dict[IA, Step] | dict[RA, Step], status: str) -> list[str]:
    return [action for action, step in steps.items() if status in step.sources]
