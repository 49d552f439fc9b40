"""The public pages of feedback (no log-in, no personal data): send a report, follow it by its tracking code, read
the published answers; a logged-in citizen also sees the list of their own reports.

Each write and each lookup by code is throttled per client address (django-ratelimit over the shared cache): the
refusal is a 429 page that says when to try again.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited  # type: ignore[import-untyped]

from trongtam.core.errors import RuleViolations, TransitionNotAllowed
from trongtam.core.views import paginate
from trongtam.feedback.domain import cases
from trongtam.feedback.domain.public import public_case
from trongtam.feedback.domain.queries import published_answers
from trongtam.feedback.interfaces.forms import SubmitForm, TrackForm, VerdictForm
from trongtam.feedback.models import Feedback
from trongtam.org.enums import Role
from trongtam.org.models import Unit

SESSION_KEY = "feedback_submitted_code"


def rate(name: str) -> str:
    """Per client address: 5 reports an hour, 30 lookups and 10 verdicts (settings may change them)."""
    defaults = {"submit": "5/h", "track": "30/h", "verdict": "10/h"}
    return str(getattr(settings, "FEEDBACK_RATES", {}).get(name, defaults[name]))


def _limited(request: HttpRequest, name: str) -> bool:
    return bool(is_ratelimited(request, group=f"feedback-{name}", key="ip", rate=rate(name), increment=True))


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/public/too_many.html", status=429)


def _is_citizen(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(user.is_authenticated and user.role == Role.CITIZEN)


def submit(request: HttpRequest) -> HttpResponse:
    form = SubmitForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST":
        if _limited(request, "submit"):
            return _too_many(request)
        if form.is_valid():
            try:
                case = cases.submit(
                    form.submission(), reporter=request.user if _is_citizen(request) else None
                )
            except RuleViolations as exc:
                for problem in exc.problems:
                    if problem.field in form.fields:
                        form.add_error(problem.field, problem.message)
                    else:
                        errors.append(problem.message)
            else:
                # The code is shown once, on the next page: kept in the session until then, never in a URL.
                request.session[SESSION_KEY] = case.tracking_code
                return redirect("feedback-public:submitted")
    return render(request, "feedback/public/submit.html", {"form": form, "errors": errors})


def submitted(request: HttpRequest) -> HttpResponse:
    code = request.session.pop(SESSION_KEY, None)
    if not code:
        return redirect("feedback-public:track")
    status_url = reverse("feedback-public:track") + "?" + urlencode({"ma": code})
    return render(request, "feedback/public/submitted.html", {"code": code, "status_url": status_url})


def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.GET or None)
    found = None
    not_found = False
    if form.is_bound and form.is_valid():
        if _limited(request, "track"):
            return _too_many(request)
        case = cases.by_code(form.cleaned_data["ma"])
        found = public_case(case) if case else None
        not_found = case is None
    verdict = VerdictForm(initial={"ma": found.tracking_code}) if found and found.may_give_verdict else None
    return render(
        request,
        "feedback/public/track.html",
        {"form": form, "case": found, "not_found": not_found, "verdict": verdict, "verdict_errors": []},
    )


def verdict(request: HttpRequest) -> HttpResponse:
    """The reporter's word on the answer: solved (recorded), or not (the case goes back to handling)."""
    if request.method != "POST":
        return redirect("feedback-public:track")
    if _limited(request, "verdict"):
        return _too_many(request)
    form = VerdictForm(request.POST)
    code = request.POST.get("ma", "")
    back = reverse("feedback-public:track") + "?" + urlencode({"ma": code})
    errors: list[str] = []
    status = 200
    if form.is_valid():
        try:
            if form.cleaned_data["solved"] == "yes":
                cases.confirm_solved(code)
                message = _("Cảm ơn bạn đã xác nhận vấn đề đã được giải quyết.")
            else:
                cases.reopen(code, reason=form.cleaned_data["reason"])
                message = _("Đã chuyển lại phản ánh cho đơn vị để xử lý tiếp.")
        except PermissionDenied:
            errors.append(_("Không tìm thấy phản ánh với mã theo dõi này."))
            status = 404
        except TransitionNotAllowed as exc:
            errors.append(exc.user_message)
            status = 409
        except RuleViolations as exc:
            for problem in exc.problems:
                form.add_error("reason" if problem.field == "reason" else None, problem.message)
        else:
            messages.success(request, message)
            return redirect(back)
    case = cases.by_code(code)
    found = public_case(case) if case else None
    return render(
        request,
        "feedback/public/track.html",
        {
            "form": TrackForm(initial={"ma": code}),
            "case": found,
            "not_found": case is None,
            "verdict": form if found and found.may_give_verdict else None,
            "verdict_errors": errors,
        },
        status=status,
    )


def answered(request: HttpRequest) -> HttpResponse:
    wanted = request.GET.get("don_vi", "").strip()  # the unit's id (the page's filter) or its code (links)
    chosen = (
        Unit.objects.filter(pk=int(wanted)) if wanted.isdigit() else Unit.objects.filter(code=wanted)
    ).first()
    page_obj = paginate(request, published_answers(chosen.pk if chosen else None))
    units = Unit.objects.filter(feedback__is_published=True).distinct().order_by("name").only("pk", "name")
    return render(
        request,
        "feedback/public/answered.html",
        {
            "page_obj": page_obj,
            "answers": [public_case(case) for case in page_obj.object_list],
            "units": units,
            "chosen": chosen,
        },
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """A citizen's own reports (sent while logged in, not anonymously)."""
    if not _is_citizen(request):
        raise PermissionDenied
    own = (
        Feedback.objects.filter(reporter_id=request.user.pk)
        .select_related("unit")
        .order_by("-received_at", "-pk")
    )
    page_obj = paginate(request, own)
    return render(
        request,
        "feedback/public/mine.html",
        {"page_obj": page_obj, "rows": [public_case(case) for case in page_obj.object_list]},
    )
