"""The action forms of the task page: progress with evidence, completion then acceptance, extensions, the rules'
refusals and a stale version shown on the page with the input kept, and 403/404 for those without the perm."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.followup.factories import make_directive_task
from trongtam.followup.domain.tasks import ProgressInput, add_progress, request_extension
from trongtam.followup.enums import Lifecycle
from trongtam.followup.models import Evidence, ExtensionRequest, ExtensionStatus, ProgressUpdate, Task
from trongtam.org.models import Person, Unit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def task() -> Task:
    """SCT leads, STC coordinates; assigned 2/3/2026 by the Office, due 30/6/2026."""
    task = make_directive_task()
    task.coordinating_units.set([Unit.objects.get(code="STC")])
    return task


def url(name: str, task: Task, *args: Any) -> str:
    return reverse(f"followup:{name}", args=[task.pk, *args])


def fresh(task: Task) -> Task:
    return Task.objects.get(pk=task.pk)


def progress_data(task: Task, **overrides: Any) -> dict[str, Any]:
    data = {
        "progress-version": str(task.version),
        "progress-percent": "40",
        "progress-narrative": "Đã rà soát 40 thủ tục",
        "progress-obstacles": "",
        "progress-proposals": "",
        "progress-delivery": "",
        "progress-override_reason": "",
    }
    data.update(overrides)
    return data


def test_the_page_offers_each_person_their_own_actions(task: Task, client_for: Any) -> None:
    head = client_for("gd.sct").get(task.get_absolute_url()).context
    assert {"progress", "complete", "extend"} <= set(head["forms"])
    assert "act-accept" not in head["forms"]
    office = client_for("vanphong").get(task.get_absolute_url()).context
    assert "progress" not in office["forms"]
    assert {"act-pause", "act-cancel"} <= set(office["forms"])
    official = client_for("cv.sct").get(task.get_absolute_url()).context
    assert set(official["forms"]) == {"progress"}
    html = client_for("cv.sct").get(task.get_absolute_url()).content.decode()
    assert f'value="{task.version}"' in html
    assert 'type="file" name="progress-files"' in html
    assert "multiple" in html


def test_a_progress_report_with_a_png_through_the_page(task: Task, client_for: Any) -> None:
    data = progress_data(task, **{"progress-files": [SimpleUploadedFile("anh-hien-truong.png", PNG)]})
    response = client_for("cv.sct").post(url("task-progress", task), data, follow=True)
    assert response.redirect_chain[-1][0] == task.get_absolute_url()
    assert "Đã gửi báo cáo tiến độ." in response.content.decode()
    update = ProgressUpdate.objects.get(task=task)
    assert update.percent == 40
    assert list(Evidence.objects.filter(update=update).values_list("name", flat=True)) == [
        "anh-hien-truong.png"
    ]
    after = fresh(task)
    assert after.percent == 40
    assert after.lifecycle == Lifecycle.IN_PROGRESS
    assert after.version == task.version + 1


def test_a_refused_file_is_shown_beside_the_field_with_the_input_kept(task: Task, client_for: Any) -> None:
    data = progress_data(task, **{"progress-files": [SimpleUploadedFile("virus.exe", b"MZ" + b"\x00" * 20)]})
    response = client_for("cv.sct").post(url("task-progress", task), data)
    assert response.status_code == 200
    assert response.context["forms"]["progress"].errors["files"]
    assert "Đã rà soát 40 thủ tục" in response.content.decode()
    assert not ProgressUpdate.objects.filter(task=task).exists()


def test_completion_then_acceptance_through_the_pages(task: Task, client_for: Any) -> None:
    data = {
        "complete-version": str(task.version),
        "complete-narrative": "Đã ban hành kế hoạch",
        "complete-files": [SimpleUploadedFile("ke-hoach.pdf", PDF)],
    }
    response = client_for("gd.sct").post(url("task-complete", task), data)
    assert response.status_code == 302
    reported = fresh(task)
    assert reported.lifecycle == Lifecycle.AWAITING_ACCEPTANCE
    office = client_for("vanphong")
    assert "act-accept" in office.get(task.get_absolute_url()).context["forms"]
    response = office.post(
        url("task-act", task, "accept"), {"act-accept-version": str(reported.version)}, follow=True
    )
    assert "Đã thực hiện: Xác nhận hoàn thành." in response.content.decode()
    done = fresh(task)
    assert done.lifecycle == Lifecycle.DONE
    assert done.percent == 100


def test_completion_without_evidence_is_refused_on_the_page(task: Task, client_for: Any) -> None:
    data = {"complete-version": str(task.version), "complete-narrative": "Đã xong"}
    response = client_for("gd.sct").post(url("task-complete", task), data)
    assert response.status_code == 200
    assert "Cần đính kèm ít nhất một tệp minh chứng." in response.context["forms"]["complete"].errors["files"]
    assert fresh(task).lifecycle == Lifecycle.NOT_STARTED


def test_a_return_needs_a_comment(task: Task, client_for: Any) -> None:
    task.lifecycle = Lifecycle.AWAITING_ACCEPTANCE
    task.save()
    response = client_for("vanphong").post(
        url("task-act", task, "return"), {"act-return-version": task.version}
    )
    assert response.status_code == 200
    assert "Cần nhập ý kiến" in response.content.decode()
    assert fresh(task).lifecycle == Lifecycle.AWAITING_ACCEPTANCE


def test_an_extension_to_an_earlier_date_is_refused_with_the_message(task: Task, client_for: Any) -> None:
    data = {
        "extend-version": str(task.version),
        "extend-new_deadline": "01/06/2026",
        "extend-reason": "Chờ số liệu",
    }
    response = client_for("gd.sct").post(url("task-extend", task), data)
    assert response.status_code == 200
    errors = response.context["forms"]["extend"].errors["new_deadline"]
    assert "phải sau thời hạn hiện tại 30/06/2026" in errors[0]
    html = response.content.decode()
    assert 'href="#id_extend-new_deadline"' in html
    assert "Chờ số liệu" in html
    assert not ExtensionRequest.objects.filter(task=task).exists()


def test_an_extension_requested_then_approved_through_the_pages(task: Task, client_for: Any) -> None:
    data = {
        "extend-version": str(task.version),
        "extend-new_deadline": "31/07/2026",
        "extend-reason": "Chờ số liệu",
    }
    assert client_for("gd.sct").post(url("task-extend", task), data).status_code == 302
    extension = ExtensionRequest.objects.get(task=task)
    office = client_for("vanphong")
    assert "decide" in office.get(task.get_absolute_url()).context["forms"]
    decision = {"decide-version": str(fresh(task).version), "decide-decision": "approve", "decide-note": ""}
    assert office.post(url("extension-decide", task, extension.pk), decision).status_code == 302
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.APPROVED
    assert fresh(task).deadline == dt.date(2026, 7, 31)


def test_a_stale_version_shows_the_message_and_keeps_the_input(task: Task, client_for: Any) -> None:
    seen = task.version
    add_progress(
        task.pk,
        ProgressInput(percent=20, narrative="Báo cáo của đồng nghiệp"),
        by=Person.objects.get(username="pgd.sct"),
        expected_version=None,
    )
    data = progress_data(task, **{"progress-version": str(seen), "progress-narrative": "Nội dung tôi vừa gõ"})
    response = client_for("cv.sct").post(url("task-progress", task), data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "sau khi bạn mở trang" in html
    assert "Nội dung tôi vừa gõ" in html
    form = response.context["forms"]["progress"]
    assert form["version"].value() == str(fresh(task).version)
    assert ProgressUpdate.objects.filter(task=task).count() == 1


def _pending_extension(task: Task) -> ExtensionRequest:
    return request_extension(
        task.pk,
        by=Person.objects.get(username="gd.sct"),
        new_deadline=dt.date(2026, 7, 31),
        reason="Chờ số liệu",
        expected_version=None,
    )


@pytest.mark.parametrize(
    ("username", "name", "action", "status"),
    [
        pytest.param("vanphong", "task-progress", None, 403, id="office-reports-progress"),
        pytest.param("pct.vanxa", "task-progress", None, 404, id="other-vc-reports-progress"),
        pytest.param("cv.sct", "task-complete", None, 403, id="official-reports-completion"),
        pytest.param("gd.stc", "task-complete", None, 403, id="coordinating-head-reports-completion"),
        pytest.param("cv.sct", "task-extend", None, 403, id="official-asks-extension"),
        pytest.param("gd.sct", "extension-decide", None, 403, id="lead-head-decides-extension"),
        pytest.param("gd.sct", "task-act", "accept", 403, id="lead-head-accepts"),
        pytest.param("gd.sct", "task-act", "cancel", 403, id="lead-head-cancels"),
        pytest.param("pct.vanxa", "task-act", "pause", 404, id="other-vc-pauses"),
        pytest.param("congdan", "task-act", "cancel", 404, id="citizen-cancels"),
        pytest.param("vanphong", "task-act", "start", 404, id="not-a-button-action"),
    ],
)
def test_those_without_the_perm_change_nothing(
    username: str, name: str, action: str | None, status: int, *, task: Task, client_for: Any
) -> None:
    extension = _pending_extension(task)
    task = fresh(task)
    args: list[Any] = [action] if action else ([extension.pk] if name == "extension-decide" else [])
    prefix = {"task-progress": "progress", "task-complete": "complete", "task-extend": "extend"}.get(
        name, "decide" if name == "extension-decide" else f"act-{action}"
    )
    data = {
        f"{prefix}-version": str(task.version),
        f"{prefix}-comment": "Không còn cần thiết",
        f"{prefix}-decision": "approve",
        f"{prefix}-new_deadline": "31/08/2026",
        f"{prefix}-reason": "Lý do",
        f"{prefix}-narrative": "Đã xong",
        f"{prefix}-percent": "50",
        f"{prefix}-files": [SimpleUploadedFile("a.pdf", PDF)],
    }
    response = client_for(username).post(url(name, task, *args), data)
    assert response.status_code == status
    after = fresh(task)
    assert (after.version, after.lifecycle, after.deadline) == (task.version, task.lifecycle, task.deadline)
    assert not ProgressUpdate.objects.filter(task=task).exists()
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.PENDING


def test_a_coordinating_unit_contributes_through_the_same_form(task: Task, client_for: Any) -> None:
    response = client_for("cv.stc").post(url("task-progress", task), progress_data(task))
    assert response.status_code == 302
    update = ProgressUpdate.objects.get(task=task)
    assert update.is_contribution
    assert fresh(task).percent == 0


def test_get_on_an_action_url_is_not_allowed(task: Task, client_for: Any) -> None:
    assert client_for("gd.sct").get(url("task-progress", task)).status_code == 405
