"""The Excel export of the overview: the same figures as the page, per unit group, in a bounded number of queries."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from tests.followup.factories import make_directive, make_directive_task
from trongtam.followup.domain import overview
from trongtam.followup.domain.status import Tally
from trongtam.followup.enums import Delivery, Lifecycle
from trongtam.followup.interfaces import exporters
from trongtam.followup.models import Task
from trongtam.org.models import Unit

pytestmark = pytest.mark.django_db

SHEETS = ["Tổng hợp", "Sở, ban, ngành", "Xã, phường, đặc khu", "Đơn vị khác", "Nhiệm vụ chậm, quá hạn"]
GROUP_SHEETS = SHEETS[1:4]
PAST, FUTURE = dt.date(2026, 3, 31), dt.date(2099, 12, 31)


def _province(extra: int = 0) -> None:
    """Tasks in every unit group: SCT (4 in the 2×2, 1 cancelled), STC and one of its divisions (agencies),
    a ward (communes), the service centre (others). `extra` adds open tasks to SCT."""
    if not extra:
        Task.objects.all().delete()  # start from known figures: no demo key tasks in the counts
    sct, stc, division, ward, centre = (
        Unit.objects.get(code=c) for c in ("SCT", "STC", "STC.P2", "XA01", "TTPVHCC")
    )
    make_directive_task(lead_unit=sct, lifecycle=Lifecycle.DONE, on_time=True, deadline=PAST)
    make_directive_task(lead_unit=sct, lifecycle=Lifecycle.DONE, on_time=False, deadline=PAST)
    make_directive_task(lead_unit=sct, lifecycle=Lifecycle.IN_PROGRESS, deadline=FUTURE)
    make_directive_task(
        lead_unit=sct,
        lifecycle=Lifecycle.IN_PROGRESS,
        deadline=PAST,
        original_deadline=dt.date(2026, 3, 16),  # extended once, still missed
        percent=40,
        delivery=Delivery.RED,
        title="Quá hạn SCT",
    )
    make_directive_task(lead_unit=sct, lifecycle=Lifecycle.CANCELLED, deadline=PAST)  # outside the 2×2
    make_directive_task(lead_unit=stc, lifecycle=Lifecycle.NOT_STARTED, deadline=PAST, title="Quá hạn STC")
    make_directive_task(lead_unit=division, lifecycle=Lifecycle.DONE, on_time=True, deadline=PAST)
    make_directive_task(lead_unit=ward, lifecycle=Lifecycle.DONE, on_time=True, deadline=PAST)
    make_directive_task(
        lead_unit=ward, lifecycle=Lifecycle.IN_PROGRESS, deadline=PAST, title="Quá hạn phường"
    )
    make_directive_task(lead_unit=centre, lifecycle=Lifecycle.IN_PROGRESS, deadline=FUTURE)
    for n in range(extra):
        make_directive_task(lead_unit=sct, lifecycle=Lifecycle.IN_PROGRESS, deadline=PAST, title=f"Thêm {n}")


def _workbook(response: Any) -> Workbook:
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _cells(row: tuple[Any, ...]) -> tuple[int, int, int, int]:
    return (row[1], row[2], row[3], row[4])


def _group_totals(book: Workbook) -> dict[str, tuple[int, ...]]:
    """The "Cộng" row of every unit-group sheet: the four cells and the total."""
    totals: dict[str, tuple[int, ...]] = {}
    for name in GROUP_SHEETS:
        last = list(book[name].iter_rows(values_only=True))[-1]
        assert last[0] == "Cộng"
        totals[name] = (*_cells(last), last[5])
    return totals


def _units_listed(book: Workbook) -> set[str]:
    return {
        row[0]
        for name in GROUP_SHEETS
        for row in book[name].iter_rows(min_row=2, values_only=True)
        if row[0] != "Cộng" and row[1] is not None
    }


def test_export_has_a_summary_a_sheet_per_unit_group_and_the_slow_tasks(client_for: Any) -> None:
    _province()

    response = client_for("chutich").get(reverse("overview:export"))

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-theo-doi_tu-dau_den-nay.xlsx"'
    book = _workbook(response)
    assert book.sheetnames == SHEETS
    assert book["Sở, ban, ngành"]["A1"].value == "Đơn vị chủ trì"
    assert book["Sở, ban, ngành"]["A1"].font.bold is True
    assert book["Sở, ban, ngành"].freeze_panes == "A2"
    assert [c.value for c in book["Sở, ban, ngành"][1]][1:] == [
        "Hoàn thành đúng hạn",
        "Hoàn thành quá hạn",
        "Đang thực hiện trong hạn",
        "Chưa hoàn thành, quá hạn",
        "Tổng",
        "Tỷ lệ hoàn thành",
        "Tỷ lệ đúng hạn",
    ]


def test_unit_group_totals_add_up_to_the_totals_the_page_shows(client_for: Any, person: Any) -> None:
    _province()
    client = client_for("chutich")
    today = timezone.localdate()

    book = _workbook(client.get(reverse("overview:export")))
    page_total: Tally = client.get(reverse("overview:overview")).context["total"]

    domain_total = overview.totals(overview.by_unit(overview.tasks_in_scope(person("chutich")), today))
    groups = _group_totals(book)
    summed = tuple(sum(g[i] for g in groups.values()) for i in range(5))
    expected = (
        domain_total.done_on_time,
        domain_total.done_late,
        domain_total.open_in_time,
        domain_total.open_overdue,
        domain_total.total,
    )
    assert summed == expected
    assert page_total == domain_total
    assert expected == (3, 1, 2, 3, 9)
    assert groups == {
        "Sở, ban, ngành": (2, 1, 1, 2, 6),  # SCT, STC and a division of STC
        "Xã, phường, đặc khu": (1, 0, 0, 1, 2),
        "Đơn vị khác": (0, 0, 1, 0, 1),  # the service centre
    }


def test_the_summary_states_the_range_the_totals_and_the_rates(client_for: Any) -> None:
    _province()

    response = client_for("chutich").get(
        reverse("overview:export"), {"start": "01/01/2026", "end": "31/12/2026"}
    )

    assert (
        response["Content-Disposition"]
        == 'attachment; filename="bao-cao-theo-doi_2026-01-01_2026-12-31.xlsx"'
    )
    summary = _workbook(response)["Tổng hợp"]
    rows = list(summary.iter_rows(values_only=True))
    assert rows[0][0] == "Báo cáo theo dõi thực hiện nhiệm vụ"
    assert rows[1][0].startswith("Nhiệm vụ giao từ 01/01/2026 đến 31/12/2026, tình trạng đến ngày ")
    facts = {r[0]: r[1] for r in rows[3:7]}
    assert facts["Phạm vi"] == "Toàn tỉnh"
    assert facts["Giao từ ngày"].date() == dt.date(2026, 1, 1)  # openpyxl reads Excel dates as datetimes
    assert facts["Đến ngày"].date() == dt.date(2026, 12, 31)
    assert facts["Ngày lập báo cáo"].date() == timezone.localdate()
    scope = next(r for r in rows[7:] if r[0] == "Toàn tỉnh")
    assert scope[1:6] == (3, 1, 2, 3, 9)
    assert scope[6] == pytest.approx(0.5714)  # 4 done ÷ (4 done + 3 overdue), as a percentage
    assert scope[7] == pytest.approx(0.4286)
    assert summary["B5"].number_format == "dd/mm/yyyy"
    sections = [r[0] for r in rows]
    assert "Theo nhóm đơn vị" in sections
    assert "Theo Phó Chủ tịch phụ trách" in sections
    assert "Theo lĩnh vực" in sections


def test_the_slow_sheet_lists_the_overdue_tasks_with_excel_dates(client_for: Any) -> None:
    _province()

    sheet = _workbook(client_for("chutich").get(reverse("overview:export")))["Nhiệm vụ chậm, quá hạn"]

    header = [c.value for c in sheet[1]]
    assert header == [
        "Nhiệm vụ",
        "Đơn vị chủ trì",
        "Số, ký hiệu văn bản",
        "Thời hạn",
        "Thời hạn ban đầu",
        "Tiến độ",
        "Đánh giá tiến độ",
    ]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert set(rows) == {"Quá hạn SCT", "Quá hạn STC", "Quá hạn phường"}
    sct = rows["Quá hạn SCT"]
    assert sct[1].value == "Sở Công Thương"
    assert sct[2].value.endswith("/TB-UBND")
    assert sct[3].value.date() == PAST
    assert sct[3].number_format == "dd/mm/yyyy"
    assert sct[4].value.date() == dt.date(2026, 3, 16)
    assert sct[4].number_format == "dd/mm/yyyy"
    assert sct[5].value == pytest.approx(0.4)
    assert sct[6].value == "Chậm tiến độ"
    assert rows["Quá hạn STC"][4].value is None  # never extended: no original deadline shown


def test_a_capped_slow_sheet_says_so(client_for: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _province()
    monkeypatch.setattr(exporters, "SLOW_LIMIT", 2)

    book = _workbook(client_for("chutich").get(reverse("overview:export")))

    values = [row[0] for row in book["Nhiệm vụ chậm, quá hạn"].iter_rows(min_row=2, values_only=True)]
    assert len([v for v in values if v and v.startswith("Quá hạn")]) == 2
    assert values[-1].startswith("Chỉ liệt kê 2 trong 3 nhiệm vụ chậm, quá hạn")
    summary = [row[0] for row in book["Tổng hợp"].iter_rows(values_only=True)]
    assert any(v and "chỉ liệt kê 2 trong 3" in v for v in summary)


def test_a_head_exports_only_their_unit(client_for: Any) -> None:
    _province()

    book = _workbook(client_for("gd.stc").get(reverse("overview:export")))

    assert book.sheetnames == SHEETS
    assert _units_listed(book) == {"Sở Tài chính"}
    assert _group_totals(book)["Sở, ban, ngành"] == (0, 0, 0, 1, 1)
    slow = [row[0] for row in book["Nhiệm vụ chậm, quá hạn"].iter_rows(min_row=2, values_only=True)]
    assert slow == ["Quá hạn STC"]
    assert book["Tổng hợp"]["B4"].value == "Sở Tài chính"


def test_a_vice_chairman_exports_only_their_units(client_for: Any) -> None:
    _province()

    book = _workbook(client_for("pct.kinhte").get(reverse("overview:export")))

    assert _units_listed(book) == {
        "Sở Công Thương",
        "Sở Tài chính",
        "Phòng Quản lý ngân sách — Sở Tài chính",
        "Phường Sơn Hà",
    }


def test_a_citizen_cannot_export(client_for: Any) -> None:
    assert client_for("congdan").get(reverse("overview:export")).status_code == 403


def test_an_invalid_range_goes_back_to_the_page_with_the_errors(client_for: Any) -> None:
    client = client_for("chutich")
    params = {"period": "quarter", "number": "5"}

    response = client.get(reverse("overview:export"), params)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('overview:overview')}?period=quarter&number=5"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "number" in page.context["form"].errors
    assert "Chưa xuất được tệp Excel" in page.content.decode()
    backwards = client.get(reverse("overview:export"), {"start": "31/12/2026", "end": "01/01/2026"})
    assert backwards.status_code == 302
    garbage = client.get(reverse("overview:export"), {"start": "hôm qua"})
    assert garbage.status_code == 302


def test_the_page_links_to_the_export_with_its_query_string(client_for: Any) -> None:
    page = client_for("chutich").get(
        reverse("overview:overview"), {"period": "month", "year": "2026", "number": "2"}
    )

    assert (
        f'href="{reverse("overview:export")}?period=month&amp;year=2026&amp;number=2"'
        in page.content.decode()
    )


def test_unit_groups_follow_the_kind_of_the_unit_or_the_unit_above() -> None:
    codes = ("SCT", "STC.P1", "XA01", "XA25", "TTPVHCC", "UBND", "H.SONDONG")
    rows = [overview.Row(Unit.objects.get(code=code).pk, code, Tally(open_in_time=1)) for code in codes]

    groups = {g.group: [r.label for r in g.rows] for g in exporters.unit_groups(rows)}

    assert groups == {
        exporters.UnitGroup.AGENCIES: ["SCT", "STC.P1"],  # a department's division counts with it
        exporters.UnitGroup.COMMUNES: ["XA01", "XA25"],  # a ward and a commune
        exporters.UnitGroup.OTHERS: ["TTPVHCC", "UBND", "H.SONDONG"],
    }


@pytest.mark.parametrize("username", ["chutich", "pct.kinhte", "gd.sct"])
def test_the_number_of_queries_does_not_grow_with_the_tasks(
    client_for: Any, username: str, django_assert_max_num_queries: Any
) -> None:
    _province()
    client = client_for(username)
    with django_assert_max_num_queries(10), CaptureQueriesContext(connection) as small:
        client.get(reverse("overview:export"))

    _province(extra=30)
    make_directive_task(directive=make_directive(), lead_unit=Unit.objects.get(code="XA02"), deadline=PAST)
    with django_assert_max_num_queries(10), CaptureQueriesContext(connection) as large:
        response = client.get(reverse("overview:export"))

    assert response.status_code == 200
    assert len(large) == len(small)


def test_a_capped_slow_list_costs_one_count_query_more(
    client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _province()
    _province(extra=20)
    client = client_for("chutich")
    with CaptureQueriesContext(connection) as whole:
        client.get(reverse("overview:export"))
    monkeypatch.setattr(exporters, "SLOW_LIMIT", 5)
    with CaptureQueriesContext(connection) as capped:
        client.get(reverse("overview:export"))

    assert len(capped) == len(whole) + 1  # the slow tasks are counted only when the list is cut


def test_text_that_looks_like_a_formula_stays_text(client_for: Any) -> None:
    """A title typed as `=HYPERLINK(...)` must not become a live formula in the Chairman's workbook."""
    Task.objects.all().delete()
    make_directive_task(
        lead_unit=Unit.objects.get(code="SCT"), lifecycle=Lifecycle.IN_PROGRESS, deadline=PAST,
        title='=HYPERLINK("http://vi-du.invalid","Bấm vào đây")',
    )  # fmt: skip
    response = client_for("chutich").get(reverse("overview:export"))
    sheet = _workbook(response)["Nhiệm vụ chậm, quá hạn"]
    titles = [
        row[0] for row in sheet.iter_rows(min_row=2) if row[0].value and str(row[0].value).startswith("=")
    ]
    assert titles, "the task is listed"
    assert all(cell.data_type == "s" for cell in titles)
