"""Following a task: progress, contributions, extensions, completion and acceptance, through the domain."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.followup.factories import make_directive, make_directive_task
from trongtam.core.errors import RuleViolations, StaleEdit, TransitionNotAllowed
from trongtam.core.models import AuditEntry
from trongtam.directives.models import Frequency, Recurrence
from trongtam.followup.domain.tasks import (
    ProgressInput,
    act,
    add_progress,
    decide_extension,
    report_completion,
    request_extension,
)
from trongtam.followup.enums import Delivery, FollowAction, Lifecycle
from trongtam.followup.models import Evidence, ExtensionRequest, ProgressUpdate, Task
from trongtam.org.models import Unit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name: str = "bao-cao.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF)


@pytest.fixture
def task() -> Task:
    """SCT leads, STC coordinates; assigned 2/3/2026 by the Office, due 30/6/2026."""
    made = make_directive_task(
        lead_unit=Unit.objects.get(code="SCT"),
        deadline=dt.date(2026, 6, 30),
        due_soon_from=dt.date(2026, 6, 25),
    )
    made.coordinating_units.set([Unit.objects.get(code="STC")])
    return made


def fresh(task: Task) -> Task:
    return Task.objects.get(pk=task.pk)


def test_a_progress_report_starts_the_task_and_the_system_proposes_a_judgement(
    task: Task, person: Any
) -> None:
    update = add_progress(
        task.pk,
        ProgressInput(
            percent=40, narrative="Đã rà soát 40 thủ tục", files=[pdf(), SimpleUploadedFile("a.png", PNG)]
        ),
        by=person("cv.sct"),
        expected_version=task.version,
        today=dt.date(2026, 4, 30),
    )
    task = fresh(task)
    assert task.lifecycle == Lifecycle.IN_PROGRESS
    assert task.percent == 40
    assert update.proposed_delivery == Delivery.GREEN  # 59 of 120 days gone, 40 % done: within 10 points
    assert Evidence.objects.filter(update=update).count() == 2
    assert task.events.get().action == FollowAction.START


def test_overriding_the_judgement_needs_a_reason_and_keeps_both(task: Task, person: Any) -> None:
    data = ProgressInput(percent=10, narrative="Mới khởi động", delivery=Delivery.GREEN)
    with pytest.raises(RuleViolations) as caught:
        add_progress(
            task.pk, data, by=person("gd.sct"), expected_version=task.version, today=dt.date(2026, 6, 1)
        )
    assert "override_reason" in caught.value.by_field()
    data.override_reason = "Đã ký hợp đồng tư vấn, khối lượng còn lại làm trong 2 tuần"
    update = add_progress(
        task.pk, data, by=person("gd.sct"), expected_version=task.version, today=dt.date(2026, 6, 1)
    )
    assert (update.proposed_delivery, update.delivery) == (Delivery.RED, Delivery.GREEN)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (ProgressInput(percent=120, narrative="x"), "percent"),
        (ProgressInput(percent=None, narrative="x"), "percent"),
        (ProgressInput(percent=10, narrative="  "), "narrative"),
        (ProgressInput(percent=10, narrative="x", files=[SimpleUploadedFile("virus.exe", b"MZ")]), "files"),
        (
            ProgressInput(percent=10, narrative="x", files=[SimpleUploadedFile("anh.png", b"not a png")]),
            "files",
        ),
    ],
)
def test_bad_progress_names_the_field_and_writes_nothing(
    task: Task, person: Any, data: ProgressInput, field: str
) -> None:
    before = ProgressUpdate.objects.count(), Evidence.objects.count(), AuditEntry.objects.count()
    with pytest.raises(RuleViolations) as caught:
        add_progress(
            task.pk, data, by=person("gd.sct"), expected_version=task.version, today=dt.date(2026, 4, 1)
        )
    assert field in caught.value.by_field()
    assert (ProgressUpdate.objects.count(), Evidence.objects.count(), AuditEntry.objects.count()) == before
    assert fresh(task).lifecycle == Lifecycle.NOT_STARTED


def test_too_large_evidence_is_refused(task: Task, person: Any) -> None:
    big = SimpleUploadedFile("lon.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(RuleViolations, match="vượt giới hạn"):
        add_progress(task.pk, ProgressInput(percent=5, narrative="x", files=[big]), by=person("gd.sct"),
                     expected_version=task.version)  # fmt: skip


def test_a_coordinating_unit_contributes_without_moving_the_lead_units_figures(
    task: Task, person: Any
) -> None:
    update = add_progress(
        task.pk, ProgressInput(percent=100, narrative="Sở Tài chính đã có ý kiến bằng văn bản"),
        by=person("cv.stc"), expected_version=task.version, today=dt.date(2026, 4, 1),
    )  # fmt: skip
    assert update.is_contribution
    assert update.unit.code == "STC"
    task = fresh(task)
    assert (task.percent, task.lifecycle) == (0, Lifecycle.NOT_STARTED)


@pytest.mark.parametrize("username", ["gd.sxd", "pct.vanxa", "congdan", "hdnd"])
def test_outsiders_cannot_report(task: Task, person: Any, username: str) -> None:
    with pytest.raises(PermissionDenied):
        add_progress(
            task.pk, ProgressInput(percent=5, narrative="x"), by=person(username), expected_version=None
        )


def test_an_extension_moves_the_deadline_and_keeps_the_original(task: Task, person: Any) -> None:
    extension = request_extension(
        task.pk,
        by=person("gd.sct"),
        new_deadline=dt.date(2026, 7, 31),
        reason="Chờ ý kiến Bộ",
        expected_version=1,
    )
    decide_extension(extension.pk, by=person("vanphong"), approve=True)
    task = fresh(task)
    assert (task.original_deadline, task.deadline) == (dt.date(2026, 6, 30), dt.date(2026, 7, 31))
    assert task.due_soon_from == dt.date(2026, 7, 28)


@pytest.mark.parametrize(
    ("new_deadline", "reason", "field"),
    [(dt.date(2026, 6, 1), "Lý do", "new_deadline"), (dt.date(2026, 6, 30), "Lý do", "new_deadline"),
     (None, "Lý do", "new_deadline"), (dt.date(2026, 8, 1), " ", "reason")],
)  # fmt: skip
def test_an_extension_to_an_earlier_date_is_refused(
    task: Task, person: Any, new_deadline: dt.date | None, reason: str, field: str
) -> None:
    with pytest.raises(RuleViolations) as caught:
        request_extension(
            task.pk, by=person("gd.sct"), new_deadline=new_deadline, reason=reason, expected_version=1
        )
    assert field in caught.value.by_field()
    assert not ExtensionRequest.objects.filter(task=task).exists()


def test_one_pending_extension_at_a_time_and_a_refusal_needs_a_reason(task: Task, person: Any) -> None:
    first = request_extension(task.pk, by=person("gd.sct"), new_deadline=dt.date(2026, 7, 31), reason="A",
                              expected_version=None)  # fmt: skip
    with pytest.raises(TransitionNotAllowed, match="đang chờ quyết định"):
        request_extension(task.pk, by=person("pgd.sct"), new_deadline=dt.date(2026, 8, 31), reason="B",
                          expected_version=None)  # fmt: skip
    with pytest.raises(RuleViolations):
        decide_extension(first.pk, by=person("pct.kinhte"), approve=False)
    decide_extension(first.pk, by=person("pct.kinhte"), approve=False, note="Không có căn cứ")
    assert fresh(task).deadline == dt.date(2026, 6, 30)
    with pytest.raises(PermissionDenied):
        request_extension(task.pk, by=person("cv.sct"), new_deadline=dt.date(2026, 7, 31), reason="C",
                          expected_version=None)  # fmt: skip


@pytest.mark.parametrize(
    ("reported", "on_time"), [(dt.date(2026, 6, 30), True), (dt.date(2026, 7, 1), False)]
)
def test_completion_on_the_last_day_is_on_time_and_after_it_late(
    task: Task, person: Any, reported: dt.date, on_time: bool
) -> None:
    report_completion(task.pk, by=person("gd.sct"), narrative="Đã hoàn thành", files=[pdf()], expected_version=1,
                      today=reported)  # fmt: skip
    assert fresh(task).lifecycle == Lifecycle.AWAITING_ACCEPTANCE
    with time_machine.travel(dt.datetime(2026, 7, 20, 9, tzinfo=dt.UTC)):  # accepted weeks later
        act(task.pk, FollowAction.ACCEPT, by=person("vanphong"))
    task = fresh(task)
    assert (task.lifecycle, task.on_time, task.percent) == (Lifecycle.DONE, on_time, 100)


def test_completion_needs_evidence(task: Task, person: Any) -> None:
    with pytest.raises(RuleViolations) as caught:
        report_completion(task.pk, by=person("gd.sct"), narrative="Xong", files=[], expected_version=None)
    assert "files" in caught.value.by_field()
    assert fresh(task).lifecycle == Lifecycle.NOT_STARTED


def test_a_returned_completion_goes_back_to_redo_with_the_reason(task: Task, person: Any) -> None:
    report_completion(task.pk, by=person("gd.sct"), narrative="Xong", files=[pdf()], expected_version=None)
    with pytest.raises(RuleViolations):
        act(task.pk, FollowAction.RETURN, by=person("vanphong"))
    act(task.pk, FollowAction.RETURN, by=person("vanphong"), comment="Thiếu số liệu quý II")
    task = fresh(task)
    assert task.lifecycle == Lifecycle.REDO
    assert task.completion_reported_on is None
    assert task.events.last().comment == "Thiếu số liệu quý II"  # type: ignore[union-attr]


def test_a_returned_task_shows_the_progress_reported_before_the_completion(task: Task, person: Any) -> None:
    head = person("gd.sct")
    add_progress(task.pk, ProgressInput(percent=60, narrative="Đã làm 60%"), by=head, expected_version=None)
    report_completion(task.pk, by=head, narrative="Xong", files=[pdf()], expected_version=None)
    assert fresh(task).percent == 100
    act(task.pk, FollowAction.RETURN, by=person("vanphong"), comment="Thiếu số liệu quý II")
    assert fresh(task).percent == 60  # not 100: the work is not done
    report_completion(task.pk, by=head, narrative="Đã bổ sung", files=[pdf()], expected_version=None)
    act(task.pk, FollowAction.RETURN, by=person("vanphong"), comment="Vẫn thiếu")
    assert fresh(task).percent == 60  # a second round: still the unit's own last report


def test_a_monthly_occurrence_is_judged_on_its_own_month(person: Any) -> None:
    """The July report's time runs from the June report's deadline, not from the document's date in March."""
    directive = make_directive()
    june = make_directive_task(directive, deadline=dt.date(2026, 6, 25), title="Báo cáo tháng 6")
    series = Recurrence.objects.create(
        directive=directive, title="Báo cáo tháng", frequency=Frequency.MONTHLY, day=25,
        starts_on=dt.date(2026, 6, 1), ends_on=dt.date(2026, 7, 31),
    )  # fmt: skip
    july = make_directive_task(directive, deadline=dt.date(2026, 7, 27), title="Báo cáo tháng 7")
    Task.objects.filter(pk__in=[june.pk, july.pk]).update(series=series)
    with time_machine.travel(dt.datetime(2026, 7, 3, 2, tzinfo=dt.UTC), tick=False):
        update = add_progress(
            july.pk,
            ProgressInput(percent=25, narrative="Đang tổng hợp"),
            by=person("gd.sct"),
            expected_version=None,
        )
    # A third of the July month has gone and a quarter is done: green. From 2/3 it would be red (88 % elapsed).
    assert update.proposed_delivery == Delivery.GREEN


