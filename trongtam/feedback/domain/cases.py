"""Everything that happens to a feedback case, each step in one transaction with its history row, audit entry
and notices.

**The response deadline.** A case must be answered within `FEEDBACK_RESPONSE_WORKING_DAYS` working days of its
receipt (setting; default **10**), counted on the shared working-day calendar as the Civil Code counts periods
(Art. 147: from the day after receipt, so a case received on a Saturday or after hours gets the same deadline as
one received that morning). What we relied on: the Law on Complaints 2011 gives 10 days to accept a complaint
(Art. 27) and 30 days from acceptance to settle it, 45 when complex (Art. 28) -- calendar days, read on
thuvienphapluat.vn; the text of Decree 20/2008/NĐ-CP on feedback about administrative regulations could not be
retrieved from the stored sources, so its deadline is not coded as law. A report on an official's conduct at the
counter is not a formal complaint: the product answers it within the time a complaint must be accepted, 10
working days, and a province that wants the complaint's 30 days sets 22 working days.

Every staff write locks the case, checks the person's permission with the case's rules, then the version they
last saw (`StaleEdit` names who changed it since), then the status (`TransitionNotAllowed`, 409), then the input
(`RuleViolations`, by field), and writes nothing if anything is refused. The reporter's steps (reopen, confirm)
go by the tracking code, which only the reporter holds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trongtam.core import audit
from trongtam.core.errors import Problem, RuleViolations, TransitionNotAllowed
from trongtam.core.models import AuditAction, NotificationKind
from trongtam.core.notifications import notify
from trongtam.core.uploads import content_type_of, upload_problem
from trongtam.dossiers.models import Dossier
from trongtam.feedback.domain import codes
from trongtam.feedback.domain.redaction import personal_data_left
from trongtam.feedback.domain.workflow import STEPS, next_status, outcome_allowed, reopen_allowed
from trongtam.feedback.enums import Category, FeedbackAction, FeedbackStatus, Outcome, SubjectKind
from trongtam.feedback.models import Feedback, FeedbackAttachment, FeedbackEvent
from trongtam.org.enums import Role, UnitKind
from trongtam.org.models import Person, Unit
from trongtam.workdays.domain.calendar import WorkCalendar
from trongtam.workdays.domain.queries import work_calendar

DEFAULT_RESPONSE_WORKING_DAYS = 10
ATTACHMENT_TYPES = frozenset({"pdf", "png", "jpg", "jpeg"})
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 3
CASE_FIELDS = [
    "status",
    "unit",
    "assigned_to",
    "handler",
    "official",
    "answered_on",
    "upheld",
    "outcome",
    "closed_on",
    "is_published",
    "citizen_solved",
    "reopened_count",
]


def response_working_days() -> int:
    return int(getattr(settings, "FEEDBACK_RESPONSE_WORKING_DAYS", DEFAULT_RESPONSE_WORKING_DAYS))


def response_due(received_on: dt.date, calendar: WorkCalendar) -> dt.date:
    """The last day to answer a case received on `received_on`: N working days after it (Civil Code Art. 147)."""
    return calendar.add_working_days(received_on, response_working_days())


def _d(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


# -- submission -------------------------------------------------------------------------------------------------


@dataclass
class Submission:
    """What a reporter sends, from the public form or the public API."""

    category: str
    subject_kind: str
    unit_id: int | None
    content: str
    official_name: str = ""
    dossier_code: str = ""
    anonymous: bool = True
    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    files: list[UploadedFile] = field(default_factory=list)


def submission_problems(sub: Submission) -> tuple[list[Problem], Unit | None]:
    """Every rule the submission breaks, by field, and its unit when that is valid."""
    problems: list[Problem] = []
    if sub.category not in Category.values:
        problems.append(Problem(_("Hãy chọn loại phản ánh."), "category"))
    if sub.subject_kind not in SubjectKind.values:
        problems.append(Problem(_("Hãy chọn đối tượng phản ánh."), "subject_kind"))
    unit = Unit.objects.filter(pk=sub.unit_id, is_active=True).first() if sub.unit_id else None
    if unit is None:
        problems.append(Problem(_("Hãy chọn cơ quan, đơn vị bị phản ánh trong danh sách."), "unit"))
    if sub.subject_kind == SubjectKind.OFFICIAL and not sub.official_name.strip():
        problems.append(
            Problem(_("Hãy ghi họ tên (hoặc chức danh) của cán bộ bị phản ánh."), "official_name")
        )
    if sub.subject_kind == SubjectKind.DOSSIER and not sub.dossier_code.strip():
        problems.append(Problem(_("Hãy ghi mã hồ sơ bị phản ánh."), "dossier_code"))
    content = sub.content.strip()
    if len(content) < 20:
        problems.append(Problem(_("Nội dung phản ánh cần ít nhất 20 ký tự."), "content"))
    elif len(content) > 5000:
        problems.append(Problem(_("Nội dung phản ánh dài quá 5.000 ký tự."), "content"))
    if not sub.anonymous:
        if not sub.name.strip():
            problems.append(Problem(_("Hãy ghi họ và tên, hoặc chọn gửi ẩn danh."), "name"))
        if not (sub.phone.strip() or sub.email.strip()):
            problems.append(Problem(_("Hãy ghi số điện thoại hoặc thư điện tử để được liên hệ."), "phone"))
        digits = "".join(ch for ch in sub.phone if ch.isdigit())
        if sub.phone.strip() and not 9 <= len(digits) <= 11:
            problems.append(Problem(_("Số điện thoại cần có từ 9 đến 11 chữ số."), "phone"))
    if len(sub.files) > MAX_ATTACHMENTS:
        problems.append(Problem(_("Gửi tối đa %(n)s tệp đính kèm.") % {"n": MAX_ATTACHMENTS}, "files"))
    for upload in sub.files:
        problem = upload_problem(upload, ATTACHMENT_TYPES, ATTACHMENT_MAX_BYTES)
        if problem:
            problems.append(Problem(problem, "files"))
    return problems, unit


def triagers() -> list[Person]:
    """Who is told of a new case: the Office and the leaders of the service centres."""
    return list(
        Person.objects.filter(is_active=True).filter(role=Role.OFFICE)
        | Person.objects.filter(
            is_active=True, role__in=(Role.HEAD, Role.DEPUTY), unit__kind=UnitKind.SERVICE_CENTER
        )
    )


def submit(sub: Submission, *, reporter: Any = None, now: dt.datetime | None = None) -> Feedback:
    """Record a case sent by a citizen or business; return it with its new tracking code.

    Anonymous cases keep no personal data. A dossier code is linked to the dossier when it exists, silently
    otherwise: the answer must not tell a stranger which dossier codes exist. Raises RuleViolations by field."""
    problems, unit = submission_problems(sub)
    if problems or unit is None:
        raise RuleViolations(problems)
    now = now or timezone.now()
    received_on = timezone.localdate(now)
    code = sub.dossier_code.strip().upper()
    dossier = Dossier.objects.filter(code=code).first() if sub.subject_kind == SubjectKind.DOSSIER else None
    anonymous = sub.anonymous
    case = Feedback(
        category=sub.category,
        subject_kind=sub.subject_kind,
        unit=unit,
        official_name=sub.official_name.strip() if sub.subject_kind == SubjectKind.OFFICIAL else "",
        dossier_code=code if sub.subject_kind == SubjectKind.DOSSIER else "",
        dossier=dossier,
        content=sub.content.strip(),
        is_anonymous=anonymous,
        reporter_name="" if anonymous else sub.name.strip(),
        reporter_phone="" if anonymous else sub.phone.strip(),
        reporter_email="" if anonymous else sub.email.strip(),
        reporter_address="" if anonymous else sub.address.strip(),
        reporter=reporter if getattr(reporter, "pk", None) and not anonymous else None,
        received_at=now,
        received_on=received_on,
        response_due=response_due(received_on, work_calendar()),
    )
    for _attempt in range(5):
        case.tracking_code = codes.new_code()
        try:
            with transaction.atomic():
                case.save()
                break
        except IntegrityError:  # the same code drawn twice: draw again
            case.pk = None
    else:
        raise RuntimeError("no free tracking code")
    with transaction.atomic():
        for upload in sub.files:
            stored = FeedbackAttachment(
                feedback=case,
                name=upload.name or "",
                content_type=content_type_of(upload.name or ""),
                size=upload.size or 0,
            )
            stored.file.save(upload.name or "tep", upload, save=False)
            stored.save()
        FeedbackEvent.objects.create(
            feedback=case,
            action=FeedbackAction.SUBMIT,
            from_status="",
            to_status=FeedbackStatus.RECEIVED,
            at=now,
        )
        audit.record(
            actor=case.reporter,
            action=AuditAction.CREATE,
            instance=case,
            changes={
                "status": [None, case.status],
                "unit": [None, unit.pk],
                "category": [None, case.category],
            },
        )
        notify(
            triagers(),
            kind=NotificationKind.ASSIGNED,
            title=_("Phản ánh mới %(code)s về %(unit)s, hạn trả lời %(date)s")
            % {"code": case.tracking_code, "unit": unit.name, "date": _d(case.response_due)},
            url=case.get_absolute_url(),
        )
    return case


# -- staff steps --------------------------------------------------------------------------------------------------


def _lock(case_id: int, by: Any, perm: str, expected_version: int | None) -> Feedback:
    case = Feedback.objects.select_for_update().select_related("unit").get(pk=case_id)
    if not by.has_perm(perm, case):
        raise PermissionDenied
    if expected_version is not None and case.version != expected_version:
        raise audit.stale_edit(case, now=_("trạng thái «%(state)s»") % {"state": case.get_status_display()})
    return case


def _refuse(case: Feedback, action: FeedbackAction) -> TransitionNotAllowed:
    return TransitionNotAllowed(
        _("Không thể «%(action)s» khi phản ánh đang ở trạng thái «%(state)s».")
        % {"action": action.label, "state": case.get_status_display()}
    )


def _step(case: Feedback, action: FeedbackAction, by: Any, target: str, comment: str = "") -> None:
    FeedbackEvent.objects.create(
        feedback=case,
        action=action,
        from_status=case.status,
        to_status=target,
        by=by if getattr(by, "pk", None) else None,
        at=timezone.now(),
        comment=comment,
    )
    case.status = target


def _save(case: Feedback, before: dict[str, Any], by: Any, extra: dict[str, Any] | None = None) -> None:
    case.version += 1
    case.save()
    changes = audit.diff(before, audit.snapshot(case, CASE_FIELDS))
    changes.update(extra or {})
    audit.record(actor=by, action=AuditAction.TRANSITION, instance=case, changes=changes)


def _head(unit: Unit) -> Person | None:
    return Person.objects.filter(unit=unit, role=Role.HEAD, is_active=True).first()


def assign(
    case_id: int, *, by: Any, expected_version: int | None, unit: Unit | None = None, to: Any = None,
    comment: str = "",
) -> Feedback:  # fmt: skip
    """Triage: send the case to the head of the unit concerned (or a deputy of it), correcting the unit if the
    reporter chose the wrong one. The person a case names may not be given it."""
    with transaction.atomic():
        case = _lock(case_id, by, "feedback.assign_feedback", expected_version)
        target = next_status(case.status, FeedbackAction.ASSIGN)
        if target is None:
            raise _refuse(case, FeedbackAction.ASSIGN)
        unit = unit or case.unit
        to = to or _head(unit)
        problems = []
        if to is None:
            problems.append(
                Problem(
                    _("Đơn vị «%(unit)s» chưa có người đứng đầu; hãy chọn cấp phó.") % {"unit": unit}, "to"
                )
            )
        elif to.unit_id != unit.pk or to.role not in (Role.HEAD, Role.DEPUTY) or not to.is_active:
            problems.append(
                Problem(_("Chỉ giao cho người đứng đầu hoặc cấp phó của đơn vị được phản ánh."), "to")
            )
        elif to.pk == case.official_id:
            problems.append(Problem(_("Không giao phản ánh cho chính người bị phản ánh."), "to"))
        if problems:
            raise RuleViolations(problems)
        before = audit.snapshot(case, CASE_FIELDS)
        _step(case, FeedbackAction.ASSIGN, by, target, comment.strip())
        case.unit, case.assigned_to, case.handler = unit, to, None
        _save(case, before, by)
        notify(
            [to],
            kind=NotificationKind.ASSIGNED,
            title=_("Phản ánh %(code)s được giao cho đơn vị xử lý, hạn trả lời %(date)s")
            % {"code": case.tracking_code, "date": _d(case.response_due)},
            url=case.get_absolute_url(),
        )
    return case


def handle(case_id: int, *, by: Any, expected_version: int | None, delegate_to: Any = None) -> Feedback:
    """The head (or the person given the case) takes it in hand, or delegates it to a person of the unit."""
    with transaction.atomic():
        case = _lock(case_id, by, "feedback.handle_feedback", expected_version)
        target = next_status(case.status, FeedbackAction.HANDLE)
        if target is None:
            raise _refuse(case, FeedbackAction.HANDLE)
        handler = delegate_to or by
        if handler.pk != by.pk and (
            handler.unit_id != case.unit_id or handler.role not in (Role.HEAD, Role.DEPUTY, Role.OFFICIAL)
        ):
            raise RuleViolations(
                [Problem(_("Chỉ phân công cho người của đơn vị được phản ánh."), "delegate_to")]
            )
        if handler.pk == case.official_id or not handler.is_active:
            raise RuleViolations([Problem(_("Không phân công cho chính người bị phản ánh."), "delegate_to")])
        before = audit.snapshot(case, CASE_FIELDS)
        _step(case, FeedbackAction.HANDLE, by, target, str(handler) if handler.pk != by.pk else "")
        case.handler = handler
        _save(case, before, by)
        if handler.pk != by.pk:
            notify(
                [handler],
                kind=NotificationKind.ASSIGNED,
                title=_("Bạn được phân công xử lý phản ánh %(code)s, hạn trả lời %(date)s")
                % {"code": case.tracking_code, "date": _d(case.response_due)},
                url=case.get_absolute_url(),
            )
    return case


def answer(
    case_id: int, *, by: Any, expected_version: int | None, text: str, upheld: bool | None
) -> Feedback:
    """Record the answer and whether the report was founded (upheld). The first answer's date is the one the
    deadline is judged by; a reopened case answered again keeps it."""
    text = text.strip()
    with transaction.atomic():
        case = _lock(case_id, by, "feedback.answer_feedback", expected_version)
        target = next_status(case.status, FeedbackAction.ANSWER)
        if target is None:
            raise _refuse(case, FeedbackAction.ANSWER)
        problems = []
        if len(text) < 10:
            problems.append(Problem(_("Nội dung trả lời cần ít nhất 10 ký tự."), "text"))
        if upheld is None:
            problems.append(Problem(_("Hãy cho biết phản ánh đúng hay không đúng."), "upheld"))
        if problems:
            raise RuleViolations(problems)
        before = audit.snapshot(case, CASE_FIELDS)
        _step(case, FeedbackAction.ANSWER, by, target)
        case.answer, case.upheld = text, upheld
        case.answered_on = case.answered_on or timezone.localdate()
        case.citizen_solved = None
        _save(case, before, by)
        if case.assigned_to_id and case.assigned_to_id != by.pk:
            notify(
                [case.assigned_to],
                kind=NotificationKind.TASK_CHANGED,
                title=_("Phản ánh %(code)s đã được trả lời") % {"code": case.tracking_code},
                url=case.get_absolute_url(),
            )
    return case


def close(case_id: int, *, by: Any, expected_version: int | None, outcome: str, reason: str = "") -> Feedback:
    """Close with how it ended. Only "resolved" counts as resolved; the other ends need a reason."""
    reason = reason.strip()
    with transaction.atomic():
        case = _lock(case_id, by, "feedback.close_feedback", expected_version)
        if case.status not in STEPS[FeedbackAction.CLOSE].sources:
            raise _refuse(case, FeedbackAction.CLOSE)
        if outcome not in Outcome.values:
            raise RuleViolations([Problem(_("Hãy chọn kết quả."), "outcome")])
        if not outcome_allowed(case.status, outcome):
            raise RuleViolations(
                [
                    Problem(
                        _("Phản ánh chưa được trả lời chỉ có thể chuyển cơ quan khác hoặc không thụ lý."),
                        "outcome",
                    )
                ]
            )
        if outcome in Outcome.needs_reason and not reason:
            raise RuleViolations([Problem(_("Hãy ghi lý do (hoặc nơi chuyển đến)."), "reason")])
        before = audit.snapshot(case, CASE_FIELDS)
        _step(case, FeedbackAction.CLOSE, by, FeedbackStatus.CLOSED, reason)
        case.outcome, case.outcome_reason, case.closed_on = outcome, reason, timezone.localdate()
        _save(case, before, by)
        others = [p for p in (case.assigned_to, case.handler) if p is not None and p.pk != by.pk]
        notify(
            others,
            kind=NotificationKind.TASK_CHANGED,
            title=_("Phản ánh %(code)s đã được đóng: %(outcome)s")
            % {"code": case.tracking_code, "outcome": case.get_outcome_display()},
            url=case.get_absolute_url(),
        )
    return case


def publish(
    case_id: int, *, by: Any, expected_version: int | None, public_answer: str, published: bool = True
) -> Feedback:
    """Publish (or withdraw) the answer on the public site, in the words the staff confirmed. Refused while the
    text still holds the reporter's data or anything shaped like a phone number or an e-mail address."""
    public_answer = public_answer.strip()
    with transaction.atomic():
        case = _lock(case_id, by, "feedback.publish_feedback", expected_version)
        if published:
            if case.answered_on is None:
                raise TransitionNotAllowed(_("Chỉ công khai phản ánh đã được trả lời."))
            if len(public_answer) < 10:
                raise RuleViolations([Problem(_("Hãy nhập nội dung công khai."), "public_answer")])
            if personal_data_left(public_answer, case):
                raise RuleViolations(
                    [
                        Problem(
                            _(
                                "Nội dung công khai còn thông tin cá nhân (họ tên, điện thoại, thư điện tử hoặc địa "
                                "chỉ của người phản ánh, hoặc một số điện thoại, địa chỉ thư điện tử)."
                            ),
                            "public_answer",
                        )
                    ]
                )
        before = audit.snapshot(case, CASE_FIELDS)
        FeedbackEvent.objects.create(
            feedback=case,
            action=FeedbackAction.PUBLISH,
            from_status=case.status,
            to_status=case.status,
            by=by,
            at=timezone.now(),
            comment="" if published else _("Thôi công khai"),
        )
        if published:
            case.public_answer, case.published_at = public_answer, timezone.now()
        case.is_published = published
        _save(case, before, by, {"public_answer": [None, case.public_answer]} if published else None)
    return case


