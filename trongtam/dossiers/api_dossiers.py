"""Procedures and dossiers: the catalog, the list and one dossier, the counter entry and the officer's moves.

The same rules as the pages (views_dossiers.py): a citizen gets 403; a dossier outside the person's scope is a
**404**, never a 403, so its existence is not revealed; inside the scope, a move the person's role does not
allow is a 403; a move the dossier's status does not allow, or one sent with an old `version`, is a **409** and
nothing is written. Every write goes through domain/lifecycle.py, so the audit trail is the pages'.
"""

# No `from __future__ import annotations`: ninja reads the paginated views' annotations at import time.

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import PageNumberPagination, paginate

from trongtam.core.errors import Problem, RuleViolations
from trongtam.core.interfaces.forms import END_BEFORE_START
from trongtam.core.search import search
from trongtam.dossiers.domain import deadlines
from trongtam.dossiers.domain.lifecycle import (
    TRANSITIONS,
    CounterEntry,
    DossierFilters,
    Move,
    ProcedureInput,
    available_actions,
    filter_dossiers,
    receive_at_counter,
    save_procedure,
    transition,
)
from trongtam.dossiers.domain.queries import dossiers_visible_to
from trongtam.dossiers.enums import Source
from trongtam.dossiers.interfaces.schemas import (
    CounterEntryIn,
    DossierDetailOut,
    DossierFilterIn,
    DossierOut,
    ProcedureFilterIn,
    ProcedureIn,
    ProcedureOut,
    TransitionIn,
)
from trongtam.dossiers.models import Dossier, Procedure
from trongtam.org.interfaces.schemas import ERRORS, WRITE_ERRORS, ErrorOut
from trongtam.org.models import Unit
from trongtam.workdays.domain.queries import work_calendar

router = Router(tags=["dossiers"])


