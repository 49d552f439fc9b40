"""The dossier pages: the list of the dossiers in the person's scope, a dossier with the moves the person may make,
the counter entry, and the procedure catalog.

A citizen gets 403 on every one of them (they are internal pages); a dossier outside the person's scope is a 404,
so its existence is not revealed; inside the scope, a move the person's role does not allow is a 403, and a move
the dossier's status does not allow, or sent against an old version, is a 409 with the page saying why.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trongtam.core import audit
from trongtam.core.errors import RuleViolations, StaleEdit
from trongtam.core.interfaces.actions import run_action
from trongtam.core.models import AuditAction
from trongtam.core.types import AuthedRequest
from trongtam.core.views import paginate
from trongtam.dossiers.domain import deadlines
from trongtam.dossiers.domain.lifecycle import (
    DossierAction,
    ProcedureInput,
    available_actions,
    filter_dossiers,
    procedure_fingerprint,
    receive_at_counter,
    save_procedure,
    transition,
)
from trongtam.dossiers.domain.queries import dossiers_visible_to, units_entering_for, units_visible_to
from trongtam.dossiers.enums import DossierStatus, Timeliness
from trongtam.dossiers.interfaces.forms import (
    CounterEntryForm,
    DossierFilterForm,
    MoveForm,
    ProcedureFilterForm,
    ProcedureForm,
)
from trongtam.dossiers.models import ApologyLetter, Dossier, Procedure
from trongtam.workdays.domain.queries import work_calendar

STATUS_LABELS: dict[Any, Any] = dict(DossierStatus.choices)
ACTION_LABELS: dict[str, Any] = dict(DossierAction.choices)


def _require_internal(request: AuthedRequest) -> None:
    if not request.user.has_perm("dossiers.view_dossier_list"):
        raise PermissionDenied


@login_required
def dossier_list(request: AuthedRequest) -> HttpResponse:
    """The dossiers in the person's scope, filtered and paginated in the database (a count and a page, whatever
    the number of dossiers); the timeliness of the page's rows is derived by `deadlines.timeliness`."""
    _require_internal(request)
    user = request.user
    form = DossierFilterForm(request.GET or None, units=units_visible_to(user))
    filters = form.filters()
    today = timezone.localdate()
    queryset = filter_dossiers(dossiers_visible_to(user), filters, today).select_related("unit", "procedure")
    page_obj = paginate(request, queryset)
    rows = [
        (dossier, deadlines.timeliness(dossier.status, dossier.due_date, dossier.finished_on, today))
        for dossier in page_obj.object_list
    ]
    return render(
        request,
        "dossiers/dossier_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "rows": rows,
            "today": today,
            "filtered": filters != type(filters)(),
            "timeliness_labels": dict(Timeliness.choices),
            "may_enter": user.has_perm("dossiers.enter_dossier"),
        },
    )


def _dossier(request: AuthedRequest, pk: int) -> Dossier:
    """The dossier if it is in the person's scope; 403 for a citizen, 404 outside the scope."""
    _require_internal(request)
    return get_object_or_404(
        dossiers_visible_to(request.user).select_related("unit", "procedure"),
        pk=pk,
    )


def _move_forms(user: Any, dossier: Dossier) -> dict[str, MoveForm]:
    """An empty form for every move the dossier's status allows, if the person may move it at all."""
    if not user.has_perm("dossiers.enter_dossier_for", dossier):
        return {}
    return {
        action.value: MoveForm(
            initial={"version": dossier.version}, prefix=f"act-{action.value}", action=action
        )
        for action in available_actions(dossier.status)
    }


def _history(dossier: Dossier) -> list[dict[str, Any]]:
    """The dossier's steps as the audit trail recorded them: entry, then each move with its new status."""
    steps = []
    for entry in audit.entries_for(dossier).order_by("seq"):
        changes = entry.changes or {}
        action = (changes.get("action") or [None, None])[1]
        status = (changes.get("status") or [None, None])[1]
        steps.append(
            {
                "at": entry.at,
                "by": entry.actor_name,
                "what": ACTION_LABELS.get(action)
                or (
                    _("Tiếp nhận hồ sơ") if entry.action == AuditAction.CREATE else entry.get_action_display()
                ),
                "status": STATUS_LABELS.get(status, ""),
                "reason": (changes.get("reason") or changes.get("refusal_reason") or [None, ""])[1],
            }
        )
    return steps


def _detail(
    request: AuthedRequest,
    dossier: Dossier,
    bound: dict[str, MoveForm] | None = None,
    errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    calendar = work_calendar()
    forms = _move_forms(request.user, dossier)
    page_errors: list[str] = []
    for key, form in (bound or {}).items():
        if key in forms:
            forms[key] = form
        else:  # the move is no longer open: say why at the top
            page_errors += (errors or {}).get(key, [])
    timeliness = deadlines.timeliness(dossier.status, dossier.due_date, dossier.finished_on, today)
    return render(
        request,
        "dossiers/dossier_detail.html",
        {
            "dossier": dossier,
            "today": today,
            "timeliness": timeliness,
            # The warning asks for a letter: once the dossier has one, its panel says where it stands.
            "at_risk": deadlines.is_at_risk(
                dossier.status, dossier.due_date, today, calendar, dossier.received_on
            )
            and not ApologyLetter.objects.filter(dossier=dossier).exists(),
            "apology_deadline": (
                deadlines.apology_deadline(dossier.due_date, calendar, dossier.received_on)
                if dossier.due_date
                else None
            ),
            "history": _history(dossier),
            "audit_entries": list(audit.entries_for(dossier)),
            "moves": [
                (key, ACTION_LABELS[key], form, (errors or {}).get(key, []) if key in (bound or {}) else [])
                for key, form in forms.items()
            ],
            "page_errors": page_errors,
        },
    )


@login_required
def dossier_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, _dossier(request, pk))


