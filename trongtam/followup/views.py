"""Pages of followed tasks: the filtered list of the tasks in the person's scope, and one task.

On a task's page scope is checked first (a task outside it is a 404), then each action's permission (403); the
action forms post to their own views, which show the task page again with the input on a refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trongtam.core.audit import entries_for
from trongtam.core.interfaces.actions import VersionedForm, run_action
from trongtam.core.types import AuthedRequest
from trongtam.core.uploads import stored_file_response
from trongtam.core.views import paginate
from trongtam.directives.domain.queries import directives_visible_to
from trongtam.followup.domain.queries import filter_tasks, sees_every_task, task_rows, visible_tasks
from trongtam.followup.domain.status import deadline_state
from trongtam.followup.domain.tasks import (
    act,
    add_progress,
    decide_extension,
    record_milestone,
    report_completion,
    request_extension,
)
from trongtam.followup.domain.workflow import BUTTON_ACTIONS, EVENTS
from trongtam.followup.enums import DeadlineState, FollowAction, Lifecycle, Outcome
from trongtam.followup.interfaces.forms import (
    ActionForm,
    CompletionForm,
    DecisionForm,
    ExtensionForm,
    MilestoneForm,
    ProgressForm,
    TaskFilterForm,
)
from trongtam.followup.models import Evidence, ExtensionRequest, ExtensionStatus, Task
from trongtam.followup.rules import is_member_of_coordinating_unit, is_member_of_lead_unit
from trongtam.keytasks.models import Milestone
from trongtam.org.enums import Role
from trongtam.org.models import Person, Unit

ACTION_LABELS: dict[str, Any] = dict(FollowAction.choices)


@login_required
def task_list(request: AuthedRequest) -> HttpResponse:
    """The tasks in the person's scope, filtered and paginated in the database: one query for the count, one for
    the page (the deadline state and the 2×2 cell are SQL expressions), whatever the number of tasks."""
    user = request.user
    if not user.has_perm("followup.view_task_list"):
        raise PermissionDenied
    active = Person.objects.filter(role=Role.VICE_CHAIRMAN, is_active=True).order_by("full_name")
    vice_chairmen: QuerySet[Person] | None = active
    if not sees_every_task(user):  # the list is already the person's scope: a Vice-Chairman may name themself
        vice_chairmen = active.filter(pk=user.pk) if user.role == Role.VICE_CHAIRMAN else None
    form = TaskFilterForm(request.GET or None, vice_chairmen=vice_chairmen)
    today = timezone.localdate()
    filters = form.filters()
    page_obj = paginate(request, task_rows(filter_tasks(visible_tasks(user), filters, today), today))
    chosen_unit = Unit.objects.filter(pk=filters.lead_unit).first() if filters.lead_unit else None
    chosen_directive = (  # only a directive the person may see is named (its number is not public)
        directives_visible_to(user).filter(pk=filters.directive).first()
        if filters.directive is not None
        else None
    )
    return render(
        request,
        "followup/task_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "tasks": page_obj.object_list,
            "today": today,
            "chosen_unit": chosen_unit,
            "chosen_directive": chosen_directive,
            "filtered": filters != type(filters)(),
            "state_labels": dict(DeadlineState.choices),
            "cell_labels": dict(Outcome.choices),
        },
    )


def _task(request: AuthedRequest, pk: int) -> Task:
    task = get_object_or_404(
        Task.objects.select_related(
            "lead_unit", "assigned_by", "directive", "key_task", "registration__unit", "registration__period"
        ).prefetch_related("coordinating_units"),
        pk=pk,
    )
    if not request.user.has_perm("followup.view_task", task):
        raise Http404
    return task


def _action_forms(
    user: Any, task: Task, pending: ExtensionRequest | None, milestones: list[Milestone]
) -> dict[str, VersionedForm]:
    """An empty form for every action the person may take on the task as it stands now."""
    initial = {"version": task.version}
    found: dict[str, VersionedForm] = {}
    if milestones and task.lifecycle in Lifecycle.open and user.has_perm("followup.record_milestone", task):
        for milestone in milestones:
            key = f"milestone-{milestone.pk}"
            found[key] = MilestoneForm(
                initial={**initial, "met_on": timezone.localdate(), "clear": milestone.met_on is not None},
                prefix=key,
            )
    if user.has_perm("followup.report_progress", task) or user.has_perm("followup.contribute", task):
        found["progress"] = ProgressForm(initial=initial, prefix="progress")
    speaks = user.has_perm("followup.speak_for_lead_unit", task)
    if speaks and task.lifecycle in EVENTS[FollowAction.REPORT_COMPLETION].sources:
        found["complete"] = CompletionForm(initial=initial, prefix="complete")
    if speaks and task.lifecycle in Lifecycle.open and task.deadline is not None and pending is None:
        found["extend"] = ExtensionForm(initial=initial, prefix="extend")
    if pending is not None and user.has_perm("followup.decide", task):
        found["decide"] = DecisionForm(initial=initial, prefix="decide")
    for action in BUTTON_ACTIONS:
        event = EVENTS[action]
        if task.lifecycle in event.sources and user.has_perm(event.perm, task):
            found[f"act-{action.value}"] = ActionForm(initial=initial, prefix=f"act-{action.value}")
    return found


def _page(
    request: AuthedRequest,
    task: Task,
    bound: dict[str, VersionedForm] | None = None,
    errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    updates = list(
        task.updates.select_related("by", "unit").prefetch_related(
            Prefetch("files", queryset=Evidence.objects.order_by("uploaded_at", "pk"))
        )
    )
    other_evidence = list(task.evidence.filter(update__isnull=True).select_related("uploaded_by"))
    extensions = list(task.extensions.select_related("requested_by", "decided_by"))
    pending = next((ext for ext in extensions if ext.status == ExtensionStatus.PENDING), None)
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
    milestones = list(Milestone.objects.filter(task_id=task.key_task_id)) if task.key_task_id else []
    forms = _action_forms(request.user, task, pending, milestones)
    errors = errors or {}
    page_errors: list[str] = []
    for key, form in (bound or {}).items():
        if key in forms:
            forms[key] = form
        else:  # the action is no longer open to the person: say why at the top of the page
            page_errors += errors.get(key, [])
    context = {
        "task": task,
        "today": timezone.localdate(),
        "coordinating_units": list(task.coordinating_units.all()),
        "deadline_state": state,
        "extended": bool(
            task.original_deadline and task.deadline and task.original_deadline != task.deadline
        ),
        "updates": updates,
        "other_evidence": other_evidence,
        "extensions": extensions,
        "pending_extension": pending,
        "history": history,
        "milestones": [
            (m, forms.get(f"milestone-{m.pk}"), errors.get(f"milestone-{m.pk}", [])) for m in milestones
        ],
        "audit_entries": list(entries_for(task)),
        "forms": forms,
        "form_errors": errors,
        "page_errors": page_errors,
        "buttons": [
            (
                action,
                action.label,
                forms[f"act-{action.value}"],
                EVENTS[action].needs_comment,
                errors.get(f"act-{action.value}", []),
            )
            for action in BUTTON_ACTIONS
            if f"act-{action.value}" in forms
        ],
    }
    return render(request, "followup/task_detail.html", context)


@login_required
def task_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _page(request, _task(request, pk))


@login_required
def evidence_file(request: AuthedRequest, pk: int, evidence_pk: int) -> FileResponse:
    """An evidence file of the task, to whoever may see the task."""
    evidence = get_object_or_404(Evidence, task=_task(request, pk), pk=evidence_pk)
    return stored_file_response(evidence.file, evidence.name)


def _handle(
    request: AuthedRequest,
    task: Task,
    key: str,
    form: VersionedForm,
    run: Callable[[dict[str, Any]], str],
) -> HttpResponse:
    """Run the action; on success go back to the task with `run`'s message, else show the page again."""
    return run_action(
        request,
        form,
        run,
        done_url=task.get_absolute_url(),
        page=lambda shown, errors: _page(request, _task(request, task.pk), {key: shown}, {key: errors}),
        current_version=lambda: Task.objects.values_list("version", flat=True).get(pk=task.pk),
    )


