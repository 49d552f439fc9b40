"""Reads: which followed tasks a person may see, as one filter (the same scope as `followup.view_task`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from trongtam.followup.models import Task
from trongtam.org.enums import UNIT_ROLES, Role
from trongtam.org.rules import is_council, is_province_wide


def sees_every_task(user: Any) -> bool:
    """Province-wide roles and the council follow every task."""
    return bool(is_province_wide.test(user) or is_council.test(user))


def visible_tasks(user: Any) -> QuerySet[Task]:
    """The tasks `user` may view, the same scope as the `followup.view_task` rule, as one filter.

    Unit members see the tasks their unit leads or coordinates; a Vice-Chairman those of the units in
    their charge; province-wide roles and the council see all; anyone else nothing.
    """
    tasks = Task.objects.all()
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return tasks.none()
    if sees_every_task(user):
        return tasks
    if user.role in UNIT_ROLES and user.unit_id is not None:
        units: set[int] = {user.unit_id}
    elif user.role == Role.VICE_CHAIRMAN:
        units = set(user.charged_unit_ids)
    else:
        return tasks.none()
    if not units:
        return tasks.none()
    in_scope = Task.objects.filter(Q(lead_unit_id__in=units) | Q(coordinating_units__in=units)).values("pk")
    return tasks.filter(pk__in=in_scope)
