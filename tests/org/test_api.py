"""The organization through the JSON API: units and people, filters, pagination, scope, tokens, the schema."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from trongtam.org.enums import Role, UnitKind
from trongtam.org.models import Person, Unit

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

API = "/api/v1"


def token_for(client_for: Any, username: str) -> str:
    """A personal token made on the person's token page, as a person would."""
    response = client_for(username).post(reverse("core:api-tokens"), {"name": "Kiểm thử API"})
    token: str = response.context["new_token"]
    assert token.startswith("tt_")
    return token


def test_units_are_paginated_in_pages_of_fifty(client_for: Any) -> None:
    client = client_for("vanphong")

    first = client.get(f"{API}/units").json()
    second = client.get(f"{API}/units", {"page": 2}).json()

    assert first["count"] == Unit.objects.count()
    assert first["count"] > 50
    assert len(first["items"]) == 50
    assert len(second["items"]) == first["count"] - 50
    assert {u["id"] for u in first["items"]}.isdisjoint(u["id"] for u in second["items"])


def test_unit_search_ignores_diacritics(client_for: Any) -> None:
    client = client_for("gd.stc")

    everything = client.get(f"{API}/units", {"q": "so tai chinh"}).json()
    departments = client.get(f"{API}/units", {"q": "SO TAI CHINH", "kind": "department"}).json()

    assert {u["code"] for u in everything["items"]} == {
        "STC",
        "STC.P1",
        "STC.P2",
        "STC.P3",
    }  # and its divisions
    assert [u["code"] for u in departments["items"]] == ["STC"]
    assert departments["items"][0]["name"] == "Sở Tài chính"
    assert departments["items"][0]["kind_label"] == "Sở, ban, ngành"


def test_units_filter_by_kind_parent_and_active(client_for: Any) -> None:
    client = client_for("pct.kinhte")
    stc = Unit.objects.get(code="STC")

    divisions = client.get(f"{API}/units", {"parent": stc.pk}).json()
    districts = client.get(f"{API}/units", {"kind": UnitKind.DISTRICT}).json()
    former = client.get(f"{API}/units", {"active": "false"}).json()

    assert {u["code"] for u in divisions["items"]} == {"STC.P1", "STC.P2", "STC.P3"}
    assert {u["code"] for u in districts["items"]} == {"H.SONDONG", "H.THACHBAN"}
    assert {u["code"] for u in former["items"]} == {"H.SONDONG", "H.THACHBAN"}


def test_a_wrong_filter_is_a_422_naming_it(client_for: Any) -> None:
    response = client_for("vanphong").get(f"{API}/units", {"kind": "galaxy", "parent": "x"})

    assert response.status_code == 422
    body = response.json()
    assert set(body["errors"]) == {"kind", "parent"}
    assert body["errors"]["parent"] == ["Phải là một số nguyên."]
    assert "kind" in body["detail"]


def test_a_unit_shows_its_tree_and_who_is_in_charge(client_for: Any) -> None:
    stc = Unit.objects.get(code="STC")

    body = client_for("gd.sct").get(f"{API}/units/{stc.pk}").json()

    assert body["code"] == "STC"
    assert body["parent"]["code"] == "UBND"
    assert [c["code"] for c in body["children"]] == ["STC.P2", "STC.P3", "STC.P1"]  # by name
    assert [p["username"] for p in body["vice_chairmen_in_charge"]] == ["pct.kinhte"]


def test_a_former_district_names_the_commune_it_merged_into(client_for: Any) -> None:
    district = Unit.objects.get(code="H.SONDONG")

    body = client_for("noivu").get(f"{API}/units/{district.pk}").json()

    assert body["is_active"] is False
    assert body["merged_into"]["code"] == "XA07"
    merged = client_for("noivu").get(f"{API}/units/{body['merged_into']['id']}").json()
    assert [u["code"] for u in merged["merged_from"]] == ["H.SONDONG"]


def test_an_unknown_unit_is_a_404(client_for: Any) -> None:
    response = client_for("vanphong").get(f"{API}/units/999999")

    assert response.status_code == 404
    assert response.json()["detail"] == "Không tìm thấy, hoặc bản ghi nằm ngoài phạm vi của bạn."


