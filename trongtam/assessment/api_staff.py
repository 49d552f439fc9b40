"""Staff evaluation in the API (issue #4, item 6): the same scope, workflow and messages as the pages
(views_staff.py), through `domain/staff_workflow.py`.

Scope: an evaluation outside the person's scope (`assessment.view_staff_evaluation`) is a **404**; the list gives
every evaluation in scope (all for Home Affairs, the Chairman, the Office and the council; the units in charge for
a Vice-Chairman; their unit's for a head; their own for an official). An action the person's role does not allow
is a 403; a wrong step or a stale `version` a 409; bad input a 400 by field, and nothing is written.
"""

# No `from __future__ import annotations`: ninja reads the paginated views' annotations at import time.

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from trongtam.assessment.domain import staff_workflow as sw
from trongtam.assessment.enums import Level, StaffStatus
from trongtam.assessment.interfaces.schemas import LevelsOut
from trongtam.assessment.models import Round, StaffEvaluation, StaffPointChange
from trongtam.org.enums import Role
from trongtam.org.interfaces.schemas import ERRORS, WRITE_ERRORS, PersonRef, UnitRef, choice_label, field_of
from trongtam.org.models import Unit

router = Router(tags=["staff evaluation"])

VERSION_HELP = (
    "Phiên bản phiếu đánh giá công chức bạn đọc lần cuối (`version`); phiếu đã đổi sau đó cho lỗi 409."
)


def _label(choices: Any, value: Any) -> str | None:
    return None if value in (None, "") else choice_label(choices, value)


class StaffEvaluationOut(LevelsOut):
    id: int
    version: int
    round_id: int
    person: PersonRef
    unit: UnitRef
    job_position_name: str
    job_category: str
    status: str
    status_label: str
    general_self: Decimal | None
    general_head: Decimal | None
    task_total: Decimal | None
    total: Decimal | None
    level_by_score: str | None
    level: str | None
    level_label: str | None

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return choice_label(StaffStatus, field_of(obj, "status"))


class StaffProductOut(Schema):
    id: int
    position: int
    title: str
    weight: Decimal
    deadline: Any = None
    done: bool
    quality_failures: int
    excused_failures: int
    delays: int
    excused_delays: int
    note: str


class LineOut(Schema):
    code: str
    label: str
    value: Decimal | None
    unit: str
    points: Decimal
    note: str


class ReasonOut(Schema):
    kind: str
    before: str
    after: str
    message: str
    rule_code: str = ""


class ChangeOut(Schema):
    field: str
    before: Decimal | None
    after: Decimal | None
    reason: str
    by: str
    at: Any


class StaffEvaluationDetailOut(StaffEvaluationOut):
    job_description: str
    self_comment: str
    head_comment: str
    facts: list[dict[str, str]]
    head_level: str | None
    products: list[StaffProductOut]
    lines: list[LineOut]
    lines_total: Decimal | None
    level_reasons: list[ReasonOut]
    changes: list[ChangeOut]
    notes: list[str]
    actions: list[str]


@dataclass(frozen=True, kw_only=True)
class ProductIn(sw.ProductInput):
    """A product of the self-evaluation: its id and what the official says of it (the domain's input)."""

    id: int


class SelfIn(Schema):
    """The official's self-evaluation: general points (0–30), a comment, and the products (send each one)."""

    version: int = Field(description=VERSION_HELP)
    general: Decimal = Field(description="Điểm tiêu chí chung tự chấm, từ 0 đến 30.")
    comment: str = ""
    products: list[ProductIn] = []


class VersionIn(Schema):
    version: int = Field(description=VERSION_HELP)


class RateIn(Schema):
    """The head's rating: general points (a change needs a `reason`), a comment, the facts with their grounds."""

    version: int = Field(description=VERSION_HELP)
    general: Decimal
    reason: str = ""
    comment: str = ""
    facts: dict[str, str] = {}


class CommentIn(Schema):
    version: int = Field(description=VERSION_HELP)
    comment: str = ""


