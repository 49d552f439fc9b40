"""Dialogue sessions and their issues, Council supervisions and their recommendations: lists, one record with the
steps the person may take now, and every write of the pages.

Scope, as on the pages (supervision/views.py): a record outside the person's scope is a **404**, never a 403; inside
it, a step the person's role does not allow is a **403**; a record in a status that does not allow the step, or
changed since the `version` sent, is a **409** (naming who changed it), and nothing is written. Input is checked for
shape and type (422), then by the domain's rules (400, by field). Every write goes through the domain functions the
pages use, so the history, the audit trail and the notices are the same.
"""

# No `from __future__ import annotations`: ninja reads the paginated views' annotations at import time.

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from ninja import P, PathEx, Query, Router
from ninja.pagination import PageNumberPagination, paginate

from trongtam.core.errors import Problem, RuleViolations
from trongtam.core.search import search
from trongtam.org.interfaces.schemas import ERRORS, WRITE_ERRORS
from trongtam.supervision.domain import records
from trongtam.supervision.domain.items import StepInput, act_on_issue, act_on_recommendation
from trongtam.supervision.domain.queries import (
    ItemFilters,
    filter_issues,
    filter_recommendations,
    issue_rows,
    overdue_q,
    recommendation_rows,
    visible_dialogues,
    visible_issues,
    visible_recommendations,
    visible_supervisions,
)
from trongtam.supervision.domain.workflow import ISSUE_STEPS, RECOMMENDATION_STEPS
from trongtam.supervision.enums import IssueAction, RecommendationAction
from trongtam.supervision.interfaces.forms import ISSUE_STEP_FIELDS, RECOMMENDATION_STEP_FIELDS
from trongtam.supervision.interfaces.schemas import (
    DialogueDetailOut,
    DialogueIn,
    DialogueOut,
    IssueDetailOut,
    IssueIn,
    IssueOut,
    ItemFilterIn,
    RecommendationDetailOut,
    RecommendationIn,
    RecommendationOut,
    StepIn,
    SupervisionDetailOut,
    SupervisionIn,
    SupervisionOut,
)
from trongtam.supervision.models import DialogueIssue, Recommendation

router = Router(tags=["supervision"])
ITEM_FIELDS = [
    "id", "version", "responsible_unit", "deadline", "original_deadline", "status", "answered_on", "closed_on",
    "answer", "close_reason",
]  # fmt: skip


