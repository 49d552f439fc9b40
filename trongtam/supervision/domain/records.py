"""Recording dialogue sessions, Council supervisions and what was raised at them: create, edit, attach files.

Each write is one transaction with its audit entry. A person records a dialogue only if they will manage it (they
chair it, lead or are in charge of its organizing unit, or are the Chairman or the Office); the Council records
supervisions. An issue given a unit and a deadline when it is recorded is assigned at once (two history steps,
"recorded" then "assign"), and its unit's head is told; a recommendation is recorded with its unit and deadline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trongtam.core import audit
from trongtam.core.errors import Problem, RuleViolations
from trongtam.core.models import AuditAction, NotificationKind
from trongtam.core.uploads import EVIDENCE_TYPES, content_type_of, upload_problem
from trongtam.org.domain.queries import head_of
from trongtam.org.enums import Role
from trongtam.org.models import Person
from trongtam.supervision.domain.items import (
    StepInput,
    act_on_issue,
    d,
    resolve_deadline,
    tell,
    unit_problem,
)
from trongtam.supervision.enums import Audience, IssueAction, ItemStatus, RaiserKind
from trongtam.supervision.models import (
    Dialogue,
    DialogueFile,
    DialogueIssue,
    ItemEvent,
    Recommendation,
    Supervision,
)
from trongtam.workdays.domain.queries import work_calendar

FILE_MAX_BYTES = 10 * 1024 * 1024
CHAIR_ROLES = (Role.CHAIRMAN, Role.VICE_CHAIRMAN, Role.HEAD)
DIALOGUE_FIELDS = ["topic", "audience", "held_on", "chaired_by", "organizing_unit", "participants", "summary"]
SUPERVISION_FIELDS = ["topic", "held_on", "supervised_unit", "team", "summary"]
RECORDED = "record"


def _not_after_today(day: dt.date | None, today: dt.date, name: str, label: str) -> list[Problem]:
    if day is None:
        return [Problem(_("Cần nhập %(label)s (ngày/tháng/năm).") % {"label": label}, name)]
    if day > today:
        return [
            Problem(
                _("%(label)s không được sau hôm nay (%(today)s).")
                % {"label": label.capitalize(), "today": d(today)},
                name,
            )
        ]
    return []


def _text(value: str, name: str, label: str, max_length: int) -> tuple[str, list[Problem]]:
    value = value.strip()
    if not value:
        return value, [Problem(_("Cần nhập %(label)s.") % {"label": label}, name)]
    if len(value) > max_length:
        return value, [
            Problem(
                _("%(label)s dài quá %(max)s ký tự.") % {"label": label.capitalize(), "max": max_length}, name
            )
        ]
    return value, []


def _stale(record: Any, expected_version: int | None) -> None:
    if expected_version is not None and record.version != expected_version:
        raise audit.stale_edit(record)


# -- dialogues ----------------------------------------------------------------------------------------------------


@dataclass
class DialogueInput:
    topic: str
    audience: str
    held_on: dt.date | None
    chaired_by: int | None
    organizing_unit: int | None
    participants: str = ""
    summary: str = ""


def _dialogue_problems(dialogue: Dialogue, data: DialogueInput, today: dt.date) -> list[Problem]:
    topic, problems = _text(data.topic, "topic", _("chủ đề buổi đối thoại"), 300)
    if data.audience not in Audience.values:
        problems.append(Problem(_("Cần chọn đối tượng đối thoại."), "audience"))
    problems += _not_after_today(data.held_on, today, "held_on", _("ngày đối thoại"))
    chair = (
        Person.objects.filter(pk=data.chaired_by, is_active=True, role__in=CHAIR_ROLES).first()
        if data.chaired_by
        else None
    )
    if chair is None:
        problems.append(
            Problem(
                _("Người chủ trì phải là Chủ tịch, một Phó Chủ tịch hoặc người đứng đầu một đơn vị."),
                "chaired_by",
            )
        )
    unit, unit_problems = unit_problem(data.organizing_unit, required=True)
    problems += [
        Problem(_("Cần chọn đơn vị tổ chức đang hoạt động."), "organizing_unit") for _p in unit_problems
    ]
    if not problems:
        assert chair is not None  # noqa: S101
        assert unit is not None  # noqa: S101
        assert data.held_on is not None  # noqa: S101
        dialogue.topic, dialogue.audience, dialogue.held_on = topic, data.audience, data.held_on
        dialogue.chaired_by, dialogue.organizing_unit = chair, unit
        dialogue.participants, dialogue.summary = data.participants.strip(), data.summary.strip()
    return problems


def create_dialogue(data: DialogueInput, *, by: Any, today: dt.date | None = None) -> Dialogue:
    if not by.has_perm("supervision.record_dialogue"):
        raise PermissionDenied
    today = today or timezone.localdate()
    with transaction.atomic():
        dialogue = Dialogue(created_by=by)
        problems = _dialogue_problems(dialogue, data, today)
        if not problems and not by.has_perm("supervision.manage_dialogue", dialogue):
            problems.append(
                Problem(
                    _(
                        "Bạn chỉ ghi nhận được buổi đối thoại do mình chủ trì, hoặc do đơn vị mình (đơn vị mình phụ trách) tổ chức."
                    ),
                    "organizing_unit",
                )
            )
        if problems:
            raise RuleViolations(problems)
        dialogue.save()
        audit.record(
            actor=by,
            action=AuditAction.CREATE,
            instance=dialogue,
            changes=audit.diff({}, audit.snapshot(dialogue, DIALOGUE_FIELDS)),
        )
    return dialogue


def update_dialogue(
    dialogue_id: int,
    data: DialogueInput,
    *,
    by: Any,
    expected_version: int | None,
    today: dt.date | None = None,
) -> Dialogue:
    today = today or timezone.localdate()
    with transaction.atomic():
        dialogue = Dialogue.objects.select_for_update().get(pk=dialogue_id)
        if not by.has_perm("supervision.manage_dialogue", dialogue):
            raise PermissionDenied
        _stale(dialogue, expected_version)
        before = audit.snapshot(dialogue, DIALOGUE_FIELDS)
        problems = _dialogue_problems(dialogue, data, today)
        if not problems and not by.has_perm("supervision.manage_dialogue", dialogue):
            problems.append(
                Problem(
                    _("Sau khi sửa, bạn sẽ không còn quản lý được buổi đối thoại này."), "organizing_unit"
                )
            )
        if problems:
            raise RuleViolations(problems)
        dialogue.version += 1
        dialogue.save()
        audit.record(
            actor=by,
            action=AuditAction.UPDATE,
            instance=dialogue,
            changes=audit.diff(before, audit.snapshot(dialogue, DIALOGUE_FIELDS)),
        )
    return dialogue


def attach_dialogue_files(
    dialogue_id: int, files: list[UploadedFile], *, by: Any, expected_version: int | None
) -> Dialogue:
    """Add files (minutes, the invitation, photos) to a dialogue: each checked by size, type and content first."""
    with transaction.atomic():
        dialogue = Dialogue.objects.select_for_update().get(pk=dialogue_id)
        if not by.has_perm("supervision.manage_dialogue", dialogue):
            raise PermissionDenied
        _stale(dialogue, expected_version)
        problems = [
            Problem(p, "files")
            for p in (upload_problem(f, EVIDENCE_TYPES, FILE_MAX_BYTES) for f in files)
            if p
        ]
        if not files:
            problems.append(Problem(_("Cần chọn ít nhất một tệp."), "files"))
        if problems:
            raise RuleViolations(problems)
        names = []
        for upload in files:
            stored = DialogueFile(
                dialogue=dialogue,
                name=upload.name or "",
                content_type=content_type_of(upload.name or ""),
                size=upload.size or 0,
                uploaded_by=by,
            )
            stored.file.save(upload.name or "tep", upload, save=False)
            stored.save()
            names.append(stored.name)
        dialogue.version += 1
        dialogue.save(update_fields=["version"])
        audit.record(actor=by, action=AuditAction.UPDATE, instance=dialogue, changes={"files": [None, names]})
    return dialogue


@dataclass
class IssueInput:
    content: str
    raiser_kind: str
    raised_by: str = ""
    responsible_unit: int | None = None
    deadline: dt.date | None = None
    deadline_days: int | None = None


def add_issue(dialogue_id: int, data: IssueInput, *, by: Any, today: dt.date | None = None) -> DialogueIssue:
    """Record an issue raised at the session. With a unit and a deadline it is given to that unit at once."""
    today = today or timezone.localdate()
    with transaction.atomic():
        dialogue = Dialogue.objects.select_for_update().select_related("chaired_by").get(pk=dialogue_id)
        if not by.has_perm("supervision.manage_dialogue", dialogue):
            raise PermissionDenied
        content, problems = _text(data.content, "content", _("nội dung kiến nghị"), 5000)
        if data.raiser_kind not in RaiserKind.values:
            problems.append(
                Problem(_("Cần chọn người nêu kiến nghị là doanh nghiệp hay người dân."), "raiser_kind")
            )
        elif data.raiser_kind == RaiserKind.BUSINESS and not data.raised_by.strip():
            problems.append(Problem(_("Cần nhập tên doanh nghiệp, tổ chức nêu kiến nghị."), "raised_by"))
        if len(data.raised_by.strip()) > 200:
            problems.append(Problem(_("Tên người nêu kiến nghị dài quá 200 ký tự."), "raised_by"))
        gives = (
            data.responsible_unit is not None or data.deadline is not None or data.deadline_days is not None
        )
        if gives:
            _unit, more = unit_problem(data.responsible_unit, required=True)
            _deadline, later = resolve_deadline(
                data.deadline, data.deadline_days, start=dialogue.held_on, not_before=dialogue.held_on,
                calendar=work_calendar(), required=True,
            )  # fmt: skip
            problems += more + later
        if problems:
            raise RuleViolations(problems)
        issue = DialogueIssue.objects.create(
            dialogue=dialogue,
            content=content,
            raiser_kind=data.raiser_kind,
            raised_by=data.raised_by.strip(),
            created_by=by,
        )
        ItemEvent.objects.create(issue=issue, action=RECORDED, from_status="", to_status=issue.status, by=by)
        # A person's name is personal data: the tamper-evident trail, which is never erased, does not keep it.
        raiser = issue.raised_by if issue.raiser_kind == RaiserKind.BUSINESS else ""
        audit.record(
            actor=by, action=AuditAction.CREATE, instance=issue,
            changes={"content": [None, issue.content], "raiser_kind": [None, issue.raiser_kind], "raised_by": [None, raiser]},
        )  # fmt: skip
        if gives:
            step = StepInput(
                responsible_unit=data.responsible_unit,
                deadline=data.deadline,
                deadline_days=data.deadline_days,
            )
            issue = act_on_issue(issue.pk, IssueAction.ASSIGN, by=by, data=step, today=today)
    return issue


# -- Council supervisions -----------------------------------------------------------------------------------------


@dataclass
class SupervisionInput:
    topic: str
    held_on: dt.date | None
    supervised_unit: int | None
    team: str = ""
    summary: str = ""


def _supervision_problems(supervision: Supervision, data: SupervisionInput, today: dt.date) -> list[Problem]:
    topic, problems = _text(data.topic, "topic", _("nội dung giám sát"), 300)
    problems += _not_after_today(data.held_on, today, "held_on", _("ngày giám sát"))
    unit, unit_problems = unit_problem(data.supervised_unit, required=True)
    problems += [
        Problem(_("Cần chọn đơn vị được giám sát đang hoạt động."), "supervised_unit") for _p in unit_problems
    ]
    if not problems:
        assert unit is not None  # noqa: S101
        assert data.held_on is not None  # noqa: S101
        supervision.topic, supervision.held_on, supervision.supervised_unit = topic, data.held_on, unit
        supervision.team, supervision.summary = data.team.strip(), data.summary.strip()
    return problems


def create_supervision(data: SupervisionInput, *, by: Any, today: dt.date | None = None) -> Supervision:
    if not by.has_perm("supervision.record_supervision"):
        raise PermissionDenied
    today = today or timezone.localdate()
    with transaction.atomic():
        supervision = Supervision(created_by=by)
        problems = _supervision_problems(supervision, data, today)
        if problems:
            raise RuleViolations(problems)
        supervision.save()
        audit.record(
            actor=by,
            action=AuditAction.CREATE,
            instance=supervision,
            changes=audit.diff({}, audit.snapshot(supervision, SUPERVISION_FIELDS)),
        )
    return supervision


def update_supervision(
    supervision_id: int,
    data: SupervisionInput,
    *,
    by: Any,
    expected_version: int | None,
    today: dt.date | None = None,
) -> Supervision:
    today = today or timezone.localdate()
    with transaction.atomic():
        supervision = Supervision.objects.select_for_update().get(pk=supervision_id)
        if not by.has_perm("supervision.manage_supervision", supervision):
            raise PermissionDenied
        _stale(supervision, expected_version)
        before = audit.snapshot(supervision, SUPERVISION_FIELDS)
        problems = _supervision_problems(supervision, data, today)
        if problems:
            raise RuleViolations(problems)
        supervision.version += 1
        supervision.save()
        audit.record(
            actor=by,
            action=AuditAction.UPDATE,
            instance=supervision,
            changes=audit.diff(before, audit.snapshot(supervision, SUPERVISION_FIELDS)),
        )
    return supervision


@dataclass
class RecommendationInput:
    title: str
    responsible_unit: int | None
    deadline: dt.date | None
    details: str = ""


def add_recommendation(supervision_id: int, data: RecommendationInput, *, by: Any) -> Recommendation:
    """Record a recommendation of the supervision, addressed to its responsible unit with a deadline."""
    with transaction.atomic():
        supervision = Supervision.objects.select_for_update().get(pk=supervision_id)
        if not by.has_perm("supervision.manage_supervision", supervision):
            raise PermissionDenied
        title, problems = _text(data.title, "title", _("nội dung kiến nghị"), 500)
        unit, more = unit_problem(data.responsible_unit, required=True)
        deadline, later = resolve_deadline(
            data.deadline, None, start=supervision.held_on, not_before=supervision.held_on,
            calendar=work_calendar(), required=True,
        )  # fmt: skip
        problems += more + later
        if problems:
            raise RuleViolations(problems)
        rec = Recommendation.objects.create(
            supervision=supervision, title=title, details=data.details.strip(), responsible_unit=unit,
            deadline=deadline, original_deadline=deadline, status=ItemStatus.ASSIGNED, created_by=by,
        )  # fmt: skip
        ItemEvent.objects.create(
            recommendation=rec, action=RECORDED, from_status="", to_status=rec.status, by=by
        )
        audit.record(
            actor=by, action=AuditAction.CREATE, instance=rec,
            changes=audit.diff({}, audit.snapshot(rec, ["title", "details", "responsible_unit", "deadline", "status"])),
        )  # fmt: skip
        assert unit is not None  # noqa: S101
        tell(
            [head_of(unit)],
            rec,
            by=by,
            title=_("HĐND tỉnh kiến nghị sau giám sát: «%(title)s»"),
            kind=NotificationKind.ASSIGNED,
        )
    return rec
