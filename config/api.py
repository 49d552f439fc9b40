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
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
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
            # A token was sent and is unknown or revoked: 401 at once, rather than falling through to the session
            # check, which would answer a write without a CSRF token with a misleading 403.
            raise AuthenticationError
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
    return api.create_response(
        request, {"detail": _("Bạn không có quyền thực hiện thao tác này.")}, status=403
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("Không tìm thấy, hoặc bản ghi nằm ngoài phạm vi của bạn.")}, status=404
    )


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": _("Cần đăng nhập hoặc gửi mã truy cập còn hiệu lực (Authorization: Bearer …).")},
        status=401,
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = str(exc)
    if exc.status_code == 400 and detail.startswith("Cannot parse request body"):
        detail = _("Không đọc được nội dung gửi lên: cần JSON hợp lệ (Content-Type: application/json).")
    elif exc.status_code == 429:
        detail = _("Quá nhiều yêu cầu từ địa chỉ của bạn; vui lòng thử lại sau ít phút.")
    elif exc.status_code == 403 and "CSRF" in detail:
        detail = _(
            "Thiếu mã chống giả mạo (CSRF). Khi dùng phiên đăng nhập của trình duyệt, hãy gửi tiêu đề X-CSRFToken; "
            "hoặc dùng mã truy cập cá nhân (Authorization: Bearer …)."
        )
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


def _vietnamese(error: dict[str, Any]) -> str:
    """Pydantic's message for one input error, in Vietnamese for the common kinds; its own text otherwise."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("Thiếu trường bắt buộc này.")
    if kind.startswith("int_"):
        return _("Phải là một số nguyên.")
    if kind.startswith(("decimal_", "float_")):
        return _("Phải là một số (dấu chấm ngăn phần thập phân, ví dụ 98.5).")
    if kind.startswith("date_") or kind.startswith("datetime_"):
        return _("Ngày không hợp lệ; dùng dạng YYYY-MM-DD, ví dụ 2026-12-31.")
    if kind.startswith("bool_"):
        return _("Phải là true hoặc false.")
    if kind == "string_type":
        return _("Phải là một chuỗi ký tự.")
    if kind == "list_type":
        return _("Phải là một danh sách.")
    if kind in ("enum", "literal_error"):
        expected = str(ctx.get("expected", "")).replace(" or ", ", ")
        return _("Giá trị không hợp lệ; chọn một trong: %(expected)s.") % {"expected": expected}
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("Phải là một đối tượng JSON.")
    if kind == "json_invalid":
        return _("Nội dung gửi lên không phải JSON hợp lệ.")
    if kind == "greater_than_equal":
        return _("Phải lớn hơn hoặc bằng %(ge)s.") % {"ge": ctx.get("ge")}
    return str(error.get("msg", ""))


@api.exception_handler(NinjaValidationError)
def invalid_shape(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload", "query", "path")]
        errors.setdefault(".".join(loc) or "__all__", []).append(_vietnamese(error))
    fields = ", ".join(errors)
    return api.create_response(
        request,
        {"detail": _("Dữ liệu không hợp lệ ở trường: %(fields)s.") % {"fields": fields}, "errors": errors},
        status=422,
    )


def _mount_routers() -> None:
    from trongtam.assessment.api import router as assessment_router
    from trongtam.cycles.api import router as cycles_router
    from trongtam.directives.api import router as directives_router
    from trongtam.dossiers.api import router as dossiers_router
    from trongtam.feedback.api import router as feedback_router
    from trongtam.followup.api import router as followup_router
    from trongtam.inspections.api import router as inspections_router
    from trongtam.keytasks.api import router as keytasks_router
    from trongtam.org.api import router as org_router
    from trongtam.public.api import router as public_router
    from trongtam.rankings.api import router as rankings_router
    from trongtam.supervision.api import router as supervision_router

    api.add_router("/", org_router)
    api.add_router("/", cycles_router)
    api.add_router("/", keytasks_router)
    api.add_router("/", directives_router)
    api.add_router("/", followup_router)
    api.add_router("/", assessment_router)
    api.add_router("/", rankings_router)
    api.add_router("/", dossiers_router)
    api.add_router("/", feedback_router)
    api.add_router("/", inspections_router)
    api.add_router("/", supervision_router)
    api.add_router("/public", public_router)


_mount_routers()
