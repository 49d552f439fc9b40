"""Logging in: the demo log-ins work, mistakes are explained, and guessing is throttled."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from trongtam.core.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "username",
    [
        "chutich",
        "pct.kinhte",
        "vanphong",
        "noivu",
        "gd.stc",
        "pgd.stc",
        "cv.stc",
        "hdnd",
        "congdan",
        "quantri",
    ],
)
def test_every_demo_log_in_in_the_readme_works(username: str) -> None:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


def test_a_wrong_password_is_explained_in_vietnamese() -> None:
    response = Client().post(reverse("login"), {"username": "gd.stc", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_repeated_failures_lock_the_log_in_even_with_the_right_password(settings: object) -> None:
    client = Client()
    for _ in range(5):
        client.post(reverse("login"), {"username": "gd.stc", "password": "doan-mo"})
    response = client.post(reverse("login"), {"username": "gd.stc", "password": DEMO_PASSWORD})
    assert response.status_code == 429
    assert "sai mật khẩu quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session