def match_official(case_id: int, *, by: Any, expected_version: int | None, official: Any) -> Feedback:
    """Name the official the reporter wrote about, from the people of the case's unit (or clear it)."""
    with transaction.atomic():
        case = _lock(case_id, by, "feedback.match_official", expected_version)
        if official is not None and official.unit_id != case.unit_id:
            raise RuleViolations([Problem(_("Chỉ chọn cán bộ của đơn vị được phản ánh."), "official")])
        if official is not None and official.pk in (case.assigned_to_id, case.handler_id):
            raise RuleViolations(
                [
                    Problem(
                        _("Người này đang được giao xử lý phản ánh; hãy giao lại cho người khác trước."),
                        "official",
                    )
                ]
            )
        before = audit.snapshot(case, CASE_FIELDS)
        FeedbackEvent.objects.create(
            feedback=case,
            action=FeedbackAction.MATCH_OFFICIAL,
            from_status=case.status,
            to_status=case.status,
            by=by,
            at=timezone.now(),
            comment=str(official) if official else "",
        )
        case.official = official
        if official is not None:
            case.subject_kind = SubjectKind.OFFICIAL
        _save(case, before, by)
    return case


# -- the reporter's steps ----------------------------------------------------------------------------------------


def by_code(typed: str) -> Feedback | None:
    code = codes.normalize(typed)
    if not codes.looks_like_code(code):
        return None
    return Feedback.objects.select_related("unit").filter(tracking_code=code).first()


