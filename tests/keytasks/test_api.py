"""Key-task registrations through the JSON API: the whole workflow, bad input, stale versions, scope, tokens,
pagination and query counts. Every refused write checks that nothing was written."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trongtam.core.models import ApiToken, AuditEntry
from trongtam.cycles.models import AssignedTask, Period
from trongtam.keytasks.domain.registration import create_registration
from trongtam.keytasks.enums import RegistrationStatus as S
from trongtam.keytasks.models import KeyTask, Milestone, Registration, StatusChange
from trongtam.org.enums import Role
from trongtam.org.models import Person, Unit

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

API = "/api/v1"


# --- helpers ------------------------------------------------------------------------------------------------


def send(client: Client, method: str, path: str, body: dict[str, Any] | None = None, **extra: Any) -> Any:
    return getattr(client, method)(
        API + path, json.dumps(body or {}), content_type="application/json", **extra
    )


def token_for(client_for: Any, username: str) -> str:
    """A personal token made on the person's token page, as a person would."""
    response = client_for(username).post(reverse("core:api-tokens"), {"name": "Phần mềm văn phòng"})
    token: str = response.context["new_token"]
    return token


class TokenClient(Client):
    """A client that sends a bearer token and enforces CSRF, as a script outside the browser would be."""

    def __init__(self, token: str) -> None:
        super().__init__(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {token}")


def written() -> dict[str, int]:
    """What a refused write must leave unchanged."""
    return {
        "registrations": Registration.objects.count(),
        "tasks": KeyTask.objects.count(),
        "milestones": Milestone.objects.count(),
        "status_changes": StatusChange.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def own_task(unit: Unit, version: int, **changes: Any) -> dict[str, Any]:
    return {
        "version": version,
        "kind": "own",
        "title": "Số hoá hồ sơ lưu trữ",
        "deadline": "2026-09-30",
        "lead_unit_id": unit.pk,
        "product": "Kho dữ liệu hồ sơ số",
        "target_value": "100",
        "target_unit": "%",
        "milestones": [{"title": "Kiểm kê hồ sơ", "due_date": "2026-04-30"}],
        **changes,
    }


def detail(client: Client, registration_id: int) -> dict[str, Any]:
    response = client.get(f"{API}/registrations/{registration_id}")
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def act(client: Client, registration_id: int, action: str, version: int, comment: str = "") -> Any:
    return send(
        client,
        "post",
        f"/registrations/{registration_id}/actions/{action}",
        {"version": version, "comment": comment},
    )


# --- the whole workflow -------------------------------------------------------------------------------------


def test_the_whole_story_through_the_api(client_for: Any, period: Period, unit: Any, person: Any) -> None:
    stc, skhcn = unit("STC"), unit("SKHCN")
    head = TokenClient(token_for(client_for, "gd.stc"))  # the head's office software, with a token
    vice = client_for("pct.kinhte")  # the Vice-Chairman in the browser

    created = send(head, "post", "/registrations", {"period_id": period.pk})
    assert created.status_code == 201, created.json()
    registration_id, version = created.json()["id"], created.json()["version"]
    assert created.json()["status"] == S.DRAFT
    assert {p["field"] for p in created.json()["problems"]} >= {"tasks.own", "tasks.common", "tasks.assigned"}

    bodies = [
        own_task(stc, 0, title="Số hoá hồ sơ lưu trữ"),
        own_task(stc, 0, title="Rà soát thủ tục hành chính", coordinating_unit_ids=[skhcn.pk], milestones=[]),
        own_task(stc, 0, title="Nâng tỷ lệ hồ sơ đúng hạn", product="", target_value=98.5, milestones=[]),
        *[
            own_task(
                stc, 0, kind="common", common_task_id=c.pk, title=f"{c.title} tại Sở Tài chính", milestones=[]
            )
            for c in period.common_tasks.all()
        ],
        own_task(
            stc,
            0,
            kind="assigned",
            assigned_task_id=AssignedTask.objects.get(period=period, unit=stc).pk,
            title="Đề án chuyển đổi số",
            led_personally=True,
        ),
    ]
    for body in bodies:
        saved = send(head, "post", f"/registrations/{registration_id}/tasks", {**body, "version": version})
        assert saved.status_code == 201, saved.json()
        assert saved.json()["registration"]["version"] == version + 1
        version = saved.json()["registration"]["version"]
    assert saved.json()["task"]["lead_unit"]["code"] == "STC"
    assert saved.json()["task"]["milestones"][0]["due_date"] == "2026-04-30"

    ready = detail(head, registration_id)
    assert ready["problems"] == []
    assert ready["task_count"] == 9
    assert [a["action"] for a in ready["actions"]] == ["submit"]
    assert ready["version"] == version

    submitted = act(head, registration_id, "submit", version)
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == S.SUBMITTED
    assert submitted.json()["status_label"] == "Đã trình, chờ phê duyệt"

    seen = detail(vice, registration_id)
    assert {a["action"]: a["needs_comment"] for a in seen["actions"]} == {"return": True, "approve": False}
    assert seen["can_edit"] is False
    assert seen["problems"] == []
    returned = act(vice, registration_id, "return", seen["version"], "Bổ sung chỉ tiêu cho nhiệm vụ 2")
    assert returned.json()["status"] == S.RETURNED

    mine = detail(head, registration_id)
    task = next(t for t in mine["tasks"] if t["title"] == "Rà soát thủ tục hành chính")
    changed = send(
        head,
        "put",
        f"/registrations/{registration_id}/tasks/{task['id']}",
        own_task(
            stc, mine["version"], title="Rà soát thủ tục hành chính", target_value="40", target_unit="thủ tục"
        ),
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["task"]["target_value"] == "40.00"
    assert act(head, registration_id, "submit", changed.json()["registration"]["version"]).status_code == 200

    approved = act(vice, registration_id, "approve", detail(vice, registration_id)["version"])
    assert approved.json()["status"] == S.APPROVED
    assert approved.json()["approved_by"]["username"] == "pct.kinhte"
    assert [v["number"] for v in approved.json()["approved_versions"]] == [1]

    signed = send(
        head, "post", f"/registrations/{registration_id}/commitment", {"version": approved.json()["version"]}
    )
    assert signed.status_code == 200, signed.json()
    assert signed.json()["commitment_signed_at"] is not None

    asked = act(head, registration_id, "request_change", signed.json()["version"], "Lùi thời hạn nhiệm vụ 3")
    assert asked.json()["status"] == S.CHANGE_REQUESTED
    allowed = act(vice, registration_id, "approve_change", asked.json()["version"])
    assert allowed.json()["status"] == S.REVISING

    history = [(h["action"], h["by"]["username"], h["comment"]) for h in allowed.json()["history"]]
    assert history == [
        ("submit", "gd.stc", ""),
        ("return", "pct.kinhte", "Bổ sung chỉ tiêu cho nhiệm vụ 2"),
        ("submit", "gd.stc", ""),
        ("approve", "pct.kinhte", ""),
        ("request_change", "gd.stc", "Lùi thời hạn nhiệm vụ 3"),
        ("approve_change", "pct.kinhte", ""),
    ]
    assert allowed.json()["history"][1]["to_status_label"] == "Bị trả lại"
    transitions = AuditEntry.objects.filter(
        root_type="keytasks.registration", root_id=str(registration_id), action="transition"
    )
    assert transitions.count() == 6
    assert {e.actor.username for e in transitions if e.actor} == {"gd.stc", "pct.kinhte"}


def test_creating_twice_returns_the_same_registration(client_for: Any, period: Period) -> None:
    client = client_for("gd.stc")

    first = send(client, "post", "/registrations", {"period_id": period.pk})
    again = send(client, "post", "/registrations", {"period_id": period.pk})

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]


def test_a_task_can_be_deleted_with_its_version(client_for: Any, stc_registration: Registration) -> None:
    task = stc_registration.tasks.filter(kind="own").first()
    assert task is not None
    tasks = KeyTask.objects.count()

    response = client_for("gd.stc").delete(
        f"{API}/registrations/{stc_registration.pk}/tasks/{task.pk}?version={stc_registration.version}"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["version"] == stc_registration.version + 1
    assert KeyTask.objects.count() == tasks - 1
    assert AuditEntry.objects.filter(object_type="keytasks.keytask", object_id=str(task.pk), action="delete")


def test_the_chairman_approves_any_unit(client_for: Any, registration_of: Any) -> None:
    sct = registration_of("SCT")

    response = act(client_for("chutich"), sct.pk, "approve", sct.version)

    assert response.status_code == 200
    assert response.json()["status"] == S.APPROVED


# --- bad input: nothing is written ---------------------------------------------------------------------------


def test_missing_fields_are_a_422_naming_them(client_for: Any, stc_registration: Registration) -> None:
    before = written()

    response = send(
        client_for("gd.stc"), "post", f"/registrations/{stc_registration.pk}/tasks", {"product": "x"}
    )

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"version", "kind", "title", "deadline", "lead_unit_id"}
    assert errors["title"] == ["Thiếu trường bắt buộc này."]
    assert written() == before


def test_wrong_types_are_a_422_naming_them(client_for: Any, stc_registration: Registration) -> None:
    before = written()
    body = own_task(
        stc_registration.unit,
        stc_registration.version,
        deadline="31/02/2026",
        target_value="abc",
        lead_unit_id="x",
        milestones=[{"title": "Mốc", "due_date": "2026-02-30"}],
    )

    response = send(client_for("gd.stc"), "post", f"/registrations/{stc_registration.pk}/tasks", body)

    assert response.status_code == 422
    body = response.json()
    assert set(body["errors"]) == {"deadline", "target_value", "lead_unit_id", "milestones.0.due_date"}
    assert body["errors"]["lead_unit_id"] == ["Phải là một số nguyên."]
    assert body["errors"]["deadline"] == ["Ngày không hợp lệ; dùng dạng YYYY-MM-DD, ví dụ 2026-12-31."]
    assert "deadline" in body["detail"]
    assert written() == before


def test_unknown_ids_are_a_400_naming_each_field(
    client_for: Any, stc_registration: Registration, period: Period, unit: Any
) -> None:
    before = written()
    client = client_for("gd.stc")
    path = f"/registrations/{stc_registration.pk}/tasks"
    other_units_task = AssignedTask.objects.get(period=period, unit=unit("SCT"))

    units = send(
        client,
        "post",
        path,
        own_task(
            stc_registration.unit,
            stc_registration.version,
            lead_unit_id=999999,
            coordinating_unit_ids=[999998],
        ),
    )
    common = send(
        client,
        "post",
        path,
        own_task(stc_registration.unit, stc_registration.version, kind="common", common_task_id=999999),
    )
    assigned = send(
        client,
        "post",
        path,
        own_task(
            stc_registration.unit,
            stc_registration.version,
            kind="assigned",
            assigned_task_id=other_units_task.pk,
        ),
    )
    former = send(
        client,
        "post",
        path,
        own_task(stc_registration.unit, stc_registration.version, lead_unit_id=unit("H.SONDONG").pk),
    )

    assert units.status_code == 400
    assert set(units.json()["errors"]) == {"lead_unit_id", "coordinating_unit_ids"}
    assert common.status_code == 400
    assert list(common.json()["errors"]) == ["common_task_id"]
    assert assigned.status_code == 400
    assert list(assigned.json()["errors"]) == ["assigned_task_id"]
    assert former.status_code == 400
    assert list(former.json()["errors"]) == ["lead_unit_id"]
    assert written() == before


def test_the_domain_rules_on_a_task_are_named_by_the_bodys_fields(
    client_for: Any, stc_registration: Registration, unit: Any
) -> None:
    before = written()
    body = own_task(
        stc_registration.unit,
        stc_registration.version,
        deadline="2027-01-15",
        product="",
        target_value=None,
        coordinating_unit_ids=[stc_registration.unit_id],
        milestones=[{"title": "", "due_date": "2026-03-01"}],
    )

    response = send(client_for("gd.stc"), "post", f"/registrations/{stc_registration.pk}/tasks", body)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors == {"milestones.0.title": ["Mốc tiến độ cần có tên."]}  # the form first, as the page
    body["milestones"] = []
    response = send(client_for("gd.stc"), "post", f"/registrations/{stc_registration.pk}/tasks", body)
    errors = response.json()["errors"]
    assert set(errors) == {"deadline", "product", "coordinating_unit_ids"}
    assert "nằm ngoài kỳ công tác" in errors["deadline"][0]
    assert written() == before


def test_a_period_that_does_not_exist_is_a_400(client_for: Any) -> None:
    before = written()

    response = send(client_for("gd.stc"), "post", "/registrations", {"period_id": 999999})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["period_id"]
    assert written() == before


def test_a_return_without_a_comment_names_the_comment(client_for: Any, registration_of: Any) -> None:
    sct = registration_of("SCT")
    before = written()

    response = act(client_for("pct.kinhte"), sct.pk, "return", sct.version, comment="   ")

    assert response.status_code == 400
    assert response.json()["errors"] == {"comment": ["Cần nhập ý kiến khi «Trả lại»."]}
    assert written() == before
    sct.refresh_from_db()
    assert sct.status == S.SUBMITTED


def test_writes_need_the_version(client_for: Any, registration_of: Any) -> None:
    syt = registration_of("SYT")  # a draft: its head may edit it
    task = syt.tasks.first()
    before = written()
    client = client_for("gd.syt")

    transition = send(client, "post", f"/registrations/{syt.pk}/actions/submit", {"comment": ""})
    removal = client.delete(f"{API}/registrations/{syt.pk}/tasks/{task.pk}")

    assert transition.status_code == 422
    assert list(transition.json()["errors"]) == ["version"]
    assert removal.status_code == 422
    assert list(removal.json()["errors"]) == ["version"]
    assert written() == before


def test_an_unknown_action_is_a_422_naming_it(client_for: Any, registration_of: Any) -> None:
    sct = registration_of("SCT")
    before = written()

    response = act(client_for("pct.kinhte"), sct.pk, "publish", sct.version)

    assert response.status_code == 422
    [message] = response.json()["errors"]["action"]
    assert message == (
        "Giá trị không hợp lệ; chọn một trong: 'submit', 'return', 'approve', 'request_change', "
        "'approve_change', 'reject_change'."
    )
    assert written() == before


def test_a_stale_transition_is_a_409_naming_who_acted(
    client_for: Any, stc_registration: Registration, person: Any
) -> None:
    head = client_for("gd.stc")
    submitted = act(head, stc_registration.pk, "submit", stc_registration.version).json()
    seen = submitted["version"]
    assert act(client_for("pct.kinhte"), stc_registration.pk, "approve", seen).status_code == 200
    before = written()

    late = act(client_for("chutich"), stc_registration.pk, "return", seen, "Xem lại")

    assert late.status_code == 409
    assert person("pct.kinhte").full_name in late.json()["detail"]
    assert "Đã phê duyệt" in late.json()["detail"]  # the status it is in now
    assert written() == before


def test_a_stale_task_edit_is_a_409_naming_who_changed_it(
    client_for: Any, stc_registration: Registration, person: Any
) -> None:
    head = client_for("gd.stc")
    task = stc_registration.tasks.filter(kind="own").first()
    assert task is not None
    loaded = stc_registration.version
    other_tab = send(
        head,
        "put",
        f"/registrations/{stc_registration.pk}/tasks/{task.pk}",
        own_task(stc_registration.unit, loaded),
    )
    assert other_tab.status_code == 200
    before = written()

    stale = send(
        head,
        "put",
        f"/registrations/{stc_registration.pk}/tasks/{task.pk}",
        own_task(stc_registration.unit, loaded, title="Ghi đè"),
    )

    assert stale.status_code == 409
    assert person("gd.stc").full_name in stale.json()["detail"]
    assert "chưa được lưu" in stale.json()["detail"]
    assert written() == before
    task.refresh_from_db()
    assert task.title != "Ghi đè"


def test_a_submission_that_breaks_the_rules_names_every_problem(
    client_for: Any, period: Period, unit: Any
) -> None:
    client = client_for("gd.stc")
    created = send(client, "post", "/registrations", {"period_id": period.pk}).json()
    one = send(
        client, "post", f"/registrations/{created['id']}/tasks", own_task(unit("STC"), created["version"])
    )
    before = written()

    response = act(client, created["id"], "submit", one.json()["registration"]["version"])

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"tasks.own", "tasks.common", "tasks.assigned"}
    assert errors["tasks.own"] == ["Có 1 nhiệm vụ tự đăng ký; cần từ 3 đến 5."]
    assert len(errors["tasks.common"]) == 5
    assert written() == before
    assert Registration.objects.get(pk=created["id"]).status == S.DRAFT


def test_an_approved_registration_is_locked(client_for: Any, registration_of: Any, unit: Any) -> None:
    snnmt = registration_of("SNNMT")
    task = snnmt.tasks.first()
    before = written()

    response = send(
        client_for("gd.snnmt"),
        "put",
        f"/registrations/{snnmt.pk}/tasks/{task.pk}",
        own_task(unit("SNNMT"), snnmt.version),
    )

    assert response.status_code == 409
    assert "đề nghị điều chỉnh" in response.json()["detail"]
    assert written() == before


def test_a_locked_registration_refuses_a_deletion_with_409(client_for: Any, registration_of: Any) -> None:
    sct = registration_of("SCT")  # submitted: waiting for the Vice-Chairman
    task = sct.tasks.first()
    before = written()

    response = client_for("gd.sct").delete(
        f"{API}/registrations/{sct.pk}/tasks/{task.pk}?version={sct.version}"
    )

    assert response.status_code == 409
    assert "«Đã trình, chờ phê duyệt»" in response.json()["detail"]
    assert written() == before


def test_a_body_that_is_not_json_is_a_400(client_for: Any, stc_registration: Registration) -> None:
    before = written()

    response = client_for("gd.stc").post(
        f"{API}/registrations/{stc_registration.pk}/tasks", "{kind: own", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["detail"].startswith("Không đọc được nội dung gửi lên")
    assert written() == before


# --- scope -----------------------------------------------------------------------------------------------------


def test_a_vice_chairman_not_in_charge_can_neither_see_nor_approve(
    client_for: Any, registration_of: Any
) -> None:
    sct = registration_of("SCT")
    outsider = client_for("pct.vanxa")
    before = written()

    listed = outsider.get(f"{API}/registrations", {"page_size": 100}).json()
    seen = outsider.get(f"{API}/registrations/{sct.pk}")
    approved = act(outsider, sct.pk, "approve", sct.version)

    assert sct.pk not in [r["id"] for r in listed["items"]]
    assert {r["unit"]["code"] for r in listed["items"]} == {"SGDDT", "SYT", "XA11"}
    assert seen.status_code == 404
    assert approved.status_code == 404
    assert written() == before
    sct.refresh_from_db()
    assert sct.status == S.SUBMITTED


def test_the_head_of_another_unit_cannot_see_it(client_for: Any, registration_of: Any) -> None:
    assert client_for("gd.stc").get(f"{API}/registrations/{registration_of('SCT').pk}").status_code == 404


@pytest.mark.parametrize("username", ["pgd.stc", "cv.stc"])
def test_a_deputy_or_official_sees_but_cannot_submit_or_edit(
    client_for: Any, stc_registration: Registration, username: str
) -> None:
    client = client_for(username)
    before = written()

    seen = detail(client, stc_registration.pk)
    submit = act(client, stc_registration.pk, "submit", stc_registration.version)
    add = send(
        client,
        "post",
        f"/registrations/{stc_registration.pk}/tasks",
        own_task(stc_registration.unit, stc_registration.version),
    )
    sign = send(
        client,
        "post",
        f"/registrations/{stc_registration.pk}/commitment",
        {"version": stc_registration.version},
    )

    assert seen["actions"] == []
    assert seen["can_edit"] is False
    assert (submit.status_code, add.status_code, sign.status_code) == (403, 403, 403)
    assert written() == before


def test_only_a_head_creates_a_registration(client_for: Any, period: Period) -> None:
    before = written()

    for username in ("pgd.stc", "pct.kinhte", "vanphong"):
        assert (
            send(client_for(username), "post", "/registrations", {"period_id": period.pk}).status_code == 403
        )
    assert written() == before


def test_a_head_cannot_approve_their_own(client_for: Any, registration_of: Any) -> None:
    sct = registration_of("SCT")

    response = act(client_for("gd.sct"), sct.pk, "approve", sct.version)

    assert response.status_code == 403
    assert response.json()["detail"] == "Bạn không có quyền thực hiện thao tác này."


def test_anonymous_writes_get_401(registration_of: Any) -> None:
    before = written()

    response = act(Client(), registration_of("SCT").pk, "approve", 1)

    assert response.status_code == 401
    assert written() == before


# --- tokens ------------------------------------------------------------------------------------------------------


def test_a_token_reads_and_writes_and_a_revoked_one_gets_401(client_for: Any, registration_of: Any) -> None:
    sct = registration_of("SCT")
    browser = client_for("pct.kinhte")
    token = token_for(client_for, "pct.kinhte")
    script = TokenClient(token)

    assert script.get(f"{API}/registrations/{sct.pk}").status_code == 200
    assert ApiToken.objects.get(user__username="pct.kinhte").last_used_at is not None
    returned = act(script, sct.pk, "return", sct.version, "Bổ sung sản phẩm")
    assert returned.status_code == 200, returned.json()

    stored = ApiToken.objects.get(user__username="pct.kinhte")
    browser.post(reverse("core:api-token-revoke", args=[stored.pk]))
    before = written()

    assert script.get(f"{API}/registrations/{sct.pk}").status_code == 401
    refused = act(script, sct.pk, "return", returned.json()["version"], "Lần nữa")
    assert refused.status_code == 401
    assert "mã truy cập" in refused.json()["detail"]
    assert written() == before


def test_a_token_of_a_deactivated_person_gets_401(client_for: Any) -> None:
    token = token_for(client_for, "gd.stc")
    Person.objects.filter(username="gd.stc").update(is_active=False)

    assert TokenClient(token).get(f"{API}/registrations").status_code == 401


# --- lists: filters, pagination, query counts ---------------------------------------------------------------


def test_the_list_is_scoped_filtered_and_paginated(client_for: Any, registration_of: Any) -> None:
    client = client_for("chutich")

    everything = client.get(f"{API}/registrations").json()
    page = client.get(f"{API}/registrations", {"page_size": 3, "page": 2}).json()
    submitted = client.get(f"{API}/registrations", {"status": "submitted"}).json()
    sct = client.get(f"{API}/registrations", {"unit": registration_of("SCT").unit_id}).json()
    found = client.get(f"{API}/registrations", {"q": "cong thuong"}).json()
    head = client_for("gd.sct").get(f"{API}/registrations").json()

    assert everything["count"] == Registration.objects.count() == 10
    assert len(page["items"]) == 3
    assert page["count"] == 10
    assert {r["unit"]["code"] for r in submitted["items"]} == {"SCT", "XA01", "XA11"}
    assert [r["unit"]["code"] for r in sct["items"]] == ["SCT"]
    assert [r["unit"]["code"] for r in found["items"]] == ["SCT"]
    assert [r["unit"]["code"] for r in head["items"]] == ["SCT"]
    assert head["items"][0]["task_count"] == 9
    assert head["items"][0]["status_label"] == "Đã trình, chờ phê duyệt"


def test_a_wrong_status_filter_is_a_422(client_for: Any) -> None:
    response = client_for("chutich").get(f"{API}/registrations", {"status": "done"})

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["status"]


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_takes_the_same_queries_whatever_the_number_of_rows(
    client_for: Any, period: Period, django_assert_max_num_queries: Any
) -> None:
    client = client_for("chutich")
    with django_assert_max_num_queries(8):
        client.get(f"{API}/registrations")
    before = _queries(client, f"{API}/registrations")

    for head in Person.objects.filter(role=Role.HEAD, unit__code__in=["STC", "STP", "TTT", "XA05", "XA06"]):
        create_registration(period=period, by=head)

    assert Registration.objects.count() == 15
    assert _queries(client, f"{API}/registrations") == before


def test_the_detail_takes_the_same_queries_whatever_the_number_of_tasks(
    client_for: Any, registration_of: Any, stc_registration: Registration, django_assert_max_num_queries: Any
) -> None:
    small, large = registration_of("SYT"), stc_registration  # drafts: 4 and 9 tasks, problems computed
    assert (small.tasks.count(), large.tasks.count()) == (4, 9)

    syt, stc = client_for("gd.syt"), client_for("gd.stc")

    with django_assert_max_num_queries(15):
        detail(syt, small.pk)
    assert _queries(syt, f"{API}/registrations/{small.pk}") == _queries(
        stc, f"{API}/registrations/{large.pk}"
    )
    chairman = client_for("chutich")
    assert _queries(chairman, f"{API}/registrations/{small.pk}") == _queries(
        chairman, f"{API}/registrations/{large.pk}"
    )