class RoundIn(Schema):
    round: int | None = Field(
        None, description="Đợt đánh giá người đứng đầu; mặc định: đợt mới nhất đã phê duyệt."
    )


class FinalizeIn(RoundIn):
    seen: str = Field(
        description="Dấu phiên bản của các phiếu đã xem trước (`fingerprint` của bản xem trước)."
    )


class StaffFilterIn(Schema):
    round: int | None = None
    unit: int | None = None


class PreviewRowOut(Schema):
    person_id: int
    category: str
    score: Decimal
    level_by_score: str
    ceiling: str
    level: str
    quota_rank: int | None
    reasons: list[ReasonOut]


class GroupOut(Schema):
    category: str
    counts: dict[str, int]
    counts_by_score: dict[str, int]
    subject_to_quota: int
    kept: int
    demoted: int
    quota_limit: int


class StaffPreviewOut(Schema):
    round_id: int
    unit: UnitRef
    head_level: str | None
    cap: str
    unit_result: Decimal | None
    fingerprint: str
    waiting: list[int]
    rows: list[PreviewRowOut]
    groups: list[GroupOut]
    tie_break: str | None
    notes: list[str]


# -- reading ---------------------------------------------------------------------------------------------------


def _scope(user: Any) -> QuerySet[StaffEvaluation]:
    qs = StaffEvaluation.objects.select_related("person", "unit")
    if user.has_perm("assessment.view_staff_results") and user.role != Role.VICE_CHAIRMAN:
        return qs
    if user.role == Role.VICE_CHAIRMAN:
        return qs.filter(unit_id__in=user.charged_unit_ids)
    if user.role == Role.HEAD and user.unit_id is not None:
        return qs.filter(Q(unit_id=user.unit_id) | Q(person=user))
    return qs.filter(person=user)


def _evaluation(request: Any, evaluation_id: int) -> StaffEvaluation:
    evaluation = get_object_or_404(
        StaffEvaluation.objects.select_related("round__period", "unit", "person"), pk=evaluation_id
    )
    if not request.user.has_perm("assessment.view_staff_evaluation", evaluation):
        raise Http404
    return evaluation


def _actions(user: Any, evaluation: StaffEvaluation) -> list[str]:
    found = []
    if evaluation.status == StaffStatus.SELF_ASSESSMENT and user.has_perm(
        "assessment.self_evaluate", evaluation
    ):
        found += ["self", "submit"]
    if evaluation.status == StaffStatus.HEAD_RATING and user.has_perm("assessment.rate_staff", evaluation):
        found += ["rate", "return"]
    return found


def _detail(request: Any, evaluation_id: int) -> dict[str, Any]:
    evaluation = _evaluation(request, evaluation_id)
    products = list(evaluation.products.order_by("position", "pk"))
    scored = sw.score_of(evaluation, products)
    lines = list(scored.period.lines) if scored and scored.total is not None else []
    changes = StaffPointChange.objects.filter(evaluation=evaluation).select_related("by")
    return {
        **{f: getattr(evaluation, f) for f in StaffEvaluationOut.model_fields if hasattr(evaluation, f)},
        "job_description": evaluation.job_description,
        "self_comment": evaluation.self_comment,
        "head_comment": evaluation.head_comment,
        "facts": evaluation.facts,
        "head_level": evaluation.head_level or None,
        "products": products,
        "lines": lines,
        "lines_total": sum((line.points for line in lines), Decimal(0)) if lines else None,
        "level_reasons": evaluation.level_reasons,
        "changes": [
            {
                "field": c.field,
                "before": c.before,
                "after": c.after,
                "reason": c.reason,
                "by": c.by.get_full_name() if c.by else "",
                "at": c.at,
            }
            for c in changes
        ],
        "notes": sw.st.unconfirmed_notes(sw.bounds()),
        "actions": _actions(request.user, evaluation),
        "status_label": choice_label(StaffStatus, evaluation.status),
        "level_label": _label(Level, evaluation.level),
        "level_by_score": evaluation.level_by_score or None,
        "level": evaluation.level or None,
    }


