"""Core pages: home, health check, notifications, personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from trongtam.core import audit
from trongtam.core.interfaces.forms import ApiTokenForm
from trongtam.core.models import ApiToken, AuditAction, Notification
from trongtam.core.types import AuthedRequest

PAGE_SIZE = 25


def paginate(request: HttpRequest, queryset: QuerySet[Any], per_page: int = PAGE_SIZE) -> Page[Any]:
    """The requested page of `queryset`, sliced in the database; a bad page number gives the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with {"status": "ok", "database": "ok"} when the database answers; 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return JsonResponse(
            {"status": "error", "database": "error", "detail": type(exc).__name__}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    from trongtam.cycles.models import Period
    from trongtam.keytasks.domain.queries import registrations_visible_to, review_queue_for
    from trongtam.keytasks.enums import RegistrationStatus

    user = request.user
    period = Period.objects.order_by("-year").first()
    visible = registrations_visible_to(user)
    if period is not None:
        visible = visible.filter(period=period)
    by_status = dict(visible.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    status_counts = [(value, label, by_status.get(value, 0)) for value, label in RegistrationStatus.choices]
    queue = review_queue_for(user)[:10] if user.has_perm("keytasks.view_review_queue") else []
    own = None
    if user.has_perm("keytasks.start_registration") and period is not None and user.unit_id is not None:
        own = visible.filter(unit_id=user.unit_id).first()
    return render(
        request,
        "core/home.html",
        {
            "period": period,
            "status_counts": status_counts,
            "queue": queue,
            "own_registration": own,
            "total_visible": sum(by_status.values()),
        },
    )


@login_required
def notifications(request: AuthedRequest) -> HttpResponse:
    page = paginate(request, Notification.objects.filter(recipient=request.user))
    return render(request, "core/notifications.html", {"page_obj": page, "notifications": page.object_list})


@login_required
@require_POST
def notification_open(request: AuthedRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    Notification.objects.filter(pk=notification.pk, read_at=None).update(read_at=timezone.now())
    return redirect(notification.url or "core:notifications")


@login_required
@require_POST
def notifications_mark_all_read(request: AuthedRequest) -> HttpResponse:
    count = Notification.objects.filter(recipient=request.user, read_at=None).update(read_at=timezone.now())
    messages.success(request, _("Đã đánh dấu %(count)s thông báo là đã đọc.") % {"count": count})
    return redirect("core:notifications")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@login_required
@permission_required("core.use_api_tokens", raise_exception=True)
def api_tokens(request: AuthedRequest) -> HttpResponse:
    """List the person's tokens; make a new one (shown once); revoke one."""
    new_token = ""
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        new_token = "tt_" + secrets.token_urlsafe(32)
        with transaction.atomic():
            token = ApiToken.objects.create(
                user=request.user,
                name=form.cleaned_data["name"],
                prefix=new_token[:10],
                key_hash=hash_token(new_token),
            )
            audit.record(
                actor=request.user,
                action=AuditAction.CREATE,
                instance=token,
                changes={"name": [None, token.name], "prefix": [None, token.prefix]},
                root=request.user,
            )
        form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user, revoked_at=None)
    return render(request, "core/api_tokens.html", {"form": form, "tokens": tokens, "new_token": new_token})


@login_required
@require_POST
def api_token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    with transaction.atomic():
        token = get_object_or_404(
            ApiToken.objects.select_for_update(), pk=pk, user=request.user, revoked_at=None
        )
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=request.user,
            action=AuditAction.UPDATE,
            instance=token,
            changes={"revoked_at": [None, audit.jsonable(token.revoked_at)]},
            root=request.user,
        )
    messages.success(request, _("Đã thu hồi mã «%(name)s».") % {"name": token.name})
    return redirect("core:api-tokens")
