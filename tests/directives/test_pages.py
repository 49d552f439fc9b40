"""The directive pages: the list a role sees (its scope), search without diacritics, the detail's 404s, and a
query count that stays flat as the list grows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.followup.factories import make_directive, make_directive_task
from trongtam.directives.models import Directive
from trongtam.org.models import Unit

pytestmark = pytest.mark.django_db

LIST = reverse("directives:directive-list")


def listed(client: Any, **params: str) -> set[str]:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return {d.number for d in response.context["page_obj"]}


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        pytest.param("chutich", {"SCT", "SYT", "SXD"}, id="chairman"),
        pytest.param("vanphong", {"SCT", "SYT", "SXD"}, id="office"),
        pytest.param("hdnd", {"SCT", "SYT", "SXD"}, id="council"),
        pytest.param("pct.kinhte", {"SCT", "SXD"}, id="vc-economy"),
        pytest.param("pct.vanxa", {"SYT"}, id="vc-culture-society"),
        pytest.param("gd.sct", {"SCT"}, id="head-of-lead-unit"),
        pytest.param("gd.stc", {"SCT"}, id="head-of-coordinating-unit"),
        pytest.param("gd.syt", {"SYT"}, id="head-of-syt"),
    ],
)
def test_the_list_shows_the_scope_of_each_role(
    username: str, expected: set[str], documents: dict[str, Directive], client_for: Any
) -> None:
    assert listed(client_for(username)) == {documents[code].number for code in expected}


@pytest.mark.parametrize("username", ["congdan", "pgd.sct", "cv.sct"])
def test_the_list_is_refused_to_roles_without_it(username: str, client_for: Any) -> None:
    assert client_for(username).get(LIST).status_code == 403


def test_the_task_count_is_shown(documents: dict[str, Directive], client_for: Any) -> None:
    response = client_for("chutich").get(LIST)
    counts = {d.number: d.task_count for d in response.context["page_obj"]}
    assert counts[documents["SXD"].number] == 2
    assert counts[documents["SCT"].number] == 1


def test_search_ignores_diacritics(documents: dict[str, Directive], client_for: Any) -> None:
    client = client_for("chutich")
    assert listed(client, q="nha o xa hoi") == {documents["SXD"].number}
    assert listed(client, q="XUAT KHAU") == {documents["SCT"].number}
    assert listed(client, q="12/CT") == {documents["SYT"].number}
    assert listed(client, q="khong co van ban nay") == set()


def test_search_stays_in_scope(documents: dict[str, Directive], client_for: Any) -> None:
    assert listed(client_for("gd.sct"), q="nha o xa hoi") == set()


# Who opens the directive of the tests (tasks for SCT, coordinated by STC): the same on the page and in the API.
WHO_OPENS_A_DIRECTIVE = [
    ("chutich", 200),
    ("hdnd", 200),
    ("pct.kinhte", 200),
    ("gd.sct", 200),
    ("cv.sct", 200),
    ("gd.stc", 200),
    ("pct.vanxa", 404),
    ("gd.syt", 404),
    ("congdan", 404),
]


@pytest.mark.parametrize(
    ("username", "status"),
    WHO_OPENS_A_DIRECTIVE,
)
def test_who_opens_a_directive(
    username: str, status: int, documents: dict[str, Directive], client_for: Any
) -> None:
    response = client_for(username).get(documents["SCT"].get_absolute_url())
    assert response.status_code == status


def test_the_detail_lists_only_the_tasks_the_person_may_see(client_for: Any) -> None:
    directive = make_directive(number="20/TB-UBND")
    make_directive_task(directive, title="Việc của Sở Công Thương", deadline=dt.date(2026, 5, 15))
    make_directive_task(directive, title="Việc của Sở Y tế", lead_unit=Unit.objects.get(code="SYT"))
    own = client_for("gd.sct").get(directive.get_absolute_url()).content.decode()
    assert "Việc của Sở Công Thương" in own
    assert "15/05/2026" in own
    assert "Việc của Sở Y tế" not in own
    everything = client_for("chutich").get(directive.get_absolute_url()).content.decode()
    assert "Việc của Sở Công Thương" in everything
    assert "Việc của Sở Y tế" in everything


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("username", ["chutich", "pct.kinhte", "gd.sct"])
def test_query_count_does_not_grow_with_directives(username: str, client_for: Any) -> None:
    client = client_for(username)
    directive = make_directive()
    for _ in range(2):
        make_directive_task(directive)
    client.get(LIST)  # warm the session and caches
    few_list, few_detail = _queries(client, LIST), _queries(client, directive.get_absolute_url())
    for _ in range(8):
        make_directive_task(make_directive())
        make_directive_task(directive)
    many_list, many_detail = _queries(client, LIST), _queries(client, directive.get_absolute_url())
    assert (few_list, few_detail) == (many_list, many_detail)
