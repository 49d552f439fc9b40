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
