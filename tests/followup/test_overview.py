"""The overview: the 2×2 per unit, sector and Vice-Chairman, scoped by role, in a constant number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.followup.factories import make_directive_task
from trongtam.followup.domain.overview import reporting_period
from trongtam.followup.enums import Lifecycle
from trongtam.followup.models import Task
from trongtam.org.models import Unit

pytestmark = pytest.mark.django_db


def test_decree_09_reporting_periods() -> None:
    assert reporting_period("month", 2026, 3) == (dt.date(2026, 2, 15), dt.date(2026, 3, 14))
    assert reporting_period("month", 2026, 1) == (dt.date(2025, 12, 15), dt.date(2026, 1, 14))
    assert reporting_period("quarter", 2026, 2) == (dt.date(2026, 3, 15), dt.date(2026, 6, 14))
    assert reporting_period("half", 2026, 2) == (dt.date(2026, 6, 15), dt.date(2026, 12, 14))
    assert reporting_period("year", 2026) == (dt.date(2025, 12, 15), dt.date(2026, 12, 14))


def _province(extra: int = 0) -> None:
    """SCT: 1 done on time, 1 done late, 1 open in time, 1 open overdue; STC (same VC): 1 open overdue;
    SGDDT (another VC): 1 done on time. `extra` adds more open tasks to SCT."""
    if not extra:
        Task.objects.all().delete()  # start from known figures: no demo key tasks in the counts
    sct, stc, sgd = (Unit.objects.get(code=c) for c in ("SCT", "STC", "SGDDT"))
    past, future = dt.date(2026, 3, 31), dt.date(2099, 12, 31)
    make_directive_task(lead_unit=sct, lifecycle=Lifecycle.DONE, on_time=True, deadline=past)
    make_directive_task(lead_unit=sct, lifecycle=Lifecycle.DONE, on_time=False, deadline=past)
    make_directive_task(lead_unit=sct, lifecycle=Lifecycle.IN_PROGRESS, deadline=future)
    make_directive_task(lead_unit=sct, lifecycle=Lifecycle.IN_PROGRESS, deadline=past, title="Quá hạn SCT")
    make_directive_task(lead_unit=stc, lifecycle=Lifecycle.NOT_STARTED, deadline=past, title="Quá hạn STC")
    make_directive_task(lead_unit=sgd, lifecycle=Lifecycle.DONE, on_time=True, deadline=past)
    make_directive_task(lead_unit=sct, lifecycle=Lifecycle.CANCELLED, deadline=past)  # outside the 2×2
    for n in range(extra):
        make_directive_task(
            lead_unit=sct, lifecycle=Lifecycle.IN_PROGRESS, deadline=future, title=f"Thêm {n}"
        )


def test_the_chairman_sees_the_province_in_the_government_2x2(client_for: Any) -> None:
    _province()
    context = client_for("chutich").get(reverse("overview:overview")).context
    total = context["total"]
    assert (total.done_on_time, total.done_late, total.open_in_time, total.open_overdue) == (2, 1, 1, 2)
    assert str(total.completion_rate) == "60.00"  # 3 done ÷ (3 done + 2 overdue)
    units = {row.label: row.tally for row in context["units"]}
    assert units["Sở Công Thương"].total == 4
    vcs = {row.label: row.tally for row in context["vice_chairmen"]}
    assert len(vcs) == 2
    assert sorted(t.total for t in vcs.values()) == [1, 5]
    assert {t.title for t in context["slow"]} == {"Quá hạn SCT", "Quá hạn STC"}


def test_a_vice_chairman_sees_only_their_units_and_a_head_only_their_own(client_for: Any) -> None:
    _province()
    vc = client_for("pct.kinhte").get(reverse("overview:overview")).context
    assert {row.label for row in vc["units"]} == {"Sở Công Thương", "Sở Tài chính"}
    head = client_for("gd.stc").get(reverse("overview:overview")).context
    assert [row.label for row in head["units"]] == ["Sở Tài chính"]
    assert client_for("congdan").get(reverse("overview:overview")).status_code == 403


def test_a_range_counts_the_tasks_assigned_in_it(client_for: Any) -> None:
    _province()
    response = client_for("chutich").get(
        reverse("overview:overview"), {"start": "01/01/2027", "end": "31/12/2027"}
    )
    assert response.context["total"].total == 0
    bad = client_for("chutich").get(reverse("overview:overview"), {"period": "quarter", "number": "5"})
    assert "number" in bad.context["form"].errors


def test_the_page_shows_charts_from_local_files(client_for: Any) -> None:
    _province()
    page = client_for("chutich").get(reverse("overview:overview")).content.decode()
    assert "/static/vendor/echarts/echarts.min.js" in page
    assert 'id="unit-data"' in page


def test_the_number_of_queries_does_not_grow_with_the_data(client_for: Any) -> None:
    _province()
    client = client_for("chutich")
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("overview:overview"))
    _province(extra=40)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("overview:overview"))
    assert len(large) == len(small)
    assert len(small) <= 15
