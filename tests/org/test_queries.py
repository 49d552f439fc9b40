"""N+1 guards for the organization browser: the tree, a unit's page and the directory, at two sizes.

Each page is loaded once to warm per-process caches, then counted with one added row on the page and again with
many. Searches for the added rows ("thử nghiệm") make the page itself grow; the unfiltered lists are full pages
at both sizes, so there the ceiling (the count measured when these tests were written, with a little room)
is what would show a query per row.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trongtam.core.search import fold
from trongtam.core.views import PAGE_SIZE
from trongtam.org.enums import Role, UnitKind
from trongtam.org.models import AreaOfCharge, Person, Unit

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def queries_for(client: Client, url: str) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


def add_units(
    parents: list[Unit], count: int, *, tag: str, kind: str = UnitKind.DIVISION, **extra: Any
) -> None:
    units = [
        Unit(
            code=f"{parents[i % len(parents)].code}.{tag}{i}",
            name=f"Phòng thử nghiệm {tag}{i}",
            kind=kind,
            parent=parents[i % len(parents)],
            **extra,
        )
        for i in range(count)
    ]
    for u in units:  # bulk_create skips save(), which fills the search text
        u.search_text = fold(f"{u.name} {u.code}")
    Unit.objects.bulk_create(units)


def add_people(units: list[Unit], count: int, *, tag: str, role: str = Role.OFFICIAL) -> None:
    people = [
        Person(
            username=f"thu.{tag}{i}",
            full_name=f"Lục Thử Nghiệm {tag}{i}",
            role=role,
            unit=units[i % len(units)],
            title="Chuyên viên",
            email=f"thu.{tag}{i}@sonha.gov.vn",
            password="!",
        )
        for i in range(count)
    ]
    for p in people:
        p.search_text = fold(f"{p.full_name} {p.username} {p.email} {p.title}")
    Person.objects.bulk_create(people)


# (query string, queries measured when these tests were written)
UNIT_LISTS = [("", 6), ("?kind=division", 7), ("?q=thu+nghiem", 7), ("?kind=division&q=thu+nghiem", 7)]


@pytest.mark.parametrize(("query", "measured"), UNIT_LISTS)
def test_unit_list_queries_do_not_grow(client_for: Any, unit: Any, query: str, measured: int) -> None:
    parents = [unit("STC"), unit("SXD"), unit("SYT")]
    client = client_for("vanphong")
    url = reverse("org:unit-list") + query
    add_units(parents, 1, tag="A")
    client.get(url)
    small, before = queries_for(client, url)

    add_units(parents, 11, tag="B")
    large, after = queries_for(client, url)

    if query == "":
        assert "Phòng thử nghiệm B10" in after.content.decode()  # the tree shows every unit
    else:
        shown = (len(before.context["units"]), len(after.context["units"]))
        assert shown[1] == min(shown[0] + 11, PAGE_SIZE)
        assert shown[0] == 1 or "thu" not in query  # the search finds only the added units
    assert large == small
    assert large <= measured + 2


@pytest.mark.parametrize("username", ["vanphong", "pct.kinhte", "gd.stc"])
def test_unit_detail_queries_do_not_grow(client_for: Any, unit: Any, username: str) -> None:
    stc = unit("STC")
    client = client_for(username)
    url = reverse("org:unit-detail", args=[stc.pk])
    client.get(url)
    small, before = queries_for(client, url)

    add_units([stc], 6, tag="C")
    add_units([unit("UBND")], 3, tag="H", kind=UnitKind.DISTRICT, is_active=False, merged_into=stc)
    add_people([stc], 12, tag="D")
    area = AreaOfCharge.objects.create(
        vice_chairman=Person.objects.get(username="pct.vanxa"), name="Thử nghiệm"
    )
    area.units.add(stc)
    large, after = queries_for(client, url)

    assert len(after.context["people"]) == len(before.context["people"]) + 12
    assert len(after.context["children"]) == len(before.context["children"]) + 6
    assert len(after.context["merged_from"]) == len(before.context["merged_from"]) + 3
    assert len(after.context["in_charge"]) == len(before.context["in_charge"]) + 1
    assert large == small
    assert large <= 11 + 2  # measured when written: 11


PERSON_LISTS = [("", 7), ("?role=official", 7), ("?q=thu+nghiem", 7), ("?role=official&q=thu+nghiem", 7)]


@pytest.mark.parametrize(("query", "measured"), PERSON_LISTS)
def test_person_list_queries_do_not_grow(client_for: Any, query: str, measured: int) -> None:
    units = list(Unit.objects.filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.COMMUNE]))
    client = client_for("vanphong")
    url = reverse("org:person-list") + query
    add_people(units, 1, tag="A")
    client.get(url)
    small, before = queries_for(client, url)

    add_people(units, 11, tag="B")
    large, after = queries_for(client, url)

    shown = (len(before.context["people"]), len(after.context["people"]))
    assert shown[1] == min(shown[0] + 11, PAGE_SIZE)
    assert shown[0] == 1 or "thu" not in query  # the search finds only the added people
    assert len({p.unit_id for p in after.context["people"]}) > 1  # rows from several units
    assert large == small
    assert large <= measured + 2
