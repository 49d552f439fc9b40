"""Downloads of an assessment round: the classification to Excel and to Word (Decree 30/2020), a sheet to PDF.

Permissions are checked on the server: the classification by `assessment.export_classification` on the round
(Home Affairs and the Chairman, who preview it, at any time; after sign-off also the other province-wide roles
and the council), a sheet by `assessment.view_sheet` (a sheet outside the person's scope is a 404, as on its
page). The files are built by `interfaces.exporters` from the same classification the pages show.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from trongtam.assessment.interfaces import exporters
from trongtam.assessment.models import Round, ScoreSheet
from trongtam.core.types import AuthedRequest


def download(export: exporters.ExportFile) -> HttpResponse:
    """The file as an attachment: an ASCII name for every browser, and the Vietnamese name (RFC 6266
    `filename*`, UTF-8) for those that read it."""
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{export.filename}\"; filename*=UTF-8''{quote(export.display_name, safe='')}"
    )
    response["Cache-Control"] = "private, no-store"  # names and ratings of people
    return response


def _table(request: AuthedRequest, pk: int) -> exporters.ClassificationTable:
    rnd = get_object_or_404(Round.objects.select_related("period", "rubric", "signed_by"), pk=pk)
    if not request.user.has_perm("assessment.export_classification", rnd):
        raise PermissionDenied
    return exporters.classification_table(rnd)


@login_required
def round_export_xlsx(request: AuthedRequest, pk: int) -> HttpResponse:
    """The classification as a workbook: the preview before sign-off ("Dự kiến"), the result after it."""
    return download(exporters.export_xlsx(_table(request, pk)))


@login_required
def round_export_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    """The classification as the province's report in the format of Decree 30/2020, dated today."""
    return download(exporters.export_docx(_table(request, pk), today=timezone.localdate()))


@login_required
def sheet_export_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    """A head's score sheet on A4: the breakdown, the history of changes, the levels and the signature blocks."""
    sheet = get_object_or_404(
        ScoreSheet.objects.select_related("round__rubric", "round__period", "unit", "person"), pk=pk
    )
    if not request.user.has_perm("assessment.view_sheet", sheet):
        raise Http404
    return download(exporters.export_sheet_pdf(sheet, today=timezone.localdate()))
