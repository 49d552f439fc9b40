"""The dossier statistics page (Thống kê hồ sơ thủ tục hành chính) and its Excel export.

One form narrows both, within the person's scope (the units whose dossiers they may see): the date range (this
year to today by default), the unit group, a unit, a procedure field, a channel; the page shows the report grouped
as asked (by unit, procedure, channel or month) with charts of the on-time rate and of the early / on-time / late
split per unit and of the monthly trend, each with a table of its numbers. The figures are the domain's
(`domain/statistics.py`): a fixed number of aggregate queries, whatever the number of units or dossiers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
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
from trongtam.dossiers.domain import statistics
from trongtam.dossiers.domain.queries import units_visible_to
from trongtam.dossiers.domain.statistics import Filters, Grouping, Order, Report, Row, UnitGroup
from trongtam.dossiers.enums import Channel
from trongtam.dossiers.interfaces.stats_export import export_statistics
from trongtam.dossiers.models import Procedure
from trongtam.org.models import Unit

ROWS_PER_PAGE = 50
CHART_UNITS = 30  # the units a chart shows: those with the lowest on-time rate


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} – {obj.name}"


class StatisticsForm(BootstrapFormMixin, forms.Form):
    """The filters of the page, its export and the API; the units offered are those of the person's scope."""

    start = forms.DateField(label=gettext_lazy("Từ ngày"), widget=DATE_INPUT, required=False)
    end = forms.DateField(label=gettext_lazy("Đến ngày"), widget=DATE_INPUT, required=False)
    unit_group = forms.ChoiceField(
        label=gettext_lazy("Nhóm đơn vị"), choices=[(g.value, g.label) for g in UnitGroup], required=False
    )
    unit = UnitChoice(
        label=gettext_lazy("Đơn vị"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=gettext_lazy("— Tất cả —"),
    )
    field = forms.ChoiceField(label=gettext_lazy("Lĩnh vực thủ tục"), required=False)
    channel = forms.TypedChoiceField(
        label=gettext_lazy("Kênh nộp"),
        choices=[("", gettext_lazy("— Tất cả —")), *Channel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    group = forms.ChoiceField(
        label=gettext_lazy("Tổng hợp"), choices=[(g.value, g.label) for g in Grouping], required=False
    )
    order = forms.ChoiceField(
        label=gettext_lazy("Sắp xếp"), choices=[(o.value, o.label) for o in Order], required=False
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_visible_to(user).only("pk", "code", "name").order_by("code")  # type: ignore[attr-defined]
        fields = Procedure.objects.order_by("field").values_list("field", flat=True).distinct()
        self.fields["field"].choices = [("", _("— Tất cả —")), *((f, f) for f in fields)]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", END_BEFORE_START)
        return data

    def choices(self, today: dt.date) -> tuple[Filters, Grouping, Order]:
        """The filters, grouping and order asked (the defaults when the form is unbound or invalid)."""
        data: dict[str, Any] = self.cleaned_data if self.is_bound and self.is_valid() else {}
        unit = data.get("unit")
        filters = Filters(
            statistics.window_for(data.get("start"), data.get("end"), today),
            UnitGroup(data.get("unit_group") or ""),
            unit.pk if unit is not None else None,
            data.get("field") or "",
            data.get("channel"),
        )
        return filters, Grouping(data.get("group") or Grouping.UNIT), Order(data.get("order") or Order.RATE)


def _rate(value: Any) -> float | None:
    return None if value is None else float(value)


def unit_chart(rows: list[Row]) -> dict[str, Any]:
    """The units' on-time rates and early / on-time / late split, for `json_script`."""
    return {
        "labels": [r.label for r in rows],
        "rate": [_rate(r.figures.on_time_rate) for r in rows],
        "rateName": str(statistics.LABELS["on_time_rate"]),
        "series": [
            {"name": str(statistics.LABELS["early"]), "data": [r.figures.early for r in rows]},
            {"name": str(statistics.LABELS["on_time"]), "data": [r.figures.on_time for r in rows]},
            {"name": str(statistics.LABELS["late"]), "data": [r.figures.late for r in rows]},
        ],
    }


def month_chart(report: Report) -> dict[str, Any]:
    """The monthly trend: received and processed (bars), the two rates (lines), for `json_script`."""
    rows = report.rows
    return {
        "labels": [r.label for r in rows],
        "counts": [
            {"name": str(statistics.LABELS["received"]), "data": [r.figures.received for r in rows]},
            {"name": str(statistics.LABELS["processed"]), "data": [r.figures.processed for r in rows]},
        ],
        "rates": [
            {
                "name": str(statistics.LABELS["on_time_rate"]),
                "data": [_rate(r.figures.on_time_rate) for r in rows],
            },
            {"name": str(statistics.LABELS["late_rate"]), "data": [_rate(r.figures.late_rate) for r in rows]},
        ],
        "countAxis": _("Hồ sơ"),
        "rateAxis": _("Tỷ lệ (%)"),
    }


@dataclass(frozen=True)
class Cell:
    value: Any
    kind: str  # "count", "percent" or "mean"


def cells(figures: statistics.Figures) -> list[Cell]:
    """A row's values in the order of the columns, each with how to show it."""

    def kind(column: statistics.Column) -> str:
        if not column.is_rate:
            return "count"
        return "mean" if column.attribute == "mean_satisfaction" else "percent"

    return [Cell(getattr(figures, c.attribute), kind(c)) for c in statistics.COLUMNS]


def _scope(request: AuthedRequest, filters: Filters) -> tuple[QuerySet[Unit], Filters]:
    return statistics.resolve_group(units_visible_to(request.user), filters)


@login_required
@permission_required("dossiers.view_statistics", raise_exception=True)
def statistics_page(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    form = StatisticsForm(request.user, request.GET or None)
    filters, grouping, order = form.choices(today)
    units, filters = _scope(request, filters)
    by_unit = statistics.report(units, filters, Grouping.UNIT)
    by_month = statistics.report(units, filters, Grouping.MONTH)
    shown = {Grouping.UNIT: by_unit, Grouping.MONTH: by_month}.get(grouping) or statistics.report(
        units, filters, grouping
    )
    rows = shown.rows if grouping == Grouping.MONTH else statistics.ordered(shown.rows, order)
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    worst = statistics.ordered(by_unit.rows, Order.RATE)[:CHART_UNITS]
    return render(
        request,
        "dossiers/statistics.html",
        {
            "form": form,
            "filters": filters,
            "grouping": grouping,
            "groupings": list(Grouping),
            "report": shown,
            "total": by_unit.total,
            "page_obj": page,
            "rows": [(row, cells(row.figures)) for row in page.object_list],
            "total_cells": cells(shown.total),
            "columns": statistics.COLUMNS,
            "worst_units": worst,
            "months": by_month.rows,
            "order": order,
            "unit_chart": unit_chart(worst),
            "month_chart": month_chart(by_month),
            "today": today,
        },
    )


@login_required
@permission_required("dossiers.view_statistics", raise_exception=True)
def statistics_export(request: AuthedRequest) -> HttpResponse:
    """The report as an Excel workbook, a sheet per grouping, for the same person and filters as the page.

    Invalid filters go back to the page, which shows the form's errors for the same query string."""
    today = timezone.localdate()
    form = StatisticsForm(request.user, request.GET or None)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("Chưa xuất được tệp Excel: bộ lọc chưa hợp lệ."))
        return redirect(f"{reverse('dossiers:statistics')}?{request.GET.urlencode()}")
    filters, _grouping, order = form.choices(today)
    units, filters = _scope(request, filters)
    export = export_statistics(request.user, units, filters, order=order, today=today)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