def test_people_expose_the_directory_and_never_a_password(client_for: Any) -> None:
    head = Person.objects.get(username="gd.stc")
    body = client_for("vanphong").get(f"{API}/people", {"unit": head.unit_id, "role": "head"}).json()

    [person] = body["items"]
    assert person == {
        "id": head.pk,
        "username": "gd.stc",
        "full_name": head.full_name,
        "role": "head",
        "role_label": "Người đứng đầu",
        "unit": {"id": head.unit_id, "code": "STC", "name": "Sở Tài chính"},
        "title": "Giám đốc Sở Tài chính",
        "email": "gd.stc@sonha.gov.vn",
        "phone": "",
    }
    detail = client_for("vanphong").get(f"{API}/people/{head.pk}")
    assert detail.json() == person
    assert "password" not in detail.content.decode()
    assert head.password not in detail.content.decode()


def test_people_search_ignores_diacritics_and_filters(client_for: Any) -> None:
    head = Person.objects.get(username="gd.stc")
    folded = head.search_text.split()  # the name without diacritics, as a person would type it
    client = client_for("gd.sct")

    found = client.get(f"{API}/people", {"q": " ".join(folded[:3])}).json()
    in_stc = client.get(f"{API}/people", {"unit": head.unit_id, "role": Role.HEAD}).json()
    chairmen = client.get(f"{API}/people", {"role": "chairman"}).json()

    assert head.pk in [p["id"] for p in found["items"]]
    assert [p["username"] for p in in_stc["items"]] == ["gd.stc"]
    assert [p["username"] for p in chairmen["items"]] == ["chutich"]


