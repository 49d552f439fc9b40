"""The annual cycle: periods with their common tasks and the Chairman's assigned tasks.

Reading needs `cycles.view_period` (every internal role, as the pages); creating and changing a period needs
`cycles.manage_period` (Office, administrators); assigning a task needs `cycles.assign_task` (the Chairman).
Input goes through the pages' own forms (`PeriodForm`, `AssignedTaskForm`, hence `Period.clean()`), so a broken
rule is a 400 with the pages' message under the field's name; writes go through `save_audited` and
`assign_task`, so the audit trail and the head's notification are exactly those of the pages.
"""

# No `from __future__ import annotations`: ninja reads the paginated views' annotations at import time, in
# the globals of its own wrapper, where these names would not resolve.

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.pagination import PageNumberPagination, paginate

from trongtam.cycles.domain.periods import assign_task, save_audited
from trongtam.cycles.interfaces.forms import AssignedTaskForm, PeriodForm
from trongtam.cycles.interfaces.schemas import (
    AssignedTaskIn,
    AssignedTaskOut,
    PeriodDetailOut,
    PeriodIn,
    PeriodOut,
    PeriodPatch,
)
from trongtam.cycles.models import AssignedTask, Period
from trongtam.org.interfaces.schemas import ERRORS, WRITE_ERRORS, raise_form_errors

router = Router(tags=["cycles"])

PERIOD_FIELDS = list(PeriodForm.Meta.fields)


def _require(request: Any, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _assigned_tasks(period: Period) -> QuerySet[AssignedTask]:
    return period.assigned_tasks.select_related("unit", "assigned_by").order_by("unit__name", "pk")


def _detail(period: Period) -> dict[str, Any]:
    return {
        **{name: getattr(period, name) for name in PERIOD_FIELDS},
        "id": period.pk,
        "version": period.version,
        "counts": period,
        "common_tasks": list(period.common_tasks.order_by("number")),
        "assigned_tasks": list(_assigned_tasks(period)),
    }


@router.get("/periods", response={200: list[PeriodOut], **ERRORS}, summary="Kỳ công tác")
@paginate(PageNumberPagination, page_size=50)
def list_periods(request: Any) -> QuerySet[Period]:
    """Periods, the latest first."""
    _require(request, "cycles.view_period")
    return Period.objects.order_by("-year", "pk")


@router.get("/periods/{period_id}", response={200: PeriodDetailOut, **ERRORS}, summary="Một kỳ công tác")
def get_period(request: Any, period_id: int) -> dict[str, Any]:
    """The period's theme, key dates and task counts in force, its common tasks, and the tasks the Chairman
    assigned for it (every internal role sees them all, as on the period's page)."""
    _require(request, "cycles.view_period")
    return _detail(get_object_or_404(Period, pk=period_id))


@router.get(
    "/periods/{period_id}/assigned-tasks",
    response={200: list[AssignedTaskOut], **ERRORS},
    summary="Nhiệm vụ Chủ tịch giao trong kỳ",
)
@paginate(PageNumberPagination, page_size=50)
def list_assigned_tasks(request: Any, period_id: int, unit: int | None = None) -> QuerySet[AssignedTask]:
    _require(request, "cycles.view_period")
    qs = _assigned_tasks(get_object_or_404(Period, pk=period_id))
    return qs.filter(unit_id=unit) if unit is not None else qs


def _save_period(request: Any, form: PeriodForm, expected_version: int | None = None) -> Period:
    raise_form_errors(form)
    saved = save_audited(
        form.instance,
        by=request.user,
        perm="cycles.manage_period",
        fields=PERIOD_FIELDS,
        expected_version=expected_version,
    )
    assert isinstance(saved, Period)  # noqa: S101
    return saved


@router.post("/periods", response={201: PeriodDetailOut, **WRITE_ERRORS}, summary="Tạo kỳ công tác")
def create_period(request: Any, payload: PeriodIn) -> tuple[int, dict[str, Any]]:
    _require(request, "cycles.manage_period")
    period = _save_period(request, PeriodForm(data=payload.model_dump()))
    return 201, _detail(period)


@router.patch(
    "/periods/{period_id}", response={200: PeriodDetailOut, **WRITE_ERRORS}, summary="Sửa kỳ công tác"
)
def update_period(request: Any, period_id: int, payload: PeriodPatch) -> dict[str, Any]:
    """Change the fields sent; the others keep their value. The rules are checked on the result as a whole."""
    _require(request, "cycles.manage_period")
    period = get_object_or_404(Period, pk=period_id)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    data = {**model_to_dict(period, fields=PERIOD_FIELDS), **changes}
    return _detail(_save_period(request, PeriodForm(data=data, instance=period), expected_version=version))


@router.post(
    "/periods/{period_id}/assigned-tasks",
    response={201: AssignedTaskOut, **WRITE_ERRORS},
    summary="Chủ tịch giao nhiệm vụ",
)
def create_assigned_task(request: Any, period_id: int, payload: AssignedTaskIn) -> tuple[int, AssignedTask]:
    """The Chairman assigns a task for the period to a unit's head, who is notified."""
    _require(request, "cycles.assign_task")
    period = get_object_or_404(Period, pk=period_id)
    form = AssignedTaskForm(
        data={"unit": payload.unit_id, "title": payload.title, "description": payload.description}
    )
    raise_form_errors(form, rename={"unit": "unit_id"})
    task = form.instance
    task.period, task.assigned_by = period, request.user
    assign_task(task, by=request.user)
    return 201, AssignedTask.objects.select_related("unit", "assigned_by").get(pk=task.pk)
