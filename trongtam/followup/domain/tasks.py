"""Everything that happens to a followed task, each in one transaction with its audit entry and notices.

Every write locks the task row, checks the version the person last saw (`StaleEdit` names who changed it
since), checks the permission with the task's rules, and writes nothing if any input is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trongtam.core import audit
from trongtam.core.errors import Problem, RuleViolations, TransitionNotAllowed
from trongtam.core.models import AuditAction, NotificationKind
from trongtam.core.notifications import notify
from trongtam.core.uploads import EVIDENCE_TYPES, content_type_of, upload_problem
from trongtam.followup.domain.status import proposed_delivery
from trongtam.followup.domain.workflow import EVENTS
from trongtam.followup.enums import DUE_SOON_WORKING_DAYS, Delivery, FollowAction, Lifecycle
from trongtam.followup.models import (
    Evidence,
    ExtensionRequest,
    ExtensionStatus,
    ProgressUpdate,
    Task,
    TaskEvent,
)
from trongtam.org.domain.queries import head_of
from trongtam.workdays.domain.calendar import WorkCalendar
from trongtam.workdays.domain.queries import work_calendar

TASK_FIELDS = ["lifecycle", "deadline", "percent", "delivery", "completion_reported_on", "on_time"]
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def _d(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def deadline_fields(deadline: dt.date | None, calendar: WorkCalendar) -> dict[str, dt.date | None]:
    """The deadline and the day from which the task counts as due soon (3 working days before)."""
    if deadline is None:
        return {"deadline": None, "due_soon_from": None}
    return {
        "deadline": deadline,
        "due_soon_from": calendar.add_working_days(deadline, -DUE_SOON_WORKING_DAYS),
    }


def _lock(task_id: int, expected_version: int | None) -> Task:
    task = Task.objects.select_for_update().select_related("lead_unit").get(pk=task_id)
    if expected_version is not None and task.version != expected_version:
        raise audit.stale_edit(
            task, now=_("tình trạng «%(state)s»") % {"state": task.get_lifecycle_display()}
        )
    return task


def _require(by: Any, perm: str, task: Task) -> None:
    if not by.has_perm(perm, task):
        if by.has_perm("followup.view_task", task) and task.lifecycle not in Lifecycle.open:
            raise TransitionNotAllowed(
                _("Nhiệm vụ đang ở tình trạng «%(state)s», không thực hiện được thao tác này.")
                % {"state": task.get_lifecycle_display()}
            )
        raise PermissionDenied


def _save(
    task: Task, before: dict[str, Any], by: Any, action: AuditAction, extra: dict[str, Any] | None = None
) -> None:
    task.version += 1
    task.save()
    changes = audit.diff(before, audit.snapshot(task, TASK_FIELDS))
    changes.update(extra or {})
    audit.record(actor=by, action=action, instance=task, changes=changes)


def _transition(task: Task, action: FollowAction, by: Any, comment: str) -> None:
    event = EVENTS[action]
    previous = task.lifecycle
    task.lifecycle = event.target
    TaskEvent.objects.create(
        task=task, action=action, from_lifecycle=previous, to_lifecycle=event.target, by=by, comment=comment
    )


def _store_files(task: Task, files: list[UploadedFile], by: Any, update: ProgressUpdate | None) -> list[str]:
    names = []
    for upload in files:
        evidence = Evidence(
            task=task,
            update=update,
            name=upload.name or "",
            content_type=content_type_of(upload.name or ""),
            size=upload.size or 0,
            uploaded_by=by,
        )
        evidence.file.save(upload.name or "tep", upload, save=False)
        evidence.save()
        names.append(evidence.name)
    return names


def _check_files(files: list[UploadedFile], field_name: str = "files") -> list[Problem]:
    problems = []
    for upload in files:
        problem = upload_problem(upload, EVIDENCE_TYPES, EVIDENCE_MAX_BYTES)
        if problem:
            problems.append(Problem(problem, field_name))
    return problems


# -- lifecycle events ---------------------------------------------------------------------------------------


def act(
    task_id: int, action: FollowAction, *, by: Any, comment: str = "", expected_version: int | None = None
) -> Task:
    """Accept, return, pause, resume, refuse or cancel (completion has its own function: it needs evidence)."""
    if action in (FollowAction.REPORT_COMPLETION, FollowAction.EXTEND):
        raise ValueError(action)
    event = EVENTS[action]
    comment = comment.strip()
    with transaction.atomic():
        task = _lock(task_id, None)
        if not by.has_perm(event.perm, task):
            raise PermissionDenied
        if expected_version is not None and task.version != expected_version:
            _lock(task_id, expected_version)  # raises StaleEdit with who acted
        if task.lifecycle == event.target and task.lifecycle not in event.sources:
            return task  # the same request twice
        if task.lifecycle not in event.sources:
            raise TransitionNotAllowed(
                _("Không thể «%(action)s» khi nhiệm vụ đang ở tình trạng «%(state)s».")
                % {"action": action.label, "state": task.get_lifecycle_display()}
            )
        if event.needs_comment and not comment:
            raise RuleViolations(
                [Problem(_("Cần nhập ý kiến khi «%(action)s».") % {"action": action.label}, "comment")]
            )
        before = audit.snapshot(task, TASK_FIELDS)
        _transition(task, action, by, comment)
        if action == FollowAction.ACCEPT:
            task.accepted_at = timezone.now()
            reported = task.completion_reported_on or timezone.localdate()
            task.on_time = task.deadline is None or reported <= task.deadline
            task.percent = 100
        if action == FollowAction.RETURN:
            task.completion_reported_on = None
            # Back to the progress the lead unit last reported itself (completion reports say 100 %).
            earlier = task.updates.filter(is_contribution=False, is_completion=False).order_by("-at", "-pk")[
                :1
            ]
            task.percent = next((update.percent for update in earlier), 0)
        _save(task, before, by, AuditAction.TRANSITION, {"comment": [None, comment]} if comment else None)
        _notify(task, action, by, comment)
    return task


def _notify(task: Task, action: FollowAction, by: Any, comment: str) -> None:
    to_lead = [head_of(task.lead_unit)]
    to_assigner = [task.assigned_by]
    table: dict[FollowAction, tuple[list[Any], NotificationKind, str]] = {
        FollowAction.ACCEPT: (
            to_lead,
            NotificationKind.TASK_ACCEPTED,
            _("Nhiệm vụ «%(title)s» được xác nhận hoàn thành"),
        ),
        FollowAction.RETURN: (
            to_lead,
            NotificationKind.TASK_RETURNED,
            _("Kết quả nhiệm vụ «%(title)s» bị trả lại"),
        ),
        FollowAction.PAUSE: (to_lead, NotificationKind.TASK_CHANGED, _("Nhiệm vụ «%(title)s» được tạm dừng")),
        FollowAction.RESUME: (
            to_lead,
            NotificationKind.TASK_CHANGED,
            _("Nhiệm vụ «%(title)s» được tiếp tục"),
        ),
        FollowAction.CANCEL: (to_lead, NotificationKind.TASK_CHANGED, _("Nhiệm vụ «%(title)s» đã bị huỷ")),
        FollowAction.REFUSE: (
            to_assigner,
            NotificationKind.TASK_CHANGED,
            _("Đơn vị từ chối nhiệm vụ «%(title)s»"),
        ),
        FollowAction.REPORT_COMPLETION: (
            to_assigner,
            NotificationKind.TASK_COMPLETION_REPORTED,
            _("Nhiệm vụ «%(title)s» được báo cáo hoàn thành, chờ xác nhận"),
        ),
        FollowAction.START: ([], NotificationKind.TASK_CHANGED, ""),
        FollowAction.EXTEND: (
            to_lead,
            NotificationKind.TASK_CHANGED,
            _("Quyết định về đề nghị gia hạn nhiệm vụ «%(title)s»"),
        ),
    }
    recipients, kind, title = table[action]
    body = _("Người xử lý: %(name)s.") % {"name": by.get_full_name()}
    if comment:
        body += "\n" + _("Ý kiến: %(comment)s") % {"comment": comment}
    notify(
        [r for r in recipients if r is not None and r.pk != by.pk],
        kind=kind,
        title=title % {"title": task.title[:120]},
        body=body,
        url=task.get_absolute_url(),
    )


# -- progress -----------------------------------------------------------------------------------------------


@dataclass
class ProgressInput:
    percent: int | None
    narrative: str
    obstacles: str = ""
    proposals: str = ""
    delivery: str = ""  # empty: take the system's proposal
    override_reason: str = ""
    files: list[UploadedFile] = field(default_factory=list)


def _milestones(task: Task, today: dt.date) -> tuple[int, int]:
    if task.key_task_id is None:
        return 0, 0
    from trongtam.keytasks.models import Milestone

    due = Milestone.objects.filter(task_id=task.key_task_id, due_date__lte=today)
    return due.count(), due.filter(met_on__isnull=False).count()


def _period_start(task: Task) -> dt.date:
    """When the task's own time began: the document's date, or for an occurrence of a recurring task the
    previous occurrence's deadline (a monthly report's time runs from last month's, not from the document)."""
    own = task.original_deadline or task.deadline
    if task.series_id is None or own is None:
        return task.assigned_on
    # By the original deadlines: an extension moves one occurrence, not the order of the months.
    previous = (
        Task.objects.filter(series_id=task.series_id, original_deadline__lt=own)
        .order_by("-original_deadline")
        .values_list("original_deadline", flat=True)
        .first()
    )
    return previous or task.assigned_on