def _round(value: int | None) -> Round:
    rnd = Round.objects.filter(pk=value).first() if value else sw.latest_signed_round()
    if rnd is None:
        raise Http404
    return rnd


def _unit(request: Any, unit_id: int) -> Unit:
    unit = get_object_or_404(Unit, pk=unit_id)
    if not request.user.has_perm("assessment.view_unit_staff", unit):
        raise Http404
    return unit


@router.get(
    "/staff-evaluations",
    response={200: list[StaffEvaluationOut], **ERRORS},
    summary="Phiếu đánh giá công chức",
)
@paginate(PageNumberPagination, page_size=50)
def list_staff_evaluations(request: Any, filters: Query[StaffFilterIn]) -> QuerySet[StaffEvaluation]:
    """The staff evaluations in the person's scope, by unit then name; filter by `round` and `unit`."""
    qs = _scope(request.user)
    if filters.round:
        qs = qs.filter(round_id=filters.round)
    if filters.unit:
        qs = qs.filter(unit_id=filters.unit)
    return qs.order_by("unit__name", "person__full_name", "pk")


@router.get(
    "/staff-evaluations/{evaluation_id}",
    response={200: StaffEvaluationDetailOut, **ERRORS},
    summary="Một phiếu đánh giá công chức",
)
def get_staff_evaluation(request: Any, evaluation_id: int) -> dict[str, Any]:
    """The evaluation with its products, the score's breakdown (adding up to `total`), the level and its reasons,
    the history of the head's changes and what the person may do with it now (`actions`)."""
    return _detail(request, evaluation_id)


@router.put(
    "/staff-evaluations/{evaluation_id}/self",
    response={200: StaffEvaluationDetailOut, **WRITE_ERRORS},
    summary="Lưu phần tự đánh giá",
)
def save_self(request: Any, evaluation_id: int, payload: SelfIn) -> dict[str, Any]:
    evaluation = _evaluation(request, evaluation_id)
    if not request.user.has_perm("assessment.self_evaluate", evaluation):
        raise PermissionDenied
    sw.save_self(
        evaluation.pk,
        general=payload.general,
        comment=payload.comment,
        products={p.id: p for p in payload.products},
        by=request.user,
        expected_version=payload.version,
    )
    return _detail(request, evaluation.pk)


@router.post(
    "/staff-evaluations/{evaluation_id}/submit",
    response={200: StaffEvaluationDetailOut, **WRITE_ERRORS},
    summary="Gửi phiếu tự đánh giá",
)
def submit(request: Any, evaluation_id: int, payload: VersionIn) -> dict[str, Any]:
    evaluation = _evaluation(request, evaluation_id)
    if not request.user.has_perm("assessment.self_evaluate", evaluation):
        raise PermissionDenied
    sw.submit(evaluation.pk, by=request.user, expected_version=payload.version)
    return _detail(request, evaluation.pk)


@router.post(
    "/staff-evaluations/{evaluation_id}/rate",
    response={200: StaffEvaluationDetailOut, **WRITE_ERRORS},
    summary="Người đứng đầu đánh giá",
)
def rate(request: Any, evaluation_id: int, payload: RateIn) -> dict[str, Any]:
    evaluation = _evaluation(request, evaluation_id)
    if not request.user.has_perm("assessment.rate_staff", evaluation):
        raise PermissionDenied
    sw.rate(
        evaluation.pk,
        general=payload.general,
        reason=payload.reason,
        comment=payload.comment,
        facts=payload.facts,
        by=request.user,
        expected_version=payload.version,
    )
    return _detail(request, evaluation.pk)


