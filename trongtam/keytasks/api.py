"""Key-task registrations: read them, create one, edit its tasks, move it through the workflow, sign.

Scope, as on the pages (keytasks/views.py): a registration outside the person's scope (`registrations_visible_to`)
is a **404**, never a 403, so its existence is not revealed. Inside the scope, an action the person's role does
not allow is a **403** (a deputy submitting, a head approving), decided by the same `rules` permission the pages
use; a wrong state is a 409. The list needs `org.view_directory` as the list page (a citizen gets 403).

Every write sends the `version` it last read and the domain function compares it under a row lock: a stale write
is a 409 that names who changed the registration, and nothing is written. Input is checked in three steps, each
reporting by field: its shape and types (422), the page's form (400: unknown or inactive units, a common task of
another period, an assigned task of another unit, lengths, digits), then the domain's rules (400). Every write
goes through keytasks/domain/registration.py, so the audit trail, history and notifications are the pages'.
"""

# No `from __future__ import annotations`: ninja reads the paginated views' annotations at import time, in
# the globals of its own wrapper, where these names would not resolve.

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import P, PathEx, Router
from ninja.pagination import PageNumberPagination, paginate

from trongtam.core.errors import DomainError, Problem, RuleViolations, StaleEdit, TransitionNotAllowed
from trongtam.cycles.models import Period
from trongtam.keytasks.domain.queries import registration_search, registrations_visible_to, tasks_for_detail
from trongtam.keytasks.domain.registration import (
    TaskInput,
    create_registration,
    delete_task,
    save_task,
    sign_commitment,
    stale_registration,
    submission_problems,
    transition_registration,
)
from trongtam.keytasks.enums import ACTION_LABELS, RegistrationAction, RegistrationStatus
from trongtam.keytasks.interfaces.forms import KeyTaskForm, MilestoneForm
from trongtam.keytasks.interfaces.schemas import (
    RegistrationCreateIn,
    RegistrationDetailOut,
    RegistrationOut,
    RegistrationStateOut,
    TaskIn,
    TaskSavedOut,
    TransitionIn,
    VersionIn,
)
from trongtam.keytasks.models import KeyTask, Registration
from trongtam.keytasks.workflow import TRANSITIONS, available_actions
from trongtam.org.interfaces.schemas import ERRORS, WRITE_ERRORS

router = Router(tags=["keytasks"])


# The domain and the page's form name a task's fields after the model; the API body names the ids.
API_FIELD = {
    "lead_unit": "lead_unit_id",
    "coordinating_units": "coordinating_unit_ids",
    "common_task": "common_task_id",
    "assigned_task": "assigned_task_id",
}


def _visible(request: Any) -> QuerySet[Registration]:
    return registrations_visible_to(request.user)


def _get_visible(request: Any, registration_id: int) -> Registration:
    """The registration if it is in the person's scope; a 404 otherwise, as on the pages."""
    return get_object_or_404(_visible(request).select_related("period", "unit"), pk=registration_id)


def _detail(request: Any, registration_id: int) -> dict[str, Any]:
    """Everything the registration page shows, in a number of queries that does not grow with the tasks."""
    user = request.user
    registration = get_object_or_404(
        _visible(request).select_related("period", "unit", "head", "approved_by", "commitment_signed_by"),
        pk=registration_id,
    )
    tasks = list(tasks_for_detail(registration))
    can_edit = user.has_perm("keytasks.change_registration", registration)
    problems = submission_problems(registration) if can_edit else []
    return {
        "id": registration.pk,
        "version": registration.version,
        "status": registration.status,
        "period": registration.period,
        "unit": registration.unit,
        "head": registration.head,
        "task_count": len(tasks),
        "created_at": registration.created_at,
        "updated_at": registration.updated_at,
        "submitted_at": registration.submitted_at,
        "approved_at": registration.approved_at,
        "approved_by": registration.approved_by,
        "commitment_signed_at": registration.commitment_signed_at,
        "commitment_signed_by": registration.commitment_signed_by,
        "can_edit": can_edit,
        "can_sign_commitment": user.has_perm("keytasks.sign_commitment", registration),
        "actions": [
            {"action": a.value, "label": str(ACTION_LABELS[a]), "needs_comment": TRANSITIONS[a].needs_comment}
            for a in available_actions(registration.status)
            if user.has_perm(TRANSITIONS[a].perm, registration)
        ],
        "tasks": tasks,
        "history": list(registration.status_changes.select_related("by").order_by("at", "pk")),
        "problems": [{"field": p.field or "__all__", "message": p.message} for p in problems],
        "approved_versions": list(registration.approved_versions.select_related("approved_by")),
    }


