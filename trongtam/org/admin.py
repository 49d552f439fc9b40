"""The Django admin for the organization: the technical administrator's tool (set passwords, fix a unit)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from trongtam.core import audit
from trongtam.core.interfaces.admin import AuditedAdmin
from trongtam.core.models import AuditAction
from trongtam.org.models import AreaOfCharge, Person, Unit


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name", "search_text"]
    autocomplete_fields = ["parent", "merged_into"]
    list_select_related = ["parent"]


@admin.register(Person)
class PersonAdmin(AuditedAdmin, UserAdmin):
    list_display = ["username", "full_name", "role", "unit", "title", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email", "search_text"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    ordering = ["full_name"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("full_name", "email", "phone", "title")}),
        (_("Vai trò và đơn vị"), {"fields": ("role", "unit")}),
        (_("Quyền quản trị"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "role", "unit", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        """Setting a password is audited like any other change (that it changed, never the hash)."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                person = Person.objects.get(pk=id)
                audit.record(
                    actor=request.user,
                    action=AuditAction.UPDATE,
                    instance=person,
                    changes={"password": ["••••", "•••• (đặt lại)"]},
                )
        return response


@admin.register(AreaOfCharge)
class AreaOfChargeAdmin(AuditedAdmin):
    list_display = ["name", "vice_chairman"]
    filter_horizontal = ["units"]
    list_select_related = ["vice_chairman"]
