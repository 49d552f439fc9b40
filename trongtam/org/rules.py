"""Role and scope predicates for the whole product. Other apps' rules compose these; none queries per row.

Role predicates take (user) and look only at `user.role`. Scope predicates take (user, unit) and compare the
unit with the user's own unit or the units in their charge (computed once per request and cached on the user).
"""

from __future__ import annotations

from typing import Any

import rules

from trongtam.org.enums import Role


def _role(*roles: Role) -> Any:
    allowed = frozenset(roles)

    @rules.predicate
    def has_role(user: Any) -> bool:
        return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role in allowed)

    has_role.name = "is_" + "_or_".join(r.value for r in roles)
    return has_role


is_chairman = _role(Role.CHAIRMAN)
is_vice_chairman = _role(Role.VICE_CHAIRMAN)
is_office = _role(Role.OFFICE)
is_home_affairs = _role(Role.HOME_AFFAIRS)
is_admin = _role(Role.ADMIN)
is_head = _role(Role.HEAD)
is_council = _role(Role.COUNCIL)
is_citizen = _role(Role.CITIZEN)
is_province_wide = _role(Role.CHAIRMAN, Role.OFFICE, Role.HOME_AFFAIRS, Role.ADMIN)
is_internal = _role(*(set(Role) - {Role.CITIZEN}))


@rules.predicate
def is_head_of_unit(user: Any, unit: Any) -> bool:
    return bool(
        unit is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.HEAD
        and user.unit_id == unit.pk
    )


@rules.predicate
def is_member_of_unit(user: Any, unit: Any) -> bool:
    return bool(
        unit is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role in (Role.HEAD, Role.DEPUTY, Role.OFFICIAL)
        and user.unit_id == unit.pk
    )


@rules.predicate
def has_charge_of_unit(user: Any, unit: Any) -> bool:
    return bool(
        unit is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.VICE_CHAIRMAN
        and unit.pk in user.charged_unit_ids
    )


rules.add_perm("org.view_directory", is_internal)
rules.add_perm("org.import_organization", is_admin | is_home_affairs)
# Job positions of a unit (Decree 62/2020) and the position each official holds: Home Affairs and the administrator.
rules.add_perm("org.manage_job_positions", is_admin | is_home_affairs)
