"""Approved key tasks are followed like directives, and approved changes carry over."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from trongtam.followup.enums import Lifecycle, Source
from trongtam.followup.models import Task
from trongtam.keytasks.domain.registration import TaskInput, delete_task, save_task, transition_registration
from trongtam.keytasks.enums import RegistrationAction as A
from trongtam.keytasks.enums import TaskKind

pytestmark = pytest.mark.django_db


def test_approval_starts_following_every_key_task(registration_of: Any, person: Any) -> None:
    registration = registration_of("SCT")
    assert not Task.objects.filter(registration=registration).exists()
    transition_registration(registration.pk, A.APPROVE, by=person("pct.kinhte"))
    followed = Task.objects.filter(registration=registration)
    assert followed.count() == registration.tasks.count() == 9
    task = followed.get(key_task__kind=TaskKind.ASSIGNED)
    assert task.source == Source.KEY_TASK
    assert task.lead_unit.code == "SCT"
    assert task.assigned_by.username == "pct.kinhte"
    assert task.deadline == task.original_deadline == task.key_task.deadline  # type: ignore[union-attr]
    assert task.due_soon_from is not None


def test_an_approved_change_moves_the_deadline_and_cancels_a_dropped_task(
    registration_of: Any, person: Any
) -> None:
    registration = registration_of("SGDDT")  # revising after an approved change request
    head, vc = person("gd.sgddt"), person("pct.vanxa")
    own = list(registration.tasks.filter(kind=TaskKind.OWN).order_by("pk"))
    moved, dropped = own[0], own[-1]
    registration.refresh_from_db()
    save_task(
        registration_id=registration.pk, by=head, expected_version=registration.version, task_id=moved.pk,
        data=TaskInput(kind=TaskKind.OWN, title=moved.title, deadline=dt.date(2026, 12, 20),
                       lead_unit_id=moved.lead_unit_id, product="Kho dữ liệu hồ sơ số"),
    )  # fmt: skip
    registration.refresh_from_db()
    save_task(
        registration_id=registration.pk, by=head, expected_version=registration.version,
        data=TaskInput(kind=TaskKind.OWN, title="Nhiệm vụ bổ sung", deadline=dt.date(2026, 12, 1),
                       lead_unit_id=moved.lead_unit_id, product="Báo cáo"),
    )  # fmt: skip
    registration.refresh_from_db()
    original = Task.objects.get(key_task=moved).deadline
    delete_task(
        registration_id=registration.pk, task_id=dropped.pk, by=head, expected_version=registration.version
    )
    transition_registration(registration.pk, A.SUBMIT, by=head)
    transition_registration(registration.pk, A.APPROVE, by=vc)
    followed = Task.objects.get(key_task=moved)
    assert followed.deadline == dt.date(2026, 12, 20)
    assert followed.original_deadline == original
    gone = Task.objects.get(registration=registration, key_task__isnull=True)
    assert gone.lifecycle == Lifecycle.CANCELLED
    assert gone.events.get().comment
