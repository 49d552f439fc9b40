"""Apology letters (Form 04 of Circular 01/2018/TT-VPCP, "Phiếu xin lỗi và hẹn lại ngày trả kết quả";
domain-vn.md §3.1–3.2): drafted when a dossier is at risk, approved (signed) by the unit's leader, then sent.

    draft ──submit──▶ awaiting_approval ──approve──▶ approved ──send──▶ sent
      ▲                      │
      └──────return──────────┘  (with the leader's comment)

The rules, with what each relies on:

- **When**: a dossier is at risk from one working day before its due date while it is open
  (`deadlines.is_at_risk`, Decree 61/2018 Art. 19); the daily sweep drafts a letter for every such dossier that
  has none, and a letter drafted after that day is flagged `is_late`. An officer may also draft one by hand for
  a dossier that still owes a result (open or paused), before it is at risk.
- **The proposed new date** is the due date plus `DOSSIERS_APOLOGY_EXTRA_WORKING_DAYS` working days (default 5,
  not the procedure's own processing time: a 0-day procedure would propose its own due date, a 30-day one a
  month's more wait; five days is a short, always-valid proposal that the officer adjusts). For a dossier that is
  already overdue when drafted, the days are counted from today, so that the proposal is never in the past.
- **Guards**: the reason is required to submit and approve; the new date must fall after the due date and on a
  working day; **the return date may be re-appointed only once** (Decree 61/2018): one letter per dossier (the
  model's one-to-one), and an approved letter writes `Dossier.appointment_date`, after which nothing changes it.
- **The number** ("12/PXL") is given at approval, counted per unit and calendar year, under a lock on the unit's
  row so that two leaders approving at once never get the same number. A letter approved after the due date is
  flagged `issued_after_due`.

Each write runs in one transaction: lock the dossier then the letter (the order every write here takes), check
the permission (PermissionDenied), the version the caller loaded (StaleEdit, naming who changed it), the state
(TransitionNotAllowed), the input (RuleViolations, every problem at once); nothing is written on a refusal.
Then the write, its audit entries and the notifications (in the app, and by e-mail after commit).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trongtam.core import audit
from trongtam.core.errors import Problem, RuleViolations, TransitionNotAllowed
from trongtam.core.models import AuditAction, AuditEntry, NotificationKind
from trongtam.core.notifications import notify
from trongtam.core.search import search
from trongtam.dossiers.domain.deadlines import apology_deadline, is_at_risk
from trongtam.dossiers.domain.queries import units_visible_to
from trongtam.dossiers.enums import OPEN, PAUSED, LetterStatus, SendChannel
from trongtam.dossiers.models import ApologyLetter, Dossier
from trongtam.org.enums import Role
from trongtam.org.models import Person, Unit
from trongtam.workdays.domain.calendar import WorkCalendar
from trongtam.workdays.domain.queries import work_calendar

DEFAULT_EXTRA_WORKING_DAYS = 5
# A dossier for which a result is still owed: a letter may be drafted by hand for it.
RESULT_OWED = OPEN | PAUSED
NUMBER_SUFFIX = "/PXL"
SWEEP_CHUNK = 1000
# A sent time a little ahead of the server's clock (a phone's clock) is accepted.
CLOCK_SKEW = dt.timedelta(minutes=5)
LETTER_TYPE = "dossiers.apologyletter"
DOSSIER_TYPE = "dossiers.dossier"
S = LetterStatus


class LetterAction(StrEnum):
    SAVE = "save"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    SEND = "send"


ACTION_LABELS = {
    LetterAction.SAVE: gettext_lazy("Lưu dự thảo"),
    LetterAction.SUBMIT: gettext_lazy("Trình lãnh đạo ký duyệt"),
    LetterAction.APPROVE: gettext_lazy("Ký duyệt"),
    LetterAction.RETURN: gettext_lazy("Trả lại để sửa"),
    LetterAction.SEND: gettext_lazy("Ghi nhận đã gửi"),
}


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    perm: str


TRANSITIONS: dict[LetterAction, Transition] = {
    LetterAction.SAVE: Transition(frozenset({S.DRAFT}), S.DRAFT, "dossiers.draft_letter"),
    LetterAction.SUBMIT: Transition(frozenset({S.DRAFT}), S.AWAITING_APPROVAL, "dossiers.draft_letter"),
    LetterAction.APPROVE: Transition(frozenset({S.AWAITING_APPROVAL}), S.APPROVED, "dossiers.approve_letter"),
    LetterAction.RETURN: Transition(frozenset({S.AWAITING_APPROVAL}), S.DRAFT, "dossiers.approve_letter"),
    LetterAction.SEND: Transition(frozenset({S.APPROVED}), S.SENT, "dossiers.send_letter"),
}


def next_status(status: str, action: LetterAction) -> str | None:
    """The status `action` leads to from `status`, or None when the action is not allowed there."""
    transition = TRANSITIONS[action]
    return transition.target if status in transition.sources else None


def available_actions(user: Any, letter: ApologyLetter) -> list[LetterAction]:
    """The actions `user` may take on `letter` as it stands now (the buttons of its page, the API's list)."""
    return [
        action
        for action, transition in TRANSITIONS.items()
        if letter.status in transition.sources and user.has_perm(transition.perm, letter)
    ]


# -- reading ---------------------------------------------------------------------------------------------------


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def extra_working_days() -> int:
    """The working days the proposal adds (setting `DOSSIERS_APOLOGY_EXTRA_WORKING_DAYS`, default 5)."""
    value = int(getattr(settings, "DOSSIERS_APOLOGY_EXTRA_WORKING_DAYS", DEFAULT_EXTRA_WORKING_DAYS))
    return max(value, 1)


def proposed_new_date(due: dt.date, today: dt.date, calendar: WorkCalendar) -> dt.date:
    """The new return date the draft proposes: the extra working days after the due date, or after today when
    the due date has passed already."""
    return calendar.add_working_days(max(due, today), extra_working_days())


def is_drafted_late(
    due: dt.date, today: dt.date, calendar: WorkCalendar, received_on: dt.date | None = None
) -> bool:
    """Drafted after the last day the rule allows (one working day before the due date; see
    `deadlines.apology_deadline` for procedures of 0 or 1 day)."""
    return today > apology_deadline(due, calendar, received_on)


def letters_visible_to(user: Any) -> QuerySet[ApologyLetter]:
    """The letters of the dossiers `user` may see (the scope of `dossiers.view_dossier`, in the database)."""
    return ApologyLetter.objects.filter(dossier__unit__in=units_visible_to(user))


@dataclass(frozen=True)
class LetterFilters:
    """The register's filters: the unit, the step, drafted late, issued after the due date, the month drafted
    (its first day) and words of the dossier's code or applicant."""

    unit: int | None = None
    status: str = ""
    late: bool = False
    after_due: bool = False
    month: dt.date | None = None
    q: str = ""


def filter_letters(letters: QuerySet[ApologyLetter], filters: LetterFilters) -> QuerySet[ApologyLetter]:
    """`letters` narrowed by `filters`, in the database, newest first, with what a register row shows."""
    if filters.unit is not None:
        letters = letters.filter(dossier__unit_id=filters.unit)
    if filters.status:
        letters = letters.filter(status=filters.status)
    if filters.late:
        letters = letters.filter(is_late=True)
    if filters.after_due:
        letters = letters.filter(issued_after_due=True)
    if filters.month is not None:
        start = timezone.make_aware(dt.datetime.combine(filters.month.replace(day=1), dt.time()))
        following = (filters.month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        end = timezone.make_aware(dt.datetime.combine(following, dt.time()))
        letters = letters.filter(drafted_at__gte=start, drafted_at__lt=end)
    if filters.q.strip():
        letters = search(letters, filters.q, "dossier__search_text")
    return letters.select_related("dossier__unit", "dossier__procedure", "approved_by").order_by(
        "-drafted_at", "-pk"
    )


def date_problems(new_date: dt.date | None, due: dt.date | None, calendar: WorkCalendar) -> list[Problem]:
    """What is wrong with a proposed new return date: missing, not after the due date, not a working day."""
    if new_date is None:
        return [Problem(_("Cần nhập ngày hẹn trả kết quả mới."), "new_due_date")]
    problems = []
    if due is not None and new_date <= due:
        problems.append(
            Problem(
                _("Ngày hẹn trả mới (%(new)s) phải sau ngày hẹn trả ban đầu (%(due)s).")
                % {"new": _d(new_date), "due": _d(due)},
                "new_due_date",
            )
        )
    if not calendar.is_working_day(new_date):
        holiday = calendar.holiday_name(new_date)
        problems.append(
            Problem(
                _("Ngày hẹn trả mới (%(new)s) không phải ngày làm việc%(why)s; hãy chọn một ngày làm việc.")
                % {"new": _d(new_date), "why": f" ({holiday})" if holiday else ""},
                "new_due_date",
            )
        )
    return problems


def _content_problems(letter: ApologyLetter, calendar: WorkCalendar) -> list[Problem]:
    problems = []
    if not letter.reason.strip():
        problems.append(Problem(_("Cần nêu lý do chậm trả kết quả."), "reason"))
    return problems + date_problems(letter.new_due_date, letter.dossier.due_date, calendar)


def public_letter(dossier: Dossier) -> dict[str, Any] | None:
    """What a citizen may see of the dossier's letter in the public lookup: only once the leader has signed it
    (approved or sent) -- its state, number, reason, new return date and the day it was sent. Never a name, a
    phone number or an address (the letter's reason is the officer's text about the dossier)."""
    letter = ApologyLetter.objects.filter(dossier=dossier, status__in=(S.APPROVED, S.SENT)).first()
    if letter is None:
        return None
    return {
        "status": letter.status,
        "status_label": str(letter.get_status_display()),
        "number": letter.number,
        "reason": letter.reason,
        "new_due_date": letter.new_due_date,
        "approved_on": timezone.localdate(letter.approved_at) if letter.approved_at else None,
        "sent_on": timezone.localdate(letter.sent_at) if letter.sent_at else None,
    }


# -- people to tell ----------------------------------------------------------------------------------------------


def _leaders(unit_ids: Iterable[int]) -> dict[int, list[Person]]:
    """unit id -> its head and deputies (those who may sign), in one query."""
    found: dict[int, list[Person]] = defaultdict(list)
    for person in Person.objects.filter(
        unit_id__in=set(unit_ids), role__in=(Role.HEAD, Role.DEPUTY), is_active=True
    ):
        if person.unit_id is not None:
            found[person.unit_id].append(person)
    return found


def _officers(dossiers: Iterable[Dossier]) -> dict[int, list[Person]]:
    """unit id -> the officers to tell about these dossiers: whoever entered or imported each dossier, as the
    audit trail knows it; for a unit where nobody is known, its officials. Two queries."""
    by_pk = {d.pk: d for d in dossiers}
    entered = (
        AuditEntry.objects.filter(
            object_type=DOSSIER_TYPE,
            object_id__in=[str(pk) for pk in by_pk],
            action__in=(AuditAction.CREATE, AuditAction.IMPORT),
            actor__isnull=False,
        )
        .select_related("actor")
        .only("object_id", "actor")
    )
    found: dict[int, dict[int, Person]] = defaultdict(dict)
    for entry in entered:
        dossier = by_pk.get(int(entry.object_id))
        if dossier is not None and entry.actor is not None and entry.actor.is_active:
            found[dossier.unit_id][entry.actor.pk] = entry.actor
    unknown = {d.unit_id for d in by_pk.values()} - set(found)
    for person in Person.objects.filter(unit_id__in=unknown, role=Role.OFFICIAL, is_active=True):
        if person.unit_id is not None:
            found[person.unit_id][person.pk] = person
    return {unit: list(people.values()) for unit, people in found.items()}


def _submitter(letter: ApologyLetter) -> Person | None:
    """Whoever last submitted the letter for approval (the audit trail's entry)."""
    entries = (
        AuditEntry.objects.filter(
            object_type=LETTER_TYPE,
            object_id=str(letter.pk),
            action=AuditAction.TRANSITION,
            actor__isnull=False,
        )
        .select_related("actor")
        .order_by("-seq")
    )
    for entry in entries:
        status = (entry.changes or {}).get("status") or [None, None]
        if status[-1] == S.AWAITING_APPROVAL:
            return entry.actor
    return None


def letter_url(letter: ApologyLetter) -> str:
    return reverse("dossiers:letter-detail", args=[letter.pk])


def _tell(
    recipients: Iterable[Person | None], *, by: Any, kind: NotificationKind, title: str, body: str, url: str
) -> None:
    """Notify everyone but the person who acted."""
    by_pk = getattr(by, "pk", None)
    notify(
        [p for p in recipients if p is not None and p.pk != by_pk], kind=kind, title=title, body=body, url=url
    )


# -- drafting ------------------------------------------------------------------------------------------------------


def _locked_dossier(dossier_id: int) -> Dossier:
    return (
        Dossier.objects.select_for_update(of=("self",)).select_related("unit", "procedure").get(pk=dossier_id)
    )


def draft_letter(
    dossier_id: int,
    *,
    by: Any,
    expected_version: int | None,
    reason: str = "",
    new_due_date: dt.date | None = None,
    today: dt.date | None = None,
) -> ApologyLetter:
    """An officer drafts the dossier's letter by hand, before or after the sweep would have.

    Raises PermissionDenied (`dossiers.draft_letter`), StaleEdit (the dossier changed since it was loaded),
    TransitionNotAllowed (no result owed any more, no due date, a letter already there or the date already
    re-appointed: once only), RuleViolations (a given new date that is not after the due date or not a working
    day). Without `new_due_date` the proposal is written. The unit's leaders are told."""
    today = today or timezone.localdate()
    calendar = work_calendar()
    with transaction.atomic():
        dossier = _locked_dossier(dossier_id)
        if not by.has_perm("dossiers.draft_letter", dossier):
            raise PermissionDenied
        if expected_version is not None and dossier.version != expected_version:
            raise audit.stale_edit(dossier)
        existing = ApologyLetter.objects.filter(dossier=dossier).first()
        if existing is not None or dossier.appointment_date is not None:
            raise TransitionNotAllowed(
                _(
                    "Hồ sơ %(code)s đã có phiếu xin lỗi và hẹn lại ngày trả kết quả; theo quy định, ngày trả "
                    "kết quả chỉ được hẹn lại một lần."
                )
                % {"code": dossier.code}
            )
        if dossier.status not in RESULT_OWED or dossier.due_date is None:
            raise TransitionNotAllowed(
                _(
                    "Hồ sơ %(code)s đang ở trạng thái «%(status)s», không còn chờ trả kết quả nên không lập phiếu."
                )
                % {"code": dossier.code, "status": dossier.get_status_display()}
            )
        due = dossier.due_date
        if new_due_date is not None:
            problems = date_problems(new_due_date, due, calendar)
            if problems:
                raise RuleViolations(problems)
        letter = ApologyLetter(
            dossier=dossier,
            reason=reason.strip(),
            new_due_date=new_due_date or proposed_new_date(due, today, calendar),
            is_late=is_drafted_late(due, today, calendar, dossier.received_on),
        )
        try:
            with transaction.atomic():
                letter.save()
        except IntegrityError as exc:  # drafted by the sweep a moment ago
            raise TransitionNotAllowed(
                _("Hồ sơ %(code)s vừa được lập phiếu xin lỗi.") % {"code": dossier.code}
            ) from exc
        audit.record(actor=by, action=AuditAction.CREATE, instance=letter, changes=_created_changes(letter))
        leaders = _leaders([dossier.unit_id]).get(dossier.unit_id, [])
        _tell(
            leaders,
            by=by,
            kind=NotificationKind.APOLOGY_LETTER,
            title=_("Đã lập dự thảo phiếu xin lỗi cho hồ sơ %(code)s") % {"code": dossier.code},
            body=_("Ngày hẹn trả %(due)s; ngày hẹn trả mới đề xuất %(new)s.")
            % {"due": _d(due), "new": _d(letter.new_due_date)},
            url=letter_url(letter),
        )
    return letter


def _created_changes(letter: ApologyLetter) -> audit.Changes:
    return {
        "status": [None, letter.status],
        "reason": [None, letter.reason],
        "new_due_date": [None, letter.new_due_date],
        "is_late": [None, letter.is_late],
        "drafted_automatically": [None, letter.drafted_automatically],
    }


def _insert(letters: list[ApologyLetter]) -> list[ApologyLetter]:
    """Insert the drafts in one statement; when one of them collides with a letter drafted meanwhile (by hand,
    or by another worker's sweep), insert them one by one and keep those that went in."""
    try:
        with transaction.atomic():
            return ApologyLetter.objects.bulk_create(letters)
    except IntegrityError:
        created = []
        for letter in letters:
            letter.pk = None
            try:
                with transaction.atomic():
                    letter.save()
            except IntegrityError:
                continue
            created.append(letter)
        return created


def sweep(today: dt.date, calendar: WorkCalendar, *, chunk_size: int = SWEEP_CHUNK) -> int:
    """Draft a letter for every dossier at risk today that has none; return how many were drafted.

    Idempotent: a dossier with a letter is never selected again, and an insert that collides with a letter
    drafted meanwhile is skipped. The candidates come from the (status, due_date) index -- open, due on or before
    the next working day (the widest due date at risk today; `is_at_risk` decides) -- with no letter, read in
    chunks by primary key. Each chunk costs a fixed number of queries (read, insert, the leaders and officers to
    tell, one notification batch per unit, the audit entries of the chunk in one append to the chain)."""
    cutoff = calendar.add_working_days(today, 1)
    candidates = (
        Dossier.objects.filter(status__in=OPEN, due_date__lte=cutoff)
        .filter(~Exists(ApologyLetter.objects.filter(dossier=OuterRef("pk"))))
        .only("pk", "code", "unit_id", "status", "due_date", "received_on")
        .order_by("pk")
    )
    drafted = 0
    last_pk = 0
    while True:
        chunk = list(candidates.filter(pk__gt=last_pk)[:chunk_size])
        if not chunk:
            return drafted
        last_pk = chunk[-1].pk
        at_risk = [
            d
            for d in chunk
            if d.due_date and is_at_risk(d.status, d.due_date, today, calendar, d.received_on)
        ]
        with transaction.atomic():
            created = _insert(
                [
                    ApologyLetter(
                        dossier=d,
                        reason="",
                        new_due_date=proposed_new_date(d.due_date, today, calendar),
                        drafted_automatically=True,
                        is_late=is_drafted_late(d.due_date, today, calendar, d.received_on),
                    )
                    for d in at_risk
                    if d.due_date is not None
                ]
            )
            audit.record_many(
                actor=None,
                action=AuditAction.CREATE,
                items=[(letter, _created_changes(letter)) for letter in created],
            )
            _tell_drafted(created)
        drafted += len(created)


def _tell_drafted(letters: list[ApologyLetter]) -> None:
    """One notification per unit to its leaders and officers, listing the dossiers whose letters were drafted."""
    if not letters:
        return
    by_unit: dict[int, list[ApologyLetter]] = defaultdict(list)
    for letter in letters:
        by_unit[letter.dossier.unit_id].append(letter)
    leaders = _leaders(by_unit)
    officers = _officers(letter.dossier for letter in letters)
    register = reverse("dossiers:letter-list")
    for unit_id, unit_letters in by_unit.items():
        codes = [letter.dossier.code for letter in unit_letters]
        shown = ", ".join(codes[:20]) + (" …" if len(codes) > 20 else "")
        notify(
            [*leaders.get(unit_id, []), *officers.get(unit_id, [])],
            kind=NotificationKind.APOLOGY_LETTER,
            title=_("Hệ thống đã lập %(count)s dự thảo phiếu xin lỗi cho hồ sơ sắp quá hạn")
            % {"count": len(codes)},
            body=_(
                "Hồ sơ: %(codes)s. Hãy hoàn thiện lý do, ngày hẹn trả mới và trình lãnh đạo ký duyệt, "
                "chậm nhất 01 ngày làm việc trước ngày hẹn trả."
            )
            % {"codes": shown},
            url=(
                letter_url(unit_letters[0])
                if len(unit_letters) == 1
                else f"{register}?unit={unit_id}&status={S.DRAFT}"
            ),
        )


# -- the workflow --------------------------------------------------------------------------------------------------


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime(year, 1, 1))  # noqa: DTZ001 -- made aware in the local zone
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))  # noqa: DTZ001
    return start, end


