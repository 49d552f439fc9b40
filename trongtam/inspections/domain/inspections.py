"""Everything that happens to an inspection and its violations, each in one transaction with its audit entry and
notices.

planned ──record results──> done ──close (every remedy accepted)──> closed
A violation is recorded on a held inspection (done); its remedy goes
pending ──report──> reported ──accept──> accepted
                       └──return──> returned ──report──> reported …

Every write locks the inspection row, checks the permission with the inspection's rules (PermissionDenied), then
the version the person last saw (`StaleEdit` names who changed it since), then the state (`TransitionNotAllowed`,
409), then the input (`RuleViolations`, by field), and writes nothing if anything is refused. A surprise
inspection is never announced to the inspected unit before it is held: its plan notifies the team only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trongtam.core import audit
from trongtam.core.errors import Problem, RuleViolations, TransitionNotAllowed
from trongtam.core.models import AuditAction, NotificationKind
from trongtam.core.notifications import notify
from trongtam.core.uploads import EVIDENCE_TYPES, upload_problem
from trongtam.inspections.enums import (
    REMEDY_WORKING_DAYS,
    InspectingBody,
    InspectionKind,
    InspectionStatus,
    RemedyState,
    ViolationKind,
)
from trongtam.inspections.models import Inspection, Violation
from trongtam.inspections.rules import BODY_ROLES
from trongtam.org.domain.queries import head_of, with_descendants
from trongtam.org.enums import INTERNAL_ROLES
from trongtam.org.models import Person, Unit
from trongtam.workdays.domain.calendar import WorkCalendar

PLAN_FIELDS = [
    "title",
    "kind",
    "body",
    "unit",
    "scheduled_on",
    "scheduled_time",
    "scope",
    "leader",
    "members",
]
STATE_FIELDS = ["status", "conducted_on", "findings", "closed_at"]
VIOLATION_FIELDS = ["kind", "person", "description", "remedy_deadline", "remedy_state"]
REMEDY_FIELDS = ["remedy_state", "remedy_report", "remedy_evidence_name", "remedy_comment"]
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def remedy_working_days() -> int:
    """How many working days a unit has to remedy a violation by default (setting
    `INSPECTION_REMEDY_WORKING_DAYS`)."""
    return int(getattr(settings, "INSPECTION_REMEDY_WORKING_DAYS", REMEDY_WORKING_DAYS))


def default_remedy_deadline(found_on: dt.date, calendar: WorkCalendar) -> dt.date:
    """The remedy deadline when the team sets none: N working days after the inspection, on the calendar."""
    return calendar.add_working_days(found_on, remedy_working_days())


def _d(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _lock(inspection_id: int, by: Any, perm: str, expected_version: int | None) -> Inspection:
    inspection = (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("unit")
        .prefetch_related("members")
        .get(pk=inspection_id)
    )
    if not by.has_perm(perm, inspection):
        raise PermissionDenied
    if expected_version is not None and inspection.version != expected_version:
        raise audit.stale_edit(
            inspection,
            now=_("tình trạng «%(state)s»") % {"state": inspection.get_status_display()},
            children_count=True,
        )
    return inspection


def _bump(inspection: Inspection, fields: list[str]) -> None:
    inspection.version += 1
    inspection.save(update_fields=[*fields, "version", "search_text"])


def _wrong_state(inspection: Inspection) -> TransitionNotAllowed:
    return TransitionNotAllowed(
        _("Cuộc kiểm tra đang ở tình trạng «%(state)s», không thực hiện được thao tác này.")
        % {"state": inspection.get_status_display()}
    )


def _team(inspection: Inspection) -> list[Person | None]:
    return [inspection.leader, *inspection.members.all()]


def _tell(
    recipients: Sequence[Person | None],
    by: Any,
    kind: NotificationKind,
    title: str,
    inspection: Inspection,
    *,
    body: str = "",
) -> None:
    notify(
        [r for r in recipients if r is not None and r.pk != by.pk],
        kind=kind,
        title=title,
        body=body or _("Người thực hiện: %(name)s.") % {"name": by.get_full_name()},
        url=inspection.get_absolute_url(),
    )


# -- the plan ----------------------------------------------------------------------------------------------------


@dataclass
class PlanInput:
    title: str
    kind: str
    body: str
    unit: Unit | None
    scheduled_on: dt.date | None
    scope: str
    leader: Person | None
    members: list[Person] = field(default_factory=list)
    scheduled_time: dt.time | None = None


def _plan_problems(data: PlanInput) -> list[Problem]:
    problems = []
    if not data.title.strip():
        problems.append(Problem(_("Cần nhập tên cuộc kiểm tra."), "title"))
    if data.kind not in InspectionKind.values:
        problems.append(Problem(_("Cần chọn hình thức kiểm tra (định kỳ hoặc đột xuất)."), "kind"))
    if data.body not in InspectingBody.values:
        problems.append(Problem(_("Cần chọn cơ quan kiểm tra."), "body"))
    if data.unit is None:
        problems.append(Problem(_("Cần chọn đơn vị được kiểm tra."), "unit"))
    elif not data.unit.is_active:
        problems.append(
            Problem(_("Đơn vị «%(unit)s» không còn hoạt động.") % {"unit": data.unit.name}, "unit")
        )
    if data.scheduled_on is None:
        problems.append(Problem(_("Cần nhập ngày kiểm tra (ngày/tháng/năm)."), "scheduled_on"))
    if not data.scope.strip():
        problems.append(Problem(_("Cần nêu nội dung, phạm vi kiểm tra."), "scope"))
    if data.leader is None:
        problems.append(Problem(_("Cần chọn trưởng đoàn kiểm tra."), "leader"))
    team = [p for p in [data.leader, *data.members] if p is not None]
    for person in team:
        if not person.is_active or person.role not in INTERNAL_ROLES:
            problems.append(
                Problem(
                    _("«%(name)s» không thể tham gia đoàn kiểm tra.") % {"name": person.get_full_name()},
                    "leader" if person == data.leader else "members",
                )
            )
        elif data.unit is not None and person.unit_id is not None and person.unit_id == data.unit.pk:
            # Nobody inspects their own unit.
            problems.append(
                Problem(
                    _("«%(name)s» thuộc đơn vị được kiểm tra, không tham gia đoàn kiểm tra được.")
                    % {"name": person.get_full_name()},
                    "leader" if person == data.leader else "members",
                )
            )
    return problems


def _apply_plan(inspection: Inspection, data: PlanInput) -> None:
    inspection.title = data.title.strip()
    inspection.kind = data.kind
    inspection.unit = data.unit  # type: ignore[assignment]
    inspection.scheduled_on = data.scheduled_on  # type: ignore[assignment]
    inspection.scheduled_time = data.scheduled_time
    inspection.scope = data.scope.strip()
    inspection.leader = data.leader  # type: ignore[assignment]


def _members(data: PlanInput) -> list[Person]:
    """The members besides the leader, each once."""
    seen: dict[int, Person] = {}
    for person in data.members:
        if data.leader is None or person.pk != data.leader.pk:
            seen.setdefault(person.pk, person)
    return list(seen.values())


def create_inspection(data: PlanInput, *, by: Any) -> Inspection:
    """Plan an inspection. Home Affairs plans the inspections it runs, the Office its own. The team is told; the
    unit is told of a regular inspection only (a surprise one is not announced)."""
    if not by.has_perm("inspections.create_inspection"):
        raise PermissionDenied
    problems = _plan_problems(data)
    if data.body in InspectingBody.values and BODY_ROLES[InspectingBody(data.body)] != by.role:
        problems.append(Problem(_("Bạn chỉ lập kế hoạch kiểm tra cho cơ quan của mình."), "body"))
    if problems:
        raise RuleViolations(problems)
    with transaction.atomic():
        inspection = Inspection(body=data.body, created_by=by)
        _apply_plan(inspection, data)
        inspection.save()
        inspection.members.set(_members(data))
        audit.record(
            actor=by,
            action=AuditAction.CREATE,
            instance=inspection,
            changes=audit.diff({}, audit.snapshot(inspection, PLAN_FIELDS)),
        )
        when = _d(inspection.scheduled_on)
        _tell(
            _team(inspection),
            by,
            NotificationKind.ASSIGNED,
            _("Anh/chị được cử tham gia đoàn kiểm tra «%(title)s» ngày %(date)s")
            % {"title": inspection.title[:120], "date": when},
            inspection,
        )
        if inspection.kind == InspectionKind.REGULAR:
            _tell(
                [head_of(inspection.unit)],
                by,
                NotificationKind.ASSIGNED,
                _("Kế hoạch kiểm tra công vụ tại đơn vị ngày %(date)s") % {"date": when},
                inspection,
                body=inspection.scope,
            )
    return inspection


def update_plan(inspection_id: int, data: PlanInput, *, by: Any, expected_version: int | None) -> Inspection:
    """Change the plan of an inspection not yet held (its inspecting body stays)."""
    with transaction.atomic():
        inspection = _lock(inspection_id, by, "inspections.run_inspection", expected_version)
        if inspection.status != InspectionStatus.PLANNED:
            raise _wrong_state(inspection)
        data.body = inspection.body
        problems = _plan_problems(data)
        if problems:
            raise RuleViolations(problems)
        before = audit.snapshot(inspection, PLAN_FIELDS)
        _apply_plan(inspection, data)
        inspection.members.set(_members(data))
        changes = audit.diff(before, audit.snapshot(inspection, PLAN_FIELDS))
        if changes:
            _bump(inspection, ["title", "kind", "unit", "scheduled_on", "scheduled_time", "scope", "leader"])
            audit.record(actor=by, action=AuditAction.UPDATE, instance=inspection, changes=changes)
            told = _team(inspection)
            if inspection.kind == InspectionKind.REGULAR:
                told.append(head_of(inspection.unit))
            _tell(
                told,
                by,
                NotificationKind.TASK_CHANGED,
                _("Kế hoạch kiểm tra «%(title)s» đã được điều chỉnh, ngày kiểm tra %(date)s")
                % {"title": inspection.title[:120], "date": _d(inspection.scheduled_on)},
                inspection,
            )
    return inspection


# -- holding it ----------------------------------------------------------------------------------------------


def record_results(
    inspection_id: int,
    *,
    conducted_on: dt.date | None,
    findings: str,
    by: Any,
    expected_version: int | None,
    today: dt.date | None = None,
) -> Inspection:
    """The team records that the inspection was held, on which day, and what it found (planned → done). The
    unit's head is told: from now on the unit sees the inspection, a surprise one included."""
    today = today or timezone.localdate()
    with transaction.atomic():
        inspection = _lock(inspection_id, by, "inspections.run_inspection", expected_version)
        if inspection.status != InspectionStatus.PLANNED:
            raise _wrong_state(inspection)
        problems = []
        if conducted_on is None:
            problems.append(Problem(_("Cần nhập ngày tiến hành kiểm tra (ngày/tháng/năm)."), "conducted_on"))
        elif conducted_on > today:
            problems.append(
                Problem(_("Ngày tiến hành kiểm tra không được sau hôm nay (%(today)s).") % {"today": _d(today)},
                        "conducted_on")
            )  # fmt: skip
        if not findings.strip():
            problems.append(Problem(_("Cần nhập kết quả kiểm tra."), "findings"))
        if problems:
            raise RuleViolations(problems)
        before = audit.snapshot(inspection, STATE_FIELDS)
        inspection.status = InspectionStatus.DONE
        inspection.conducted_on = conducted_on
        inspection.findings = findings.strip()
        _bump(inspection, ["status", "conducted_on", "findings"])
        audit.record(
            actor=by,
            action=AuditAction.TRANSITION,
            instance=inspection,
            changes=audit.diff(before, audit.snapshot(inspection, STATE_FIELDS)),
        )
        _tell(
            [head_of(inspection.unit)],
            by,
            NotificationKind.TASK_CHANGED,
            _("Kết quả kiểm tra công vụ tại đơn vị ngày %(date)s") % {"date": _d(conducted_on)},  # type: ignore[arg-type]
            inspection,
        )
    return inspection


