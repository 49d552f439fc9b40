"""Directives through the JSON API: the list in each role's scope, one directive, and entering one with its tasks.
Every refused write checks that nothing was written."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.directives.test_pages import WHO_OPENS_A_DIRECTIVE
from tests.followup.factories import make_directive, make_directive_task
from trongtam.core.models import AuditEntry, Notification
from trongtam.directives.models import Directive, Recurrence
from trongtam.followup.enums import Lifecycle
from trongtam.followup.models import Task
from trongtam.org.models import Unit

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

API = "/api/v1"
ISSUED = "2026-02-06"  # a Friday, a week before Tết Bính Ngọ


# --- helpers ------------------------------------------------------------------------------------------------


def post(client: Client, body: dict[str, Any]) -> Any:
    return client.post(f"{API}/directives", json.dumps(body), content_type="application/json")


def unit_id(code: str) -> int:
    return Unit.objects.get(code=code).pk


def written() -> dict[str, int]:
    """What a refused write must leave unchanged."""
    return {
        "directives": Directive.objects.count(),
        "tasks": Task.objects.count(),
        "recurrences": Recurrence.objects.count(),
        "audit": AuditEntry.objects.count(),
        "notifications": Notification.objects.count(),
    }


def task(code: str = "SCT", **changes: Any) -> dict[str, Any]:
    return {
        "title": "Rà soát thủ tục đầu tư",
        "lead_unit_id": unit_id(code),
        "deadline": {"kind": "date", "date": "2026-09-30"},
        **changes,
    }


def document(*tasks: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {
        "number": "45/TB-UBND",
        "issued_on": ISSUED,
        "kind": "conclusion",
        "signer": "Nguyễn Văn An",
        "excerpt": "Kết luận của Chủ tịch UBND tỉnh tại cuộc họp giao ban tháng 2/2026",
        "tasks": list(tasks) or [task()],
        **changes,
    }


def listed(client: Client, **params: Any) -> list[str]:
    response = client.get(f"{API}/directives", params)
    assert response.status_code == 200, response.content
    return [d["number"] for d in response.json()["items"]]


# --- entering a directive -------------------------------------------------------------------------------------


def test_the_office_enters_a_directive_with_every_kind_of_deadline(client_for: Any, person: Any) -> None:
    body = document(
        task("SCT", title="Rà soát thủ tục đầu tư", deadline={"kind": "working_days", "working_days": 15},
             coordinating_unit_ids=[unit_id("STC")]),
        task("STC", title="Báo cáo giải ngân vốn đầu tư công",
             deadline={"kind": "recurring", "frequency": "monthly", "day": 20, "until": "2026-06-30"}),
        task("SXD", title="Hoàn thành đề án", deadline={"kind": "date", "date": "2026-09-30"}, urgent=True,
             description="Trình UBND tỉnh trước ngày 30/9"),
        task("SCT", title="Theo dõi, đôn đốc", deadline={"kind": "none"}),
    )  # fmt: skip
    before = written()

    response = post(client_for("vanphong"), body)

    assert response.status_code == 201, response.json()
    created = response.json()
    directive = Directive.objects.get(pk=created["id"])
    assert (directive.number, directive.created_by, directive.kind) == (
        "45/TB-UBND",
        person("vanphong"),
        "conclusion",
    )
    assert created["kind_label"] == "Thông báo kết luận"
    assert created["file_url"] is None
    tasks = {t.title: t for t in directive.tasks.all()}
    # 15 working days from Fri 6/2/2026, Tết 16-20/2 skipped: Fri 6/3/2026
    assert tasks["Rà soát thủ tục đầu tư"].deadline == dt.date(2026, 3, 6)
    assert [u.code for u in tasks["Rà soát thủ tục đầu tư"].coordinating_units.all()] == ["STC"]
    assert tasks["Hoàn thành đề án"].urgent is True
    assert tasks["Hoàn thành đề án"].description == "Trình UBND tỉnh trước ngày 30/9"
    assert tasks["Theo dõi, đôn đốc"].deadline is None
    assert directive.tasks.filter(series__isnull=False).count() == 5  # the 20th of February to June
    assert written()["directives"] == before["directives"] + 1
    assert written()["tasks"] == before["tasks"] + 8
    assert created["task_count"] == 8
    assert len(created["tasks"]) == 8
    assert created["tasks"][0]["title"] == "Báo cáo giải ngân vốn đầu tư công (kỳ hạn 23/02/2026)"
    assert created["tasks"][-1]["deadline"] is None
    assert AuditEntry.objects.filter(object_type="directives.directive", object_id=str(directive.pk)).exists()
    notified = set(
        Notification.objects.filter(url=directive.get_absolute_url()).values_list(
            "recipient__username", flat=True
        )
    )
    assert {"gd.sct", "gd.stc"} <= notified


def test_the_chairman_may_enter_one_too(client_for: Any) -> None:
    response = post(client_for("chutich"), document())

    assert response.status_code == 201, response.json()
    assert response.json()["created_by"]["username"] == "chutich"


@pytest.mark.parametrize("username", ["gd.sct", "pct.kinhte", "hdnd", "congdan"])
def test_only_the_office_and_the_chairman_enter_directives(client_for: Any, username: str) -> None:
    before = written()

    response = post(client_for(username), document())

    assert response.status_code == 403
    assert response.json()["detail"] == "Bạn không có quyền thực hiện thao tác này."
    assert written() == before


def test_a_deadline_before_the_document_date_is_a_400_naming_it(client_for: Any) -> None:
    before = written()
    body = document(task(), task("SXD", deadline={"kind": "date", "date": "2026-01-31"}))

    response = post(client_for("vanphong"), body)

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "tasks.1.deadline.date": ["Nhiệm vụ 2: thời hạn 31/01/2026 trước ngày ban hành văn bản 06/02/2026."]
    }
    assert written() == before


def test_a_coordinating_unit_that_also_leads_is_a_400_naming_it(client_for: Any) -> None:
    before = written()
    body = document(task("SCT", coordinating_unit_ids=[unit_id("STC"), unit_id("SCT")]))

    response = post(client_for("vanphong"), body)

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "tasks.0.coordinating_unit_ids": [
            "Nhiệm vụ 1: đơn vị chủ trì không được đồng thời là đơn vị phối hợp."
        ]
    }
    assert written() == before


def test_every_rule_is_named_at_once_by_the_bodys_fields(client_for: Any) -> None:
    make_directive(number="45/TB-UBND", issued_on=dt.date(2026, 2, 6))
    before = written()
    body = document(
        task("SCT", deadline={"kind": "recurring", "frequency": "monthly", "day": 10, "until": "2026-01-01"}),
        task("STC", deadline={"kind": "recurring", "frequency": "quarterly", "day": 15}),
        task("SXD", deadline={"kind": "date"}),
    )

    response = post(client_for("vanphong"), body)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {
        "number",
        "tasks.0.deadline.until",
        "tasks.1.deadline.until",
        "tasks.2.deadline.date",
    }
    assert errors["number"] == ["Văn bản số 45/TB-UBND cùng ngày ban hành đã được nhập."]
    assert written() == before


def test_the_pages_form_checks_first_unknown_units_and_lengths(client_for: Any) -> None:
    former = Unit.objects.get(code="H.SONDONG")  # merged away: no longer active
    before = written()
    body = document(
        task("SCT", coordinating_unit_ids=[999_999]),
        task("SCT", lead_unit_id=former.pk, title="x" * 501),
        task("SCT", deadline={"kind": "working_days", "working_days": 0}),
        signer="",
    )

    response = post(client_for("vanphong"), body)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {
        "signer",
        "tasks.0.coordinating_unit_ids",
        "tasks.1.lead_unit_id",
        "tasks.1.title",
        "tasks.2.deadline.working_days",
    }
    assert written() == before


def test_a_future_document_or_no_task_is_a_400(client_for: Any) -> None:
    before = written()
    client = client_for("vanphong")

    future = post(client, document(issued_on="2099-01-05", tasks=[task(deadline={"kind": "none"})]))
    empty = post(client, document(tasks=[]))

    assert future.status_code == 400
    assert future.json()["errors"] == {"issued_on": ["Ngày ban hành không được sau hôm nay."]}
    assert empty.status_code == 400
    assert empty.json()["errors"] == {"tasks": ["Văn bản cần có ít nhất một nhiệm vụ."]}
    assert written() == before


def test_the_wrong_shape_is_a_422_naming_the_fields(client_for: Any) -> None:
    before = written()
    body = document(
        task(deadline={"kind": "someday"}),
        task(deadline={"kind": "recurring", "frequency": "weekly", "day": "x", "until": "2026-13-01"}),
        kind="memo",
    )
    del body["signer"]

    response = post(client_for("vanphong"), body)

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {
        "signer",
        "kind",
        "tasks.0.deadline.kind",
        "tasks.1.deadline.frequency",
        "tasks.1.deadline.day",
        "tasks.1.deadline.until",
    }
    assert errors["signer"] == ["Thiếu trường bắt buộc này."]
    assert errors["tasks.1.deadline.day"] == ["Phải là một số nguyên."]
    assert errors["tasks.0.deadline.kind"] == [
        "Giá trị không hợp lệ; chọn một trong: 'date', 'working_days', 'recurring', 'none'."
    ]
    assert written() == before


# --- reading: scope, search, pagination -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        pytest.param("chutich", ["SXD", "SYT", "SCT"], id="chairman"),
        pytest.param("hdnd", ["SXD", "SYT", "SCT"], id="council"),
        pytest.param("pct.kinhte", ["SXD", "SCT"], id="vc-economy"),
        pytest.param("pct.vanxa", ["SYT"], id="vc-culture-society"),
        pytest.param("gd.sct", ["SCT"], id="head-of-lead-unit"),
        pytest.param("gd.stc", ["SCT"], id="head-of-coordinating-unit"),
    ],
)
def test_the_list_holds_each_roles_scope_latest_first(
    client_for: Any, documents: dict[str, Directive], username: str, expected: list[str]
) -> None:
    assert listed(client_for(username)) == [documents[code].number for code in expected]


@pytest.mark.parametrize("username", ["congdan", "pgd.sct", "cv.sct"])
def test_the_list_is_refused_to_roles_without_it(client_for: Any, username: str) -> None:
    response = client_for(username).get(f"{API}/directives")

    assert response.status_code == 403


def test_the_list_counts_the_tasks_in_scope_and_searches_without_diacritics(
    client_for: Any, documents: dict[str, Directive]
) -> None:
    make_directive_task(documents["SCT"], lead_unit=Unit.objects.get(code="SYT"), title="Việc của Sở Y tế")
    chairman, head = client_for("chutich"), client_for("gd.sct")

    counts = {d["number"]: d["task_count"] for d in chairman.get(f"{API}/directives").json()["items"]}
    own = head.get(f"{API}/directives").json()["items"]

    assert counts == {"11/TB-UBND": 2, "12/CT-UBND": 1, "13/KH-UBND": 2}
    assert [(d["number"], d["task_count"]) for d in own] == [("11/TB-UBND", 1)]
    assert listed(chairman, q="nha o xa hoi") == ["13/KH-UBND"]
    assert listed(chairman, q="XUAT KHAU") == ["11/TB-UBND"]
    assert listed(chairman, q="12/CT") == ["12/CT-UBND"]
    assert listed(head, q="nha o xa hoi") == []


def test_the_list_is_paginated(client_for: Any, documents: dict[str, Directive]) -> None:
    page = client_for("chutich").get(f"{API}/directives", {"page_size": 2, "page": 2}).json()

    assert page["count"] == 3
    assert [d["number"] for d in page["items"]] == ["11/TB-UBND"]


@pytest.mark.parametrize(
    ("username", "status"),
    WHO_OPENS_A_DIRECTIVE,
)
def test_who_opens_a_directive(
    client_for: Any, documents: dict[str, Directive], username: str, status: int
) -> None:
    response = client_for(username).get(f"{API}/directives/{documents['SCT'].pk}")

    assert response.status_code == status
    if status == 404:
        assert response.json()["detail"] == "Không tìm thấy, hoặc bản ghi nằm ngoài phạm vi của bạn."


def test_the_detail_holds_only_the_tasks_the_person_may_see(client_for: Any) -> None:
    directive = make_directive(number="20/TB-UBND")
    make_directive_task(directive, title="Việc của Sở Công Thương", deadline=dt.date(2026, 5, 15))
    make_directive_task(
        directive,
        title="Việc của Sở Y tế",
        lead_unit=Unit.objects.get(code="SYT"),
        lifecycle=Lifecycle.DONE,
        on_time=True,
    )

    own = client_for("gd.sct").get(f"{API}/directives/{directive.pk}").json()
    everything = client_for("chutich").get(f"{API}/directives/{directive.pk}").json()

    assert [t["title"] for t in own["tasks"]] == ["Việc của Sở Công Thương"]
    assert own["task_count"] == 1
    assert own["tasks"][0]["deadline"] == "2026-05-15"
    assert own["tasks"][0]["lead_unit"]["code"] == "SCT"
    assert own["tasks"][0]["directive"]["number"] == "20/TB-UBND"
    assert own["created_by"]["username"] == "vanphong"
    assert {t["title"]: t["outcome"] for t in everything["tasks"]} == {
        "Việc của Sở Công Thương": "open_overdue"
        if timezone.localdate() > dt.date(2026, 5, 15)
        else "open_in_time",
        "Việc của Sở Y tế": "done_on_time",
    }


def test_a_directive_without_tasks_is_seen_only_by_those_who_see_every_task(client_for: Any) -> None:
    empty = make_directive(number="30/TB-UBND")

    assert client_for("vanphong").get(f"{API}/directives/{empty.pk}").status_code == 200
    assert client_for("gd.sct").get(f"{API}/directives/{empty.pk}").status_code == 404


def test_an_unknown_directive_is_a_404(client_for: Any) -> None:
    assert client_for("chutich").get(f"{API}/directives/999999").status_code == 404


# --- query counts -----------------------------------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("username", ["chutich", "pct.kinhte", "gd.sct"])
def test_the_list_and_the_detail_take_the_same_queries_whatever_the_number_of_rows(
    client_for: Any, username: str, django_assert_max_num_queries: Any
) -> None:
    client = client_for(username)
    directive = make_directive()
    make_directive_task(directive)
    list_url, detail_url = f"{API}/directives", f"{API}/directives/{directive.pk}"
    with django_assert_max_num_queries(8):
        client.get(list_url)
    few = (_queries(client, list_url), _queries(client, detail_url))

    for _ in range(6):
        make_directive_task(make_directive())
        make_directive_task(directive)

    assert (_queries(client, list_url), _queries(client, detail_url)) == few