def add_progress(
    task_id: int,
    data: ProgressInput,
    *,
    by: Any,
    expected_version: int | None,
    today: dt.date | None = None,
) -> ProgressUpdate:
    """A progress report by the lead unit, or a contribution by a coordinating unit (attached to the task)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=task_id)
        contribution = not by.has_perm("followup.report_progress", task)
        if contribution:
            _require(by, "followup.contribute", task)
        task = _lock(task_id, expected_version)
        problems: list[Problem] = []
        if data.percent is None or not 0 <= data.percent <= 100:
            problems.append(Problem(_("Tiến độ phải là số từ 0 đến 100."), "percent"))
        if not data.narrative.strip():
            problems.append(Problem(_("Cần nêu kết quả đã thực hiện."), "narrative"))
        if data.delivery and data.delivery not in Delivery.values:
            problems.append(Problem(_("Đánh giá tiến độ không hợp lệ."), "delivery"))
        problems += _check_files(data.files)
        milestones_due, milestones_met = _milestones(task, today)
        proposal = proposed_delivery(
            start=_period_start(task),
            deadline=task.deadline,
            today=today,
            percent=data.percent,
            milestones_due=milestones_due,
            milestones_met=milestones_met,
        )
        chosen = data.delivery or proposal
        if chosen != proposal and not data.override_reason.strip():
            problems.append(
                Problem(
                    _("Hệ thống đề xuất «%(proposal)s»; khi chọn khác, cần nêu lý do.")
                    % {"proposal": Delivery(proposal).label},
                    "override_reason",
                )
            )
        if problems:
            raise RuleViolations(problems)
        assert data.percent is not None  # noqa: S101
        update = ProgressUpdate.objects.create(
            task=task,
            by=by,
            unit_id=by.unit_id,
            percent=data.percent,
            narrative=data.narrative.strip(),
            obstacles=data.obstacles.strip(),
            proposals=data.proposals.strip(),
            proposed_delivery=proposal,
            delivery=chosen,
            override_reason=data.override_reason.strip() if chosen != proposal else "",
            is_contribution=contribution,
        )
        names = _store_files(task, data.files, by, update)
        before = audit.snapshot(task, TASK_FIELDS)
        if not contribution:
            if task.lifecycle in (Lifecycle.NOT_STARTED, Lifecycle.REDO):
                _transition(task, FollowAction.START, by, "")
            task.percent = data.percent
            task.delivery = chosen
        extra: dict[str, Any] = {"progress_update": [None, update.pk]}
        if names:
            extra["files"] = [None, names]
        _save(task, before, by, AuditAction.UPDATE, extra)
    return update


def record_milestone(
    task_id: int,
    milestone_id: int,
    *,
    met_on: dt.date | None,
    by: Any,
    expected_version: int | None,
    today: dt.date | None = None,
) -> Task:
    """The lead unit records the day a milestone of its key task was met, or withdraws that record (None).

    The milestones met count in the system's delivery proposal from the next progress report on."""
    from trongtam.keytasks.models import Milestone

    today = today or timezone.localdate()
    with transaction.atomic():
        task = _lock(task_id, None)
        _require(by, "followup.record_milestone", task)
        if task.lifecycle not in Lifecycle.open:
            raise TransitionNotAllowed(
                _("Nhiệm vụ đang ở tình trạng «%(state)s», không ghi nhận mốc tiến độ được.")
                % {"state": task.get_lifecycle_display()}
            )
        milestone = (
            Milestone.objects.select_for_update().filter(pk=milestone_id, task_id=task.key_task_id).first()
        )
        if milestone is None or task.key_task_id is None:
            raise RuleViolations([Problem(_("Mốc tiến độ này không thuộc nhiệm vụ."), "milestone")])
        if milestone.met_on == met_on:
            return task  # the same request twice (a double click): nothing to do, not a conflict
        if expected_version is not None and task.version != expected_version:
            _lock(task_id, expected_version)  # raises StaleEdit naming who changed the task
        if met_on is not None and met_on > today:
            raise RuleViolations([Problem(_("Ngày đạt mốc không được sau hôm nay."), "met_on")])
        period = task.registration.period if task.registration is not None else None
        if met_on is not None and period is not None and met_on < period.start_date:
            raise RuleViolations(
                [
                    Problem(
                        _("Ngày đạt mốc không được trước ngày bắt đầu kỳ công tác (%(day)s).")
                        % {"day": _d(period.start_date)},
                        "met_on",
                    )
                ]
            )
        previous, milestone.met_on = milestone.met_on, met_on
        milestone.save(update_fields=["met_on"])
        before = audit.snapshot(task, TASK_FIELDS)
        _save(
            task,
            before,
            by,
            AuditAction.UPDATE,
            {"milestone": [None, milestone.title], "milestone_met_on": [_iso(previous), _iso(met_on)]},
        )
    return task


