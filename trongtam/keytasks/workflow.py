"""The registration workflow as data: which action moves which states to which, and who may do it.

draft → submitted → returned ↔ submitted → approved (locked) → change_requested → revising → submitted …
An approved registration can be changed only through a change request, approved the same way as a submission.
"""

from __future__ import annotations

from dataclasses import dataclass

from trongtam.keytasks.enums import RegistrationAction as A
from trongtam.keytasks.enums import RegistrationStatus as S


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    perm: str
    needs_comment: bool = False


TRANSITIONS: dict[A, Transition] = {
    A.SUBMIT: Transition(
        frozenset({S.DRAFT, S.RETURNED, S.REVISING}), S.SUBMITTED, "keytasks.submit_registration"
    ),
    A.RETURN: Transition(
        frozenset({S.SUBMITTED}), S.RETURNED, "keytasks.review_registration", needs_comment=True
    ),
    A.APPROVE: Transition(frozenset({S.SUBMITTED}), S.APPROVED, "keytasks.review_registration"),
    A.REQUEST_CHANGE: Transition(
        frozenset({S.APPROVED}),
        S.CHANGE_REQUESTED,
        "keytasks.request_change_registration",
        needs_comment=True,
    ),
    A.APPROVE_CHANGE: Transition(frozenset({S.CHANGE_REQUESTED}), S.REVISING, "keytasks.review_registration"),
    A.REJECT_CHANGE: Transition(
        frozenset({S.CHANGE_REQUESTED}), S.APPROVED, "keytasks.review_registration", needs_comment=True
    ),
}


def next_status(status: str, action: A) -> str | None:
    """The status `action` leads to from `status`, or None if the action is not allowed there."""
    transition = TRANSITIONS[action]
    return transition.target if status in transition.sources else None


def available_actions(status: str) -> list[A]:
    return [action for action, t in TRANSITIONS.items() if status in t.sources]