@login_required
@require_POST
def task_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    if not (
        is_member_of_lead_unit.test(request.user, task)
        or is_member_of_coordinating_unit.test(request.user, task)
    ):
        raise PermissionDenied
    form = ProgressForm(request.POST, request.FILES, prefix="progress")

    def run(data: dict[str, Any]) -> str:
        add_progress(task.pk, form.to_input(), by=request.user, expected_version=data["version"])
        return _("Đã gửi báo cáo tiến độ.")

    return _handle(request, task, "progress", form, run)


@login_required
@require_POST
def task_complete(request: AuthedRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    if not request.user.has_perm("followup.speak_for_lead_unit", task):
        raise PermissionDenied
    form = CompletionForm(request.POST, request.FILES, prefix="complete")

    def run(data: dict[str, Any]) -> str:
        report_completion(
            task.pk,
            by=request.user,
            narrative=data["narrative"],
            files=list(data["files"]),
            expected_version=data["version"],
        )
        return _("Đã báo cáo hoàn thành; nhiệm vụ chờ xác nhận.")

    return _handle(request, task, "complete", form, run)


@login_required
@require_POST
def task_extend(request: AuthedRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    if not request.user.has_perm("followup.speak_for_lead_unit", task):
        raise PermissionDenied
    form = ExtensionForm(request.POST, prefix="extend")

    def run(data: dict[str, Any]) -> str:
        request_extension(
            task.pk,
            by=request.user,
            new_deadline=data["new_deadline"],
            reason=data["reason"],
            expected_version=data["version"],
        )
        return _("Đã gửi đề nghị gia hạn.")

    return _handle(request, task, "extend", form, run)


@login_required
@require_POST
def extension_decide(request: AuthedRequest, pk: int, extension_pk: int) -> HttpResponse:
    task = _task(request, pk)
    extension = get_object_or_404(task.extensions, pk=extension_pk)
    if not request.user.has_perm("followup.decide", task):
        raise PermissionDenied
    form = DecisionForm(request.POST, prefix="decide")

    def run(data: dict[str, Any]) -> str:
        decided = decide_extension(
            extension.pk,
            by=request.user,
            approve=data["decision"] == "approve",
            note=data["note"],
            expected_version=data["version"],
        )
        return _("Đã quyết định đề nghị gia hạn: %(status)s.") % {"status": decided.get_status_display()}

    return _handle(request, task, "decide", form, run)


@login_required
@require_POST
def task_act(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    task = _task(request, pk)
    if action not in FollowAction.values or FollowAction(action) not in BUTTON_ACTIONS:
        raise Http404
    event_action = FollowAction(action)
    if not request.user.has_perm(EVENTS[event_action].perm, task):
        raise PermissionDenied
    key = f"act-{action}"
    form = ActionForm(request.POST, prefix=key)

    def run(data: dict[str, Any]) -> str:
        act(task.pk, event_action, by=request.user, comment=data["comment"], expected_version=data["version"])
        return _("Đã thực hiện: %(action)s.") % {"action": event_action.label}

    return _handle(request, task, key, form, run)


@login_required
@require_POST
def milestone_record(request: AuthedRequest, pk: int, milestone_pk: int) -> HttpResponse:
    task = _task(request, pk)
    if not request.user.has_perm("followup.record_milestone", task):
        raise PermissionDenied
    key = f"milestone-{milestone_pk}"
    form = MilestoneForm(request.POST, prefix=key)

    def run(data: dict[str, Any]) -> str:
        met_on = None if data["clear"] else data["met_on"]
        record_milestone(
            task.pk, milestone_pk, met_on=met_on, by=request.user, expected_version=data["version"]
        )
        return _("Đã bỏ ghi nhận đạt mốc.") if met_on is None else _("Đã ghi nhận ngày đạt mốc.")

    return _handle(request, task, key, form, run)
