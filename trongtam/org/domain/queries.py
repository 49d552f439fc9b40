"""Reads over the organization: subtrees, areas of charge, who is in charge of a unit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from django.db.models import QuerySet

from trongtam.org.enums import Role

if TYPE_CHECKING:
    from trongtam.org.models import Person, Unit


def _children_map() -> dict[int | None, list[int]]:
    from trongtam.org.models import Unit

    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in Unit.objects.values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    return children


def with_descendants(unit_ids: Iterable[int]) -> frozenset[int]:
    """`unit_ids` and every unit below them. One query over (id, parent) whatever the depth."""
    roots = list(unit_ids)
    if not roots:
        return frozenset()
    children = _children_map()
    seen: set[int] = set()
    stack = roots
    while stack:
        pk = stack.pop()
        if pk not in seen:
            seen.add(pk)
            stack.extend(children.get(pk, ()))
    return frozenset(seen)


def charged_unit_ids(vice_chairman: Person) -> frozenset[int]:
    from trongtam.org.models import Unit

    direct = Unit.objects.filter(areas_of_charge__vice_chairman=vice_chairman).values_list("pk", flat=True)
    return with_descendants(direct)


def ancestor_ids(unit: Unit) -> list[int]:
    """`unit` and its ancestors, nearest first (one query per level; trees are three or four levels deep)."""
    ids: list[int] = []
    current: Unit | None = unit
    while current is not None:
        ids.append(current.pk)
        current = current.parent
    return ids


def vice_chairmen_in_charge_of(unit: Unit) -> QuerySet[Person]:
    """Vice-Chairmen whose area of charge holds `unit` or a unit above it."""
    from trongtam.org.models import Person

    return Person.objects.filter(
        role=Role.VICE_CHAIRMAN, is_active=True, areas_of_charge__units__in=ancestor_ids(unit)
    ).distinct()


def chairmen() -> QuerySet[Person]:
    from trongtam.org.models import Person

    return Person.objects.filter(role=Role.CHAIRMAN, is_active=True)


def head_of(unit: Unit) -> Person | None:
    from trongtam.org.models import Person

    return Person.objects.filter(unit=unit, role=Role.HEAD, is_active=True).first()


class AreaRef(NamedTuple):
    area_id: int
    sector: str
    vice_chairman_id: int
    vice_chairman_name: str


def areas_by_unit() -> dict[int, list[AreaRef]]:
    """Every unit -> the areas of charge that cover it, named on it or on any unit above it.

    The whole tree in two queries, for batch work (the reminder sweep, the overview) that would otherwise ask
    `vice_chairmen_in_charge_of` once per unit.
    """
    from trongtam.org.models import AreaOfCharge, Unit

    direct: dict[int, list[AreaRef]] = {}
    rows = AreaOfCharge.objects.filter(vice_chairman__is_active=True).values_list(
        "pk", "name", "vice_chairman", "vice_chairman__full_name", "units"
    )
    for area_id, sector, vc_id, vc_name, unit_id in rows:
        if unit_id is not None:
            direct.setdefault(unit_id, []).append(AreaRef(area_id, sector, vc_id, vc_name))
    parents = dict(Unit.objects.values_list("pk", "parent_id"))
    covered: dict[int, list[AreaRef]] = {}
    for unit_id in parents:
        found: list[AreaRef] = []
        seen: set[int] = set()
        current: int | None = unit_id
        while current is not None and current not in seen:
            seen.add(current)
            found += [a for a in direct.get(current, []) if a not in found]
            current = parents.get(current)
        covered[unit_id] = found
    return covered
