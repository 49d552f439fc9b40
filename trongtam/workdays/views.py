"""The working-day calendar: the year's public holidays and exceptions, and a deadline calculator."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trongtam.core import audit
from trongtam.core.models import AuditAction
from trongtam.core.types import AuthedRequest
from trongtam.workdays.domain.calendar import FIRST_YEAR, LAST_YEAR
from trongtam.workdays.domain.queries import work_calendar
from trongtam.workdays.interfaces.forms import CalendarExceptionForm, DeadlineCalculatorForm
from trongtam.workdays.models import CalendarException

EXCEPTION_FIELDS = ["day", "kind", "reason", "source"]


@login_required
@permission_required("workdays.view_calendar", raise_exception=True)
def year_view(request: AuthedRequest, year: int | None = None) -> HttpResponse:
    year = year or timezone.localdate().year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return redirect("workdays:year")
    calendar = work_calendar()
    exceptions = list(CalendarException.objects.filter(day__year=year).select_related("created_by"))
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    calculator = DeadlineCalculatorForm(request.GET if "start" in request.GET else None)
    answer = None
    if calculator.is_bound and calculator.is_valid():
        start, days = calculator.cleaned_data["start"], calculator.cleaned_data["days"]
        try:
            answer = calendar.add_working_days(start, days)
        except ValueError as exc:
            calculator.add_error("days", str(exc))
    can_manage = request.user.has_perm("workdays.manage_calendar")
    return render(
        request,
        "workdays/year.html",
        {
            "year": year,
            "previous_year": year - 1 if year > FIRST_YEAR else None,
            "next_year": year + 1 if year < LAST_YEAR else None,
            "holidays": [
                (day, name, calendar.is_working_day(day)) for day, name in calendar.holidays_of(year).items()
            ],
            "exceptions": exceptions,
            "working_day_count": calendar.working_days_between(first - dt.timedelta(days=1), last),
            "calculator": calculator,
            "answer": answer,
            "form": CalendarExceptionForm(initial={"day": None}) if can_manage else None,
            "can_manage": can_manage,
        },
    )


@login_required
@permission_required("workdays.manage_calendar", raise_exception=True)
def exception_add(request: AuthedRequest) -> HttpResponse:
    form = CalendarExceptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            exception = form.save(commit=False)
            exception.created_by = request.user
            exception.save()
            audit.record(
                actor=request.user,
                action=AuditAction.CREATE,
                instance=exception,
                changes=audit.diff({}, audit.snapshot(exception, EXCEPTION_FIELDS)),
            )
        messages.success(
            request, _("Đã thêm ngày điều chỉnh %(day)s.") % {"day": f"{exception.day:%d/%m/%Y}"}
        )
        return redirect(reverse("workdays:year-detail", args=[exception.day.year]))
    return render(request, "workdays/exception_form.html", {"form": form})


@login_required
@permission_required("workdays.manage_calendar", raise_exception=True)
@require_POST
def exception_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    with transaction.atomic():
        exception = get_object_or_404(CalendarException.objects.select_for_update(), pk=pk)
        year = exception.day.year
        audit.record(
            actor=request.user,
            action=AuditAction.DELETE,
            instance=exception,
            changes=audit.diff(audit.snapshot(exception, EXCEPTION_FIELDS), {}),
        )
        exception.delete()
    messages.success(request, _("Đã xoá ngày điều chỉnh."))
    return redirect(reverse("workdays:year-detail", args=[year]))
