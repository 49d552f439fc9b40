"""Every write to a registration: create, edit its tasks, move it through the workflow, sign the commitment.

Each function runs in one transaction, locks the registration row, checks the permission (the same rule the
pages and the API use), then the state and the version the caller loaded, then writes the change, its audit
entry and, after commit, the notifications. A stale version raises StaleEdit and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from trongtam.core import audit
from trongtam.core.errors import Problem, RuleViolations, StaleEdit, TransitionNotAllowed
from trongtam.core.models import AuditAction, NotificationKind
from trongtam.core.notifications import notify
from trongtam.cycles.models import Period
from trongtam.keytasks.enums import ACTION_LABELS, RegistrationAction, TaskKind
from trongtam.keytasks.models import ApprovedVersion, KeyTask, Milestone, Registration, StatusChange
from trongtam.keytasks.validators import PeriodFacts, TaskFacts, registration_problems, task_problems
from trongtam.keytasks.workflow import TRANSITIONS
from trongtam.org.domain.queries import chairmen, head_of, vice_chairmen_in_charge_of
from trongtam.org.models import Unit

TASK_FIELDS = [
    "kind",
    "common_task",
    "assigned_task",
    "title",
    "description",
    "product",
    "target_value",
    "target_unit",
    "deadline",
    "lead_unit",
    "coordinating_units",
    "led_personally",
]


@dataclass
class TaskInput:
    """What a person enters for one task (from the form or the API), already of the right types."""

    kind: str
    title: str
    deadline: dt.date | None
    lead_unit_id: int | None
    description: str = ""
    product: str = ""
    target_value: Decimal | None = None
    target_unit: str = ""
    coordinating_unit_ids: list[int] = field(default_factory=list)
    led_personally: bool = False
    common_task_id: int | None = None
    assigned_task_id: int | None = None
    milestones: list[tuple[str, dt.date]] = field(default_factory=list)


def period_facts(period: Period, unit_id: int) -> PeriodFacts:
    return PeriodFacts(
        start=period.start_date,
        end=period.end_date,
        own_min=period.own_min,
        own_max=period.own_max,
        common_count=period.common_count,
        assigned_min=period.assigned_min,
        assigned_max=period.assigned_max,
        common_tasks={c.pk: str(c) for c in period.common_tasks.all()},
        assigned_tasks={a.pk: a.title for a in period.assigned_tasks.filter(unit_id=unit_id)},
    )


def _facts_of_input(ref: str, data: TaskInput) -> TaskFacts:
    return TaskFacts(
        ref=ref,
        title=data.title,
        kind=data.kind,
        deadline=data.deadline,
        product=data.product,
        target_value=data.target_value,
        target_unit=data.target_unit,
        lead_unit_id=data.lead_unit_id,
        coordinating_unit_ids=frozenset(data.coordinating_unit_ids),
        common_task_id=data.common_task_id if data.kind == TaskKind.COMMON else None,
        assigned_task_id=data.assigned_task_id if data.kind == TaskKind.ASSIGNED else None,
        milestone_dates=tuple(day for _title, day in data.milestones),
    )


def _facts_of_task(task: KeyTask) -> TaskFacts:
    return TaskFacts(
        ref=str(task.pk),
        title=task.title,
        kind=task.kind,
        deadline=task.deadline,
        product=task.product,
        target_value=task.target_value,
        target_unit=task.target_unit,
        lead_unit_id=task.lead_unit_id,
        coordinating_unit_ids=frozenset(u.pk for u in task.coordinating_units.all()),
        common_task_id=task.common_task_id,
        assigned_task_id=task.assigned_task_id,
        milestone_dates=tuple(m.due_date for m in task.milestones.all()),
    )


def submission_problems(registration: Registration) -> list[Any]:
    tasks = registration.tasks.prefetch_related("coordinating_units", "milestones")
    return registration_problems(
        period_facts(registration.period, registration.unit_id), [_facts_of_task(t) for t in tasks]
    )


def _locked(registration_id: int) -> Registration:
    """The registration with its row locked until the transaction ends; its period and unit read, not locked.

    Without `of`, PostgreSQL also locks the joined rows: every write to any registration of the year would
    hold the period row, and an edit of the period or of the unit would wait for it.
    """
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("period", "unit")
        .get(pk=registration_id)
    )


def _lock(registration_id: int, expected_version: int | None) -> Registration:
    registration = _locked(registration_id)
    if expected_version is not None and registration.version != expected_version:
        raise StaleEdit
    return registration


def _bump(registration: Registration, *, update_fields: list[str] | None = None) -> None:
    # The caller holds the row lock, so a plain increment cannot lose a concurrent one.
    registration.version += 1
    registration.save(update_fields=["version", "updated_at", *(update_fields or [])])


def create_registration(*, period: Period, by: Any) -> Registration:
    """The head's registration for `period`, created empty (draft) on first use; returns the existing one after."""
    if not by.has_perm("keytasks.start_registration") or by.unit_id is None:
        raise PermissionDenied
    with transaction.atomic():
        registration, created = Registration.objects.get_or_create(
            period=period, unit_id=by.unit_id, defaults={"head": by}
        )
        if created:
            audit.record(
                actor=by,
                action=AuditAction.CREATE,
                instance=registration,
                changes={"status": [None, registration.status], "head": [None, str(by.pk)]},
            )
    return registration


