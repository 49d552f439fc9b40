"""Followed tasks: the filtered list, one task with what the person may do now, every action of the task page,
and the overview's figures.

Scope, as on the pages (followup/views.py): a task outside the person's scope (`followup.view_task`) is a **404**,
never a 403, so its existence is not revealed. Inside the scope, an action the person's role does not allow is a
**403**, decided by the same checks as the page's action views; a task in a state that does not allow the action
is a 409. The list needs `followup.view_task_list` and the overview `followup.view_overview`, as their pages (a
citizen gets 403).

Every write sends the task's `version` it last read and the domain function compares it under a row lock: a stale
write is a 409 that names who changed the task, and nothing is written. Input is checked in three steps, each
reporting by field: its shape and types (422), the page's form (400), then the domain's rules (400). Every write
goes through followup/domain/tasks.py, so the audit trail, history and notifications are the pages'.

Evidence files travel as multipart/form-data: the fields in JSON under `payload`, the files under `files`
(repeat the field for several files), e.g. `curl -F 'payload={"version": 3, …}' -F files=@bien-ban.pdf`.
"""

# No `from __future__ import annotations`: ninja reads the paginated views' annotations at import time, in
# the globals of its own wrapper, where these names would not resolve.

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from ninja import File, P, PathEx, Query, Router, UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from trongtam.core.errors import Problem, RuleViolations
from trongtam.core.interfaces.forms import END_BEFORE_START
from trongtam.followup.domain import overview, status
from trongtam.followup.domain.queries import TaskFilters, filter_tasks, task_rows, visible_tasks
from trongtam.followup.domain.tasks import (
    act,
    add_progress,
    decide_extension,
    record_milestone,
    report_completion,
    request_extension,
)
from trongtam.followup.domain.workflow import EVENTS
from trongtam.followup.enums import FollowAction, Lifecycle
from trongtam.followup.interfaces.forms import (
    ActionForm,
    CompletionForm,
    DecisionForm,
    ExtensionForm,
    ProgressForm,
)
from trongtam.followup.interfaces.schemas import (
    ActionIn,
    ButtonAction,
    CompletionIn,
    DecisionIn,
    ExtensionIn,
    MilestoneIn,
    OverviewOut,
    ProgressIn,
    RangeIn,
    TaskDetailOut,
    TaskFilterIn,
    TaskOut,
)
from trongtam.followup.models import Evidence, ExtensionRequest, ExtensionStatus, Task
from trongtam.followup.rules import is_member_of_coordinating_unit, is_member_of_lead_unit
from trongtam.followup.views_overview import RangeForm
from trongtam.keytasks.models import Milestone
from trongtam.org.interfaces.schemas import ERRORS, WRITE_ERRORS, ErrorOut, raise_form_errors

router = Router(tags=["followup"])


TASK_FIELDS = [
    "id",
    "version",
    "title",
    "description",
    "source",
    "directive",
    "registration",
    "key_task_id",
    "lead_unit",
    "assigned_by",
    "assigned_on",
    "urgent",
    "original_deadline",
    "deadline",
    "due_soon_from",
    "lifecycle",
    "percent",
    "delivery",
    "completion_reported_on",
    "accepted_at",
    "on_time",
]


def _task(request: Any, task_id: int) -> Task:
    """The task if the person may see it; a 404 otherwise, as on the pages."""
    task = get_object_or_404(
        Task.objects.select_related(
            "lead_unit", "assigned_by", "directive", "key_task", "registration__unit", "registration__period"
        ).prefetch_related("coordinating_units"),
        pk=task_id,
    )
    if not request.user.has_perm("followup.view_task", task):
        raise Http404
    return task


