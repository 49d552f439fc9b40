"""Approved key tasks are followed like directives: approval creates or updates their followed tasks.

On every approval of a registration (the first, and each approved change) each of its key tasks gets a
followed task: created the first time with the approval day as its assignment day and the approver as the
assigner; updated after an approved change (title, units, deadline -- the original deadline stays for the
reports). A key task dropped by an approved change leaves its followed task cancelled, with its history.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from trongtam.core import audit
from trongtam.core.models import AuditAction
from trongtam.followup.domain.tasks import deadline_fields
from trongtam.followup.enums import FollowAction, Lifecycle, Source
from trongtam.followup.models import Task, TaskEvent
from trongtam.workdays.domain.queries import work_calendar

FOLLOWED_FIELDS = ["title", "lead_unit", "deadline", "lifecycle"]


def follow_approved(registration: Any, *, by: Any) -> list[Task]:
    """Called inside the approval's transaction."""
    calendar = work_calendar()
    today = timezone.localdate()
    followed = {t.key_task_id: t for t in Task.objects.select_for_update().filter(registration=registration)}
    result = []
    for key_task in registration.tasks.prefetch_related("coordinating_units"):
        task = followed.pop(key_task.pk, None)
        before = audit.snapshot(task, FOLLOWED_FIELDS) if task else {}
        if task is None:
            task = Task(
                source=Source.KEY_TASK,
                registration=registration,
                key_task=key_task,
                assigned_by=by,
                assigned_on=today,
                original_deadline=key_task.deadline,
            )
        task.title = key_task.title
        task.description = key_task.product
        task.lead_unit_id = key_task.lead_unit_id
        if task.deadline != key_task.deadline:
            for name, value in deadline_fields(key_task.deadline, calendar).items():
                setattr(task, name, value)
        task.save()
        task.coordinating_units.set(key_task.coordinating_units.all())
        changes = audit.diff(before, audit.snapshot(task, FOLLOWED_FIELDS))
        if changes:
            audit.record(
                actor=by,
                action=AuditAction.UPDATE if before else AuditAction.CREATE,
                instance=task,
                changes=changes,
            )
        result.append(task)
    for dropped in followed.values():  # key tasks removed by the approved change
        if dropped.lifecycle in Lifecycle.open:
            previous = dropped.lifecycle
            dropped.lifecycle = Lifecycle.CANCELLED
            dropped.version += 1
            dropped.save(update_fields=["lifecycle", "version"])
            comment = _("Nhiệm vụ được bỏ khỏi bản đăng ký theo điều chỉnh đã phê duyệt.")
            TaskEvent.objects.create(
                task=dropped,
                action=FollowAction.CANCEL,
                from_lifecycle=previous,
                to_lifecycle=Lifecycle.CANCELLED,
                by=by,
                comment=comment,
            )
            audit.record(
                actor=by,
                action=AuditAction.TRANSITION,
                instance=dropped,
                changes={"lifecycle": [previous, Lifecycle.CANCELLED.value], "comment": [None, comment]},
            )
    return result
