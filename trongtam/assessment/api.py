"""Assessment: the rubric versions, the rounds, each head's score sheet with every action of the sheet page, the
classification preview and the Chairman's sign-off.

Scope, as on the pages (views_rounds.py, views_sheets.py): the rounds and the rubrics need
`assessment.view_round` (a citizen gets 403); a round lists only the sheets the person may see (every sheet for
the province-wide roles and the council, the units in charge for a Vice-Chairman, a head's own sheet), and a sheet
outside the person's scope (`assessment.view_sheet`) is a **404**, never a 403. Inside the scope, an action the
person's role does not allow is a **403**; a sheet at a step that does not allow it is a 409.

Every write sends the `version` of the sheet (or of the round, to sign) it last read, and the domain function
compares it under a row lock: a stale write is a 409 that names who changed it, and nothing is written. Input is
checked by its shape (422), then by the domain's rules (400, by field). Every write goes through
assessment/domain/rounds.py, so the audit trail, the history of points and the notifications are the pages'.
"""

# No `from __future__ import annotations`: ninja reads the paginated views' annotations at import time, in
# the globals of its own wrapper, where these names would not resolve.

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from ninja import P, PathEx, Query, Router
from ninja.pagination import PageNumberPagination, paginate

from trongtam.assessment.domain import rounds
from trongtam.assessment.domain import rubric as rb
from trongtam.assessment.domain.classification import Classification, Fact, Group, ReasonKind
from trongtam.assessment.enums import CriterionKind, Level, RoundStatus, SheetStatus
from trongtam.assessment.interfaces.records import Record, record_details
from trongtam.assessment.interfaces.schemas import (
    FactsIn,
    PointsIn,
    PreviewOut,
    RoundDetailOut,
    RoundIn,
    RoundOut,
    RubricDetailOut,
    RubricIn,
    RubricOut,
    SheetAction,
    SheetActionIn,
    SheetDetailOut,
    SheetFilterIn,
    SheetOut,
    SignIn,
    VersionIn,
)
from trongtam.assessment.models import CriterionScore, Round, RubricVersion, ScoreChange, ScoreSheet
from trongtam.assessment.views_rounds import TASK_GROUP_LABELS, RoundOpenForm, visible_sheets
from trongtam.assessment.views_sheets import ACTIONS, RETURN
from trongtam.core.errors import Problem, RuleViolations
from trongtam.cycles.models import Period
from trongtam.org.interfaces.schemas import ERRORS, WRITE_ERRORS, ErrorOut, choice_label, raise_form_errors
from trongtam.org.models import Unit

router = Router(tags=["assessment"])

ROUND_FIELDS = [
    "id",
    "version",
    "name",
    "period",
    "rubric",
    "cut_off",
    "status",
    "opened_at",
    "signed_by",
    "signed_at",
]
SHEET_FIELDS = ["id", "version", "round_id", "person", "unit", "status", "total", "level_by_score", "level"]


def _need(request: Any, *perms: str) -> None:
    if not any(request.user.has_perm(perm) for perm in perms):
        raise PermissionDenied


def _counted_rounds() -> QuerySet[Round]:
    """Rounds with the count of their sheets at each step: one query for a page of them."""
    counts = {f"n_{value}": Count("sheets", filter=Q(sheets__status=value)) for value in SheetStatus.values}
    return Round.objects.select_related("period", "rubric", "signed_by").annotate(
        n_sheets=Count("sheets"), **counts
    )


def _round(request: Any, round_id: int) -> Round:
    _need(request, "assessment.view_round")
    return get_object_or_404(_counted_rounds(), pk=round_id)


def _sheet(request: Any, sheet_id: int) -> ScoreSheet:
    """The sheet if the person may see it; a 404 otherwise, as on the pages."""
    sheet = get_object_or_404(
        ScoreSheet.objects.select_related("round__rubric", "round__period", "unit", "person"), pk=sheet_id
    )
    if not request.user.has_perm("assessment.view_sheet", sheet):
        raise Http404
    return sheet


# -- rubrics -----------------------------------------------------------------------------------------------------


def _rubrics() -> QuerySet[RubricVersion]:
    return RubricVersion.objects.select_related("period", "created_by").annotate(n_rounds=Count("rounds"))


