"""Feedback cases in the API.

Internal (log-in): `GET /feedback` (the cases in your scope, filtered as on the list page), `GET /feedback/{id}`
(one case with the steps open to you), `POST /feedback/{id}/actions` (one step, with the case's `version`). Scope
as on the pages: a case outside it is a 404; a step your role may not take, a 403; a wrong status or a stale
version, a 409; input the rules refuse, a 400 by field.

Public (no log-in, throttled per client address, 429 when over): `POST /public-feedback` sends a report and
answers its tracking code; `GET /public-feedback/{code}` gives its status and, once published, the public answer
-- never the reporter's data.
"""

# No `from __future__ import annotations`: ninja reads the paginated views' annotations at import time.

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import PageNumberPagination, paginate
from ninja.throttling import AnonRateThrottle

from trongtam.core.errors import Problem, RuleViolations
from trongtam.core.interfaces.forms import END_BEFORE_START
from trongtam.feedback.domain import cases
from trongtam.feedback.domain.public import public_case
from trongtam.feedback.domain.queries import (
    FeedbackFilters,
    feedback_rows,
    feedback_visible_to,
    filter_feedback,
)
from trongtam.feedback.domain.redaction import redact
from trongtam.feedback.enums import FeedbackAction
from trongtam.feedback.interfaces.schemas import (
    ActionIn,
    FeedbackDetailOut,
    FeedbackFilterIn,
    FeedbackOut,
    PublicCaseOut,
    PublicFeedbackIn,
    PublicSubmittedOut,
)
from trongtam.feedback.models import Feedback
from trongtam.feedback.rules import STEP_PERMS, step_open_to
from trongtam.org.interfaces.schemas import ERRORS, WRITE_ERRORS, ErrorOut
from trongtam.org.models import Person, Unit

router = Router(tags=["feedback"])


class SubmitThrottle(AnonRateThrottle):
    scope = "feedback_submit"


class LookupThrottle(AnonRateThrottle):
    scope = "feedback_lookup"


SUBMIT_THROTTLE = SubmitThrottle("5/h")
LOOKUP_THROTTLE = LookupThrottle("30/h")
CASE_FIELDS = [
    "id", "version", "tracking_code", "category", "subject_kind", "unit", "is_anonymous", "received_on",
    "response_due", "status", "outcome", "answered_on", "upheld", "is_published", "assigned_to", "handler",
    "content", "official_name", "official", "dossier_code", "reporter_name", "reporter_phone", "reporter_email",
    "reporter_address", "answer", "public_answer", "outcome_reason", "closed_on", "citizen_solved",
    "reopened_count",
]  # fmt: skip


def _case(request: Any, case_id: int) -> Feedback:
    case = get_object_or_404(
        Feedback.objects.select_related("unit", "official", "assigned_to", "handler"), pk=case_id
    )
    if not request.user.has_perm("feedback.view_feedback", case):
        raise Http404
    return case


def _detail(request: Any, case_id: int) -> dict[str, Any]:
    case = _case(request, case_id)
    return {
        **{name: getattr(case, name) for name in CASE_FIELDS},
        "proposed_public_answer": case.public_answer or redact(case.answer, case),
        "attachments": list(case.attachments.all()),
        "events": list(case.events.select_related("by")),
        "actions": [
            {"action": action, "label": force_str(FeedbackAction(action).label)}
            for action in STEP_PERMS
            if step_open_to(request.user, case, action)
        ],
    }


@router.get(
    "/feedback", response={200: list[FeedbackOut], 400: ErrorOut, **ERRORS}, summary="Phản ánh, kiến nghị"
)
@paginate(PageNumberPagination, page_size=50)
def list_feedback(request: Any, filters: Query[FeedbackFilterIn]) -> QuerySet[Feedback]:
    """The cases in your scope, newest first, filtered as on the list page; a page is two queries."""
    user = request.user
    if not user.has_perm("feedback.view_feedback_list"):
        raise PermissionDenied
    if filters.received_from and filters.received_to and filters.received_from > filters.received_to:
        raise RuleViolations([Problem(str(END_BEFORE_START), "received_to")])
    chosen = FeedbackFilters(
        q=filters.q.strip(),
        status=filters.status or "",
        category=filters.category or "",
        unit=filters.unit,
        overdue=filters.overdue,
        upheld=filters.upheld,
        received_from=filters.received_from,
        received_to=filters.received_to,
    )
    return feedback_rows(filter_feedback(feedback_visible_to(user), chosen, timezone.localdate()))