def test_people_pages_count_everyone_once(client_for: Any) -> None:
    client = client_for("vanphong")
    active = Person.objects.filter(is_active=True).count()

    body = client.get(f"{API}/people", {"page_size": 100}).json()
    last = client.get(f"{API}/people", {"page": (active - 1) // 50 + 1}).json()

    assert body["count"] == active
    assert len(body["items"]) == min(100, active)
    assert len(last["items"]) == active - 50 * ((active - 1) // 50)


@pytest.mark.parametrize("path", ["/units", "/units/1", "/people", "/people/1", "/periods", "/registrations"])
def test_a_citizen_gets_403(client_for: Any, path: str) -> None:
    response = client_for("congdan").get(API + path)

    assert response.status_code == 403
    assert response.json() == {"detail": "Bạn không có quyền thực hiện thao tác này."}


@pytest.mark.parametrize("path", ["/units", "/people", "/periods", "/registrations"])
def test_anonymous_gets_401(path: str) -> None:
    response = Client().get(API + path)

    assert response.status_code == 401
    assert "Authorization: Bearer" in response.json()["detail"]


def test_a_personal_token_reads_the_directory(client_for: Any) -> None:
    token = token_for(client_for, "gd.stc")

    response = Client().get(f"{API}/units", {"q": "xa"}, HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 200
    assert response.json()["count"] > 0


def test_a_wrong_token_is_a_401(client_for: Any) -> None:
    response = Client().get(f"{API}/units", HTTP_AUTHORIZATION="Bearer tt_not-a-token")

    assert response.status_code == 401


def test_the_openapi_schema_builds_and_lists_every_endpoint(client_for: Any) -> None:
    response = client_for("vanphong").get(f"{API}/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert set(paths) == {
        f"{API}/units",
        f"{API}/units/{{unit_id}}",
        f"{API}/people",
        f"{API}/people/{{person_id}}",
        f"{API}/periods",
        f"{API}/periods/{{period_id}}",
        f"{API}/periods/{{period_id}}/assigned-tasks",
        f"{API}/registrations",
        f"{API}/registrations/{{registration_id}}",
        f"{API}/registrations/{{registration_id}}/tasks",
        f"{API}/registrations/{{registration_id}}/tasks/{{task_id}}",
        f"{API}/registrations/{{registration_id}}/actions/{{action}}",
        f"{API}/registrations/{{registration_id}}/commitment",
        f"{API}/directives",
        f"{API}/directives/{{directive_id}}",
        f"{API}/tasks",
        f"{API}/tasks/{{task_id}}",
        f"{API}/tasks/{{task_id}}/progress",
        f"{API}/tasks/{{task_id}}/completion",
        f"{API}/tasks/{{task_id}}/extensions",
        f"{API}/tasks/{{task_id}}/extensions/{{extension_id}}/decision",
        f"{API}/tasks/{{task_id}}/milestones/{{milestone_id}}",
        f"{API}/tasks/{{task_id}}/actions/{{action}}",
        f"{API}/overview",
        f"{API}/rubrics",
        f"{API}/rubrics/{{rubric_id}}",
        f"{API}/rounds",
        f"{API}/rounds/{{round_id}}",
        f"{API}/rounds/{{round_id}}/sheets",
        f"{API}/rounds/{{round_id}}/preview",
        f"{API}/rounds/{{round_id}}/sign",
        f"{API}/sheets/{{sheet_id}}",
        f"{API}/sheets/{{sheet_id}}/points/{{code}}",
        f"{API}/sheets/{{sheet_id}}/actions/{{action}}",
        f"{API}/sheets/{{sheet_id}}/recompute",
        f"{API}/sheets/{{sheet_id}}/facts",
        # Staff evaluation (assessment/api_staff.py)
        f"{API}/staff-evaluations",
        f"{API}/staff-evaluations/{{evaluation_id}}",
        f"{API}/staff-evaluations/{{evaluation_id}}/self",
        f"{API}/staff-evaluations/{{evaluation_id}}/submit",
        f"{API}/staff-evaluations/{{evaluation_id}}/rate",
        f"{API}/staff-evaluations/{{evaluation_id}}/return",
        f"{API}/units/{{unit_id}}/staff-evaluations/start",
        f"{API}/units/{{unit_id}}/staff-evaluations/preview",
        f"{API}/units/{{unit_id}}/staff-evaluations/finalize",
        # A round's classification settings and exceptions (assessment/api_classification.py)
        f"{API}/rounds/{{round_id}}/classification-settings",
        f"{API}/rounds/{{round_id}}/exceptions",
        f"{API}/rounds/{{round_id}}/exceptions/{{exception_id}}",
        # Rankings (rankings/api.py)
        f"{API}/rankings/league",
        f"{API}/rankings/settings",
        # Procedures, dossiers, imports, apology letters, statistics (dossiers/api_*.py)
        f"{API}/apology-letters",
        f"{API}/apology-letters/{{letter_id}}",
        f"{API}/apology-letters/{{letter_id}}/actions",
        f"{API}/dossier-imports",
        f"{API}/dossier-imports/{{job_id}}",
        f"{API}/dossier-statistics",
        f"{API}/dossiers",
        f"{API}/dossiers/{{dossier_id}}",
        f"{API}/dossiers/{{dossier_id}}/apology-letter",
        f"{API}/dossiers/{{dossier_id}}/transitions",
        f"{API}/procedures",
        f"{API}/procedures/{{procedure_id}}",
        # Feedback (feedback/api.py)
        f"{API}/feedback",
        f"{API}/feedback/{{case_id}}",
        f"{API}/feedback/{{case_id}}/actions",
        # Inspections (inspections/api.py)
        f"{API}/inspections",
        f"{API}/inspections/{{inspection_id}}",
        f"{API}/inspections/{{inspection_id}}/close",
        f"{API}/inspections/{{inspection_id}}/plan",
        f"{API}/inspections/{{inspection_id}}/results",
        f"{API}/inspections/{{inspection_id}}/violations",
        f"{API}/violations",
        f"{API}/violations/{{violation_id}}/decision",
        f"{API}/violations/{{violation_id}}/remedy",
        # The public site, no log-in (public/api.py, feedback/api.py)
        f"{API}/public-feedback",
        f"{API}/public-feedback/{{code}}",
        f"{API}/public/dossier-lookup",
        f"{API}/public/dossier-ratings",
        f"{API}/public/scoreboard",
        # Dialogues and Council recommendations (supervision/api.py)
        f"{API}/supervision/dialogues",
        f"{API}/supervision/dialogues/{{dialogue_id}}",
        f"{API}/supervision/dialogues/{{dialogue_id}}/issues",
        f"{API}/supervision/issues",
        f"{API}/supervision/issues/{{issue_id}}",
        f"{API}/supervision/issues/{{issue_id}}/actions/{{action}}",
        f"{API}/supervision/recommendations",
        f"{API}/supervision/recommendations/{{recommendation_id}}",
        f"{API}/supervision/recommendations/{{recommendation_id}}/actions/{{action}}",
        f"{API}/supervision/supervisions",
        f"{API}/supervision/supervisions/{{supervision_id}}",
        f"{API}/supervision/supervisions/{{supervision_id}}/recommendations",
    }
    security = response.json()["components"]["securitySchemes"]
    assert {s["type"] for s in security.values()} >= {"http", "apiKey"}


def test_the_docs_page_renders_from_local_files(client_for: Any) -> None:
    response = client_for("vanphong").get(f"{API}/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger" in html.lower()
    assert "cdn." not in html
    assert f"{API}/openapi.json" in html
