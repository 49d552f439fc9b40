"""Dialogues, issues, supervisions and recommendations through the JSON API: the same scope (404 outside it), the
same permissions (403), the same workflow (409) and the same messages (400) as the pages."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from tests.supervision.conftest import (
    by,
    make_dialogue,
    make_issue,
    make_recommendation,
    make_supervision,
    unit_pk,
)
from trongtam.core.models import AuditEntry
from trongtam.supervision.enums import RaiserKind
from trongtam.supervision.models import Dialogue, DialogueIssue, Recommendation

pytestmark = [pytest.mark.integration, pytest.mark.django_db]
API = "/api/v1/supervision"


def send(client: Client, path: str, body: dict[str, Any], method: str = "post") -> Any:
    return getattr(client, method)(API + path, json.dumps(body), content_type="application/json")


def test_the_issue_list_is_the_scope_and_hides_a_persons_name(client_for: Any) -> None:
    mine = make_issue(raiser_kind=RaiserKind.PERSON, raised_by="Vũ Thị Mai")
    make_issue(make_dialogue(topic="Đối thoại ngành tài chính", chair="gd.stc", unit="STC"), unit="STC")
    response = client_for("gd.sct").get(API + "/issues")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["id"] for i in items] == [mine.pk]
    assert items[0]["raised_by"] == ""
    assert "Vũ Thị Mai" not in response.content.decode()
    detail = client_for("gd.sct").get(f"{API}/issues/{mine.pk}").json()
    assert detail["raised_by_full"] == "Vũ Thị Mai"
    assert [a["action"] for a in detail["actions"]] == [
        "assign",
        "start",
        "answer",
        "close_unresolved",
        "transfer",
        "reject",
    ]


def test_outside_the_scope_is_404_and_a_citizen_is_refused_the_list(client_for: Any) -> None:
    issue = make_issue()
    rec = make_recommendation()
    assert client_for("gd.stc").get(f"{API}/issues/{issue.pk}").status_code == 404
    assert client_for("pct.vanxa").get(f"{API}/recommendations/{rec.pk}").status_code == 404
    assert client_for("congdan").get(API + "/recommendations").status_code == 403
    assert Client().get(API + "/issues").status_code == 401


def test_a_step_through_the_api_and_its_refusals(client_for: Any) -> None:
    issue = make_issue()
    entries = AuditEntry.objects.count()
    official = client_for("cv.sct")
    refused = send(official, f"/issues/{issue.pk}/actions/answer", {"version": issue.version, "answer": "x"})
    assert refused.status_code == 403
    started = send(official, f"/issues/{issue.pk}/actions/start", {"version": issue.version})
    assert started.status_code == 200
    assert started.json()["status"] == "in_handling"
    stale = send(
        client_for("gd.sct"),
        f"/issues/{issue.pk}/actions/answer",
        {"version": issue.version, "answer": "Đã làm"},
    )
    assert stale.status_code == 409
    assert by("cv.sct").full_name in stale.json()["detail"]
    empty = send(
        client_for("gd.sct"),
        f"/issues/{issue.pk}/actions/answer",
        {"version": issue.version + 1, "answer": ""},
    )
    assert empty.status_code == 400
    assert empty.json()["errors"] == {"answer": ["Cần nhập nội dung trả lời."]}
    assert AuditEntry.objects.count() == entries + 1
    wrong = send(
        client_for("vanphong"), f"/issues/{issue.pk}/actions/resolve", {"version": issue.version + 1}
    )
    assert wrong.status_code == 409


def test_recording_a_dialogue_and_an_issue(client_for: Any) -> None:
    client = client_for("gd.sct")
    created = send(
        client, "/dialogues",
        {"topic": "Đối thoại chợ đầu mối", "audience": "businesses", "held_on": "2026-03-02",
         "chaired_by": by("gd.sct").pk, "organizing_unit": unit_pk("SCT")},
    )  # fmt: skip
    assert created.status_code == 201
    dialogue_id = created.json()["id"]
    issue = send(
        client, f"/dialogues/{dialogue_id}/issues",
        {"content": "Mặt bằng kinh doanh", "raiser_kind": "business", "raised_by": "HTX Chợ Sơn Hà",
         "responsible_unit": unit_pk("SCT"), "deadline_days": 5},
    )  # fmt: skip
    assert issue.status_code == 201
    assert (issue.json()["status"], issue.json()["deadline"]) == ("assigned", "2026-03-09")
    other = send(
        client, "/dialogues",
        {"topic": "Đối thoại ngành tài chính", "audience": "businesses", "held_on": "2026-03-02",
         "chaired_by": by("gd.stc").pk, "organizing_unit": unit_pk("STC")},
    )  # fmt: skip
    assert other.status_code == 400
    assert list(other.json()["errors"]) == ["organizing_unit"]
    assert not Dialogue.objects.filter(topic="Đối thoại ngành tài chính").exists()


def test_editing_a_dialogue_with_an_old_version_is_409(client_for: Any) -> None:
    dialogue = make_dialogue()
    body = {"version": dialogue.version, "topic": "Chủ đề mới", "audience": "both", "held_on": "2026-03-02",
            "chaired_by": by("gd.sct").pk, "organizing_unit": unit_pk("SCT")}  # fmt: skip
    assert send(client_for("gd.sct"), f"/dialogues/{dialogue.pk}", body, "put").status_code == 200
    assert send(client_for("gd.sct"), f"/dialogues/{dialogue.pk}", body, "put").status_code == 409
    assert send(client_for("cv.sct"), f"/dialogues/{dialogue.pk}", body, "put").status_code == 403
    unversioned = send(client_for("gd.sct"), f"/dialogues/{dialogue.pk}", {**body, "version": None}, "put")
    assert unversioned.status_code == 400
    assert list(unversioned.json()["errors"]) == ["version"]


def test_the_council_records_a_supervision_and_judges(client_for: Any) -> None:
    council = client_for("hdnd")
    created = send(
        council,
        "/supervisions",
        {"topic": "Giám sát an toàn thực phẩm", "held_on": "2026-03-02", "supervised_unit": unit_pk("SCT")},
    )
    assert created.status_code == 201
    assert (
        send(
            client_for("gd.sct"),
            "/supervisions",
            {"topic": "x", "held_on": "2026-03-02", "supervised_unit": unit_pk("SCT")},
        ).status_code
        == 403
    )
    sid = created.json()["id"]
    rec = send(
        council,
        f"/supervisions/{sid}/recommendations",
        {"title": "Kiểm tra chợ", "responsible_unit": unit_pk("SCT"), "deadline": "2026-04-30"},
    )
    assert rec.status_code == 201
    rid, version = rec.json()["id"], rec.json()["version"]
    reported = send(
        client_for("gd.sct"),
        f"/recommendations/{rid}/actions/report",
        {"version": version, "answer": "Đã kiểm tra 12 chợ"},
    )
    assert reported.status_code == 200
    judged = send(
        council, f"/recommendations/{rid}/actions/conclude", {"version": version + 1, "verdict": "resolved"}
    )
    assert judged.status_code == 200
    assert (judged.json()["status"], judged.json()["verdict"]) == ("closed", "resolved")
    assert Recommendation.objects.get(pk=rid).closed_on is not None


def test_the_overdue_recommendations_are_listed(client_for: Any) -> None:
    late = make_recommendation(deadline=dt.date(2026, 3, 20))
    response = client_for("gd.sct").get(API + "/recommendations", {"overdue": "true"})
    assert [r["id"] for r in response.json()["items"]] == [late.pk]
    assert response.json()["items"][0]["overdue"] is True


def test_detail_of_a_dialogue_and_a_supervision(client_for: Any) -> None:
    issue = make_issue()
    supervision = make_supervision()
    make_recommendation(supervision)
    dialogue = client_for("pct.kinhte").get(f"{API}/dialogues/{issue.dialogue_id}").json()
    assert [i["id"] for i in dialogue["issues"]] == [issue.pk]
    assert (
        len(client_for("pct.kinhte").get(f"{API}/supervisions/{supervision.pk}").json()["recommendations"])
        == 1
    )
    assert DialogueIssue.objects.filter(pk=issue.pk).exists()
