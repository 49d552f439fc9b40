"""Reads: which cases a person may see (the same scope as the `feedback.view_feedback` rule, as one filter),
the list's filters, and the public reads (published answers, a reporter's own cases)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from trongtam.core.search import search
from trongtam.dossiers.rules import is_service_center_staff
from trongtam.feedback.enums import FeedbackStatus
from trongtam.feedback.models import Feedback
from trongtam.org.enums import Role
from trongtam.org.rules import is_office, is_province_wide


def sees_every_case(user: Any) -> bool:
    return bool(is_province_wide.test(user) or is_office.test(user) or is_service_center_staff.test(user))


def feedback_visible_to(user: Any) -> QuerySet[Feedback]:
    """Province-wide roles and the triage staff: all; a Vice-Chairman: the units in their charge; the head and
    deputies of a unit: its cases; anyone: the cases given to them -- never a case that names them."""
    cases = Feedback.objects.all()
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return cases.none()
    if sees_every_case(user):
        return cases
    scope = Q(assigned_to=user) | Q(handler=user)
    if user.role == Role.VICE_CHAIRMAN:
        scope |= Q(unit_id__in=user.charged_unit_ids)
    elif user.role in (Role.HEAD, Role.DEPUTY) and user.unit_id is not None:
        scope |= Q(unit_id=user.unit_id)
    elif user.role != Role.OFFICIAL:
        return cases.none()
    return cases.filter(scope).exclude(official=user)


@dataclass(frozen=True)
class FeedbackFilters:
    q: str = ""
    status: str = ""
    category: str = ""
    unit: int | None = None
    overdue: bool | None = None
    upheld: bool | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None


def filter_feedback(
    cases: QuerySet[Feedback], filters: FeedbackFilters, today: dt.date
) -> QuerySet[Feedback]:
    if filters.q:
        cases = search(cases, filters.q)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.category:
        cases = cases.filter(category=filters.category)
    if filters.unit is not None:
        cases = cases.filter(unit_id=filters.unit)
    if filters.overdue is not None:
        overdue = Q(status__in=FeedbackStatus.awaiting_answer, response_due__lt=today)
        cases = cases.filter(overdue) if filters.overdue else cases.exclude(overdue)
    if filters.upheld is not None:
        cases = cases.filter(upheld=filters.upheld)
    if filters.received_from is not None:
        cases = cases.filter(received_on__gte=filters.received_from)
    if filters.received_to is not None:
        cases = cases.filter(received_on__lte=filters.received_to)
    return cases


def feedback_rows(cases: QuerySet[Feedback]) -> QuerySet[Feedback]:
    """The list's columns in one query (the unit and the person handling it joined)."""
    return cases.select_related("unit", "assigned_to", "handler").order_by("-received_at", "-pk")


def published_answers(unit_id: int | None = None) -> QuerySet[Feedback]:
    """The answers on the public site: only published ones, with nothing but public columns read."""
    cases = Feedback.objects.filter(is_published=True, answered_on__isnull=False)
    if unit_id is not None:
        cases = cases.filter(unit_id=unit_id)
    return (
        cases.select_related("unit")
        .only(  # what `public.public_case` reads, and nothing else
            "pk", "tracking_code", "category", "unit__name", "received_on", "response_due", "answered_on",
            "public_answer", "is_published", "status", "outcome", "citizen_solved",
        )
        .order_by("-answered_on", "-pk")
    )  # fmt: skip