# -- completion ---------------------------------------------------------------------------------------------


def report_completion(
    task_id: int,
    *,
    by: Any,
    narrative: str,
    files: list[UploadedFile],
    expected_version: int | None,
    today: dt.date | None = None,
) -> Task:
    """The lead unit reports the task done, with evidence; the assigner then accepts or returns it."""
    today = today or timezone.localdate()
    action = FollowAction.REPORT_COMPLETION
    with transaction.atomic():
        task = _lock(task_id, None)
        _require(by, EVENTS[action].perm, task)
        task = _lock(task_id, expected_version)
        if task.lifecycle not in EVENTS[action].sources:
            raise TransitionNotAllowed(
                _("Không thể báo cáo hoàn thành khi nhiệm vụ đang ở tình trạng «%(state)s».")
                % {"state": task.get_lifecycle_display()}
            )
        problems = []
        if not narrative.strip():
            problems.append(Problem(_("Cần nêu kết quả hoàn thành."), "narrative"))
        if not files:
            problems.append(Problem(_("Cần đính kèm ít nhất một tệp minh chứng."), "files"))
        problems += _check_files(files)
        if problems:
            raise RuleViolations(problems)
        update = ProgressUpdate.objects.create(
            task=task,
            by=by,
            unit_id=by.unit_id,
            percent=100,
            narrative=narrative.strip(),
            proposed_delivery=Delivery.GREEN,
            delivery=Delivery.GREEN,
            is_completion=True,
        )
        names = _store_files(task, files, by, update)
        before = audit.snapshot(task, TASK_FIELDS)
        _transition(task, action, by, narrative.strip())
        task.completion_reported_on = today
        task.percent = 100
        _save(task, before, by, AuditAction.TRANSITION, {"files": [None, names]})
        _notify(task, action, by, "")
    return task