_LEADING_NUMBER = re.compile(r"^\s*(\d+)")


def next_number(unit_id: int, year: int) -> str:
    """The next letter number of the unit in `year` ("12/PXL"). Call inside the approving transaction: the lock
    on the unit's row makes concurrent approvals of the same unit take their numbers one after the other."""
    Unit.objects.select_for_update().filter(pk=unit_id).first()
    start, end = _year_bounds(year)
    numbers = (
        ApologyLetter.objects.filter(dossier__unit_id=unit_id, approved_at__gte=start, approved_at__lt=end)
        .exclude(number="")
        .values_list("number", flat=True)
    )
    taken = [int(m.group(1)) for m in map(_LEADING_NUMBER.match, numbers) if m]
    return f"{max(taken, default=0) + 1}{NUMBER_SUFFIX}"


def _status_now(letter: ApologyLetter) -> str:
    return _("phiếu đang ở bước «%(status)s»") % {"status": letter.get_status_display()}


def act(
    letter_id: int,
    action: LetterAction,
    *,
    by: Any,
    expected_version: int | None,
    reason: str | None = None,
    new_due_date: dt.date | None = None,
    comment: str = "",
    channel: str = "",
    sent_at: dt.datetime | None = None,
) -> ApologyLetter:
    """Take `action` on the letter.

    - save / submit (the officer): `reason` and `new_due_date`, when given, replace the draft's; submitting
      needs a reason and a valid new date; the leaders are told.
    - approve (the head or a deputy of the dossier's unit): the letter gets its number, the approver and the time;
      `issued_after_due` when approved after the due date; the dossier's `appointment_date` becomes the new date,
      once only. The submitter is told.
    - return (the same leaders): back to draft with `comment` (required); the submitter is told.
    - send (the officer): `channel` (letter, e-mail, SMS, in person, Zalo) and `sent_at` (default now; not in
      the future, not before approval). The leaders are told.

    Raises PermissionDenied, StaleEdit (409), TransitionNotAllowed (409), RuleViolations (400)."""
    transition = TRANSITIONS[action]
    calendar = work_calendar()
    now = timezone.now()
    with transaction.atomic():
        dossier_id = ApologyLetter.objects.values_list("dossier_id", flat=True).get(pk=letter_id)
        dossier = _locked_dossier(dossier_id)
        letter = ApologyLetter.objects.select_for_update().get(pk=letter_id)
        letter.dossier = dossier
        if not by.has_perm(transition.perm, letter):
            raise PermissionDenied
        if expected_version is not None and letter.version != expected_version:
            raise audit.stale_edit(letter, now=_status_now(letter))
        if letter.status not in transition.sources:
            raise TransitionNotAllowed(
                _("Không thực hiện được «%(action)s»: %(now)s.")
                % {"action": ACTION_LABELS[action], "now": _status_now(letter)}
            )
        before = audit.snapshot(
            letter,
            ["status", "reason", "new_due_date", "number", "rejection_comment", "approved_by", "sent_via"],
        )
        fields = {"status", "version"}
        if action in (LetterAction.SAVE, LetterAction.SUBMIT):
            if reason is not None:
                letter.reason = reason.strip()
            if new_due_date is not None:
                letter.new_due_date = new_due_date
            fields |= {"reason", "new_due_date"}
            problems = (
                _content_problems(letter, calendar)
                if action == LetterAction.SUBMIT
                else date_problems(letter.new_due_date, dossier.due_date, calendar)
            )
            if problems:
                raise RuleViolations(problems)
        elif action == LetterAction.APPROVE:
            _approve(letter, dossier, by=by, now=now, calendar=calendar)
            fields |= {"number", "approved_by", "approved_at", "issued_after_due"}
        elif action == LetterAction.RETURN:
            if not comment.strip():
                raise RuleViolations([Problem(_("Cần ghi ý kiến khi trả lại phiếu để sửa."), "comment")])
            letter.rejection_comment = comment.strip()
            fields.add("rejection_comment")
        elif action == LetterAction.SEND:
            _send(letter, channel=channel, sent_at=sent_at or now, now=now)
            fields |= {"sent_at", "sent_via"}
        letter.status = transition.target
        letter.version += 1
        letter.save(update_fields=sorted(fields))
        changes = audit.diff(
            before,
            audit.snapshot(
                letter,
                [
                    "status",
                    "reason",
                    "new_due_date",
                    "number",
                    "rejection_comment",
                    "approved_by",
                    "sent_via",
                ],
            ),
        )
        if action == LetterAction.SEND:
            changes["sent_at"] = [None, letter.sent_at]
        if comment.strip() and action != LetterAction.RETURN:
            changes["comment"] = [None, comment.strip()]
        audit.record(
            actor=by,
            action=AuditAction.UPDATE if action == LetterAction.SAVE else AuditAction.TRANSITION,
            instance=letter,
            changes=changes,
        )
        _tell_step(letter, action, by=by)
    return letter


