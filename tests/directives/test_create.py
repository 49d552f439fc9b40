"""Entering a directive: deadlines as dates, working days or recurrences; bad input names the field, writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from trongtam.core.errors import RuleViolations
from trongtam.core.models import AuditEntry, Notification
from trongtam.directives.domain.deadlines import DeadlineKind, DeadlineSpec
from trongtam.directives.domain.directives import DirectiveInput, TaskSpec, create_directive
from trongtam.directives.models import Directive, Frequency, Recurrence
from trongtam.followup.models import Task
from trongtam.org.models import Unit

pytestmark = pytest.mark.django_db

ISSUED = dt.date(2026, 2, 6)  # a Friday, a week before Tết Bính Ngọ


def document(**overrides: Any) -> DirectiveInput:
    values: dict[str, Any] = {
        "number": "45/TB-UBND",
        "issued_on": ISSUED,
        "kind": "conclusion",
        "signer": "Nguyễn Văn An",
        "excerpt": "Kết luận của Chủ tịch UBND tỉnh tại cuộc họp giao ban tháng 2/2026",
    }
    values.update(overrides)
    return DirectiveInput(**values)


def unit_id(code: str) -> int:
    return Unit.objects.get(code=code).pk


def counts() -> tuple[int, int, int, int]:
    return (
        Directive.objects.count(),
        Task.objects.count(),
        Recurrence.objects.count(),
        AuditEntry.objects.count(),
    )


def four_tasks() -> list[TaskSpec]:
    return [
        TaskSpec("Rà soát thủ tục đầu tư", unit_id("SCT"), DeadlineSpec(DeadlineKind.WORKING_DAYS, working_days=15),
                 coordinating_unit_ids=[unit_id("STC")]),
        TaskSpec("Báo cáo giải ngân vốn đầu tư công", unit_id("STC"),
                 DeadlineSpec(DeadlineKind.RECURRING, frequency=Frequency.MONTHLY, day=20, until=dt.date(2026, 6, 30))),
        TaskSpec("Hoàn thành đề án", unit_id("SXD"), DeadlineSpec(DeadlineKind.DATE, date=dt.date(2026, 9, 30)),
                 urgent=True),
        TaskSpec("Theo dõi, đôn đốc", unit_id("SCT"), DeadlineSpec(DeadlineKind.NONE)),
    ]  # fmt: skip


def test_the_office_enters_a_conclusion_with_four_tasks(person: Any) -> None:
    directive = create_directive(document(), four_tasks(), by=person("vanphong"))
    tasks = {t.title: t for t in directive.tasks.all()}
    # 15 working days from Fri 6/2/2026, Tết 16-20/2 skipped: Fri 6/3/2026
    assert tasks["Rà soát thủ tục đầu tư"].deadline == dt.date(2026, 3, 6)
    assert tasks["Rà soát thủ tục đầu tư"].due_soon_from == dt.date(2026, 3, 3)
    monthly = sorted(t.deadline for t in directive.tasks.filter(series__isnull=False) if t.deadline)
    # the 20th of Feb..Jun; 20/6/2026 is a Saturday -> Monday 22/6
    assert monthly == [dt.date(2026, 2, 23), dt.date(2026, 3, 20), dt.date(2026, 4, 20), dt.date(2026, 5, 20),
                       dt.date(2026, 6, 22)]  # fmt: skip
    assert tasks["Hoàn thành đề án"].urgent
    assert tasks["Theo dõi, đôn đốc"].deadline is None
    assert all(t.original_deadline == t.deadline for t in directive.tasks.all())
    # 20/2/2026 is a Tết holiday: the February report falls due on the next working day
    heads = set(
        Notification.objects.filter(url=directive.get_absolute_url()).values_list(
            "recipient__username", flat=True
        )
    )
    assert {"gd.sct", "gd.stc", "gd.sxd"} <= heads
    assert (
        AuditEntry.objects.filter(root_type="directives.directive", root_id=str(directive.pk)).count()
        == 1 + 8  # the document and its 8 tasks (the monthly report has 5 occurrences)
    )


@pytest.mark.parametrize(
    ("spec", "field", "words"),
    [
        (TaskSpec("X", None, DeadlineSpec(DeadlineKind.DATE, date=dt.date(2026, 1, 5))), "tasks.0.deadline.date",
         "trước ngày ban hành"),
        (TaskSpec("X", None, DeadlineSpec(DeadlineKind.RECURRING, frequency=Frequency.MONTHLY, day=5,
                                          until=dt.date(2026, 2, 28))), "tasks.0.deadline.until", "không có kỳ nào"),
        (TaskSpec("X", None, DeadlineSpec(DeadlineKind.WORKING_DAYS, working_days=0)),
         "tasks.0.deadline.working_days", "từ 1 đến 366"),
        (TaskSpec("X", None, DeadlineSpec(DeadlineKind.RECURRING, frequency="weekly", day=40, until=None)),
         "tasks.0.deadline.frequency", "tần suất"),
        (TaskSpec("", None, DeadlineSpec(DeadlineKind.NONE)), "tasks.0.title", "nội dung"),
    ],
)  # fmt: skip
def test_a_bad_deadline_names_the_field_and_writes_nothing(
    person: Any, spec: TaskSpec, field: str, words: str
) -> None:
    spec.lead_unit_id = unit_id("SCT")
    before = counts()
    with pytest.raises(RuleViolations) as caught:
        create_directive(document(), [*four_tasks()[:1], spec][1:], by=person("vanphong"))
    messages = caught.value.by_field()
    assert field in messages
    assert words in " ".join(messages[field])
    assert counts() == before


def test_a_coordinating_unit_equal_to_the_lead_is_refused(person: Any) -> None:
    spec = TaskSpec(
        "X", unit_id("SCT"), DeadlineSpec(DeadlineKind.NONE), coordinating_unit_ids=[unit_id("SCT")]
    )
    before = counts()
    with pytest.raises(RuleViolations) as caught:
        create_directive(document(), [spec], by=person("vanphong"))
    assert "tasks.0.coordinating_units" in caught.value.by_field()
    assert counts() == before


def test_every_problem_is_named_at_once(person: Any) -> None:
    bad = document(number="", signer="", excerpt="", issued_on=dt.date(2030, 1, 1))
    with pytest.raises(RuleViolations) as caught:
        create_directive(bad, [], by=person("vanphong"))
    assert {"number", "signer", "excerpt", "issued_on", "tasks"} <= set(caught.value.by_field())


def test_a_number_longer_than_the_column_is_refused_not_truncated(person: Any) -> None:
    before = counts()
    with pytest.raises(RuleViolations) as caught:
        create_directive(document(number="1" * 61), four_tasks()[:1], by=person("vanphong"))
    assert "60 ký tự" in caught.value.by_field()["number"][0]
    assert counts() == before


def test_the_same_document_cannot_be_entered_twice(person: Any) -> None:
    create_directive(document(), four_tasks()[:1], by=person("vanphong"))
    with pytest.raises(RuleViolations) as caught:
        create_directive(document(), four_tasks()[:1], by=person("vanphong"))
    assert "number" in caught.value.by_field()


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("ket-luan.pdf", b"not really a pdf", "không phải là tệp PDF"),
        ("ket-luan.exe", b"MZ\x90\x00", "không thuộc loại được nhận"),
        ("ket-luan.pdf", b"", "rỗng"),
    ],
)
def test_the_document_file_is_checked(person: Any, name: str, content: bytes, words: str) -> None:
    before = counts()
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(RuleViolations) as caught:
        create_directive(document(file=upload), four_tasks()[:1], by=person("vanphong"))
    assert words in " ".join(caught.value.by_field()["file"])
    assert counts() == before


def test_a_real_pdf_is_stored(person: Any) -> None:
    upload = SimpleUploadedFile("ket-luan.pdf", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n")
    directive = create_directive(document(file=upload), four_tasks()[:1], by=person("vanphong"))
    assert directive.file.name.endswith(".pdf")


@pytest.mark.parametrize("username", ["gd.sct", "pct.kinhte", "hdnd", "noivu"])
def test_only_the_office_the_chairman_and_the_administrator_enter_directives(
    person: Any, username: str
) -> None:
    with pytest.raises(PermissionDenied):
        create_directive(document(), four_tasks(), by=person(username))
