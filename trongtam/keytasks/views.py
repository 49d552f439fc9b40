"""Pages of the key-task registration: parse, call one domain function, render. Scope is checked here first
(a registration outside the person's scope is a 404), then each domain function checks the action's rule."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trongtam.core.audit import entries_for
from trongtam.core.errors import DomainError, RuleViolations, StaleEdit
from trongtam.core.types import AuthedRequest
from trongtam.core.views import paginate
from trongtam.cycles.domain.queries import current_period
from trongtam.keytasks.domain.queries import (
    registration_search,
    registrations_visible_to,
    review_queue_for,
    tasks_for_detail,
)
from trongtam.keytasks.domain.registration import (
    create_registration,
    delete_task,
    save_task,
    sign_commitment,
    submission_problems,
    transition_registration,
)
from trongtam.keytasks.enums import ACTION_LABELS, RegistrationAction, RegistrationStatus, TaskKind
from trongtam.keytasks.interfaces.forms import KeyTaskForm, MilestoneFormSet, TransitionForm
from trongtam.keytasks.models import Registration
from trongtam.keytasks.workflow import TRANSITIONS, available_actions


def _visible(request: AuthedRequest) -> QuerySet[Registration]:
    return registrations_visible_to(request.user)


def _require(request: AuthedRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


@login_required
def my_registration(request: AuthedRequest) -> HttpResponse:
    """The head's registration for the current period; created on their first "start" (POST)."""
    _require(request, "keytasks.start_registration")
    period = current_period()
    if period is None or request.user.unit_id is None:
        return render(request, "keytasks/my_registration.html", {"period": None})
    existing = Registration.objects.filter(period=period, unit_id=request.user.unit_id).first()
    if existing is not None:
        return redirect(existing)
    if request.method == "POST":
        registration = create_registration(period=period, by=request.user)
        messages.success(
            request, _("Đã tạo bản đăng ký nhiệm vụ trọng tâm năm %(year)s.") % {"year": period.year}
        )
        return redirect(registration)
    return render(request, "keytasks/my_registration.html", {"period": period})


@login_required
def registration_list(request: AuthedRequest) -> HttpResponse:
    _require(request, "org.view_directory")
    status = request.GET.get("status", "")
    if status not in RegistrationStatus.values:
        status = ""
    q = request.GET.get("q", "").strip()
    qs = registration_search(_visible(request), q=q, status=status).select_related("unit", "period", "head")
    page = paginate(request, qs.order_by("-period__year", "unit__name"))
    return render(
        request,
        "keytasks/registration_list.html",
        {
            "page_obj": page,
            "registrations": page.object_list,
            "status": status,
            "q": q,
            "statuses": RegistrationStatus.choices,
        },
    )


@login_required
def review_queue(request: AuthedRequest) -> HttpResponse:
    _require(request, "keytasks.view_review_queue")
    page = paginate(request, review_queue_for(request.user))
    return render(
        request, "keytasks/review_queue.html", {"page_obj": page, "registrations": page.object_list}
    )


def _detail_context(request: AuthedRequest, registration: Registration) -> dict[str, Any]:
    user = request.user
    tasks = list(tasks_for_detail(registration))
    can_edit = user.has_perm("keytasks.change_registration", registration)
    actions = [
        {"value": a.value, "label": ACTION_LABELS[a], "needs_comment": TRANSITIONS[a].needs_comment}
        for a in available_actions(registration.status)
        if user.has_perm(TRANSITIONS[a].perm, registration)
    ]
    problems = submission_problems(registration) if can_edit else []
    period = registration.period
    common_done = {t.common_task_id for t in tasks if t.kind == TaskKind.COMMON}
    assigned_done = {t.assigned_task_id for t in tasks if t.kind == TaskKind.ASSIGNED}
    return {
        "registration": registration,
        "period": period,
        "tasks_by_kind": [
            (value, label, [t for t in tasks if t.kind == value]) for value, label in TaskKind.choices
        ],
        "common_tasks": [(c, c.pk in common_done) for c in period.common_tasks.all()],
        "assigned_tasks": [
            (a, a.pk in assigned_done) for a in period.assigned_tasks.filter(unit=registration.unit)
        ],
        "can_edit": can_edit,
        "can_sign": user.has_perm("keytasks.sign_commitment", registration),
        "actions": actions,
        "problems": problems,
        "history": registration.status_changes.select_related("by"),
        "audit_entries": entries_for(registration),
        "versions": registration.approved_versions.select_related("approved_by"),
        "transition_form": TransitionForm(initial={"version": registration.version}),
    }


@login_required
def registration_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    registration = get_object_or_404(
        _visible(request).select_related("period", "unit", "head", "approved_by", "commitment_signed_by"),
        pk=pk,
    )
    return render(request, "keytasks/registration_detail.html", _detail_context(request, registration))