@router.get("/rubrics", response={200: list[RubricOut], **ERRORS}, summary="Bộ tiêu chí đánh giá")
@paginate(PageNumberPagination, page_size=50)
def list_rubrics(request: Any) -> QuerySet[RubricVersion]:
    """Every version of every period's rubric, the latest period and version first."""
    _need(request, "assessment.manage_rubric", "assessment.view_round")
    return _rubrics().order_by("-period__year", "-number")


@router.get("/rubrics/{rubric_id}", response={200: RubricDetailOut, **ERRORS}, summary="Một bộ tiêu chí")
def get_rubric(request: Any, rubric_id: int) -> RubricVersion:
    """A version of a rubric with its content (`data`): the tree of criteria, as its download gives it."""
    _need(request, "assessment.manage_rubric", "assessment.view_round")
    return get_object_or_404(_rubrics(), pk=rubric_id)


@router.post("/rubrics", response={201: RubricDetailOut, **WRITE_ERRORS}, summary="Nhập bộ tiêu chí")
def import_rubric(request: Any, payload: RubricIn) -> tuple[int, RubricVersion]:
    """Home Affairs imports a new version of a period's rubric (number = the last one + 1). Every broken criterion
    is named (400); nothing is written then."""
    _need(request, "assessment.manage_rubric")
    period = Period.objects.filter(pk=payload.period).first()
    if period is None:
        raise RuleViolations(
            [Problem(_("Không có kỳ đánh giá mã số %(id)s.") % {"id": payload.period}, "period")]
        )
    version = rounds.import_rubric(period, payload.data, by=request.user)
    return 201, get_object_or_404(_rubrics(), pk=version.pk)


# -- rounds ------------------------------------------------------------------------------------------------------


