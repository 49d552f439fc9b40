"""Pages of discipline inspections: the list, one inspection with its findings and violations, the plan's form,
the violations list, and the actions of the detail page.

Scope first: an inspection outside it is a 404 (a surprise inspection does not exist for the inspected unit
before it is held); then each action's permission (403); a wrong state or a stale version is a 409 with the page
shown again and the input kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trongtam.core.audit import entries_for
from trongtam.core.errors import RuleViolations, StaleEdit, TransitionNotAllowed
from trongtam.core.interfaces.actions import VersionedForm, run_action, with_version
from trongtam.core.types import AuthedRequest
from trongtam.core.uploads import stored_file_response
from trongtam.core.views import paginate
from trongtam.inspections.domain.inspections import (
    add_violation,
    close_inspection,
    create_inspection,
    decide_remedy,
    record_results,
    report_remedy,
    update_plan,
)
from trongtam.inspections.domain.queries import (
    filter_inspections,
    filter_violations,
    inspection_rows,
    violation_rows,
    visible_inspections,
    visible_violations,
)
from trongtam.inspections.enums import InspectionStatus, RemedyState
from trongtam.inspections.interfaces.forms import (
    DecisionForm,
    InspectionFilterForm,
    PlanForm,
    RemedyForm,
    ResultsForm,
    ViolationFilterForm,
    ViolationForm,
)
from trongtam.inspections.models import Inspection, Violation
from trongtam.inspections.rules import BODY_ROLES
from trongtam.workdays.domain.queries import work_calendar

BODY_OF_ROLE: dict[str, str] = {role.value: body.value for body, role in BODY_ROLES.items()}


@login_required
def inspection_list(request: AuthedRequest) -> HttpResponse:
    """The inspections in the person's scope, filtered and paginated in the database (a count and a page)."""
    user = request.user
    if not user.has_perm("inspections.view_inspection_list"):
        raise PermissionDenied
    form = InspectionFilterForm(request.GET or None)
    filters = form.filters()
    page_obj = paginate(request, inspection_rows(filter_inspections(visible_inspections(user), filters)))
    return render(
        request,
        "inspections/inspection_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "inspections": page_obj.object_list,
            "filtered": filters != type(filters)(),
            "may_create": user.has_perm("inspections.create_inspection"),
        },
    )


@login_required
def violation_list(request: AuthedRequest) -> HttpResponse:
    """The violations of the inspections in the person's scope, the nearest remedy deadline first."""
    user = request.user
    if not user.has_perm("inspections.view_inspection_list"):
        raise PermissionDenied
    form = ViolationFilterForm(request.GET or None)
    filters = form.filters()
    today = timezone.localdate()
    page_obj = paginate(request, violation_rows(filter_violations(visible_violations(user), filters, today)))
    return render(
        request,
        "inspections/violation_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "violations": page_obj.object_list,
            "filtered": filters != type(filters)(),
            "today": today,
            "owed": RemedyState.owed,
        },
    )


def _inspection(request: AuthedRequest, pk: int) -> Inspection:
    inspection = get_object_or_404(
        Inspection.objects.select_related("unit", "leader", "created_by").prefetch_related("members"), pk=pk
    )
    if not request.user.has_perm("inspections.view_inspection", inspection):
        raise Http404
    return inspection


def _forms(user: Any, inspection: Inspection, violations: list[Violation]) -> dict[str, VersionedForm]:
    """An empty form for every action the person may take on the inspection as it stands now."""
    initial = {"version": inspection.version}
    found: dict[str, VersionedForm] = {}
    runs = user.has_perm("inspections.run_inspection", inspection)
    if runs and inspection.status == InspectionStatus.PLANNED:
        found["results"] = ResultsForm(
            initial={**initial, "conducted_on": timezone.localdate()}, prefix="results"
        )
    if inspection.status != InspectionStatus.DONE:
        return found
    if runs:
        found["violation"] = ViolationForm(initial=initial, prefix="violation", unit=inspection.unit)
        found["close"] = VersionedForm(initial=initial, prefix="close")
    reports = user.has_perm("inspections.report_remedy", inspection)
    for violation in violations:
        if reports and violation.remedy_state in RemedyState.owed:
            found[f"remedy-{violation.pk}"] = RemedyForm(initial=initial, prefix=f"remedy-{violation.pk}")
        if runs and violation.remedy_state == RemedyState.REPORTED:
            found[f"decide-{violation.pk}"] = DecisionForm(initial=initial, prefix=f"decide-{violation.pk}")
    return found