def reopen(code: str, *, reason: str) -> Feedback:
    """The reporter says the problem was not solved: the case goes back to handling, to the same person."""
    reason = reason.strip()
    with transaction.atomic():
        found = by_code(code)
        if found is None:
            raise PermissionDenied
        case = Feedback.objects.select_for_update().get(pk=found.pk)
        if not reopen_allowed(case.status, case.outcome):
            raise _refuse(case, FeedbackAction.REOPEN)
        if len(reason) < 10:
            raise RuleViolations(
                [Problem(_("Hãy cho biết vấn đề còn tồn tại (ít nhất 10 ký tự)."), "reason")]
            )
        before = audit.snapshot(case, CASE_FIELDS)
        _step(case, FeedbackAction.REOPEN, None, FeedbackStatus.IN_HANDLING, reason)
        case.citizen_solved = False
        case.reopened_count += 1
        case.outcome, case.outcome_reason, case.closed_on = "", "", None
        _save(case, before, None, {"reason": [None, reason]})
        people = [p for p in (case.handler, case.assigned_to) if p is not None] or triagers()
        notify(
            people,
            kind=NotificationKind.TASK_CHANGED,
            title=_("Người phản ánh đề nghị xử lý lại phản ánh %(code)s") % {"code": case.tracking_code},
            body=reason,
            url=case.get_absolute_url(),
        )
    return case


def confirm_solved(code: str) -> Feedback:
    """The reporter says the answer solved the problem. The staff still close the case; this is their evidence."""
    with transaction.atomic():
        found = by_code(code)
        if found is None:
            raise PermissionDenied
        case = Feedback.objects.select_for_update().get(pk=found.pk)
        if not reopen_allowed(case.status, case.outcome):
            raise _refuse(case, FeedbackAction.CONFIRM)
        if case.citizen_solved:
            return case
        before = audit.snapshot(case, CASE_FIELDS)
        FeedbackEvent.objects.create(
            feedback=case,
            action=FeedbackAction.CONFIRM,
            from_status=case.status,
            to_status=case.status,
            at=timezone.now(),
        )
        case.citizen_solved = True
        _save(case, before, None)
    return case
