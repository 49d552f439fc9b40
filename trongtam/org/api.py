"""The organization, read-only: units and people. Internal roles only (`org.view_directory`, as the pages).

A citizen gets 403 on every endpoint here, whatever the id. People are the active ones the directory page lists;
their password hashes and log-in data are never part of the answer.
"""

# No `from __future__ import annotations`: ninja reads the paginated views' annotations at import time, in
# the globals of its own wrapper, where these names would not resolve.

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.pagination import PageNumberPagination, paginate

from trongtam.core.search import search
from trongtam.org.enums import Role, UnitKind
from trongtam.org.interfaces.schemas import ERRORS, PersonOut, UnitDetailOut, UnitOut
from trongtam.org.models import Person, Unit

router = Router(tags=["org"])


def _require_directory(request: Any) -> None:
    if not request.user.has_perm("org.view_directory"):
        raise PermissionDenied


@router.get("/units", response={200: list[UnitOut], **ERRORS}, summary="Đơn vị")
@paginate(PageNumberPagination, page_size=50)
def list_units(
    request: Any,
    q: str = "",
    kind: UnitKind | None = None,
    parent: int | None = None,
    active: bool | None = None,
) -> QuerySet[Unit]:
    """Units by name. `q` ignores diacritics and case ("so tai chinh" finds "Sở Tài chính"); `parent` gives the
    units directly below one unit; `active=false` gives the former units kept as history."""
    _require_directory(request)
    qs = Unit.objects.order_by("name", "pk")
    if kind is not None:
        qs = qs.filter(kind=kind)
    if parent is not None:
        qs = qs.filter(parent_id=parent)
    if active is not None:
        qs = qs.filter(is_active=active)
    if q.strip():
        qs = search(qs, q)
    return qs


@router.get("/units/{unit_id}", response={200: UnitDetailOut, **ERRORS}, summary="Một đơn vị")
def get_unit(request: Any, unit_id: int) -> Unit:
    """A unit with its parent, the units below it, the former units merged into it and the Vice-Chairmen in
    charge of it."""
    _require_directory(request)
    return get_object_or_404(Unit.objects.select_related("parent", "merged_into"), pk=unit_id)


def _people() -> QuerySet[Person]:
    return Person.objects.filter(is_active=True).select_related("unit").order_by("full_name", "pk")


@router.get("/people", response={200: list[PersonOut], **ERRORS}, summary="Cán bộ")
@paginate(PageNumberPagination, page_size=50)
def list_people(
    request: Any, q: str = "", unit: int | None = None, role: Role | None = None
) -> QuerySet[Person]:
    """Active people by name. `q` searches name, log-in, e-mail and title, ignoring diacritics."""
    _require_directory(request)
    qs = _people()
    if unit is not None:
        qs = qs.filter(unit_id=unit)
    if role is not None:
        qs = qs.filter(role=role)
    if q.strip():
        qs = search(qs, q)
    return qs


@router.get("/people/{person_id}", response={200: PersonOut, **ERRORS}, summary="Một cán bộ")
def get_person(request: Any, person_id: int) -> Person:
    _require_directory(request)
    return get_object_or_404(_people(), pk=person_id)
