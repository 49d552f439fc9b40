"""Every write of an assessment round: the rubric's versions, opening a round, the points, the workflow, sign-off.

The lifecycle of a score sheet (issue 4, item 2):

    self-assessment (the head) → review (the Vice-Chairman in charge) → verification (Home Affairs)
    → verified → signed (the Chairman signs the whole round, with the levels of `classify`)

A sheet goes back one step with `return_sheet` and a comment. Automatic criteria are computed by the system as
of the round's cut-off and are never typed over; `recompute` measures them again and records every point that
moved. After self-assessment, every change to a point needs a reason and keeps the earlier value
(`ScoreChange`). The sheet's total is always `rubric.score` of what is stored, so the explained breakdown adds
up to it.

Each write runs in one transaction: it locks the sheet (or the round) row, checks the permission (the rules of
`trongtam/assessment/rules.py`), then the version the caller loaded (StaleEdit), then the state
(TransitionNotAllowed), then the input (RuleViolations, every problem at once, nothing written); then it writes
the change, its audit entry and the notifications of whoever must act next.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from trongtam.assessment.domain import rubric as rb
from trongtam.assessment.domain.classification import (
    Candidate,
    Classification,
    ClassificationSettings,
    Fact,
    Group,
    Override,
    classify,
)
from trongtam.assessment.enums import RoundStatus, SheetStatus
from trongtam.assessment.models import CriterionScore, Round, RubricVersion, ScoreChange, ScoreSheet
from trongtam.core import audit
from trongtam.core.errors import Problem, RuleViolations, TransitionNotAllowed
from trongtam.core.models import AuditAction, NotificationKind
from trongtam.core.notifications import notify
from trongtam.cycles.models import Period
from trongtam.org.domain.queries import chairmen, vice_chairmen_in_charge_of
from trongtam.org.enums import Role, UnitKind
from trongtam.org.models import Person

# The code a rubric gives its task-results part (Decree 335: 70 points); its points break ties in the quota.
TASK_RESULTS_CODE = "KQ"
# The metric behind the "key task led personally not done" fact of the default hard rules.
OVERDUE_LED_PERSONALLY = "followup.overdue_led_personally"

COMMUNE_KINDS = frozenset({UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE})
# Units whose heads the provincial People's Committee rates: the departments and their peers, and the communes.
# Heads of divisions are rated inside their department; vertical sector agencies by their ministry.
RATED_KINDS = frozenset(
    {UnitKind.DEPARTMENT, UnitKind.SERVICE_CENTER, UnitKind.PUBLIC_SERVICE_UNIT, *COMMUNE_KINDS}
)
GROUP_DEPARTMENTS = "departments"  # heads of departments and units of the same rank
GROUP_COMMUNES = "communes"  # chairmen of communes, wards and special zones

# Who enters points at each step of a sheet.
STEP_PERMS = {
    SheetStatus.SELF_ASSESSMENT: "assessment.self_assess_sheet",
    SheetStatus.REVIEW: "assessment.review_sheet",
    SheetStatus.VERIFICATION: "assessment.verify_sheet",
}
# Where `return_sheet` sends a sheet, and who may send it there.
RETURNS = {
    SheetStatus.REVIEW: (SheetStatus.SELF_ASSESSMENT, "assessment.review_sheet"),
    SheetStatus.VERIFICATION: (SheetStatus.REVIEW, "assessment.verify_sheet"),
    SheetStatus.VERIFIED: (SheetStatus.VERIFICATION, "assessment.reopen_verified_sheet"),
}
CENT = Decimal("0.01")


# -- reading ---------------------------------------------------------------------------------------------------


def rubric_of(version: RubricVersion) -> rb.Rubric:
    """The rubric a version stores (validated on import; metrics are not looked up again here)."""
    return rb.from_dict(version.data, None)


def _leaves(scores: Iterable[rb.CriterionScore]) -> Iterator[rb.CriterionScore]:
    for scored in scores:
        if scored.children:
            yield from _leaves(scored.children)
        else:
            yield scored


def _values(rubric: rb.Rubric, rows: Mapping[str, CriterionScore]) -> rb.Values:
    """What the stored rows say: points entered by hand, and the metric values measured at the cut-off."""
    points: dict[str, Decimal] = {}
    metrics: dict[str, rb.MetricValue] = {}
    for criterion, _above in rubric.walk():
        row = rows.get(criterion.code)
        if criterion.is_group or row is None:
            continue
        if criterion.is_automatic:
            metrics[criterion.metric] = rb.MetricValue(
                row.metric_value, tuple(row.record_ids), row.record_kind
            )
        elif row.points is not None:
            points[criterion.code] = row.points
    return rb.Values(points=points, metrics=metrics)


def score_of(sheet: ScoreSheet, rows: Iterable[CriterionScore] | None = None) -> rb.ScoreSheet:
    """The sheet scored from what is stored: its `explain()` lines add up to `total`, which is `sheet.total`."""
    stored = {r.code: r for r in (sheet.scores.all() if rows is None else rows)}
    return rb.score(rubric_of(sheet.round.rubric), _values(rubric_of(sheet.round.rubric), stored))


def _measure(rubric: rb.Rubric, subject: Any, period: Period, cut_off: dt.date) -> dict[str, rb.MetricValue]:
    """Every metric the rubric names, measured once for `subject` as of `cut_off`."""
    measured: dict[str, rb.MetricValue] = {}
    for criterion, _above in rubric.walk():
        if criterion.is_automatic and criterion.metric not in measured:
            metric = rb.METRICS.get(criterion.metric)
            if metric is None:
                raise RuleViolations(
                    [
                        Problem(
                            _criterion_name(criterion)
                            + _("chỉ số «%(metric)s» chưa được đăng ký.") % {"metric": criterion.metric},
                            f"criteria.{criterion.code}.metric",
                        )
                    ]
                )
            measured[criterion.metric] = metric.compute(subject, period, cut_off)
    return measured


def _criterion_name(criterion: rb.Criterion) -> str:
    return _("Tiêu chí «%(label)s» (%(code)s): ") % {"label": criterion.label, "code": criterion.code}


def _date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


# -- rubrics ---------------------------------------------------------------------------------------------------


def import_rubric(period: Period, data: object, *, by: Any) -> RubricVersion:
    """A new version of the period's rubric (number = last + 1) from a file's data, validated first.

    Raises PermissionDenied (not Home Affairs) and RuleViolations naming every broken criterion; nothing is
    written then. The stored data is the rubric as `to_dict` writes it, so an export reads back the same.
    """
    if not by.has_perm("assessment.manage_rubric"):
        raise PermissionDenied
    parsed = rb.from_dict(data, rb.METRICS)
    with transaction.atomic():
        Period.objects.select_for_update().get(pk=period.pk)  # one number per import, even at the same time
        number = (RubricVersion.objects.filter(period=period).aggregate(m=Max("number"))["m"] or 0) + 1
        version = RubricVersion.objects.create(
            period=period, number=number, title=parsed.title, data=rb.to_dict(parsed), created_by=by
        )
        audit.record(
            actor=by,
            action=AuditAction.IMPORT,
            instance=version,
            changes={"number": [None, number], "code": [None, parsed.code], "title": [None, parsed.title]},
        )
    return version


def replace_rubric(rubric_id: int, data: object, *, by: Any) -> RubricVersion:
    """Change a version not yet used by a round. A frozen version is never changed: import a new version."""
    if not by.has_perm("assessment.manage_rubric"):
        raise PermissionDenied
    with transaction.atomic():
        version = RubricVersion.objects.select_for_update().get(pk=rubric_id)
        if version.frozen_at is not None:
            raise TransitionNotAllowed(
                _(
                    "Bộ tiêu chí «%(rubric)s» đã được khoá khi mở đợt đánh giá nên không sửa được; "
                    "hãy nhập nội dung mới thành một phiên bản mới."
                )
                % {"rubric": version}
            )
        parsed = rb.from_dict(data, rb.METRICS)
        before = {"title": version.title, "data": version.data}
        version.title, version.data = parsed.title, rb.to_dict(parsed)
        version.save(update_fields=["title", "data"])
        changes = audit.diff(before, {"title": version.title, "data": version.data})
        if changes:
            audit.record(actor=by, action=AuditAction.IMPORT, instance=version, changes=changes)
    return version


# -- opening a round -------------------------------------------------------------------------------------------


def rated_heads() -> list[Person]:
    """The heads a round scores: active heads of the active units the province rates, by unit name."""
    return list(
        Person.objects.filter(
            role=Role.HEAD, is_active=True, unit__is_active=True, unit__kind__in=RATED_KINDS
        )
        .select_related("unit")
        .order_by("unit__name", "pk")
    )


def _rows_for(
    rubric: rb.Rubric, scored: rb.ScoreSheet, measured: Mapping[str, rb.MetricValue]
) -> list[CriterionScore]:
    rows = []
    for leaf in _leaves(scored.criteria):
        criterion = leaf.criterion
        row = CriterionScore(code=criterion.code)
        if criterion.is_automatic:
            value = measured[criterion.metric]
            row.points = leaf.points
            row.metric_value = value.value
            row.record_ids = list(value.record_ids)
            row.record_kind = value.record_kind
        rows.append(row)
    return rows


def open_round(
    period: Period, rubric_version: RubricVersion, *, name: str, cut_off: dt.date, by: Any
) -> Round:
    """Open a round: freeze the rubric, create a sheet for every rated head with a row per leaf criterion, and
    compute the automatic criteria at once, as of `cut_off`, for the head's unit.

    Queries: a constant, plus per sheet only the metrics' own (each metric measured once per sheet, however many
    criteria name it); sheets and rows are written in bulk.
    """
    if not by.has_perm("assessment.manage_round"):
        raise PermissionDenied
    name = name.strip()
    problems = []
    if not name:
        problems.append(Problem(_("Cần nhập tên đợt đánh giá."), "name"))
    if rubric_version.period_id != period.pk:
        problems.append(
            Problem(
                _("Bộ tiêu chí «%(rubric)s» không thuộc kỳ %(period)s.")
                % {"rubric": rubric_version, "period": period},
                "rubric",
            )
        )
    if not period.start_date <= cut_off <= period.end_date:
        problems.append(
            Problem(
                _("Ngày chốt số liệu phải nằm trong kỳ, từ %(start)s đến %(end)s.")
                % {"start": _date(period.start_date), "end": _date(period.end_date)},
                "cut_off",
            )
        )
    if problems:
        raise RuleViolations(problems)
    parsed = rb.from_dict(rubric_version.data, rb.METRICS)  # a metric may have been removed since the import

    with transaction.atomic():
        version = RubricVersion.objects.select_for_update().get(pk=rubric_version.pk)
        now = timezone.now()
        if version.frozen_at is None:
            version.frozen_at = now
            version.save(update_fields=["frozen_at"])
            audit.record(
                actor=by, action=AuditAction.UPDATE, instance=version, changes={"frozen_at": [None, now]}
            )
        rubric_version.frozen_at = version.frozen_at
        new_round = Round.objects.create(
            period=period, rubric=version, name=name, cut_off=cut_off, opened_by=by
        )
        heads = rated_heads()
        sheets, rows_per_sheet = [], []
        for head in heads:
            measured = _measure(parsed, head.unit, period, cut_off)
            scored = rb.score(parsed, rb.Values(metrics=measured))
            sheets.append(
                ScoreSheet(round=new_round, person=head, unit=head.unit, total=scored.total, computed_at=now)
            )
            rows_per_sheet.append(_rows_for(parsed, scored, measured))
        ScoreSheet.objects.bulk_create(sheets, batch_size=500)
        rows = []
        for sheet, sheet_rows in zip(sheets, rows_per_sheet, strict=True):
            for row in sheet_rows:
                row.sheet = sheet
                rows.append(row)
        CriterionScore.objects.bulk_create(rows, batch_size=500)
        audit.record(
            actor=by,
            action=AuditAction.CREATE,
            instance=new_round,
            changes={
                "name": [None, name],
                "rubric": [None, str(version)],
                "cut_off": [None, cut_off],
                "sheets": [None, len(sheets)],
            },
        )
        notify(
            heads,
            kind=NotificationKind.REMINDER,
            title=_("Đợt đánh giá «%(round)s» đã mở: mời đồng chí tự chấm điểm") % {"round": name},
            body=_("Các tiêu chí tự động đã được tính theo số liệu đến ngày %(date)s.")
            % {"date": _date(cut_off)},
        )
    return new_round


# -- a sheet ---------------------------------------------------------------------------------------------------


def _locked_sheet(sheet_id: int) -> ScoreSheet:
    """The sheet with its row locked until the transaction ends; its round, rubric, unit and person read."""
    return (
        ScoreSheet.objects.select_for_update(of=("self",))
        .select_related("round__rubric", "round__period", "unit", "person")
        .get(pk=sheet_id)
    )


def stale_sheet(sheet: ScoreSheet) -> Any:
    # Points are audited on their criterion rows, whose page is the sheet: look at the whole page.
    return audit.stale_edit(
        sheet, children_count=True, now=_("bước «%(status)s»") % {"status": sheet.get_status_display()}
    )


def _check_version(sheet: ScoreSheet, expected_version: int | None) -> None:
    if expected_version is not None and sheet.version != expected_version:
        raise stale_sheet(sheet)


def _bump(sheet: ScoreSheet, fields: Sequence[str] = ()) -> None:
    # The caller holds the row lock, so a plain increment cannot lose a concurrent one.
    sheet.version += 1
    sheet.save(update_fields=["version", "updated_at", *fields])


def _rescore(sheet: ScoreSheet, rubric: rb.Rubric, rows: Mapping[str, CriterionScore]) -> rb.ScoreSheet:
    scored = rb.score(rubric, _values(rubric, rows))
    sheet.total = scored.total
    return scored


def _points_problems(rubric: rb.Rubric, code: str, points: object) -> list[Problem]:
    here = f"points.{code}"
    criterion = rubric.find(code)
    if criterion is None:
        return [Problem(_("Không có tiêu chí mã «%(code)s» trong bộ tiêu chí.") % {"code": code}, here)]
    try:
        value = Decimal(str(points)) if isinstance(points, int | str | Decimal) else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        return [
            Problem(
                _criterion_name(criterion)
                + _("điểm phải là một số (đang là %(value)s).") % {"value": points},
                here,
            )
        ]
    problems = [p for p in rb.value_problems(rubric, rb.Values(points={code: value})) if p.field == here]
    if not problems and value != value.quantize(CENT):
        problems.append(Problem(_criterion_name(criterion) + _("điểm có tối đa hai chữ số thập phân."), here))
    return problems


def enter_points(
    sheet_id: int,
    code: str,
    *,
    points: Decimal | int | str,
    comment: str = "",
    reason: str = "",
    by: Any,
    expected_version: int | None,
) -> ScoreSheet:
    """Enter the points of a criterion scored by hand, at the sheet's current step.

    The head in self-assessment (no reason asked, no history kept: it is their own draft); the Vice-Chairman in
    charge in review and Home Affairs in verification, each with a reason, the earlier value kept as a
    `ScoreChange`. A comment, when given, replaces the criterion's comment. Raises PermissionDenied (nobody's
    step), TransitionNotAllowed (someone's step, but not this person's now), StaleEdit, RuleViolations (an
    automatic criterion, points outside 0..maximum, no reason).
    """
    comment, reason = comment.strip(), reason.strip()
    with transaction.atomic():
        sheet = _locked_sheet(sheet_id)
        perm = STEP_PERMS.get(SheetStatus(sheet.status))
        if perm is None or not by.has_perm(perm, sheet):
            if any(by.has_perm(p, sheet) for p in STEP_PERMS.values()):
                raise TransitionNotAllowed(
                    _("Phiếu đánh giá đang ở bước «%(status)s», đồng chí không sửa điểm được lúc này.")
                    % {"status": sheet.get_status_display()}
                )
            raise PermissionDenied
        _check_version(sheet, expected_version)
        rubric = rubric_of(sheet.round.rubric)
        problems = _points_problems(rubric, code, points)
        needs_reason = sheet.status != SheetStatus.SELF_ASSESSMENT
        if needs_reason and not reason:
            criterion = rubric.find(code)
            problems.append(
                Problem(
                    (_criterion_name(criterion) if criterion else "")
                    + _("cần nêu lý do khi thay đổi điểm ở bước «%(status)s».")
                    % {"status": sheet.get_status_display()},
                    "reason",
                )
            )
        if problems:
            raise RuleViolations(problems)

        rows = {r.code: r for r in sheet.scores.all()}
        row = rows[code]
        new_points = Decimal(str(points)).quantize(CENT)
        before = {"points": row.points, "comment": row.comment}
        row.points = new_points
        if comment:
            row.comment = comment
        changes = audit.diff(
            {k: audit.jsonable(v) for k, v in before.items()},
            {"points": audit.jsonable(row.points), "comment": row.comment},
        )
        if not changes:
            return sheet  # the same entry twice: nothing to record
        row.updated_by = by
        row.save(update_fields=["points", "comment", "updated_by", "updated_at"])
        if needs_reason and before["points"] != new_points:
            ScoreChange.objects.create(
                score=row, step=sheet.status, before=before["points"], after=new_points, reason=reason, by=by
            )
        _rescore(sheet, rubric, rows)
        _bump(sheet, ["total"])
        if needs_reason:
            changes["reason"] = [None, reason]
        audit.record(actor=by, action=AuditAction.UPDATE, instance=row, changes=changes, root=sheet)
    return sheet


def recompute(sheet_id: int, *, by: Any, expected_version: int | None) -> ScoreSheet:
    """Measure the automatic criteria again as of the round's cut-off; a `ScoreChange` for every point that
    moved (the reason names the cut-off). Home Affairs, before sign-off."""
    with transaction.atomic():
        sheet = _locked_sheet(sheet_id)
        if not by.has_perm("assessment.manage_round"):
            raise PermissionDenied
        _check_version(sheet, expected_version)
        if sheet.status == SheetStatus.SIGNED:
            raise TransitionNotAllowed(_("Phiếu đánh giá đã được phê duyệt, không tính lại được."))
        rnd = sheet.round
        rubric = rubric_of(rnd.rubric)
        measured = _measure(rubric, sheet.unit, rnd.period, rnd.cut_off)
        rows = {r.code: r for r in sheet.scores.all()}
        scored = rb.score(rubric, _with_metrics(rubric, rows, measured))
        reason = _("Tính lại theo số liệu đến ngày %(date)s") % {"date": _date(rnd.cut_off)}
        changed_rows, moves = [], {}
        for leaf in _leaves(scored.criteria):
            criterion = leaf.criterion
            if not criterion.is_automatic:
                continue
            row = rows[criterion.code]
            value = measured[criterion.metric]
            before = row.points
            row.points, row.metric_value = leaf.points, value.value
            row.record_ids, row.record_kind = list(value.record_ids), value.record_kind
            row.updated_by = by
            changed_rows.append(row)
            if before != leaf.points:
                moves[criterion.code] = [before, leaf.points]
                ScoreChange.objects.create(
                    score=row, step=sheet.status, before=before, after=leaf.points, reason=reason, by=by
                )
        CriterionScore.objects.bulk_update(
            changed_rows, ["points", "metric_value", "record_ids", "record_kind", "updated_by"]
        )
        sheet.total = scored.total
        sheet.computed_at = timezone.now()
        before_total = ScoreSheet.objects.values_list("total", flat=True).get(pk=sheet.pk)
        _bump(sheet, ["total", "computed_at"])
        audit.record(
            actor=by,
            action=AuditAction.UPDATE,
            instance=sheet,
            changes={
                "computed_at": [None, sheet.computed_at],
                **({"total": [before_total, sheet.total]} if before_total != sheet.total else {}),
                **{f"points.{code}": move for code, move in moves.items()},
            },
        )
    return sheet


def _with_metrics(
    rubric: rb.Rubric, rows: Mapping[str, CriterionScore], measured: Mapping[str, rb.MetricValue]
) -> rb.Values:
    stored = _values(rubric, rows)
    return rb.Values(points=stored.points, metrics=measured)


# -- the workflow ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Move:
    perm: str
    source: SheetStatus
    target: SheetStatus
    label: str


def _transition(
    sheet_id: int, move: _Move, *, by: Any, expected_version: int | None, comment: str = ""
) -> tuple[ScoreSheet, str]:
    """Lock, check and apply a move; returns the sheet and the status it left."""
    sheet = _locked_sheet(sheet_id)
    if not by.has_perm(move.perm, sheet):
        raise PermissionDenied
    _check_version(sheet, expected_version)
    if sheet.status != move.source:
        raise TransitionNotAllowed(
            _("Không thể «%(action)s» khi phiếu đánh giá đang ở bước «%(status)s».")
            % {"action": move.label, "status": sheet.get_status_display()}
        )
    previous = sheet.status
    sheet.status = move.target
    _bump(sheet, ["status"])
    audit.record(
        actor=by,
        action=AuditAction.TRANSITION,
        instance=sheet,
        changes={"status": [previous, move.target], **({"comment": [None, comment]} if comment else {})},
    )
    return sheet, previous


def _home_affairs() -> list[Person]:
    return list(Person.objects.filter(role=Role.HOME_AFFAIRS, is_active=True))


def _notify(
    recipients: Iterable[Any], *, by: Any, kind: NotificationKind, title: str, comment: str = ""
) -> None:
    body = _("Người xử lý: %(name)s.") % {"name": by.get_full_name()}
    if comment:
        body += "\n" + _("Ý kiến: %(comment)s") % {"comment": comment}
    notify([r for r in recipients if r.pk != by.pk], kind=kind, title=title, body=body)


def submit(sheet_id: int, *, by: Any, expected_version: int | None) -> ScoreSheet:
    """The head submits their self-assessment for review; refused while a criterion scored by hand has no
    points (every one listed). Notifies the Vice-Chairmen in charge of the unit."""
    move = _Move(
        "assessment.self_assess_sheet",
        SheetStatus.SELF_ASSESSMENT,
        SheetStatus.REVIEW,
        _("gửi phiếu tự chấm"),
    )
    with transaction.atomic():
        sheet = _locked_sheet(sheet_id)
        if not by.has_perm(move.perm, sheet):
            raise PermissionDenied
        _check_version(sheet, expected_version)
        if sheet.status == move.source:
            rubric = rubric_of(sheet.round.rubric)
            scored = rb.score(rubric, _values(rubric, {r.code: r for r in sheet.scores.all()}))
            if scored.missing:
                raise RuleViolations(
                    [
                        Problem(_criterion_name(c) + _("chưa chấm điểm."), f"points.{c.code}")
                        for c in (rubric.find(code) for code in scored.missing)
                        if c is not None
                    ]
                )
        sheet, _previous = _transition(sheet_id, move, by=by, expected_version=None)
        _notify(
            vice_chairmen_in_charge_of(sheet.unit),
            by=by,
            kind=NotificationKind.SUBMITTED,
            title=_("%(unit)s gửi phiếu tự chấm điểm «%(round)s»")
            % {"unit": sheet.unit.name, "round": sheet.round},
        )
    return sheet


def finish_review(sheet_id: int, *, by: Any, expected_version: int | None) -> ScoreSheet:
    """The Vice-Chairman in charge sends the reviewed sheet to Home Affairs for verification."""
    move = _Move(
        "assessment.review_sheet", SheetStatus.REVIEW, SheetStatus.VERIFICATION, _("chuyển thẩm định")
    )
    with transaction.atomic():
        sheet, _previous = _transition(sheet_id, move, by=by, expected_version=expected_version)
        _notify(
            _home_affairs(),
            by=by,
            kind=NotificationKind.SUBMITTED,
            title=_("Phiếu đánh giá của %(unit)s chờ thẩm định («%(round)s»)")
            % {"unit": sheet.unit.name, "round": sheet.round},
        )
    return sheet


def verify(sheet_id: int, *, by: Any, expected_version: int | None) -> ScoreSheet:
    """Home Affairs verifies the sheet. When the round's last sheet is verified, the Chairmen are told that it
    awaits their sign-off."""
    move = _Move("assessment.verify_sheet", SheetStatus.VERIFICATION, SheetStatus.VERIFIED, _("thẩm định"))
    with transaction.atomic():
        sheet, _previous = _transition(sheet_id, move, by=by, expected_version=expected_version)
        if not sheet.round.sheets.exclude(status=SheetStatus.VERIFIED).exists():
            _notify(
                chairmen(),
                by=by,
                kind=NotificationKind.SUBMITTED,
                title=_("Kết quả đánh giá «%(round)s» đã thẩm định xong, chờ phê duyệt")
                % {"round": sheet.round},
            )
    return sheet


def return_sheet(sheet_id: int, *, comment: str, by: Any, expected_version: int | None) -> ScoreSheet:
    """Send a sheet back one step, with a comment: review → self-assessment (the Vice-Chairman in charge),
    verification → review (Home Affairs), verified → verification (Home Affairs or the Chairman)."""
    comment = comment.strip()
    with transaction.atomic():
        sheet = _locked_sheet(sheet_id)
        target_perm = RETURNS.get(SheetStatus(sheet.status))
        if target_perm is None or not by.has_perm(target_perm[1], sheet):
            if any(by.has_perm(perm, sheet) for _target, perm in RETURNS.values()):
                _check_version(sheet, expected_version)
                raise TransitionNotAllowed(
                    _("Không thể trả lại khi phiếu đánh giá đang ở bước «%(status)s».")
                    % {"status": sheet.get_status_display()}
                )
            raise PermissionDenied
        if not comment:
            _check_version(sheet, expected_version)
            raise RuleViolations([Problem(_("Cần nhập ý kiến khi trả lại phiếu đánh giá."), "comment")])
        target, perm = target_perm
        move = _Move(perm, SheetStatus(sheet.status), target, _("trả lại"))
        sheet, _previous = _transition(
            sheet_id, move, by=by, expected_version=expected_version, comment=comment
        )
        recipients: Iterable[Any] = {
            SheetStatus.SELF_ASSESSMENT: [sheet.person],
            SheetStatus.REVIEW: vice_chairmen_in_charge_of(sheet.unit),
            SheetStatus.VERIFICATION: _home_affairs(),
        }[target]
        _notify(
            recipients,
            by=by,
            kind=NotificationKind.RETURNED,
            title=_("Phiếu đánh giá của %(unit)s bị trả lại («%(round)s»)")
            % {"unit": sheet.unit.name, "round": sheet.round},
            comment=comment,
        )
    return sheet


# -- facts that bind a classification --------------------------------------------------------------------------


def record_facts(
    sheet_id: int, facts: Mapping[str, str], *, by: Any, expected_version: int | None
) -> ScoreSheet:
    """Home Affairs records the facts of the period that cap a head's level (`classification.Fact`: discipline,
    degradation, …), each with its reason, replacing the earlier list. Before sign-off only."""
    with transaction.atomic():
        sheet = _locked_sheet(sheet_id)
        if not by.has_perm("assessment.record_facts", sheet):
            raise PermissionDenied
        _check_version(sheet, expected_version)
        if sheet.status == SheetStatus.SIGNED:
            raise TransitionNotAllowed(
                _("Phiếu đánh giá đã được phê duyệt, không ghi nhận thêm tình tiết được.")
            )
        problems = []
        for code, reason in facts.items():
            if code not in Fact.values:
                problems.append(
                    Problem(_("Tình tiết «%(code)s» không có trong danh mục.") % {"code": code}, "facts")
                )
            elif not str(reason).strip():
                problems.append(
                    Problem(
                        _("Cần nêu lý do (căn cứ) của tình tiết «%(fact)s».") % {"fact": Fact(code).label},
                        f"facts.{code}",
                    )
                )
        if problems:
            raise RuleViolations(problems)
        new = [{"code": code, "reason": str(facts[code]).strip()} for code in sorted(facts)]
        changes = audit.diff({"facts": sheet.facts}, {"facts": new})
        if changes:
            sheet.facts = new
            _bump(sheet, ["facts"])
            audit.record(actor=by, action=AuditAction.UPDATE, instance=sheet, changes=changes)
    return sheet


# -- classification and sign-off -------------------------------------------------------------------------------


def group_of(unit: Any) -> Group:
    """Where a head's quota is counted: the agency that rates them (the unit above) and the group of similar
    tasks, heads of departments apart from chairmen of communes."""
    task_group = GROUP_COMMUNES if unit.kind in COMMUNE_KINDS else GROUP_DEPARTMENTS
    return Group(agency=unit.parent_id or unit.pk, task_group=task_group)


def candidates(rnd: Round, sheets: Sequence[ScoreSheet]) -> list[Candidate]:
    """The classification's input from the sheets (their units read): the total, the task-results part, the
    facts Home Affairs recorded and "a key task led personally not done" from the follow-up metric."""
    rubric = rubric_of(rnd.rubric)
    rows: dict[int, dict[str, CriterionScore]] = {}
    for row in CriterionScore.objects.filter(sheet__in=[s.pk for s in sheets]):
        rows.setdefault(row.sheet_id, {})[row.code] = row
    overdue_codes = [
        c.code for c, _above in rubric.walk() if c.is_automatic and c.metric == OVERDUE_LED_PERSONALLY
    ]
    overdue_metric = rb.METRICS.get(OVERDUE_LED_PERSONALLY)
    result = []
    for sheet in sheets:
        stored = rows.get(sheet.pk, {})
        scored = rb.score(rubric, _values(rubric, stored))
        task_part = next((c for c in scored.criteria if c.criterion.code == TASK_RESULTS_CODE), None)
        facts = {f["code"] for f in sheet.facts}
        if overdue_codes and overdue_codes[0] in stored:
            overdue = stored[overdue_codes[0]].metric_value
        elif overdue_metric is not None:
            overdue = overdue_metric.compute(sheet.unit, rnd.period, rnd.cut_off).value
        else:
            overdue = None
        if overdue is not None and overdue > 0:
            facts.add(Fact.KEY_TASK_NOT_COMPLETED)
        result.append(
            Candidate(
                person_id=sheet.person_id,
                group=group_of(sheet.unit),
                score=scored.total,
                task_score=task_part.points if task_part is not None else scored.total,
                facts=frozenset(facts),
                is_leader=True,
            )
        )
    return result


def preview(
    rnd: Round, *, overrides: Iterable[Override] = (), settings: ClassificationSettings | None = None
) -> Classification:
    """The classification of every sheet of the round as it stands: what the Chairman will sign."""
    sheets = list(rnd.sheets.select_related("unit"))
    return classify(candidates(rnd, sheets), settings or ClassificationSettings(), overrides=overrides)


def sign_round(
    round_id: int,
    *,
    by: Any,
    expected_version: int | None,
    overrides: Iterable[Override] = (),
    settings: ClassificationSettings | None = None,
) -> Round:
    """The Chairman signs the round off once every sheet is verified: each sheet gets its level by score, its
    level and the reasons that changed it, and is signed; the round is signed; every head is told."""
    with transaction.atomic():
        rnd = (
            Round.objects.select_for_update(of=("self",)).select_related("rubric", "period").get(pk=round_id)
        )
        if not by.has_perm("assessment.sign_round", rnd):
            raise PermissionDenied
        if expected_version is not None and rnd.version != expected_version:
            raise audit.stale_edit(
                rnd, now=_("trạng thái «%(status)s»") % {"status": rnd.get_status_display()}
            )
        if rnd.status == RoundStatus.SIGNED:
            raise TransitionNotAllowed(_("Đợt đánh giá «%(round)s» đã được phê duyệt.") % {"round": rnd})
        sheets = list(
            ScoreSheet.objects.select_for_update(of=("self",))
            .filter(round=rnd)
            .select_related("unit", "person")
            .order_by("pk")
        )
        waiting = [s for s in sheets if s.status != SheetStatus.VERIFIED]
        if not sheets or waiting:
            names = ", ".join(s.unit.name for s in waiting[:5]) + ("…" if len(waiting) > 5 else "")
            raise TransitionNotAllowed(
                _("Chưa phê duyệt được: còn %(count)s phiếu chưa thẩm định (%(units)s).")
                % {"count": len(waiting), "units": names}
                if waiting
                else _("Đợt đánh giá chưa có phiếu nào.")
            )
        result = classify(candidates(rnd, sheets), settings or ClassificationSettings(), overrides=overrides)
        by_person = {r.person_id: r for r in result.results}
        now = timezone.now()
        for sheet in sheets:
            outcome = by_person[sheet.person_id]
            sheet.updated_at = now
            sheet.level_by_score = outcome.level_by_score
            sheet.level = outcome.level
            sheet.level_reasons = [
                {
                    "kind": str(reason.kind),
                    "before": str(reason.before),
                    "after": str(reason.after),
                    "message": reason.message,
                    "rule_code": reason.rule_code,
                }
                for reason in outcome.reasons
            ]
            sheet.status = SheetStatus.SIGNED
            sheet.version += 1
            audit.record(
                actor=by,
                action=AuditAction.TRANSITION,
                instance=sheet,
                changes={"status": [SheetStatus.VERIFIED, SheetStatus.SIGNED], "level": [None, sheet.level]},
            )
        ScoreSheet.objects.bulk_update(
            sheets, ["level_by_score", "level", "level_reasons", "status", "version", "updated_at"]
        )
        previous = rnd.status
        rnd.status, rnd.signed_by, rnd.signed_at = RoundStatus.SIGNED, by, now
        rnd.version += 1
        rnd.save(update_fields=["status", "signed_by", "signed_at", "version"])
        audit.record(
            actor=by,
            action=AuditAction.TRANSITION,
            instance=rnd,
            changes={"status": [previous, rnd.status], "sheets": [None, len(sheets)]},
        )
        _notify(
            [s.person for s in sheets],
            by=by,
            kind=NotificationKind.APPROVED,
            title=_("Kết quả đánh giá «%(round)s» đã được Chủ tịch phê duyệt") % {"round": rnd},
        )
    return rnd
