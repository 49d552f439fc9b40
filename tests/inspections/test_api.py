"""Inspections through the JSON API: the same scope, permissions, states and messages as the pages."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.inspections.factories import PDF, by, held, make_inspection, violation
from trongtam.core.models import AuditEntry
from trongtam.inspections.enums import InspectionKind, RemedyState
from trongtam.inspections.models import Inspection, Violation
from trongtam.org.models import Unit

pytestmark = pytest.mark.django_db

API = "/api/v1"


def send(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(API + path, json.dumps(body, default=str), content_type="application/json")


def _plan(**changes: Any) -> dict[str, Any]:
    body = {
        "title": "Kiểm tra Sở Tư pháp",
        "kind": "regular",
        "unit_id": Unit.objects.get(code="STP").pk,
        "scheduled_on": "2026-12-15",
        "scope": "Thời giờ làm việc",
        "leader_id": by("pgd.snv").pk,
        "member_ids": [by("cv.snv").pk],
    }
    body.update(changes)
    return body


def test_create_list_and_read_an_inspection(client_for: Any) -> None:
    client = client_for("noivu")
    response = send(client, "/inspections", _plan())
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["status"], created["body"], created["members"][0]["username"]) == (
        "planned", "home_affairs", "cv.snv",
    )  # fmt: skip
    assert {a["action"] for a in created["actions"]} == {"plan", "results"}
    listed = client.get(API + "/inspections", {"unit": "STP"}).json()
    assert [i["id"] for i in listed["items"]] == [created["id"]]


def test_bad_input_is_named_by_the_apis_field_names_and_nothing_is_written(client_for: Any) -> None:
    count = Inspection.objects.count()
    response = send(client_for("noivu"), "/inspections", _plan(title="", leader_id=999999))
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"title", "leader_id"}
    assert Inspection.objects.count() == count


def test_a_council_member_reads_but_may_not_plan(client_for: Any) -> None:
    inspection = make_inspection()
    client = client_for("hdnd")
    assert client.get(f"{API}/inspections/{inspection.pk}").status_code == 200
    assert send(client, "/inspections", _plan()).status_code == 403


def test_a_surprise_inspection_does_not_exist_for_its_unit_before_it_is_held(client_for: Any) -> None:
    inspection = make_inspection(kind=InspectionKind.SURPRISE)
    head = client_for("ct.xa05")
    assert head.get(f"{API}/inspections/{inspection.pk}").status_code == 404
    assert inspection.pk not in {i["id"] for i in head.get(API + "/inspections").json()["items"]}
    held(inspection)
    assert head.get(f"{API}/inspections/{inspection.pk}").status_code == 200


def test_results_violation_remedy_decision_and_close(client_for: Any) -> None:
    inspection = make_inspection()
    team = client_for("pgd.snv")
    body = send(team, f"/inspections/{inspection.pk}/results",
                {"version": inspection.version, "conducted_on": "2026-06-10", "findings": "Vắng mặt"}).json()  # fmt: skip
    response = send(
        team,
        f"/inspections/{inspection.pk}/violations",
        {"version": body["version"], "kind": "absence", "person_id": by("cc.xa05").pk, "description": "Vắng"},
    )
    assert response.status_code == 201
    body = response.json()
    found = body["violations"][0]
    assert (found["remedy_deadline"], found["remedy_state"]) == ("2026-06-24", "pending")
    head = client_for("ct.xa05")
    response = head.post(
        f"{API}/violations/{found['id']}/remedy",
        {
            "payload": json.dumps({"version": body["version"], "report": "Đã kiểm điểm"}),
            "evidence": SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["violations"][0]["evidence_url"].endswith("/minh-chung/")
    response = send(
        team, f"/violations/{found['id']}/decision", {"version": body["version"], "decision": "return"}
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["comment"]
    body = send(
        team, f"/violations/{found['id']}/decision", {"version": body["version"], "decision": "accept"}
    ).json()
    response = send(team, f"/inspections/{inspection.pk}/close", {"version": body["version"]})
    assert response.json()["status"] == "closed"


def test_a_stale_version_is_a_conflict_and_writes_nothing(client_for: Any) -> None:
    inspection = held()
    entries = AuditEntry.objects.count()
    response = send(
        client_for("noivu"),
        f"/inspections/{inspection.pk}/violations",
        {"version": inspection.version - 1, "kind": "absence", "description": "Vắng"},
    )
    assert response.status_code == 409
    assert "vừa thay đổi" in response.json()["detail"]
    assert AuditEntry.objects.count() == entries


def test_a_head_may_not_decide_and_an_outsider_does_not_see(client_for: Any) -> None:
    found = violation(held())
    version = Inspection.objects.get(pk=found.inspection_id).version
    body = {"version": version, "decision": "accept"}
    assert send(client_for("ct.xa05"), f"/violations/{found.pk}/decision", body).status_code == 403
    assert send(client_for("ct.xa06"), f"/violations/{found.pk}/decision", body).status_code == 404
    assert Violation.objects.get(pk=found.pk).remedy_state == RemedyState.PENDING


def test_the_violation_list_filters_overdue(client_for: Any) -> None:
    overdue = violation(held(on=dt.date(2026, 1, 7)))
    later = violation(held(), deadline=dt.date(2030, 12, 31))
    items = (
        client_for("chutich").get(API + "/violations", {"remedy": "overdue", "unit": "XA05"}).json()["items"]
    )
    ids = {v["id"] for v in items}
    assert overdue.pk in ids
    assert later.pk not in ids
    assert all(v["overdue"] for v in items)


def test_the_openapi_schema_describes_the_inspection_endpoints(client_for: Any) -> None:
    paths = client_for("noivu").get(API + "/openapi.json").json()["paths"]
    assert {"/api/v1/inspections", "/api/v1/violations", "/api/v1/violations/{violation_id}/remedy"} <= set(
        paths
    )
