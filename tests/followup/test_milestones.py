"""Milestones of a followed key task: the lead unit records the day each was met; the record counts in the
delivery proposal, survives an approved change of the task, and is refused with a clear message when wrong."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from trongtam.core.models import AuditEntry
from trongtam.followup.domain.status import proposed_delivery
from trongtam.followup.enums import Delivery
from trongtam.followup.models import Task
from trongtam.keytasks.domain.registration import TaskInput, save_task, transition_registration
from trongtam.keytasks.enums import RegistrationAction as A
from trongtam.keytasks.models import Milestone

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed(registration_of: Any, person: Any) -> tuple[Task, Milestone]:
    """SCT's approved key task that has a milestone (30/04/2026, "Hoàn thành kiểm kê hồ sơ")."""
    registration = registration_of("SCT")
    transition_registration(registration.pk, A.APPROVE, by=person("pct.kinhte"))
    milestone = Milestone.objects.get(task__registration=registration)
    return Task.objects.get(key_task=milestone.task), milestone


def _post(client: Any, task: Task, milestone: Milestone, **fields: Any) -> Any:
    prefix = f"milestone-{milestone.pk}"
    data = {f"{prefix}-version": task.version, **{f"{prefix}-{k}": v for k, v in fields.items()}}
    return client.post(reverse("followup:milestone-record", args=[task.pk, milestone.pk]), data)


def test_the_head_records_a_milestone_met_and_the_page_shows_it(
    followed: tuple[Task, Milestone], client_for: Any
) -> None:
    task, milestone = followed
    client = client_for("gd.sct")
    page = client.get(task.get_absolute_url()).content.decode()
    assert "Hoàn thành kiểm kê hồ sơ" in page
    assert "Ghi nhận đạt mốc" in page
    entries = AuditEntry.objects.count()

    response = _post(client, task, milestone, met_on="28/04/2026")

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.met_on == dt.date(2026, 4, 28)
    assert Task.objects.get(pk=task.pk).version == task.version + 1
    assert AuditEntry.objects.count() == entries + 1
    assert "Đạt ngày 28/04/2026" in client.get(task.get_absolute_url()).content.decode()


def test_the_record_can_be_withdrawn(followed: tuple[Task, Milestone], client_for: Any) -> None:
    task, milestone = followed
    client = client_for("gd.sct")
    _post(client, task, milestone, met_on="28/04/2026")
    task.refresh_from_db()
    assert _post(client, task, milestone, clear="True").status_code == 302
    milestone.refresh_from_db()
    assert milestone.met_on is None


@pytest.mark.parametrize(
    ("met_on", "message"),
    [
        ("", "Cần nhập ngày đạt mốc"),
        ("31/02/2026", "Nhập một ngày hợp lệ"),
        ("01/01/2099", "không được sau hôm nay"),
        ("01/01/2020", "không được trước ngày bắt đầu kỳ công tác"),
    ],
)
def test_a_wrong_date_is_named_and_nothing_is_written(
    followed: tuple[Task, Milestone], client_for: Any, met_on: str, message: str
) -> None:
    task, milestone = followed
    entries = AuditEntry.objects.count()
    response = _post(client_for("gd.sct"), task, milestone, met_on=met_on)
    assert response.status_code == 200
    assert message in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.met_on is None
    assert AuditEntry.objects.count() == entries


def test_a_stale_form_is_refused_naming_who_changed_the_task(
    followed: tuple[Task, Milestone], client_for: Any, person: Any
) -> None:
    task, milestone = followed
    _post(client_for("pgd.sct"), task, milestone, met_on="28/04/2026")  # the deputy, in another tab
    response = _post(client_for("gd.sct"), task, milestone, clear="True")  # the version the head loaded
    assert response.status_code == 409
    assert person("pgd.sct").get_full_name() in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.met_on == dt.date(2026, 4, 28)


