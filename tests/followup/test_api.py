"""Followed tasks through the JSON API: the filtered list, one task, every action of the task page with its
evidence files, and the overview. Every refused write checks that nothing was written."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.followup.factories import make_directive, make_directive_task
from trongtam.core.models import AuditEntry
from trongtam.followup.domain.tasks import ProgressInput, add_progress, report_completion, request_extension
from trongtam.followup.enums import Delivery, Lifecycle, Source
from trongtam.followup.models import (
    Evidence,
    ExtensionRequest,
    ExtensionStatus,
    ProgressUpdate,
    Task,
    TaskEvent,
)
from trongtam.org.models import Person, Unit

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

API = "/api/v1"
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


# --- helpers ------------------------------------------------------------------------------------------------


def pdf(name: str = "bao-cao.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def send(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(API + path, json.dumps(body), content_type="application/json")


def send_files(client: Client, path: str, payload: dict[str, Any], files: list[Any] | None = None) -> Any:
    """Multipart, as the API asks for evidence: the fields in JSON under `payload`, the files under `files`."""
    return client.post(API + path, {"payload": json.dumps(payload), "files": files or []})


def fresh(task: Task) -> Task:
    return Task.objects.get(pk=task.pk)


def written() -> dict[str, Any]:
    """What a refused write must leave unchanged."""
    return {
        "tasks": list(
            Task.objects.order_by("pk").values_list("pk", "version", "lifecycle", "deadline", "percent")
        ),
        "updates": ProgressUpdate.objects.count(),
        "evidence": Evidence.objects.count(),
        "extensions": list(ExtensionRequest.objects.order_by("pk").values_list("pk", "status")),
        "events": TaskEvent.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def due(task: Task) -> dt.date:
    assert task.deadline is not None
    return task.deadline


def person(username: str) -> Person:
    return Person.objects.get(username=username)


@pytest.fixture
def task() -> Task:
    """SCT leads, STC coordinates; assigned 2/3/2026 by the Office, due in two months."""
    deadline = timezone.localdate() + dt.timedelta(days=60)
    made = make_directive_task(
        lead_unit=Unit.objects.get(code="SCT"),
        deadline=deadline,
        due_soon_from=deadline - dt.timedelta(days=5),
        title="Rà soát thủ tục đầu tư kinh doanh",
    )
    made.coordinating_units.set([Unit.objects.get(code="STC")])
    return made


def reported(task: Task) -> Task:
    """The task reported done by the head of SCT, awaiting acceptance."""
    return report_completion(
        task.pk, by=person("gd.sct"), narrative="Đã xong", files=[pdf()], expected_version=None
    )


def detail(client: Client, task: Task) -> dict[str, Any]:
    response = client.get(f"{API}/tasks/{task.pk}")
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def actions(client: Client, task: Task) -> list[str]:
    return [a["action"] for a in detail(client, task)["actions"]]


# --- one task -------------------------------------------------------------------------------------------------------


def test_the_detail_shows_the_task_its_deadlines_and_history(client_for: Any, task: Task) -> None:
    add_progress(
        task.pk,
        ProgressInput(percent=30, narrative="Đã rà soát 30 thủ tục", files=[pdf()]),
        by=person("cv.sct"),
        expected_version=None,
    )
    request_extension(
        task.pk,
        by=person("gd.sct"),
        new_deadline=due(task) + dt.timedelta(days=30),
        reason="Chờ ý kiến của bộ",
        expected_version=None,
    )

    body = detail(client_for("pct.kinhte"), task)

    assert body["version"] == fresh(task).version == 3
    assert (body["lifecycle"], body["lifecycle_label"]) == ("in_progress", "Đang thực hiện")
    assert (body["deadline_state"], body["deadline_state_label"]) == ("in_time", "Trong hạn")
    assert (body["outcome"], body["outcome_label"]) == ("open_in_time", "Đang thực hiện trong hạn")
    assert body["original_deadline"] == body["deadline"] == due(task).isoformat()
    assert body["extended"] is False
    assert body["source"] == Source.DIRECTIVE
    assert task.directive is not None
    assert body["directive"]["number"] == task.directive.number
    assert [u["code"] for u in body["coordinating_units"]] == ["STC"]
    assert body["assigned_by"]["username"] == "vanphong"
    [update] = body["updates"]
    assert (update["percent"], update["by"]["username"], update["is_contribution"]) == (30, "cv.sct", False)
    assert [f["name"] for f in update["files"]] == ["bao-cao.pdf"]
    assert update["files"][0]["url"]
    [extension] = body["extensions"]
    assert (extension["status"], extension["reason"]) == ("pending", "Chờ ý kiến của bộ")
    assert [(e["action"], e["to_lifecycle"]) for e in body["events"]] == [("start", "in_progress")]
    assert {a["action"]: a for a in body["actions"]}["decision"] == {
        "action": "decision",
        "label": "Quyết định đề nghị gia hạn",
        "needs_comment": False,
        "path": f"/tasks/{task.pk}/extensions/{extension['id']}/decision",
        "extension_id": extension["id"],
    }


def test_the_actions_are_those_the_person_may_take_now(client_for: Any, task: Task) -> None:
    assert actions(client_for("cv.sct"), task) == ["progress"]
    assert actions(client_for("gd.sct"), task) == ["progress", "completion", "extension", "refuse"]
    assert actions(client_for("gd.stc"), task) == ["progress"]  # a coordinating unit contributes
    assert actions(client_for("pct.kinhte"), task) == ["pause", "cancel"]
    assert actions(client_for("hdnd"), task) == []
    reported(task)
    assert actions(client_for("vanphong"), task) == ["accept", "return", "cancel"]
    assert actions(client_for("gd.sct"), task) == ["progress", "extension"]


def test_an_extended_task_shows_both_deadlines(client_for: Any) -> None:
    task = make_directive_task(original_deadline=dt.date(2026, 4, 30), deadline=dt.date(2099, 6, 15))

    body = detail(client_for("gd.sct"), task)

    assert (body["original_deadline"], body["deadline"], body["extended"]) == (
        "2026-04-30",
        "2099-06-15",
        True,
    )


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("gd.sct", 200),
        ("cv.sct", 200),
        ("gd.stc", 200),
        ("pct.kinhte", 200),
        ("hdnd", 200),
        ("gd.syt", 404),
        ("pct.vanxa", 404),
        ("congdan", 404),
    ],
)
def test_who_sees_a_task(client_for: Any, task: Task, username: str, status: int) -> None:
    response = client_for(username).get(f"{API}/tasks/{task.pk}")

    assert response.status_code == status
    if status == 404:
        assert response.json()["detail"] == "Không tìm thấy, hoặc bản ghi nằm ngoài phạm vi của bạn."


# --- progress -------------------------------------------------------------------------------------------------------


def test_an_official_reports_progress_with_evidence(client_for: Any, task: Task) -> None:
    response = send_files(
        client_for("cv.sct"),
        f"/tasks/{task.pk}/progress",
        {
            "version": task.version,
            "percent": 40,
            "narrative": "Đã rà soát 40 thủ tục",
            "obstacles": "Thiếu người",
        },
        [pdf("bien-ban.pdf"), pdf("danh-sach.pdf")],
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["lifecycle"], body["percent"], body["version"]) == ("in_progress", 40, task.version + 1)
    stored = fresh(task)
    assert (stored.lifecycle, stored.percent, stored.version) == (Lifecycle.IN_PROGRESS, 40, task.version + 1)
    update = ProgressUpdate.objects.get(task=task)
    assert (update.by.username, update.obstacles, update.is_contribution) == ("cv.sct", "Thiếu người", False)
    assert sorted(update.files.values_list("name", flat=True)) == ["bien-ban.pdf", "danh-sach.pdf"]
    assert [e["action"] for e in body["events"]] == ["start"]
    assert AuditEntry.objects.filter(
        object_type="followup.task", object_id=str(task.pk), action="update"
    ).exists()


def test_a_coordinating_unit_contributes_without_moving_the_figures(client_for: Any, task: Task) -> None:
    response = send_files(
        client_for("gd.stc"),
        f"/tasks/{task.pk}/progress",
        {"version": task.version, "percent": 80, "narrative": "Đã thẩm định nguồn vốn"},
    )

    assert response.status_code == 201, response.json()
    assert ProgressUpdate.objects.get(task=task).is_contribution is True
    assert (fresh(task).lifecycle, fresh(task).percent) == (Lifecycle.NOT_STARTED, 0)


def test_overriding_the_judgement_needs_a_reason(client_for: Any, task: Task) -> None:
    client = client_for("cv.sct")
    body = {"version": task.version, "percent": 10, "narrative": "Mới bắt đầu", "delivery": "green"}
    before = written()

    refused = send_files(client, f"/tasks/{task.pk}/progress", body)
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["override_reason"]
    assert written() == before

    accepted = send_files(
        client, f"/tasks/{task.pk}/progress", {**body, "override_reason": "Chưa có mặt bằng"}
    )
    assert accepted.status_code == 201, accepted.json()
    assert accepted.json()["delivery"] == Delivery.GREEN
    assert accepted.json()["updates"][0]["proposed_delivery"] == Delivery.RED  # far behind the time elapsed
    assert accepted.json()["updates"][0]["override_reason"] == "Chưa có mặt bằng"


def test_a_forbidden_evidence_type_is_a_400_and_nothing_is_written(client_for: Any, task: Task) -> None:
    before = written()

    response = send_files(
        client_for("cv.sct"),
        f"/tasks/{task.pk}/progress",
        {"version": task.version, "percent": 40, "narrative": "Đã rà soát"},
        [
            pdf(),
            SimpleUploadedFile("cong-cu.exe", b"MZ\x90\x00" * 8),
            SimpleUploadedFile("gia.pdf", b"<html>"),
        ],
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "files": [
            "Tệp «cong-cu.exe» không thuộc loại được nhận (docx, jpeg, jpg, pdf, png, xlsx).",
            "Nội dung tệp «gia.pdf» không phải là tệp PDF thật.",
        ]
    }
    assert written() == before


def test_bad_progress_is_a_400_naming_the_fields(client_for: Any, task: Task) -> None:
    before = written()

    response = send_files(
        client_for("cv.sct"),
        f"/tasks/{task.pk}/progress",
        {"version": task.version, "percent": 150, "narrative": ""},
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"percent", "narrative"}
    assert written() == before


def test_the_wrong_shape_is_a_422_naming_the_fields(client_for: Any, task: Task) -> None:
    before = written()

    response = send_files(
        client_for("cv.sct"),
        f"/tasks/{task.pk}/progress",
        {"percent": "nhiều", "narrative": "x", "delivery": "blue"},
    )

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"version", "percent", "delivery"}
    assert errors["percent"] == ["Phải là một số nguyên."]
    assert written() == before


def test_a_stale_progress_report_is_a_409_naming_who_acted(client_for: Any, task: Task) -> None:
    client = client_for("cv.sct")
    seen = task.version
    first = send_files(
        client, f"/tasks/{task.pk}/progress", {"version": seen, "percent": 20, "narrative": "Đợt 1"}
    )
    assert first.status_code == 201
    before = written()

    late = send_files(
        client_for("pgd.sct"),
        f"/tasks/{task.pk}/progress",
        {"version": seen, "percent": 30, "narrative": "Đợt 2"},
        [pdf()],
    )

    assert late.status_code == 409
    assert person("cv.sct").full_name in late.json()["detail"]
    assert written() == before


@pytest.mark.parametrize(("username", "status"), [("pct.kinhte", 403), ("vanphong", 403), ("gd.syt", 404)])
def test_outsiders_cannot_report_progress(client_for: Any, task: Task, username: str, status: int) -> None:
    before = written()

    response = send_files(
        client_for(username),
        f"/tasks/{task.pk}/progress",
        {"version": task.version, "percent": 5, "narrative": "x"},
    )

    assert response.status_code == status
    assert written() == before


def test_a_closed_task_takes_no_more_reports(client_for: Any, task: Task) -> None:
    Task.objects.filter(pk=task.pk).update(lifecycle=Lifecycle.CANCELLED)
    before = written()

    response = send_files(
        client_for("cv.sct"),
        f"/tasks/{task.pk}/progress",
        {"version": task.version, "percent": 5, "narrative": "x"},
    )

    assert response.status_code == 409
    assert "Đã huỷ" in response.json()["detail"]
    assert written() == before


# --- completion and acceptance ----------------------------------------------------------------------------------


def test_the_head_reports_completion_and_the_office_accepts(client_for: Any, task: Task) -> None:
    done = send_files(
        client_for("gd.sct"),
        f"/tasks/{task.pk}/completion",
        {"version": task.version, "narrative": "Đã xong"},
        [pdf()],
    )
    assert done.status_code == 200, done.json()
    assert done.json()["lifecycle"] == Lifecycle.AWAITING_ACCEPTANCE
    assert Evidence.objects.filter(task=task).count() == 1

    accepted = send(
        client_for("vanphong"), f"/tasks/{task.pk}/actions/accept", {"version": done.json()["version"]}
    )

    assert accepted.status_code == 200, accepted.json()
    stored = fresh(task)
    assert (stored.lifecycle, stored.on_time, stored.percent) == (Lifecycle.DONE, True, 100)
    assert accepted.json()["outcome"] == "done_on_time"
    assert [e["action"] for e in accepted.json()["events"]] == ["report_completion", "accept"]


def test_completion_needs_evidence_and_the_lead_units_head_or_deputy(client_for: Any, task: Task) -> None:
    before = written()

    bare = send_files(
        client_for("gd.sct"), f"/tasks/{task.pk}/completion", {"version": task.version, "narrative": "x"}
    )
    official = send_files(
        client_for("cv.sct"),
        f"/tasks/{task.pk}/completion",
        {"version": task.version, "narrative": "x"},
        [pdf()],
    )

    assert bare.status_code == 400
    assert bare.json()["errors"] == {"files": ["Cần đính kèm ít nhất một tệp minh chứng."]}
    assert official.status_code == 403
    assert written() == before


def test_a_stale_completion_is_a_409(client_for: Any, task: Task) -> None:
    add_progress(
        task.pk, ProgressInput(percent=50, narrative="Nửa chặng"), by=person("cv.sct"), expected_version=None
    )
    before = written()

    response = send_files(
        client_for("gd.sct"),
        f"/tasks/{task.pk}/completion",
        {"version": task.version, "narrative": "Xong"},
        [pdf()],
    )

    assert response.status_code == 409
    assert written() == before


# --- lifecycle actions -------------------------------------------------------------------------------------------


def test_a_return_needs_a_comment_and_sends_the_task_back(client_for: Any, task: Task) -> None:
    version = reported(task).version
    client = client_for("pct.kinhte")
    before = written()

    bare = send(client, f"/tasks/{task.pk}/actions/return", {"version": version, "comment": "  "})
    assert bare.status_code == 400
    assert bare.json()["errors"] == {"comment": ["Cần nhập ý kiến khi «Trả lại, yêu cầu thực hiện lại»."]}
    assert written() == before

    returned = send(
        client, f"/tasks/{task.pk}/actions/return", {"version": version, "comment": "Thiếu biên bản"}
    )
    assert returned.status_code == 200, returned.json()
    assert fresh(task).lifecycle == Lifecycle.REDO
    assert returned.json()["events"][-1]["comment"] == "Thiếu biên bản"


def test_an_action_the_role_may_not_take_is_a_403(client_for: Any, task: Task) -> None:
    version = reported(task).version
    before = written()

    response = send(client_for("gd.sct"), f"/tasks/{task.pk}/actions/accept", {"version": version})

    assert response.status_code == 403
    assert written() == before


def test_an_action_in_the_wrong_state_is_a_409(client_for: Any, task: Task) -> None:
    before = written()

    response = send(client_for("vanphong"), f"/tasks/{task.pk}/actions/accept", {"version": task.version})

    assert response.status_code == 409
    assert "Chưa thực hiện" in response.json()["detail"]
    assert written() == before


def test_a_stale_action_is_a_409_naming_who_acted(client_for: Any, task: Task) -> None:
    seen = task.version
    paused = send(
        client_for("pct.kinhte"), f"/tasks/{task.pk}/actions/pause", {"version": seen, "comment": "Chờ vốn"}
    )
    assert paused.status_code == 200
    before = written()

    late = send(
        client_for("vanphong"), f"/tasks/{task.pk}/actions/cancel", {"version": seen, "comment": "Không cần"}
    )

    assert late.status_code == 409
    assert person("pct.kinhte").full_name in late.json()["detail"]
    assert written() == before


def test_an_unknown_action_is_a_422_naming_the_choices(client_for: Any, task: Task) -> None:
    before = written()

    response = send(client_for("vanphong"), f"/tasks/{task.pk}/actions/start", {"version": task.version})

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "action": [
            "Giá trị không hợp lệ; chọn một trong: 'accept', 'return', 'pause', 'resume', 'refuse', 'cancel'."
        ]
    }
    assert written() == before


def test_actions_need_the_version(client_for: Any, task: Task) -> None:
    before = written()

    response = send(client_for("vanphong"), f"/tasks/{task.pk}/actions/pause", {"comment": "Chờ vốn"})

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["version"]
    assert written() == before


# --- extensions --------------------------------------------------------------------------------------------------


def test_a_deputy_asks_for_an_extension_and_the_vice_chairman_approves(client_for: Any, task: Task) -> None:
    later = due(task) + dt.timedelta(days=30)
    asked = send(
        client_for("pgd.sct"),
        f"/tasks/{task.pk}/extensions",
        {"version": task.version, "new_deadline": later.isoformat(), "reason": "Chờ ý kiến của bộ"},
    )
    assert asked.status_code == 201, asked.json()
    extension = ExtensionRequest.objects.get(task=task)
    assert (extension.status, extension.new_deadline) == (ExtensionStatus.PENDING, later)
    assert "extension" not in [a["action"] for a in asked.json()["actions"]]  # one pending request at a time

    decided = send(
        client_for("pct.kinhte"),
        f"/tasks/{task.pk}/extensions/{extension.pk}/decision",
        {"version": asked.json()["version"], "decision": "approve"},
    )

    assert decided.status_code == 200, decided.json()
    stored = fresh(task)
    assert (stored.deadline, stored.original_deadline) == (later, task.deadline)
    assert decided.json()["extended"] is True
    assert decided.json()["extensions"][0]["status_label"] == "Đồng ý gia hạn"
    assert decided.json()["extensions"][0]["decided_by"]["username"] == "pct.kinhte"


def test_an_extension_to_an_earlier_date_is_a_400(client_for: Any, task: Task) -> None:
    before = written()

    response = send(
        client_for("gd.sct"),
        f"/tasks/{task.pk}/extensions",
        {
            "version": task.version,
            "new_deadline": (due(task) - dt.timedelta(days=1)).isoformat(),
            "reason": "x",
        },
    )

    assert response.status_code == 400
    [message] = response.json()["errors"]["new_deadline"]
    assert message.startswith("Thời hạn đề nghị ")
    assert "phải sau thời hạn hiện tại" in message
    assert written() == before


@pytest.mark.parametrize(("username", "status"), [("cv.sct", 403), ("gd.stc", 403), ("gd.syt", 404)])
def test_only_the_lead_units_head_or_deputy_asks_for_an_extension(
    client_for: Any, task: Task, username: str, status: int
) -> None:
    before = written()

    response = send(
        client_for(username),
        f"/tasks/{task.pk}/extensions",
        {"version": task.version, "new_deadline": "2099-01-01", "reason": "x"},
    )

    assert response.status_code == status
    assert written() == before


def test_a_stale_extension_request_is_a_409(client_for: Any, task: Task) -> None:
    add_progress(
        task.pk, ProgressInput(percent=50, narrative="Nửa chặng"), by=person("cv.sct"), expected_version=None
    )
    before = written()

    response = send(
        client_for("gd.sct"),
        f"/tasks/{task.pk}/extensions",
        {"version": task.version, "new_deadline": "2099-01-01", "reason": "Chờ vốn"},
    )

    assert response.status_code == 409
    assert written() == before


def test_a_decision_checks_the_role_the_note_the_extension_and_the_version(
    client_for: Any, task: Task
) -> None:
    extension = request_extension(
        task.pk,
        by=person("gd.sct"),
        new_deadline=dt.date(2099, 1, 1),
        reason="Chờ vốn",
        expected_version=None,
    )
    version = fresh(task).version
    path = f"/tasks/{task.pk}/extensions/{extension.pk}/decision"
    before = written()

    head = send(client_for("gd.sct"), path, {"version": version, "decision": "approve"})
    no_note = send(client_for("vanphong"), path, {"version": version, "decision": "reject"})
    unknown = send(
        client_for("vanphong"),
        f"/tasks/{task.pk}/extensions/999999/decision",
        {"version": version, "decision": "approve"},
    )
    stale = send(client_for("vanphong"), path, {"version": version - 1, "decision": "approve"})
    wrong = send(client_for("vanphong"), path, {"version": version, "decision": "maybe"})

    assert head.status_code == 403
    assert no_note.status_code == 400
    assert no_note.json()["errors"] == {"note": ["Cần nêu lý do không đồng ý gia hạn."]}
    assert unknown.status_code == 404
    assert stale.status_code == 409
    assert wrong.status_code == 422
    assert list(wrong.json()["errors"]) == ["decision"]
    assert written() == before


# --- tokens ------------------------------------------------------------------------------------------------------


def test_a_token_sends_evidence_without_a_csrf_token(client_for: Any, task: Task) -> None:
    response = client_for("cv.sct").post(reverse("core:api-tokens"), {"name": "Phần mềm một cửa"})
    token = response.context["new_token"]
    script = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {token}")

    sent = send_files(
        script,
        f"/tasks/{task.pk}/progress",
        {"version": task.version, "percent": 10, "narrative": "x"},
        [pdf()],
    )

    assert sent.status_code == 201, sent.json()
    assert Evidence.objects.get(task=task).uploaded_by.username == "cv.sct"


# --- the list ----------------------------------------------------------------------------------------------------


@pytest.fixture
def province() -> dict[str, Task]:
    """Only these tasks (the demo's are removed): SCT's, coordinated by STC; SYT's; SXD's, done; an urgent SCT
    task assigned in January, overdue; a key task of SNNMT."""
    Task.objects.all().delete()
    today = timezone.localdate()
    sct, syt, sxd = (Unit.objects.get(code=c) for c in ("SCT", "SYT", "SXD"))
    conclusion = make_directive(number="11/TB-UBND")
    coordinated = make_directive_task(
        conclusion, lead_unit=sct, title="Xúc tiến xuất khẩu nông sản", deadline=today + dt.timedelta(days=60)
    )
    coordinated.coordinating_units.set([Unit.objects.get(code="STC")])
    return {
        "coordinated": coordinated,
        "health": make_directive_task(lead_unit=syt, title="Phòng chống dịch bệnh", deadline=today + dt.timedelta(days=1),
                                      due_soon_from=today - dt.timedelta(days=2), delivery=Delivery.AMBER),
        "housing": make_directive_task(lead_unit=sxd, title="Nhà ở xã hội", lifecycle=Lifecycle.DONE, on_time=False,
                                       deadline=today - dt.timedelta(days=10)),
        "urgent": make_directive_task(conclusion, lead_unit=sct, title="Báo cáo giá điện", urgent=True,
                                      assigned_on=dt.date(2026, 1, 10), deadline=today - dt.timedelta(days=3),
                                      lifecycle=Lifecycle.IN_PROGRESS, delivery=Delivery.RED),
    }  # fmt: skip


def titles(client: Client, **params: Any) -> list[str]:
    response = client.get(f"{API}/tasks", params)
    assert response.status_code == 200, response.content
    return [t["title"] for t in response.json()["items"]]


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        (
            "chutich",
            ["Nhà ở xã hội", "Báo cáo giá điện", "Phòng chống dịch bệnh", "Xúc tiến xuất khẩu nông sản"],
        ),
        (
            "hdnd",
            ["Nhà ở xã hội", "Báo cáo giá điện", "Phòng chống dịch bệnh", "Xúc tiến xuất khẩu nông sản"],
        ),
        ("pct.kinhte", ["Nhà ở xã hội", "Báo cáo giá điện", "Xúc tiến xuất khẩu nông sản"]),
        ("pct.vanxa", ["Phòng chống dịch bệnh"]),
        ("gd.sct", ["Báo cáo giá điện", "Xúc tiến xuất khẩu nông sản"]),
        ("cv.sct", ["Báo cáo giá điện", "Xúc tiến xuất khẩu nông sản"]),
        ("gd.stc", ["Xúc tiến xuất khẩu nông sản"]),
    ],
)
def test_the_list_holds_each_roles_scope_nearest_deadline_first(
    client_for: Any, province: dict[str, Task], username: str, expected: list[str]
) -> None:
    assert titles(client_for(username)) == expected


def test_a_citizen_may_not_list_tasks(client_for: Any, province: dict[str, Task]) -> None:
    response = client_for("congdan").get(f"{API}/tasks")

    assert response.status_code == 403


def test_the_list_filters(client_for: Any, province: dict[str, Task]) -> None:
    client = client_for("chutich")
    directive = province["urgent"].directive
    assert directive is not None

    assert titles(client, q="xuat khau") == ["Xúc tiến xuất khẩu nông sản"]
    assert titles(client, lead_unit=Unit.objects.get(code="SYT").pk) == ["Phòng chống dịch bệnh"]
    assert titles(client, unit="so y te") == ["Phòng chống dịch bệnh"]
    assert titles(client, vice_chairman=person("pct.vanxa").pk) == ["Phòng chống dịch bệnh"]
    assert titles(client, vice_chairman=person("gd.sct").pk) == []  # not a Vice-Chairman
    assert titles(client, source="key_task") == []
    assert titles(client, lifecycle="done") == ["Nhà ở xã hội"]
    assert titles(client, deadline_state="due_soon") == ["Phòng chống dịch bệnh"]
    assert titles(client, deadline_state="overdue") == ["Báo cáo giá điện"]
    assert titles(client, outcome="done_late") == ["Nhà ở xã hội"]
    assert titles(client, outcome="open_in_time") == ["Phòng chống dịch bệnh", "Xúc tiến xuất khẩu nông sản"]
    assert titles(client, delivery="amber") == ["Phòng chống dịch bệnh"]
    assert titles(client, urgent="true") == ["Báo cáo giá điện"]
    assert titles(client, directive=directive.pk) == ["Báo cáo giá điện", "Xúc tiến xuất khẩu nông sản"]
    assert titles(client, assigned_from="2026-01-01", assigned_to="2026-01-31") == ["Báo cáo giá điện"]
    assert titles(client, assigned_from="2026-02-01") == [
        "Nhà ở xã hội",
        "Phòng chống dịch bệnh",
        "Xúc tiến xuất khẩu nông sản",
    ]
    assert titles(client_for("gd.sct"), q="dich benh") == []  # the filters stay in scope


def test_the_list_rows_carry_the_state_and_the_source(client_for: Any, province: dict[str, Task]) -> None:
    rows = {t["title"]: t for t in client_for("chutich").get(f"{API}/tasks").json()["items"]}

    urgent = rows["Báo cáo giá điện"]
    assert (urgent["deadline_state"], urgent["deadline_state_label"]) == ("overdue", "Quá hạn")
    assert (urgent["outcome"], urgent["delivery_label"], urgent["urgent"]) == (
        "open_overdue",
        "Chậm tiến độ",
        True,
    )
    assert urgent["directive"]["number"] == "11/TB-UBND"
    assert urgent["lead_unit"]["code"] == "SCT"
    done = rows["Nhà ở xã hội"]
    assert (done["deadline_state"], done["outcome_label"]) == (None, "Hoàn thành quá hạn")


def test_the_list_is_paginated(client_for: Any, province: dict[str, Task]) -> None:
    page = client_for("chutich").get(f"{API}/tasks", {"page_size": 3, "page": 2}).json()

    assert page["count"] == 4
    assert [t["title"] for t in page["items"]] == ["Xúc tiến xuất khẩu nông sản"]


def test_a_wrong_filter_is_a_422_naming_it(client_for: Any) -> None:
    response = client_for("chutich").get(
        f"{API}/tasks",
        {"lifecycle": "finished", "outcome": "late", "urgent": "maybe", "assigned_from": "2026-02-30"},
    )

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"lifecycle", "outcome", "urgent", "assigned_from"}


def test_an_inverted_date_range_is_a_400(client_for: Any) -> None:
    response = client_for("chutich").get(
        f"{API}/tasks", {"assigned_from": "2026-03-01", "assigned_to": "2026-02-01"}
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"assigned_to": ["Ngày kết thúc không được trước ngày bắt đầu."]}


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("username", ["chutich", "pct.kinhte", "gd.sct"])
def test_the_list_takes_the_same_queries_whatever_the_number_of_tasks(
    client_for: Any, province: dict[str, Task], username: str, django_assert_max_num_queries: Any
) -> None:
    client = client_for(username)
    url = f"{API}/tasks"
    with django_assert_max_num_queries(6):
        client.get(url)
    few = _queries(client, url)

    directive = make_directive()
    for n in range(20):
        task = make_directive_task(directive, title=f"Nhiệm vụ {n}")
        task.coordinating_units.set([Unit.objects.get(code="STC")])

    assert _queries(client, url) == few


def test_the_detail_takes_the_same_queries_whatever_the_number_of_updates(
    client_for: Any, task: Task
) -> None:
    client = client_for("pct.kinhte")
    add_progress(
        task.pk,
        ProgressInput(percent=10, narrative="Đợt 1", files=[pdf()]),
        by=person("cv.sct"),
        expected_version=None,
    )
    few = _queries(client, f"{API}/tasks/{task.pk}")

    for n in range(2, 7):
        add_progress(
            task.pk,
            ProgressInput(percent=10 * n, narrative=f"Đợt {n}", files=[pdf()]),
            by=person("cv.sct"),
            expected_version=None,
        )

    assert _queries(client, f"{API}/tasks/{task.pk}") == few


# --- the overview --------------------------------------------------------------------------------------------------


@pytest.fixture
def figures() -> None:
    """SCT: 1 done on time, 1 done late, 1 open in time, 1 open overdue; STC (same VC): 1 open overdue; SGDDT
    (another VC): 1 done on time; a cancelled SCT task, outside the 2×2. Nothing else."""
    Task.objects.all().delete()
    sct, stc, sgd = (Unit.objects.get(code=c) for c in ("SCT", "STC", "SGDDT"))
    past, future = dt.date(2026, 3, 31), dt.date(2099, 12, 31)
    make_directive_task(lead_unit=sct, lifecycle=Lifecycle.DONE, on_time=True, deadline=past)
    make_directive_task(lead_unit=sct, lifecycle=Lifecycle.DONE, on_time=False, deadline=past)
    make_directive_task(lead_unit=sct, lifecycle=Lifecycle.IN_PROGRESS, deadline=future)
    make_directive_task(lead_unit=sct, lifecycle=Lifecycle.IN_PROGRESS, deadline=past)
    make_directive_task(lead_unit=stc, lifecycle=Lifecycle.NOT_STARTED, deadline=past)
    make_directive_task(lead_unit=sgd, lifecycle=Lifecycle.DONE, on_time=True, deadline=past)
    make_directive_task(lead_unit=sct, lifecycle=Lifecycle.CANCELLED, deadline=past)


def test_the_chairman_sees_the_provinces_figures(client_for: Any, figures: None) -> None:
    response = client_for("chutich").get(f"{API}/overview")

    assert response.status_code == 200, response.json()
    body = response.json()
    total = body["total"]
    assert (total["done_on_time"], total["done_late"], total["open_in_time"], total["open_overdue"]) == (
        2,
        1,
        1,
        2,
    )
    assert (total["total"], total["completion_rate"]) == (6, "60.00")
    assert [(u["name"], u["tally"]["total"]) for u in body["units"]] == [
        ("Sở Công Thương", 4),  # the most overdue first
        ("Sở Tài chính", 1),
        ("Sở Giáo dục và Đào tạo", 1),
    ]
    assert sorted(v["tally"]["total"] for v in body["vice_chairmen"]) == [1, 5]
    assert all(v["id"] for v in body["vice_chairmen"])
    assert sum(s["tally"]["total"] for s in body["sectors"]) >= 6
    assert all(s["id"] is None for s in body["sectors"])


def test_a_vice_chairman_and_a_head_see_their_scope(client_for: Any, figures: None) -> None:
    vc = client_for("pct.kinhte").get(f"{API}/overview").json()
    head = client_for("gd.stc").get(f"{API}/overview").json()

    assert {u["name"] for u in vc["units"]} == {"Sở Công Thương", "Sở Tài chính"}
    assert [u["name"] for u in head["units"]] == ["Sở Tài chính"]
    assert head["total"]["open_overdue"] == 1


@pytest.mark.parametrize("username", ["congdan", "pgd.sct", "cv.sct"])
def test_the_overview_is_refused_to_roles_without_it(client_for: Any, username: str) -> None:
    assert client_for(username).get(f"{API}/overview").status_code == 403


def test_a_range_or_a_reporting_period_counts_the_tasks_assigned_in_it(
    client_for: Any, figures: None
) -> None:
    client = client_for("chutich")

    later = client.get(f"{API}/overview", {"start": "2027-01-01", "end": "2027-12-31"}).json()
    quarter = client.get(f"{API}/overview", {"period": "quarter", "year": 2026, "number": 1}).json()

    assert later["total"]["total"] == 0
    assert (quarter["start"], quarter["end"]) == ("2025-12-15", "2026-03-14")
    assert quarter["total"]["total"] == 6  # assigned 2/3/2026


def test_a_bad_range_is_a_400_or_a_422_naming_the_field(client_for: Any) -> None:
    client = client_for("chutich")

    number = client.get(f"{API}/overview", {"period": "quarter", "number": 5})
    order = client.get(f"{API}/overview", {"start": "2026-03-01", "end": "2026-02-01"})
    kind = client.get(f"{API}/overview", {"period": "week"})

    assert number.status_code == 400
    assert number.json()["errors"] == {"number": ["Kỳ đã chọn chỉ có số từ 1 đến 4."]}
    assert order.status_code == 400
    assert order.json()["errors"] == {"end": ["Ngày kết thúc không được trước ngày bắt đầu."]}
    assert kind.status_code == 422
    assert list(kind.json()["errors"]) == ["period"]
