"""Pages of dialogue sessions and of the Council's supervision recommendations.

Scope first (domain/queries.py: a record outside it is a 404), then the action's permission (403); a record that
moved on is a 409 with the page shown again and the input kept (core/interfaces/actions.py). Lists are filtered and
paginated in the database: a count and a page, whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trongtam.core.audit import entries_for
from trongtam.core.errors import RuleViolations
from trongtam.core.interfaces.actions import run_action
from trongtam.core.search import search
from trongtam.core.types import AuthedRequest
from trongtam.core.uploads import stored_file_response
from trongtam.core.views import paginate
from trongtam.supervision.domain import records
from trongtam.supervision.domain.items import act_on_issue, act_on_recommendation
from trongtam.supervision.domain.queries import (
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
from trongtam.supervision.enums import IssueAction, ItemStatus, RaiserKind, RecommendationAction
from trongtam.supervision.interfaces.forms import (
    ISSUE_ENDS,
    RECOMMENDATION_ENDS,
    DialogueFilterForm,
    DialogueForm,
    FilesForm,
    IssueForm,
    ItemFilterForm,
    RecommendationForm,
    SupervisionForm,
    step_form,
)
from trongtam.supervision.models import Dialogue, DialogueIssue, Recommendation, Supervision


def _require(request: AuthedRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _show_errors(form: Any, exc: RuleViolations) -> list[str]:
    """Put each problem beside its field; return those that belong to no field of the form."""
    rest = []
    for problem in exc.problems:
        if problem.field in form.fields:
            form.add_error(problem.field, problem.message)
        else:
            rest.append(problem.message)
    return rest


# -- dialogues ----------------------------------------------------------------------------------------------------


@login_required
def dialogue_list(request: AuthedRequest) -> HttpResponse:
    """The dialogues in the person's scope, newest first, with how many of their issues are open and overdue."""
    _require(request, "supervision.view_dialogue_list")
    today = timezone.localdate()
    form = DialogueFilterForm(request.GET or None)
    dialogues = visible_dialogues(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            dialogues = search(dialogues, data["q"])
        if data["year"]:
            dialogues = dialogues.filter(held_on__year=data["year"])
        if data["organizing_unit"]:
            dialogues = dialogues.filter(organizing_unit=data["organizing_unit"])
        if data["audience"]:
            dialogues = dialogues.filter(audience=data["audience"])
    rows = (
        dialogues.select_related("organizing_unit", "chaired_by")
        .annotate(
            issue_count=Count("issues"),
            open_count=Count("issues", filter=Q(issues__status__in=ItemStatus.active)),
            overdue_count=Count(
                "issues", filter=Q(issues__status__in=ItemStatus.pending, issues__deadline__lt=today)
            ),
        )
        .order_by("-held_on", "-pk")
    )
    page_obj = paginate(request, rows)
    return render(
        request,
        "supervision/dialogue_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "dialogues": page_obj.object_list,
            "filtered": bool(
                request.GET.get("q")
                or request.GET.get("year")
                or request.GET.get("organizing_unit")
                or request.GET.get("audience")
            ),
            "may_record": request.user.has_perm("supervision.record_dialogue"),
        },
    )


@login_required
def dialogue_new(request: AuthedRequest) -> HttpResponse:
    _require(request, "supervision.record_dialogue")
    form = DialogueForm(
        request.POST or None,
        initial={"chaired_by": request.user.pk, "organizing_unit": request.user.unit_id},
        creating=True,
    )
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            dialogue = records.create_dialogue(form.to_input(), by=request.user)
        except RuleViolations as exc:
            errors = _show_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận buổi đối thoại."))
            return redirect(dialogue.get_absolute_url())
    return render(
        request, "supervision/dialogue_form.html", {"form": form, "extra_errors": errors, "dialogue": None}
    )


def _dialogue(request: AuthedRequest, pk: int) -> Dialogue:
    return get_object_or_404(
        visible_dialogues(request.user).select_related("organizing_unit", "chaired_by", "created_by"), pk=pk
    )


