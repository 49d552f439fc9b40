"""Appeals (kiến nghị) against a signed level (issue 4, item 5): the head files, the Chairman decides.

    signed sheet → the head files an appeal within the round's appeal period → pending
    → the Chairman decides: upheld / partly upheld (the decided level is written to the sheet) or rejected

The appeal period is counted in WORKING days after the day of sign-off (`Round.appeal_days`, default 10), with the
product's one calendar (`trongtam.workdays`): Vietnamese administrative deadlines of a few days are stated in
working days, and the Civil Code (Art. 147-148) starts a period on the day after the event. `appeal_deadline` is
the one place that computes it; an appeal is accepted until the end of that day, Vietnamese time.

Each write runs in one transaction, in the order of `domain/rounds.py`: lock the row, check the permission, the
version the caller loaded (StaleEdit), the state (TransitionNotAllowed: not signed, too late, one pending appeal
already), the input (RuleViolations, every problem at once); nothing is written on a refusal. Then the write,
its audit entries (shown on the sheet's page) and the notifications.

Not done here: a Vice-Chairman acting as the Chairman's delegate, and re-checking the "excellent" quota when a
decision raises a level (the decision is the Chairman's and is recorded with its reasons).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trongtam.assessment.domain.rounds import _date, _locked_sheet, _notify, sheet_url, stale_sheet
from trongtam.assessment.enums import Level, SheetStatus
from trongtam.assessment.models import Appeal, AppealStatus, Round, ScoreSheet
from trongtam.assessment.rules import is_own_sheet
from trongtam.core import audit
from trongtam.core.errors import Problem, RuleViolations, TransitionNotAllowed
from trongtam.core.models import AuditAction, NotificationKind
from trongtam.org.domain.queries import chairmen
from trongtam.workdays.domain.calendar import WorkCalendar
from trongtam.workdays.domain.queries import work_calendar

# The outcomes of a decision, and those that write the decided level to the sheet.
DECISIONS = (AppealStatus.UPHELD, AppealStatus.PARTLY_UPHELD, AppealStatus.REJECTED)
CHANGES_LEVEL = (AppealStatus.UPHELD, AppealStatus.PARTLY_UPHELD)
# The kind of a `ScoreSheet.level_reasons` entry written by a decision (beside `classification.ReasonKind`).
APPEAL_REASON = "appeal"


# -- reading ---------------------------------------------------------------------------------------------------


def appeal_deadline(rnd: Round, calendar: WorkCalendar | None = None) -> dt.date | None:
    """The last day to appeal: the `appeal_days`-th working day after the day of sign-off (Vietnamese time);
    None before sign-off."""
    if rnd.signed_at is None:
        return None
    signed_on = timezone.localdate(rnd.signed_at)
    return (calendar or work_calendar()).add_working_days(signed_on, rnd.appeal_days)


def is_within_deadline(deadline: dt.date | None) -> bool:
    """Whether an appeal is still accepted today (Vietnamese time), given `appeal_deadline`."""
    return deadline is not None and timezone.localdate() <= deadline


def pending_appeal(sheet: ScoreSheet) -> Appeal | None:
    return sheet.appeals.filter(status=AppealStatus.PENDING).first()


def _level_label(code: str) -> str:
    return str(Level(code).label) if code in Level.values else code or "—"


# -- filing ----------------------------------------------------------------------------------------------------


def file_appeal(
    sheet_id: int, *, grounds: str, requested_level: str = "", by: Any, expected_version: int | None
) -> Appeal:
    """The head appeals against the level of their signed sheet, with the grounds and, optionally, the level
    they ask for. Raises PermissionDenied (not the sheet's head), StaleEdit (the sheet changed since it was
    loaded), TransitionNotAllowed (not signed yet; the appeal period is over, naming its last day; an appeal
    already pending), RuleViolations (no grounds; an unknown level, or the level already given). The Chairmen
    are told."""
    grounds, requested_level = grounds.strip(), (requested_level or "").strip()
    with transaction.atomic():
        sheet = _locked_sheet(sheet_id)
        if not is_own_sheet(by, sheet):
            raise PermissionDenied
        if expected_version is not None and sheet.version != expected_version:
            raise stale_sheet(sheet)
        rnd = sheet.round
        if sheet.status != SheetStatus.SIGNED or rnd.signed_at is None:
            raise TransitionNotAllowed(
                _("Kết quả đánh giá chưa được Chủ tịch phê duyệt nên chưa gửi kiến nghị được.")
            )
        deadline = appeal_deadline(rnd)
        if deadline is not None and not is_within_deadline(deadline):
            raise TransitionNotAllowed(
                _(
                    "Đã hết thời hạn kiến nghị về kết quả đánh giá: hạn cuối là ngày %(deadline)s "
                    "(%(days)s ngày làm việc kể từ ngày phê duyệt %(signed)s). Kiến nghị chưa được gửi."
                )
                % {
                    "deadline": _date(deadline),
                    "days": rnd.appeal_days,
                    "signed": _date(timezone.localdate(rnd.signed_at)),
                }
            )
        if sheet.appeals.filter(status=AppealStatus.PENDING).exists():
            raise TransitionNotAllowed(
                _(
                    "Đồng chí đã có một kiến nghị đang chờ giải quyết; hãy chờ kết quả giải quyết kiến nghị đó."
                )
            )
        problems = []
        if not grounds:
            problems.append(Problem(_("Cần nêu nội dung và căn cứ của kiến nghị."), "grounds"))
        if requested_level and requested_level not in Level.values:
            problems.append(
                Problem(
                    _("Mức xếp loại đề nghị «%(level)s» không có trong danh mục.")
                    % {"level": requested_level},
                    "requested_level",
                )
            )
        elif requested_level and requested_level == sheet.level:
            problems.append(
                Problem(
                    _("Mức đề nghị trùng với mức đã xếp loại (%(level)s).")
                    % {"level": _level_label(sheet.level)},
                    "requested_level",
                )
            )
        if problems:
            raise RuleViolations(problems)

        appeal = Appeal.objects.create(
            sheet=sheet,
            filed_by=by,
            filed_at=timezone.now(),
            grounds=grounds,
            requested_level=requested_level,
        )
        audit.record(
            actor=by,
            action=AuditAction.CREATE,
            instance=appeal,
            changes={
                "status": [None, appeal.status],
                "grounds": [None, grounds],
                "requested_level": [None, requested_level],
                "level": [None, sheet.level],
            },
            root=sheet,
        )
        _notify(
            chairmen(),
            by=by,
            kind=NotificationKind.SUBMITTED,
            url=sheet_url(sheet),
            title=_("%(unit)s kiến nghị về kết quả đánh giá «%(round)s»")
            % {"unit": sheet.unit.name, "round": rnd},
            comment=grounds,
        )
    return appeal


# -- deciding --------------------------------------------------------------------------------------------------


def decide_appeal(
    appeal_id: int,
    *,
    outcome: str,
    level: str = "",
    decision: str,
    by: Any,
    expected_version: int | None,
) -> Appeal:
    """The Chairman decides a pending appeal, with the decision's text (its number, date and reasons).

    Upheld or partly upheld: `level` is the decided level; when it differs from the sheet's, the sheet's level
    changes, a reason is appended to its `level_reasons` and both are audited. Upheld with a requested level
    means that level is given. Rejected: the level stays (a different `level` is refused). The head is told.
    Raises PermissionDenied, StaleEdit (the appeal changed since it was loaded), TransitionNotAllowed (already
    decided), RuleViolations.
    """
    decision, level = decision.strip(), (level or "").strip()
    with transaction.atomic():
        # The sheet first, then the appeal: the order `file_appeal` takes them in.
        sheet = _locked_sheet(Appeal.objects.values_list("sheet_id", flat=True).get(pk=appeal_id))
        appeal = Appeal.objects.select_for_update().get(pk=appeal_id)
        if not by.has_perm("assessment.decide_appeal", appeal):
            raise PermissionDenied
        if expected_version is not None and appeal.version != expected_version:
            raise audit.stale_edit(
                appeal, now=_("kiến nghị «%(status)s»") % {"status": appeal.get_status_display()}
            )
        if appeal.status != AppealStatus.PENDING:
            raise TransitionNotAllowed(
                _("Kiến nghị này đã được giải quyết («%(status)s»).")
                % {"status": appeal.get_status_display()}
            )
        problems = []
        if outcome not in DECISIONS:
            problems.append(Problem(_("Cần chọn kết quả giải quyết kiến nghị."), "outcome"))
        if not decision:
            problems.append(Problem(_("Cần nhập nội dung quyết định giải quyết kiến nghị."), "decision"))
        if level and level not in Level.values:
            problems.append(
                Problem(_("Mức xếp loại «%(level)s» không có trong danh mục.") % {"level": level}, "level")
            )
        elif outcome in CHANGES_LEVEL:
            if not level:
                problems.append(Problem(_("Cần chọn mức xếp loại sau khi giải quyết kiến nghị."), "level"))
            elif outcome == AppealStatus.UPHELD and level == sheet.level:
                problems.append(
                    Problem(
                        _(
                            "Chấp nhận kiến nghị thì mức xếp loại phải thay đổi (đang là %(level)s); "
                            "nếu giữ nguyên mức, hãy chọn «Không chấp nhận» hoặc «Chấp nhận một phần»."
                        )
                        % {"level": _level_label(sheet.level)},
                        "level",
                    )
                )
            elif (
                outcome == AppealStatus.UPHELD and appeal.requested_level and level != appeal.requested_level
            ):
                problems.append(
                    Problem(
                        _(
                            "Kiến nghị đề nghị mức %(requested)s: chấp nhận toàn bộ thì giữ mức này, "
                            "nếu quyết định mức khác hãy chọn «Chấp nhận một phần»."
                        )
                        % {"requested": _level_label(appeal.requested_level)},
                        "level",
                    )
                )
        elif outcome == AppealStatus.REJECTED and level and level != sheet.level:
            problems.append(
                Problem(
                    _("Không chấp nhận kiến nghị thì mức xếp loại giữ nguyên (%(level)s).")
                    % {"level": _level_label(sheet.level)},
                    "level",
                )
            )
        if problems:
            raise RuleViolations(problems)

        now = timezone.now()
        before_level = sheet.level
        after_level = level if outcome in CHANGES_LEVEL else before_level
        previous = appeal.status
        appeal.status, appeal.decision, appeal.resulting_level = outcome, decision, after_level
        appeal.decided_by, appeal.decided_at = by, now
        appeal.version += 1
        appeal.save(
            update_fields=["status", "decision", "resulting_level", "decided_by", "decided_at", "version"]
        )
        audit.record(
            actor=by,
            action=AuditAction.TRANSITION,
            instance=appeal,
            changes={
                "status": [previous, outcome],
                "decision": [None, decision],
                "resulting_level": [None, after_level],
            },
            root=sheet,
        )
        if after_level != before_level:
            reason = {
                "kind": APPEAL_REASON,
                "before": before_level,
                "after": after_level,
                "message": _(
                    "Theo quyết định giải quyết kiến nghị ngày %(date)s của %(name)s: từ «%(before)s» "
                    "thành «%(after)s». %(decision)s"
                )
                % {
                    "date": _date(timezone.localdate(now)),
                    "name": by.get_full_name(),
                    "before": _level_label(before_level),
                    "after": _level_label(after_level),
                    "decision": decision,
                },
                "rule_code": f"appeal:{appeal.pk}",
            }
            sheet.level = after_level
            sheet.level_reasons = [*sheet.level_reasons, reason]
            sheet.version += 1
            sheet.save(update_fields=["level", "level_reasons", "version", "updated_at"])
            audit.record(
                actor=by,
                action=AuditAction.UPDATE,
                instance=sheet,
                changes={"level": [before_level, after_level], "appeal": [None, appeal.pk]},
            )
        _notify(
            [sheet.person],
            by=by,
            kind=NotificationKind.CHANGE_REJECTED
            if outcome == AppealStatus.REJECTED
            else NotificationKind.CHANGE_APPROVED,
            url=sheet_url(sheet),
            title=_("Kiến nghị về kết quả đánh giá «%(round)s» đã được giải quyết: %(outcome)s")
            % {"round": sheet.round, "outcome": appeal.get_status_display()},
            comment=decision,
        )
    return appeal
