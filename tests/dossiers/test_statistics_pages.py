"""The statistics page, its Excel export and GET /dossier-statistics: the same numbers, the person's scope, and a
number of queries that does not grow with the units or dossiers."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.dossiers.factories import at, make_dossier, make_procedure
from trongtam.dossiers.domain import statistics
from trongtam.dossiers.domain.statistics import Filters, Grouping, Window
from trongtam.dossiers.enums import Channel, DossierStatus
from trongtam.org.enums import UnitKind
from trongtam.org.models import Unit

pytestmark = pytest.mark.django_db

S = DossierStatus
API = "/api/v1/dossier-statistics"
MARCH = {"start": "01/03/2026", "end": "31/03/2026"}
_codes = itertools.count(1)


def d(month: int, day: int) -> dt.date:
    return dt.date(2026, month, day)


def commune(name: str = "Xã Thống Kê") -> Unit:
    province = Unit.objects.get(kind=UnitKind.PROVINCE)
    return Unit.objects.create(code=f"XATKP{next(_codes)}", name=name, kind=UnitKind.COMMUNE, parent=province)


def fill(unit: Unit, count: int = 1) -> None:
    """A few dossiers of each kind the report separates."""
    procedure = make_procedure("T-TK-PAGE", field="Chứng thực")
    for _ in range(count):
        make_dossier(unit, procedure, at(d(3, 2)), S.DONE, finished_on=d(3, 5), due_date=d(3, 9))
        make_dossier(unit, procedure, at(d(3, 2)), S.DONE, finished_on=d(3, 12), due_date=d(3, 9))
        make_dossier(unit, procedure, at(d(3, 2)), S.IN_PROCESS, due_date=d(3, 9), channel=Channel.ONLINE)
        make_dossier(unit, procedure, at(d(2, 20)), S.RETURNED, finished_on=d(3, 2), due_date=d(2, 27))
        make_dossier(unit, procedure, at(d(3, 3)), S.WITHDRAWN, finished_on=d(3, 4), channel=Channel.POST)


def test_the_page_shows_the_report_of_the_range(client_for: Any) -> None:
    unit = commune()
    fill(unit)
    response = client_for("chutich").get(reverse("dossiers:statistics"), {**MARCH, "unit": unit.pk})
    assert response.status_code == 200
    total = response.context["total"]
    assert (total.total, total.received, total.carried_over, total.processed) == (5, 4, 1, 3)
    assert (total.early, total.late, total.open_overdue, total.withdrawn) == (1, 2, 1, 1)
    assert total.on_time_rate == statistics.Figures(early=1, late=2, withdrawn=1).on_time_rate
    html = response.content.decode()
    assert "Xã Thống Kê" in html
    assert "Tỷ lệ giải quyết đúng hạn (QĐ 766)" in html
    assert 'id="unit-chart-data"' in html
    assert 'id="month-chart-data"' in html


@pytest.mark.parametrize("group", ["unit", "procedure", "channel", "month"])
def test_the_page_queries_do_not_grow_with_units_or_dossiers(client_for: Any, group: str) -> None:
    client = client_for("chutich")
    url = reverse("dossiers:statistics")
    query = {**MARCH, "group": group, "unit_group": "communes"}
    fill(commune())
    client.get(url, query)  # warm the session and the caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, query).status_code == 200
    for index in range(4):
        fill(commune(f"Xã Thêm {index}"), count=3)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url, query).status_code == 200
    assert len(large) == len(small)
    # The session, the person, permissions, the menu (5); the form's choices (2); the unit tree; three reports of
    # three or four queries (dossiers, letters, ratings, the names of the units or procedures).
    assert len(large) <= 20


def test_the_table_is_sorted_by_the_rate_and_its_total_adds_up(client_for: Any) -> None:
    good, bad = commune("Xã Tốt"), commune("Xã Chậm")
    procedure = make_procedure("T-TK-SORT")
    make_dossier(good, procedure, at(d(3, 2)), S.DONE, finished_on=d(3, 5), due_date=d(3, 9))
    make_dossier(bad, procedure, at(d(3, 2)), S.DONE, finished_on=d(3, 12), due_date=d(3, 9))
    client = client_for("chutich")
    response = client.get(reverse("dossiers:statistics"), {**MARCH, "field": procedure.field})
    rows = [row for row, _cells in response.context["rows"]]
    ours = [row.label for row in rows if row.label in ("Xã Tốt", "Xã Chậm")]
    assert ours == ["Xã Chậm", "Xã Tốt"]
    assert response.context["report"].total == sum((r.figures for r in rows), statistics.Figures())
    descending = client.get(
        reverse("dossiers:statistics"), {**MARCH, "field": procedure.field, "order": "-rate"}
    )
    labels = [row.label for row, _cells in descending.context["rows"] if row.label in ("Xã Tốt", "Xã Chậm")]
    assert labels == ["Xã Tốt", "Xã Chậm"]


def test_a_commune_chairman_sees_only_the_commune(client_for: Any, unit: Any) -> None:
    xa01 = unit("XA01")
    procedure = make_procedure("T-TK-SCOPE")
    make_dossier(xa01, procedure, at(d(3, 2)), S.IN_PROCESS)
    make_dossier(unit("XA02"), procedure, at(d(3, 2)), S.IN_PROCESS)
    client = client_for("ct.xa01")
    response = client.get(reverse("dossiers:statistics"), MARCH)
    assert {row.key for row, _cells in response.context["rows"]} == {xa01.pk}
    other = client.get(reverse("dossiers:statistics"), {**MARCH, "unit": unit("XA02").pk})
    assert other.context["form"].errors["unit"]
    assert {row.key for row, _cells in other.context["rows"]} <= {xa01.pk}


def test_a_citizen_may_not_see_the_statistics(client_for: Any) -> None:
    client = client_for("congdan")
    assert client.get(reverse("dossiers:statistics")).status_code == 403
    assert client.get(reverse("dossiers:statistics-export")).status_code == 403
    assert client.get(API).status_code == 403


def test_a_bad_range_is_shown_beside_its_field(client_for: Any) -> None:
    response = client_for("chutich").get(
        reverse("dossiers:statistics"), {"start": "31/03/2026", "end": "01/03/2026"}
    )
    assert response.status_code == 200
    assert "Ngày kết thúc không được trước ngày bắt đầu." in response.content.decode()
    export = client_for("chutich").get(reverse("dossiers:statistics-export"), {"start": "x"})
    assert export.status_code == 302


def _sheet_rows(sheet: Any) -> dict[str, list[Any]]:
    """The data rows of a grouping sheet by their label (column B), values from column C on."""
    found = {}
    for values in sheet.iter_rows(min_row=3, values_only=True):
        if values[1]:
            found[values[1]] = list(values[2:])
    return found


def test_the_export_has_the_numbers_of_the_screen_a_sheet_per_grouping(client_for: Any) -> None:
    first, second = commune("Xã Xuất Một"), commune("Xã Xuất Hai")
    fill(first)
    fill(second, count=2)
    client = client_for("chutich")
    query = {**MARCH, "field": "Chứng thực", "unit_group": "communes"}
    response = client.get(reverse("dossiers:statistics-export"), query)
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == 'attachment; filename="thong-ke-ho-so_2026-03-01_2026-03-31.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Tổng hợp", "Theo đơn vị", "Theo thủ tục", "Theo kênh nộp", "Theo tháng"]
    for group, sheet_name in [
        ("unit", "Theo đơn vị"),
        ("procedure", "Theo thủ tục"),
        ("month", "Theo tháng"),
    ]:
        page = client.get(reverse("dossiers:statistics"), {**query, "group": group})
        on_screen = {row.label: [c.value for c in cells] for row, cells in page.context["rows"]}
        on_screen["Tổng cộng"] = [c.value for c in page.context["total_cells"]]
        in_sheet = _sheet_rows(workbook[sheet_name])
        assert set(in_sheet) == set(on_screen)
        for label, values in on_screen.items():
            expected = [None if v is None else float(v) for v in values]
            assert [None if v is None else float(v) for v in in_sheet[label]] == expected, label
    summary = [row for row in workbook["Tổng hợp"].iter_rows(values_only=True) if row[2] == "TongSo"]
    page = client.get(reverse("dossiers:statistics"), query)
    assert summary[0][1] == page.context["total"].total >= 15


def test_the_api_answers_each_grouping_with_the_page_numbers(client_for: Any) -> None:
    unit = commune("Xã API")
    fill(unit)
    client = client_for("chutich")
    params = {"from": "2026-03-01", "to": "2026-03-31", "unit": unit.pk}
    by_unit = client.get(API, {**params, "group": "unit"})
    assert by_unit.status_code == 200
    body = by_unit.json()
    assert (body["from"], body["to"], body["group"]) == ("2026-03-01", "2026-03-31", "unit")
    (row,) = body["rows"]
    assert (row["key"], row["label"]) == (str(unit.pk), "Xã API")
    expected = statistics.report(
        Unit.objects.filter(pk=unit.pk), Filters(Window(d(3, 1), d(3, 31))), Grouping.UNIT
    )
    assert row["figures"]["total"] == expected.total.total == 5
    assert row["figures"]["on_time_rate"] == float(expected.total.on_time_rate)  # type: ignore[arg-type]
    assert body["total"] == row["figures"]
    months = client.get(API, {**params, "group": "month", "from": "2026-02-01"}).json()
    assert [r["key"] for r in months["rows"]] == ["2026-02-01", "2026-03-01"]
    assert months["rows"][1]["figures"]["carried_over"] == 1
    channels = client.get(API, {**params, "group": "channel"}).json()
    assert {r["key"]: r["figures"]["received"] for r in channels["rows"]} == {"1": 2, "2": 1, "3": 1}


def test_the_api_refuses_a_bad_range_and_hides_units_outside_the_scope(client_for: Any, unit: Any) -> None:
    chairman = client_for("chutich")
    bad = chairman.get(API, {"from": "2026-03-31", "to": "2026-03-01"})
    assert bad.status_code == 400
    assert list(bad.json()["errors"]) == ["to"]
    assert chairman.get(API, {"group": "week"}).status_code == 422
    commune_chairman = client_for("ct.xa01")
    assert commune_chairman.get(API, {"unit": unit("XA02").pk}).status_code == 404
    assert commune_chairman.get(API, {"unit": unit("XA01").pk}).status_code == 200
