"""Reads: which registrations a person may see, the reviewer's queue, and what a detail page needs."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from trongtam.keytasks.enums import RegistrationStatus
from trongtam.keytasks.models import KeyTask, Registration
from trongtam.org.enums import Role


def registrations_visible_to(user: Any) -> QuerySet[Registration]:
    """The rows `view_registration` allows, as one filter (same scope as the predicate)."""
    qs = Registration.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_province_wide or user.role == Role.COUNCIL:
        return qs
    if user.role == Role.VICE_CHAIRMAN:
        return qs.filter(unit_id__in=user.charged_unit_ids)
    if user.role in (Role.HEAD, Role.DEPUTY, Role.OFFICIAL) and user.unit_id:
        return qs.filter(unit_id=user.unit_id)
    return qs.none()


def review_queue_for(user: Any) -> QuerySet[Registration]:
    """Registrations waiting for this person's decision: submissions and change requests in their scope."""
    if user.role == Role.CHAIRMAN:
        qs = Registration.objects.all()
    elif user.role == Role.VICE_CHAIRMAN:
        qs = Registration.objects.filter(unit_id__in=user.charged_unit_ids)
    else:
        return Registration.objects.none()
    return (
        qs.filter(status__in=RegistrationStatus.awaiting_review)
        .select_related("unit", "period", "head")
        .annotate(task_count=Count("tasks"))
        .order_by("submitted_at", "pk")
    )


def tasks_for_detail(registration: Registration) -> QuerySet[KeyTask]:
    """A registration's tasks with everything the detail page shows, in a constant number of queries."""
    return (
        registration.tasks.select_related("lead_unit", "common_task", "assigned_task")
        .prefetch_related("coordinating_units", "milestones")
        .order_by("kind", "position", "pk")
    )


def registration_search(
    qs: QuerySet[Registration], *, q: str = "", status: str = ""
) -> QuerySet[Registration]:
    from trongtam.core.search import fold

    if status:
        qs = qs.filter(status=status)
    for word in fold(q).split():
        qs = qs.filter(Q(unit__search_text__contains=word) | Q(head__search_text__contains=word))
    return qs
