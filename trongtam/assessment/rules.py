"""Who may do what in an assessment round: role × scope, never the sheet's state (a wrong state is a 409).

- Home Affairs manages the rubrics and the rounds (import, open, recompute), verifies the sheets, records the
  facts that bind a classification and previews it.
- The head scores their own sheet in self-assessment; a head sees only their own sheet.
- The Vice-Chairman in charge of the head's unit reviews it.
- The Chairman signs the round off (and sees the preview he signs) and decides the heads' appeals.
- The province-wide roles and the council may view every sheet.
"""

from __future__ import annotations

from typing import Any

import rules

from trongtam.org.enums import Role
from trongtam.org.rules import (
    is_chairman,
    is_council,
    is_head,
    is_home_affairs,
    is_province_wide,
    is_vice_chairman,
)


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


@rules.predicate
def is_own_sheet(user: Any, sheet: Any) -> bool:
    """The head whose sheet it is (the sheet keeps its person even if they later change role)."""
    return bool(sheet is not None and _active(user) and user.role == Role.HEAD and user.pk == sheet.person_id)


@rules.predicate
def has_charge_of_sheet_unit(user: Any, sheet: Any) -> bool:
    return bool(
        sheet is not None
        and _active(user)
        and user.role == Role.VICE_CHAIRMAN
        and sheet.unit_id in user.charged_unit_ids
    )


rules.add_perm("assessment.manage_rubric", is_home_affairs)
rules.add_perm("assessment.manage_round", is_home_affairs)
rules.add_perm("assessment.view_round", is_province_wide | is_council | is_vice_chairman | is_head)
rules.add_perm("assessment.preview_round", is_home_affairs | is_chairman)
# The round's classification settings and the exceptions to the quota, before sign-off.
rules.add_perm("assessment.configure_classification", is_home_affairs)
rules.add_perm("assessment.sign_round", is_chairman)
rules.add_perm(
    "assessment.view_sheet", is_province_wide | is_council | has_charge_of_sheet_unit | is_own_sheet
)
rules.add_perm("assessment.self_assess_sheet", is_own_sheet)
rules.add_perm("assessment.view_own_sheet", is_head)  # the navigation's "Phiếu đánh giá của tôi"
rules.add_perm("assessment.review_sheet", has_charge_of_sheet_unit)
rules.add_perm("assessment.verify_sheet", is_home_affairs)
rules.add_perm("assessment.record_facts", is_home_affairs)
# Before sign-off, a verified sheet may go back to verification: Home Affairs or the Chairman.
rules.add_perm("assessment.reopen_verified_sheet", is_home_affairs | is_chairman)
# The Chairman decides a head's appeal against their level (a delegate is not modelled yet).
rules.add_perm("assessment.decide_appeal", is_chairman)


@rules.predicate
def is_signed_round(user: Any, rnd: Any) -> bool:
    return bool(rnd is not None and rnd.status == "signed")  # RoundStatus.SIGNED


# The classification's Excel and Word files: those who preview it, at any time; once the Chairman has signed, the
# result is also for the other province-wide roles and the council, who see every sheet of the round. A
# Vice-Chairman or a head sees only some sheets, so never the whole table.
rules.add_perm(
    "assessment.export_classification",
    is_home_affairs | is_chairman | (is_signed_round & (is_province_wide | is_council)),
)


# -- staff evaluation (issue #4, item 6) -------------------------------------------------------------------------
# An official (deputy or official of a unit) self-evaluates their own evaluation; the head of the unit rates the
# unit's staff and finalizes; the province-wide roles and the council see every unit's; a Vice-Chairman the units
# in their charge. Objects: a StaffEvaluation (its `person_id`, `unit_id`) or a Unit.

_STAFF = (Role.DEPUTY, Role.OFFICIAL)


def _unit_id(obj: Any) -> Any:
    return getattr(obj, "unit_id", None) if hasattr(obj, "person_id") else getattr(obj, "pk", None)


@rules.predicate
def is_own_evaluation(user: Any, evaluation: Any) -> bool:
    return bool(evaluation is not None and _active(user) and user.pk == evaluation.person_id)


@rules.predicate
def heads_evaluation_unit(user: Any, obj: Any) -> bool:
    """The head of the unit of the evaluation (or of the unit itself)."""
    return bool(
        obj is not None and _active(user) and user.role == Role.HEAD and user.unit_id == _unit_id(obj)
    )


@rules.predicate
def has_charge_of_evaluation_unit(user: Any, obj: Any) -> bool:
    return bool(
        obj is not None
        and _active(user)
        and user.role == Role.VICE_CHAIRMAN
        and _unit_id(obj) in user.charged_unit_ids
    )


@rules.predicate
def is_member_of_evaluation_unit(user: Any, obj: Any) -> bool:
    return bool(
        obj is not None
        and _active(user)
        and user.role in (Role.HEAD, *_STAFF)
        and user.unit_id == _unit_id(obj)
    )


@rules.predicate
def is_unit_staff(user: Any) -> bool:
    return bool(_active(user) and user.role in _STAFF and user.unit_id is not None)


_SEES_ALL_STAFF = is_province_wide | is_council
rules.add_perm(
    "assessment.view_staff_evaluation",
    _SEES_ALL_STAFF | has_charge_of_evaluation_unit | heads_evaluation_unit | is_own_evaluation,
)
rules.add_perm(
    "assessment.view_unit_staff", _SEES_ALL_STAFF | has_charge_of_evaluation_unit | heads_evaluation_unit
)
rules.add_perm("assessment.view_staff_results", _SEES_ALL_STAFF | is_vice_chairman)
rules.add_perm("assessment.self_evaluate", is_own_evaluation)
rules.add_perm(
    "assessment.view_own_staff_evaluation", is_unit_staff
)  # the navigation's "Tự đánh giá của tôi"
rules.add_perm("assessment.rate_staff", heads_evaluation_unit)
rules.add_perm("assessment.rate_unit_staff", heads_evaluation_unit)
rules.add_perm("assessment.rate_own_unit_staff", is_head)  # the navigation's "Đánh giá công chức của đơn vị"
rules.add_perm("assessment.start_staff_evaluations", is_member_of_evaluation_unit)
rules.add_perm("assessment.manage_work_plan", heads_evaluation_unit)  # obj: the official's Unit
