"""The apology-letter pages (Form 04): the register, one letter with the step the person may take, drafting by
hand from a dossier, the letter as PDF and Word, and the register in Excel.

Scope first: a letter or dossier the person may not see is a 404 (`dossiers.view_dossier`), never a 403; inside
the scope a step the person's role does not allow is a 403 (the same rules as `domain.letters`); a letter that
moved on or changed since the page was loaded is a 409 with the page shown again and the input kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from trongtam.assessment.views_exports import download
from trongtam.core.audit import entries_for
from trongtam.core.interfaces.actions import VersionedForm, run_action
from trongtam.core.types import AuthedRequest
from trongtam.core.views import paginate
from trongtam.dossiers.domain import letters as domain
from trongtam.dossiers.domain.deadlines import apology_deadline
from trongtam.dossiers.domain.letters import ACTION_LABELS, LetterAction
from trongtam.dossiers.domain.queries import units_visible_to
from trongtam.dossiers.interfaces import letter_documents
from trongtam.dossiers.interfaces.letter_forms import (
    LetterDraftForm,
    LetterEditForm,
    LetterFilterForm,
    LetterReviewForm,
    LetterSendForm,
)
from trongtam.dossiers.models import ApologyLetter, Dossier
from trongtam.workdays.domain.queries import work_calendar

# The form of each step (save and submit share the draft's form: two buttons).
FORMS: dict[LetterAction, type[VersionedForm]] = {
    LetterAction.SAVE: LetterEditForm,
    LetterAction.SUBMIT: LetterEditForm,
    LetterAction.APPROVE: LetterReviewForm,
    LetterAction.RETURN: LetterReviewForm,
    LetterAction.SEND: LetterSendForm,
}
FORM_KEYS = {
    LetterAction.SAVE: "edit",
    LetterAction.SUBMIT: "edit",
    LetterAction.APPROVE: "review",
    LetterAction.RETURN: "review",
    LetterAction.SEND: "send",
}
DONE = {
    LetterAction.SAVE: gettext_lazy("Đã lưu dự thảo phiếu."),
    LetterAction.SUBMIT: gettext_lazy("Đã trình lãnh đạo ký duyệt."),
    LetterAction.APPROVE: gettext_lazy("Đã ký duyệt phiếu số %(number)s; ngày hẹn trả mới đã ghi vào hồ sơ."),
    LetterAction.RETURN: gettext_lazy("Đã trả lại phiếu để sửa."),
    LetterAction.SEND: gettext_lazy("Đã ghi nhận gửi phiếu cho công dân."),
}


def _filter_form(request: AuthedRequest) -> LetterFilterForm:
    return LetterFilterForm(request.GET or None, units=units_visible_to(request.user))


@login_required
def letter_list(request: AuthedRequest) -> HttpResponse:
    """The register of letters in the person's scope, filtered and paginated in the database: a count and a page,
    whatever the number of letters."""
    if not request.user.has_perm("dossiers.view_letter_register"):
        raise PermissionDenied
    form = _filter_form(request)
    filters = form.filters()
    page_obj = paginate(request, domain.filter_letters(domain.letters_visible_to(request.user), filters))
    return render(
        request,
        "dossiers/letter_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "letters": page_obj.object_list,
            "filtered": filters != domain.LetterFilters(),
        },
    )


@login_required
def letter_export(request: AuthedRequest) -> HttpResponse:
    """The register with the same filters, as an Excel workbook."""
    if not request.user.has_perm("dossiers.view_letter_register"):
        raise PermissionDenied
    form = _filter_form(request)
    letters = domain.filter_letters(domain.letters_visible_to(request.user), form.filters())
    return download(letter_documents.export_register(letters, today=timezone.localdate()))


def _letter(request: AuthedRequest, pk: int) -> ApologyLetter:
    letter = get_object_or_404(
        ApologyLetter.objects.select_related("dossier__unit__parent", "dossier__procedure", "approved_by"),
        pk=pk,
    )
    if not request.user.has_perm("dossiers.view_dossier", letter):
        raise Http404
    return letter


def _forms(user: Any, letter: ApologyLetter) -> dict[str, VersionedForm]:
    """An empty form for each step the person may take now, keyed as the template shows them."""
    initial: dict[str, Any] = {"version": letter.version}
    found: dict[str, VersionedForm] = {}
    for action in domain.available_actions(user, letter):
        key = FORM_KEYS[action]
        if key in found:
            continue
        # The send form's time is left empty ("just sent"): a time cut to the minute would fall before the
        # approval made in that same minute, and be refused.
        extra = {"reason": letter.reason, "new_due_date": letter.new_due_date} if key == "edit" else {}
        found[key] = FORMS[action](initial={**initial, **extra}, prefix=key)
    return found


def _page(
    request: AuthedRequest,
    letter: ApologyLetter,
    bound: dict[str, VersionedForm] | None = None,
    errors: list[str] | None = None,
) -> HttpResponse:
    forms = _forms(request.user, letter)
    for key, form in (bound or {}).items():
        if key in forms:
            forms[key] = form
    actions = domain.available_actions(request.user, letter)
    dossier = letter.dossier
    calendar = work_calendar()
    deadline = (
        apology_deadline(dossier.due_date, calendar, dossier.received_on)
        if dossier.due_date is not None
        else None
    )
    return render(
        request,
        "dossiers/letter_detail.html",
        {
            "letter": letter,
            "dossier": dossier,
            "forms": forms,
            "actions": {action.value: ACTION_LABELS[action] for action in actions},
            "page_errors": errors or [],
            "apology_deadline": deadline,
            "audit_entries": list(entries_for(letter)),
            "extra_days": domain.extra_working_days(),
        },
    )


@login_required
def letter_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _page(request, _letter(request, pk))


@login_required
@require_POST
def letter_action(request: AuthedRequest, pk: int) -> HttpResponse:
    """One step of the workflow; the button pressed names it (`action`)."""
    letter = _letter(request, pk)
    try:
        action = LetterAction(request.POST.get("action", ""))
    except ValueError as exc:
        raise Http404 from exc
    if not request.user.has_perm(domain.TRANSITIONS[action].perm, letter):
        raise PermissionDenied
    key = FORM_KEYS[action]
    form = FORMS[action](request.POST, prefix=key)

    def run(data: dict[str, Any]) -> str:
        done = domain.act(
            letter.pk,
            action,
            by=request.user,
            expected_version=data["version"],
            reason=data.get("reason"),
            new_due_date=data.get("new_due_date"),
            comment=data.get("comment") or "",
            channel=data.get("channel") or "",
            sent_at=data.get("sent_at"),
        )
        return (
            str(DONE[action]) % {"number": done.number}
            if action == LetterAction.APPROVE
            else str(DONE[action])
        )

    return _run(request, letter, key, form, run)


def _run(
    request: AuthedRequest,
    letter: ApologyLetter,
    key: str,
    form: VersionedForm,
    run: Callable[[dict[str, Any]], str],
) -> HttpResponse:
    return run_action(
        request,
        form,
        run,
        done_url=domain.letter_url(letter),
        page=lambda shown, errors: _page(request, _letter(request, letter.pk), {key: shown}, errors),
        current_version=lambda: ApologyLetter.objects.values_list("version", flat=True).get(pk=letter.pk),
    )


def _dossier(request: AuthedRequest, pk: int) -> Dossier:
    dossier = get_object_or_404(Dossier.objects.select_related("unit", "procedure"), pk=pk)
    if not request.user.has_perm("dossiers.view_dossier", dossier):
        raise Http404
    if not request.user.has_perm("dossiers.draft_letter", dossier):
        raise PermissionDenied
    return dossier


@login_required
def letter_new(request: AuthedRequest, pk: int) -> HttpResponse:
    """Draft the dossier's letter by hand: the reason (it may be completed later) and the new date, proposed."""
    dossier = _dossier(request, pk)
    existing = ApologyLetter.objects.filter(dossier=dossier).first()
    calendar = work_calendar()
    today = timezone.localdate()
    proposal: dt.date | None = (
        domain.proposed_new_date(dossier.due_date, today, calendar) if dossier.due_date else None
    )

    def page(form: VersionedForm, errors: list[str]) -> HttpResponse:
        return render(
            request,
            "dossiers/letter_new.html",
            {
                "dossier": dossier,
                "form": form,
                "page_errors": errors,
                "existing": existing,
                "owed": dossier.status in domain.RESULT_OWED and dossier.due_date is not None,
                "late": dossier.due_date is not None
                and domain.is_drafted_late(dossier.due_date, today, calendar, dossier.received_on),
                "extra_days": domain.extra_working_days(),
            },
        )

    if request.method != "POST":
        return page(
            LetterDraftForm(initial={"version": dossier.version, "new_due_date": proposal}, prefix="draft"),
            [],
        )
    form = LetterDraftForm(request.POST, prefix="draft")
    created: list[ApologyLetter] = []

    def run(data: dict[str, Any]) -> str:
        created.append(
            domain.draft_letter(
                dossier.pk,
                by=request.user,
                expected_version=data["version"],
                reason=data.get("reason") or "",
                new_due_date=data.get("new_due_date"),
            )
        )
        return _("Đã lập dự thảo phiếu xin lỗi cho hồ sơ %(code)s.") % {"code": dossier.code}

    response = run_action(
        request,
        form,
        run,
        done_url=request.path,
        page=page,
        current_version=lambda: Dossier.objects.values_list("version", flat=True).get(pk=dossier.pk),
    )
    if created:  # go on to the letter itself
        response["Location"] = domain.letter_url(created[0])
    return response


@login_required
def letter_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    """The letter on A5 as PDF; a draft's says "DỰ THẢO"."""
    return download(letter_documents.export_pdf(_letter(request, pk)))


@login_required
def letter_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    """The letter on A5 as a Word document, to print or to sign digitally in the document system."""
    return download(letter_documents.export_docx(_letter(request, pk)))