def _actions(user: Any, task: Task, pending: ExtensionRequest | None) -> list[dict[str, Any]]:
    """What the person may do with the task as it stands now: the page's action forms (`views._action_forms`)."""
    base = f"/tasks/{task.pk}"
    found: list[dict[str, Any]] = []

    def add(action: str, label: str, path: str, needs_comment: bool = False, **extra: Any) -> None:
        found.append(
            {"action": action, "label": label, "path": base + path, "needs_comment": needs_comment, **extra}
        )

    if user.has_perm("followup.report_progress", task) or user.has_perm("followup.contribute", task):
        add("progress", _("Báo cáo tiến độ"), "/progress")
    speaks = user.has_perm("followup.speak_for_lead_unit", task)
    if speaks and task.lifecycle in EVENTS[FollowAction.REPORT_COMPLETION].sources:
        add("completion", _("Báo cáo hoàn thành"), "/completion")
    if speaks and task.lifecycle in Lifecycle.open and task.deadline is not None and pending is None:
        add("extension", _("Đề nghị gia hạn"), "/extensions")
    if pending is not None and user.has_perm("followup.decide", task):
        add(
            "decision",
            _("Quyết định đề nghị gia hạn"),
            f"/extensions/{pending.pk}/decision",
            extension_id=pending.pk,
        )
    if (
        task.key_task_id
        and task.lifecycle in Lifecycle.open
        and user.has_perm("followup.record_milestone", task)
    ):
        add("milestones", _("Ghi nhận đạt mốc tiến độ"), "/milestones/{milestone_id}")
    for action in ButtonAction:
        event = EVENTS[FollowAction(action.value)]
        if task.lifecycle in event.sources and user.has_perm(event.perm, task):
            add(
                action.value,
                force_str(FollowAction(action.value).label),
                f"/actions/{action.value}",
                event.needs_comment,
            )
    return found


def _detail(request: Any, task_id: int) -> dict[str, Any]:
    """What the task page shows (its audit trail aside), in a number of queries that does not grow with its
    updates."""
    task = _task(request, task_id)
    today = timezone.localdate()
    updates = list(
        task.updates.select_related("by", "unit").prefetch_related(
            Prefetch("files", queryset=Evidence.objects.order_by("uploaded_at", "pk"))
        )
    )
    extensions = list(task.extensions.select_related("requested_by", "decided_by"))
    pending = next((ext for ext in extensions if ext.status == ExtensionStatus.PENDING), None)
    return {
        **{name: getattr(task, name) for name in TASK_FIELDS},
        "coordinating_units": list(task.coordinating_units.all()),
        "state": status.deadline_state(
            lifecycle=task.lifecycle, deadline=task.deadline, due_soon_from=task.due_soon_from, today=today
        ),
        "cell": status.outcome(
            lifecycle=task.lifecycle, on_time=task.on_time, deadline=task.deadline, today=today
        ),
        "updates": updates,
        "other_evidence": list(task.evidence.filter(update__isnull=True)),
        "extensions": extensions,
        "events": list(task.events.select_related("by").order_by("at", "pk")),
        "milestones": list(Milestone.objects.filter(task_id=task.key_task_id)) if task.key_task_id else [],
        "actions": _actions(request.user, task, pending),
    }


@router.get("/tasks", response={200: list[TaskOut], 400: ErrorOut, **ERRORS}, summary="Nhiệm vụ theo dõi")
@paginate(PageNumberPagination, page_size=50)
def list_tasks(request: Any, filters: Query[TaskFilterIn]) -> QuerySet[Task]:
    """The tasks in the person's scope, the nearest deadline first (those without one last), filtered as on the
    task list page: `q` searches the title and `unit` the lead unit's name or code, ignoring diacritics;
    `vice_chairman` keeps the tasks led by the units in that Vice-Chairman's charge; `deadline_state` and
    `outcome` are as of today; `assigned_from` and `assigned_to` bound the day the task was assigned. A page
    takes the same two queries whatever the number of tasks."""
    user = request.user
    if not user.has_perm("followup.view_task_list"):
        raise PermissionDenied
    start, end = filters.assigned_from, filters.assigned_to
    if start and end and start > end:
        raise RuleViolations([Problem(str(END_BEFORE_START), "assigned_to")])
    today = timezone.localdate()
    chosen = TaskFilters(
        q=filters.q.strip(),
        unit=filters.unit.strip(),
        lead_unit=filters.lead_unit,
        vice_chairman=filters.vice_chairman,
        source=filters.source or "",
        lifecycle=filters.lifecycle or "",
        deadline_state=filters.deadline_state or "",
        outcome=filters.outcome or "",
        delivery=filters.delivery or "",
        urgent=filters.urgent,
        directive=filters.directive,
        assigned_from=start,
        assigned_to=end,
    )
    return task_rows(filter_tasks(visible_tasks(user), chosen, today), today)


