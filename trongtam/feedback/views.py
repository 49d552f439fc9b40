"""Pages of feedback cases (internal): the list of the cases in the person's scope, and one case with the steps
the person may take now.

Scope first (a case outside it is a 404), then each step's permission (403); each step posts its own form with
the case's version, and a stale version or a wrong status is a 409 that shows the page again with the input kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trongtam.core.audit import entries_for
from trongtam.core.interfaces.actions import VersionedForm, run_action
from trongtam.core.types import AuthedRequest
from trongtam.core.uploads import stored_file_response
from trongtam.core.views import paginate
from trongtam.feedback.domain import cases
from trongtam.feedback.domain.queries import (
    feedback_rows,
    feedback_visible_to,
    filter_feedback,
    sees_every_case,
)
from trongtam.feedback.domain.redaction import redact
from trongtam.feedback.enums import FeedbackAction, FeedbackStatus
from trongtam.feedback.interfaces.forms import (
    AnswerForm,
    AssignForm,
    CloseForm,
    FeedbackFilterForm,
    HandleForm,
    MatchForm,
    PublishForm,
)
from trongtam.feedback.models import Feedback, FeedbackAttachment
from trongtam.feedback.rules import STEP_PERMS, step_open_to
from trongtam.org.enums import Role
from trongtam.org.models import Person, Unit

A = FeedbackAction


def _units_for_filter(user: Any) -> QuerySet[Unit]:
    units = Unit.objects.order_by("name").only("pk", "name")
    if sees_every_case(user):
        return units
    if user.role == Role.VICE_CHAIRMAN:
        return units.filter(pk__in=user.charged_unit_ids)
    return units.filter(pk=user.unit_id) if user.unit_id else units.none()


@login_required
def feedback_list(request: AuthedRequest) -> HttpResponse:
    """The cases in the person's scope, filtered and paginated in the database: the count and the page."""
    user = request.user
    if not user.has_perm("feedback.view_feedback_list"):
        raise PermissionDenied
    form = FeedbackFilterForm(request.GET or None, units=_units_for_filter(user))
    today = timezone.localdate()
    filters = form.filters()
    page_obj = paginate(request, feedback_rows(filter_feedback(feedback_visible_to(user), filters, today)))
    return render(
        request,
        "feedback/feedback_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "rows": page_obj.object_list,
            "today": today,
            "awaiting": FeedbackStatus.awaiting_answer,
            "filtered": filters != type(filters)(),
        },
    )


def _case(request: AuthedRequest, pk: int) -> Feedback:
    case = get_object_or_404(
        Feedback.objects.select_related("unit", "official", "dossier", "assigned_to", "handler", "reporter"),
        pk=pk,
    )
    if not request.user.has_perm("feedback.view_feedback", case):
        raise Http404
    return case


def _unit_people(case: Feedback, roles: tuple[str, ...]) -> QuerySet[Person]:
    people = Person.objects.filter(unit_id=case.unit_id, role__in=roles, is_active=True).order_by("full_name")
    return people.exclude(pk=case.official_id) if case.official_id else people


def _kwargs(action: str, case: Feedback) -> dict[str, Any]:
    """The choices of a step's form: the people of the case's unit it may name."""
    if action == A.ASSIGN:
        return {"leaders": _unit_people(case, (Role.HEAD, Role.DEPUTY))}
    if action == A.HANDLE:
        return {"people": _unit_people(case, (Role.HEAD, Role.DEPUTY, Role.OFFICIAL))}
    if action == A.MATCH_OFFICIAL:
        people = Person.objects.filter(
            unit_id=case.unit_id, role__in=(Role.HEAD, Role.DEPUTY, Role.OFFICIAL), is_active=True
        ).order_by("full_name")
        return {"people": people}
    return {}


FORMS: dict[str, Any] = {
    A.ASSIGN: AssignForm,
    A.HANDLE: HandleForm,
    A.ANSWER: AnswerForm,
    A.CLOSE: CloseForm,
    A.PUBLISH: PublishForm,
    A.MATCH_OFFICIAL: MatchForm,
}