def _page(
    request: AuthedRequest,
    inspection: Inspection,
    bound: dict[str, VersionedForm] | None = None,
    errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    violations = list(
        inspection.violations.select_related("person", "remedy_reported_by", "remedy_decided_by").order_by(
            "pk"
        )
    )
    forms = _forms(request.user, inspection, violations)
    errors = errors or {}
    page_errors: list[str] = []
    for key, form in (bound or {}).items():
        if key in forms:
            forms[key] = form
        else:  # the action is no longer open to the person: say why at the top of the page
            page_errors += errors.get(key, [])
    today = timezone.localdate()
    rows = [
        (
            v,
            forms.get(f"remedy-{v.pk}"),
            forms.get(f"decide-{v.pk}"),
            errors.get(f"remedy-{v.pk}", []) + errors.get(f"decide-{v.pk}", []),
            v.remedy_state in RemedyState.owed and v.remedy_deadline < today,
        )
        for v in violations
    ]
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "members": list(inspection.members.all()),
            "violations": rows,
            "forms": forms,
            "form_errors": errors,
            "page_errors": page_errors,
            "may_edit": inspection.status == InspectionStatus.PLANNED
            and request.user.has_perm("inspections.run_inspection", inspection),
            "audit_entries": list(entries_for(inspection)),
        },
    )


@login_required
def inspection_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _page(request, _inspection(request, pk))


def _plan_page(
    request: AuthedRequest, form: PlanForm, inspection: Inspection | None, errors: list[str]
) -> HttpResponse:
    return render(
        request,
        "inspections/inspection_form.html",
        {"form": form, "inspection": inspection, "errors": errors},
    )