@router.get("/registrations", response={200: list[RegistrationOut], **ERRORS}, summary="Bản đăng ký")
@paginate(PageNumberPagination, page_size=50)
def list_registrations(
    request: Any,
    period: int | None = None,
    status: RegistrationStatus | None = None,
    unit: int | None = None,
    q: str = "",
) -> QuerySet[Registration]:
    """The registrations in the person's scope, the latest period first, then by unit. `q` searches the unit's
    and the head's names, ignoring diacritics."""
    if not request.user.has_perm("org.view_directory"):
        raise PermissionDenied
    qs = registration_search(_visible(request), q=q, status=status or "")
    if period is not None:
        qs = qs.filter(period_id=period)
    if unit is not None:
        qs = qs.filter(unit_id=unit)
    return (
        qs.select_related("period", "unit", "head")
        .annotate(task_count=Count("tasks"))
        .order_by("-period__year", "unit__name", "pk")
    )


@router.get(
    "/registrations/{registration_id}",
    response={200: RegistrationDetailOut, **ERRORS},
    summary="Một bản đăng ký",
)
def get_registration(request: Any, registration_id: int) -> dict[str, Any]:
    """The registration with its `version`, its tasks (milestones, lead and coordinating units), its history,
    the actions the person may take now and, while it can be edited, what still stands in the way of submitting."""
    return _detail(request, registration_id)


@router.post(
    "/registrations",
    response={200: RegistrationDetailOut, 201: RegistrationDetailOut, **WRITE_ERRORS},
    summary="Tạo bản đăng ký của đơn vị",
)
def create(request: Any, payload: RegistrationCreateIn) -> tuple[int, dict[str, Any]]:
    """The head creates the unit's registration for a period (201); if it exists already, it is returned (200)."""
    user = request.user
    if not user.has_perm("keytasks.start_registration") or user.unit_id is None:
        raise PermissionDenied
    period = Period.objects.filter(pk=payload.period_id).first()
    if period is None:
        raise RuleViolations(
            [
                Problem(
                    _("Không tìm thấy kỳ công tác có mã số %(id)s.") % {"id": payload.period_id}, "period_id"
                )
            ]
        )
    existed = Registration.objects.filter(period=period, unit_id=user.unit_id).exists()
    registration = create_registration(period=period, by=user)
    return (200 if existed else 201), _detail(request, registration.pk)


def _require_editing(request: Any, registration: Registration) -> None:
    """As the task page: a role that may not edit gets 403; a registration that is not editable now gets 409."""
    if request.user.has_perm("keytasks.change_registration", registration):
        return
    if registration.is_editable:
        raise PermissionDenied
    # The same words as save_task's refusal (delete_task answers a locked registration with a bare 403).
    raise TransitionNotAllowed(
        _(
            "Bản đăng ký đang ở trạng thái «%(status)s», không sửa được. "
            "Bản đã phê duyệt chỉ được sửa sau khi đề nghị điều chỉnh được chấp thuận."
        )
        % {"status": registration.get_status_display()}
    )


def _api_field(domain_field: str) -> str:
    """ "tasks.new.lead_unit" -> "lead_unit_id": a task's rules are reported under the body's field names."""
    name = domain_field.rsplit(".", 1)[-1] if domain_field.startswith("tasks.") else domain_field
    return API_FIELD.get(name, name)


def _task_input(registration: Registration, payload: TaskIn) -> TaskInput:
    """Check the body with the page's forms; every problem at once, named by the body's fields."""
    form = KeyTaskForm(
        data={
            "version": payload.version,
            "kind": payload.kind.value,
            "common_task": payload.common_task_id,
            "assigned_task": payload.assigned_task_id,
            "title": payload.title,
            "description": payload.description,
            "product": payload.product,
            "target_value": payload.target_value,
            "target_unit": payload.target_unit,
            "deadline": payload.deadline,
            "lead_unit": payload.lead_unit_id,
            "coordinating_units": payload.coordinating_unit_ids,
            "led_personally": payload.led_personally,
        },
        registration=registration,
    )
    problems = [
        Problem(str(message), API_FIELD.get(name, name) if name != "__all__" else "")
        for name, messages in form.errors.items()
        for message in messages
    ]
    milestones = []
    for index, item in enumerate(payload.milestones):
        milestone = MilestoneForm(data={"title": item.title, "due_date": item.due_date})
        if milestone.is_valid():
            milestones.append((milestone.cleaned_data["title"], milestone.cleaned_data["due_date"]))
        problems += [
            Problem(str(message), f"milestones.{index}.{name}")
            for name, messages in milestone.errors.items()
            for message in messages
        ]
    if problems:
        raise RuleViolations(problems)
    return form.to_input(milestones)


def _stale(registration_id: int) -> StaleEdit:
    """A 409 that names who last changed the registration, from its audit trail."""
    return stale_registration(Registration.objects.get(pk=registration_id))


