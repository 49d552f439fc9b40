"""The steps of a feedback case: which statuses each leaves from and goes to, as data.

received ──assign──▶ assigned ──handle──▶ in handling ──answer──▶ answered ──close──▶ closed
                                               ▲                      │                 │
                                               └──────── reopen ──────┴─────────────────┘
A case that is not the unit's to answer may be closed early as transferred or rejected (from received, assigned or
in handling); resolved and "closed without resolution" need an answer first. The reporter may reopen an answered
case, or a closed one that was answered; it goes back to in handling. Publishing the answer, matching the official
and the reporter's confirmation change no status.
"""

from __future__ import annotations

from dataclasses import dataclass

from trongtam.feedback.enums import FeedbackAction as A
from trongtam.feedback.enums import FeedbackStatus as S
from trongtam.feedback.enums import Outcome


@dataclass(frozen=True)
class Step:
    sources: frozenset[str]
    target: str


OPEN = frozenset(S.awaiting_answer)

STEPS: dict[A, Step] = {
    A.ASSIGN: Step(frozenset({S.RECEIVED, S.ASSIGNED}), S.ASSIGNED),  # re-assigning a case not started yet
    A.HANDLE: Step(frozenset({S.ASSIGNED, S.IN_HANDLING}), S.IN_HANDLING),  # the head takes it or delegates
    A.ANSWER: Step(frozenset({S.IN_HANDLING}), S.ANSWERED),
    A.CLOSE: Step(OPEN | {S.ANSWERED}, S.CLOSED),
    A.REOPEN: Step(frozenset({S.ANSWERED, S.CLOSED}), S.IN_HANDLING),
}


def outcome_allowed(status: str, outcome: str) -> bool:
    """Whether a case in `status` may be closed with `outcome`: without an answer only transferred or rejected."""
    if status == S.ANSWERED:
        return True
    return status in OPEN and outcome in Outcome.without_answer


def reopen_allowed(status: str, outcome: str) -> bool:
    """A case the unit answered may be reopened; one transferred or rejected was never the unit's to solve."""
    return status == S.ANSWERED or (
        status == S.CLOSED and outcome in (Outcome.RESOLVED, Outcome.CLOSED_UNRESOLVED)
    )


def next_status(status: str, action: A, outcome: str = "") -> str | None:
    """The status after `action`, or None when the action is not allowed from `status`."""
    step = STEPS.get(action)
    if step is None or status not in step.sources:
        return None
    if action == A.CLOSE and not outcome_allowed(status, outcome):
        return None
    if action == A.REOPEN and not reopen_allowed(status, outcome):
        return None
    return step.target
