"""A round's classification settings and exceptions through the API: the same rules and messages as the preview
page; 403 for anyone but Home Affairs writing, 409 when stale, 400 by field with nothing written."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from trongtam.assessment.enums import Level
from trongtam.assessment.models import QuotaException, Round

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

API = "/api/v1"


def _url(rnd: Round) -> str:
    return f"{API}/rounds/{rnd.pk}/classification-settings"


def _put(client: Client, rnd: Round, **changes: Any) -> Any:
    body = {
        "version": rnd.version, "excellent": "90", "good": "70", "completed": "50", "quota_share_percent": "20",
        "quota_rounding": "floor", "rules_off": [],
    }  # fmt: skip
    body.update(changes)
    return client.put(_url(rnd), json.dumps(body), content_type="application/json")


def _levels(client: Client, rnd: Round) -> dict[str, str]:
    groups = client.get(f"{API}/rounds/{rnd.pk}/preview").json()["groups"]
    return {row["unit"]["code"]: row["level"] for group in groups for row in group["rows"]}


def test_the_settings_read_the_defaults_and_who_may_read_them(client_for: Any, quota_round: Round) -> None:
    body = client_for("chutich").get(_url(quota_round)).json()

    assert (body["excellent"], body["good"], body["completed"], body["quota_share_percent"]) == (
        "90",
        "70",
        "50",
        "20",
    )
    assert {r["code"]: r["applies"] for r in body["optional_rules"]} == {
        "no_excellent_key_task": True,
        "no_excellent_inspection": True,
    }
    assert body["exceptions"] == []
    for username in ("pct.kinhte", "gd.sct", "vanphong"):
        assert client_for(username).get(_url(quota_round)).status_code == 403


def test_home_affairs_changes_them_and_the_preview_follows(client_for: Any, quota_round: Round) -> None:
    client = client_for("noivu")

    response = _put(client, quota_round, quota_share_percent="50")

    assert response.status_code == 200, response.content
    assert response.json()["quota_share_percent"] == "50"
    assert list(_levels(client, quota_round).values()).count(Level.EXCELLENT) == 2


def test_bad_settings_are_a_400_by_field_and_a_stale_version_a_409(
    client_for: Any, quota_round: Round
) -> None:
    client = client_for("noivu")

    bad = _put(client, quota_round, excellent="60")
    stale = _put(client, quota_round, version=quota_round.version + 5)
    not_allowed = _put(client_for("chutich"), quota_round)

    assert bad.status_code == 400
    assert "thresholds" in bad.json()["errors"]
    assert stale.status_code == 409
    assert not_allowed.status_code == 403
    assert Round.objects.get(pk=quota_round.pk).classification == {}


def test_an_exception_is_added_and_removed(client_for: Any, quota_round: Round) -> None:
    client = client_for("noivu")
    skhcn = quota_round.sheets.get(unit__code="SKHCN")

    missing = client.post(
        f"{API}/rounds/{quota_round.pk}/exceptions",
        json.dumps({"version": quota_round.version, "person_id": skhcn.person_id}),
        content_type="application/json",
    )
    added = client.post(
        f"{API}/rounds/{quota_round.pk}/exceptions",
        json.dumps(
            {"version": quota_round.version, "person_id": skhcn.person_id, "reason": "Dẫn đầu toàn quốc",
             "basis": "Bằng khen số 15/QĐ-TTg"}
        ),
        content_type="application/json",
    )  # fmt: skip

    assert missing.status_code == 400
    assert set(missing.json()["errors"]) == {"reason", "basis"}
    assert added.status_code == 201, added.content
    [exception] = added.json()["exceptions"]
    assert _levels(client, quota_round)["SKHCN"] == Level.EXCELLENT
    version = added.json()["version"]
    removed = client.delete(f"{API}/rounds/{quota_round.pk}/exceptions/{exception['id']}?version={version}")
    assert removed.status_code == 200
    assert not QuotaException.objects.exists()