@login_required
@require_POST
def dossier_act(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    """One move of the dossier (its form posts here); on a refusal the dossier's page again, with the input."""
    dossier = _dossier(request, pk)
    if action not in DossierAction.values:
        raise Http404
    move = DossierAction(action)
    if not request.user.has_perm("dossiers.enter_dossier_for", dossier):
        raise PermissionDenied
    form = MoveForm(request.POST, prefix=f"act-{action}", action=move)

    def run(data: dict[str, Any]) -> str:
        moved = transition(
            dossier.pk, move, form.to_move(), by=request.user, expected_version=data["version"]
        )
        message = _("Đã thực hiện: %(action)s. Hồ sơ đang ở trạng thái «%(status)s».") % {
            "action": move.label,
            "status": moved.get_status_display(),
        }
        if move == DossierAction.SUPPLEMENT_RECEIVED and moved.due_date:
            message += " " + _("Ngày hẹn trả mới: %(day)s.") % {
                "day": date_format(moved.due_date, "SHORT_DATE_FORMAT")
            }
        return message

    return run_action(
        request,
        form,
        run,
        done_url=_url(dossier),
        page=lambda shown, errors: _detail(request, _dossier(request, pk), {action: shown}, {action: errors}),
        current_version=lambda: Dossier.objects.values_list("version", flat=True).get(pk=dossier.pk),
        form_kwargs={"action": move},
    )


def _url(dossier: Dossier) -> str:
    return reverse("dossiers:dossier-detail", args=[dossier.pk])


@login_required
def dossier_new(request: AuthedRequest) -> HttpResponse:
    """The counter entry; on success the dossier's page, with its code and due date in the message."""
    user = request.user
    if not user.has_perm("dossiers.enter_dossier"):
        raise PermissionDenied
    form = CounterEntryForm(request.POST or None, units=units_entering_for(user))
    if request.method == "POST" and form.is_valid():
        try:
            dossier = receive_at_counter(form.to_entry(), by=user)
        except RuleViolations as exc:
            for problem in exc.problems:
                form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        else:
            messages.success(
                request,
                _("Đã tiếp nhận hồ sơ %(code)s. Ngày hẹn trả kết quả: %(day)s.")
                % {
                    "code": dossier.code,
                    "day": date_format(dossier.due_date, "SHORT_DATE_FORMAT") if dossier.due_date else "—",
                },
            )
            return redirect(_url(dossier))
    return render(request, "dossiers/dossier_form.html", {"form": form})


# -- the procedure catalog ------------------------------------------------------------------------------------


@login_required
def procedure_list(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_perm("dossiers.view_procedures"):
        raise PermissionDenied
    form = ProcedureFilterForm(request.GET or None)
    page_obj = paginate(request, form.filter(Procedure.objects.order_by("code")))
    return render(
        request,
        "dossiers/procedure_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "procedures": page_obj.object_list,
            "filtered": any(request.GET.get(name) for name in ("q", "level", "field", "active")),
            "may_manage": request.user.has_perm("dossiers.manage_procedures"),
        },
    )


def _procedure_page(request: AuthedRequest, procedure: Procedure | None) -> HttpResponse:
    if not request.user.has_perm("dossiers.manage_procedures"):
        raise PermissionDenied
    initial: dict[str, Any] = {"level": "commune", "is_active": True}
    if procedure is not None:
        initial = {
            "code": procedure.code,
            "name": procedure.name,
            "field": procedure.field,
            "level": procedure.level,
            "processing_days": procedure.processing_days,
            "is_active": procedure.is_active,
            "version": procedure_fingerprint(procedure),
        }
    form = ProcedureForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = save_procedure(
                ProcedureInput(
                    code=data["code"],
                    name=data["name"],
                    field=data["field"],
                    level=data["level"],
                    processing_days=data["processing_days"],
                    is_active=data["is_active"],
                ),
                by=request.user,
                procedure_id=procedure.pk if procedure else None,
                expected_fingerprint=(data["version"] or None) if procedure else None,
            )
        except RuleViolations as exc:
            for problem in exc.problems:
                form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        except StaleEdit as exc:
            # Shown with the digest of the procedure as it is now: sending again is a deliberate overwrite.
            fresh = request.POST.copy()
            fresh["version"] = (
                procedure_fingerprint(Procedure.objects.get(pk=procedure.pk)) if procedure else ""
            )
            form = ProcedureForm(fresh, initial=initial)
            form.is_valid()
            form.add_error(None, exc.user_message)
            status = 409
        else:
            messages.success(request, _("Đã lưu thủ tục %(code)s.") % {"code": saved.code})
            return redirect("dossiers:procedure-list")
    return render(
        request, "dossiers/procedure_form.html", {"form": form, "procedure": procedure}, status=status
    )


@login_required
def procedure_new(request: AuthedRequest) -> HttpResponse:
    return _procedure_page(request, None)


@login_required
def procedure_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("dossiers.manage_procedures"):
        raise PermissionDenied
    return _procedure_page(request, get_object_or_404(Procedure, pk=pk))
