"""The menu shows each person the pages their role may open, grouped, and marks where they are."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse


def menu(client: Any, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200
    return {str(item.label): item for item in response.context["nav_items"]}


@pytest.mark.django_db
def test_a_commune_officer_gets_the_one_stop_menu_with_the_counter(client_for: Any) -> None:
    items = menu(client_for("cc.xa01"), reverse("dossiers:dossier-new"))
    group = items["Hồ sơ một cửa"]
    children = {str(child.label): child for child in group.children}
    assert group.active
    assert children["Tiếp nhận hồ sơ"].active
    assert not children["Hồ sơ thủ tục hành chính"].active
    assert "Nhập tệp hồ sơ" in children


@pytest.mark.django_db
def test_the_chairman_sees_the_one_stop_figures_but_has_no_counter(client_for: Any) -> None:
    children = {
        str(c.label) for c in menu(client_for("chutich"), reverse("core:home"))["Hồ sơ một cửa"].children
    }
    assert "Thống kê hồ sơ" in children
    assert "Tiếp nhận hồ sơ" not in children


@pytest.mark.django_db
def test_the_council_sees_its_supervision_menu(client_for: Any) -> None:
    group = menu(client_for("hdnd"), reverse("core:home"))["Phản ánh, giám sát"]
    assert "Kiến nghị giám sát của HĐND" in {str(c.label) for c in group.children}