@dataclass
class ViolationInput:
    kind: str
    description: str
    person: Person | None = None
    remedy_deadline: dt.date | None = None  # None: the default, N working days after the inspection


def add_violation(
    inspection_id: int, data: ViolationInput, *, by: Any, expected_version: int | None, calendar: WorkCalendar
) -> Violation:
    """Record a violation found by a held inspection, about a person of the inspected unit (or of a unit below
    it), or about no one when the team could not identify them. The unit's head is told, with the deadline."""
    with transaction.atomic():
        inspection = _lock(inspection_id, by, "inspections.run_inspection", expected_version)
        if inspection.status != InspectionStatus.DONE:
            raise TransitionNotAllowed(
                _("Chỉ ghi nhận vi phạm khi cuộc kiểm tra đã được ghi kết quả và chưa kết thúc (hiện nay: «%(state)s»).")
                % {"state": inspection.get_status_display()}
            )  # fmt: skip
        found_on = inspection.conducted_on or inspection.scheduled_on
        problems = []
        if data.kind not in ViolationKind.values:
            problems.append(Problem(_("Cần chọn loại vi phạm."), "kind"))
        if not data.description.strip():
            problems.append(Problem(_("Cần mô tả vi phạm."), "description"))
        if data.person is not None and data.person.unit_id not in with_descendants([inspection.unit_id]):
            problems.append(
                Problem(
                    _("«%(name)s» không thuộc đơn vị được kiểm tra «%(unit)s».")
                    % {"name": data.person.get_full_name(), "unit": inspection.unit.name},
                    "person",
                )
            )
        deadline = data.remedy_deadline or default_remedy_deadline(found_on, calendar)
        if deadline < found_on:
            problems.append(
                Problem(
                    _("Hạn khắc phục không được trước ngày kiểm tra (%(date)s).") % {"date": _d(found_on)},
                    "remedy_deadline",
                )
            )
        if problems:
            raise RuleViolations(problems)
        violation = Violation.objects.create(
            inspection=inspection,
            kind=data.kind,
            person=data.person,
            description=data.description.strip(),
            remedy_deadline=deadline,
            recorded_by=by,
        )
        _bump(inspection, [])
        audit.record(
            actor=by,
            action=AuditAction.CREATE,
            instance=violation,
            changes=audit.diff({}, audit.snapshot(violation, VIOLATION_FIELDS)),
            root=inspection,
        )
        _tell(
            [head_of(inspection.unit)],
            by,
            NotificationKind.TASK_CHANGED,
            _("Vi phạm «%(kind)s» được ghi nhận, hạn khắc phục %(date)s")
            % {"kind": violation.get_kind_display(), "date": _d(deadline)},
            inspection,
            body=violation.description,
        )
    return violation


