"""Who may see and do what with a feedback case: role × the case's unit.

- Triage (assign a case to the unit concerned): the Provincial Office and the staff of a public-administration
  service centre, who receive for every agency of the province (Decree 118/2025). They see every case.
- See: the province-wide roles and the triage staff, every case; a Vice-Chairman, the cases about the units in
  their charge; the head and the deputies of a unit, its cases; an official, the cases they were given to handle.
  The official a case names never sees it (nor may handle it): the reporter's name must not reach the person
  reported on. The Council and citizens do not see the internal list (a citizen follows their own cases publicly).
- Handle (take the case or delegate it), answer: the person it was given to, the head of its unit, or the person
  the head delegated it to. Close, publish the answer, name the official: the triage staff or the unit's leaders.
"""

from __future__ import annotations

from typing import Any

import rules

from trongtam.dossiers.rules import is_service_center_staff
from trongtam.feedback.domain.workflow import STEPS
from trongtam.feedback.enums import FeedbackAction, FeedbackStatus
from trongtam.org.enums import Role
from trongtam.org.rules import is_office, is_province_wide, is_vice_chairman


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


is_triager = is_office | is_service_center_staff


@rules.predicate
def is_named_in(user: Any, case: Any) -> bool:
    return bool(case is not None and _active(user) and case.official_id == user.pk)


@rules.predicate
def leads_unit_of(user: Any, case: Any) -> bool:
    return bool(
        case is not None
        and _active(user)
        and user.role in (Role.HEAD, Role.DEPUTY)
        and user.unit_id == case.unit_id
    )


@rules.predicate
def is_head_of_unit_of(user: Any, case: Any) -> bool:
    return bool(
        case is not None and _active(user) and user.role == Role.HEAD and user.unit_id == case.unit_id
    )


@rules.predicate
def was_given_it(user: Any, case: Any) -> bool:
    return bool(case is not None and _active(user) and user.pk in (case.assigned_to_id, case.handler_id))


@rules.predicate
def has_charge_of_unit_of(user: Any, case: Any) -> bool:
    return bool(
        case is not None
        and _active(user)
        and user.role == Role.VICE_CHAIRMAN
        and case.unit_id in user.charged_unit_ids
    )


@rules.predicate
def is_unit_role(user: Any) -> bool:
    return bool(_active(user) and user.role in (Role.HEAD, Role.DEPUTY, Role.OFFICIAL))


sees_case = (is_province_wide | is_triager) | (
    ~is_named_in & (has_charge_of_unit_of | leads_unit_of | was_given_it)
)
unit_leader = ~is_named_in & leads_unit_of

rules.add_perm("feedback.view_feedback_list", is_province_wide | is_vice_chairman | is_unit_role)
rules.add_perm("feedback.view_feedback", sees_case)
rules.add_perm("feedback.assign_feedback", is_triager)
rules.add_perm("feedback.handle_feedback", ~is_named_in & (is_head_of_unit_of | was_given_it))
rules.add_perm("feedback.answer_feedback", ~is_named_in & (is_head_of_unit_of | was_given_it))
rules.add_perm("feedback.close_feedback", is_triager | unit_leader)
rules.add_perm("feedback.publish_feedback", is_triager | unit_leader)
rules.add_perm("feedback.match_official", is_triager | unit_leader)

# The staff's steps that have a form on the case page and an API action, with the permission each needs.
STEP_PERMS: dict[str, str] = {
    FeedbackAction.ASSIGN: "feedback.assign_feedback",
    FeedbackAction.HANDLE: "feedback.handle_feedback",
    FeedbackAction.ANSWER: "feedback.answer_feedback",
    FeedbackAction.CLOSE: "feedback.close_feedback",
    FeedbackAction.PUBLISH: "feedback.publish_feedback",
    FeedbackAction.MATCH_OFFICIAL: "feedback.match_official",
}


def step_open_to(user: Any, case: Any, action: str) -> bool:
    """Whether the step is offered to `user` now: their permission and the case's status."""
    if not user.has_perm(STEP_PERMS[action], case):
        return False
    if action == FeedbackAction.PUBLISH:
        return case.answered_on is not None
    if action == FeedbackAction.MATCH_OFFICIAL:
        return bool(case.status != FeedbackStatus.CLOSED)
    return case.status in STEPS[FeedbackAction(action)].sources
