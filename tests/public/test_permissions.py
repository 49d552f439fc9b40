"""The public site needs no log-in; the internal pages stay closed to an anonymous visitor, and a signed-in
citizen sees the public site like anyone else."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

PUBLIC = ["public:home", "public:lookup", "public:scoreboard"]
INTERNAL = ["dossiers:dossier-list", "dossiers:statistics", "dossiers:letter-list", "feedback:feedback-list"]


@pytest.mark.parametrize("name", PUBLIC)
def test_anonymous_visitors_use_the_public_site(db: None, name: str) -> None:
    response = Client().get(reverse(name))
    assert response.status_code == 200
    assert "public/base.html" in [template.name for template in response.templates]


@pytest.mark.parametrize("name", INTERNAL)
def test_internal_pages_stay_closed_to_anonymous_visitors(db: None, name: str) -> None:
    response = Client().get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", INTERNAL)
def test_a_signed_in_citizen_does_not_reach_internal_pages(client_for: Any, name: str) -> None:
    assert client_for("congdan").get(reverse(name)).status_code in (403, 404)


@pytest.mark.parametrize("name", PUBLIC)
def test_a_signed_in_citizen_sees_the_public_site(client_for: Any, name: str) -> None:
    assert client_for("congdan").get(reverse(name)).status_code == 200


def test_the_public_api_needs_no_log_in_and_the_internal_api_does(db: None) -> None:
    client = Client()
    assert client.get("/api/v1/public/scoreboard").status_code == 200
    assert client.get("/api/v1/dossiers").status_code == 401


def test_the_public_site_writes_only_by_post(db: None) -> None:
    assert Client().get(reverse("public:rate")).status_code == 405
    assert Client().post(reverse("public:scoreboard")).status_code == 405
