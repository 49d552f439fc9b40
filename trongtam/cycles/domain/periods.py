"""Writes to the annual cycle, each with its audit entry and, for assigned tasks, a notification."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from trongtam.core import audit
from trongtam.core.models import AuditAction, NotificationKind
from trongtam.core.notifications import notify
from trongtam.cycles.models import AssignedTask
from trongtam.org.domain.queries import head_of


def save_audited(
    instance: Model,
    *,
    by: Any,
    perm: str,
    fields: list[str],
    root: Model | None = None,
    expected_version: int | None = None,
) -> Model:
    """Save a form's instance and append the audit entry for exactly what changed.

    A model with a `version` column is locked and compared with the version the person last saw, so that
    of two people editing the same record the second is told (StaleEdit) instead of overwriting the first.
    """
    if not by.has_perm(perm):
        raise PermissionDenied
    with transaction.atomic():
        is_new = instance.pk is None
        before: dict[str, Any] = {}
        if not is_new:
            current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
            if hasattr(current, "version"):
                if expected_version is not None and current.version != expected_version:
                    raise audit.stale_edit(current)
                instance.version = current.version + 1  # type: ignore[attr-defined]
            before = audit.snapshot(current, fields)
        instance.save()
        changes = audit.diff(before, audit.snapshot(instance, fields))
        if changes:
            audit.record(
                actor=by,
                action=AuditAction.CREATE if is_new else AuditAction.UPDATE,
                instance=instance,
                changes=changes,
                root=root,
            )
    return instance


def assign_task(task: AssignedTask, *, by: Any) -> AssignedTask:
    """The Chairman assigns a task to a unit's head for the period; the head is notified."""
    with transaction.atomic():
        save_audited(
            task, by=by, perm="cycles.assign_task", fields=["unit", "title", "description"], root=task.period
        )
        head = head_of(task.unit)
        if head is not None:
            notify(
                [head],
                kind=NotificationKind.ASSIGNED,
                title=_("Chủ tịch UBND tỉnh giao nhiệm vụ năm %(year)s: %(title)s")
                % {"year": task.period.year, "title": task.title},
                body=task.description,
                url="/nhiem-vu-trong-tam/cua-toi/",
            )
    return task
