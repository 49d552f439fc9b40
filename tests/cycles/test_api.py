"""The annual cycle through the JSON API: periods, their rules, the Chairman's assigned tasks, permissions."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from trongtam.core.models import AuditEntry, Notification
from trongtam.cycles.models import AssignedTask, Period
from trongtam.org.models import Person, Unit

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

API = "/api/v1"

NEW_PERIOD = {
    "year": 2027,
    "name": "Năm 2027",
    "theme": "Tăng tốc, bứt phá",
    "start_date": "2027-01-01",
    "end_date": "2027-12-31",
    "registration_deadline": "2027-02-26",
    "midyear_review_date": "2027-07-15",
    "final_assessment_date": "2027-12-10",
}


def post(client: Client, path: str, body: dict[str, Any], **extra: Any) -> Any:
    return client.post(API + path, json.dumps(body), content_type="application/json", **extra)


def patch(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.patch(API + path, json.dumps(body), content_type="application/json")


def counts() -> tuple[int, int, int, int]:
    return (
        Period.objects.count(),
        AssignedTask.objects.count(),
        AuditEntry.objects.count(),
        Notification.objects.count(),
    )


def test_periods_are_paginated(client_for: Any) -> None:
    body = client_for("gd.stc").get(f"{API}/periods").json()

    assert body["count"] == 2  # 2026 and last year's period (the league's trend)
    assert [p["year"] for p in body["items"]] == [2026, 2025]
    assert body["items"][0]["rating_regime_label"].startswith("Nghị định 335/2025")


def test_a_period_shows_theme_dates_counts_common_and_assigned_tasks(client_for: Any, period: Period) -> None:
    body = client_for("gd.stc").get(f"{API}/periods/{period.pk}").json()

    assert body["theme"] == period.theme
    assert body["registration_deadline"] == "2026-02-27"
    assert body["counts"] == {
        "own_min": 3,
        "own_max": 5,
        "common_count": 5,
        "assigned_min": 1,
        "assigned_max": 2,
    }
    assert [c["number"] for c in body["common_tasks"]] == [1, 2, 3, 4, 5]
    assert len(body["assigned_tasks"]) == period.assigned_tasks.count()
    stc = next(a for a in body["assigned_tasks"] if a["unit"]["code"] == "STC")
    assert stc["assigned_by"]["username"] == "chutich"


def test_assigned_tasks_are_listed_by_unit(client_for: Any, period: Period, unit: Any) -> None:
    body = client_for("gd.stc").get(f"{API}/periods/{period.pk}/assigned-tasks", {"unit": unit("STC").pk})

    assert [a["unit"]["code"] for a in body.json()["items"]] == ["STC"]


def test_an_unknown_period_is_a_404(client_for: Any) -> None:
    assert client_for("gd.stc").get(f"{API}/periods/999999").status_code == 404


def test_the_office_creates_a_period_with_its_audit_entry(client_for: Any) -> None:
    response = post(client_for("vanphong"), "/periods", {**NEW_PERIOD, "own_min": 2})

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["year"] == 2027
    assert body["counts"]["own_min"] == 2
    assert body["counts"]["own_max"] == 5  # the default
    assert body["common_tasks"] == []
    entry = AuditEntry.objects.filter(object_type="cycles.period", object_id=str(body["id"])).get()
    assert entry.action == "create"
    assert entry.changes["theme"] == [None, "Tăng tốc, bứt phá"]


@pytest.mark.parametrize("username", ["chutich", "gd.stc", "pct.kinhte", "hdnd", "congdan"])
def test_only_the_office_and_administrators_manage_periods(client_for: Any, username: str) -> None:
    before = counts()

    response = post(client_for(username), "/periods", NEW_PERIOD)

    assert response.status_code == 403
    assert counts() == before


def test_the_period_rules_are_the_pages_messages_by_field(client_for: Any) -> None:
    before = counts()
    body = {
        **NEW_PERIOD,
        "end_date": "2026-12-31",  # before the start
        "own_min": 6,
        "own_max": 5,
    }

    response = post(client_for("vanphong"), "/periods", body)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["end_date"] == ["Ngày kết thúc phải sau ngày bắt đầu."]
    assert errors["own_min"] == ["Số tối thiểu không được lớn hơn số tối đa."]
    assert counts() == before


def test_a_date_outside_the_period_is_named(client_for: Any) -> None:
    before = counts()

    response = post(client_for("vanphong"), "/periods", {**NEW_PERIOD, "midyear_review_date": "2028-07-15"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"midyear_review_date": ["Ngày này phải nằm trong kỳ công tác."]}
    assert counts() == before


def test_a_year_that_exists_is_refused(client_for: Any) -> None:
    before = counts()

    response = post(client_for("quantri"), "/periods", {**NEW_PERIOD, "year": 2026})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["year"]
    assert counts() == before


def test_wrong_types_and_missing_fields_are_a_422_naming_them(client_for: Any) -> None:
    before = counts()
    body = {**NEW_PERIOD, "start_date": "31/02/2027", "year": "abc"}
    del body["theme"]

    response = post(client_for("vanphong"), "/periods", body)

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"start_date", "year", "theme"}
    assert errors["theme"] == ["Thiếu trường bắt buộc này."]
    assert errors["start_date"] == ["Ngày không hợp lệ; dùng dạng YYYY-MM-DD, ví dụ 2026-12-31."]
    assert counts() == before


def test_patch_changes_only_what_is_sent_and_is_audited(client_for: Any, period: Period) -> None:
    response = patch(
        client_for("vanphong"), f"/periods/{period.pk}", {"theme": "Chủ đề mới", "version": period.version}
    )

    assert response.status_code == 200, response.json()
    period.refresh_from_db()
    assert period.theme == "Chủ đề mới"
    assert period.name == "Năm 2026"
    entry = AuditEntry.objects.filter(object_type="cycles.period", object_id=str(period.pk)).latest("seq")
    assert entry.action == "update"
    assert list(entry.changes) == ["theme"]


def test_patch_checks_the_rules_on_the_whole_period(client_for: Any, period: Period) -> None:
    before = counts()

    response = patch(
        client_for("vanphong"),
        f"/periods/{period.pk}",
        {"assigned_min": 3, "theme": None, "version": period.version},
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["assigned_min"] == ["Số tối thiểu không được lớn hơn số tối đa."]
    assert "theme" in errors
    assert counts() == before
    period.refresh_from_db()
    assert period.assigned_min == 1


def test_patch_needs_manage_period(client_for: Any, period: Period) -> None:
    assert (
        patch(client_for("chutich"), f"/periods/{period.pk}", {"theme": "x", "version": 1}).status_code == 403
    )


def test_two_people_editing_a_period_the_second_is_told(client_for: Any, period: Period) -> None:
    """Both read version N; the Office saves first; the administrator's save is refused, nothing lost."""
    seen = period.version
    first = patch(
        client_for("vanphong"), f"/periods/{period.pk}", {"theme": "Chủ đề của Văn phòng", "version": seen}
    )
    assert first.status_code == 200
    second = patch(client_for("quantri"), f"/periods/{period.pk}", {"theme": "Chủ đề khác", "version": seen})
    assert second.status_code == 409
    assert Person.objects.get(username="vanphong").full_name in second.json()["detail"]
    period.refresh_from_db()
    assert period.theme == "Chủ đề của Văn phòng"