@login_required
def inspection_new(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm("inspections.create_inspection"):
        raise PermissionDenied
    if request.method != "POST":
        return _plan_page(request, PlanForm(), None, [])
    form = PlanForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        try:
            inspection = create_inspection(form.to_input(BODY_OF_ROLE[user.role]), by=user)
        except RuleViolations as exc:
            for problem in exc.problems:
                if problem.field in form.fields:
                    form.add_error(problem.field, problem.message)
                else:
                    errors.append(problem.message)
        else:
            messages.success(request, _("Đã lập kế hoạch kiểm tra."))
            return redirect(inspection.get_absolute_url())
    return _plan_page(request, form, None, errors)


@login_required
def inspection_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    if not request.user.has_perm("inspections.run_inspection", inspection):
        raise PermissionDenied
    if request.method != "POST":
        initial = {
            "version": inspection.version,
            "title": inspection.title,
            "kind": inspection.kind,
            "unit": inspection.unit_id,
            "scheduled_on": inspection.scheduled_on,
            "scheduled_time": inspection.scheduled_time,
            "scope": inspection.scope,
            "leader": inspection.leader_id,
            "members": [m.pk for m in inspection.members.all()],
        }
        return _plan_page(request, PlanForm(initial=initial), inspection, [])
    form = PlanForm(request.POST)
    errors: list[str] = []
    status = 200
    if form.is_valid():
        try:
            update_plan(
                inspection.pk,
                form.to_input(inspection.body),
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except RuleViolations as exc:
            for problem in exc.problems:
                if problem.field in form.fields:
                    form.add_error(problem.field, problem.message)
                else:
                    errors.append(problem.message)
        except (StaleEdit, TransitionNotAllowed) as exc:
            errors.append(exc.user_message)
            form = with_version(
                form, Inspection.objects.values_list("version", flat=True).get(pk=inspection.pk)
            )
            status = 409
        else:
            messages.success(request, _("Đã lưu kế hoạch kiểm tra."))
            return redirect(inspection.get_absolute_url())
    response = _plan_page(request, form, inspection, errors)
    response.status_code = status
    return response


def _handle(
    request: AuthedRequest,
    inspection: Inspection,
    key: str,
    form: VersionedForm,
    run: Callable[[dict[str, Any]], str],
    *,
    form_kwargs: dict[str, Any] | None = None,
) -> HttpResponse:
    """Run the action; on success go back to the inspection with `run`'s message, else show the page again."""
    return run_action(
        request,
        form,
        run,
        done_url=inspection.get_absolute_url(),
        page=lambda shown, errors: _page(
            request, _inspection(request, inspection.pk), {key: shown}, {key: errors}
        ),
        current_version=lambda: Inspection.objects.values_list("version", flat=True).get(pk=inspection.pk),
        form_kwargs=form_kwargs,
    )


@login_required
@require_POST
def inspection_results(request: AuthedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    if not request.user.has_perm("inspections.run_inspection", inspection):
        raise PermissionDenied
    form = ResultsForm(request.POST, prefix="results")

    def run(data: dict[str, Any]) -> str:
        record_results(
            inspection.pk,
            conducted_on=data["conducted_on"],
            findings=data["findings"],
            by=request.user,
            expected_version=data["version"],
        )
        return _("Đã ghi kết quả kiểm tra.")

    return _handle(request, inspection, "results", form, run)


@login_required
@require_POST
def violation_add(request: AuthedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    if not request.user.has_perm("inspections.run_inspection", inspection):
        raise PermissionDenied
    form = ViolationForm(request.POST, prefix="violation", unit=inspection.unit)

    def run(data: dict[str, Any]) -> str:
        add_violation(
            inspection.pk,
            form.to_input(),
            by=request.user,
            expected_version=data["version"],
            calendar=work_calendar(),
        )
        return _("Đã ghi nhận vi phạm.")

    return _handle(request, inspection, "violation", form, run, form_kwargs={"unit": inspection.unit})


@login_required
@require_POST
def inspection_close(request: AuthedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    if not request.user.has_perm("inspections.run_inspection", inspection):
        raise PermissionDenied
    form = VersionedForm(request.POST, prefix="close")

    def run(data: dict[str, Any]) -> str:
        close_inspection(inspection.pk, by=request.user, expected_version=data["version"])
        return _("Đã kết thúc theo dõi cuộc kiểm tra.")

    return _handle(request, inspection, "close", form, run)


@login_required
@require_POST
def remedy_report(request: AuthedRequest, pk: int, violation_pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    violation = get_object_or_404(inspection.violations, pk=violation_pk)
    if not request.user.has_perm("inspections.report_remedy", inspection):
        raise PermissionDenied
    key = f"remedy-{violation.pk}"
    form = RemedyForm(request.POST, request.FILES, prefix=key)

    def run(data: dict[str, Any]) -> str:
        report_remedy(
            violation.pk,
            report=data["report"],
            evidence=data.get("evidence"),
            by=request.user,
            expected_version=data["version"],
        )
        return _("Đã báo cáo kết quả khắc phục.")

    return _handle(request, inspection, key, form, run)


@login_required
@require_POST
def remedy_decide(request: AuthedRequest, pk: int, violation_pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    violation = get_object_or_404(inspection.violations, pk=violation_pk)
    if not request.user.has_perm("inspections.run_inspection", inspection):
        raise PermissionDenied
    key = f"decide-{violation.pk}"
    form = DecisionForm(request.POST, prefix=key)

    def run(data: dict[str, Any]) -> str:
        accept = data["decision"] == "accept"
        decide_remedy(
            violation.pk,
            accept=accept,
            comment=data["comment"],
            by=request.user,
            expected_version=data["version"],
        )
        return _("Đã chấp nhận kết quả khắc phục.") if accept else _("Đã yêu cầu khắc phục lại.")

    return _handle(request, inspection, key, form, run)


@login_required
def evidence_file(request: AuthedRequest, pk: int, violation_pk: int) -> FileResponse:
    """A remedy's evidence file, to whoever may see the inspection."""
    violation = get_object_or_404(Violation, inspection=_inspection(request, pk), pk=violation_pk)
    return stored_file_response(violation.remedy_evidence, violation.remedy_evidence_name)