# -- extensions ---------------------------------------------------------------------------------------------


def request_extension(
    task_id: int, *, by: Any, new_deadline: dt.date | None, reason: str, expected_version: int | None
) -> ExtensionRequest:
    with transaction.atomic():
        task = _lock(task_id, None)
        _require(by, "followup.speak_for_lead_unit", task)
        task = _lock(task_id, expected_version)
        if task.lifecycle not in Lifecycle.open:
            raise TransitionNotAllowed(_("Nhiệm vụ đã kết thúc, không gia hạn được."))
        problems = []
        if task.deadline is None:
            problems.append(Problem(_("Nhiệm vụ không có thời hạn, không cần gia hạn."), "new_deadline"))
        elif new_deadline is None:
            problems.append(Problem(_("Cần nhập thời hạn đề nghị."), "new_deadline"))
        elif new_deadline <= task.deadline:
            problems.append(
                Problem(
                    _("Thời hạn đề nghị %(new)s phải sau thời hạn hiện tại %(current)s.")
                    % {"new": _d(new_deadline), "current": _d(task.deadline)},
                    "new_deadline",
                )
            )
        if not reason.strip():
            problems.append(Problem(_("Cần nêu lý do đề nghị gia hạn."), "reason"))
        if problems:
            raise RuleViolations(problems)
        assert task.deadline is not None  # noqa: S101
        assert new_deadline is not None  # noqa: S101
        try:
            with transaction.atomic():
                extension = ExtensionRequest.objects.create(
                    task=task,
                    requested_by=by,
                    current_deadline=task.deadline,
                    new_deadline=new_deadline,
                    reason=reason.strip(),
                )
        except IntegrityError as exc:
            raise TransitionNotAllowed(_("Nhiệm vụ đã có một đề nghị gia hạn đang chờ quyết định.")) from exc
        task.version += 1
        task.save(update_fields=["version"])
        audit.record(
            actor=by,
            action=AuditAction.CREATE,
            instance=extension,
            root=task,
            changes={
                "new_deadline": [_iso(task.deadline), _iso(new_deadline)],
                "reason": [None, extension.reason],
            },
        )
        notify(
            [task.assigned_by] if task.assigned_by_id != by.pk else [],
            kind=NotificationKind.TASK_EXTENSION_REQUESTED,
            title=_("Đề nghị gia hạn nhiệm vụ «%(title)s» đến %(date)s")
            % {"title": task.title[:120], "date": _d(new_deadline)},
            body=_("Lý do: %(reason)s") % {"reason": extension.reason},
            url=task.get_absolute_url(),
        )
    return extension


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def decide_extension(
    extension_id: int,
    *,
    by: Any,
    approve: bool,
    note: str = "",
    expected_version: int | None = None,
    calendar: WorkCalendar | None = None,
) -> ExtensionRequest:
    """The assigner decides. Approval moves the deadline; the original deadline stays on the task for reports."""
    with transaction.atomic():
        extension = ExtensionRequest.objects.select_for_update().get(pk=extension_id)
        task = _lock(extension.task_id, None)
        _require(by, "followup.decide", task)
        task = _lock(extension.task_id, expected_version)
        if extension.status != ExtensionStatus.PENDING:
            raise TransitionNotAllowed(
                _("Đề nghị gia hạn này đã được quyết định («%(status)s»).")
                % {"status": extension.get_status_display()}
            )
        if not approve and not note.strip():
            raise RuleViolations([Problem(_("Cần nêu lý do không đồng ý gia hạn."), "note")])
        extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
        extension.decided_by, extension.decided_at, extension.decision_note = by, timezone.now(), note.strip()
        extension.save()
        before = audit.snapshot(task, TASK_FIELDS)
        if approve:
            for name, value in deadline_fields(extension.new_deadline, calendar or work_calendar()).items():
                setattr(task, name, value)
            task.overdue_since = None
        _save(
            task,
            before,
            by,
            AuditAction.UPDATE,
            {"extension": [ExtensionStatus.PENDING.value, extension.status]},
        )
        _notify(task, FollowAction.EXTEND, by, note.strip() or extension.get_status_display())
    return extension
