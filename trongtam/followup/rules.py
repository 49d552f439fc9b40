"""Who may see and do what with a followed task: role × the task's lead and coordinating units.

The assigner's decisions (accept or return a completion, decide an extension, pause, resume, cancel) belong to
the Office, the Chairman, the Vice-Chairman in charge of the lead unit, and the person who assigned the task.
"""

from __future__ import annotations

from typing import Any

import rules

from trongtam.followup.enums import Lifecycle
from trongtam.org.enums import Role
from trongtam.org.rules import (
    is_chairman,
    is_council,
    is_head,
    is_internal,
    is_office,
    is_province_wide,
    is_vice_chairman,
)


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def coordinating_ids(task: Any) -> set[int]:
    """The task's coordinating units (from the prefetch when there is one)."""
    return {unit.pk for unit in task.coordinating_units.all()}


@rules.predicate
def is_member_of_lead_unit(user: Any, task: Any) -> bool:
    return bool(
        task is not None
        and _active(user)
        and user.role in (Role.HEAD, Role.DEPUTY, Role.OFFICIAL)
        and user.unit_id == task.lead_unit_id
    )


@rules.predicate
def leads_the_lead_unit(user: Any, task: Any) -> bool:
    """The head or a deputy of the lead unit: they speak for the unit (extension, completion, refusal)."""
    return bool(
        task is not None
        and _active(user)
        and user.role in (Role.HEAD, Role.DEPUTY)
        and user.unit_id == task.lead_unit_id
    )


@rules.predicate
def is_member_of_coordinating_unit(user: Any, task: Any) -> bool:
    return bool(
        task is not None
        and _active(user)
        and user.role in (Role.HEAD, Role.DEPUTY, Role.OFFICIAL)
        and user.unit_id in coordinating_ids(task)
    )


@rules.predicate
def has_charge_of_lead_unit(user: Any, task: Any) -> bool:
    return bool(
        task is not None
        and _active(user)
        and user.role == Role.VICE_CHAIRMAN
        and task.lead_unit_id in user.charged_unit_ids
    )


@rules.predicate
def has_charge_of_a_unit_of(user: Any, task: Any) -> bool:
    return bool(
        task is not None
        and _active(user)
        and user.role == Role.VICE_CHAIRMAN
        and bool(({task.lead_unit_id} | coordinating_ids(task)) & user.charged_unit_ids)
    )


@rules.predicate
def assigned_it(user: Any, task: Any) -> bool:
    return bool(task is not None and _active(user) and task.assigned_by_id == user.pk)


@rules.predicate
def is_open(user: Any, task: Any) -> bool:
    return task is not None and task.lifecycle in Lifecycle.open


assigner = is_office | is_chairman | has_charge_of_lead_unit | assigned_it

rules.add_perm(
    "followup.view_task",
    is_province_wide
    | is_council
    | is_member_of_lead_unit
    | is_member_of_coordinating_unit
    | has_charge_of_a_unit_of,
)
rules.add_perm("followup.view_task_list", is_internal)
rules.add_perm("followup.report_progress", is_member_of_lead_unit & is_open)
rules.add_perm("followup.contribute", is_member_of_coordinating_unit & is_open)
rules.add_perm("followup.speak_for_lead_unit", leads_the_lead_unit)
rules.add_perm("followup.record_milestone", leads_the_lead_unit)  # a closed task: 409 from the domain
rules.add_perm("followup.decide", assigner)
rules.add_perm("followup.view_overview", is_province_wide | is_council | is_vice_chairman | is_head)