@router.get("/tasks/{task_id}", response={200: TaskDetailOut, **ERRORS}, summary="Một nhiệm vụ theo dõi")
def get_task(request: Any, task_id: int) -> dict[str, Any]:
    """The task with its `version`, its lifecycle and deadline state, its original and current deadline, its
    progress reports with their evidence, its extension requests, its history, and the actions the person may
    take now (each with the path to send it to)."""
    return _detail(request, task_id)


def _files(files: list[UploadedFile] | None) -> MultiValueDict[str, Any]:
    return MultiValueDict({"files": list(files or [])})


@router.post(
    "/tasks/{task_id}/progress", response={201: TaskDetailOut, **WRITE_ERRORS}, summary="Báo cáo tiến độ"
)
def send_progress(
    request: Any, task_id: int, payload: ProgressIn, files: File[list[UploadedFile] | None] = None
) -> tuple[int, dict[str, Any]]:
    """A member of the lead unit reports progress (the first report starts the task), or a member of a
    coordinating unit sends their unit's contribution. Multipart: `payload` in JSON, evidence under `files`
    (PDF, images, DOCX, XLSX; at most 10 MB each). The system proposes the delivery judgement; choosing another
    one needs `override_reason`."""
    user = request.user
    task = _task(request, task_id)
    if not (is_member_of_lead_unit.test(user, task) or is_member_of_coordinating_unit.test(user, task)):
        raise PermissionDenied
    form = ProgressForm(
        data={**payload.model_dump(), "delivery": payload.delivery.value if payload.delivery else ""},
        files=_files(files),
    )
    raise_form_errors(form)
    add_progress(task.pk, form.to_input(), by=user, expected_version=payload.version)
    return 201, _detail(request, task.pk)


@router.post(
    "/tasks/{task_id}/completion", response={200: TaskDetailOut, **WRITE_ERRORS}, summary="Báo cáo hoàn thành"
)
def send_completion(
    request: Any, task_id: int, payload: CompletionIn, files: File[list[UploadedFile] | None] = None
) -> dict[str, Any]:
    """The head or a deputy of the lead unit reports the task done; it then awaits the assigner's acceptance.
    Multipart: `payload` in JSON, and at least one evidence file under `files`."""
    task = _task(request, task_id)
    if not request.user.has_perm("followup.speak_for_lead_unit", task):
        raise PermissionDenied
    form = CompletionForm(data=payload.model_dump(), files=_files(files))
    raise_form_errors(form)
    report_completion(
        task.pk,
        by=request.user,
        narrative=form.cleaned_data["narrative"],
        files=list(form.cleaned_data["files"]),
        expected_version=payload.version,
    )
    return _detail(request, task.pk)


@router.post(
    "/tasks/{task_id}/extensions", response={201: TaskDetailOut, **WRITE_ERRORS}, summary="Đề nghị gia hạn"
)
def ask_extension(request: Any, task_id: int, payload: ExtensionIn) -> tuple[int, dict[str, Any]]:
    """The head or a deputy of the lead unit asks for a later deadline; one request may wait at a time."""
    task = _task(request, task_id)
    if not request.user.has_perm("followup.speak_for_lead_unit", task):
        raise PermissionDenied
    form = ExtensionForm(data=payload.model_dump())
    raise_form_errors(form)
    request_extension(
        task.pk,
        by=request.user,
        new_deadline=form.cleaned_data["new_deadline"],
        reason=form.cleaned_data["reason"],
        expected_version=payload.version,
    )
    return 201, _detail(request, task.pk)