def _form(action: str, case: Feedback, data: Any = None) -> VersionedForm:
    """The form of `action` for `case`, empty (with the case's version and the proposals) or bound to `data`."""
    initial: dict[str, Any] = {"version": case.version}
    if action == A.ASSIGN:
        initial["unit"] = case.unit_id
    elif action == A.ANSWER:
        initial["text"] = case.answer
    elif action == A.PUBLISH:
        initial["public_answer"] = case.public_answer or redact(case.answer, case)
        initial["published"] = "false" if case.is_published else "true"
    elif action == A.MATCH_OFFICIAL:
        initial["official"] = case.official_id
    form: VersionedForm = FORMS[action](
        data, prefix=f"act-{action}", initial=initial, **_kwargs(action, case)
    )
    return form


def _page(
    request: AuthedRequest,
    case: Feedback,
    bound: tuple[str, VersionedForm] | None = None,
    errors: list[str] | None = None,
) -> HttpResponse:
    forms = {action: _form(action, case) for action in STEP_PERMS if step_open_to(request.user, case, action)}
    page_errors: list[str] = []
    if bound is not None:
        if bound[0] in forms:
            forms[bound[0]] = bound[1]
        else:
            page_errors = errors or []
    context = {
        "case": case,
        "today": timezone.localdate(),
        "overdue": case.status in FeedbackStatus.awaiting_answer and case.response_due < timezone.localdate(),
        "attachments": list(case.attachments.all()),
        "history": list(case.events.select_related("by")),
        "audit_entries": list(entries_for(case)),
        "forms": [
            (action, A(action).label, form, (errors or []) if bound and bound[0] == action else [])
            for action, form in forms.items()
        ],
        "page_errors": page_errors,
    }
    return render(request, "feedback/feedback_detail.html", context)


@login_required
def feedback_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _page(request, _case(request, pk))


@login_required
def attachment_file(request: AuthedRequest, pk: int, attachment_pk: int) -> FileResponse:
    """A file the reporter sent, to whoever may see the case."""
    stored = get_object_or_404(FeedbackAttachment, feedback=_case(request, pk), pk=attachment_pk)
    return stored_file_response(stored.file, stored.name)


def _runner(action: str, case: Feedback, by: Any) -> Callable[[dict[str, Any]], str]:
    def run(data: dict[str, Any]) -> str:
        version = data["version"]
        if action == A.ASSIGN:
            done = cases.assign(
                case.pk,
                by=by,
                expected_version=version,
                unit=data["unit"],
                to=data["to"],
                comment=data["comment"],
            )
            return _("Đã giao phản ánh cho %(person)s.") % {"person": done.assigned_to}
        if action == A.HANDLE:
            done = cases.handle(case.pk, by=by, expected_version=version, delegate_to=data["delegate_to"])
            return _("Đã phân công %(person)s xử lý phản ánh.") % {"person": done.handler}
        if action == A.ANSWER:
            cases.answer(case.pk, by=by, expected_version=version, text=data["text"], upheld=data["upheld"])
            return _("Đã ghi nội dung trả lời.")
        if action == A.CLOSE:
            cases.close(
                case.pk, by=by, expected_version=version, outcome=data["outcome"], reason=data["reason"]
            )
            return _("Đã đóng phản ánh.")
        if action == A.PUBLISH:
            done = cases.publish(
                case.pk, by=by, expected_version=version, public_answer=data["public_answer"],
                published=data["published"],
            )  # fmt: skip
            return (
                _("Đã công khai câu trả lời.") if done.is_published else _("Đã thôi công khai câu trả lời.")
            )
        cases.match_official(case.pk, by=by, expected_version=version, official=data["official"])
        return _("Đã cập nhật cán bộ bị phản ánh.")

    return run


@login_required
@require_POST
def feedback_act(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    case = _case(request, pk)
    if action not in STEP_PERMS:
        raise Http404
    if not request.user.has_perm(STEP_PERMS[action], case):
        raise PermissionDenied
    form = _form(action, case, request.POST)
    return run_action(
        request,
        form,
        _runner(action, case, request.user),
        done_url=case.get_absolute_url(),
        page=lambda shown, errors: _page(request, _case(request, pk), (action, shown), errors),
        current_version=lambda: Feedback.objects.values_list("version", flat=True).get(pk=pk),
        form_kwargs=_kwargs(action, case),
    )