def _require(request: Any, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _flagged(items: QuerySet[Any]) -> QuerySet[Any]:
    return items.annotate(
        is_overdue=ExpressionWrapper(overdue_q(timezone.localdate()), output_field=BooleanField())
    )


def _filters(filters: ItemFilterIn) -> ItemFilters:
    return ItemFilters(
        q=filters.q.strip(),
        status=filters.status.value if filters.status else "",
        responsible_unit=filters.responsible_unit,
        overdue=filters.overdue,
        year=filters.year,
    )


def _steps(request: Any, kind: str, item: Any) -> list[dict[str, Any]]:
    steps: Any = ISSUE_STEPS if kind == "issues" else RECOMMENDATION_STEPS
    labels: Any = IssueAction if kind == "issues" else RecommendationAction
    fields = ISSUE_STEP_FIELDS if kind == "issues" else RECOMMENDATION_STEP_FIELDS
    return [
        {
            "action": action.value,
            "label": force_str(labels(action).label),
            "path": f"/supervision/{kind}/{item.pk}/actions/{action.value}",
            "fields": list(fields[action.value]),
        }
        for action, step in steps.items()
        if item.status in step.sources and request.user.has_perm(step.perm, item)
    ]


def _item_detail(request: Any, kind: str, item: Any) -> dict[str, Any]:
    data = {name: getattr(item, name) for name in ITEM_FIELDS}
    data["overdue"] = bool(getattr(item, "is_overdue", False))
    data["events"] = list(item.events.select_related("by").order_by("at", "pk"))
    data["actions"] = _steps(request, kind, item)
    if kind == "issues":
        data.update(
            dialogue=item.dialogue, content=item.content, raiser_kind=item.raiser_kind,
            raised_by=item.raised_by, raised_by_full=item.raised_by, outcome=item.outcome,
            deadline_days=item.deadline_days,
        )  # fmt: skip
    else:
        data.update(
            supervision_id=item.supervision_id, title=item.title, details=item.details, verdict=item.verdict,
        )  # fmt: skip
    return data


def _issue(request: Any, issue_id: int) -> DialogueIssue:
    return get_object_or_404(
        _flagged(visible_issues(request.user)).select_related(
            "dialogue__organizing_unit", "responsible_unit"
        ),
        pk=issue_id,
    )


def _recommendation(request: Any, recommendation_id: int) -> Recommendation:
    return get_object_or_404(
        _flagged(visible_recommendations(request.user)).select_related("supervision", "responsible_unit"),
        pk=recommendation_id,
    )


def _step_input(payload: StepIn) -> StepInput:
    return StepInput(
        comment=payload.comment,
        responsible_unit=payload.responsible_unit,
        deadline=payload.deadline,
        deadline_days=payload.deadline_days,
        answer=payload.answer,
        verdict=payload.verdict.value if payload.verdict else "",
    )


# -- dialogues ----------------------------------------------------------------------------------------------------


@router.get("/supervision/dialogues", response={200: list[DialogueOut], **ERRORS}, summary="Buổi đối thoại")
@paginate(PageNumberPagination, page_size=50)
def list_dialogues(request: Any, q: str = "", year: int | None = None) -> QuerySet[Any]:
    """The dialogue sessions in the person's scope, newest first; `q` searches the topic ignoring diacritics."""
    _require(request, "supervision.view_dialogue_list")
    dialogues = visible_dialogues(request.user).select_related("chaired_by", "organizing_unit")
    if q.strip():
        dialogues = search(dialogues, q)
    if year is not None:
        dialogues = dialogues.filter(held_on__year=year)
    return dialogues.order_by("-held_on", "-pk")


def _dialogue_detail(request: Any, dialogue_id: int) -> Any:
    dialogue = get_object_or_404(
        visible_dialogues(request.user).select_related("chaired_by", "organizing_unit"), pk=dialogue_id
    )
    issues = list(_flagged(issue_rows(visible_issues(request.user).filter(dialogue=dialogue))).order_by("pk"))
    return {
        **{
            f: getattr(dialogue, f)
            for f in ("id", "version", "topic", "audience", "held_on", "participants", "summary")
        },
        "chaired_by": dialogue.chaired_by,
        "organizing_unit": dialogue.organizing_unit,
        "files": list(dialogue.files.all()),
        "issues": issues,
    }


@router.get(
    "/supervision/dialogues/{dialogue_id}",
    response={200: DialogueDetailOut, **ERRORS},
    summary="Một buổi đối thoại",
)
def get_dialogue(request: Any, dialogue_id: int) -> Any:
    """The session with its files (named; downloaded from the page) and the issues the person may see."""
    return _dialogue_detail(request, dialogue_id)


def _version_of(payload: DialogueIn | SupervisionIn) -> int:
    """An edit must say which version it was made against (a create has none)."""
    if payload.version is None:
        raise RuleViolations([Problem(_("Cần gửi phiên bản bạn đọc lần cuối (trường version)."), "version")])
    return payload.version


def _dialogue_input(payload: DialogueIn) -> records.DialogueInput:
    return records.DialogueInput(
        topic=payload.topic, audience=payload.audience.value, held_on=payload.held_on, chaired_by=payload.chaired_by,
        organizing_unit=payload.organizing_unit, participants=payload.participants, summary=payload.summary,
    )  # fmt: skip


@router.post(
    "/supervision/dialogues",
    response={201: DialogueDetailOut, **WRITE_ERRORS},
    summary="Ghi nhận buổi đối thoại",
)
def create_dialogue(request: Any, payload: DialogueIn) -> tuple[int, Any]:
    """The Chairman, the Office, a Vice-Chairman or a head records a session they will manage: one they chair,
    or one organized by their unit (by a unit in their charge)."""
    dialogue = records.create_dialogue(_dialogue_input(payload), by=request.user)
    return 201, _dialogue_detail(request, dialogue.pk)


@router.put(
    "/supervision/dialogues/{dialogue_id}",
    response={200: DialogueDetailOut, **WRITE_ERRORS},
    summary="Sửa buổi đối thoại",
)
def update_dialogue(request: Any, dialogue_id: int, payload: DialogueIn) -> Any:
    dialogue = get_object_or_404(visible_dialogues(request.user), pk=dialogue_id)
    _require(request, "supervision.manage_dialogue", dialogue)
    records.update_dialogue(
        dialogue.pk, _dialogue_input(payload), by=request.user, expected_version=_version_of(payload)
    )
    return _dialogue_detail(request, dialogue.pk)


@router.post(
    "/supervision/dialogues/{dialogue_id}/issues",
    response={201: IssueDetailOut, **WRITE_ERRORS},
    summary="Ghi nhận kiến nghị",
)
def add_issue(request: Any, dialogue_id: int, payload: IssueIn) -> tuple[int, Any]:
    """An issue raised at the session; with `responsible_unit` and a deadline (`deadline`, or `deadline_days`
    working days from the session) it is given to that unit at once."""
    dialogue = get_object_or_404(visible_dialogues(request.user), pk=dialogue_id)
    _require(request, "supervision.manage_dialogue", dialogue)
    issue = records.add_issue(
        dialogue.pk,
        records.IssueInput(
            content=payload.content,
            raiser_kind=payload.raiser_kind.value,
            raised_by=payload.raised_by,
            responsible_unit=payload.responsible_unit,
            deadline=payload.deadline,
            deadline_days=payload.deadline_days,
        ),
        by=request.user,
    )
    return 201, _item_detail(request, "issues", _issue(request, issue.pk))


# -- items --------------------------------------------------------------------------------------------------------


@router.get(
    "/supervision/issues", response={200: list[IssueOut], **ERRORS}, summary="Kiến nghị tại đối thoại"
)
@paginate(PageNumberPagination, page_size=50)
def list_issues(request: Any, filters: Query[ItemFilterIn]) -> QuerySet[Any]:
    """The issues in the person's scope, filtered as on the page; `overdue=true` keeps those waiting on their unit
    past the deadline."""
    _require(request, "supervision.view_dialogue_list")
    return _flagged(
        issue_rows(filter_issues(visible_issues(request.user), _filters(filters), timezone.localdate()))
    )


@router.get(
    "/supervision/issues/{issue_id}",
    response={200: IssueDetailOut, **ERRORS},
    summary="Một kiến nghị tại đối thoại",
)
def get_issue(request: Any, issue_id: int) -> Any:
    return _item_detail(request, "issues", _issue(request, issue_id))


ISSUE_ACTIONS = "Một trong: " + ", ".join(IssueAction.values) + "."


@router.post(
    "/supervision/issues/{issue_id}/actions/{action}",
    response={200: IssueDetailOut, **WRITE_ERRORS},
    summary="Giao, nhận, trả lời, trả lại, đóng, chuyển, không thụ lý, mở lại",
)
def act_issue(
    request: Any, issue_id: int, action: PathEx[IssueAction, P(description=ISSUE_ACTIONS)], payload: StepIn
) -> Any:
    """One step of the issue's workflow (the `actions` of GET /supervision/issues/{id} say which are open to you
    and which fields each takes)."""
    issue = _issue(request, issue_id)
    _require(request, ISSUE_STEPS[action].perm, issue)
    act_on_issue(
        issue.pk, action, by=request.user, data=_step_input(payload), expected_version=payload.version
    )
    return _item_detail(request, "issues", _issue(request, issue.pk))


@router.get(
    "/supervision/recommendations",
    response={200: list[RecommendationOut], **ERRORS},
    summary="Kiến nghị giám sát",
)
@paginate(PageNumberPagination, page_size=50)
def list_recommendations(request: Any, filters: Query[ItemFilterIn]) -> QuerySet[Any]:
    """The Council's recommendations in the person's scope, the nearest deadline first; `overdue=true` lists the
    overdue ones."""
    _require(request, "supervision.view_recommendation_list")
    recommendations = filter_recommendations(
        visible_recommendations(request.user), _filters(filters), timezone.localdate()
    )
    return _flagged(recommendation_rows(recommendations))


@router.get(
    "/supervision/recommendations/{recommendation_id}",
    response={200: RecommendationDetailOut, **ERRORS},
    summary="Một kiến nghị giám sát",
)
def get_recommendation(request: Any, recommendation_id: int) -> Any:
    return _item_detail(request, "recommendations", _recommendation(request, recommendation_id))


REC_ACTIONS = "Một trong: " + ", ".join(RecommendationAction.values) + "."


@router.post(
    "/supervision/recommendations/{recommendation_id}/actions/{action}",
    response={200: RecommendationDetailOut, **WRITE_ERRORS},
    summary="Nhận xử lý, báo cáo kết quả, kết luận, yêu cầu tiếp tục",
)
def act_recommendation(
    request: Any,
    recommendation_id: int,
    action: PathEx[RecommendationAction, P(description=REC_ACTIONS)],
    payload: StepIn,
) -> Any:
    """`start` and `report` (`answer`) by the responsible unit; `conclude` (`verdict`, and `comment` unless
    resolved) and `return` (`comment`, optional new `deadline`) by the Council."""
    rec = _recommendation(request, recommendation_id)
    _require(request, RECOMMENDATION_STEPS[action].perm, rec)
    act_on_recommendation(
        rec.pk, action, by=request.user, data=_step_input(payload), expected_version=payload.version
    )
    return _item_detail(request, "recommendations", _recommendation(request, rec.pk))


# -- Council supervisions -----------------------------------------------------------------------------------------


@router.get(
    "/supervision/supervisions",
    response={200: list[SupervisionOut], **ERRORS},
    summary="Đợt giám sát của HĐND",
)
@paginate(PageNumberPagination, page_size=50)
def list_supervisions(request: Any, q: str = "", year: int | None = None) -> QuerySet[Any]:
    _require(request, "supervision.view_recommendation_list")
    supervisions = visible_supervisions(request.user).select_related("supervised_unit")
    if q.strip():
        supervisions = search(supervisions, q)
    if year is not None:
        supervisions = supervisions.filter(held_on__year=year)
    return supervisions.order_by("-held_on", "-pk")


def _supervision_detail(request: Any, supervision_id: int) -> Any:
    supervision = get_object_or_404(
        visible_supervisions(request.user).select_related("supervised_unit"), pk=supervision_id
    )
    return {
        **{f: getattr(supervision, f) for f in ("id", "version", "topic", "held_on", "team", "summary")},
        "supervised_unit": supervision.supervised_unit,
        "recommendations": list(
            _flagged(
                recommendation_rows(visible_recommendations(request.user).filter(supervision=supervision))
            ).order_by("pk")
        ),
    }


@router.get(
    "/supervision/supervisions/{supervision_id}",
    response={200: SupervisionDetailOut, **ERRORS},
    summary="Một đợt giám sát",
)
def get_supervision(request: Any, supervision_id: int) -> Any:
    return _supervision_detail(request, supervision_id)


def _supervision_input(payload: SupervisionIn) -> records.SupervisionInput:
    return records.SupervisionInput(
        topic=payload.topic, held_on=payload.held_on, supervised_unit=payload.supervised_unit, team=payload.team,
        summary=payload.summary,
    )  # fmt: skip


@router.post(
    "/supervision/supervisions",
    response={201: SupervisionDetailOut, **WRITE_ERRORS},
    summary="Ghi nhận đợt giám sát",
)
def create_supervision(request: Any, payload: SupervisionIn) -> tuple[int, Any]:
    """The Council (Thường trực HĐND) records a supervision."""
    supervision = records.create_supervision(_supervision_input(payload), by=request.user)
    return 201, _supervision_detail(request, supervision.pk)


@router.put(
    "/supervision/supervisions/{supervision_id}",
    response={200: SupervisionDetailOut, **WRITE_ERRORS},
    summary="Sửa đợt giám sát",
)
def update_supervision(request: Any, supervision_id: int, payload: SupervisionIn) -> Any:
    supervision = get_object_or_404(visible_supervisions(request.user), pk=supervision_id)
    _require(request, "supervision.manage_supervision", supervision)
    records.update_supervision(
        supervision.pk, _supervision_input(payload), by=request.user, expected_version=_version_of(payload)
    )
    return _supervision_detail(request, supervision.pk)


@router.post(
    "/supervision/supervisions/{supervision_id}/recommendations",
    response={201: RecommendationDetailOut, **WRITE_ERRORS},
    summary="Ghi nhận kiến nghị giám sát",
)
def add_recommendation(request: Any, supervision_id: int, payload: RecommendationIn) -> tuple[int, Any]:
    supervision = get_object_or_404(visible_supervisions(request.user), pk=supervision_id)
    _require(request, "supervision.manage_supervision", supervision)
    rec = records.add_recommendation(
        supervision.pk,
        records.RecommendationInput(
            title=payload.title,
            details=payload.details,
            responsible_unit=payload.responsible_unit,
            deadline=payload.deadline,
        ),
        by=request.user,
    )
    return 201, _item_detail(request, "recommendations", _recommendation(request, rec.pk))
