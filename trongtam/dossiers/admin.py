"""The Django admin for dossiers: the technical administrator's tool, audited like every admin change.

The catalog can be mended here. A dossier's status and dates cannot: they move only through the lifecycle
(domain/lifecycle.py), which keeps the due date derived from `deadlines.schedule`; the administrator may correct
the applicant's contact details, nothing else, and may not add or delete dossiers.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from trongtam.core.interfaces.admin import AuditedAdmin
from trongtam.dossiers.models import Dossier, Procedure

SHOWN: tuple[str, ...] = (
    "code", "unit", "procedure", "channel", "status", "source",
    "applicant_name", "applicant_kind", "applicant_phone", "applicant_email", "applicant_address",
    "submitted_at", "received_at", "received_on", "due_date", "appointment_date", "paused_days",
    "supplement_requested_on", "supplement_received_on", "finished_on", "returned_on", "refusal_reason",
    "version",
)  # fmt: skip


@admin.register(Procedure)
class ProcedureAdmin(AuditedAdmin):
    list_display = ["code", "name", "field", "level", "processing_days", "is_active"]
    list_filter = ["level", "is_active", "field"]
    search_fields = ["code", "name", "search_text"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # dossiers point to it; retire it with «đang áp dụng» instead


@admin.register(Dossier)
class DossierAdmin(AuditedAdmin):
    list_display = [
        "code",
        "unit",
        "procedure",
        "status",
        "channel",
        "received_on",
        "due_date",
        "finished_on",
    ]
    list_filter = ["status", "channel", "source"]
    search_fields = ["code", "search_text"]
    list_select_related = ["unit", "procedure"]
    date_hierarchy = "received_on"
    fields = SHOWN
    editable = frozenset(
        {"applicant_name", "applicant_kind", "applicant_phone", "applicant_email", "applicant_address"}
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [name for name in SHOWN if name not in self.editable]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