def _dialogue_page(
    request: AuthedRequest,
    dialogue: Dialogue,
    bound: dict[str, Any] | None = None,
    errors: list[str] | None = None,
) -> HttpResponse:
    manages = request.user.has_perm("supervision.manage_dialogue", dialogue)
    bound = bound or {}
    today = timezone.localdate()
    issues = list(
        issue_rows(visible_issues(request.user).filter(dialogue=dialogue))
        .annotate(is_overdue=_overdue_flag(today))
        .order_by("pk")
    )
    return render(
        request,
        "supervision/dialogue_detail.html",
        {
            "dialogue": dialogue,
            "issues": issues,
            "today": today,
            "files": list(dialogue.files.select_related("uploaded_by")),
            "manages": manages,
            "issue_form": bound.get("issue") or (IssueForm(prefix="issue") if manages else None),
            "files_form": bound.get("files")
            or (FilesForm(initial={"version": dialogue.version}, prefix="files") if manages else None),
            "errors": errors or [],
            "bound": next(iter(bound), ""),
            "audit_entries": list(entries_for(dialogue)),
        },
    )


@login_required
def dialogue_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _dialogue_page(request, _dialogue(request, pk))


@login_required
def dialogue_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    dialogue = _dialogue(request, pk)
    _require(request, "supervision.manage_dialogue", dialogue)
    initial = {
        "version": dialogue.version, "topic": dialogue.topic, "audience": dialogue.audience, "held_on": dialogue.held_on,
        "chaired_by": dialogue.chaired_by_id, "organizing_unit": dialogue.organizing_unit_id,
        "participants": dialogue.participants, "summary": dialogue.summary,
    }  # fmt: skip
    if request.method != "POST":
        form = DialogueForm(initial=initial)
        return render(request, "supervision/dialogue_form.html", {"form": form, "dialogue": dialogue})
    form = DialogueForm(request.POST)

    def run(data: dict[str, Any]) -> str:
        records.update_dialogue(
            dialogue.pk, form.to_input(), by=request.user, expected_version=data["version"]
        )
        return _("Đã lưu buổi đối thoại.")

    return run_action(
        request,
        form,
        run,
        done_url=dialogue.get_absolute_url(),
        page=lambda shown, errors: render(
            request,
            "supervision/dialogue_form.html",
            {"form": shown, "dialogue": dialogue, "extra_errors": errors},
        ),
        current_version=lambda: Dialogue.objects.values_list("version", flat=True).get(pk=dialogue.pk),
    )


@login_required
@require_POST
def dialogue_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    dialogue = _dialogue(request, pk)
    _require(request, "supervision.manage_dialogue", dialogue)
    form = FilesForm(request.POST, request.FILES, prefix="files")

    def run(data: dict[str, Any]) -> str:
        records.attach_dialogue_files(
            dialogue.pk, list(data["files"]), by=request.user, expected_version=data["version"]
        )
        return _("Đã đính kèm tệp.")

    return run_action(
        request,
        form,
        run,
        done_url=dialogue.get_absolute_url(),
        page=lambda shown, errors: _dialogue_page(request, _dialogue(request, pk), {"files": shown}, errors),
        current_version=lambda: Dialogue.objects.values_list("version", flat=True).get(pk=dialogue.pk),
    )


@login_required
def dialogue_file(request: AuthedRequest, pk: int, file_pk: int) -> FileResponse:
    """A file of the dialogue, to whoever may see the dialogue."""
    stored = get_object_or_404(_dialogue(request, pk).files, pk=file_pk)
    return stored_file_response(stored.file, stored.name)


@login_required
@require_POST
def issue_new(request: AuthedRequest, pk: int) -> HttpResponse:
    dialogue = _dialogue(request, pk)
    _require(request, "supervision.manage_dialogue", dialogue)
    form = IssueForm(request.POST, prefix="issue")
    errors: list[str] = []
    if form.is_valid():
        try:
            records.add_issue(dialogue.pk, form.to_input(), by=request.user)
        except RuleViolations as exc:
            errors = _show_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận kiến nghị."))
            return redirect(dialogue.get_absolute_url() + "#issues")
    return _dialogue_page(request, dialogue, {"issue": form}, errors)


# -- items: dialogue issues and recommendations -------------------------------------------------------------------


@login_required
def issue_list(request: AuthedRequest) -> HttpResponse:
    _require(request, "supervision.view_dialogue_list")
    return _item_list(request, "issue")


@login_required
def recommendation_list(request: AuthedRequest) -> HttpResponse:
    _require(request, "supervision.view_recommendation_list")
    return _item_list(request, "recommendation")


