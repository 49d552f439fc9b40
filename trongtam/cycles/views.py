"""Annual-cycle pages: periods (Office, administrators), common tasks, the Chairman's assigned tasks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from trongtam.core.audit import entries_for
from trongtam.core.errors import StaleEdit
from trongtam.core.types import AuthedRequest
from trongtam.core.views import paginate
from trongtam.cycles.domain.periods import assign_task, save_audited
from trongtam.cycles.interfaces.forms import AssignedTaskForm, CommonTaskForm, PeriodForm
from trongtam.cycles.models import CommonTask, Period

PERIOD_FIELDS = list(PeriodForm.Meta.fields)


@login_required
@permission_required("cycles.view_period", raise_exception=True)
def period_list(request: AuthedRequest) -> HttpResponse:
    page = paginate(request, Period.objects.all())
    return render(request, "cycles/period_list.html", {"page_obj": page, "periods": page.object_list})


@login_required
@permission_required("cycles.view_period", raise_exception=True)
def period_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(Period, pk=pk)
    assigned = paginate(request, period.assigned_tasks.select_related("unit", "assigned_by"))
    return render(
        request,
        "cycles/period_detail.html",
        {
            "period": period,
            "common_tasks": period.common_tasks.all(),
            "page_obj": assigned,
            "assigned_tasks": assigned.object_list,
            "audit_entries": entries_for(period),
        },
    )


@login_required
@permission_required("cycles.manage_period", raise_exception=True)
def period_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    period = get_object_or_404(Period, pk=pk) if pk else None
    form = PeriodForm(request.POST or None, instance=period)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_audited(
                form.instance,
                by=request.user,
                perm="cycles.manage_period",
                fields=PERIOD_FIELDS,
                expected_version=form.cleaned_data["version"] if period else None,
            )
        except StaleEdit as exc:
            form.add_error(None, exc.user_message)
        else:
            messages.success(request, _("Đã lưu kỳ công tác."))
            return redirect("cycles:period-detail", saved.pk)
    return render(request, "cycles/form.html", {"form": form, "title": _("Kỳ công tác"), "back": period})


@login_required
@permission_required("cycles.manage_period", raise_exception=True)
def common_task_edit(request: AuthedRequest, pk: int, task_pk: int | None = None) -> HttpResponse:
    period = get_object_or_404(Period, pk=pk)
    task = get_object_or_404(CommonTask, pk=task_pk, period=period) if task_pk else None
    form = CommonTaskForm(request.POST or None, instance=task, period=period)
    if request.method == "POST" and form.is_valid():
        save_audited(
            form.instance,
            by=request.user,
            perm="cycles.manage_period",
            fields=["number", "title", "description"],
            root=period,
        )
        messages.success(request, _("Đã lưu nhiệm vụ chung."))
        return redirect("cycles:period-detail", period.pk)
    return render(request, "cycles/form.html", {"form": form, "title": _("Nhiệm vụ chung"), "back": period})


@login_required
@permission_required("cycles.assign_task", raise_exception=True)
def assigned_task_create(request: AuthedRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(Period, pk=pk)
    form = AssignedTaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        task = form.instance
        task.period, task.assigned_by = period, request.user
        assign_task(task, by=request.user)
        messages.success(request, _("Đã giao nhiệm vụ cho %(unit)s.") % {"unit": task.unit.name})
        return redirect("cycles:period-detail", period.pk)
    return render(request, "cycles/form.html", {"form": form, "title": _("Giao nhiệm vụ"), "back": period})
