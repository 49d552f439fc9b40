"""Discipline inspections: the lists of inspections and violations, one inspection with what the person may do
now, and every action of the inspection page.

Scope, as on the pages (inspections/views.py): an inspection outside the person's scope is a **404** -- a surprise
inspection does not exist for the inspected unit before it is held; inside the scope, an action the person's role
does not allow is a **403**; a wrong state or a stale `version` is a **409** naming who changed the inspection.
Input is checked by the pages' forms (400 by field), then by the domain's rules (400). Every write goes through
inspections/domain/inspections.py, so the audit trail and notifications are the pages'.

The remedy report travels as multipart/form-data: the fields in JSON under `payload`, the evidence file under
`evidence`, e.g. `curl -F 'payload={"version": 3, "report": "…"}' -F evidence=@bien-ban.pdf`.
"""

# No `from __future__ import annotations`: ninja reads the paginated views' annotations at import time.

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import File, Query, Router, UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from trongtam.core.errors import Problem, RuleViolations
from trongtam.core.interfaces.forms import END_BEFORE_START
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
    InspectionFilters,
    ViolationFilters,
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
    PlanForm,
    RemedyForm,
    ResultsForm,
    ViolationForm,
)
from trongtam.inspections.interfaces.schemas import (
    DecisionIn,
    InspectionDetailOut,
    InspectionFilterIn,
    InspectionOut,
    PlanChangeIn,
    PlanIn,
    RemedyIn,
    ResultsIn,
    VersionIn,
    ViolationFilterIn,
    ViolationIn,
    ViolationOut,
)
from trongtam.inspections.models import Inspection, Violation
from trongtam.inspections.views import BODY_OF_ROLE
from trongtam.org.interfaces.schemas import ERRORS, WRITE_ERRORS, ErrorOut, raise_form_errors
from trongtam.workdays.domain.queries import work_calendar

router = Router(tags=["inspections"])

DETAIL_FIELDS = (
    "id", "version", "title", "kind", "body", "unit", "scheduled_on", "scheduled_time", "leader", "status",
    "conducted_on", "scope", "findings", "closed_at",
)  # fmt: skip
PLAN_RENAME = {"unit": "unit_id", "leader": "leader_id", "members": "member_ids"}


def _inspection(request: Any, inspection_id: int) -> Inspection:
    """The inspection if the person may see it; a 404 otherwise, as on the pages."""
    inspection = get_object_or_404(
        Inspection.objects.select_related("unit", "leader").prefetch_related("members"), pk=inspection_id
    )
    if not request.user.has_perm("inspections.view_inspection", inspection):
        raise Http404
    return inspection


def _violation(request: Any, violation_id: int) -> Violation:
    violation = get_object_or_404(Violation.objects.select_related("inspection"), pk=violation_id)
    _inspection(request, violation.inspection_id)
    return violation


def _require(request: Any, perm: str, inspection: Inspection) -> None:
    if not request.user.has_perm(perm, inspection):
        raise PermissionDenied


def _actions(user: Any, inspection: Inspection, violations: list[Violation]) -> list[dict[str, Any]]:
    """What the person may do now: the page's action forms (`views._forms`)."""
    base = f"/inspections/{inspection.pk}"
    found: list[dict[str, Any]] = []
    runs = user.has_perm("inspections.run_inspection", inspection)
    if runs and inspection.status == InspectionStatus.PLANNED:
        found.append({"action": "plan", "label": _("Sửa kế hoạch"), "path": f"{base}/plan"})
        found.append({"action": "results", "label": _("Ghi kết quả kiểm tra"), "path": f"{base}/results"})
    if inspection.status == InspectionStatus.DONE:
        if runs:
            found.append(
                {"action": "violation", "label": _("Ghi nhận vi phạm"), "path": f"{base}/violations"}
            )
            found.append({"action": "close", "label": _("Kết thúc theo dõi"), "path": f"{base}/close"})
        reports = user.has_perm("inspections.report_remedy", inspection)
        for v in violations:
            if reports and v.remedy_state in RemedyState.owed:
                path = f"/violations/{v.pk}/remedy"
                found.append({"action": "remedy", "label": _("Báo cáo kết quả khắc phục"), "path": path})
            if runs and v.remedy_state == RemedyState.REPORTED:
                path = f"/violations/{v.pk}/decision"
                found.append({"action": "decision", "label": _("Xác nhận kết quả khắc phục"), "path": path})
    return found