@router.post(
    "/staff-evaluations/{evaluation_id}/return",
    response={200: StaffEvaluationDetailOut, **WRITE_ERRORS},
    summary="Trả lại phiếu tự đánh giá",
)
def return_evaluation(request: Any, evaluation_id: int, payload: CommentIn) -> dict[str, Any]:
    evaluation = _evaluation(request, evaluation_id)
    if not request.user.has_perm("assessment.rate_staff", evaluation):
        raise PermissionDenied
    sw.return_to_official(
        evaluation.pk, comment=payload.comment, by=request.user, expected_version=payload.version
    )
    return _detail(request, evaluation.pk)


@router.post(
    "/units/{unit_id}/staff-evaluations/start",
    response={200: list[StaffEvaluationOut], **WRITE_ERRORS},
    summary="Bắt đầu đánh giá công chức của đơn vị",
)
def start(request: Any, unit_id: int, payload: RoundIn) -> list[StaffEvaluation]:
    """Create the missing evaluations of the unit's staff under the signed round (idempotent); returns them all."""
    unit = get_object_or_404(Unit, pk=unit_id)
    if not request.user.has_perm("assessment.start_staff_evaluations", unit):
        raise PermissionDenied
    rnd = _round(payload.round)
    sw.start_unit(rnd.pk, unit.pk, by=request.user)
    return list(sw.evaluations_of(rnd, unit.pk))


def _preview(rnd: Round, unit: Unit) -> dict[str, Any]:
    evaluations = list(sw.evaluations_of(rnd, unit.pk))
    preview = sw.preview_unit(rnd, unit, evaluations)
    result = preview.result
    return {
        "round_id": rnd.pk,
        "unit": unit,
        "head_level": preview.head_level or None,
        "cap": preview.cap.value,
        "unit_result": preview.unit_result,
        "fingerprint": sw.fingerprint(evaluations),
        "waiting": [e.pk for e in preview.waiting],
        "rows": [
            {
                "person_id": r.person_id,
                "category": r.group.task_group,
                "score": r.score,
                "level_by_score": r.level_by_score.value,
                "ceiling": r.ceiling.value,
                "level": r.level.value,
                "quota_rank": r.quota_rank,
                "reasons": [x.stored() for x in r.reasons],
            }
            for r in (result.results if result else ())
        ],
        "groups": [
            {
                "category": g.group.task_group,
                "counts": {str(k): v for k, v in g.counts.items()},
                "counts_by_score": {str(k): v for k, v in g.counts_by_score.items()},
                "subject_to_quota": g.subject_to_quota,
                "kept": g.kept,
                "demoted": g.demoted,
                "quota_limit": g.quota_limit,
            }
            for g in (result.groups if result else ())
        ],
        "tie_break": result.tie_break if result else None,
        "notes": list(result.notes) if result else preview.notes,
    }


@router.get(
    "/units/{unit_id}/staff-evaluations/preview",
    response={200: StaffPreviewOut, **ERRORS},
    summary="Xem trước xếp loại công chức của đơn vị",
)
def preview(request: Any, unit_id: int, filters: Query[RoundIn]) -> dict[str, Any]:
    """The levels the unit's staff would get now: by score, after the hard rules and the head's bound, after the
    quota, each with its reasons; the unit result the levels give the head; the `fingerprint` to finalize with."""
    unit = _unit(request, unit_id)
    return _preview(_round(filters.round), unit)


@router.post(
    "/units/{unit_id}/staff-evaluations/finalize",
    response={200: StaffPreviewOut, **WRITE_ERRORS},
    summary="Xếp loại công chức của đơn vị",
)
def finalize(request: Any, unit_id: int, payload: FinalizeIn) -> dict[str, Any]:
    """The head finalizes: every evaluation gets its level as the preview showed it. `seen` is the preview's
    `fingerprint`; if an evaluation changed since, the answer is a 409 and nothing is written."""
    unit = _unit(request, unit_id)
    if not request.user.has_perm("assessment.rate_unit_staff", unit):
        raise PermissionDenied
    rnd = _round(payload.round)
    sw.finalize_unit(rnd.pk, unit.pk, by=request.user, expected=payload.seen)
    return _preview(rnd, unit)
