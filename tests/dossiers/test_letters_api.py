"""Apology letters in the API: the register, one letter, drafting, each step with its version, and the same
permissions as the pages (404 outside the scope, 403 for a role that may not act, 409 for a stale version or a
second letter)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from tests.dossiers.factories import at, make_dossier, make_procedure
from trongtam.dossiers.enums import LetterStatus
from trongtam.dossiers.models import ApologyLetter, Dossier

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

API = "/api/v1"
REASON = "Chờ ý kiến của Sở Tài nguyên và Môi trường"


def send(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(API + path, json.dumps(body, default=str), content_type="application/json")


@pytest.fixture
def dossier(db: None) -> Dossier:
    return make_dossier("XA01", make_procedure("T-PXL-05", 5), at(dt.date(2026, 3, 2)))


def _draft(client: Client, dossier: Dossier, **body: Any) -> Any:
    return send(client, f"/dossiers/{dossier.pk}/apology-letter", {"version": dossier.version, **body})


def test_the_whole_workflow_through_the_api(client_for: Any, dossier: Dossier) -> None:
    officer, head = client_for("cc.xa01"), client_for("ct.xa01")

    drafted = _draft(officer, dossier)
    assert drafted.status_code == 201, drafted.json()
    letter = drafted.json()
    assert letter["status"] == "draft"
    assert letter["dossier_code"] == dossier.code
    assert letter["actions"] == ["save", "submit"]

    submitted = send(
        officer,
        f"/apology-letters/{letter['id']}/actions",
        {"action": "submit", "version": letter["version"], "reason": REASON, "new_due_date": "2026-03-16"},
    )
    assert submitted.status_code == 200, submitted.json()
    letter = submitted.json()
    assert letter["status"] == "awaiting_approval"

    approved = send(
        head, f"/apology-letters/{letter['id']}/actions", {"action": "approve", "version": letter["version"]}
    )
    assert approved.status_code == 200, approved.json()
    letter = approved.json()
    assert letter["number"].endswith("/PXL")
    assert Dossier.objects.get(pk=dossier.pk).appointment_date == dt.date(2026, 3, 16)

    sent = send(
        officer,
        f"/apology-letters/{letter['id']}/actions",
        {"action": "send", "version": letter["version"], "channel": "email"},
    )
    assert sent.status_code == 200, sent.json()
    assert sent.json()["status"] == "sent"
    assert sent.json()["sent_via"] == "email"


def test_a_second_letter_is_409(client_for: Any, dossier: Dossier) -> None:
    officer = client_for("cc.xa01")
    assert _draft(officer, dossier).status_code == 201

    second = _draft(officer, Dossier.objects.get(pk=dossier.pk))

    assert second.status_code == 409
    assert "chỉ được hẹn lại một lần" in second.json()["detail"]


def test_a_stale_version_is_409(client_for: Any, dossier: Dossier) -> None:
    letter = _draft(client_for("cc.xa01"), dossier).json()

    response = send(
        client_for("cc.xa01"),
        f"/apology-letters/{letter['id']}/actions",
        {"action": "save", "version": letter["version"] + 1, "reason": REASON},
    )

    assert response.status_code == 409


def test_a_new_date_not_after_the_due_date_is_400_by_field(client_for: Any, dossier: Dossier) -> None:
    response = _draft(client_for("cc.xa01"), dossier, new_due_date="2026-03-09")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["new_due_date"]
    assert not ApologyLetter.objects.filter(dossier=dossier).exists()


@pytest.mark.parametrize(("username", "status"), [("cc.xa01", 403), ("ct.xa02", 404), ("congdan", 404)])
def test_who_may_not_approve(client_for: Any, dossier: Dossier, username: str, status: int) -> None:
    officer = client_for("cc.xa01")
    letter = _draft(officer, dossier, reason=REASON).json()
    letter = send(
        officer,
        f"/apology-letters/{letter['id']}/actions",
        {"action": "submit", "version": letter["version"]},
    ).json()

    response = send(
        client_for(username),
        f"/apology-letters/{letter['id']}/actions",
        {"action": "approve", "version": letter["version"]},
    )

    assert response.status_code == status
    assert ApologyLetter.objects.get(pk=letter["id"]).status == LetterStatus.AWAITING_APPROVAL


@pytest.mark.parametrize(("username", "status"), [("cc.xa02", 404), ("chutich", 403)])
def test_who_may_not_draft(client_for: Any, dossier: Dossier, username: str, status: int) -> None:
    assert _draft(client_for(username), dossier).status_code == status


def test_the_register_lists_and_filters_in_scope(client_for: Any, dossier: Dossier) -> None:
    letter = _draft(client_for("cc.xa01"), dossier).json()

    mine = client_for("ct.xa01").get(f"{API}/apology-letters", {"status": "draft"}).json()
    theirs = client_for("ct.xa02").get(f"{API}/apology-letters").json()
    approved = client_for("ct.xa01").get(f"{API}/apology-letters", {"status": "approved"}).json()

    assert letter["id"] in [row["id"] for row in mine["items"]]
    assert letter["id"] not in [row["id"] for row in theirs["items"]]
    assert letter["id"] not in [row["id"] for row in approved["items"]]
    assert client_for("ct.xa01").get(f"{API}/apology-letters", {"month": "2026-13"}).status_code == 400
    assert client_for("congdan").get(f"{API}/apology-letters").status_code == 403


def test_one_letter_shows_the_actions_of_the_person(client_for: Any, dossier: Dossier) -> None:
    letter = _draft(client_for("cc.xa01"), dossier).json()

    as_head = client_for("ct.xa01").get(f"{API}/apology-letters/{letter['id']}").json()
    outsider = client_for("cc.xa02").get(f"{API}/apology-letters/{letter['id']}")

    assert as_head["actions"] == ["save", "submit"]
    assert outsider.status_code == 404