def save_task(
    *,
    registration_id: int,
    by: Any,
    data: TaskInput,
    expected_version: int | None,
    task_id: int | None = None,
) -> KeyTask:
    """Create a task (task_id None) or change one. Per-task rules are checked here; counts at submission."""
    with transaction.atomic():
        registration = _lock(registration_id, expected_version)
        if not by.has_perm("keytasks.change_registration", registration):
            if by.has_perm("keytasks.view_registration", registration) and not registration.is_editable:
                raise TransitionNotAllowed(
                    _(
                        "Bản đăng ký đang ở trạng thái «%(status)s», không sửa được. "
                        "Bản đã phê duyệt chỉ được sửa sau khi đề nghị điều chỉnh được chấp thuận."
                    )
                    % {"status": registration.get_status_display()}
                )
            raise PermissionDenied
        problems = task_problems(
            period_facts(registration.period, registration.unit_id),
            _facts_of_input(str(task_id or "new"), data),
        )
        known_units = set(
            Unit.objects.filter(pk__in=[data.lead_unit_id, *data.coordinating_unit_ids]).values_list(
                "pk", flat=True
            )
        )
        missing = {data.lead_unit_id, *data.coordinating_unit_ids} - known_units - {None}
        if missing:
            problems.append(_unknown_units_problem(missing))
        if problems:
            raise RuleViolations(problems)

        if task_id is None:
            task = KeyTask(registration=registration)
            before: dict[str, Any] = {}
            action = AuditAction.CREATE
            next_position = registration.tasks.filter(kind=data.kind).aggregate(m=Max("position"))["m"]
            task.position = (next_position or 0) + 1
        else:
            task = registration.tasks.get(pk=task_id)
            before = {**audit.snapshot(task, TASK_FIELDS), "milestones": _milestones_of(task)}
            action = AuditAction.UPDATE
        task.kind = data.kind
        task.common_task_id = data.common_task_id if data.kind == TaskKind.COMMON else None
        task.assigned_task_id = data.assigned_task_id if data.kind == TaskKind.ASSIGNED else None
        task.title = data.title.strip()
        task.description = data.description.strip()
        task.product = data.product.strip()
        task.target_value = data.target_value
        task.target_unit = data.target_unit.strip()
        assert data.deadline is not None  # checked by task_problems  # noqa: S101
        assert data.lead_unit_id is not None  # noqa: S101
        task.deadline = data.deadline
        task.lead_unit_id = data.lead_unit_id
        task.led_personally = data.led_personally
        task.save()
        task.coordinating_units.set(data.coordinating_unit_ids)
        # A milestone kept as it was (same title, same date) keeps the day it was met, once the task is followed.
        # Locked: the lead unit may be recording a milestone as met at this moment (followup.record_milestone).
        met = {(m.title, m.due_date): m.met_on for m in task.milestones.select_for_update()}
        task.milestones.all().delete()
        Milestone.objects.bulk_create(
            [
                Milestone(task=task, title=title.strip(), due_date=day, met_on=met.get((title.strip(), day)))
                for title, day in data.milestones
            ]
        )
        after = {**audit.snapshot(task, TASK_FIELDS), "milestones": _milestones_of(task)}
        changes = audit.diff(before, after)
        if changes:
            audit.record(actor=by, action=action, instance=task, changes=changes, root=registration)
            _bump(registration)
    return task


