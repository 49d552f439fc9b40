"""Imports through the API: upload a file of dossiers (or the procedure catalog) and follow the job.

`POST /dossier-imports` takes multipart/form-data -- `file`, and optionally `kind` ("dossiers", the default, or
"procedures"), `unit` (the code of the unit for rows without `MaDonVi`) and `mapping` (a JSON object, our field
-> the file's header, e.g. `{"code": "SoHoSo"}`) -- and answers 201 with the queued job; the worker checks and
writes it. `GET /dossier-imports/{id}` gives its status, progress (`phase`: queued, checking, writing, done,
failed; `rows_done` of `rows_total`), counts, and the problems by row and column when nothing was written.

The same rules as the pages, through the same domain functions: `dossiers.import_dossiers` (or
`dossiers.manage_procedures` for the catalog), else 403; a job started by someone else is a 404.
"""

# No `from __future__ import annotations`: ninja reads the paginated views' annotations at import time.

import datetime as dt
import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from trongtam.core.errors import Problem, RuleViolations
from trongtam.dossiers.domain import importing
from trongtam.dossiers.enums import ImportKind, ImportStatus
from trongtam.dossiers.models import ImportJob
from trongtam.org.interfaces.schemas import ERRORS, WRITE_ERRORS, choice_label
from trongtam.org.models import Unit

router = Router(tags=["dossiers"])


class ImportErrorOut(Schema):
    row: int | None
    column: str
    message: str


class ImportJobOut(Schema):
    id: int
    kind: str
    kind_label: str
    file_name: str
    file_format: str
    unit_code: str | None
    mapping: dict[str, str]
    status: str
    status_label: str
    phase: str
    rows_total: int
    rows_done: int
    created_count: int
    updated_count: int
    unchanged_count: int
    error_total: int
    created_at: dt.datetime
    finished_at: dt.datetime | None

    @staticmethod
    def resolve_kind_label(job: ImportJob) -> str:
        return choice_label(ImportKind, job.kind)

    @staticmethod
    def resolve_file_name(job: ImportJob) -> str:
        return job.original_name

    @staticmethod
    def resolve_unit_code(job: ImportJob) -> str | None:
        return job.unit.code if job.unit else None

    @staticmethod
    def resolve_mapping(job: ImportJob) -> dict[str, str]:
        return dict(job.mapping or {})

    @staticmethod
    def resolve_status_label(job: ImportJob) -> str:
        return choice_label(ImportStatus, job.status)

    @staticmethod
    def resolve_phase(job: ImportJob) -> str:
        """queued, checking (rows_done of rows_total), writing (every row checked), done or failed."""
        if job.status == ImportStatus.RUNNING:
            return "writing" if job.rows_total and job.rows_done >= job.rows_total else "checking"
        return str(job.status)

    @staticmethod
    def resolve_error_total(job: ImportJob) -> int:
        return importing.error_total(job)


class ImportJobDetailOut(ImportJobOut):
    errors: list[ImportErrorOut]

    @staticmethod
    def resolve_errors(job: ImportJob) -> list[dict[str, Any]]:
        return importing.shown_errors(job)


def _need_import(request: Any) -> None:
    if not importing.may_import(request.user):
        raise PermissionDenied


def _mapping(raw: str) -> dict[str, str]:
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = None
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise RuleViolations(
            [Problem(_('Ánh xạ cột phải là một đối tượng JSON {"trường": "tên cột"}.'), "mapping")]
        )
    return value


@router.post("/dossier-imports", response={201: ImportJobDetailOut, **WRITE_ERRORS}, summary="Nhập tệp hồ sơ")
def create_import(
    request: Any,
    file: File[UploadedFile],
    kind: Form[ImportKind] = ImportKind.DOSSIERS,
    unit: Form[str] = "",
    mapping: Form[str] = "",
) -> tuple[int, ImportJob]:
    """Queue a file for import: CSV (UTF-8), Excel .xlsx or JSON (an array, or JSON Lines). The answer is the
    job; follow it with `GET /dossier-imports/{id}`. A file refused on sight (empty, too large, not one of these
    types) is a 400 on `file`; nothing is queued."""
    _need_import(request)
    chosen = None
    if unit.strip():
        chosen = Unit.objects.filter(code=unit.strip()).first()
        if chosen is None:
            raise RuleViolations(
                [Problem(_("Không có đơn vị mã «%(code)s».") % {"code": unit.strip()}, "unit")]
            )
    job = importing.start_import(
        kind=kind, upload=file, by=request.user, unit=chosen, mapping=_mapping(mapping)
    )
    return 201, ImportJob.objects.select_related("unit").get(pk=job.pk)


@router.get("/dossier-imports", response={200: list[ImportJobOut], **ERRORS}, summary="Các lần nhập tệp")
@paginate(PageNumberPagination, page_size=50)
def list_imports(request: Any) -> QuerySet[ImportJob]:
    """The person's imports (every import for the administrator), newest first."""
    _need_import(request)
    return importing.jobs_visible_to(request.user).select_related("unit")


@router.get(
    "/dossier-imports/{job_id}", response={200: ImportJobDetailOut, **ERRORS}, summary="Một lần nhập tệp"
)
def get_import(request: Any, job_id: int) -> ImportJob:
    """Status, progress, counts, and the problems by row and column (the first 200; `error_total` counts all)."""
    _need_import(request)
    return get_object_or_404(importing.jobs_visible_to(request.user).select_related("unit"), pk=job_id)