def _item_list(request: AuthedRequest, kind: str) -> HttpResponse:
    today = timezone.localdate()
    form = ItemFilterForm(request.GET or None, ends=ISSUE_ENDS if kind == "issue" else RECOMMENDATION_ENDS)
    filters = form.filters()
    if kind == "issue":
        rows: Any = issue_rows(filter_issues(visible_issues(request.user), filters, today))
    else:
        rows = recommendation_rows(
            filter_recommendations(visible_recommendations(request.user), filters, today)
        )
    page_obj = paginate(request, rows.annotate(is_overdue=_overdue_flag(today)))
    return render(
        request,
        f"supervision/{kind}_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "items": page_obj.object_list,
            "today": today,
            "filtered": any(
                request.GET.get(k) for k in ("q", "status", "responsible_unit", "overdue", "year", "end")
            ),
            "may_record": request.user.has_perm("supervision.record_supervision"),
            "person_kind": RaiserKind.PERSON,
        },
    )


def _overdue_flag(today: Any) -> Any:
    return ExpressionWrapper(overdue_q(today), output_field=BooleanField())


def _issue(request: AuthedRequest, pk: int) -> DialogueIssue:
    return get_object_or_404(
        visible_issues(request.user).select_related(
            "dialogue__organizing_unit", "dialogue__chaired_by", "responsible_unit", "answered_by"
        ),
        pk=pk,
    )


def _recommendation(request: AuthedRequest, pk: int) -> Recommendation:
    return get_object_or_404(
        visible_recommendations(request.user).select_related(
            "supervision__supervised_unit", "responsible_unit", "answered_by", "created_by"
        ),
        pk=pk,
    )


def _item_page(
    request: AuthedRequest,
    kind: str,
    item: Any,
    bound: dict[str, Any] | None = None,
    errors: list[str] | None = None,
) -> HttpResponse:
    steps = ISSUE_STEPS if kind == "issue" else RECOMMENDATION_STEPS
    actions = IssueAction if kind == "issue" else RecommendationAction
    bound = bound or {}
    forms = []
    for action, step in steps.items():
        if item.status in step.sources and request.user.has_perm(step.perm, item):
            initial = {"version": item.version, "responsible_unit": item.responsible_unit_id}
            form = bound.get(action.value) or step_form(kind, action.value, initial=initial)
            forms.append((action, actions(action).label, form, errors if action.value in bound else []))
    # A step no longer open to the person (someone acted first): its refusal is said at the top of the page.
    shown = {action.value for action, *_rest in forms}
    page_errors = [] if set(bound) <= shown else list(errors or [])
    today = timezone.localdate()
    return render(
        request,
        "supervision/item_detail.html",
        {
            "kind": kind,
            "item": item,
            "today": today,
            "overdue": item.status in ItemStatus.pending
            and item.deadline is not None
            and item.deadline < today,
            "shows_raiser": kind == "issue",
            "steps": forms,
            "page_errors": page_errors,
            "history": list(item.events.select_related("by").order_by("at", "pk")),
            "action_labels": dict(actions.choices) | {"record": _("Ghi nhận")},
            "audit_entries": list(entries_for(item)),
        },
    )


@login_required
def issue_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _item_page(request, "issue", _issue(request, pk))


@login_required
def recommendation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _item_page(request, "recommendation", _recommendation(request, pk))


def _act(
    request: AuthedRequest, kind: str, item: Any, action: str, run_step: Callable[..., Any]
) -> HttpResponse:
    steps: Any = ISSUE_STEPS if kind == "issue" else RECOMMENDATION_STEPS
    actions: Any = IssueAction if kind == "issue" else RecommendationAction
    if action not in actions.values:
        raise Http404
    chosen = actions(action)
    _require(request, steps[chosen].perm, item)
    form = step_form(kind, action, request.POST)
    model: Any = type(item)
    fetch = _issue if kind == "issue" else _recommendation

    def run(data: dict[str, Any]) -> str:
        run_step(item.pk, chosen, by=request.user, data=form.to_input(), expected_version=data["version"])
        return _("Đã thực hiện: %(action)s.") % {"action": chosen.label}

    return run_action(
        request,
        form,
        run,
        done_url=item.get_absolute_url(),
        page=lambda shown, errors: _item_page(
            request, kind, fetch(request, item.pk), {action: shown}, errors
        ),
        current_version=lambda: model.objects.values_list("version", flat=True).get(pk=item.pk),
        form_kwargs={
            "keep": tuple(name for name in form.fields if name != "version"),
            "labels": {name: field.label for name, field in form.fields.items()},
        },
    )


