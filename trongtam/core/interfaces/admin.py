"""What every Django-admin page of the product shares: changes made there go into the audit trail too."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest

from trongtam.core import audit
from trongtam.core.models import AuditAction

SECRET_FIELDS = frozenset({"password"})


def _fields(obj: Model) -> list[str]:
    names = [f.name for f in obj._meta.concrete_fields if f.name not in ("id", "search_text", "last_login")]
    return names + [f.name for f in obj._meta.many_to_many]


def _state(obj: Model) -> dict[str, Any]:
    if obj.pk is None:
        return {}
    state = audit.snapshot(obj, _fields(obj))
    for name in SECRET_FIELDS & state.keys():
        state[name] = "••••" if state[name] else ""  # record that it changed, never the hash
    return state


class AuditedAdmin(admin.ModelAdmin):
    """Save and delete inside a transaction that also appends the before/after values to the audit chain."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        self._before = _state(type(obj).objects.get(pk=obj.pk)) if change else {}
        with transaction.atomic():
            super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            obj = form.instance
            changes = audit.diff(getattr(self, "_before", {}), _state(obj))
            if changes:
                audit.record(
                    actor=request.user,
                    action=AuditAction.UPDATE if change else AuditAction.CREATE,
                    instance=obj,
                    changes=changes,
                )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit.record(
                actor=request.user,
                action=AuditAction.DELETE,
                instance=obj,
                changes=audit.diff(_state(obj), {}),
            )
            super().delete_model(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk delete would bypass delete_model and the audit trail
        return actions
