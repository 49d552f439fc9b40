"""The JSON API v1: one router per app, the same domain functions and permission rules as the pages.

Authentication: the browser session (with its CSRF token) or a personal token, `Authorization: Bearer tt_…`.
Errors are JSON: {"detail": "...", "errors": {"field": ["..."]}}, with 400 (bad input), 403 (not allowed),
404 (not found or outside your scope), 409 (wrong state or a stale version) and 422 (wrong shape or type).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from trongtam.core.errors import DomainError, RuleViolations
from trongtam.core.models import ApiToken
from trongtam.core.views import hash_token


class PersonalToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_token(token), revoked_at=None, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


api = NinjaAPI(
    title="Trọng Tâm API",
    version="1",
    description=__doc__ or "",
    auth=[PersonalToken(), django_auth],
    urls_namespace="api-v1",
)


@api.exception_handler(RuleViolations)
def rule_violations(request: HttpRequest, exc: RuleViolations) -> HttpResponse:
    return api.create_response(request, {"detail": exc.user_message, "errors": exc.by_field()}, status=400)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.user_message}, status=exc.status_code)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": "Bạn không có quyền thực hiện thao tác này."}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Không tìm thấy, hoặc bản ghi nằm ngoài phạm vi của bạn."}, status=404
    )


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Cần đăng nhập hoặc gửi mã truy cập (Authorization: Bearer …)."}, status=401
    )


@api.exception_handler(NinjaValidationError)
def invalid_shape(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload", "query", "path")]
        errors.setdefault(".".join(loc) or "__all__", []).append(str(error.get("msg", "")))
    fields = ", ".join(errors)
    return api.create_response(
        request, {"detail": f"Dữ liệu không hợp lệ ở trường: {fields}.", "errors": errors}, status=422
    )


def _mount_routers() -> None:
    from trongtam.cycles.api import router as cycles_router
    from trongtam.keytasks.api import router as keytasks_router
    from trongtam.org.api import router as org_router

    api.add_router("/", org_router)
    api.add_router("/", cycles_router)
    api.add_router("/", keytasks_router)


_mount_routers()
