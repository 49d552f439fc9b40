"""Who may do what with a registration: role × scope (× state where the content is concerned).

Transition permissions check role and scope only; a wrong source state is the workflow's 409, not a 403.
"""

from __future__ import annotations

from typing import Any

import rules

from trongtam.keytasks.enums import RegistrationStatus
from trongtam.org.enums import Role
from trongtam.org.rules import is_chairman, is_council, is_head, is_province_wide, is_vice_chairman


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


@rules.predicate
def is_head_of_registration_unit(user: Any, registration: Any) -> bool:
    return bool(
        registration is not None
        and _active(user)
        and user.role == Role.HEAD
        and user.unit_id == registration.unit_id
    )


@rules.predicate
def is_member_of_registration_unit(user: Any, registration: Any) -> bool:
    return bool(
        registration is not None
        and _active(user)
        and user.role in (Role.HEAD, Role.DEPUTY, Role.OFFICIAL)
        and user.unit_id == registration.unit_id
    )


@rules.predicate
def has_charge_of_registration_unit(user: Any, registration: Any) -> bool:
    return bool(
        registration is not None
        and _active(user)
        and user.role == Role.VICE_CHAIRMAN
        and registration.unit_id in user.charged_unit_ids
    )


@rules.predicate
def is_editable(user: Any, registration: Any) -> bool:
    return registration is not None and registration.status in RegistrationStatus.editable


rules.add_perm(
    "keytasks.view_registration",
    is_province_wide | is_council | is_member_of_registration_unit | has_charge_of_registration_unit,
)
rules.add_perm("keytasks.start_registration", is_head)
rules.add_perm("keytasks.change_registration", is_head_of_registration_unit & is_editable)
rules.add_perm("keytasks.submit_registration", is_head_of_registration_unit)
rules.add_perm("keytasks.sign_commitment", is_head_of_registration_unit)
rules.add_perm("keytasks.request_change_registration", is_head_of_registration_unit)
rules.add_perm("keytasks.review_registration", has_charge_of_registration_unit | is_chairman)
rules.add_perm("keytasks.view_review_queue", is_vice_chairman | is_chairman)
