"""Who may see and do what with dossiers, procedures and apology letters: role × the dossier's unit.

- See a unit's dossiers and their statistics: the province-wide roles, the Council (read-only), the Vice-Chairman
  in charge of the unit, the unit's own people, and the staff of a public-administration service centre (since
  Decree 118/2025 the centre receives for every agency of the province, whatever the boundary).
- Enter, import and move a dossier along: the unit's own people and service-centre staff, and the administrator.
- Approve (sign) an apology letter: the head or a deputy of the dossier's unit -- the leader the letter speaks for.
- The procedure catalog: the Provincial Office (its administrative-procedure control) and the administrator.
"""

from __future__ import annotations

from typing import Any

import rules

from trongtam.org.enums import Role, UnitKind
from trongtam.org.rules import (
    has_charge_of_unit,
    is_admin,
    is_council,
    is_internal,
    is_member_of_unit,
    is_office,
    is_province_wide,
)


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def unit_of(target: Any) -> Any:
    """The unit a rule is about: the unit itself, or the unit of a dossier or of a letter's dossier."""
    if target is None:
        return None
    if hasattr(target, "dossier"):  # an apology letter or a rating
        target = target.dossier
    return getattr(target, "unit", target)


@rules.predicate
def is_service_center_staff(user: Any) -> bool:
    return bool(
        _active(user)
        and user.role in (Role.HEAD, Role.DEPUTY, Role.OFFICIAL)
        and user.unit_id is not None
        and user.unit.kind == UnitKind.SERVICE_CENTER
    )


@rules.predicate
def works_in_unit_of(user: Any, target: Any) -> bool:
    return bool(is_member_of_unit(user, unit_of(target)))


@rules.predicate
def has_charge_of_unit_of(user: Any, target: Any) -> bool:
    return bool(has_charge_of_unit(user, unit_of(target)))


@rules.predicate
def leads_unit_of(user: Any, target: Any) -> bool:
    unit = unit_of(target)
    return bool(
        unit is not None
        and _active(user)
        and user.role in (Role.HEAD, Role.DEPUTY)
        and user.unit_id == unit.pk
    )


@rules.predicate
def handles_dossiers(user: Any) -> bool:
    """Someone who may enter dossiers for at least one unit (for the menu and the entry page)."""
    return bool(_active(user) and (user.role in (Role.HEAD, Role.DEPUTY, Role.OFFICIAL, Role.ADMIN)))


sees_dossiers_of = (
    is_province_wide | is_council | has_charge_of_unit_of | works_in_unit_of | is_service_center_staff
)
enters_dossiers_of = is_admin | works_in_unit_of | is_service_center_staff

rules.add_perm("dossiers.view_statistics", is_internal)
rules.add_perm("dossiers.view_dossier_list", is_internal)
rules.add_perm("dossiers.view_dossier", sees_dossiers_of)  # object: a dossier or a unit
rules.add_perm("dossiers.enter_dossier", handles_dossiers)  # may open the counter-entry page at all
rules.add_perm("dossiers.enter_dossier_for", enters_dossiers_of)  # object: the unit or the dossier
rules.add_perm("dossiers.import_dossiers", handles_dossiers)
rules.add_perm("dossiers.view_procedures", is_internal)
rules.add_perm("dossiers.manage_procedures", is_office | is_admin)
rules.add_perm("dossiers.view_letter_register", is_internal)
rules.add_perm("dossiers.draft_letter", enters_dossiers_of)  # object: the dossier
rules.add_perm("dossiers.approve_letter", leads_unit_of)  # object: the letter or its dossier
rules.add_perm("dossiers.send_letter", enters_dossiers_of)  # object: the letter or its dossier
