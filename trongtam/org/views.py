"""Organization browser: the unit tree, a unit's page, the people directory (internal roles only); the import of
units and people from Excel (administrators and Home Affairs)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from trongtam.core.search import search
from trongtam.core.types import AuthedRequest
from trongtam.core.views import paginate
from trongtam.org.domain import importing
from trongtam.org.enums import Role, UnitKind
from trongtam.org.interfaces.forms import XLSX_CONTENT_TYPE, OrganizationImportForm, size_text
from trongtam.org.interfaces.workbooks import import_template
from trongtam.org.models import Person, Unit


def _tree(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    children: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        row["children"] = children[row["pk"]]
        children[row["parent_id"]].append(row)
    return children[None]


@login_required
@permission_required("org.view_directory", raise_exception=True)
def unit_list(request: AuthedRequest) -> HttpResponse:
    """The whole tree in one query; with a search or a kind, a paginated flat list instead."""
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    if kind not in UnitKind.values:
        kind = ""
    context: dict[str, Any] = {"q": q, "kind": kind, "kinds": UnitKind.choices}
    if q or kind:
        qs = Unit.objects.select_related("parent")
        if kind:
            qs = qs.filter(kind=kind)
        page = paginate(request, search(qs, q) if q else qs)
        context.update(page_obj=page, units=page.object_list)
    else:
        fields = ("pk", "code", "name", "kind", "parent_id", "is_active")
        rows = [
            dict(zip(fields, values, strict=True))
            for values in Unit.objects.order_by("name").values_list(*fields)
        ]
        labels = dict(UnitKind.choices)
        for row in rows:
            row["kind_label"] = labels.get(row["kind"], row["kind"])
        context["tree"] = _tree(rows)
    return render(request, "org/unit_list.html", context)


@login_required
@permission_required("org.view_directory", raise_exception=True)
def unit_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.select_related("parent", "merged_into"), pk=pk)
    people = paginate(request, unit.people.filter(is_active=True).order_by("role", "full_name"))
    in_charge = Person.objects.filter(role=Role.VICE_CHAIRMAN, areas_of_charge__units=unit).distinct()
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "children": unit.children.order_by("name"),
            "page_obj": people,
            "people": people.object_list,
            "in_charge": in_charge,
            "merged_from": unit.merged_from.all(),
        },
    )


@login_required
@permission_required("org.view_directory", raise_exception=True)
def person_list(request: AuthedRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    if role not in Role.values:
        role = ""
    qs = Person.objects.filter(is_active=True).select_related("unit").order_by("full_name")
    if role:
        qs = qs.filter(role=role)
    if q:
        qs = search(qs, q)
    page = paginate(request, qs)
    return render(
        request,
        "org/person_list.html",
        {"page_obj": page, "people": page.object_list, "q": q, "role": role, "roles": Role.choices},
    )


def _import_summary(result: importing.ImportResult) -> str:
    summary = _(
        "Đã nhập: %(units_created)d đơn vị mới, %(units_updated)d đơn vị cập nhật, "
        "%(people_created)d cán bộ mới, %(people_updated)d cán bộ cập nhật."
    ) % {
        "units_created": result.units_created,
        "units_updated": result.units_updated,
        "people_created": result.people_created,
        "people_updated": result.people_updated,
    }
    unchanged = result.units_unchanged + result.people_unchanged
    if unchanged:
        summary += " " + _("%(count)d dòng không có gì thay đổi.") % {"count": unchanged}
    return summary


@login_required
@permission_required("org.import_organization", raise_exception=True)
def import_organization(request: AuthedRequest) -> HttpResponse:
    """Upload a workbook: every problem listed by sheet, row and column, or everything imported at once."""
    form = OrganizationImportForm(request.POST or None, request.FILES or None)
    problems: list[importing.RowProblem] = []
    if request.method == "POST" and form.is_valid():
        outcome = importing.check_upload(form.cleaned_data["file"], by=request.user)
        if isinstance(outcome, importing.ImportPlan):
            try:
                result = importing.apply_import(outcome, by=request.user)
            except importing.ImportConflict as exc:
                form.add_error(None, exc.user_message)
            else:
                messages.success(request, _import_summary(result))
                url = reverse("org:unit-list")
                if getattr(request, "htmx", False):
                    return HttpResponseClientRedirect(url)
                return redirect(url)
        else:
            for problem in outcome:
                if problem.sheet:
                    problems.append(problem)
                else:  # the file as a whole: shown beside the file field
                    form.add_error("file", problem.reason)
            if problems:
                form.add_error(
                    None,
                    _("Tệp có %(count)d lỗi (xem bảng bên dưới); chưa nhập dòng nào.")
                    % {"count": len(problems)},
                )
    context = {
        "form": form,
        "problems": problems,
        "max_size": size_text(settings.MAX_UPLOAD_BYTES),
        "max_rows": importing.MAX_DATA_ROWS,
        "unit_kinds": importing.unit_kind_labels(),
        "roles": importing.role_labels(),
    }
    template = "org/import.html#import-panel" if getattr(request, "htmx", False) else "org/import.html"
    return render(request, template, context)


@login_required
@permission_required("org.import_organization", raise_exception=True)
def import_template_download(request: AuthedRequest) -> HttpResponse:
    """The template workbook, made at request time."""
    response = HttpResponse(import_template(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-to-chuc.xlsx"'
    return response