@router.get("/feedback/{case_id}", response={200: FeedbackDetailOut, **ERRORS}, summary="Một phản ánh")
def get_feedback(request: Any, case_id: int) -> dict[str, Any]:
    return _detail(request, case_id)


def _person(pk: int | None, field: str) -> Person | None:
    if pk is None:
        return None
    found = Person.objects.filter(pk=pk).first()
    if found is None:
        raise RuleViolations([Problem(_("Không tìm thấy người này."), field)])
    return found


@router.post(
    "/feedback/{case_id}/actions", response={200: FeedbackDetailOut, **WRITE_ERRORS}, summary="Một bước xử lý"
)
def act(request: Any, case_id: int, payload: ActionIn) -> dict[str, Any]:
    """Take one step on the case (the same rules and messages as the case page)."""
    user = request.user
    case = _case(request, case_id)
    action = payload.action
    if action not in STEP_PERMS:  # the reporter's own steps go through the public site
        raise PermissionDenied
    if not user.has_perm(STEP_PERMS[action], case):
        raise PermissionDenied
    version = payload.version
    if action == FeedbackAction.ASSIGN:
        unit = Unit.objects.filter(pk=payload.unit).first() if payload.unit else None
        if payload.unit and unit is None:
            raise RuleViolations([Problem(_("Không tìm thấy đơn vị này."), "unit")])
        cases.assign(
            case.pk, by=user, expected_version=version, unit=unit, to=_person(payload.to, "to"),
            comment=payload.comment,
        )  # fmt: skip
    elif action == FeedbackAction.HANDLE:
        cases.handle(
            case.pk,
            by=user,
            expected_version=version,
            delegate_to=_person(payload.delegate_to, "delegate_to"),
        )
    elif action == FeedbackAction.ANSWER:
        cases.answer(case.pk, by=user, expected_version=version, text=payload.text, upheld=payload.upheld)
    elif action == FeedbackAction.CLOSE:
        cases.close(
            case.pk, by=user, expected_version=version, outcome=payload.outcome or "", reason=payload.reason
        )
    elif action == FeedbackAction.PUBLISH:
        cases.publish(
            case.pk, by=user, expected_version=version, public_answer=payload.public_answer,
            published=payload.published,
        )  # fmt: skip
    else:
        cases.match_official(
            case.pk, by=user, expected_version=version, official=_person(payload.official, "official")
        )
    return _detail(request, case.pk)


@router.post(
    "/public-feedback",
    auth=None,
    throttle=[SUBMIT_THROTTLE],
    response={201: PublicSubmittedOut, 400: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Gửi phản ánh (không cần đăng nhập)",
)
def submit_public(request: Any, payload: PublicFeedbackIn) -> tuple[int, dict[str, str]]:
    """Send a report; the answer is its tracking code (keep it: it is the only way to follow the case)."""
    case = cases.submit(
        cases.Submission(
            category=payload.category,
            subject_kind=payload.subject_kind,
            unit_id=payload.unit,
            content=payload.content,
            official_name=payload.official_name,
            dossier_code=payload.dossier_code,
            anonymous=payload.anonymous,
            name=payload.name,
            phone=payload.phone,
            email=payload.email,
            address=payload.address,
        )
    )
    url = reverse("feedback-public:track") + "?" + urlencode({"ma": case.tracking_code})
    return 201, {"tracking_code": case.tracking_code, "status_url": url}


@router.get(
    "/public-feedback/{code}",
    auth=None,
    throttle=[LOOKUP_THROTTLE],
    response={200: PublicCaseOut, 404: ErrorOut, 429: ErrorOut},
    summary="Tình trạng một phản ánh (không cần đăng nhập)",
)
def get_public(request: Any, code: str) -> Any:
    case = cases.by_code(code)
    if case is None:
        raise Http404
    return public_case(case)
