"""The task list: a person's scope, the filters (each the same rule as the reports), pagination in the database
and a number of queries that does not grow with the tasks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.followup.factories import make_directive, make_directive_task
from trongtam.followup.enums import Lifecycle, Source
from trongtam.followup.models import Task
from trongtam.org.models import Person, Unit

pytestmark = pytest.mark.django_db

URL = reverse("followup:task-list")
PAST, FUTURE = dt.date(2026, 3, 31), dt.date(2099, 12, 31)


@pytest.fixture
def tasks() -> dict[str, Task]:
    """A known set: the demo's key tasks are removed so that every count below is exact."""
    Task.objects.all().delete()
    sct, stc, sgd = (Unit.objects.get(code=c) for c in ("SCT", "STC", "SGDDT"))
    today = timezone.localdate()
    found = {
        "overdue": make_directive_task(lead_unit=sct, lifecycle=Lifecycle.IN_PROGRESS, deadline=PAST,
                                       title="Rà soát hồ sơ đất đai quá hạn"),
        "soon": make_directive_task(lead_unit=sct, lifecycle=Lifecycle.NOT_STARTED, deadline=today,
                                    due_soon_from=today, title="Báo cáo sắp đến hạn", urgent=True),
        "done": make_directive_task(lead_unit=sct, lifecycle=Lifecycle.DONE, on_time=True, deadline=PAST,
                                    title="Kế hoạch đã xong"),
        "stc": make_directive_task(lead_unit=stc, lifecycle=Lifecycle.IN_PROGRESS, deadline=FUTURE,
                                   title="Dự toán ngân sách"),
        "sgd": make_directive_task(lead_unit=sgd, lifecycle=Lifecycle.IN_PROGRESS, deadline=FUTURE,
                                   title="Tuyển sinh đầu cấp"),
    }  # fmt: skip
    found["stc"].coordinating_units.add(sct)  # SCT coordinates STC's task: its people see it too
    return found


def _titles(response: Any) -> set[str]:
    assert response.status_code == 200
    return {task.title for task in response.context["tasks"]}


def test_each_role_sees_exactly_its_scope(tasks: dict[str, Task], client_for: Any) -> None:
    everything = {t.title for t in tasks.values()}
    sct_scope = {tasks[k].title for k in ("overdue", "soon", "done", "stc")}
    assert _titles(client_for("chutich").get(URL)) == everything
    assert _titles(client_for("hdnd").get(URL)) == everything
    assert _titles(client_for("cv.sct").get(URL)) == sct_scope
    assert _titles(client_for("gd.stc").get(URL)) == {tasks["stc"].title}
    in_charge = Person.objects.get(username="pct.kinhte").charged_unit_ids
    expected = {
        t.title
        for t in tasks.values()
        if {t.lead_unit_id, *t.coordinating_units.values_list("pk", flat=True)} & in_charge
    }
    assert _titles(client_for("pct.kinhte").get(URL)) == expected  # fmt: skip
    assert client_for("congdan").get(URL).status_code == 403
    assert Client().get(URL)["Location"].startswith(reverse("login"))


def test_filters_use_the_same_rules_as_the_reports(tasks: dict[str, Task], client_for: Any) -> None:
    client = client_for("chutich")
    assert _titles(client.get(URL, {"outcome": "open_overdue"})) == {tasks["overdue"].title}
    assert _titles(client.get(URL, {"outcome": "done_on_time"})) == {tasks["done"].title}
    assert _titles(client.get(URL, {"deadline_state": "due_soon"})) == {tasks["soon"].title}
    assert _titles(client.get(URL, {"urgent": "true"})) == {tasks["soon"].title}
    assert _titles(client.get(URL, {"lifecycle": "done"})) == {tasks["done"].title}
    # Names are found without their diacritics, in the task and in the lead unit.
    assert _titles(client.get(URL, {"q": "ho so dat dai"})) == {tasks["overdue"].title}
    assert _titles(client.get(URL, {"unit": "tai chinh"})) == {tasks["stc"].title}
    assert _titles(client.get(URL, {"lead_unit": tasks["sgd"].lead_unit_id})) == {tasks["sgd"].title}
    assert _titles(client.get(URL, {"source": Source.KEY_TASK})) == set()
    vc = Person.objects.get(username="pct.kinhte")
    led_in_charge = {t.title for t in tasks.values() if t.lead_unit_id in vc.charged_unit_ids}
    assert _titles(client.get(URL, {"vice_chairman": vc.pk})) == led_in_charge


