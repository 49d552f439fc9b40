"""Reads: which dialogues, issues, supervisions and recommendations a person may see, and the lists' filters.

Scope, as everywhere in the product: province-wide roles and the Council see everything; a Vice-Chairman what
concerns the units in their charge; a head, a deputy and an official what concerns their own unit; a citizen
nothing here. "Concerns" means: a dialogue the unit organized (or the person chaired) or an issue the unit must
answer; a supervision of the unit or a recommendation the unit must answer. Each is one filter, no join that
repeats a row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet

from trongtam.core.search import search
from trongtam.org.enums import UNIT_ROLES, Role
from trongtam.org.rules import is_council, is_province_wide
from trongtam.supervision.enums import ItemStatus
from trongtam.supervision.models import Dialogue, DialogueIssue, Recommendation, Supervision


def scope_units(user: Any) -> frozenset[int] | None:
    """The units whose records the person sees: None for all of them."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return frozenset()
    if is_province_wide.test(user) or is_council.test(user):
        return None
    if user.role in UNIT_ROLES and user.unit_id is not None:
        return frozenset({user.unit_id})
    if user.role == Role.VICE_CHAIRMAN:
        return frozenset(user.charged_unit_ids)
    return frozenset()


def visible_issues(user: Any) -> QuerySet[DialogueIssue]:
    issues = DialogueIssue.objects.all()
    units = scope_units(user)
    if units is None:
        return issues
    return issues.filter(
        Q(responsible_unit_id__in=units)
        | Q(dialogue__organizing_unit_id__in=units)
        | Q(dialogue__chaired_by=user)
    )


def visible_dialogues(user: Any) -> QuerySet[Dialogue]:
    dialogues = Dialogue.objects.all()
    units = scope_units(user)
    if units is None:
        return dialogues
    answering = DialogueIssue.objects.filter(responsible_unit_id__in=units).values("dialogue_id")
    return dialogues.filter(Q(organizing_unit_id__in=units) | Q(chaired_by=user) | Q(pk__in=answering))


def visible_recommendations(user: Any) -> QuerySet[Recommendation]:
    recommendations = Recommendation.objects.all()
    units = scope_units(user)
    if units is None:
        return recommendations
    return recommendations.filter(
        Q(responsible_unit_id__in=units) | Q(supervision__supervised_unit_id__in=units)
    )


def visible_supervisions(user: Any) -> QuerySet[Supervision]:
    supervisions = Supervision.objects.all()
    units = scope_units(user)
    if units is None:
        return supervisions
    answering = Recommendation.objects.filter(responsible_unit_id__in=units).values("supervision_id")
    return supervisions.filter(Q(supervised_unit_id__in=units) | Q(pk__in=answering))


def overdue_q(today: dt.date) -> Q:
    """Waiting on the responsible unit past its deadline. An answered or closed item is never overdue."""
    return Q(status__in=ItemStatus.pending, deadline__lt=today)


@dataclass(frozen=True)
class ItemFilters:
    """The item lists' filters (pages and API); every field is optional."""

    q: str = ""
    status: str = ""
    responsible_unit: int | None = None
    overdue: bool = False
    year: int | None = None
    end: str = ""  # an Outcome (issues) or a Verdict (recommendations)


def filter_issues(
    issues: QuerySet[DialogueIssue], filters: ItemFilters, today: dt.date
) -> QuerySet[DialogueIssue]:
    issues = _common(issues, filters, today)
    if filters.year is not None:
        issues = issues.filter(dialogue__held_on__year=filters.year)
    if filters.end:
        issues = issues.filter(outcome=filters.end)
    return issues


def filter_recommendations(
    recommendations: QuerySet[Recommendation], filters: ItemFilters, today: dt.date
) -> QuerySet[Recommendation]:
    recommendations = _common(recommendations, filters, today)
    if filters.year is not None:
        recommendations = recommendations.filter(supervision__held_on__year=filters.year)
    if filters.end:
        recommendations = recommendations.filter(verdict=filters.end)
    return recommendations


def _common(items: QuerySet[Any], filters: ItemFilters, today: dt.date) -> QuerySet[Any]:
    if filters.q:
        items = search(items, filters.q)
    if filters.status:
        items = items.filter(status=filters.status)
    if filters.responsible_unit is not None:
        items = items.filter(responsible_unit_id=filters.responsible_unit)
    if filters.overdue:
        items = items.filter(overdue_q(today))
    return items


def issue_rows(issues: QuerySet[DialogueIssue]) -> QuerySet[DialogueIssue]:
    """The list's columns in one query, the nearest deadline first (issues not yet given to a unit last)."""
    return issues.select_related("responsible_unit", "dialogue").order_by(
        F("deadline").asc(nulls_last=True), "pk"
    )


def recommendation_rows(recommendations: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    """The list's columns in one query, the nearest deadline first."""
    return recommendations.select_related("responsible_unit", "supervision__supervised_unit").order_by(
        "deadline", "pk"
    )