def _unknown_units_problem(missing: set[int | None]) -> Any:
    from trongtam.core.errors import Problem

    ids = ", ".join(str(pk) for pk in sorted(pk for pk in missing if pk is not None))
    return Problem(_("Không tìm thấy đơn vị có mã số %(ids)s.") % {"ids": ids}, "tasks.new.lead_unit")


def _milestones_of(task: KeyTask) -> list[str]:
    return [
        f"{m.due_date.isoformat()} {m.title}" + (f" (đạt {m.met_on.isoformat()})" if m.met_on else "")
        for m in task.milestones.order_by("due_date", "pk")
    ]


def delete_task(*, registration_id: int, task_id: int, by: Any, expected_version: int | None) -> None:
    with transaction.atomic():
        registration = _lock(registration_id, expected_version)
        if not by.has_perm("keytasks.change_registration", registration):
            if by.has_perm("keytasks.view_registration", registration) and not registration.is_editable:
                raise TransitionNotAllowed(
                    _("Bản đăng ký đang ở trạng thái «%(status)s», không xoá nhiệm vụ được.")
                    % {"status": registration.get_status_display()}
                )
            raise PermissionDenied
        task = registration.tasks.filter(pk=task_id).first()
        if task is None:
            raise Http404
        before = {**audit.snapshot(task, TASK_FIELDS), "milestones": _milestones_of(task)}
        audit.record(
            actor=by,
            action=AuditAction.DELETE,
            instance=task,
            changes={k: [v, None] for k, v in before.items()},
            root=registration,
        )
        task.delete()
        _bump(registration)


def approved_content(registration: Registration) -> dict[str, Any]:
    """The registration's tasks as plain data: what an approved version keeps readable."""
    from trongtam.keytasks.domain.queries import tasks_for_detail

    return {
        "tasks": [
            {
                "kind": t.kind,
                "kind_label": t.get_kind_display(),
                "title": t.title,
                "description": t.description,
                "common_task": str(t.common_task) if t.common_task else "",
                "assigned_task": t.assigned_task.title if t.assigned_task else "",
                "product": t.product,
                "target_value": audit.jsonable(t.target_value),
                "target_unit": t.target_unit,
                "deadline": t.deadline.isoformat(),
                "lead_unit": t.lead_unit.name,
                "coordinating_units": sorted(u.name for u in t.coordinating_units.all()),
                "led_personally": t.led_personally,
                "milestones": [
                    {"title": m.title, "due_date": m.due_date.isoformat()} for m in t.milestones.all()
                ],
            }
            for t in tasks_for_detail(registration)
        ]
    }


def transition_registration(
    registration_id: int,
    action: RegistrationAction,
    *,
    by: Any,
    comment: str = "",
    expected_version: int | None = None,
) -> Registration:
    """Apply `action` to the registration.

    Raises PermissionDenied (role or scope), StaleEdit (someone changed it since `expected_version`),
    TransitionNotAllowed (wrong source state, or a comment missing where one is required) and, on submit,
    RuleViolations naming every broken rule. Repeating the action that produced the current state is a no-op.
    """
    t = TRANSITIONS[action]
    comment = comment.strip()
    with transaction.atomic():
        registration = _locked(registration_id)
        if not by.has_perm(t.perm, registration):
            raise PermissionDenied
        if expected_version is not None and registration.version != expected_version:
            raise stale_registration(registration)
        if registration.status == t.target and registration.status not in t.sources:
            return registration  # the same request twice (a double click): nothing more to do
        if registration.status not in t.sources:
            raise TransitionNotAllowed(
                _("Không thể «%(action)s» khi bản đăng ký đang ở trạng thái «%(status)s».")
                % {"action": ACTION_LABELS[action], "status": registration.get_status_display()}
            )
        if t.needs_comment and not comment:
            raise RuleViolations(
                [
                    Problem(
                        _("Cần nhập ý kiến khi «%(action)s».") % {"action": ACTION_LABELS[action]}, "comment"
                    )
                ]
            )
        if action == RegistrationAction.SUBMIT:
            problems = submission_problems(registration)
            if problems:
                raise RuleViolations(problems)

        previous = registration.status
        now = timezone.now()
        registration.status = t.target
        fields = ["status"]
        if action == RegistrationAction.SUBMIT:
            registration.submitted_at = now
            fields.append("submitted_at")
        if action == RegistrationAction.APPROVE:
            registration.approved_at, registration.approved_by = now, by
            fields += ["approved_at", "approved_by"]
            number = (registration.approved_versions.aggregate(m=Max("number"))["m"] or 0) + 1
            ApprovedVersion.objects.create(
                registration=registration,
                number=number,
                approved_at=now,
                approved_by=by,
                content=approved_content(registration),
            )
            from trongtam.followup.domain.keytasks import follow_approved  # followup builds on keytasks

            follow_approved(registration, by=by)
        _bump(registration, update_fields=fields)
        StatusChange.objects.create(
            registration=registration,
            action=action,
            from_status=previous,
            to_status=t.target,
            by=by,
            comment=comment,
        )
        audit.record(
            actor=by,
            action=AuditAction.TRANSITION,
            instance=registration,
            changes={"status": [previous, t.target], **({"comment": [None, comment]} if comment else {})},
        )
        _notify_transition(registration, action, by=by, comment=comment)
    return registration


