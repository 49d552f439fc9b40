"""Everything that happens to a dialogue issue or a Council recommendation after it is recorded, each step in one
transaction with its history row, its audit entry and its notices.

Every step locks the row, checks the permission (403), treats the same request twice as done, checks the version
the person last saw (409, naming who changed it since), then the status (409) and the input (400, by field), and
writes nothing if anything is refused. The deadline of an issue may be a date or a number of working days from the
session, counted on the province's calendar; either way it is stored as a date, the one the reminders read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trongtam.core import audit
from trongtam.core.errors import Problem, RuleViolations, TransitionNotAllowed
from trongtam.core.models import AuditAction, NotificationKind
from trongtam.core.notifications import notify
from trongtam.org.domain.queries import head_of
from trongtam.org.enums import Role
from trongtam.org.models import Person, Unit
from trongtam.supervision.domain.workflow import ISSUE_STEPS, RECOMMENDATION_STEPS, Step
from trongtam.supervision.enums import IssueAction, ItemStatus, RecommendationAction, Verdict
from trongtam.supervision.models import DialogueIssue, ItemEvent, Recommendation, TrackedItem
from trongtam.workdays.domain.calendar import WorkCalendar
from trongtam.workdays.domain.queries import work_calendar

ITEM_FIELDS = ["status", "responsible_unit", "deadline", "answer", "answered_on", "closed_on", "close_reason"]
MAX_DEADLINE_DAYS = 365


def d(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


@dataclass
class StepInput:
    """What a step may carry; each step reads what it needs (workflow.Step says which)."""

    comment: str = ""
    responsible_unit: int | None = None
    deadline: dt.date | None = None
    deadline_days: int | None = None  # working days from the session (dialogue issues)
    answer: str = ""
    verdict: str = ""


def resolve_deadline(
    deadline: dt.date | None,
    days: int | None,
    *,
    start: dt.date,
    not_before: dt.date,
    calendar: WorkCalendar,
    required: bool,
) -> tuple[dt.date | None, list[Problem]]:
    """The deadline as a date: given, or `days` working days after `start`; never before `not_before`."""
    if deadline is not None and days is not None:
        return None, [
            Problem(
                _("Chỉ nhập hạn xử lý theo ngày hoặc theo số ngày làm việc, không nhập cả hai."), "deadline"
            )
        ]
    if days is not None:
        if not 1 <= days <= MAX_DEADLINE_DAYS:
            return None, [
                Problem(
                    _("Số ngày làm việc phải từ 1 đến %(max)s.") % {"max": MAX_DEADLINE_DAYS}, "deadline_days"
                )
            ]
        deadline = calendar.add_working_days(start, days)
    if deadline is None:
        return None, [
            Problem(_("Cần nhập hạn xử lý (ngày, hoặc số ngày làm việc)."), "deadline")
        ] if required else []
    if deadline < not_before:
        return None, [
            Problem(
                _("Hạn xử lý %(date)s không được trước ngày %(start)s.")
                % {"date": d(deadline), "start": d(not_before)},
                "deadline",
            )
        ]
    return deadline, []


def unit_problem(unit_id: int | None, *, required: bool) -> tuple[Unit | None, list[Problem]]:
    if unit_id is None:
        return None, (
            [Problem(_("Cần chọn đơn vị chịu trách nhiệm."), "responsible_unit")] if required else []
        )
    unit = Unit.objects.filter(pk=unit_id, is_active=True).first()
    if unit is None:
        return None, [
            Problem(_("Đơn vị chịu trách nhiệm không có hoặc đã ngừng hoạt động."), "responsible_unit")
        ]
    return unit, []


def _lock(model: type[TrackedItem], pk: int) -> Any:
    """The item, locked, with what its rules and notices read."""
    related = (
        ["responsible_unit", "dialogue__chaired_by"]
        if model is DialogueIssue
        else ["responsible_unit", "supervision"]
    )
    manager: Any = model._default_manager
    return manager.select_for_update(of=("self",)).select_related(*related).get(pk=pk)


def _status_label(item: TrackedItem) -> str:
    return str(ItemStatus(item.status).label)


def _guard(item: Any, step: Step, action: Any, by: Any, expected_version: int | None) -> bool:
    """Check permission, repetition, version and status; True when the request was already done (a no-op)."""
    if not by.has_perm(step.perm, item):
        raise PermissionDenied
    if item.status == step.target and item.status not in step.sources:
        last = item.events.order_by("-at", "-pk").values_list("action", flat=True).first()
        if last == action.value:
            return True  # the same request twice (a double click): already done, not a conflict
    if expected_version is not None and item.version != expected_version:
        raise audit.stale_edit(item, now=_("trạng thái «%(state)s»") % {"state": _status_label(item)})
    if item.status not in step.sources:
        raise TransitionNotAllowed(
            _("Không thể «%(action)s» khi kiến nghị đang ở trạng thái «%(state)s».")
            % {"action": action.label, "state": _status_label(item)}
        )
    return False


def _finish(
    item: Any, *, before: dict[str, Any], extra: list[str], action: Any, by: Any, comment: str, previous: str
) -> None:
    """Save the step: the version, the history row and the audit entry of what changed."""
    item.version += 1
    item.save()
    ItemEvent.objects.create(
        **{"issue" if isinstance(item, DialogueIssue) else "recommendation": item},
        action=action.value,
        from_status=previous,
        to_status=item.status,
        by=by,
        comment=comment,
    )
    changes = audit.diff(before, audit.snapshot(item, ITEM_FIELDS + extra))
    changes["action"] = [None, action.value]
    if comment:
        changes["comment"] = [None, comment]
    audit.record(actor=by, action=AuditAction.TRANSITION, instance=item, changes=changes)


def _council() -> list[Person]:
    return list(Person.objects.filter(role=Role.COUNCIL, is_active=True))


def tell(
    recipients: list[Any],
    item: Any,
    *,
    by: Any,
    title: str,
    comment: str = "",
    kind: NotificationKind = NotificationKind.TASK_CHANGED,
) -> None:
    """Notify the recipients (never the person who acted) of a step on `item`, with its deadline."""
    body = _("Người thực hiện: %(name)s.") % {"name": by.get_full_name()}
    if item.deadline:
        body += "\n" + _("Hạn xử lý: %(date)s.") % {"date": d(item.deadline)}
    if comment:
        body += "\n" + _("Ý kiến: %(comment)s") % {"comment": comment}
    notify(
        [r for r in recipients if r is not None and r.pk != by.pk],
        kind=kind,
        title=title % {"title": str(item)[:120]},
        body=body,
        url=item.get_absolute_url(),
    )


def _give_to_unit(
    item: Any, data: StepInput, *, start: dt.date, today: dt.date, reopening: bool
) -> list[Problem]:
    """Set the unit and the deadline of an item being given to a unit (or given again)."""
    unit, problems = unit_problem(data.responsible_unit or item.responsible_unit_id, required=True)
    deadline, more = resolve_deadline(
        data.deadline,
        data.deadline_days,
        start=today if reopening else start,
        not_before=today if reopening else start,
        calendar=work_calendar(),
        required=True,
    )
    problems += more
    if not problems:
        item.responsible_unit = unit
        item.deadline = deadline
        if item.original_deadline is None:
            item.original_deadline = deadline
        if isinstance(item, DialogueIssue):
            item.deadline_days = None if reopening else data.deadline_days
    return problems


def act_on_issue(
    issue_id: int,
    action: IssueAction,
    *,
    by: Any,
    data: StepInput | None = None,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> DialogueIssue:
    """Take one step of ISSUE_STEPS on the issue."""
    data = data or StepInput()
    today = today or timezone.localdate()
    step = ISSUE_STEPS[action]
    comment = data.comment.strip()
    with transaction.atomic():
        issue: DialogueIssue = _lock(DialogueIssue, issue_id)
        if _guard(issue, step, action, by, expected_version):
            return issue
        before = audit.snapshot(issue, [*ITEM_FIELDS, "outcome"])
        previous = issue.status
        problems: list[Problem] = []
        if step.needs_comment and not comment:
            problems.append(
                Problem(_("Cần nêu lý do, ý kiến khi «%(action)s».") % {"action": action.label}, "comment")
            )
        if step.needs_unit:
            problems += _give_to_unit(
                issue,
                data,
                start=issue.dialogue.held_on,
                today=today,
                reopening=action == IssueAction.REOPEN,
            )
        if step.needs_answer:
            if not data.answer.strip():
                problems.append(Problem(_("Cần nhập nội dung trả lời."), "answer"))
            issue.answer, issue.answered_on, issue.answered_by = data.answer.strip(), today, by
        if problems:
            raise RuleViolations(problems)
        issue.status = step.target
        if step.target == ItemStatus.CLOSED:
            issue.outcome, issue.closed_on, issue.close_reason = step.outcome, today, comment
        elif previous == ItemStatus.CLOSED:
            issue.outcome, issue.closed_on, issue.close_reason = "", None, ""
        _finish(
            issue, before=before, extra=["outcome"], action=action, by=by, comment=comment, previous=previous
        )
        _notify_issue(issue, action, by, comment)
    return issue


def _notify_issue(issue: DialogueIssue, action: IssueAction, by: Any, comment: str) -> None:
    unit_head = [head_of(issue.responsible_unit)] if issue.responsible_unit else []
    dialogue = issue.dialogue
    titles: dict[IssueAction, tuple[list[Any], str, NotificationKind]] = {
        IssueAction.ASSIGN: (
            unit_head,
            _("Được giao xử lý kiến nghị tại buổi đối thoại: «%(title)s»"),
            NotificationKind.ASSIGNED,
        ),
        IssueAction.REOPEN: (
            unit_head,
            _("Kiến nghị tại buổi đối thoại được mở lại: «%(title)s»"),
            NotificationKind.ASSIGNED,
        ),
        IssueAction.ANSWER: (
            [dialogue.chaired_by],
            _("Đơn vị đã trả lời kiến nghị: «%(title)s»"),
            NotificationKind.TASK_CHANGED,
        ),
        IssueAction.RETURN: (
            unit_head,
            _("Câu trả lời kiến nghị bị trả lại: «%(title)s»"),
            NotificationKind.TASK_RETURNED,
        ),
    }
    if action in titles:
        recipients, title, kind = titles[action]
    elif ISSUE_STEPS[action].target == ItemStatus.CLOSED:
        recipients, title, kind = (
            unit_head,
            _("Kiến nghị tại buổi đối thoại đã đóng: «%(title)s»"),
            NotificationKind.TASK_CHANGED,
        )
    else:
        return
    tell(recipients, issue, by=by, title=title, comment=comment, kind=kind)


def act_on_recommendation(
    recommendation_id: int,
    action: RecommendationAction,
    *,
    by: Any,
    data: StepInput | None = None,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Recommendation:
    """Take one step of RECOMMENDATION_STEPS. The Council's verdict needs a reason unless it is "resolved"; sending
    a report back may move the deadline (the original stays on record)."""
    data = data or StepInput()
    today = today or timezone.localdate()
    step = RECOMMENDATION_STEPS[action]
    comment = data.comment.strip()
    with transaction.atomic():
        rec: Recommendation = _lock(Recommendation, recommendation_id)
        if _guard(rec, step, action, by, expected_version):
            return rec
        before = audit.snapshot(rec, [*ITEM_FIELDS, "verdict"])
        previous = rec.status
        problems: list[Problem] = []
        if step.needs_comment and not comment:
            problems.append(
                Problem(_("Cần nêu lý do, ý kiến khi «%(action)s».") % {"action": action.label}, "comment")
            )
        if step.needs_answer:
            if not data.answer.strip():
                problems.append(Problem(_("Cần nêu kết quả đơn vị đã thực hiện."), "answer"))
            rec.answer, rec.answered_on, rec.answered_by = data.answer.strip(), today, by
        if action == RecommendationAction.CONCLUDE:
            if data.verdict not in Verdict.values:
                problems.append(
                    Problem(
                        _("Cần chọn kết luận: đã giải quyết, giải quyết một phần hay chưa giải quyết."),
                        "verdict",
                    )
                )
            elif data.verdict != Verdict.RESOLVED and not comment:
                problems.append(
                    Problem(
                        _("Cần nêu lý do khi kết luận kiến nghị chưa được giải quyết dứt điểm."), "comment"
                    )
                )
            rec.verdict, rec.closed_on, rec.close_reason = data.verdict, today, comment
        if action == RecommendationAction.RETURN and data.deadline is not None:
            if data.deadline < today:
                problems.append(
                    Problem(
                        _("Hạn mới không được trước hôm nay (%(date)s).") % {"date": d(today)}, "deadline"
                    )
                )
            rec.deadline = data.deadline
        if problems:
            raise RuleViolations(problems)
        rec.status = step.target
        _finish(
            rec, before=before, extra=["verdict"], action=action, by=by, comment=comment, previous=previous
        )
        _notify_recommendation(rec, action, by, comment)
    return rec


def _notify_recommendation(rec: Recommendation, action: RecommendationAction, by: Any, comment: str) -> None:
    unit_head = [head_of(rec.responsible_unit)] if rec.responsible_unit else []
    table: dict[RecommendationAction, tuple[list[Any], str, NotificationKind]] = {
        RecommendationAction.REPORT: (
            _council(),
            _("Đơn vị đã báo cáo kết quả thực hiện kiến nghị giám sát: «%(title)s»"),
            NotificationKind.TASK_COMPLETION_REPORTED,
        ),
        RecommendationAction.CONCLUDE: (
            unit_head,
            _("HĐND đã kết luận kiến nghị giám sát: «%(title)s»"),
            NotificationKind.TASK_CHANGED,
        ),
        RecommendationAction.RETURN: (
            unit_head,
            _("HĐND yêu cầu tiếp tục thực hiện kiến nghị giám sát: «%(title)s»"),
            NotificationKind.TASK_RETURNED,
        ),
    }
    if action in table:
        recipients, title, kind = table[action]
        tell(recipients, rec, by=by, title=title, comment=comment, kind=kind)