# -- the remedy ----------------------------------------------------------------------------------------------


def _violation(violation_id: int, inspection: Inspection) -> Violation:
    return Violation.objects.select_for_update().get(pk=violation_id, inspection=inspection)


def _inspection_of(violation_id: int) -> int:
    return Violation.objects.values_list("inspection_id", flat=True).get(pk=violation_id)


def report_remedy(
    violation_id: int,
    *,
    report: str,
    evidence: UploadedFile | None,
    by: Any,
    expected_version: int | None,
) -> Violation:
    """The head or a deputy of the inspected unit reports how the violation was remedied, with an evidence file
    if they have one; the team leader is asked to accept it."""
    with transaction.atomic():
        inspection = _lock(_inspection_of(violation_id), by, "inspections.report_remedy", expected_version)
        violation = _violation(violation_id, inspection)
        if inspection.status != InspectionStatus.DONE:
            raise _wrong_state(inspection)
        if violation.remedy_state not in RemedyState.owed:
            raise TransitionNotAllowed(
                _("Vi phạm đang ở tình trạng «%(state)s», không báo cáo khắc phục được.")
                % {"state": violation.get_remedy_state_display()}
            )
        problems = []
        if not report.strip():
            problems.append(Problem(_("Cần nêu kết quả khắc phục."), "report"))
        if evidence is not None:
            problem = upload_problem(evidence, EVIDENCE_TYPES, EVIDENCE_MAX_BYTES)
            if problem:
                problems.append(Problem(problem, "evidence"))
        if problems:
            raise RuleViolations(problems)
        before = audit.snapshot(violation, REMEDY_FIELDS)
        violation.remedy_state = RemedyState.REPORTED
        violation.remedy_report = report.strip()
        violation.remedy_reported_at = timezone.now()
        violation.remedy_reported_by = by
        violation.remedy_comment = ""
        if evidence is not None:
            violation.remedy_evidence_name = evidence.name or ""
            violation.remedy_evidence.save(evidence.name or "minh-chung", evidence, save=False)
        violation.save()
        _bump(inspection, [])
        audit.record(
            actor=by,
            action=AuditAction.TRANSITION,
            instance=violation,
            changes=audit.diff(before, audit.snapshot(violation, REMEDY_FIELDS)),
            root=inspection,
        )
        _tell(
            [inspection.leader],
            by,
            NotificationKind.TASK_COMPLETION_REPORTED,
            _("Đơn vị %(unit)s báo cáo khắc phục vi phạm «%(kind)s», chờ xác nhận")
            % {"unit": inspection.unit.name, "kind": violation.get_kind_display()},
            inspection,
        )
    return violation