def test_a_stale_period_form_keeps_the_input_and_explains(client_for: Any, period: Period) -> None:
    from django.urls import reverse

    url = reverse("cycles:period-edit", args=[period.pk])
    form = client_for("quantri").get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    for name in (
        "start_date",
        "end_date",
        "registration_deadline",
        "midyear_review_date",
        "final_assessment_date",
    ):
        data[name] = getattr(period, name).strftime("%d/%m/%Y")
    patch(
        client_for("vanphong"),
        f"/periods/{period.pk}",
        {"theme": "Văn phòng lưu trước", "version": period.version},
    )
    response = client_for("quantri").post(url, {**data, "theme": "Quản trị lưu sau"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "vừa thay đổi" in page
    assert "Quản trị lưu sau" in page  # the input is still on the page
    period.refresh_from_db()
    assert period.theme == "Văn phòng lưu trước"


def test_the_chairman_assigns_a_task_and_the_head_is_notified(
    client_for: Any, period: Period, unit: Any, person: Any
) -> None:
    stc = unit("STC")
    earlier = set(Notification.objects.filter(recipient=person("gd.stc")).values_list("pk", flat=True))

    response = post(
        client_for("chutich"),
        f"/periods/{period.pk}/assigned-tasks",
        {"unit_id": stc.pk, "title": "Quyết toán ngân sách sớm", "description": "Trước 30/9"},
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["unit"]["code"] == "STC"
    assert body["assigned_by"]["username"] == "chutich"
    task = AssignedTask.objects.get(pk=body["id"])
    assert task.period == period
    assert AuditEntry.objects.filter(object_type="cycles.assignedtask", object_id=str(task.pk)).exists()
    # The demo province has told this head of other assignments already: exactly one notice is new.
    note = Notification.objects.exclude(pk__in=earlier).get(recipient=person("gd.stc"), kind="assigned")
    assert "Quyết toán ngân sách sớm" in note.title


@pytest.mark.parametrize("code", [None, "H.SONDONG"])  # unknown; a former district (inactive)
def test_an_assigned_task_for_a_unit_that_cannot_receive_one_is_refused(
    client_for: Any, period: Period, code: str | None
) -> None:
    unit_id = Unit.objects.get(code=code).pk if code else 999999
    before = counts()

    response = post(
        client_for("chutich"), f"/periods/{period.pk}/assigned-tasks", {"unit_id": unit_id, "title": "Việc"}
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["unit_id"]
    assert counts() == before


def test_an_assigned_task_needs_a_title(client_for: Any, period: Period, unit: Any) -> None:
    before = counts()

    response = post(
        client_for("chutich"),
        f"/periods/{period.pk}/assigned-tasks",
        {"unit_id": unit("STC").pk, "title": ""},
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["title"]
    assert counts() == before


@pytest.mark.parametrize("username", ["vanphong", "pct.kinhte", "gd.stc", "quantri"])
def test_only_the_chairman_assigns_tasks(client_for: Any, period: Period, unit: Any, username: str) -> None:
    before = counts()

    response = post(
        client_for(username),
        f"/periods/{period.pk}/assigned-tasks",
        {"unit_id": unit("STC").pk, "title": "Việc"},
    )

    assert response.status_code == 403
    assert counts() == before


def test_a_token_writes_without_csrf(client_for: Any) -> None:
    response = client_for("vanphong").post(reverse("core:api-tokens"), {"name": "Đồng bộ"})
    token = response.context["new_token"]
    strict = Client(enforce_csrf_checks=True)

    created = post(strict, "/periods", NEW_PERIOD, HTTP_AUTHORIZATION=f"Bearer {token}")

    assert created.status_code == 201, created.json()
    entry = AuditEntry.objects.filter(object_type="cycles.period", object_id=str(created.json()["id"])).get()
    assert entry.actor is not None
    assert entry.actor.username == "vanphong"


def test_a_session_write_needs_the_csrf_token(client_for: Any) -> None:
    from trongtam.org.models import Person

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(Person.objects.get(username="vanphong"))
    before = counts()

    response = post(strict, "/periods", NEW_PERIOD)

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert counts() == before