def _approve(
    letter: ApologyLetter, dossier: Dossier, *, by: Any, now: dt.datetime, calendar: WorkCalendar
) -> None:
    """Sign: check the content again and the once-only rule, number the letter, write the dossier's new date."""
    if dossier.appointment_date is not None:
        raise TransitionNotAllowed(
            _(
                "Hồ sơ %(code)s đã được hẹn lại ngày trả kết quả (%(date)s); theo quy định chỉ được hẹn lại một "
                "lần."
            )
            % {"code": dossier.code, "date": _d(dossier.appointment_date)}
        )
    problems = _content_problems(letter, calendar)
    if problems:
        raise RuleViolations(problems)
    today = timezone.localdate(now)
    letter.number = next_number(dossier.unit_id, today.year)
    letter.approved_by, letter.approved_at = by, now
    letter.issued_after_due = dossier.due_date is not None and today > dossier.due_date
    dossier.appointment_date = letter.new_due_date
    dossier.version += 1
    Dossier.objects.filter(pk=dossier.pk).update(
        appointment_date=letter.new_due_date, version=dossier.version
    )
    audit.record(
        actor=by,
        action=AuditAction.UPDATE,
        instance=dossier,
        changes={"appointment_date": [None, letter.new_due_date], "apology_letter": [None, letter.number]},
    )


