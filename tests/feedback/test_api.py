"""The feedback API: the internal list, one case and its steps (same scope, rules and messages as the pages),
and the public operations without log-in, throttled, never showing the reporter's data."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from tests.feedback.conftest import REPORTER, By, move, submit
from trongtam.feedback.api import LOOKUP_THROTTLE, SUBMIT_THROTTLE
from trongtam.feedback.enums import FeedbackStatus
from trongtam.feedback.models import Feedback
from trongtam.org.models import Unit

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(API + path, json.dumps(body), content_type="application/json")


def test_the_list_is_the_persons_scope(client_for: Any) -> None:
    xa01, sct = submit("XA01"), submit("SCT")
    codes = {row["tracking_code"] for row in client_for("gd.sct").get(API + "/feedback").json()["items"]}
    assert sct.tracking_code in codes
    assert xa01.tracking_code not in codes
    assert client_for("hdnd").get(API + "/feedback").status_code == 403
    assert Client().get(API + "/feedback").status_code == 401


def test_the_list_filters(client_for: Any) -> None:
    case = submit("XA01", content="Cán bộ địa chính gây khó dễ khi cấp sổ đỏ cho gia đình tôi.")
    rows = (
        client_for("vanphong")
        .get(API + "/feedback", {"q": "dia chinh", "status": "received"})
        .json()["items"]
    )
    assert [row["tracking_code"] for row in rows] == [case.tracking_code]
    bad = client_for("vanphong").get(
        API + "/feedback", {"received_from": "2026-05-02", "received_to": "2026-05-01"}
    )
    assert bad.status_code == 400


def test_a_case_outside_the_scope_is_404(client_for: Any) -> None:
    case = submit("XA01")
    assert client_for("gd.sct").get(f"{API}/feedback/{case.pk}").status_code == 404
    detail = client_for("vanphong").get(f"{API}/feedback/{case.pk}").json()
    assert detail["reporter_name"] == REPORTER["name"]
    assert [a["action"] for a in detail["actions"]] == ["assign", "close", "match_official"]


def test_steps_through_the_api(client_for: Any) -> None:
    case = submit("XA01")
    office, head = client_for("vanphong"), client_for("ct.xa01")
    done = _post(office, f"/feedback/{case.pk}/actions", {"action": "assign", "version": 1}).json()
    assert done["status"] == "assigned"
    done = _post(
        head, f"/feedback/{case.pk}/actions", {"action": "handle", "version": done["version"]}
    ).json()
    answer = {
        "action": "answer",
        "version": done["version"],
        "text": "Đã xác minh, phản ánh đúng.",
        "upheld": True,
    }
    done = _post(head, f"/feedback/{case.pk}/actions", answer).json()
    assert (done["status"], done["upheld"]) == ("answered", True)
    stale = _post(head, f"/feedback/{case.pk}/actions", {**answer, "action": "close", "outcome": "resolved"})
    assert stale.status_code == 409
    closed = _post(
        head,
        f"/feedback/{case.pk}/actions",
        {"action": "close", "version": done["version"], "outcome": "resolved"},
    )
    assert closed.json()["status"] == "closed"


def test_api_refusals_match_the_pages(client_for: Any) -> None:
    case = submit("XA01")
    assert (
        _post(
            client_for("ct.xa01"), f"/feedback/{case.pk}/actions", {"action": "assign", "version": 1}
        ).status_code
        == 403
    )
    wrong = _post(
        client_for("ct.xa01"), f"/feedback/{case.pk}/actions", {"action": "answer", "version": 1, "text": "x"}
    )
    assert wrong.status_code == 409
    reopen = _post(client_for("vanphong"), f"/feedback/{case.pk}/actions", {"action": "reopen", "version": 1})
    assert reopen.status_code == 403
    unresolved = _post(
        client_for("vanphong"),
        f"/feedback/{case.pk}/actions",
        {"action": "close", "version": 1, "outcome": "rejected"},
    )
    assert unresolved.status_code == 400
    assert set(unresolved.json()["errors"]) == {"reason"}


def test_public_submission_without_log_in_answers_a_tracking_code() -> None:
    body = {"category": "asking_money", "unit": Unit.objects.get(code="XA01").pk,
            "content": "Cán bộ địa chính đòi tiền bồi dưỡng khi nhận hồ sơ của tôi.", "anonymous": True}  # fmt: skip
    response = _post(Client(), "/public-feedback", body)
    assert response.status_code == 201
    code = response.json()["tracking_code"]
    assert Feedback.objects.get(tracking_code=code).is_anonymous
    assert response.json()["status_url"].endswith(f"?ma={code}")


def test_public_submission_refuses_bad_input_by_field() -> None:
    response = _post(
        Client(),
        "/public-feedback",
        {"category": "delay", "unit": 999999, "content": "ngắn", "anonymous": False},
    )
    assert response.status_code == 400
    assert {"unit", "content", "name", "phone"} <= set(response.json()["errors"])


def test_public_status_shows_no_personal_data(by: By) -> None:
    case = move(submit("XA01"), FeedbackStatus.ANSWERED)
    response = Client().get(f"{API}/public-feedback/{case.tracking_code.lower()}")
    assert response.status_code == 200
    text = response.content.decode()
    for value in (*REPORTER.values(), "0987654321", case.content, case.answer):
        assert value not in text
    assert response.json()["status"] == "answered"
    assert Client().get(f"{API}/public-feedback/ABCDEFGHJK").status_code == 404


def test_public_operations_are_throttled_per_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(LOOKUP_THROTTLE, "num_requests", 2)
    monkeypatch.setattr(SUBMIT_THROTTLE, "num_requests", 1)
    cache.clear()
    client = Client()
    assert [client.get(f"{API}/public-feedback/ABCDEFGHJK").status_code for _ in range(3)] == [404, 404, 429]
    body = {
        "category": "other",
        "unit": Unit.objects.get(code="SCT").pk,
        "content": "Đề nghị niêm yết thủ tục đầy đủ hơn.",
    }
    assert [_post(client, "/public-feedback", body).status_code for _ in range(2)] == [201, 429]