@pytest.mark.parametrize(("username", "status"), [("cv.sct", 403), ("pct.kinhte", 403), ("gd.stc", 404)])
def test_only_the_lead_units_leaders_record_milestones(
    followed: tuple[Task, Milestone], client_for: Any, username: str, status: int
) -> None:
    task, milestone = followed
    assert _post(client_for(username), task, milestone, met_on="28/04/2026").status_code == status
    milestone.refresh_from_db()
    assert milestone.met_on is None


def test_a_milestone_of_another_task_is_refused(followed: tuple[Task, Milestone], client_for: Any) -> None:
    task, milestone = followed
    other = Task.objects.filter(registration=task.registration).exclude(pk=task.pk).first()
    assert other is not None
    response = _post(client_for("gd.sct"), other, milestone, met_on="28/04/2026")
    assert "không thuộc nhiệm vụ" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.met_on is None


def test_a_missed_milestone_turns_the_proposal_amber_until_it_is_met() -> None:
    start, deadline, today = dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 7, 2)
    on_course: dict[str, Any] = {"start": start, "deadline": deadline, "today": today, "percent": 50}
    assert proposed_delivery(**on_course, milestones_due=1, milestones_met=0) == Delivery.AMBER
    assert proposed_delivery(**on_course, milestones_due=1, milestones_met=1) == Delivery.GREEN


def test_an_approved_change_keeps_the_day_a_kept_milestone_was_met(
    followed: tuple[Task, Milestone], client_for: Any, person: Any
) -> None:
    task, milestone = followed
    _post(client_for("gd.sct"), task, milestone, met_on="28/04/2026")
    registration = task.registration
    assert registration is not None
    head = person("gd.sct")
    transition_registration(registration.pk, A.REQUEST_CHANGE, by=head, comment="Điều chỉnh thời hạn")
    transition_registration(registration.pk, A.APPROVE_CHANGE, by=person("pct.kinhte"))
    key_task = milestone.task
    registration.refresh_from_db()
    save_task(
        registration_id=registration.pk, by=head, expected_version=registration.version, task_id=key_task.pk,
        data=TaskInput(kind=key_task.kind, title=key_task.title, deadline=dt.date(2026, 12, 20),
                       lead_unit_id=key_task.lead_unit_id, product=key_task.product,
                       common_task_id=key_task.common_task_id, assigned_task_id=key_task.assigned_task_id,
                       milestones=[(milestone.title, milestone.due_date), ("Mốc mới", dt.date(2026, 10, 30))]),
    )  # fmt: skip
    kept = Milestone.objects.get(task=key_task, title=milestone.title)
    assert kept.met_on == dt.date(2026, 4, 28)
    assert Milestone.objects.get(task=key_task, title="Mốc mới").met_on is None


def test_the_api_lists_and_records_milestones(followed: tuple[Task, Milestone], client_for: Any) -> None:
    task, milestone = followed
    client = client_for("gd.sct")
    detail = client.get(f"/api/v1/tasks/{task.pk}").json()
    assert [m["title"] for m in detail["milestones"]] == [milestone.title]
    assert "milestones" in {a["action"] for a in detail["actions"]}
    url = f"/api/v1/tasks/{task.pk}/milestones/{milestone.pk}"
    late = client.post(
        url, {"version": task.version, "met_on": "2099-01-01"}, content_type="application/json"
    )
    assert late.status_code == 400
    assert "met_on" in late.json()["errors"]
    done = client.post(
        url, {"version": task.version, "met_on": "2026-04-28"}, content_type="application/json"
    )
    assert done.status_code == 200
    assert done.json()["milestones"][0]["met_on"] == "2026-04-28"
    stale = client.post(url, {"version": task.version, "met_on": None}, content_type="application/json")
    assert stale.status_code == 409
    official = client_for("cv.sct").post(
        url, {"version": task.version + 1, "met_on": None}, content_type="application/json"
    )
    assert official.status_code == 403
    milestone.refresh_from_db()
    assert milestone.met_on == dt.date(2026, 4, 28)
