"""Reads: which inspections and violations a person may see (the scope of `inspections.view_inspection`, as one
filter), the list filters, and the figures other modules read (violations by unit and person)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from trongtam.core.search import search
from trongtam.inspections.enums import OVERDUE, InspectionKind, InspectionStatus, RemedyState, violation_code
from trongtam.inspections.models import Inspection, Violation
from trongtam.inspections.rules import LEADS_UNIT
from trongtam.org.enums import Role
from trongtam.org.rules import is_council, is_province_wide


def sees_every_inspection(user: Any) -> bool:
    return bool(is_province_wide.test(user) or is_council.test(user))


def visible_inspections(user: Any) -> QuerySet[Inspection]:
    """The inspections `user` may view, the same scope as the `inspections.view_inspection` rule."""
    inspections = Inspection.objects.all()
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return inspections.none()
    if sees_every_inspection(user):
        return inspections
    on_team = Inspection.members.through.objects.filter(person_id=user.pk).values("inspection_id")
    scope = Q(leader_id=user.pk) | Q(pk__in=on_team)
    if user.role == Role.VICE_CHAIRMAN and user.charged_unit_ids:
        scope |= Q(unit_id__in=user.charged_unit_ids)
    if user.role in LEADS_UNIT and user.unit_id is not None:
        scope |= Q(unit_id=user.unit_id) & (
            Q(kind=InspectionKind.REGULAR) | Q(status__in=InspectionStatus.held)
        )
    return inspections.filter(scope)


def visible_violations(user: Any) -> QuerySet[Violation]:
    return Violation.objects.filter(inspection__in=visible_inspections(user))


@dataclass(frozen=True)
class InspectionFilters:
    q: str = ""
    unit: str = ""
    kind: str = ""
    body: str = ""
    status: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def filter_inspections(inspections: QuerySet[Inspection], filters: InspectionFilters) -> QuerySet[Inspection]:
    if filters.q:
        inspections = search(inspections, filters.q)
    if filters.unit:
        inspections = search(inspections, filters.unit, field="unit__search_text")
    if filters.kind:
        inspections = inspections.filter(kind=filters.kind)
    if filters.body:
        inspections = inspections.filter(body=filters.body)
    if filters.status:
        inspections = inspections.filter(status=filters.status)
    if filters.date_from is not None:
        inspections = inspections.filter(scheduled_on__gte=filters.date_from)
    if filters.date_to is not None:
        inspections = inspections.filter(scheduled_on__lte=filters.date_to)
    return inspections


def inspection_rows(inspections: QuerySet[Inspection]) -> QuerySet[Inspection]:
    """The list's columns in one query: the unit, the leader and the number of violations."""
    return (
        inspections.select_related("unit", "leader")
        .annotate(violation_count=Count("violations"))
        .order_by("-scheduled_on", "-pk")
    )


@dataclass(frozen=True)
class ViolationFilters:
    kind: str = ""
    unit: str = ""
    person: str = ""
    remedy: str = ""  # a RemedyState, or OVERDUE
    inspection: int | None = None


def overdue_q(today: dt.date) -> Q:
    """A remedy still owed by the unit after its deadline."""
    return Q(remedy_state__in=RemedyState.owed, remedy_deadline__lt=today)


def filter_violations(
    violations: QuerySet[Violation], filters: ViolationFilters, today: dt.date
) -> QuerySet[Violation]:
    if filters.kind:
        violations = violations.filter(kind=filters.kind)
    if filters.unit:
        violations = search(violations, filters.unit, field="inspection__unit__search_text")
    if filters.person:
        violations = search(violations, filters.person, field="person__search_text")
    if filters.remedy == OVERDUE:
        violations = violations.filter(overdue_q(today))
    elif filters.remedy:
        violations = violations.filter(remedy_state=filters.remedy)
    if filters.inspection is not None:
        violations = violations.filter(inspection_id=filters.inspection)
    return violations


def violation_rows(violations: QuerySet[Violation]) -> QuerySet[Violation]:
    return violations.select_related("inspection__unit", "person").order_by("remedy_deadline", "pk")


def held_violations(start: dt.date, end: dt.date) -> QuerySet[Violation]:
    """Violations found by inspections held from `start` to `end`, both included."""
    return Violation.objects.filter(
        inspection__status__in=InspectionStatus.held,
        inspection__conducted_on__gte=start,
        inspection__conducted_on__lte=end,
    )


def violation_codes_by_unit(
    unit_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[int, frozenset[str]]:
    """unit id -> the codes of the repeat-violations registry (`rankings.domain.league`) found in that unit from
    `start` to `end` (one query): what a league of the period may add to the facts of the unit's sheet."""
    rows = (
        held_violations(start, end)
        .filter(inspection__unit_id__in=list(unit_ids))
        .order_by()
        .values_list("inspection__unit_id", "kind")
        .distinct()
    )
    found: dict[int, set[str]] = {}
    for unit_id, kind in rows:
        found.setdefault(unit_id, set()).add(violation_code(kind))
    return {unit_id: frozenset(codes) for unit_id, codes in found.items()}