def _require(request: Any, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


# -- procedures -----------------------------------------------------------------------------------------------


@router.get("/procedures", response={200: list[ProcedureOut], **ERRORS}, summary="Danh mục thủ tục")
@paginate(PageNumberPagination, page_size=50)
def list_procedures(request: Any, filters: Query[ProcedureFilterIn]) -> QuerySet[Procedure]:
    """The catalog by code; `q` searches the code, name and field, ignoring diacritics."""
    _require(request, "dossiers.view_procedures")
    procedures = Procedure.objects.order_by("code")
    if filters.level:
        procedures = procedures.filter(level=filters.level)
    if filters.field:
        procedures = procedures.filter(field=filters.field)
    if filters.active is not None:
        procedures = procedures.filter(is_active=filters.active)
    return search(procedures, filters.q) if filters.q.strip() else procedures


@router.get("/procedures/{procedure_id}", response={200: ProcedureOut, **ERRORS}, summary="Một thủ tục")
def get_procedure(request: Any, procedure_id: int) -> Procedure:
    _require(request, "dossiers.view_procedures")
    return get_object_or_404(Procedure, pk=procedure_id)


@router.post("/procedures", response={201: ProcedureOut, **WRITE_ERRORS}, summary="Thêm thủ tục")
def create_procedure(request: Any, payload: ProcedureIn) -> tuple[int, Procedure]:
    """The Provincial Office and the administrator add a procedure to the catalog."""
    _require(request, "dossiers.manage_procedures")
    data = ProcedureInput(
        code=payload.code,
        name=payload.name,
        field=payload.field,
        level=payload.level.value,
        processing_days=payload.processing_days,
        is_active=payload.is_active,
    )
    return 201, save_procedure(data, by=request.user)


# -- dossiers -------------------------------------------------------------------------------------------------


def _dossier(request: Any, dossier_id: int) -> Dossier:
    """The dossier if it is in the person's scope: 403 for a citizen, 404 outside the scope (as on the pages)."""
    _require(request, "dossiers.view_dossier_list")
    return get_object_or_404(
        dossiers_visible_to(request.user).select_related("unit", "procedure"), pk=dossier_id
    )


def _detail(request: Any, dossier: Dossier) -> Dossier:
    """The dossier with what the page adds: whether it is at risk, and the moves the person may make now."""
    may_move = request.user.has_perm("dossiers.enter_dossier_for", dossier)
    actions = [
        {"action": action.value, "label": str(action.label), "needs": list(TRANSITIONS[action].needs)}
        for action in (available_actions(dossier.status) if may_move else [])
    ]
    at_risk = deadlines.is_at_risk(
        dossier.status, dossier.due_date, timezone.localdate(), work_calendar(), dossier.received_on
    )
    setattr(dossier, "actions", actions)  # noqa: B010 -- read by the schema, not a model field
    setattr(dossier, "at_risk", at_risk)  # noqa: B010
    return dossier


@router.get("/dossiers", response={200: list[DossierOut], 400: ErrorOut, **ERRORS}, summary="Hồ sơ")
@paginate(PageNumberPagination, page_size=50)
def list_dossiers(request: Any, filters: Query[DossierFilterIn]) -> QuerySet[Dossier]:
    """The dossiers in the person's scope, latest receipt first, filtered as on the list page: `q` finds a code
    or an applicant's name (diacritics ignored); `timeliness` is as of today. A page takes the same two queries
    whatever the number of dossiers."""
    _require(request, "dossiers.view_dossier_list")
    start, end = filters.received_from, filters.received_to
    if start and end and start > end:
        raise RuleViolations([Problem(str(END_BEFORE_START), "received_to")])
    chosen = DossierFilters(
        unit=filters.unit,
        procedure=filters.procedure,
        status=filters.status,
        timeliness=filters.timeliness.value if filters.timeliness else "",
        channel=filters.channel,
        received_from=start,
        received_to=end,
        q=filters.q,
    )
    visible = dossiers_visible_to(request.user).select_related("unit", "procedure")
    return filter_dossiers(visible, chosen, timezone.localdate())


@router.get("/dossiers/{dossier_id}", response={200: DossierDetailOut, **ERRORS}, summary="Một hồ sơ")
def get_dossier(request: Any, dossier_id: int) -> Dossier:
    """The dossier with its `version`, dates, applicant, whether it is at risk, and the moves open to you."""
    return _detail(request, _dossier(request, dossier_id))


@router.post("/dossiers", response={201: DossierDetailOut, **WRITE_ERRORS}, summary="Tiếp nhận hồ sơ")
def enter_dossier(request: Any, payload: CounterEntryIn) -> tuple[int, Dossier]:
    """Enter a received dossier (status 2) for a unit you may enter for; its due date is computed from the
    procedure's processing time. Leave `code` empty to have one generated."""
    _require(request, "dossiers.enter_dossier")
    unit = Unit.objects.filter(pk=payload.unit).first()
    procedure = Procedure.objects.filter(pk=payload.procedure).first()
    problems = []
    if unit is None:
        problems.append(Problem(_("Không có đơn vị này."), "unit"))
    if procedure is None:
        problems.append(Problem(_("Không có thủ tục này trong danh mục."), "procedure"))
    if unit is None or procedure is None:
        raise RuleViolations(problems)
    entry = CounterEntry(
        unit=unit,
        procedure=procedure,
        applicant_name=payload.applicant_name,
        applicant_phone=payload.applicant_phone,
        applicant_kind=payload.applicant_kind.value,
        applicant_email=payload.applicant_email,
        applicant_address=payload.applicant_address,
        channel=payload.channel.value,
        received_at=payload.received_at,
        code=payload.code,
        source=Source.API,
    )
    dossier = receive_at_counter(entry, by=request.user)
    return 201, _detail(request, _dossier(request, dossier.pk))


@router.post(
    "/dossiers/{dossier_id}/transitions",
    response={200: DossierDetailOut, **WRITE_ERRORS},
    summary="Chuyển trạng thái hồ sơ",
)
def move_dossier(request: Any, dossier_id: int, payload: TransitionIn) -> Dossier:
    """Move the dossier: `receive` an online dossier (`at`), `refuse` it (`reason`), `start`,
    `request_supplement` (`on`, `reason`; once), `supplement_received` (`on`: the due date moves by the paused
    working days), `request_fees`, `fees_paid`, `finish` (`on`), `return_result` (`on`), `withdraw` (`on`),
    `stop` (`on`, `reason`). A move the status does not allow, or an old `version`, is a 409."""
    dossier = _dossier(request, dossier_id)
    if not request.user.has_perm("dossiers.enter_dossier_for", dossier):
        raise PermissionDenied
    move = Move(on=payload.on, at=payload.at, reason=payload.reason)
    transition(dossier.pk, payload.action, move, by=request.user, expected_version=payload.version)
    return _detail(request, _dossier(request, dossier.pk))
