"""Who may do what with dialogue sessions and Council recommendations: role × unit × who organized it.

Which records a person sees at all is decided by the querysets of domain/queries.py (outside them: 404); these
predicates decide what a person may do with a record they see (otherwise 403). A wrong status is the workflow's
409, never a 403: the transition permissions look at role and scope only.

- A dialogue is managed -- edited, its files added, its issues recorded, given to units and closed -- by the
  Chairman, the Office, whoever chaired it, the head or a deputy of its organizing unit, and the Vice-Chairman in
  charge of that unit.
- An issue or a recommendation is taken up by a member of its responsible unit; its head or a deputy answers.
- The Council records supervisions and recommendations and gives its verdict; everywhere else it only reads.
"""

from __future__ import annotations

from typing import Any

import rules

from trongtam.org.enums import Role
from trongtam.org.rules import (
    is_chairman,
    is_council,
    is_head,
    is_internal,
    is_office,
    is_vice_chairman,
)


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _dialogue(obj: Any) -> Any:
    """A dialogue, or the dialogue of an issue."""
    return getattr(obj, "dialogue", obj)


@rules.predicate
def chaired_it(user: Any, obj: Any) -> bool:
    return bool(obj is not None and _active(user) and _dialogue(obj).chaired_by_id == user.pk)


@rules.predicate
def leads_organizing_unit(user: Any, obj: Any) -> bool:
    return bool(
        obj is not None
        and _active(user)
        and user.role in (Role.HEAD, Role.DEPUTY)
        and user.unit_id == _dialogue(obj).organizing_unit_id
    )


@rules.predicate
def has_charge_of_organizing_unit(user: Any, obj: Any) -> bool:
    return bool(
        obj is not None
        and _active(user)
        and user.role == Role.VICE_CHAIRMAN
        and _dialogue(obj).organizing_unit_id in user.charged_unit_ids
    )


@rules.predicate
def is_member_of_responsible_unit(user: Any, item: Any) -> bool:
    return bool(
        item is not None
        and item.responsible_unit_id is not None
        and _active(user)
        and user.role in (Role.HEAD, Role.DEPUTY, Role.OFFICIAL)
        and user.unit_id == item.responsible_unit_id
    )


@rules.predicate
def leads_responsible_unit(user: Any, item: Any) -> bool:
    """The head or a deputy of the responsible unit: they answer for the unit."""
    return bool(
        item is not None
        and item.responsible_unit_id is not None
        and _active(user)
        and user.role in (Role.HEAD, Role.DEPUTY)
        and user.unit_id == item.responsible_unit_id
    )


@rules.predicate
def is_deputy(user: Any) -> bool:
    return bool(_active(user) and user.role == Role.DEPUTY)


manages_dialogue = (
    is_chairman | is_office | chaired_it | leads_organizing_unit | has_charge_of_organizing_unit
)

rules.add_perm("supervision.view_dialogue_list", is_internal)
# Recording is open to those who may manage some dialogue; which one, the domain checks (records.create_dialogue).
rules.add_perm(
    "supervision.record_dialogue", is_chairman | is_office | is_vice_chairman | is_head | is_deputy
)
rules.add_perm("supervision.manage_dialogue", manages_dialogue)
rules.add_perm("supervision.manage_issue", manages_dialogue)
rules.add_perm("supervision.handle_issue", is_member_of_responsible_unit)
rules.add_perm("supervision.answer_issue", leads_responsible_unit)

rules.add_perm("supervision.view_recommendation_list", is_internal)
rules.add_perm("supervision.record_supervision", is_council)
rules.add_perm("supervision.manage_supervision", is_council)
rules.add_perm("supervision.judge_recommendation", is_council)
rules.add_perm("supervision.handle_recommendation", is_member_of_responsible_unit)
rules.add_perm("supervision.answer_recommendation", leads_responsible_unit)