def stale_registration(registration: Registration) -> StaleEdit:
    """A write against an old version: who changed the registration last, and its status now."""
    return audit.stale_edit(
        registration,
        children_count=True,
        now=_("trạng thái «%(status)s»") % {"status": registration.get_status_display()},
    )


def _reviewers(registration: Registration) -> list[Any]:
    in_charge = list(vice_chairmen_in_charge_of(registration.unit))
    return in_charge or list(chairmen())


def _notify_transition(
    registration: Registration, action: RegistrationAction, *, by: Any, comment: str
) -> None:
    url = registration.get_absolute_url()
    year = registration.period.year
    unit = registration.unit.name
    head = head_of(registration.unit) or registration.head
    messages = {
        RegistrationAction.SUBMIT: (
            _reviewers(registration),
            NotificationKind.SUBMITTED,
            _("%(unit)s trình đăng ký nhiệm vụ trọng tâm năm %(year)s"),
        ),
        RegistrationAction.RETURN: (
            [head],
            NotificationKind.RETURNED,
            _("Đăng ký nhiệm vụ trọng tâm năm %(year)s của %(unit)s bị trả lại"),
        ),
        RegistrationAction.APPROVE: (
            [head],
            NotificationKind.APPROVED,
            _("Đăng ký nhiệm vụ trọng tâm năm %(year)s của %(unit)s đã được phê duyệt"),
        ),
        RegistrationAction.REQUEST_CHANGE: (
            _reviewers(registration),
            NotificationKind.CHANGE_REQUESTED,
            _("%(unit)s đề nghị điều chỉnh nhiệm vụ trọng tâm năm %(year)s"),
        ),
        RegistrationAction.APPROVE_CHANGE: (
            [head],
            NotificationKind.CHANGE_APPROVED,
            _("Đề nghị điều chỉnh nhiệm vụ trọng tâm năm %(year)s của %(unit)s được chấp thuận"),
        ),
        RegistrationAction.REJECT_CHANGE: (
            [head],
            NotificationKind.CHANGE_REJECTED,
            _("Đề nghị điều chỉnh nhiệm vụ trọng tâm năm %(year)s của %(unit)s bị từ chối"),
        ),
    }
    recipients, kind, title = messages[action]
    body = _("Người xử lý: %(name)s.") % {"name": by.get_full_name()}
    if comment:
        body += "\n" + _("Ý kiến: %(comment)s") % {"comment": comment}
    notify(
        [r for r in recipients if r.pk != by.pk],
        kind=kind,
        title=title % {"unit": unit, "year": year},
        body=body,
        url=url,
    )


def sign_commitment(*, registration_id: int, by: Any) -> Registration:
    """The head signs the period's commitment; the time is recorded once and never overwritten."""
    with transaction.atomic():
        registration = _lock(registration_id, None)
        if not by.has_perm("keytasks.sign_commitment", registration):
            raise PermissionDenied
        if registration.commitment_signed_at is not None:
            return registration
        registration.commitment_signed_at = timezone.now()
        registration.commitment_signed_by = by
        _bump(registration, update_fields=["commitment_signed_at", "commitment_signed_by"])
        audit.record(
            actor=by,
            action=AuditAction.UPDATE,
            instance=registration,
            changes={"commitment_signed_at": [None, audit.jsonable(registration.commitment_signed_at)]},
        )
    return registration