def test_only_the_assigner_side_accepts(task: Task, person: Any) -> None:
    report_completion(task.pk, by=person("gd.sct"), narrative="Xong", files=[pdf()], expected_version=None)
    for username in ("gd.sct", "pct.vanxa", "gd.stc", "hdnd"):
        with pytest.raises(PermissionDenied):
            act(task.pk, FollowAction.ACCEPT, by=person(username))
    act(task.pk, FollowAction.ACCEPT, by=person("pct.kinhte"))  # in charge of SCT
    assert fresh(task).lifecycle == Lifecycle.DONE


def test_a_stale_version_is_refused_naming_who_acted(task: Task, person: Any) -> None:
    seen = task.version
    add_progress(
        task.pk, ProgressInput(percent=20, narrative="Lần 1"), by=person("gd.sct"), expected_version=seen
    )
    with pytest.raises(StaleEdit) as caught:
        add_progress(
            task.pk, ProgressInput(percent=25, narrative="Lần 2"), by=person("pgd.sct"), expected_version=seen
        )
    assert person("gd.sct").get_full_name() in caught.value.user_message
    assert fresh(task).percent == 20


def test_closed_tasks_take_no_more_reports(task: Task, person: Any) -> None:
    act(task.pk, FollowAction.CANCEL, by=person("vanphong"), comment="Không còn phù hợp")
    with pytest.raises(TransitionNotAllowed):
        add_progress(
            task.pk, ProgressInput(percent=5, narrative="x"), by=person("gd.sct"), expected_version=None
        )
