"""Pages of a followed task (read-only for now): scope is checked here, a task outside it is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from trongtam.core.audit import entries_for
from trongtam.core.types import AuthedRequest
from trongtam.followup.domain.status import deadline_state
from trongtam.followup.enums import FollowAction
from trongtam.followup.models import Evidence, Task
from trongtam.org.enums import UNIT_ROLES, Role
from trongtam.org.rules import is_council, is_province_wide

ACTION_LABELS: dict[str, Any] = dict(FollowAction.choices)


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


@login_required
def task_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(
        Task.objects.select_related(
            "lead_unit", "assigned_by", "directive", "key_task", "registration__unit", "registration__period"
        ).prefetch_related("coordinating_units"),
        pk=pk,
    )
    if not request.user.has_perm("followup.view_task", task):
        raise Http404
    updates = list(
        task.updates.select_related("by", "unit").prefetch_related(
            Prefetch("files", queryset=Evidence.objects.order_by("uploaded_at", "pk"))
        )
    )
    other_evidence = list(task.evidence.filter(update__isnull=True).select_related("uploaded_by"))
    extensions = list(task.extensions.select_related("requested_by", "decided_by"))
    history = [
        (event, ACTION_LABELS.get(event.action, event.action))
        for event in task.events.select_related("by").order_by("at", "pk")
    ]
    state = deadline_state(
        lifecycle=task.lifecycle,
        deadline=task.deadline,
        due_soon_from=task.due_soon_from,
        today=timezone.localdate(),
    )
    context = {
        "task": task,
        "coordinating_units": list(task.coordinating_units.all()),
        "deadline_state": state,
        "extended": bool(
            task.original_deadline and task.deadline and task.original_deadline != task.deadline
        ),
        "updates": updates,
        "other_evidence": other_evidence,
        "extensions": extensions,
        "history": history,
        "audit_entries": list(entries_for(task)),
    }
    return render(request, "followup/task_detail.html", context)
