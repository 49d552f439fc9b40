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
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from trongtam.assessment.domain import round_settings
from trongtam.assessment.domain import rubric as rb
from trongtam.assessment.domain.classification import (
    Candidate,
    Classification,
    ClassificationSettings,
    Fact,
    Group,
    Override,
    classify,
    write_outcome,
)
from trongtam.assessment.enums import RoundStatus, SheetStatus
from trongtam.assessment.models import CriterionScore, Round, RubricVersion, ScoreChange, ScoreSheet
from trongtam.core import audit
from trongtam.core.errors import Problem, RuleViolations, TransitionNotAllowed
from trongtam.core.models import AuditAction, NotificationKind
from trongtam.core.notifications import notify
from trongtam.core.uploads import EVIDENCE_TYPES, upload_problem
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
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024  # as for the follow-up's evidence
FILL_CHUNK = 200  # heads whose sheets a background job creates per transaction


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


class StoredScore(NamedTuple):
    """What scoring reads of a stored criterion row (`CriterionScore`), when many are read at once."""

    points: Decimal | None
    metric_value: Decimal | None
    record_ids: list[Any]
    record_kind: str


def _values(rubric: rb.Rubric, rows: Mapping[str, CriterionScore | StoredScore]) -> rb.Values:
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


def _metrics_of(rubric: rb.Rubric) -> list[rb.Metric]:
    """Every metric the rubric names, once each, in the rubric's order; RuleViolations for one not registered."""
    metrics: dict[str, rb.Metric] = {}
    for criterion, _above in rubric.walk():
        if criterion.is_automatic and criterion.metric not in metrics:
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
            metrics[criterion.metric] = metric
    return list(metrics.values())


def _measure_many(
    rubric: rb.Rubric, subjects: Sequence[Any], period: Period, cut_off: dt.date
) -> list[dict[str, rb.MetricValue]]:
    """Every metric the rubric names, measured for every subject as of `cut_off`, in the subjects' order: each
    metric in one batch (`Metric.measure_many`), so the queries do not grow with the subjects."""
    measured: list[dict[str, rb.MetricValue]] = [{} for _subject in subjects]
    for metric in _metrics_of(rubric):
        for values, value in zip(measured, metric.measure_many(subjects, period, cut_off), strict=True):
            values[metric.code] = value
    return measured


def _measure(rubric: rb.Rubric, subject: Any, period: Period, cut_off: dt.date) -> dict[str, rb.MetricValue]:
    """Every metric the rubric names, measured once for `subject` as of `cut_off`."""
    return _measure_many(rubric, [subject], period, cut_off)[0]


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


def _rated_heads() -> Any:
    """The heads a round scores: active heads of the active units the province rates, by unit name."""
    return (
        Person.objects.filter(
            role=Role.HEAD, is_active=True, unit__is_active=True, unit__kind__in=RATED_KINDS
        )
        .select_related("unit")
        .order_by("unit__name", "pk")
    )


def rated_heads() -> list[Person]:
    return list(_rated_heads())


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
    """Open a round and create every sheet at once, in one transaction (the demo, the API, the tests): as the
    page does with `start_round` then the background job's `fill_round`, without the job.

    Queries: a constant number, whatever the number of heads: each metric is measured for every head at once
    (`Metric.measure_many`); sheets, rows and notifications are written in bulk (in batches of 500 rows).
    """
    with transaction.atomic():
        new_round = start_round(period, rubric_version, name=name, cut_off=cut_off, by=by)
        fill_round(new_round.pk, chunk=None)
    new_round.refresh_from_db()
    return new_round


def start_round(
    period: Period, rubric_version: RubricVersion, *, name: str, cut_off: dt.date, by: Any
) -> Round:
    """Open a round: check the input, freeze the rubric and create the round, still without its sheets
    (status «opening»); `fill_round` creates them, then opens the round and tells the heads."""
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
    rb.from_dict(rubric_version.data, rb.METRICS)  # a metric may have been removed since the import

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
            period=period,
            rubric=version,
            name=name,
            cut_off=cut_off,
            opened_by=by,
            status=RoundStatus.OPENING,
            expected_sheets=_rated_heads().count(),
        )
        audit.record(
            actor=by,
            action=AuditAction.CREATE,
            instance=new_round,
            changes={"name": [None, name], "rubric": [None, str(version)], "cut_off": [None, cut_off]},
        )
    return new_round