def _send(letter: ApologyLetter, *, channel: str, sent_at: dt.datetime, now: dt.datetime) -> None:
    problems = []
    if channel not in SendChannel.values:
        problems.append(Problem(_("Cần chọn hình thức gửi phiếu."), "channel"))
    if sent_at > now + CLOCK_SKEW:
        problems.append(Problem(_("Thời điểm gửi không được ở tương lai."), "sent_at"))
    elif letter.approved_at is not None and sent_at < letter.approved_at:
        problems.append(
            Problem(
                _("Thời điểm gửi không được trước thời điểm ký duyệt (%(at)s).")
                % {"at": timezone.localtime(letter.approved_at).strftime("%H:%M %d/%m/%Y")},
                "sent_at",
            )
        )
    if problems:
        raise RuleViolations(problems)
    letter.sent_at, letter.sent_via = sent_at, channel


def _tell_step(letter: ApologyLetter, action: LetterAction, *, by: Any) -> None:
    dossier = letter.dossier
    values = {"code": dossier.code, "number": letter.number, "date": _d(letter.new_due_date)}
    url = letter_url(letter)
    if action == LetterAction.SUBMIT:
        _tell(
            _leaders([dossier.unit_id]).get(dossier.unit_id, []),
            by=by,
            kind=NotificationKind.APOLOGY_LETTER,
            title=_("Phiếu xin lỗi của hồ sơ %(code)s chờ đồng chí ký duyệt") % values,
            body=letter.reason,
            url=url,
        )
    elif action == LetterAction.APPROVE:
        _tell(
            [_submitter(letter)],
            by=by,
            kind=NotificationKind.APOLOGY_LETTER,
            title=_("Phiếu xin lỗi số %(number)s (hồ sơ %(code)s) đã được ký duyệt; hãy gửi cho công dân")
            % values,
            body=_("Ngày hẹn trả kết quả mới: %(date)s.") % values,
            url=url,
        )
    elif action == LetterAction.RETURN:
        _tell(
            [_submitter(letter)],
            by=by,
            kind=NotificationKind.APOLOGY_LETTER,
            title=_("Phiếu xin lỗi của hồ sơ %(code)s bị trả lại để sửa") % values,
            body=letter.rejection_comment,
            url=url,
        )
    elif action == LetterAction.SEND:
        _tell(
            _leaders([dossier.unit_id]).get(dossier.unit_id, []),
            by=by,
            kind=NotificationKind.APOLOGY_LETTER,
            title=_("Phiếu xin lỗi số %(number)s (hồ sơ %(code)s) đã được gửi cho công dân") % values,
            body=str(letter.get_sent_via_display()),
            url=url,
        )
