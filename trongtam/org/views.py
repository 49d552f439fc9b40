"""Organization browser: the unit tree, a unit's page, the people directory. Internal roles only."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from trongtam.core.search import search
from trongtam.core.types import AuthedRequest
from trongtam.core.views import paginate
from trongtam.org.enums import Role, UnitKind
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
