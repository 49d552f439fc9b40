"""The dossiers and units a user may see, as querysets (the scope of `rules.py`, in the database)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from trongtam.dossiers.models import Dossier
from trongtam.org.enums import PROVINCE_WIDE_ROLES, UNIT_ROLES, Role, UnitKind
from trongtam.org.models import Unit


def units_visible_to(user: Any) -> QuerySet[Unit]:
    """The units whose dossiers `user` may see (the same answer as the `dossiers.view_dossier` rule)."""
    units = Unit.objects.all()
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return units.none()
    if user.role in PROVINCE_WIDE_ROLES or user.role == Role.COUNCIL:
        return units
    if user.role == Role.VICE_CHAIRMAN:
        return units.filter(pk__in=user.charged_unit_ids)
    if user.role in UNIT_ROLES and user.unit_id is not None:
        if user.unit.kind == UnitKind.SERVICE_CENTER:
            return units
        return units.filter(pk=user.unit_id)
    return units.none()


def units_entering_for(user: Any) -> QuerySet[Unit]:
    """The units `user` may enter or import dossiers for (the `dossiers.enter_dossier_for` rule)."""
    units = Unit.objects.filter(is_active=True)
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return units.none()
    if user.role == Role.ADMIN:
        return units
    if user.role in UNIT_ROLES and user.unit_id is not None:
        if user.unit.kind == UnitKind.SERVICE_CENTER:
            return units
        return units.filter(pk=user.unit_id)
    return units.none()


def dossiers_visible_to(user: Any) -> QuerySet[Dossier]:
    return Dossier.objects.filter(unit__in=units_visible_to(user))
