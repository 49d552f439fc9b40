"""A dossier's life at the one-stop counter: its entry, the moves between the status codes of the provincial
systems (enums.DossierStatus, domain-vn.md §3.3), and the procedure catalog the counter works from.

Every write locks the dossier row, compares the version the officer last saw (`StaleEdit` names who changed it
since), checks the permission with the rules of `rules.py`, and is audited in the same transaction. The dates
the reports compare -- `received_on`, `due_date`, `paused_days` -- are only ever set from `deadlines.schedule`,
so the counter, the importer and the demo agree on every due date.

The moves (`TRANSITIONS`, the one table of what is allowed; anything else is `TransitionNotAllowed`, HTTP 409):

    1 submitted online ──receive──▶ 2 received ──start──▶ 4 in process ──finish──▶ 9 done ──return──▶ 10 returned
          │ refuse                      │  ▲ supplement received / fees paid │
          ▼                             ▼  │                               │
    3 refused            5 supplement requested, 6 awaiting fees ◀─────────┘
    withdraw (7) from every state before a result; stop (8) from every received state before a result.

The supplement pause: the working days between the request and the day the citizen brings the papers are added
to the due date (deadlines.py). A dossier keeps one pause, as the one-stop rules want the officer to ask for
everything missing at once (Decree 61/2018: guidance "một lần, đầy đủ"); a second request is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trongtam.core import audit
from trongtam.core.errors import Problem, RuleViolations, TransitionNotAllowed
from trongtam.core.models import AuditAction
from trongtam.core.search import search
from trongtam.dossiers.domain.deadlines import schedule
from trongtam.dossiers.domain.queries import units_entering_for
from trongtam.dossiers.enums import Channel, DossierStatus, ProcedureLevel, Source, Timeliness
from trongtam.dossiers.models import Dossier, Procedure
from trongtam.org.models import Unit
from trongtam.workdays.domain.calendar import WorkCalendar
from trongtam.workdays.domain.queries import work_calendar

S = DossierStatus

DOSSIER_FIELDS = [
    "status",
    "channel",
    "received_at",
    "received_on",
    "due_date",
    "paused_days",
    "supplement_requested_on",
    "supplement_received_on",
    "finished_on",
    "returned_on",
    "refusal_reason",
]
ENTRY_FIELDS = [
    "code",
    "unit",
    "procedure",
    "applicant_name",
    "applicant_kind",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
    "submitted_at",
    "source",
    *DOSSIER_FIELDS,
]
PROCEDURE_FIELDS = ["code", "name", "field", "level", "processing_days", "is_active"]
MIN_PHONE_DIGITS = 4  # the public lookup asks for the last four digits (issue #5, item 4)
CODE_ATTEMPTS = 5


class DossierAction(models.TextChoices):
    """What a one-stop officer does to a dossier (the paths of the pages and the API's `action`)."""

    RECEIVE = "receive", gettext_lazy("Tiếp nhận hồ sơ trực tuyến")
    REFUSE = "refuse", gettext_lazy("Từ chối tiếp nhận")
    START = "start", gettext_lazy("Chuyển xử lý")
    REQUEST_SUPPLEMENT = "request_supplement", gettext_lazy("Yêu cầu bổ sung giấy tờ")
    SUPPLEMENT_RECEIVED = "supplement_received", gettext_lazy("Đã nhận giấy tờ bổ sung")
    REQUEST_FEES = "request_fees", gettext_lazy("Chờ thực hiện nghĩa vụ tài chính")
    FEES_PAID = "fees_paid", gettext_lazy("Đã thực hiện nghĩa vụ tài chính")
    FINISH = "finish", gettext_lazy("Xử lý xong")
    RETURN_RESULT = "return_result", gettext_lazy("Trả kết quả")
    WITHDRAW = "withdraw", gettext_lazy("Công dân rút hồ sơ")
    STOP = "stop", gettext_lazy("Dừng xử lý")


A = DossierAction


@dataclass(frozen=True)
class Transition:
    """An allowed move: from any of `sources` to `target`; `needs` names the input it requires."""

    sources: frozenset[int]
    target: int
    needs: tuple[str, ...] = ()


BEFORE_RESULT = frozenset({S.RECEIVED, S.IN_PROCESS, S.SUPPLEMENT_REQUESTED, S.AWAITING_FEES})
TRANSITIONS: dict[DossierAction, Transition] = {
    A.RECEIVE: Transition(frozenset({S.SUBMITTED_ONLINE}), S.RECEIVED),
    A.REFUSE: Transition(frozenset({S.SUBMITTED_ONLINE}), S.REFUSED, ("reason",)),
    A.START: Transition(frozenset({S.RECEIVED}), S.IN_PROCESS),
    A.REQUEST_SUPPLEMENT: Transition(frozenset({S.RECEIVED, S.IN_PROCESS}), S.SUPPLEMENT_REQUESTED, ("on", "reason")),
    A.SUPPLEMENT_RECEIVED: Transition(frozenset({S.SUPPLEMENT_REQUESTED}), S.IN_PROCESS, ("on",)),
    A.REQUEST_FEES: Transition(frozenset({S.RECEIVED, S.IN_PROCESS}), S.AWAITING_FEES),
    A.FEES_PAID: Transition(frozenset({S.AWAITING_FEES}), S.IN_PROCESS),
    A.FINISH: Transition(frozenset({S.RECEIVED, S.IN_PROCESS}), S.DONE, ("on",)),
    A.RETURN_RESULT: Transition(frozenset({S.DONE}), S.RETURNED, ("on",)),
    A.WITHDRAW: Transition(frozenset({S.SUBMITTED_ONLINE}) | BEFORE_RESULT, S.WITHDRAWN, ("on",)),
    A.STOP: Transition(BEFORE_RESULT, S.STOPPED, ("on", "reason")),
}  # fmt: skip


def available_actions(status: int) -> list[DossierAction]:
    """The actions the table allows from `status`, in the table's order."""
    return [action for action, move in TRANSITIONS.items() if status in move.sources]


def _d(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _status_label(status: int) -> str:
    return str(dict(DossierStatus.choices).get(status, status))


# -- entry at the counter -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CounterEntry:
    """What the officer types at the counter. `received_at` None is now; `code` "" is generated."""

    unit: Unit
    procedure: Procedure
    applicant_name: str
    applicant_phone: str
    applicant_kind: str = "citizen"
    applicant_email: str = ""
    applicant_address: str = ""
    channel: int = Channel.COUNTER
    received_at: dt.datetime | None = None
    code: str = ""
    source: str = Source.COUNTER


def phone_digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())


def _entry_problems(entry: CounterEntry, by: Any, now: dt.datetime) -> list[Problem]:
    problems: list[Problem] = []
    if not entry.procedure.is_active:
        problems.append(
            Problem(_("Thủ tục «%(code)s» không còn áp dụng.") % {"code": entry.procedure.code}, "procedure")
        )
    if not units_entering_for(by).filter(pk=entry.unit.pk).exists():
        problems.append(
            Problem(
                _("Bạn không được tiếp nhận hồ sơ cho đơn vị «%(unit)s».") % {"unit": entry.unit.name}, "unit"
            )
        )
    if not entry.applicant_name.strip():
        problems.append(Problem(_("Cần nhập tên chủ hồ sơ."), "applicant_name"))
    if len(phone_digits(entry.applicant_phone)) < MIN_PHONE_DIGITS:
        problems.append(
            Problem(
                _("Số điện thoại cần có ít nhất 4 chữ số (công dân tra cứu hồ sơ bằng 4 số cuối)."),
                "applicant_phone",
            )
        )
    if entry.received_at is not None and entry.received_at > now:
        problems.append(Problem(_("Thời điểm tiếp nhận không được ở tương lai."), "received_at"))
    code = entry.code.strip()
    if code and Dossier.objects.filter(code=code).exists():
        problems.append(Problem(_("Mã hồ sơ «%(code)s» đã có trong hệ thống.") % {"code": code}, "code"))
    return problems


def next_code(unit: Unit, day: dt.date) -> str:
    """The next code in the provincial style, `<unit code>-<yymmdd>-<seq>` (XA01-261123-0007): the receipt slip's
    number, counted per unit and day. Two counters may pick the same number at once: the unique code refuses the
    second, and `receive_at_counter` draws again."""
    prefix = f"{unit.code}-{day:%y%m%d}-"
    last = (
        Dossier.objects.filter(code__startswith=prefix)
        .annotate(width=Length("code"))
        .order_by("-width", "-code")
        .values_list("code", flat=True)
        .first()
    )
    tail = last[len(prefix) :] if last else ""
    seq = int(tail) + 1 if tail.isdigit() else 1
    return f"{prefix}{seq:04d}"


def receive_at_counter(
    entry: CounterEntry, *, by: Any, calendar: WorkCalendar | None = None, now: dt.datetime | None = None
) -> Dossier:
    """Enter a dossier received at the counter (or by post): status 2, its due date from the procedure's time.

    Refuses, all problems at once (`RuleViolations`, by field): an inactive procedure, a unit the person may not
    enter for, a phone with fewer than 4 digits, a receipt in the future, a code already used."""
    now = now or timezone.now()
    if not by.has_perm("dossiers.enter_dossier"):
        raise PermissionDenied
    problems = _entry_problems(entry, by, now)
    if problems:
        raise RuleViolations(problems)
    calendar = calendar or work_calendar()
    received_at = entry.received_at or now
    plan = schedule(received_at, entry.procedure.processing_days, calendar)
    received_on = timezone.localtime(received_at).date()
    for _attempt in range(CODE_ATTEMPTS):
        dossier = Dossier(
            code=entry.code.strip() or next_code(entry.unit, received_on),
            unit=entry.unit,
            procedure=entry.procedure,
            channel=entry.channel,
            status=S.RECEIVED,
            applicant_name=entry.applicant_name.strip(),
            applicant_kind=entry.applicant_kind,
            applicant_phone=entry.applicant_phone.strip(),
            applicant_email=entry.applicant_email.strip(),
            applicant_address=entry.applicant_address.strip(),
            submitted_at=received_at,
            received_at=received_at,
            received_on=plan.received_on,
            due_date=plan.due_date,
            paused_days=plan.paused_days,
            source=entry.source,
        )
        try:
            with transaction.atomic():
                dossier.save()
                audit.record(
                    actor=by,
                    action=AuditAction.CREATE,
                    instance=dossier,
                    changes=audit.diff({}, audit.snapshot(dossier, ENTRY_FIELDS)),
                )
        except IntegrityError:
            if entry.code.strip():  # the officer's own code, taken meanwhile
                raise RuleViolations(
                    [
                        Problem(
                            _("Mã hồ sơ «%(code)s» đã có trong hệ thống.") % {"code": entry.code.strip()},
                            "code",
                        )
                    ]
                ) from None
            continue  # another counter took this number: draw the next
        return dossier
    raise RuleViolations([Problem(_("Chưa cấp được mã hồ sơ, hãy lưu lại."), "code")])


# -- moves ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """The input of a move: `on` the day it happened (today if None), `at` the receipt time of an online dossier
    (now if None), `reason` for a refusal, a supplement request or a stop."""

    on: dt.date | None = None
    at: dt.datetime | None = None
    reason: str = ""


def _lock(dossier_id: int, by: Any) -> Dossier:
    dossier = Dossier.objects.select_for_update().select_related("procedure", "unit").get(pk=dossier_id)
    if not by.has_perm("dossiers.enter_dossier_for", dossier):
        raise PermissionDenied
    return dossier


def _day_problems(dossier: Dossier, action: DossierAction, day: dt.date, today: dt.date) -> list[Problem]:
    """The day of a move lies between the earlier steps and today."""
    if day > today:
        return [Problem(_("Ngày không được sau hôm nay."), "on")]
    earliest, what = dossier.received_on, _("ngày tiếp nhận")
    if action == A.SUPPLEMENT_RECEIVED:
        earliest, what = dossier.supplement_requested_on, _("ngày yêu cầu bổ sung")
    elif action == A.RETURN_RESULT:
        earliest, what = dossier.finished_on, _("ngày xử lý xong")
    elif action in (A.FINISH, A.WITHDRAW, A.STOP) and dossier.supplement_received_on:
        earliest, what = dossier.supplement_received_on, _("ngày công dân bổ sung")
    if earliest is not None and day < earliest:
        return [
            Problem(
                _("Ngày không được trước %(what)s (%(day)s).") % {"what": what, "day": _d(earliest)}, "on"
            )
        ]
    return []


def _reschedule(dossier: Dossier, calendar: WorkCalendar) -> None:
    plan = schedule(
        dossier.received_at,
        dossier.procedure.processing_days,
        calendar,
        supplement_requested_on=dossier.supplement_requested_on,
        supplement_received_on=dossier.supplement_received_on,
    )
    dossier.received_on, dossier.due_date, dossier.paused_days = (
        plan.received_on,
        plan.due_date,
        plan.paused_days,
    )


def _apply(
    dossier: Dossier,
    *,
    action: DossierAction,
    move: Move,
    day: dt.date,
    now: dt.datetime,
    calendar: WorkCalendar,
) -> None:
    if action == A.RECEIVE:
        dossier.received_at = move.at or now
        _reschedule(dossier, calendar)
    elif action in (A.REFUSE, A.STOP):
        dossier.refusal_reason = move.reason
    if action == A.REQUEST_SUPPLEMENT:
        dossier.supplement_requested_on = day
    elif action == A.SUPPLEMENT_RECEIVED:
        dossier.supplement_received_on = day
        _reschedule(dossier, calendar)
    elif action in (A.FINISH, A.WITHDRAW, A.STOP):
        dossier.finished_on = day  # the day it ended (NgayKetThucXuLy), as the reports count endings
    elif action == A.RETURN_RESULT:
        dossier.returned_on = day
    dossier.status = TRANSITIONS[action].target


def transition(
    dossier_id: int,
    action: DossierAction,
    move: Move | None = None,
    *,
    by: Any,
    expected_version: int | None = None,
    calendar: WorkCalendar | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Move the dossier by `action`, as `TRANSITIONS` allows; lock, check, write, audit, in one transaction.

    Raises PermissionDenied (may not enter dossiers for its unit), `StaleEdit` (the dossier changed since
    `expected_version`), `TransitionNotAllowed` (not from this status; a second supplement request) and
    `RuleViolations` (a missing reason, a day outside its bounds). Sending the same move twice is a no-op."""
    move = move or Move()
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    rule = TRANSITIONS[action]
    with transaction.atomic():
        dossier = _lock(dossier_id, by)
        if expected_version is not None and dossier.version != expected_version:
            raise audit.stale_edit(
                dossier, now=_("trạng thái «%(status)s»") % {"status": _status_label(dossier.status)}
            )
        if dossier.status == rule.target and dossier.status not in rule.sources:
            return dossier  # the same request twice
        if dossier.status not in rule.sources:
            raise TransitionNotAllowed(
                _("Không thể «%(action)s» khi hồ sơ đang ở trạng thái «%(status)s».")
                % {"action": action.label, "status": _status_label(dossier.status)}
            )
        if action == A.REQUEST_SUPPLEMENT and dossier.supplement_requested_on is not None:
            raise TransitionNotAllowed(
                _(
                    "Hồ sơ đã được yêu cầu bổ sung một lần (ngày %(day)s); mọi giấy tờ còn thiếu phải được yêu cầu "
                    "một lần, đầy đủ."
                )
                % {"day": _d(dossier.supplement_requested_on)}
            )
        reason = move.reason.strip()
        day = move.on or today
        problems: list[Problem] = []
        if "reason" in rule.needs and not reason:
            problems.append(
                Problem(_("Cần nêu lý do khi «%(action)s».") % {"action": action.label}, "reason")
            )
        if "on" in rule.needs:
            problems += _day_problems(dossier, action, day, today)
        if action == A.RECEIVE and move.at is not None:
            if move.at > now:
                problems.append(Problem(_("Thời điểm tiếp nhận không được ở tương lai."), "at"))
            elif dossier.submitted_at and move.at < dossier.submitted_at:
                problems.append(Problem(_("Thời điểm tiếp nhận không được trước thời điểm nộp."), "at"))
        if problems:
            raise RuleViolations(problems)
        before = audit.snapshot(dossier, DOSSIER_FIELDS)
        _apply(
            dossier,
            action=action,
            move=Move(move.on, move.at, reason),
            day=day,
            now=now,
            calendar=calendar or work_calendar(),
        )
        dossier.version += 1
        dossier.save()
        changes = audit.diff(before, audit.snapshot(dossier, DOSSIER_FIELDS))
        changes["action"] = [None, str(action.value)]
        if reason and action == A.REQUEST_SUPPLEMENT:
            changes["reason"] = [None, reason]
        audit.record(actor=by, action=AuditAction.TRANSITION, instance=dossier, changes=changes)
    return dossier


# -- finding dossiers -----------------------------------------------------------------------------------------


def timeliness_condition(kind: str, today: dt.date) -> Q:
    """`deadlines.timeliness(...) == kind` as a database condition, so lists filter and count without loading
    rows; the tests hold the two to the same answer."""
    finished = Q(status__in=[S.DONE, S.RETURNED])
    no_verdict = Q(due_date__isnull=True) | Q(finished_on__isnull=True)
    open_ = Q(status__in=[S.RECEIVED, S.IN_PROCESS])
    paused = Q(status__in=[S.SUPPLEMENT_REQUESTED, S.AWAITING_FEES])
    conditions = {
        Timeliness.NOT_COUNTED: Q(status__in=[S.SUBMITTED_ONLINE, S.REFUSED, S.STOPPED]),
        Timeliness.EARLY: finished & ~no_verdict & Q(finished_on__lt=models.F("due_date")),
        Timeliness.LATE: finished & ~no_verdict & Q(finished_on__gt=models.F("due_date")),
        Timeliness.ON_TIME: (finished & (no_verdict | Q(finished_on=models.F("due_date"))))
        | Q(status=S.WITHDRAWN),
        Timeliness.OPEN_IN_TIME: paused | (open_ & (Q(due_date__isnull=True) | Q(due_date__gte=today))),
        Timeliness.OPEN_OVERDUE: open_ & Q(due_date__lt=today),
    }
    return conditions[Timeliness(kind)]


@dataclass(frozen=True)
class DossierFilters:
    """The list's filters (the pages' form and the API's query cleaned to these)."""

    unit: int | None = None
    procedure: int | None = None
    status: int | None = None
    timeliness: str = ""
    channel: int | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    q: str = ""


def filter_dossiers(
    queryset: QuerySet[Dossier], filters: DossierFilters, today: dt.date
) -> QuerySet[Dossier]:
    """`queryset` (already the person's scope) narrowed by `filters`; `q` finds a code or an applicant's name,
    diacritics ignored."""
    exact = {
        "unit_id": filters.unit,
        "procedure_id": filters.procedure,
        "status": filters.status,
        "channel": filters.channel,
        "received_on__gte": filters.received_from,
        "received_on__lte": filters.received_to,
    }
    queryset = queryset.filter(**{name: value for name, value in exact.items() if value is not None})
    if filters.timeliness:
        queryset = queryset.filter(timeliness_condition(filters.timeliness, today))
    if filters.q.strip():
        queryset = search(queryset, filters.q)
    return queryset


# -- the procedure catalog ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProcedureInput:
    code: str
    name: str
    field: str
    level: str
    processing_days: int
    is_active: bool = True


def procedure_fingerprint(procedure: Procedure) -> str:
    """A digest of the procedure as stored: the edit form carries it, as a version, to catch a lost update (the
    catalog keeps no version column)."""
    values = audit.snapshot(procedure, PROCEDURE_FIELDS)
    return hashlib.sha256(json.dumps(values, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def _procedure_problems(data: ProcedureInput, pk: int | None) -> list[Problem]:
    problems = []
    code = data.code.strip()
    if not code:
        problems.append(Problem(_("Cần nhập mã thủ tục."), "code"))
    elif Procedure.objects.filter(code=code).exclude(pk=pk or 0).exists():
        problems.append(Problem(_("Mã thủ tục «%(code)s» đã có trong danh mục.") % {"code": code}, "code"))
    if not data.name.strip():
        problems.append(Problem(_("Cần nhập tên thủ tục."), "name"))
    if not data.field.strip():
        problems.append(Problem(_("Cần nhập lĩnh vực."), "field"))
    if data.level not in ProcedureLevel.values:
        problems.append(Problem(_("Cấp thực hiện không hợp lệ."), "level"))
    if not 0 <= data.processing_days <= 365:
        problems.append(Problem(_("Thời hạn giải quyết phải từ 0 đến 365 ngày làm việc."), "processing_days"))
    return problems


def save_procedure(
    data: ProcedureInput, *, by: Any, procedure_id: int | None = None, expected_fingerprint: str | None = None
) -> Procedure:
    """Add a procedure to the catalog, or change one. A new processing time applies to dossiers received from
    now on: the due dates already given stand, as the receipt slips printed them."""
    if not by.has_perm("dossiers.manage_procedures"):
        raise PermissionDenied
    with transaction.atomic():
        procedure = (
            Procedure()
            if procedure_id is None
            else Procedure.objects.select_for_update().get(pk=procedure_id)
        )
        if expected_fingerprint is not None and procedure_fingerprint(procedure) != expected_fingerprint:
            raise audit.stale_edit(procedure)
        problems = _procedure_problems(data, procedure_id)
        if problems:
            raise RuleViolations(problems)
        before = audit.snapshot(procedure, PROCEDURE_FIELDS) if procedure_id else {}
        procedure.code, procedure.name, procedure.field = (
            data.code.strip(),
            data.name.strip(),
            data.field.strip(),
        )
        procedure.level, procedure.processing_days, procedure.is_active = (
            data.level,
            data.processing_days,
            data.is_active,
        )
        procedure.save()
        changes = audit.diff(before, audit.snapshot(procedure, PROCEDURE_FIELDS))
        if changes:
            action = AuditAction.UPDATE if procedure_id else AuditAction.CREATE
            audit.record(actor=by, action=action, instance=procedure, changes=changes)
    return procedure
