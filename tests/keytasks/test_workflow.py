"""The registration workflow through the domain functions: states, comments, locking, versions, history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from trongtam.core.errors import DomainError, RuleViolations, StaleEdit, TransitionNotAllowed
from trongtam.core.models import AuditEntry, Notification
from trongtam.keytasks.domain.registration import (
    TaskInput,
    delete_task,
    save_task,
    sign_commitment,
    transition_registration,
)
from trongtam.keytasks.enums import RegistrationAction as A
from trongtam.keytasks.enums import RegistrationStatus as S
from trongtam.keytasks.enums import TaskKind
from trongtam.keytasks.models import Registration

pytestmark = pytest.mark.django_db


def act(registration: Registration, action: A, by: Any, comment: str = "") -> Registration:
    return transition_registration(registration.pk, action, by=by, comment=comment)


def test_the_whole_story(stc_registration: Registration, person: Any) -> None:
    head, vc = person("gd.stc"), person("pct.kinhte")
    assert stc_registration.status == S.DRAFT

    assert act(stc_registration, A.SUBMIT, head).status == S.SUBMITTED
    assert act(stc_registration, A.RETURN, vc, "Bổ sung sản phẩm").status == S.RETURNED
    assert act(stc_registration, A.SUBMIT, head).status == S.SUBMITTED
    approved = act(stc_registration, A.APPROVE, vc)
    assert approved.status == S.APPROVED
    assert approved.approved_by == vc
    assert approved.approved_versions.count() == 1

    assert act(stc_registration, A.REQUEST_CHANGE, head, "Lùi thời hạn").status == S.CHANGE_REQUESTED
    assert act(stc_registration, A.APPROVE_CHANGE, vc).status == S.REVISING
    assert act(stc_registration, A.SUBMIT, head).status == S.SUBMITTED
    assert act(stc_registration, A.APPROVE, vc).status == S.APPROVED
    assert stc_registration.approved_versions.count() == 2

    history = list(stc_registration.status_changes.order_by("at", "pk").values_list("action", "comment"))
    assert history == [
        (A.SUBMIT, ""),
        (A.RETURN, "Bổ sung sản phẩm"),
        (A.SUBMIT, ""),
        (A.APPROVE, ""),
        (A.REQUEST_CHANGE, "Lùi thời hạn"),
        (A.APPROVE_CHANGE, ""),
        (A.SUBMIT, ""),
        (A.APPROVE, ""),
    ]
    transitions = AuditEntry.objects.filter(
        root_type="keytasks.registration", root_id=str(stc_registration.pk), action="transition"
    )
    assert transitions.count() == 8


def test_the_chairman_may_approve_any_unit(stc_registration: Registration, person: Any) -> None:
    act(stc_registration, A.SUBMIT, person("gd.stc"))
    assert act(stc_registration, A.APPROVE, person("chutich")).status == S.APPROVED


@pytest.mark.parametrize("username", ["pct.vanxa", "pct.noichinh", "gd.sct", "pgd.stc", "vanphong", "hdnd"])
def test_nobody_else_may_approve(stc_registration: Registration, person: Any, username: str) -> None:
    act(stc_registration, A.SUBMIT, person("gd.stc"))
    with pytest.raises(PermissionDenied):
        act(stc_registration, A.APPROVE, person(username))
    stc_registration.refresh_from_db()
    assert stc_registration.status == S.SUBMITTED


def test_only_the_head_submits(stc_registration: Registration, person: Any) -> None:
    for username in ("pgd.stc", "cv.stc", "pct.kinhte", "gd.sct"):
        with pytest.raises(PermissionDenied):
            act(stc_registration, A.SUBMIT, person(username))


@pytest.mark.parametrize("action", [A.RETURN, A.REQUEST_CHANGE, A.REJECT_CHANGE])
def test_actions_that_need_a_comment_refuse_without_one(registration_of: Any, person: Any, action: A) -> None:
    registration = {
        A.RETURN: registration_of("SCT"),
        A.REQUEST_CHANGE: registration_of("SNNMT"),
        A.REJECT_CHANGE: registration_of("SKHCN"),
    }[action]
    by = person("gd.snnmt") if action == A.REQUEST_CHANGE else person("pct.kinhte")
    before = registration.status
    with pytest.raises(DomainError, match="Cần nhập ý kiến"):
        act(registration, action, by, comment="   ")
    registration.refresh_from_db()
    assert registration.status == before


def test_reject_change_restores_the_approved_lock(registration_of: Any, person: Any) -> None:
    registration = registration_of("SKHCN")
    assert act(registration, A.REJECT_CHANGE, person("pct.kinhte"), "Chưa đủ căn cứ").status == S.APPROVED


def test_a_wrong_state_is_refused_with_the_current_state_named(registration_of: Any, person: Any) -> None:
    with pytest.raises(TransitionNotAllowed, match="Dự thảo"):
        act(registration_of("SYT"), A.APPROVE, person("pct.vanxa"))


def test_repeating_the_same_action_is_harmless(registration_of: Any, person: Any) -> None:
    registration = registration_of("SNNMT")
    changes = registration.status_changes.count()
    assert act(registration, A.APPROVE, person("pct.kinhte")).status == S.APPROVED
    assert registration.status_changes.count() == changes


def test_approval_locks_the_content(registration_of: Any, person: Any) -> None:
    registration = registration_of("SNNMT")
    task = registration.tasks.first()
    assert task is not None
    data = TaskInput(
        kind=task.kind,
        title="Đổi tên",
        deadline=task.deadline,
        lead_unit_id=task.lead_unit_id,
        product="x",
        common_task_id=task.common_task_id,
        assigned_task_id=task.assigned_task_id,
    )
    with pytest.raises(TransitionNotAllowed, match="đề nghị điều chỉnh"):
        save_task(
            registration_id=registration.pk,
            by=person("gd.snnmt"),
            data=data,
            expected_version=registration.version,
            task_id=task.pk,
        )
    with pytest.raises((TransitionNotAllowed, PermissionDenied)):
        delete_task(
            registration_id=registration.pk,
            task_id=task.pk,
            by=person("gd.snnmt"),
            expected_version=registration.version,
        )
    task.refresh_from_db()
    assert task.title != "Đổi tên"


def test_the_approved_version_stays_readable_while_revising(registration_of: Any, person: Any) -> None:
    registration = registration_of("SGDDT")
    assert registration.status == S.REVISING
    version = registration.approved_versions.get()
    titles_then = [t["title"] for t in version.content["tasks"]]
    task = registration.tasks.filter(kind=TaskKind.OWN).first()
    assert task is not None
    data = TaskInput(
        kind=TaskKind.OWN,
        title="Nhiệm vụ đã điều chỉnh",
        deadline=dt.date(2026, 10, 31),
        lead_unit_id=task.lead_unit_id,
        product="Báo cáo",
    )
    save_task(
        registration_id=registration.pk,
        by=person("gd.sgddt"),
        data=data,
        expected_version=registration.version,
        task_id=task.pk,
    )
    version.refresh_from_db()
    assert [t["title"] for t in version.content["tasks"]] == titles_then
    assert "Nhiệm vụ đã điều chỉnh" not in titles_then


def test_submission_names_every_broken_rule_at_once(person: Any, period: Any, unit: Any) -> None:
    from tests.keytasks.conftest import register

    stc = unit("STC")
    bad = [
        TaskInput(
            kind=TaskKind.OWN,
            title="Một nhiệm vụ",
            deadline=dt.date(2026, 6, 30),
            lead_unit_id=stc.pk,
            product="Báo cáo",
        ),
    ]
    registration = register(person("gd.stc"), period, bad)
    with pytest.raises(RuleViolations) as caught:
        act(registration, A.SUBMIT, person("gd.stc"))
    fields = caught.value.by_field()
    assert "tasks.own" in fields  # 1 own task, 3 to 5 needed
    assert "tasks.common" in fields  # none of the 5 common tasks made concrete
    assert "tasks.assigned" in fields  # the Chairman's task missing
    assert len(fields["tasks.common"]) == 5
    registration.refresh_from_db()
    assert registration.status == S.DRAFT


def test_a_task_outside_the_period_is_refused_on_save(stc_registration: Registration, person: Any) -> None:
    data = TaskInput(
        kind=TaskKind.OWN,
        title="Quá hạn",
        deadline=dt.date(2027, 1, 15),
        lead_unit_id=stc_registration.unit_id,
    )
    with pytest.raises(RuleViolations) as caught:
        save_task(
            registration_id=stc_registration.pk,
            by=person("gd.stc"),
            data=data,
            expected_version=stc_registration.version,
        )
    messages = " ".join(p.message for p in caught.value.problems)
    assert "nằm ngoài kỳ công tác" in messages
    assert "sản phẩm đo được" in messages
    assert not stc_registration.tasks.filter(title="Quá hạn").exists()


def test_a_stale_version_is_refused_and_names_who_acted(stc_registration: Registration, person: Any) -> None:
    head, vc, chairman = person("gd.stc"), person("pct.kinhte"), person("chutich")
    act(stc_registration, A.SUBMIT, head)
    stc_registration.refresh_from_db()
    seen = stc_registration.version
    transition_registration(stc_registration.pk, A.APPROVE, by=vc, expected_version=seen)
    with pytest.raises(StaleEdit) as caught:
        transition_registration(
            stc_registration.pk, A.RETURN, by=chairman, comment="Xem lại", expected_version=seen
        )
    assert vc.get_full_name() in str(caught.value.user_message)
    stc_registration.refresh_from_db()
    assert stc_registration.status == S.APPROVED


def test_a_stale_task_edit_is_refused(stc_registration: Registration, person: Any) -> None:
    task = stc_registration.tasks.filter(kind=TaskKind.OWN).first()
    assert task is not None
    data = TaskInput(
        kind=TaskKind.OWN,
        title="Sửa lần hai",
        deadline=task.deadline,
        lead_unit_id=task.lead_unit_id,
        product="Báo cáo",
    )
    with pytest.raises(StaleEdit):
        save_task(
            registration_id=stc_registration.pk,
            by=person("gd.stc"),
            data=data,
            expected_version=stc_registration.version - 1,
            task_id=task.pk,
        )
    task.refresh_from_db()
    assert task.title != "Sửa lần hai"


def test_notifications_reach_the_vice_chairman_and_the_head(
    stc_registration: Registration,
    person: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    head, vc = person("gd.stc"), person("pct.kinhte")
    act(stc_registration, A.SUBMIT, head)
    assert Notification.objects.filter(recipient=vc, kind="submitted").exists()
    with django_capture_on_commit_callbacks(execute=True):  # e-mail goes out once the change is committed
        act(stc_registration, A.RETURN, vc, "Thiếu chỉ tiêu")
    returned = Notification.objects.get(recipient=head, kind="returned")
    assert "Thiếu chỉ tiêu" in returned.body
    [mail] = [m for m in mailoutbox if head.email in m.to]
    assert "bị trả lại" in mail.subject
    assert "Thiếu chỉ tiêu" in mail.body
    assert Notification.objects.get(pk=returned.pk).emailed_at is not None
    act(stc_registration, A.SUBMIT, head)
    act(stc_registration, A.APPROVE, vc)
    assert Notification.objects.filter(recipient=head, kind="approved").exists()
    act(stc_registration, A.REQUEST_CHANGE, head, "Điều chỉnh")
    assert Notification.objects.filter(recipient=vc, kind="change_requested").exists()


def test_signing_the_commitment_records_the_time_once(stc_registration: Registration, person: Any) -> None:
    signed = sign_commitment(registration_id=stc_registration.pk, by=person("gd.stc"))
    first = signed.commitment_signed_at
    assert first is not None
    again = sign_commitment(registration_id=stc_registration.pk, by=person("gd.stc"))
    assert again.commitment_signed_at == first
    with pytest.raises(PermissionDenied):
        sign_commitment(registration_id=stc_registration.pk, by=person("pgd.stc"))


def test_deleting_an_unknown_task_is_a_404_not_an_error(
    stc_registration: Registration, client_for: Any
) -> None:
    from django.urls import reverse

    url = reverse("keytasks:task-delete", args=[stc_registration.pk, 999_999])
    response = client_for("gd.stc").post(url, {"version": stc_registration.version})
    assert response.status_code == 404


def test_a_deletion_without_the_version_seen_is_refused(
    stc_registration: Registration, client_for: Any
) -> None:
    from django.urls import reverse

    task = stc_registration.tasks.first()
    assert task is not None
    response = client_for("gd.stc").post(reverse("keytasks:task-delete", args=[stc_registration.pk, task.pk]))
    assert response.status_code == 302
    assert stc_registration.tasks.filter(pk=task.pk).exists()


def test_deleting_from_a_locked_registration_says_why(registration_of: Any, person: Any) -> None:
    registration = registration_of("SNNMT")
    task = registration.tasks.first()
    assert task is not None
    with pytest.raises(TransitionNotAllowed, match="không xoá nhiệm vụ được"):
        delete_task(
            registration_id=registration.pk,
            task_id=task.pk,
            by=person("gd.snnmt"),
            expected_version=registration.version,
        )