def _detail(request: Any, inspection_id: int) -> dict[str, Any]:
    inspection = _inspection(request, inspection_id)
    violations = list(inspection.violations.select_related("person", "inspection__unit").order_by("pk"))
    return {
        **{name: getattr(inspection, name) for name in DETAIL_FIELDS},
        "violation_count": len(violations),
        "members": list(inspection.members.all()),
        "violations": violations,
        "actions": _actions(request.user, inspection, violations),
    }


@router.get(
    "/inspections", response={200: list[InspectionOut], 400: ErrorOut, **ERRORS}, summary="Kiểm tra công vụ"
)
@paginate(PageNumberPagination, page_size=50)
def list_inspections(request: Any, filters: Query[InspectionFilterIn]) -> QuerySet[Inspection]:
    """The inspections in the person's scope, the latest date first, filtered as on the list page (`q` and `unit`
    ignore diacritics). A surprise inspection appears to the inspected unit only once it has been held."""
    if not request.user.has_perm("inspections.view_inspection_list"):
        raise PermissionDenied
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise RuleViolations([Problem(str(END_BEFORE_START), "date_to")])
    wanted = InspectionFilters(
        q=filters.q,
        unit=filters.unit,
        kind=filters.kind.value if filters.kind else "",
        body=filters.body.value if filters.body else "",
        status=filters.status.value if filters.status else "",
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    return inspection_rows(filter_inspections(visible_inspections(request.user), wanted))


@router.get(
    "/inspections/{inspection_id}", response={200: InspectionDetailOut, **ERRORS}, summary="Một cuộc kiểm tra"
)
def get_inspection(request: Any, inspection_id: int) -> dict[str, Any]:
    """The plan, the team, the findings, the violations with their remedies, and the actions open to you."""
    return _detail(request, inspection_id)


def _plan_form(payload: PlanIn) -> PlanForm:
    data = payload.model_dump()
    form = PlanForm(
        data={
            **data,
            "kind": payload.kind.value,
            "unit": payload.unit_id,
            "leader": payload.leader_id,
            "members": payload.member_ids,
        }
    )
    raise_form_errors(form, PLAN_RENAME)
    return form


def _renamed(exc: RuleViolations) -> RuleViolations:
    return RuleViolations([Problem(p.message, PLAN_RENAME.get(p.field, p.field)) for p in exc.problems])


@router.post(
    "/inspections", response={201: InspectionDetailOut, **WRITE_ERRORS}, summary="Lập kế hoạch kiểm tra"
)
def create(request: Any, payload: PlanIn) -> tuple[int, dict[str, Any]]:
    """Home Affairs or the Office plans an inspection run by their own body. The team is notified; the unit is
    notified of a regular inspection only."""
    user = request.user
    if not user.has_perm("inspections.create_inspection"):
        raise PermissionDenied
    form = _plan_form(payload)
    try:
        inspection = create_inspection(form.to_input(BODY_OF_ROLE[user.role]), by=user)
    except RuleViolations as exc:
        raise _renamed(exc) from exc
    return 201, _detail(request, inspection.pk)


@router.post(
    "/inspections/{inspection_id}/plan",
    response={200: InspectionDetailOut, **WRITE_ERRORS},
    summary="Sửa kế hoạch",
)
def change_plan(request: Any, inspection_id: int, payload: PlanChangeIn) -> dict[str, Any]:
    """Change the plan of an inspection not yet held (the inspecting body or the team leader)."""
    inspection = _inspection(request, inspection_id)
    _require(request, "inspections.run_inspection", inspection)
    form = _plan_form(payload)
    try:
        update_plan(
            inspection.pk, form.to_input(inspection.body), by=request.user, expected_version=payload.version
        )
    except RuleViolations as exc:
        raise _renamed(exc) from exc
    return _detail(request, inspection.pk)


@router.post(
    "/inspections/{inspection_id}/results",
    response={200: InspectionDetailOut, **WRITE_ERRORS},
    summary="Ghi kết quả kiểm tra",
)
def results(request: Any, inspection_id: int, payload: ResultsIn) -> dict[str, Any]:
    """The team records the day the inspection was held and its findings (planned → done)."""
    inspection = _inspection(request, inspection_id)
    _require(request, "inspections.run_inspection", inspection)
    form = ResultsForm(data=payload.model_dump())
    raise_form_errors(form)
    record_results(
        inspection.pk,
        conducted_on=form.cleaned_data["conducted_on"],
        findings=form.cleaned_data["findings"],
        by=request.user,
        expected_version=payload.version,
    )
    return _detail(request, inspection.pk)


@router.post(
    "/inspections/{inspection_id}/violations",
    response={201: InspectionDetailOut, **WRITE_ERRORS},
    summary="Ghi nhận vi phạm",
)
def violation(request: Any, inspection_id: int, payload: ViolationIn) -> tuple[int, dict[str, Any]]:
    """Record a violation found by a held inspection; without `remedy_deadline`, the default number of working
    days after the inspection."""
    inspection = _inspection(request, inspection_id)
    _require(request, "inspections.run_inspection", inspection)
    form = ViolationForm(
        data={**payload.model_dump(), "kind": payload.kind.value, "person": payload.person_id},
        unit=inspection.unit,
    )
    raise_form_errors(form, {"person": "person_id"})
    try:
        add_violation(
            inspection.pk,
            form.to_input(),
            by=request.user,
            expected_version=payload.version,
            calendar=work_calendar(),
        )
    except RuleViolations as exc:
        raise RuleViolations(
            [Problem(p.message, "person_id" if p.field == "person" else p.field) for p in exc.problems]
        ) from exc
    return 201, _detail(request, inspection.pk)


@router.post(
    "/inspections/{inspection_id}/close",
    response={200: InspectionDetailOut, **WRITE_ERRORS},
    summary="Kết thúc theo dõi",
)
def close(request: Any, inspection_id: int, payload: VersionIn) -> dict[str, Any]:
    """End the follow-up once every violation's remedy has been accepted (409 otherwise)."""
    inspection = _inspection(request, inspection_id)
    _require(request, "inspections.run_inspection", inspection)
    close_inspection(inspection.pk, by=request.user, expected_version=payload.version)
    return _detail(request, inspection.pk)


@router.get(
    "/violations", response={200: list[ViolationOut], **ERRORS}, summary="Vi phạm qua kiểm tra công vụ"
)
@paginate(PageNumberPagination, page_size=50)
def list_violations(request: Any, filters: Query[ViolationFilterIn]) -> QuerySet[Violation]:
    """The violations of the inspections in the person's scope, the nearest remedy deadline first; `remedy` may
    be a remedy state or `overdue` (still owed after the deadline, as of today)."""
    if not request.user.has_perm("inspections.view_inspection_list"):
        raise PermissionDenied
    wanted = ViolationFilters(
        kind=filters.kind.value if filters.kind else "",
        unit=filters.unit,
        person=filters.person,
        remedy=filters.remedy.value if filters.remedy else "",
        inspection=filters.inspection,
    )
    return violation_rows(filter_violations(visible_violations(request.user), wanted, timezone.localdate()))


@router.post(
    "/violations/{violation_id}/remedy",
    response={200: InspectionDetailOut, **WRITE_ERRORS},
    summary="Báo cáo khắc phục",
)
def remedy(
    request: Any, violation_id: int, payload: RemedyIn, evidence: File[UploadedFile | None] = None
) -> dict[str, Any]:
    """The head or a deputy of the inspected unit reports the remedy. Multipart: `payload` in JSON, the evidence
    file (PDF, images, DOCX, XLSX; at most 10 MB) under `evidence`."""
    found = _violation(request, violation_id)
    inspection = _inspection(request, found.inspection_id)
    _require(request, "inspections.report_remedy", inspection)
    form = RemedyForm(
        data=payload.model_dump(), files=MultiValueDict({"evidence": [evidence]} if evidence else {})
    )
    raise_form_errors(form)
    report_remedy(
        found.pk,
        report=form.cleaned_data["report"],
        evidence=form.cleaned_data.get("evidence"),
        by=request.user,
        expected_version=payload.version,
    )
    return _detail(request, inspection.pk)


@router.post(
    "/violations/{violation_id}/decision",
    response={200: InspectionDetailOut, **WRITE_ERRORS},
    summary="Xác nhận khắc phục",
)
def decision(request: Any, violation_id: int, payload: DecisionIn) -> dict[str, Any]:
    """The inspecting body accepts the reported remedy, or sends it back (`comment` required)."""
    found = _violation(request, violation_id)
    inspection = _inspection(request, found.inspection_id)
    _require(request, "inspections.run_inspection", inspection)
    form = DecisionForm(data={**payload.model_dump(), "decision": payload.decision.value})
    raise_form_errors(form)
    decide_remedy(
        found.pk,
        accept=payload.decision.value == "accept",
        comment=form.cleaned_data["comment"],
        by=request.user,
        expected_version=payload.version,
    )
    return _detail(request, inspection.pk)
