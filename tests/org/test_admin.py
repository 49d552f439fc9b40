"""The Django admin is the technical administrator's tool; what they change there is audited too."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from trongtam.core.audit import verify_chain
from trongtam.core.models import AuditEntry
from trongtam.org.models import Person, Unit

pytestmark = pytest.mark.django_db


def test_a_unit_changed_in_the_admin_is_audited(client_for: Any) -> None:
    unit = Unit.objects.get(code="STP")
    url = reverse("admin:org_unit_change", args=[unit.pk])
    form = client_for("quantri").get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["name"] = "Sở Tư pháp tỉnh Sơn Hà"
    response = client_for("quantri").post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    entry = AuditEntry.objects.filter(object_type="org.unit", object_id=str(unit.pk)).latest("seq")
    assert entry.changes["name"] == ["Sở Tư pháp", "Sở Tư pháp tỉnh Sơn Hà"]
    assert entry.actor_name == Person.objects.get(username="quantri").full_name
    assert verify_chain() is None


def test_setting_a_password_is_audited_without_the_hash(client_for: Any) -> None:
    person = Person.objects.get(username="cv.stc")
    url = reverse("admin:auth_user_password_change", args=[person.pk]).replace("auth/user", "org/person")
    response = client_for("quantri").post(
        url, {"password1": "Mat-khau-moi-2026!", "password2": "Mat-khau-moi-2026!", "usable_password": "true"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("Mat-khau-moi-2026!")
    entry = AuditEntry.objects.filter(object_type="org.person", object_id=str(person.pk)).latest("seq")
    assert "password" in entry.changes
    assert person.password not in str(entry.changes)


def test_the_audit_trail_is_read_only_in_the_admin(client_for: Any) -> None:
    entry = AuditEntry.objects.first()
    assert entry is not None
    client = client_for("quantri")
    assert client.get(reverse("admin:core_auditentry_changelist")).status_code == 200
    assert (
        client.post(reverse("admin:core_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_people_without_staff_status_cannot_open_the_admin(client_for: Any) -> None:
    response = client_for("chutich").get(reverse("admin:org_unit_changelist"))
    assert response.status_code == 302
    assert "/quan-tri/login/" in response["Location"]
