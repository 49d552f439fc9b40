"""Procedures and dossiers through the JSON API: the catalog, the list in the person's scope with the pages'
filters, one dossier with the moves open to the person, the counter entry, and the moves (400, 403, 404, 409).
Every refused write checks that nothing was written."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from tests.dossiers.factories import dossier_in, make_dossier, make_procedure
from trongtam.core.models import AuditEntry
from trongtam.dossiers.enums import DossierStatus
from trongtam.dossiers.models import Dossier, Procedure
from trongtam.org.models import Unit

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

API = "/api/v1"
S = DossierStatus


def send(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(API + path, json.dumps(body), content_type="application/json")


def written() -> tuple[int, int]:
    return Dossier.objects.count(), AuditEntry.objects.count()


# -- procedures -----------------------------------------------------------------------------------------------


def test_the_catalog_is_listed_and_searched(client_for: Any) -> None:
    procedure = make_procedure(
        "T-API-KS", name="Đăng ký khai sinh kết hợp", field="Hộ tịch", processing_days=0
    )
    body = client_for("cc.xa01").get(f"{API}/procedures", {"q": "khai sinh ket hop"}).json()
    assert body["count"] == 1
    assert body["items"][0] == {
        "id": procedure.pk, "code": "T-API-KS", "name": "Đăng ký khai sinh kết hợp", "field": "Hộ tịch",
        "level": "commune", "level_label": "Cấp xã", "processing_days": 0, "is_active": True,
    }  # fmt: skip
    assert client_for("cc.xa01").get(f"{API}/procedures/{procedure.pk}").json()["code"] == "T-API-KS"
    assert client_for("congdan").get(f"{API}/procedures").status_code == 403


def test_the_office_adds_a_procedure(client_for: Any) -> None:
    body = {
        "code": "9.API.001",
        "name": "Thủ tục thử",
        "field": "Thử",
        "level": "province",
        "processing_days": 4,
    }
    created = send(client_for("vanphong"), "/procedures", body)
    assert created.status_code == 201
    assert Procedure.objects.get(code="9.API.001").processing_days == 4
    again = send(client_for("vanphong"), "/procedures", body)
    assert again.status_code == 400
    assert again.json()["errors"] == {"code": ["Mã thủ tục «9.API.001» đã có trong danh mục."]}
    assert send(client_for("cc.xa01"), "/procedures", {**body, "code": "9.API.002"}).status_code == 403
    assert send(client_for("vanphong"), "/procedures", {**body, "processing_days": -2}).status_code == 422


# -- dossiers -------------------------------------------------------------------------------------------------


def test_the_list_is_the_persons_scope_with_the_pages_filters(client_for: Any) -> None:
    mine = dossier_in(S.DONE, code="API-L-1", applicant_name="Hồ Thị Ngọc Api Thử")
    dossier_in(S.IN_PROCESS, unit="XA02", code="API-L-2")
    body = client_for("cc.xa01").get(f"{API}/dossiers", {"q": "API-L"}).json()
    assert [item["code"] for item in body["items"]] == [mine.code]
    item = body["items"][0]
    assert (item["status"], item["status_label"], item["timeliness"]) == (9, "Đã xử lý xong", "early")
    assert "applicant_phone" not in item  # the list carries no phone
    chairman = client_for("chutich")
    assert chairman.get(f"{API}/dossiers", {"q": "API-L"}).json()["count"] == 2
    assert [
        i["code"] for i in chairman.get(f"{API}/dossiers", {"q": "ho thi ngoc api thu"}).json()["items"]
    ] == [mine.code]
    in_process = chairman.get(f"{API}/dossiers", {"q": "API-L", "status": 4}).json()["items"]
    assert [i["code"] for i in in_process] == ["API-L-2"]
    early = chairman.get(f"{API}/dossiers", {"q": "API-L", "timeliness": "early"}).json()["items"]
    assert [i["code"] for i in early] == [mine.code]
    bad = chairman.get(f"{API}/dossiers", {"received_from": "2026-03-05", "received_to": "2026-03-01"})
    assert bad.status_code == 400
    assert list(bad.json()["errors"]) == ["received_to"]
    assert client_for("congdan").get(f"{API}/dossiers").status_code == 403


def test_one_dossier_with_the_moves_open_to_the_person(client_for: Any) -> None:
    dossier = dossier_in(S.RECEIVED, applicant_phone="0977 000 111")
    url = f"{API}/dossiers/{dossier.pk}"
    body = client_for("cc.xa01").get(url).json()
    assert (body["code"], body["version"], body["due_date"], body["applicant_phone"]) == (
        dossier.code, 1, "2026-03-09", "0977 000 111",
    )  # fmt: skip
    assert [a["action"] for a in body["actions"]] == [
        "start", "request_supplement", "request_fees", "finish", "withdraw", "stop",
    ]  # fmt: skip
    assert body["actions"][1]["needs"] == ["on", "reason"]
    assert client_for("pct.kinhte").get(url).json()["actions"] == []
    assert client_for("cc.xa02").get(url).status_code == 404
    assert client_for("pct.vanxa").get(url).status_code == 404
    assert client_for("congdan").get(url).status_code == 403


def _entry(**changes: Any) -> dict[str, Any]:
    body = {
        "unit": Unit.objects.get(code="XA01").pk,
        "procedure": make_procedure("T-API-ENTRY", processing_days=2).pk,
        "applicant_name": "Đinh Văn Tú",
        "applicant_phone": "0935123456",
        "received_at": "2025-12-01T10:00:00+07:00",
    }
    body.update(changes)
    return body


def test_the_counter_entry_through_the_api(client_for: Any) -> None:
    response = send(client_for("cc.xa01"), "/dossiers", _entry())
    assert response.status_code == 201
    body = response.json()
    assert (body["code"], body["status"], body["due_date"], body["source"]) == (
        "XA01-251201-0001", 2, "2025-12-03", "api",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("username", "changes", "status", "fields"),
    [
        ("cc.xa01", {"applicant_phone": "1-2"}, 400, ["applicant_phone"]),
        ("cc.xa01", {"unit": 0, "procedure": 0}, 400, ["unit", "procedure"]),
        ("cc.xa02", {}, 400, ["unit"]),  # XA01 is not theirs to enter for
        ("cc.xa01", {"received_at": "2099-01-01T10:00:00+07:00"}, 400, ["received_at"]),
        ("cc.xa01", {"received_at": "hôm qua"}, 422, ["received_at"]),
        ("chutich", {}, 403, None),
        ("congdan", {}, 403, None),
    ],
)
def test_a_refused_counter_entry_writes_nothing(
    username: str, changes: dict[str, Any], status: int, fields: list[str] | None, client_for: Any
) -> None:
    before = written()
    response = send(client_for(username), "/dossiers", _entry(**changes))
    assert response.status_code == status
    if fields is not None:
        assert list(response.json()["errors"]) == fields
    assert written() == before


def test_moves_through_the_api(client_for: Any) -> None:
    dossier = dossier_in(S.IN_PROCESS)
    client = client_for("cc.xa01")
    path = f"/dossiers/{dossier.pk}/transitions"
    asked = send(
        client, path, {"action": "request_supplement", "version": 1, "on": "2026-03-04", "reason": "Thiếu"}
    )
    assert (asked.status_code, asked.json()["status"]) == (200, 5)
    brought = send(client, path, {"action": "supplement_received", "version": 2, "on": "2026-03-06"})
    assert (brought.json()["due_date"], brought.json()["paused_days"]) == ("2026-03-11", 2)
    before = written()
    stale = send(client, path, {"action": "finish", "version": 2, "on": "2026-03-10"})
    assert stale.status_code == 409
    wrong = send(client, path, {"action": "return_result", "version": 3, "on": "2026-03-10"})
    assert wrong.status_code == 409
    bad_day = send(client, path, {"action": "finish", "version": 3, "on": "2026-03-01"})
    assert (bad_day.status_code, list(bad_day.json()["errors"])) == (400, ["on"])
    unknown = send(client, path, {"action": "fly", "version": 3})
    assert unknown.status_code == 422
    assert send(client_for("pct.kinhte"), path, {"action": "finish", "version": 3}).status_code == 403
    assert send(client_for("cc.xa02"), path, {"action": "finish", "version": 3}).status_code == 404
    assert written() == before
    done = send(client, path, {"action": "finish", "version": 3, "on": "2026-03-10"})
    assert (done.json()["status"], done.json()["finished_on"], done.json()["timeliness"]) == (
        9,
        "2026-03-10",
        "early",
    )


def test_the_list_pages_in_the_database(client_for: Any, django_assert_max_num_queries: Any) -> None:
    for i in range(3):
        make_dossier("XA04", code=f"API-P-{i}", received_at=None)
    client = client_for("ct.xa04")
    with django_assert_max_num_queries(6):
        body = client.get(f"{API}/dossiers", {"q": "API-P", "page": 1}).json()
    assert body["count"] == 3
    assert dt.date.fromisoformat(body["items"][0]["received_on"]) == dt.date(2026, 3, 2)