@login_required
@require_POST
def issue_act(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    return _act(request, "issue", _issue(request, pk), action, act_on_issue)


@login_required
@require_POST
def recommendation_act(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    return _act(request, "recommendation", _recommendation(request, pk), action, act_on_recommendation)


# -- Council supervisions -----------------------------------------------------------------------------------------


@login_required
def supervision_list(request: AuthedRequest) -> HttpResponse:
    _require(request, "supervision.view_recommendation_list")
    today = timezone.localdate()
    form = DialogueFilterForm(request.GET or None)
    supervisions = visible_supervisions(request.user)
    if form.is_valid():
        if form.cleaned_data["q"]:
            supervisions = search(supervisions, form.cleaned_data["q"])
        if form.cleaned_data["year"]:
            supervisions = supervisions.filter(held_on__year=form.cleaned_data["year"])
    rows = (
        supervisions.select_related("supervised_unit")
        .annotate(
            recommendation_count=Count("recommendations"),
            open_count=Count("recommendations", filter=Q(recommendations__status__in=ItemStatus.active)),
            overdue_count=Count(
                "recommendations",
                filter=Q(recommendations__status__in=ItemStatus.pending, recommendations__deadline__lt=today),
            ),
        )
        .order_by("-held_on", "-pk")
    )
    page_obj = paginate(request, rows)
    return render(
        request,
        "supervision/supervision_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "supervisions": page_obj.object_list,
            "may_record": request.user.has_perm("supervision.record_supervision"),
        },
    )


@login_required
def supervision_new(request: AuthedRequest) -> HttpResponse:
    _require(request, "supervision.record_supervision")
    form = SupervisionForm(request.POST or None, creating=True)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            supervision = records.create_supervision(form.to_input(), by=request.user)
        except RuleViolations as exc:
            errors = _show_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận đợt giám sát."))
            return redirect(supervision.get_absolute_url())
    return render(
        request,
        "supervision/supervision_form.html",
        {"form": form, "extra_errors": errors, "supervision": None},
    )


def _supervision(request: AuthedRequest, pk: int) -> Supervision:
    return get_object_or_404(
        visible_supervisions(request.user).select_related("supervised_unit", "created_by"), pk=pk
    )


def _supervision_page(
    request: AuthedRequest, supervision: Supervision, form: Any = None, errors: list[str] | None = None
) -> HttpResponse:
    manages = request.user.has_perm("supervision.manage_supervision", supervision)
    today = timezone.localdate()
    recommendations = list(
        recommendation_rows(visible_recommendations(request.user).filter(supervision=supervision))
        .annotate(is_overdue=_overdue_flag(today))
        .order_by("pk")
    )
    return render(
        request,
        "supervision/supervision_detail.html",
        {
            "supervision": supervision,
            "items": recommendations,
            "manages": manages,
            "form": form or (RecommendationForm(prefix="rec") if manages else None),
            "extra_errors": errors or [],
            "audit_entries": list(entries_for(supervision)),
        },
    )


@login_required
def supervision_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _supervision_page(request, _supervision(request, pk))


@login_required
def supervision_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    supervision = _supervision(request, pk)
    _require(request, "supervision.manage_supervision", supervision)
    if request.method != "POST":
        form = SupervisionForm(
            initial={
                "version": supervision.version, "topic": supervision.topic, "held_on": supervision.held_on,
                "supervised_unit": supervision.supervised_unit_id, "team": supervision.team, "summary": supervision.summary,
            }
        )  # fmt: skip
        return render(
            request, "supervision/supervision_form.html", {"form": form, "supervision": supervision}
        )
    form = SupervisionForm(request.POST)

    def run(data: dict[str, Any]) -> str:
        records.update_supervision(
            supervision.pk, form.to_input(), by=request.user, expected_version=data["version"]
        )
        return _("Đã lưu đợt giám sát.")

    return run_action(
        request,
        form,
        run,
        done_url=supervision.get_absolute_url(),
        page=lambda shown, errors: render(
            request,
            "supervision/supervision_form.html",
            {"form": shown, "supervision": supervision, "extra_errors": errors},
        ),
        current_version=lambda: Supervision.objects.values_list("version", flat=True).get(pk=supervision.pk),
    )


@login_required
@require_POST
def recommendation_new(request: AuthedRequest, pk: int) -> HttpResponse:
    supervision = _supervision(request, pk)
    _require(request, "supervision.manage_supervision", supervision)
    form = RecommendationForm(request.POST, prefix="rec")
    errors: list[str] = []
    if form.is_valid():
        try:
            records.add_recommendation(supervision.pk, form.to_input(), by=request.user)
        except RuleViolations as exc:
            errors = _show_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận kiến nghị giám sát."))
            return redirect(supervision.get_absolute_url() + "#recommendations")
    return _supervision_page(request, supervision, form, errors)
