"""Entering a directive: the document and its tasks, checked as a whole and written in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trongtam.core import audit
from trongtam.core.errors import Problem, RuleViolations
from trongtam.core.models import AuditAction, NotificationKind
from trongtam.core.notifications import notify
from trongtam.core.uploads import upload_problem
from trongtam.directives.domain.deadlines import (
    DeadlineKind,
    DeadlineSpec,
    recurring_deadlines,
    single_deadline,
)
from trongtam.directives.models import Directive, DocumentKind, Recurrence
from trongtam.followup.domain.tasks import deadline_fields
from trongtam.followup.enums import Source
from trongtam.followup.models import Task
from trongtam.org.domain.queries import head_of
from trongtam.org.models import Unit
from trongtam.workdays.domain.calendar import WorkCalendar
from trongtam.workdays.domain.queries import work_calendar

DOCUMENT_TYPES = frozenset({"pdf", "docx"})
DIRECTIVE_FIELDS = ["number", "issued_on", "kind", "signer", "excerpt"]


@dataclass
class DirectiveInput:
    number: str
    issued_on: dt.date | None
    kind: str
    signer: str
    excerpt: str
    file: UploadedFile | None = None


@dataclass
class TaskSpec:
    title: str
    lead_unit_id: int | None
    deadline: DeadlineSpec
    description: str = ""
    coordinating_unit_ids: list[int] = field(default_factory=list)
    urgent: bool = False


def _document_problems(data: DirectiveInput, today: dt.date) -> list[Problem]:
    problems = []
    limit = Directive._meta.get_field("number").max_length or 0
    if not data.number.strip():
        problems.append(Problem(_("Cần nhập số, ký hiệu văn bản."), "number"))
    elif len(data.number.strip()) > limit:
        problems.append(Problem(_("Số, ký hiệu văn bản dài tối đa %(n)s ký tự.") % {"n": limit}, "number"))
    if data.issued_on is None:
        problems.append(Problem(_("Cần nhập ngày ban hành."), "issued_on"))
    elif data.issued_on > today:
        problems.append(Problem(_("Ngày ban hành không được sau hôm nay."), "issued_on"))
    if data.kind not in DocumentKind.values:
        problems.append(Problem(_("Chọn loại văn bản."), "kind"))
    if not data.signer.strip():
        problems.append(Problem(_("Cần nhập người ký."), "signer"))
    if not data.excerpt.strip():
        problems.append(Problem(_("Cần nhập trích yếu."), "excerpt"))
    if data.file is not None:
        problem = upload_problem(data.file, DOCUMENT_TYPES)
        if problem:
            problems.append(Problem(problem, "file"))
    number, issued = data.number.strip(), data.issued_on
    if number and issued and Directive.objects.filter(number=number, issued_on=issued).exists():
        problems.append(
            Problem(
                _("Văn bản số %(number)s cùng ngày ban hành đã được nhập.") % {"number": number}, "number"
            )
        )
    return problems


def _task_problems(
    index: int, spec: TaskSpec, issued_on: dt.date | None, known_units: set[int], calendar: WorkCalendar
) -> tuple[list[Problem], list[dt.date | None]]:
    """The problems of one task, and its deadlines (one, or one per occurrence of a recurrence)."""
    here = f"tasks.{index}"
    label = _("Nhiệm vụ %(n)s: ") % {"n": index + 1}
    problems = []
    if not spec.title.strip():
        problems.append(Problem(label + _("cần nhập nội dung nhiệm vụ."), f"{here}.title"))
    if spec.lead_unit_id is None:
        problems.append(Problem(label + _("cần chọn đơn vị chủ trì."), f"{here}.lead_unit"))
    elif spec.lead_unit_id not in known_units:
        problems.append(Problem(label + _("đơn vị chủ trì không tồn tại."), f"{here}.lead_unit"))
    unknown = set(spec.coordinating_unit_ids) - known_units
    if unknown:
        problems.append(Problem(label + _("có đơn vị phối hợp không tồn tại."), f"{here}.coordinating_units"))
    if spec.lead_unit_id is not None and spec.lead_unit_id in spec.coordinating_unit_ids:
        problems.append(
            Problem(
                label + _("đơn vị chủ trì không được đồng thời là đơn vị phối hợp."),
                f"{here}.coordinating_units",
            )
        )
    deadlines: list[dt.date | None] = []
    if issued_on is not None:
        try:
            if spec.deadline.kind == DeadlineKind.RECURRING:
                deadlines = list(recurring_deadlines(spec.deadline, issued_on, calendar, f"{here}.deadline"))
            else:
                deadlines = [single_deadline(spec.deadline, issued_on, calendar, f"{here}.deadline")]
        except RuleViolations as exc:
            problems += [Problem(label + p.message[0].lower() + p.message[1:], p.field) for p in exc.problems]
    return problems, deadlines


def create_directive(
    data: DirectiveInput,
    tasks: list[TaskSpec],
    *,
    by: Any,
    calendar: WorkCalendar | None = None,
    today: dt.date | None = None,
) -> Directive:
    """Create the document and every task (recurrences with all their occurrences), or nothing at all."""
    if not by.has_perm("directives.manage_directive"):
        raise PermissionDenied
    calendar = calendar or work_calendar()
    today = today or timezone.localdate()
    problems = _document_problems(data, today)
    if not tasks:
        problems.append(Problem(_("Văn bản cần có ít nhất một nhiệm vụ."), "tasks"))
    wanted = {u for spec in tasks for u in [spec.lead_unit_id, *spec.coordinating_unit_ids] if u is not None}
    known = set(Unit.objects.filter(pk__in=wanted, is_active=True).values_list("pk", flat=True))
    planned = []
    for index, spec in enumerate(tasks):
        task_problems, deadlines = _task_problems(index, spec, data.issued_on, known, calendar)
        problems += task_problems
        planned.append((spec, deadlines))
    if problems:
        raise RuleViolations(problems)
    assert data.issued_on is not None  # noqa: S101

    with transaction.atomic():
        directive = Directive(
            number=data.number.strip(),
            issued_on=data.issued_on,
            kind=data.kind,
            signer=data.signer.strip(),
            excerpt=data.excerpt.strip(),
            created_by=by,
        )
        if data.file is not None:
            directive.file.save(data.file.name or "van-ban", data.file, save=False)
        directive.save()
        audit.record(
            actor=by,
            action=AuditAction.CREATE,
            instance=directive,
            changes=audit.diff({}, audit.snapshot(directive, DIRECTIVE_FIELDS)),
        )
        created: list[Task] = []
        for spec, deadlines in planned:
            assert spec.lead_unit_id is not None  # noqa: S101
            series = None
            if spec.deadline.kind == DeadlineKind.RECURRING:
                assert spec.deadline.frequency is not None  # noqa: S101
                assert spec.deadline.day is not None  # noqa: S101
                assert spec.deadline.until is not None  # noqa: S101
                series = Recurrence.objects.create(
                    directive=directive,
                    title=spec.title.strip(),
                    frequency=spec.deadline.frequency,
                    day=spec.deadline.day,
                    starts_on=data.issued_on,
                    ends_on=spec.deadline.until,
                )
            for deadline in deadlines:
                task = Task(
                    source=Source.DIRECTIVE,
                    directive=directive,
                    series=series,
                    title=_occurrence_title(spec.title.strip(), deadline, series is not None),
                    description=spec.description.strip(),
                    lead_unit_id=spec.lead_unit_id,
                    assigned_by=by,
                    assigned_on=data.issued_on,
                    urgent=spec.urgent,
                    original_deadline=deadline,
                    **deadline_fields(deadline, calendar),
                )
                task.save()
                task.coordinating_units.set(spec.coordinating_unit_ids)
                audit.record(
                    actor=by,
                    action=AuditAction.CREATE,
                    instance=task,
                    root=directive,
                    changes={
                        "title": [None, task.title],
                        "lead_unit": [None, spec.lead_unit_id],
                        "coordinating_units": [None, sorted(spec.coordinating_unit_ids)],
                        "deadline": [None, deadline.isoformat() if deadline else None],
                    },
                )
                created.append(task)
        _notify_assignment(directive, created)
    return directive


def _occurrence_title(title: str, deadline: dt.date | None, recurring: bool) -> str:
    if not recurring or deadline is None:
        return title
    return _("%(title)s (kỳ hạn %(date)s)") % {"title": title, "date": f"{deadline:%d/%m/%Y}"}


def _notify_assignment(directive: Directive, tasks: list[Task]) -> None:
    """One notice per head: the tasks their unit leads or coordinates under this document."""
    units: dict[int, list[Task]] = {}
    for task in tasks:
        units.setdefault(task.lead_unit_id, []).append(task)
        for unit_id in task.coordinating_units.values_list("pk", flat=True):
            units.setdefault(unit_id, []).append(task)
    for unit in Unit.objects.filter(pk__in=units):
        head = head_of(unit)
        if head is None:
            continue
        count = len(units[unit.pk])
        notify(
            [head],
            kind=NotificationKind.ASSIGNED,
            title=_("%(doc)s giao %(count)s nhiệm vụ cho %(unit)s")
            % {"doc": str(directive), "count": count, "unit": unit.name},
            body=directive.excerpt[:500],
            url=directive.get_absolute_url(),
        )
