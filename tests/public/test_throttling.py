"""Guessing is throttled per client address: the N+1-th attempt in the window is refused, pages and API, and
another address is not affected. A caller cannot reset its allowance with an X-Forwarded-For header."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client, override_settings
from django.urls import reverse

from trongtam.dossiers.models import Dossier

LOOKUP = reverse("public:lookup")
API_LOOKUP = "/api/v1/public/dossier-lookup"


def _page(client: Client, address: str, code: str = "H99.000000", **extra: Any) -> int:
    response = client.post(LOOKUP, {"code": code, "phone_last4": "1234"}, REMOTE_ADDR=address, **extra)
    return response.status_code


def _api(client: Client, address: str, code: str = "H99.000000", **extra: Any) -> int:
    body = json.dumps({"code": code, "phone_last4": "1234"})
    response = client.post(API_LOOKUP, body, content_type="application/json", REMOTE_ADDR=address, **extra)
    return response.status_code


@override_settings(PUBLIC_LOOKUP_RATE="3/m")
def test_the_page_refuses_the_fourth_attempt_in_a_minute_from_one_address(db: None) -> None:
    client = Client()
    assert [_page(client, "203.0.113.5") for _ in range(3)] == [200, 200, 200]
    refused = client.post(LOOKUP, {"code": "H99.000000", "phone_last4": "1234"}, REMOTE_ADDR="203.0.113.5")
    assert refused.status_code == 429
    assert "public/throttled.html" in [t.name for t in refused.templates]
    assert "Bạn đã tra cứu quá nhiều lần" in refused.content.decode()
    assert _page(Client(), "203.0.113.6") == 200  # another address keeps its own allowance
    assert (
        client.get(LOOKUP, REMOTE_ADDR="203.0.113.5").status_code == 200
    )  # reading the form is not an attempt


@override_settings(PUBLIC_LOOKUP_RATE="2/m")
def test_the_right_answer_is_refused_too_once_the_allowance_is_spent(dossier: Dossier) -> None:
    client = Client()
    assert [_page(client, "203.0.113.7") for _ in range(2)] == [200, 200]
    assert _page(client, "203.0.113.7", code=dossier.code) == 429  # no oracle past the limit either


@override_settings(PUBLIC_LOOKUP_RATE="3/m")
def test_a_forwarded_for_header_does_not_reset_the_allowance(db: None) -> None:
    client = Client()
    for n in range(3):
        assert _page(client, "203.0.113.8", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}") == 200
        assert _api(client, "203.0.113.8", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}") == 404
    assert _page(client, "203.0.113.8", HTTP_X_FORWARDED_FOR="198.51.100.99") == 429
    assert _api(client, "203.0.113.8", HTTP_X_FORWARDED_FOR="198.51.100.99") == 429


@override_settings(PUBLIC_LOOKUP_RATE="3/m")
def test_the_api_refuses_the_fourth_lookup_in_a_minute_from_one_address(db: None) -> None:
    client = Client()
    assert [_api(client, "203.0.113.9") for _ in range(3)] == [404, 404, 404]
    refused = client.post(
        API_LOOKUP,
        json.dumps({"code": "H99.000000", "phone_last4": "1234"}),
        content_type="application/json",
        REMOTE_ADDR="203.0.113.9",
    )
    assert refused.status_code == 429
    assert "Retry-After" in refused
    assert _api(Client(), "203.0.113.10") == 404


@override_settings(PUBLIC_API_RATE="2/m")
def test_the_api_scoreboard_is_throttled_by_its_own_setting(db: None) -> None:
    client = Client()
    codes = [
        client.get("/api/v1/public/scoreboard", REMOTE_ADDR="203.0.113.11").status_code for _ in range(3)
    ]
    assert codes == [200, 200, 429]


@override_settings(PUBLIC_LOOKUP_RATE="3/m")
def test_ipv6_callers_are_counted_by_their_network(db: None) -> None:
    client = Client()
    for n in range(3):
        assert _page(client, f"2001:db8:1:2::{n + 1}") == 200
    assert _page(client, "2001:db8:1:2::ffff") == 429


def test_the_default_allowance_is_ten_a_minute(dossier: Dossier) -> None:
    client = Client()
    assert all(_page(client, "203.0.113.12") == 200 for _ in range(10))
    assert _page(client, "203.0.113.12", code=dossier.code) == 429
    assert _api(client, "203.0.113.12", code=dossier.code) != 429  # the API keeps its own count


@override_settings(PUBLIC_SCOREBOARD_RATE="2/m")
def test_the_scoreboard_page_and_its_export_share_one_allowance(db: None) -> None:
    client = Client()
    page = reverse("public:scoreboard")
    export = reverse("public:scoreboard-export") + "?dinh_dang=csv"
    assert client.get(page, REMOTE_ADDR="203.0.113.21").status_code == 200
    assert client.get(export, REMOTE_ADDR="203.0.113.21").status_code == 200
    assert client.get(page, REMOTE_ADDR="203.0.113.21").status_code == 429
    assert client.get(page, REMOTE_ADDR="203.0.113.22").status_code == 200