def decide_remedy(
    violation_id: int, *, accept: bool, comment: str, by: Any, expected_version: int | None
) -> Violation:
    """The inspecting body accepts the reported remedy, or sends it back with its reasons."""
    comment = comment.strip()
    with transaction.atomic():
        inspection = _lock(_inspection_of(violation_id), by, "inspections.run_inspection", expected_version)
        violation = _violation(violation_id, inspection)
        if inspection.status != InspectionStatus.DONE:
            raise _wrong_state(inspection)
        if violation.remedy_state != RemedyState.REPORTED:
            raise TransitionNotAllowed(
                _("Vi phạm đang ở tình trạng «%(state)s»: chưa có báo cáo khắc phục chờ xác nhận.")
                % {"state": violation.get_remedy_state_display()}
            )
        if not accept and not comment:
            raise RuleViolations([Problem(_("Cần nêu lý do khi yêu cầu khắc phục lại."), "comment")])
        before = audit.snapshot(violation, REMEDY_FIELDS)
        violation.remedy_state = RemedyState.ACCEPTED if accept else RemedyState.RETURNED
        violation.remedy_comment = comment
        violation.remedy_decided_at = timezone.now()
        violation.remedy_decided_by = by
        violation.save()
        _bump(inspection, [])
        audit.record(
            actor=by,
            action=AuditAction.TRANSITION,
            instance=violation,
            changes=audit.diff(before, audit.snapshot(violation, REMEDY_FIELDS)),
            root=inspection,
        )
        title = (
            _("Kết quả khắc phục vi phạm «%(kind)s» được chấp nhận")
            if accept
            else _("Kết quả khắc phục vi phạm «%(kind)s» bị trả lại, cần khắc phục lại")
        )
        _tell(
            [head_of(inspection.unit)],
            by,
            NotificationKind.TASK_ACCEPTED if accept else NotificationKind.TASK_RETURNED,
            title % {"kind": violation.get_kind_display()},
            inspection,
            body=comment,
        )
    return violation