def test_a_directive_link_lists_its_tasks(tasks: dict[str, Task], client_for: Any) -> None:
    directive = make_directive()
    make_directive_task(directive, title="Nhiệm vụ của văn bản này")
    response = client_for("chutich").get(URL, {"directive": directive.pk})
    assert _titles(response) == {"Nhiệm vụ của văn bản này"}
    assert directive.number in response.content.decode()


def test_bad_filters_are_named_and_the_list_still_shows(tasks: dict[str, Task], client_for: Any) -> None:
    response = client_for("chutich").get(URL, {"assigned_from": "31/12/2026", "assigned_to": "01/01/2026"})
    assert response.status_code == 200
    assert "Ngày kết thúc không được trước ngày bắt đầu." in response.context["form"].errors["assigned_to"]
    assert len(_titles(response)) == len(tasks)
    response = client_for("chutich").get(URL, {"outcome": "late-ish"})
    assert "outcome" in response.context["form"].errors


def test_only_province_wide_roles_choose_a_vice_chairman(tasks: dict[str, Task], client_for: Any) -> None:
    assert "vice_chairman" in client_for("chutich").get(URL).context["form"].fields
    assert "vice_chairman" not in client_for("gd.sct").get(URL).context["form"].fields


def test_the_list_is_paginated_in_the_database_with_a_constant_number_of_queries(
    tasks: dict[str, Task], client_for: Any
) -> None:
    client = client_for("chutich")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"outcome": "open_in_time"}).status_code == 200
        return len(queries)

    few = count()
    assert few <= 8  # session, person, count, page, permissions, notifications
    directive = make_directive()
    sct = Unit.objects.get(code="SCT")
    for n in range(60):
        task = make_directive_task(directive, lead_unit=sct, title=f"Thêm {n}", deadline=FUTURE)
        task.coordinating_units.add(Unit.objects.get(code="STC"))
    assert count() == few
    response = client.get(URL, {"outcome": "open_in_time", "page": 3})
    assert response.context["page_obj"].number == 3
    assert response.context["page_obj"].paginator.count == 63
    assert len(response.context["tasks"]) == 13


def test_the_overview_links_each_unit_to_its_tasks(tasks: dict[str, Task], client_for: Any) -> None:
    client = client_for("chutich")
    page = client.get(reverse("overview:overview")).content.decode()
    sct = tasks["overdue"].lead_unit_id
    assert f"{URL}?lead_unit={sct}&amp;outcome=open_overdue" in page
    response = client.get(URL, {"lead_unit": sct, "outcome": "open_overdue"})
    assert _titles(response) == {tasks["overdue"].title}
    assert "Sở Công Thương" in response.content.decode()  # the chip that names the chosen unit


def test_the_overviews_links_keep_its_range(tasks: dict[str, Task], client_for: Any) -> None:
    page = client_for("chutich").get(
        reverse("overview:overview"), {"start": "01/01/2026", "end": "30/06/2026"}
    )
    html = page.content.decode()
    assert "&amp;outcome=open_overdue&amp;assigned_from=01/01/2026&amp;assigned_to=30/06/2026" in html


def test_a_directive_outside_the_scope_is_not_named(tasks: dict[str, Task], client_for: Any) -> None:
    hidden = make_directive(number="99/CT-UBND-MAT")
    make_directive_task(hidden, lead_unit=Unit.objects.get(code="SYT"))
    response = client_for("cv.sct").get(URL, {"directive": hidden.pk})
    assert "99/CT-UBND-MAT" not in response.content.decode()
    assert _titles(response) == set()


def test_a_vice_chairman_may_filter_to_their_own_charge(tasks: dict[str, Task], client_for: Any) -> None:
    """Led by their units only: the overview's row, which does not count tasks the units merely coordinate."""
    vc = Person.objects.get(username="pct.kinhte")
    response = client_for("pct.kinhte").get(URL, {"vice_chairman": vc.pk})
    assert _titles(response) == {t.title for t in tasks.values() if t.lead_unit_id in vc.charged_unit_ids}