def fill_round(round_id: int, *, chunk: int | None = FILL_CHUNK) -> int:
    """Create the sheets still missing in an opening round, `chunk` heads per transaction (all at once with
    None), each with its automatic criteria measured as of the cut-off; when none is missing, open the round and
    tell every head. Returns the number of sheets created.

    Idempotent and safe to run twice at once: each chunk locks the round and skips the heads who already have a
    sheet, so a job resumed after a failure only finishes the work.
    """
    created = 0
    while True:
        with transaction.atomic():
            rnd = (
                Round.objects.select_for_update(of=("self",))
                .select_related("rubric", "period", "opened_by")
                .get(pk=round_id)
            )
            if rnd.status != RoundStatus.OPENING:
                return created
            missing = _rated_heads().exclude(score_sheets__round=rnd)
            heads = list(missing[:chunk] if chunk else missing)
            if heads:
                created += _create_sheets(rnd, heads)
            if chunk and len(heads) == chunk:
                continue
            _finish_opening(rnd)
            return created


def _create_sheets(rnd: Round, heads: Sequence[Person]) -> int:
    parsed = rb.from_dict(rnd.rubric.data, rb.METRICS)
    now = timezone.now()
    sheets, rows_per_sheet = [], []
    for head, measured in zip(
        heads, _measure_many(parsed, [h.unit for h in heads], rnd.period, rnd.cut_off), strict=True
    ):
        scored = rb.score(parsed, rb.Values(metrics=measured))
        sheets.append(ScoreSheet(round=rnd, person=head, unit=head.unit, total=scored.total, computed_at=now))
        rows_per_sheet.append(_rows_for(parsed, scored, measured))
    ScoreSheet.objects.bulk_create(sheets, batch_size=500)
    rows = []
    for sheet, sheet_rows in zip(sheets, rows_per_sheet, strict=True):
        for row in sheet_rows:
            row.sheet = sheet
            rows.append(row)
    CriterionScore.objects.bulk_create(rows, batch_size=500)
    return len(sheets)