def close_inspection(inspection_id: int, *, by: Any, expected_version: int | None) -> Inspection:
    """End the follow-up of a held inspection: only once every violation's remedy has been accepted."""
    with transaction.atomic():
        inspection = _lock(inspection_id, by, "inspections.run_inspection", expected_version)
        if inspection.status != InspectionStatus.DONE:
            raise _wrong_state(inspection)
        open_count = inspection.violations.exclude(remedy_state=RemedyState.ACCEPTED).count()
        if open_count:
            raise TransitionNotAllowed(
                _("Còn %(count)s vi phạm chưa được xác nhận khắc phục; chưa kết thúc theo dõi được.")
                % {"count": open_count}
            )
        before = audit.snapshot(inspection, STATE_FIELDS)
        inspection.status = InspectionStatus.CLOSED
        inspection.closed_at = timezone.now()
        _bump(inspection, ["status", "closed_at"])
        audit.record(
            actor=by,
            action=AuditAction.TRANSITION,
            instance=inspection,
            changes=audit.diff(before, audit.snapshot(inspection, STATE_FIELDS)),
        )
        _tell(
            [head_of(inspection.unit)],
            by,
            NotificationKind.TASK_CHANGED,
            _("Cuộc kiểm tra «%(title)s» đã kết thúc theo dõi") % {"title": inspection.title[:120]},
            inspection,
        )
    return inspection