@login_required
@require_POST
def registration_transition(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    registration = get_object_or_404(_visible(request), pk=pk)
    try:
        chosen = RegistrationAction(action)
    except ValueError as exc:
        raise PermissionDenied from exc
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Yêu cầu không hợp lệ, hãy tải lại trang."))
        return redirect(registration)
    try:
        transition_registration(
            registration.pk,
            chosen,
            by=request.user,
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data["version"],
        )
    except RuleViolations as exc:
        if chosen != RegistrationAction.SUBMIT:  # a missing comment: say exactly that
            messages.warning(request, exc.user_message)
            return redirect(registration)
        messages.error(
            request,
            _("Chưa trình được. Bản đăng ký còn %(n)s điểm chưa đạt yêu cầu, xem danh sách bên dưới.")
            % {"n": len(exc.problems)},
        )
    except DomainError as exc:
        messages.warning(request, exc.user_message)
    else:
        messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": ACTION_LABELS[chosen]})
    return redirect(registration)


@login_required
@require_POST
def registration_sign(request: AuthedRequest, pk: int) -> HttpResponse:
    registration = get_object_or_404(_visible(request), pk=pk)
    sign_commitment(registration_id=registration.pk, by=request.user)
    messages.success(request, _("Đã ký cam kết thực hiện chủ đề công tác năm."))
    return redirect(registration)


def _milestones(formset: Any) -> list[tuple[str, Any]]:
    return [
        (f.cleaned_data["title"], f.cleaned_data["due_date"])
        for f in formset.forms
        if f.cleaned_data.get("title") and f.cleaned_data.get("due_date") and not f.cleaned_data.get("DELETE")
    ]


@login_required
def task_edit(request: AuthedRequest, pk: int, task_pk: int | None = None) -> HttpResponse:
    """Add a task (task_pk None) or change one. On a conflict or a broken rule the input is shown again."""
    registration = get_object_or_404(_visible(request).select_related("period", "unit"), pk=pk)
    if not request.user.has_perm("keytasks.change_registration", registration):
        if registration.is_editable:
            raise PermissionDenied
        messages.warning(request, _("Bản đăng ký đã khoá. Hãy gửi đề nghị điều chỉnh trước khi sửa."))
        return redirect(registration)
    task = get_object_or_404(registration.tasks, pk=task_pk) if task_pk else None
    extra_errors: list[str] = []
    if request.method == "POST":
        form = KeyTaskForm(request.POST, registration=registration)
        formset = MilestoneFormSet(request.POST, prefix="ms")
        if form.is_valid() and formset.is_valid():
            try:
                save_task(
                    registration_id=registration.pk,
                    by=request.user,
                    data=form.to_input(_milestones(formset)),
                    expected_version=form.cleaned_data["version"],
                    task_id=task.pk if task else None,
                )
            except RuleViolations as exc:
                for problem in exc.problems:
                    name = problem.field.rsplit(".", 1)[-1]
                    if name in form.fields:
                        form.add_error(name, problem.message)
                    else:
                        extra_errors.append(problem.message)
            except StaleEdit as exc:
                extra_errors.append(exc.user_message)
                # Keep what the person typed; let the next save go against the version now stored.
                data = request.POST.copy()
                data["version"] = str(
                    Registration.objects.values_list("version", flat=True).get(pk=registration.pk)
                )
                form = KeyTaskForm(data, registration=registration)
                form.is_valid()
            else:
                messages.success(request, _("Đã lưu nhiệm vụ."))
                return redirect(registration)
    else:
        initial: dict[str, Any] = {"version": registration.version, "lead_unit": registration.unit_id}
        milestones: list[dict[str, Any]] = []
        if task is not None:
            initial.update(KeyTaskForm.initial_for(task))
            milestones = [{"title": m.title, "due_date": m.due_date} for m in task.milestones.all()]
        else:
            for key in ("kind", "common_task", "assigned_task"):
                if request.GET.get(key):
                    initial[key] = request.GET[key]
        form = KeyTaskForm(initial=initial, registration=registration)
        formset = MilestoneFormSet(initial=milestones, prefix="ms")
    return render(
        request,
        "keytasks/task_form.html",
        {
            "registration": registration,
            "task": task,
            "form": form,
            "formset": formset,
            "extra_errors": extra_errors,
        },
    )


@login_required
@require_POST
def task_delete(request: AuthedRequest, pk: int, task_pk: int) -> HttpResponse:
    registration = get_object_or_404(_visible(request), pk=pk)
    version = request.POST.get("version", "")
    if not version.isdigit():  # without the version seen, a deletion could undo someone's newer change
        messages.error(request, _("Yêu cầu không hợp lệ, hãy tải lại trang."))
        return redirect(registration)
    try:
        delete_task(
            registration_id=registration.pk, task_id=task_pk, by=request.user, expected_version=int(version)
        )
    except DomainError as exc:
        messages.warning(request, exc.user_message)
    else:
        messages.success(request, _("Đã xoá nhiệm vụ."))
    return redirect(registration)


@login_required
def approved_version(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    registration = get_object_or_404(_visible(request).select_related("period", "unit"), pk=pk)
    version = get_object_or_404(registration.approved_versions.select_related("approved_by"), number=number)
    return render(
        request, "keytasks/approved_version.html", {"registration": registration, "version": version}
    )