def _visible_counts(sheets: QuerySet[ScoreSheet]) -> list[dict[str, Any]]:
    by_status = dict(sheets.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return [
        {"status": value, "label": str(label), "count": by_status.get(value, 0)}
        for value, label in SheetStatus.choices
    ]


def _round_detail(request: Any, rnd: Round) -> dict[str, Any]:
    """What the round page shows: the round, its counts in the person's scope, and the preview and sign-off when
    the person may use them (`can_sign` as on the page: every sheet verified, the Chairman seeing them all)."""
    user = request.user
    visible = _visible_counts(visible_sheets(user, rnd))
    seen = sum(c["count"] for c in visible)
    verified = sum(c["count"] for c in visible if c["status"] in (SheetStatus.VERIFIED, SheetStatus.SIGNED))
    actions = []
    if user.has_perm("assessment.preview_round", rnd):
        actions.append(
            {
                "action": "preview",
                "label": _("Xem trước kết quả xếp loại"),
                "path": f"/rounds/{rnd.pk}/preview",
            }
        )
    if (
        user.has_perm("assessment.sign_round", rnd)
        and rnd.status != RoundStatus.SIGNED
        and seen > 0
        and verified == seen == rnd.n_sheets  # type: ignore[attr-defined]
    ):
        actions.append({"action": "sign", "label": _("Phê duyệt kết quả"), "path": f"/rounds/{rnd.pk}/sign"})
    return {
        **{name: getattr(rnd, name) for name in ROUND_FIELDS},
        "n_sheets": rnd.n_sheets,  # type: ignore[attr-defined]
        "counts": RoundOut.resolve_counts(rnd),
        "visible_counts": visible,
        "actions": actions,
    }


@router.get("/rounds", response={200: list[RoundOut], **ERRORS}, summary="Đợt đánh giá")
@paginate(PageNumberPagination, page_size=50)
def list_rounds(request: Any) -> QuerySet[Round]:
    """Every round, the latest period first, with the count of its sheets at each step. A page takes the same
    two queries whatever the number of rounds."""
    _need(request, "assessment.view_round")
    return _counted_rounds().order_by("-period__year", "-opened_at", "-pk")


@router.get("/rounds/{round_id}", response={200: RoundDetailOut, **ERRORS}, summary="Một đợt đánh giá")
def get_round(request: Any, round_id: int) -> dict[str, Any]:
    """The round with its `version`, the count of its sheets at each step (in all, and in the person's scope),
    and what the person may do with it now (the preview, the sign-off)."""
    return _round_detail(request, _round(request, round_id))


@router.post("/rounds", response={201: RoundDetailOut, **WRITE_ERRORS}, summary="Mở đợt đánh giá")
def open_round(request: Any, payload: RoundIn) -> tuple[int, dict[str, Any]]:
    """Home Affairs opens a round: the rubric version (of the same period) is frozen, and every rated head gets a
    sheet whose automatic criteria are computed at once, as of `cut_off` (a day inside the period)."""
    _need(request, "assessment.manage_round")
    form = RoundOpenForm(data=payload.model_dump())
    raise_form_errors(form)
    data = form.cleaned_data
    rnd = rounds.open_round(
        data["period"], data["rubric"], name=data["name"], cut_off=data["cut_off"], by=request.user
    )
    return 201, _round_detail(request, _round(request, rnd.pk))


@router.get(
    "/rounds/{round_id}/sheets",
    response={200: list[SheetOut], **ERRORS},
    summary="Phiếu đánh giá của một đợt",
)
@paginate(PageNumberPagination, page_size=50)
def list_sheets(request: Any, round_id: int, filters: Query[SheetFilterIn]) -> QuerySet[ScoreSheet]:
    """The round's sheets in the person's scope, by unit name: every sheet for the province-wide roles and the
    council, those of the units in charge for a Vice-Chairman, a head's own sheet. `status` keeps the sheets at
    one step. A page takes the same queries whatever the number of sheets."""
    rnd = _round(request, round_id)
    sheets = visible_sheets(request.user, rnd)
    if filters.status:
        sheets = sheets.filter(status=filters.status)
    return sheets.select_related("unit", "person").order_by("unit__name", "pk")


# -- the preview and the sign-off ----------------------------------------------------------------------------------


def _preview_groups(result: Classification, sheets: Iterable[ScoreSheet]) -> list[dict[str, Any]]:
    """The groups of the preview page (`views_rounds._preview_groups`), each with its heads."""
    by_person = {s.person_id: s for s in sheets}
    agencies = {
        u.pk: u.name for u in Unit.objects.filter(pk__in={g.group.agency for g in result.groups}).only("name")
    }
    kinds = dict(ReasonKind.choices)
    rows: dict[Group, list[dict[str, Any]]] = {}
    for r in result.results:
        sheet = by_person[r.person_id]
        rows.setdefault(r.group, []).append(
            {
                "sheet_id": sheet.pk,
                "person": sheet.person,
                "unit": sheet.unit,
                "status": sheet.status,
                "score": r.score,
                "level_by_score": r.level_by_score.value,
                "level_by_score_label": str(r.level_by_score.label),
                "level": r.level.value,
                "level_label": str(r.level.label),
                "changed": r.changed,
                "quota_rank": r.quota_rank,
                "reasons": [
                    {
                        "kind": str(x.kind),
                        "kind_label": force_str(kinds.get(x.kind, x.kind)),
                        "message": x.message,
                        "changed": x.changed,
                        "rule_code": x.rule_code,
                    }
                    for x in r.reasons
                ],
            }
        )
    return [
        {
            "agency_id": g.group.agency,
            "agency": agencies.get(g.group.agency, str(g.group.agency)),
            "task_group": g.group.task_group,
            "task_group_label": force_str(TASK_GROUP_LABELS.get(g.group.task_group, g.group.task_group)),
            "counts": [
                {
                    "level": level.value,
                    "label": str(level.label),
                    "by_score": g.counts_by_score.get(level, 0),
                    "given": g.counts.get(level, 0),
                }
                for level in Level
            ],
            "held_by_hard_rules": g.held_by_hard_rules,
            "subject_to_quota": g.subject_to_quota,
            "kept": g.kept,
            "demoted": g.demoted,
            "overridden": g.overridden,
            "quota_limit": g.quota_limit,
            "rows": rows.get(g.group, []),
        }
        for g in result.groups
    ]


@router.get(
    "/rounds/{round_id}/preview",
    response={200: PreviewOut, 400: ErrorOut, **ERRORS},
    summary="Xem trước kết quả xếp loại",
)
def preview(request: Any, round_id: int) -> dict[str, Any]:
    """The classification of every head of the round as it stands: what the Chairman will sign. Per group (the
    agency that rates the heads and the group of similar tasks): each head's level by score, the level given and
    the reasons that changed it (hard rules, the quota), and the counts. Home Affairs and the Chairman only."""
    _need(request, "assessment.preview_round")
    rnd = _round(request, round_id)
    sheets = list(rnd.sheets.select_related("unit", "person").order_by("unit__name", "pk"))
    result = rounds.preview(rnd)
    totals = {level: [0, 0] for level in Level}
    for r in result.results:
        totals[r.level_by_score][0] += 1
        totals[r.level][1] += 1
    return {
        "round": rnd,
        "sheet_count": len(sheets),
        "waiting": sum(1 for s in sheets if s.status not in (SheetStatus.VERIFIED, SheetStatus.SIGNED)),
        "can_sign": request.user.has_perm("assessment.sign_round", rnd) and rnd.status != RoundStatus.SIGNED,
        "totals": [
            {"level": level.value, "label": str(level.label), "by_score": by_score, "given": given}
            for level, (by_score, given) in totals.items()
        ],
        "groups": _preview_groups(result, sheets),
        "tie_break": result.tie_break,
        "notes": list(result.notes),
    }


@router.post(
    "/rounds/{round_id}/sign", response={200: RoundDetailOut, **WRITE_ERRORS}, summary="Phê duyệt kết quả"
)
def sign(request: Any, round_id: int, payload: SignIn) -> dict[str, Any]:
    """The Chairman signs the round off once every sheet is verified: each sheet gets its level (as the preview
    shows it) and is signed, and every head is told. `version` is the round's, as last read."""
    _need(request, "assessment.sign_round")
    rnd = _round(request, round_id)
    rounds.sign_round(rnd.pk, by=request.user, expected_version=payload.version)
    return _round_detail(request, _round(request, rnd.pk))


# -- one sheet -----------------------------------------------------------------------------------------------------


def _flatten(scores: Iterable[rb.CriterionScore], depth: int = 0) -> Iterator[tuple[rb.CriterionScore, int]]:
    for scored in scores:
        yield scored, depth
        yield from _flatten(scored.children, depth + 1)


def _records(rows: Iterable[CriterionScore]) -> dict[tuple[str, str], Record]:
    """The title and path of every record behind the sheet's automatic criteria: one query per kind of record."""
    wanted: dict[str, set[Any]] = {}
    for row in rows:
        wanted.setdefault(row.record_kind, set()).update(row.record_ids)
    return record_details(wanted)


def _actions(user: Any, sheet: ScoreSheet, rubric: rb.Rubric) -> list[dict[str, Any]]:
    """What the person may do with the sheet as it stands now: the sheet page's forms (`views_sheets._forms`)."""
    base = f"/sheets/{sheet.pk}"
    found: list[dict[str, Any]] = []
    perm = rounds.STEP_PERMS.get(SheetStatus(sheet.status))
    if perm is not None and user.has_perm(perm, sheet):
        found.append(
            {
                "action": "points",
                "label": _("Chấm điểm"),
                "path": base + "/points/{code}",
                "needs_reason": sheet.status != SheetStatus.SELF_ASSESSMENT,
                "codes": [c.code for c, _above in rubric.walk() if not c.is_group and not c.is_automatic],
            }
        )
    for action, (action_perm, source, label, _done) in ACTIONS.items():
        if sheet.status == source and user.has_perm(action_perm, sheet):
            found.append({"action": action, "label": force_str(label), "path": f"{base}/actions/{action}"})
    back = rounds.RETURNS.get(SheetStatus(sheet.status))
    if back is not None and user.has_perm(back[1], sheet):
        found.append(
            {
                "action": RETURN,
                "label": _("Trả lại"),
                "path": f"{base}/actions/{RETURN}",
                "needs_comment": True,
            }
        )
    if sheet.status != SheetStatus.SIGNED:
        if user.has_perm("assessment.record_facts", sheet):
            found.append(
                {
                    "action": "facts",
                    "label": _("Ghi nhận tình tiết ảnh hưởng xếp loại"),
                    "path": base + "/facts",
                }
            )
        if user.has_perm("assessment.manage_round"):
            found.append(
                {"action": "recompute", "label": _("Tính lại tiêu chí tự động"), "path": base + "/recompute"}
            )
    return found


def _detail(request: Any, sheet_id: int) -> dict[str, Any]:
    """What the sheet page shows, in a number of queries that grows neither with the criteria nor with the records
    behind them nor with the history."""
    sheet = _sheet(request, sheet_id)
    rows = {row.code: row for row in sheet.scores.all()}
    rubric = rounds.rubric_of(sheet.round.rubric)
    scored = rounds.score_of(sheet, rows.values())
    lines = scored.explain()
    found = _records(rows.values())
    criteria = []
    for criterion_score, depth in _flatten(scored.criteria):
        criterion = criterion_score.criterion
        row = rows.get(criterion.code)
        metric = rb.METRICS.get(criterion.metric) if criterion.is_automatic else None
        records = []
        if criterion.is_automatic and row is not None:
            behind = [(pk, found.get((row.record_kind, str(pk)))) for pk in row.record_ids]
            records = [
                {
                    "id": str(pk),
                    "kind": row.record_kind,
                    "title": record.title if record else None,
                    "path": record.api_path if record else None,
                }
                for pk, record in behind
            ]
        criteria.append(
            {
                "code": criterion.code,
                "label": criterion.label,
                "depth": depth,
                "kind": criterion.kind,
                "kind_label": choice_label(CriterionKind, criterion.kind),
                "is_group": criterion.is_group,
                "max_points": criterion.max_points,
                "points": criterion_score.points,
                "scored": criterion_score.scored,
                "metric": criterion.metric,
                "metric_label": force_str(metric.label) if metric else "",
                "value": criterion_score.value,
                "comment": row.comment if row is not None else "",
                "records": records,
            }
        )
    labels = {c.code: c.label for c, _above in rubric.walk()}
    changes = (
        ScoreChange.objects.filter(score__sheet=sheet).select_related("by", "score").order_by("at", "pk")
    )
    return {
        **{name: getattr(sheet, name) for name in SHEET_FIELDS},
        "round": sheet.round,
        "rubric_id": sheet.round.rubric_id,
        "cut_off": sheet.round.cut_off,
        "computed_at": sheet.computed_at,
        "lines": lines,
        "lines_total": sum((line.points for line in lines), Decimal(0)),
        "missing": list(scored.missing),
        "criteria": criteria,
        "changes": [
            {
                "code": change.score.code,
                "label": labels.get(change.score.code, change.score.code),
                "step": change.step,
                "step_label": force_str(SheetStatus(change.step).label),
                "before": change.before,
                "after": change.after,
                "reason": change.reason,
                "by": change.by,
                "at": change.at,
            }
            for change in changes
        ],
        "facts": [
            {
                "code": f["code"],
                "label": force_str(Fact(f["code"]).label) if f["code"] in Fact.values else f["code"],
                "reason": f["reason"],
            }
            for f in sheet.facts
        ],
        "level_reasons": sheet.level_reasons,
        "actions": _actions(request.user, sheet, rubric),
    }


@router.get("/sheets/{sheet_id}", response={200: SheetDetailOut, **ERRORS}, summary="Một phiếu đánh giá")
def get_sheet(request: Any, sheet_id: int) -> dict[str, Any]:
    """The sheet with its `version` and step; its explained total (`lines`, whose points add up to `total`: each
    criterion, then the caps and the 0–100 clamp); the tree of criteria with the points, the metric value at the
    cut-off and the records behind each automatic criterion; the history of every point changed after
    self-assessment; the facts that cap the level; the level once signed; and the actions the person may take
    now (each with the path to send it to)."""
    return _detail(request, sheet_id)


def _renamed(exc: RuleViolations, rename: dict[str, str]) -> RuleViolations:
    return RuleViolations([Problem(p.message, rename.get(p.field, p.field)) for p in exc.problems])


@router.post(
    "/sheets/{sheet_id}/points/{code}", response={200: SheetDetailOut, **WRITE_ERRORS}, summary="Chấm điểm"
)
def enter_points(request: Any, sheet_id: int, code: str, payload: PointsIn) -> dict[str, Any]:
    """Enter the points of a criterion scored by hand (`code`, e.g. `CT.1`), at the sheet's step: the head in
    self-assessment (with an optional `comment`), the Vice-Chairman in charge in review and Home Affairs in
    verification, each with a `reason` (the earlier value is kept in the history). Automatic criteria are the
    system's, never typed over."""
    sheet = _sheet(request, sheet_id)
    if not any(request.user.has_perm(perm, sheet) for perm in rounds.STEP_PERMS.values()):
        raise PermissionDenied
    if rounds.rubric_of(sheet.round.rubric).find(code) is None:
        raise Http404
    try:
        rounds.enter_points(
            sheet.pk,
            code,
            points=payload.points,
            comment=payload.comment,
            reason=payload.reason,
            by=request.user,
            expected_version=payload.version,
        )
    except RuleViolations as exc:
        raise _renamed(exc, {f"points.{code}": "points"}) from exc
    return _detail(request, sheet.pk)


ACTION_DESCRIPTION = "Một trong: " + ", ".join(a.value for a in SheetAction) + "."


@router.post(
    "/sheets/{sheet_id}/actions/{action}",
    response={200: SheetDetailOut, **WRITE_ERRORS},
    summary="Gửi, chuyển thẩm định, thẩm định, trả lại",
)
def take_action(
    request: Any,
    sheet_id: int,
    action: PathEx[SheetAction, P(description=ACTION_DESCRIPTION)],
    payload: SheetActionIn,
) -> dict[str, Any]:
    """Move the sheet along: `submit` (the head; refused while a criterion scored by hand has no points, each one
    named), `finish_review` (the Vice-Chairman in charge), `verify` (Home Affairs), or `return` it one step back
    with a `comment` (the Vice-Chairman from review, Home Affairs from verification, Home Affairs or the
    Chairman from verified)."""
    sheet = _sheet(request, sheet_id)
    user = request.user
    if action == SheetAction.RETURN:
        if not any(user.has_perm(perm, sheet) for _target, perm in rounds.RETURNS.values()):
            raise PermissionDenied
        rounds.return_sheet(sheet.pk, comment=payload.comment, by=user, expected_version=payload.version)
    else:
        if not user.has_perm(ACTIONS[action.value][0], sheet):
            raise PermissionDenied
        move = {"submit": rounds.submit, "finish_review": rounds.finish_review, "verify": rounds.verify}
        move[action.value](sheet.pk, by=user, expected_version=payload.version)
    return _detail(request, sheet.pk)


@router.post(
    "/sheets/{sheet_id}/recompute",
    response={200: SheetDetailOut, **WRITE_ERRORS},
    summary="Tính lại tiêu chí tự động",
)
def recompute(request: Any, sheet_id: int, payload: VersionIn) -> dict[str, Any]:
    """Home Affairs measures the automatic criteria again as of the round's cut-off, before sign-off; every point
    that moved is kept in the history."""
    sheet = _sheet(request, sheet_id)
    if not request.user.has_perm("assessment.manage_round"):
        raise PermissionDenied
    rounds.recompute(sheet.pk, by=request.user, expected_version=payload.version)
    return _detail(request, sheet.pk)


@router.post(
    "/sheets/{sheet_id}/facts",
    response={200: SheetDetailOut, **WRITE_ERRORS},
    summary="Ghi nhận tình tiết ảnh hưởng xếp loại",
)
def record_facts(request: Any, sheet_id: int, payload: FactsIn) -> dict[str, Any]:
    """Home Affairs records the facts of the period that cap the head's level (discipline, …), each with its
    reason, replacing the earlier list. Before sign-off only."""
    sheet = _sheet(request, sheet_id)
    if not request.user.has_perm("assessment.record_facts", sheet):
        raise PermissionDenied
    rounds.record_facts(sheet.pk, payload.facts, by=request.user, expected_version=payload.version)
    return _detail(request, sheet.pk)


# Staff evaluation (issue #4, item 6): its own module, mounted here so that config/api.py is unchanged.
from trongtam.assessment.api_staff import router as staff_router  # noqa: E402 -- after this router's routes

router.add_router("/", staff_router)

# The round's classification settings and exceptions (issue #4, item 3), likewise.
from trongtam.assessment.api_classification import router as classification_router  # noqa: E402

router.add_router("/", classification_router)