def _finish_opening(rnd: Round) -> None:
    heads = list(Person.objects.filter(score_sheets__round=rnd))
    rnd.status = RoundStatus.OPEN
    rnd.save(update_fields=["status"])
    audit.record(
        actor=rnd.opened_by,
        action=AuditAction.TRANSITION,
        instance=rnd,
        changes={"status": [RoundStatus.OPENING, RoundStatus.OPEN], "sheets": [None, len(heads)]},
    )
    notify(
        heads,
        kind=NotificationKind.REMINDER,
        title=_("Đợt đánh giá «%(round)s» đã mở: mời đồng chí tự chấm điểm") % {"round": rnd.name},
        body=_("Các tiêu chí tự động đã được tính theo số liệu đến ngày %(date)s.")
        % {"date": _date(rnd.cut_off)},
        url=reverse("assessment:my-sheet"),
    )


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
    evidence: Any = None,
    by: Any,
    expected_version: int | None,
) -> ScoreSheet:
    """Enter the points of a criterion scored by hand, at the sheet's current step.

    `evidence`, an uploaded file (PDF, image, Word or Excel, at most 10 MB), replaces the criterion's evidence.

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
        if evidence is not None:
            refused = upload_problem(evidence, EVIDENCE_TYPES, EVIDENCE_MAX_BYTES)
            if refused:
                problems.append(Problem(refused, "evidence"))
        if problems:
            raise RuleViolations(problems)

        rows = {r.code: r for r in sheet.scores.all()}
        row = rows[code]
        new_points = Decimal(str(points)).quantize(CENT)
        before = {"points": row.points, "comment": row.comment, "evidence": row.evidence.name or None}
        row.points = new_points
        if comment:
            row.comment = comment
        if evidence is not None:
            row.evidence.save(evidence.name or "minh-chung", evidence, save=False)
        changes = audit.diff(
            {k: audit.jsonable(v) for k, v in before.items()},
            {
                "points": audit.jsonable(row.points),
                "comment": row.comment,
                "evidence": row.evidence.name or None,
            },
        )
        if not changes:
            return sheet  # the same entry twice: nothing to record
        row.updated_by = by
        row.save(update_fields=["points", "comment", "evidence", "updated_by", "updated_at"])
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


def sheet_url(sheet: ScoreSheet) -> str:
    return reverse("assessment:sheet-detail", args=[sheet.pk])


def _notify(
    recipients: Iterable[Any], *, by: Any, kind: NotificationKind, title: str, url: str, comment: str = ""
) -> None:
    """Tell `recipients` (not the person acting), with a link to the page where they act or read the result."""
    body = _("Người xử lý: %(name)s.") % {"name": by.get_full_name()}
    if comment:
        body += "\n" + _("Ý kiến: %(comment)s") % {"comment": comment}
    notify([r for r in recipients if r.pk != by.pk], kind=kind, title=title, body=body, url=url)


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
            url=sheet_url(sheet),
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
            url=sheet_url(sheet),
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
                url=reverse("assessment:round-preview", args=[sheet.round_id]),
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
            url=sheet_url(sheet),
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
    rows: dict[int, dict[str, StoredScore]] = {}
    # Plain tuples, not model instances: a round of a thousand heads reads some 12,000 rows here.
    for sheet_id, code, *fields in CriterionScore.objects.filter(
        sheet__in=[s.pk for s in sheets]
    ).values_list("sheet", "code", "points", "metric_value", "record_ids", "record_kind"):
        rows.setdefault(sheet_id, {})[code] = StoredScore(*fields)
    overdue_codes = [
        c.code for c, _above in rubric.walk() if c.is_automatic and c.metric == OVERDUE_LED_PERSONALLY
    ]
    overdue_metric = rb.METRICS.get(OVERDUE_LED_PERSONALLY)
    # Sheets whose rubric does not store the metric: measured here, all at once.
    unmeasured = [s for s in sheets if not (overdue_codes and overdue_codes[0] in rows.get(s.pk, {}))]
    measured: dict[int, Decimal | None] = {}
    if unmeasured and overdue_metric is not None:
        values = overdue_metric.measure_many([s.unit for s in unmeasured], rnd.period, rnd.cut_off)
        measured = {s.pk: v.value for s, v in zip(unmeasured, values, strict=True)}
    result = []
    for sheet in sheets:
        stored = rows.get(sheet.pk, {})
        scored = rb.score(rubric, _values(rubric, stored))
        task_part = next((c for c in scored.criteria if c.criterion.code == TASK_RESULTS_CODE), None)
        facts = {f["code"] for f in sheet.facts}
        if overdue_codes and overdue_codes[0] in stored:
            overdue = stored[overdue_codes[0]].metric_value
        else:
            overdue = measured.get(sheet.pk)
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
    rnd: Round, *, overrides: Iterable[Override] | None = None, settings: ClassificationSettings | None = None
) -> Classification:
    """The classification of every sheet of the round as it stands: what the Chairman will sign. Without
    arguments, with the round's own settings and exceptions (`round_settings`)."""
    sheets = list(rnd.sheets.select_related("unit"))
    return classify(
        candidates(rnd, sheets),
        settings or round_settings.settings_of(rnd),
        overrides=round_settings.overrides_of(rnd) if overrides is None else overrides,
    )


def sign_round(
    round_id: int,
    *,
    by: Any,
    expected_version: int | None,
    overrides: Iterable[Override] | None = None,
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
        if rnd.status == RoundStatus.OPENING:
            raise TransitionNotAllowed(
                _("Đợt đánh giá «%(round)s» đang tạo phiếu đánh giá, chưa phê duyệt được.") % {"round": rnd}
            )
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
        result = classify(
            candidates(rnd, sheets),
            settings or round_settings.settings_of(rnd),
            overrides=round_settings.overrides_of(rnd) if overrides is None else overrides,
        )
        by_person = {r.person_id: r for r in result.results}
        now = timezone.now()
        for sheet in sheets:
            outcome = by_person[sheet.person_id]
            sheet.updated_at = now
            write_outcome(sheet, outcome)
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
            url=reverse("assessment:my-sheet"),
            title=_("Kết quả đánh giá «%(round)s» đã được Chủ tịch phê duyệt") % {"round": rnd},
        )
    return rnd
