"""The import pages: past imports, the upload form, and one import's progress and result.

The upload stores the file as a queued `ImportJob` and the worker imports it (`jobs.py`); the job's page polls
its progress with htmx -- rows checked out of the total, then "writing" -- and shows the counts, or every problem
by row and column with nothing written. Who may: `dossiers.import_dossiers` (or `dossiers.manage_procedures` for
the catalog) for the pages, `units_entering_for` for each row's unit; a job is seen by the person who started it
(and the administrator), anyone else gets a 404.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from trongtam.core.errors import RuleViolations
from trongtam.core.types import AuthedRequest
from trongtam.core.views import paginate
from trongtam.dossiers.domain import importing
from trongtam.dossiers.domain.import_columns import DOSSIER_COLUMNS, PROCEDURE_COLUMNS
from trongtam.dossiers.domain.import_readers import JSON_ARRAY_MAX_BYTES, size_text
from trongtam.dossiers.enums import ImportKind, ImportStatus
from trongtam.dossiers.interfaces.import_forms import ImportForm
from trongtam.dossiers.models import ImportJob

SAMPLES_DIR = Path(__file__).resolve().parent / "samples"
SAMPLES = {"ho-so-hom-qua.csv": ImportKind.DOSSIERS, "danh-muc-thu-tuc.csv": ImportKind.PROCEDURES}


def _need_import(request: AuthedRequest) -> None:
    if not importing.may_import(request.user):
        raise PermissionDenied


def _job(request: AuthedRequest, pk: int) -> ImportJob:
    return get_object_or_404(
        importing.jobs_visible_to(request.user).select_related("created_by", "unit"), pk=pk
    )


@login_required
def import_list(request: AuthedRequest) -> HttpResponse:
    """The person's past imports, newest first, paginated in the database."""
    _need_import(request)
    jobs = importing.jobs_visible_to(request.user).select_related("created_by", "unit").defer("errors")
    page_obj = paginate(request, jobs)
    return render(request, "dossiers/import_list.html", {"page_obj": page_obj, "jobs": page_obj.object_list})


@login_required
def import_new(request: AuthedRequest) -> HttpResponse:
    """Upload a file: stored as a queued import, then the import's page follows the worker."""
    _need_import(request)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = importing.start_import(
                kind=ImportKind(data["kind"]),
                upload=data["file"],
                unit=data.get("unit"),
                mapping=form.mapping(),
                by=request.user,
            )
        except RuleViolations as exc:
            for problem in exc.problems:
                form.add_error(problem.field if problem.field in ("file", "unit") else None, problem.message)
        else:
            messages.success(
                request,
                _("Đã nhận tệp «%(name)s»; hệ thống đang kiểm tra từng dòng.") % {"name": job.original_name},
            )
            return redirect("dossiers:import-detail", pk=job.pk)
    context = {
        "form": form,
        "max_size": size_text(importing.max_import_bytes()),
        "json_max_size": size_text(JSON_ARRAY_MAX_BYTES),
        "dossier_columns": DOSSIER_COLUMNS,
        "procedure_columns": PROCEDURE_COLUMNS,
        "samples": [name for name, kind in SAMPLES.items() if kind in importing.kinds_for(request.user)],
    }
    return render(request, "dossiers/import_new.html", context)


def _detail_context(job: ImportJob) -> dict[str, object]:
    columns = PROCEDURE_COLUMNS if job.kind == ImportKind.PROCEDURES else DOSSIER_COLUMNS
    labels = {c.field: str(c.label) for c in columns}
    running = job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)
    return {
        "job": job,
        "running": running,
        "writing": job.status == ImportStatus.RUNNING
        and job.rows_total > 0
        and job.rows_done >= job.rows_total,
        "errors": importing.shown_errors(job),
        "error_total": importing.error_total(job),
        "mapping": [(header, labels.get(field, field)) for field, header in (job.mapping or {}).items()],
    }


@login_required
def import_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    _need_import(request)
    return render(request, "dossiers/import_detail.html", _detail_context(_job(request, pk)))


@login_required
def import_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    """The progress panel, polled while the import runs; once it has ended, htmx reloads the whole page."""
    _need_import(request)
    job = _job(request, pk)
    if job.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "dossiers/import_detail.html#progress", _detail_context(job))


@login_required
def import_sample(request: AuthedRequest, name: str) -> FileResponse:
    """A sample file of the demo: yesterday's dossiers of a commune, or the procedure catalog."""
    kind = SAMPLES.get(name)
    if kind is None:
        raise Http404
    if kind not in importing.kinds_for(request.user):
        raise PermissionDenied
    return FileResponse(
        (SAMPLES_DIR / name).open("rb"),
        as_attachment=True,
        filename=name,
        content_type="text/csv; charset=utf-8",
    )