@router.post(
    "/tasks/{task_id}/extensions/{extension_id}/decision",
    response={200: TaskDetailOut, **WRITE_ERRORS},
    summary="Quyết định đề nghị gia hạn",
)
def decide(request: Any, task_id: int, extension_id: int, payload: DecisionIn) -> dict[str, Any]:
    """The assigner's side (the Office, the Chairman, the Vice-Chairman in charge of the lead unit, the person
    who assigned the task) approves, which moves the deadline (the original stays on record), or rejects with
    a `note`."""
    task = _task(request, task_id)
    extension = get_object_or_404(task.extensions, pk=extension_id)
    if not request.user.has_perm("followup.decide", task):
        raise PermissionDenied
    form = DecisionForm(data=payload.model_dump())
    raise_form_errors(form)
    decide_extension(
        extension.pk,
        by=request.user,
        approve=form.cleaned_data["decision"] == "approve",
        note=form.cleaned_data["note"],
        expected_version=payload.version,
    )
    return _detail(request, task.pk)


@router.post(
    "/tasks/{task_id}/milestones/{milestone_id}",
    response={200: TaskDetailOut, **WRITE_ERRORS},
    summary="Ghi nhận đạt mốc tiến độ",
)
def milestone(request: Any, task_id: int, milestone_id: int, payload: MilestoneIn) -> dict[str, Any]:
    """The head or a deputy of the lead unit records the day a milestone of the key task was met (`met_on`), or
    withdraws the record (`null`). Met milestones count in the system's delivery proposal."""
    task = _task(request, task_id)
    if not request.user.has_perm("followup.record_milestone", task):
        raise PermissionDenied
    record_milestone(
        task.pk, milestone_id, met_on=payload.met_on, by=request.user, expected_version=payload.version
    )
    return _detail(request, task.pk)


ACTION_DESCRIPTION = "Một trong: " + ", ".join(a.value for a in ButtonAction) + "."


@router.post(
    "/tasks/{task_id}/actions/{action}",
    response={200: TaskDetailOut, **WRITE_ERRORS},
    summary="Xác nhận, trả lại, tạm dừng, tiếp tục, từ chối, huỷ",
)
def take_action(
    request: Any,
    task_id: int,
    action: PathEx[ButtonAction, P(description=ACTION_DESCRIPTION)],
    payload: ActionIn,
) -> dict[str, Any]:
    """Move the task through its lifecycle: `accept` a reported completion or `return` it, `pause`, `resume`
    and `cancel` (the assigner's side); `refuse` a task not yet started (the head or a deputy of the lead
    unit). `return`, `pause`, `refuse` and `cancel` need a `comment`."""
    task = _task(request, task_id)
    event_action = FollowAction(action.value)
    if not request.user.has_perm(EVENTS[event_action].perm, task):
        raise PermissionDenied
    form = ActionForm(data=payload.model_dump())
    raise_form_errors(form)
    act(
        task.pk,
        event_action,
        by=request.user,
        comment=form.cleaned_data["comment"],
        expected_version=payload.version,
    )
    return _detail(request, task.pk)


def _row(row: overview.Row, *, keyed: bool = True) -> dict[str, Any]:
    return {"id": row.key if keyed else None, "name": force_str(row.label), "tally": row.tally}


@router.get("/overview", response={200: OverviewOut, 400: ErrorOut, **ERRORS}, summary="Tổng quan")
def get_overview(request: Any, within: Query[RangeIn]) -> dict[str, Any]:
    """The figures of the overview page for the person's scope (the whole province, a Vice-Chairman's units,
    a head's own unit): the 2×2 in total, per lead unit, per Vice-Chairman and per sector, over the tasks
    assigned between `start` and `end`, or in a reporting period of Decree 09/2019 (`period`, `year`, `number`:
    a month runs from the 15th of the previous month to the 14th). The tasks themselves: GET /tasks, with
    `outcome=open_overdue` or `delivery=red`."""
    if not request.user.has_perm("followup.view_overview"):
        raise PermissionDenied
    form = RangeForm(data={**within.model_dump(), "period": within.period or ""})
    raise_form_errors(form)
    start, end = form.cleaned_data.get("start"), form.cleaned_data.get("end")
    today = timezone.localdate()
    units = overview.by_unit(overview.tasks_in_range(request.user, start, end), today)
    vice_chairmen, sectors = overview.regroup(units)
    return {
        "today": today,
        "start": start,
        "end": end,
        "total": overview.totals(units),
        "units": [_row(r) for r in overview.worst_first(units)],
        "vice_chairmen": [_row(r) for r in vice_chairmen],
        "sectors": [_row(r, keyed=False) for r in sectors],
    }
