"""Who may see and do what with a discipline inspection: role × the inspected unit × the inspection's kind.

- Seeing: province-wide roles (Chairman, Office, Home Affairs, administrator) and the Council see every
  inspection; a Vice-Chairman those of the units in their charge; the team its own; the head and deputies of the
  inspected unit see a regular inspection (its plan is sent to them) but a surprise one only once it has been held
  -- warning the unit would defeat the surprise.
- Acting for the inspecting body (edit the plan, record findings and violations, accept or return a remedy,
  close): the role of the body that runs it (Home Affairs or the Office) and the team leader.
- Reporting a remedy: the head or a deputy of the inspected unit (they speak for the unit).

Transition permissions test role and scope only; a wrong state is the domain's 409.
"""

from __future__ import annotations

from typing import Any

import rules

from trongtam.inspections.enums import InspectingBody, InspectionKind, InspectionStatus
from trongtam.org.enums import Role
from trongtam.org.rules import is_council, is_home_affairs, is_internal, is_office, is_province_wide

BODY_ROLES = {InspectingBody.HOME_AFFAIRS: Role.HOME_AFFAIRS, InspectingBody.OFFICE: Role.OFFICE}
LEADS_UNIT = (Role.HEAD, Role.DEPUTY)


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def member_ids(inspection: Any) -> set[int]:
    """The team's members (from the prefetch when there is one)."""
    return {person.pk for person in inspection.members.all()}


@rules.predicate
def runs_it(user: Any, inspection: Any) -> bool:
    """The role of the inspecting body, or the team leader."""
    return bool(
        inspection is not None
        and _active(user)
        and (user.role == BODY_ROLES.get(inspection.body) or inspection.leader_id == user.pk)
    )


@rules.predicate
def is_on_team(user: Any, inspection: Any) -> bool:
    return bool(
        inspection is not None
        and _active(user)
        and (inspection.leader_id == user.pk or user.pk in member_ids(inspection))
    )


@rules.predicate
def leads_inspected_unit(user: Any, inspection: Any) -> bool:
    return bool(
        inspection is not None
        and _active(user)
        and user.role in LEADS_UNIT
        and user.unit_id == inspection.unit_id
    )


@rules.predicate
def is_announced(user: Any, inspection: Any) -> bool:
    """Shown to the inspected unit: a regular inspection always, a surprise one once held."""
    return bool(
        inspection is not None
        and (inspection.kind == InspectionKind.REGULAR or inspection.status in InspectionStatus.held)
    )


@rules.predicate
def has_charge_of_inspected_unit(user: Any, inspection: Any) -> bool:
    return bool(
        inspection is not None
        and _active(user)
        and user.role == Role.VICE_CHAIRMAN
        and inspection.unit_id in user.charged_unit_ids
    )


rules.add_perm(
    "inspections.view_inspection",
    is_province_wide
    | is_council
    | has_charge_of_inspected_unit
    | is_on_team
    | (leads_inspected_unit & is_announced),
)
rules.add_perm("inspections.view_inspection_list", is_internal)
rules.add_perm("inspections.create_inspection", is_home_affairs | is_office)
rules.add_perm("inspections.run_inspection", runs_it)
rules.add_perm("inspections.report_remedy", leads_inspected_unit & is_announced)