def _save_task(request: Any, registration_id: int, payload: TaskIn, task_id: int | None) -> dict[str, Any]:
    registration = _get_visible(request, registration_id)
    _require_editing(request, registration)
    if task_id is not None and not registration.tasks.filter(pk=task_id).exists():
        raise Http404
    data = _task_input(registration, payload)
    try:
        task = save_task(
            registration_id=registration.pk,
            by=request.user,
            data=data,
            expected_version=payload.version,
            task_id=task_id,
        )
    except RuleViolations as exc:
        raise RuleViolations([Problem(p.message, _api_field(p.field)) for p in exc.problems]) from exc
    except StaleEdit as exc:
        raise _stale(registration.pk) from exc
    except KeyTask.DoesNotExist as exc:  # deleted by someone else meanwhile
        raise Http404 from exc
    registration.refresh_from_db()
    return {"registration": registration, "task": tasks_for_detail(registration).get(pk=task.pk)}


@router.post(
    "/registrations/{registration_id}/tasks",
    response={201: TaskSavedOut, **WRITE_ERRORS},
    summary="Thêm nhiệm vụ",
)
def add_task(request: Any, registration_id: int, payload: TaskIn) -> tuple[int, dict[str, Any]]:
    """Add a task to an editable registration (the head). The answer carries the registration's new version."""
    return 201, _save_task(request, registration_id, payload, None)


@router.put(
    "/registrations/{registration_id}/tasks/{task_id}",
    response={200: TaskSavedOut, **WRITE_ERRORS},
    summary="Sửa nhiệm vụ",
)
def update_task(request: Any, registration_id: int, task_id: int, payload: TaskIn) -> dict[str, Any]:
    """Replace a task's content (every field is sent, as when adding one)."""
    return _save_task(request, registration_id, payload, task_id)


@router.delete(
    "/registrations/{registration_id}/tasks/{task_id}",
    response={200: RegistrationStateOut, **WRITE_ERRORS},
    summary="Xoá nhiệm vụ",
)
def remove_task(request: Any, registration_id: int, task_id: int, version: int) -> Registration:
    """Delete a task; `?version=` is the registration's version last read."""
    registration = _get_visible(request, registration_id)
    _require_editing(request, registration)
    if not registration.tasks.filter(pk=task_id).exists():
        raise Http404
    try:
        delete_task(
            registration_id=registration.pk, task_id=task_id, by=request.user, expected_version=version
        )
    except StaleEdit as exc:
        raise _stale(registration.pk) from exc
    except KeyTask.DoesNotExist as exc:
        raise Http404 from exc
    registration.refresh_from_db()
    return registration


ACTION_DESCRIPTION = "Một trong: " + ", ".join(a.value for a in RegistrationAction) + "."


@router.post(
    "/registrations/{registration_id}/actions/{action}",
    response={200: RegistrationDetailOut, **WRITE_ERRORS},
    summary="Trình, trả lại, phê duyệt, điều chỉnh",
)
def act(
    request: Any,
    registration_id: int,
    action: PathEx[RegistrationAction, P(description=ACTION_DESCRIPTION)],
    payload: TransitionIn,
) -> dict[str, Any]:
    """Move the registration through the workflow: `submit` (the head), `return` and `approve` (the
    Vice-Chairman in charge or the Chairman), `request_change` (the head, on an approved registration),
    `approve_change` and `reject_change`. `return`, `request_change` and `reject_change` need a `comment`.
    A submission that breaks the period's rules is a 400 naming every problem."""
    registration = _get_visible(request, registration_id)
    try:
        transition_registration(
            registration.pk,
            action,
            by=request.user,
            comment=payload.comment,
            expected_version=payload.version,
        )
    except DomainError as exc:
        # The domain refuses a missing comment with a plain DomainError: name the field it concerns.
        if type(exc) is DomainError and TRANSITIONS[action].needs_comment:
            raise RuleViolations([Problem(exc.user_message, "comment")]) from exc
        raise
    return _detail(request, registration.pk)


@router.post(
    "/registrations/{registration_id}/commitment",
    response={200: RegistrationDetailOut, **WRITE_ERRORS},
    summary="Ký cam kết",
)
def sign(request: Any, registration_id: int, payload: VersionIn) -> dict[str, Any]:
    """The head signs the period's commitment; signing again changes nothing."""
    registration = _get_visible(request, registration_id)
    if not request.user.has_perm("keytasks.sign_commitment", registration):
        raise PermissionDenied
    with transaction.atomic():
        # sign_commitment takes no expected version: hold the row while comparing, then sign in the same
        # transaction, so that a stale request writes nothing.
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.version != payload.version and locked.commitment_signed_at is None:
            raise _stale(registration.pk)
        sign_commitment(registration_id=registration.pk, by=request.user)
    return _detail(request, registration.pk)
