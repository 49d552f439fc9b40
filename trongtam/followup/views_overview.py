"""The province overview (Chairman), a Vice-Chairman's view of their units, a head's view of their unit.

One page, scoped by who asks: the same aggregates over the tasks their role may see, and the same figures as an
Excel workbook. Its rows link to the task list (views.py) filtered to the unit or the Vice-Chairman.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trongtam.core.interfaces.forms import DATE_INPUT, END_BEFORE_START, BootstrapFormMixin
from trongtam.core.types import AuthedRequest
from trongtam.core.views import paginate
from trongtam.followup.domain import overview
from trongtam.followup.enums import Outcome
from trongtam.followup.interfaces.exporters import export_overview
from trongtam.followup.models import Task

UNITS_PER_PAGE = 30  # units with the most overdue tasks first
PERIODS = [
    ("", gettext_lazy("Tự chọn khoảng ngày")),
    ("month", gettext_lazy("Tháng (15 tháng trước – 14, Nghị định 09/2019)")),
    ("quarter", gettext_lazy("Quý")),
    ("half", gettext_lazy("6 tháng")),
    ("year", gettext_lazy("Năm (15/12 năm trước – 14/12)")),
]


class RangeForm(BootstrapFormMixin, forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Kỳ báo cáo"), choices=PERIODS, required=False)
    year = forms.IntegerField(label=gettext_lazy("Năm"), min_value=2000, max_value=2100, required=False)
    number = forms.IntegerField(
        label=gettext_lazy("Tháng / quý / nửa năm số"), min_value=1, max_value=12, required=False
    )
    start = forms.DateField(label=gettext_lazy("Giao từ ngày"), widget=DATE_INPUT, required=False)
    end = forms.DateField(label=gettext_lazy("Đến ngày"), widget=DATE_INPUT, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        limits = {"month": 12, "quarter": 4, "half": 2, "year": 1}
        kind = data.get("period")
        if kind:
            year = data.get("year") or timezone.localdate().year
            number = data.get("number") or 1
            if number > limits[kind]:
                self.add_error("number", _("Kỳ đã chọn chỉ có số từ 1 đến %(n)s.") % {"n": limits[kind]})
                return data
            data["start"], data["end"] = overview.reporting_period(kind, year, number)
        elif data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", END_BEFORE_START)
        return data


def _chart(rows: list[overview.Row], limit: int = 30) -> dict[str, Any]:
    """The data of a stacked bar chart (one bar per row, one colour per 2×2 cell), for `json_script`."""
    shown = rows[:limit]
    return {
        "labels": [r.label for r in shown],
        "series": [
            {"name": str(cell.label), "data": [getattr(r.tally, cell.value) for r in shown]}
            for cell in Outcome
        ],
    }


def _tasks_in_range(
    request: AuthedRequest, form: RangeForm
) -> tuple[QuerySet[Task], dt.date | None, dt.date | None]:
    """The form's range (none without a valid one) and the tasks it selects, for the page and the export."""
    start: dt.date | None = None
    end: dt.date | None = None
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data.get("start"), form.cleaned_data.get("end")
    return overview.tasks_in_range(request.user, start, end), start, end


@login_required
@permission_required("followup.view_overview", raise_exception=True)
def overview_page(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    form = RangeForm(request.GET or None)
    qs, start, end = _tasks_in_range(request, form)
    units = overview.by_unit(qs, today)
    vice_chairmen, sectors = overview.regroup(units)
    unit_page = Paginator(overview.worst_first(units), UNITS_PER_PAGE).get_page(request.GET.get("don_vi"))
    page = paginate(request, overview.slow_and_missed(qs, today))
    return render(
        request,
        "followup/overview.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "today": today,
            "total": overview.totals(units),
            "units": unit_page.object_list,
            "unit_page": unit_page,
            "vice_chairmen": vice_chairmen,
            "sectors": sectors,
            "unit_chart": _chart(list(unit_page.object_list)),
            "vc_chart": _chart(vice_chairmen),
            "page_obj": page,
            "slow": page.object_list,
            "cells": list(Outcome),
        },
    )


@login_required
@permission_required("followup.view_overview", raise_exception=True)
def overview_export(request: AuthedRequest) -> HttpResponse:
    """The overview as an Excel workbook, for the same person and range as the page (its query string).

    An invalid range goes back to the page, which shows the form's errors for the same query string.
    """
    form = RangeForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("Chưa xuất được tệp Excel: kỳ báo cáo hoặc khoảng ngày chưa hợp lệ."))
        return redirect(f"{reverse('overview:overview')}?{request.GET.urlencode()}")
    qs, start, end = _tasks_in_range(request, form)
    export = export_overview(request.user, qs, start=start, end=end, today=timezone.localdate())
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
