"""The public site's pages: no log-in, no personal data.

- Home: what a citizen or a business can do here.
- Lookup: a dossier code plus the last four digits of the phone number. A wrong code and a wrong phone get the
  same page, the same status and the same words (`domain/lookup.py` also makes them take the same time); attempts
  are throttled per client address (django-ratelimit, `PUBLIC_LOOKUP_RATE`), and the page past the allowance is a
  Vietnamese 429. On success the session remembers the dossier (`interfaces/grants.py`) and the visitor goes to
  the dossier page.
- Dossier: what the public may see of a dossier the session found, with the apology letter and the rating form.
- Scoreboard: every active unit's figures for a period, ranked with a minimum volume, with charts, a table and
  its export.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit  # type: ignore[import-untyped]

from trongtam.core.errors import RuleViolations, TransitionNotAllowed
from trongtam.dossiers.models import Dossier
from trongtam.public.domain import scoreboard
from trongtam.public.domain.lookup import find_dossier, granted_dossier, not_found_message, public_view
from trongtam.public.domain.rating import rate_dossier
from trongtam.public.interfaces import exporters, grants
from trongtam.public.interfaces.forms import LookupForm, PeriodForm, RatingForm
from trongtam.public.interfaces.throttling import LOOKUP_GROUP, lookup_rate

PER_PAGE = 50
CODE_PARAM = "ma"


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home.html", {"minimum": scoreboard.minimum_dossiers()})


def throttled(request: HttpRequest) -> HttpResponse:
    return render(request, "public/throttled.html", status=429)


@require_http_methods(["GET", "POST"])
@ratelimit(group=LOOKUP_GROUP, key="ip", rate=lookup_rate, method="POST", block=False)
def lookup(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "public/lookup.html", {"form": LookupForm()})
    if getattr(request, "limited", False):
        return throttled(request)
    form = LookupForm(request.POST)
    if form.is_valid():
        dossier = find_dossier(form.cleaned_data["code"], form.cleaned_data["phone_last4"])
        if dossier is not None:
            grants.remember(request.session, dossier.pk, dossier.code, timezone.now())
            return _to_dossier(dossier.code)
        form.add_error(None, not_found_message())
    return render(request, "public/lookup.html", {"form": form})


def _to_dossier(code: str) -> HttpResponseRedirect:
    return redirect(f"{reverse('public:dossier')}?{urlencode({CODE_PARAM: code})}")


def _granted(request: HttpRequest, code: str) -> Dossier | None:
    """The dossier the session found by `code` (the latest found when no code is given), while the grant lasts."""
    grant = grants.granted(request.session, timezone.now(), code)
    return granted_dossier(grant.pk) if grant is not None else None


def _ask_lookup(request: HttpRequest) -> HttpResponse:
    messages.info(request, _("Hãy nhập mã hồ sơ và 4 chữ số cuối số điện thoại để xem hồ sơ."))
    return redirect("public:lookup")


def _dossier_page(
    request: HttpRequest, dossier: Dossier, form: RatingForm | None = None, status: int = 200
) -> HttpResponse:
    view = public_view(dossier, timezone.localdate())
    if form is None and view.can_rate:
        form = RatingForm(initial={"code": view.code})
    return render(request, "public/dossier.html", {"view": view, "form": form}, status=status)


@require_GET
def dossier(request: HttpRequest) -> HttpResponse:
    found = _granted(request, request.GET.get(CODE_PARAM, ""))
    return _dossier_page(request, found) if found is not None else _ask_lookup(request)


@require_POST
def rate(request: HttpRequest) -> HttpResponse:
    """The rating of a dossier the session found: once, when the dossier is done or returned."""
    form = RatingForm(request.POST)
    code = request.POST.get("code", "")
    found = _granted(request, code) if code else None
    if found is None:
        return _ask_lookup(request)
    if not form.is_valid():
        return _dossier_page(request, found, form, status=400)
    try:
        rate_dossier(found.pk, form.cleaned_data["satisfaction"], form.cleaned_data["comment"])
    except TransitionNotAllowed as exc:
        messages.warning(request, exc.user_message)
        return _dossier_page(request, found, status=409)
    except RuleViolations as exc:
        for problem in exc.problems:
            form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        return _dossier_page(request, found, form, status=400)
    messages.success(request, _("Cảm ơn bạn đã đánh giá. Ý kiến của bạn giúp cơ quan phục vụ tốt hơn."))
    return _to_dossier(found.code)


def _board(request: HttpRequest) -> tuple[scoreboard.Scoreboard, Any]:
    today = timezone.localdate()
    period = scoreboard.window(request.GET.get("nam"), request.GET.get("ky"), today)
    return scoreboard.build(period, today), today


def _page_url(request: HttpRequest, param: str, number: int) -> str:
    query = request.GET.copy()
    query[param] = str(number)
    return "?" + query.urlencode()


def scoreboard_rate(group: str, request: HttpRequest) -> str:
    """How often one address may ask for the scoreboard (page and export together): each request runs the
    province-wide aggregate, so an anonymous caller must not be able to keep the database busy."""
    return str(getattr(settings, "PUBLIC_SCOREBOARD_RATE", "30/m"))


@require_GET
@ratelimit(group="public-scoreboard", key="ip", rate=scoreboard_rate, method="GET", block=False)
def scoreboard_page(request: HttpRequest) -> HttpResponse:
    if getattr(request, "limited", False):
        return throttled(request)
    board, today = _board(request)
    groups = []
    chart: dict[str, Any] = {"groups": [], "name": _("Tỷ lệ giải quyết đúng hạn (%)")}
    for group in board.groups:
        param = f"trang_{group.key}"
        page = Paginator(group.rows, PER_PAGE).get_page(request.GET.get(param))
        groups.append(
            {
                "group": group,
                "page": page,
                "previous_url": _page_url(request, param, page.previous_page_number())
                if page.has_previous()
                else "",
                "next_url": _page_url(request, param, page.next_page_number()) if page.has_next() else "",
            }
        )
        ranked = [row for row in page.object_list if row.rank is not None]
        chart["groups"].append(
            {
                "key": group.key,
                "labels": [f"{row.rank}. {row.name}" for row in ranked],
                "data": [float(row.on_time_rate or 0) for row in ranked],
            }
        )
    form = PeriodForm(initial={"nam": board.window.year, "ky": board.window.part}, today=today)
    query = urlencode({"nam": board.window.year, "ky": board.window.part})
    return render(
        request,
        "public/scoreboard.html",
        {"board": board, "groups": groups, "chart": chart, "form": form, "export_query": query},
    )


@require_GET
@ratelimit(group="public-scoreboard", key="ip", rate=scoreboard_rate, method="GET", block=False)
def scoreboard_export(request: HttpRequest) -> HttpResponse:
    if getattr(request, "limited", False):
        return throttled(request)
    board, _today = _board(request)
    export = (
        exporters.export_xlsx(board)
        if request.GET.get("dinh_dang") == "xlsx"
        else exporters.export_csv(board)
    )
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
