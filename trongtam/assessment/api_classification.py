"""A round's classification settings and the exceptions to the quota in the API (issue #4, item 3): what Home
Affairs sets on the preview page, through `domain/round_settings.py`, with the same permissions and messages.

Reading them: whoever may preview the round (Home Affairs, the Chairman). Changing them: Home Affairs, before
sign-off. Every write sends the round's `version` as last read: 409 when someone changed the round since or it is
signed; 400 by field on bad input, and nothing is written.
"""

# No `from __future__ import annotations`: ninja reads the annotations at import time.

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from trongtam.assessment.domain import round_settings
from trongtam.assessment.models import Round
from trongtam.core.numbers import plain_number
from trongtam.org.interfaces.schemas import ERRORS, WRITE_ERRORS, PersonRef

router = Router(tags=["assessment"])
VERSION_HELP = "Phiên bản đợt đánh giá bạn đọc lần cuối (`version`); đợt đã đổi sau đó cho lỗi 409."


class OptionalRuleOut(Schema):
    code: str
    explanation: str
    applies: bool


class ExceptionOut(Schema):
    id: int
    person: PersonRef
    reason: str
    basis: str
    recorded_by: PersonRef
    recorded_at: datetime


class ClassificationSettingsOut(Schema):
    round_id: int
    version: int
    excellent: str
    good: str
    completed: str
    quota_share_percent: str
    quota_rounding: str
    optional_rules: list[OptionalRuleOut]
    exceptions: list[ExceptionOut]


class ClassificationSettingsIn(Schema):
    version: int = Field(description=VERSION_HELP)
    excellent: str = Field(description='Ngưỡng hoàn thành xuất sắc (điểm), ví dụ "90".')
    good: str = Field(description="Ngưỡng hoàn thành tốt (điểm).")
    completed: str = Field(description="Ngưỡng hoàn thành (điểm).")
    quota_share_percent: str = Field(
        description="Tỷ lệ hoàn thành xuất sắc tối đa, phần trăm số người hoàn thành tốt."
    )
    quota_rounding: str = Field(description="floor | half_up | ceiling")
    rules_off: list[str] = Field(default_factory=list, description="Mã các quy tắc mặc định không áp dụng.")


class ExceptionIn(Schema):
    version: int = Field(description=VERSION_HELP)
    person_id: int
    reason: str = ""
    basis: str = ""


def _out(rnd: Round) -> dict[str, Any]:
    current = round_settings.settings_of(rnd)
    enabled = {rule.code for rule in current.hard_rules}
    return {
        "round_id": rnd.pk,
        "version": rnd.version,
        "excellent": plain_number(current.thresholds.excellent),
        "good": plain_number(current.thresholds.good),
        "completed": plain_number(current.thresholds.completed),
        "quota_share_percent": plain_number(current.quota_share * 100),
        "quota_rounding": str(current.quota_rounding),
        "optional_rules": [
            {"code": rule.code, "explanation": rule.explanation, "applies": rule.code in enabled}
            for rule in round_settings.optional_rules()
        ],
        "exceptions": list(rnd.quota_exceptions.select_related("person", "recorded_by")),
    }


def _previewed(request: Any, round_id: int) -> Round:
    if not request.user.has_perm("assessment.preview_round"):
        raise PermissionDenied
    return get_object_or_404(Round, pk=round_id)


@router.get(
    "/rounds/{round_id}/classification-settings",
    response={200: ClassificationSettingsOut, **ERRORS},
    summary="Thiết lập xếp loại của đợt",
)
def get_settings(request: Any, round_id: int) -> dict[str, Any]:
    """The thresholds, quota and optional rules in force for the round, and its exceptions to the quota."""
    return _out(_previewed(request, round_id))


@router.put(
    "/rounds/{round_id}/classification-settings",
    response={200: ClassificationSettingsOut, **WRITE_ERRORS},
    summary="Điều chỉnh thiết lập xếp loại",
)
def put_settings(request: Any, round_id: int, payload: ClassificationSettingsIn) -> dict[str, Any]:
    """Home Affairs sets the round's thresholds, quota share (in per cent) and rounding, and switches off house
    rules (the decree's conditions for "not completed" cannot be switched off)."""
    rnd = _previewed(request, round_id)
    round_settings.save_settings(
        rnd.pk,
        excellent=payload.excellent,
        good=payload.good,
        completed=payload.completed,
        quota_share_percent=payload.quota_share_percent,
        quota_rounding=payload.quota_rounding,
        rules_off=payload.rules_off,
        by=request.user,
        expected_version=payload.version,
    )
    return _out(Round.objects.get(pk=rnd.pk))


@router.post(
    "/rounds/{round_id}/exceptions",
    response={201: ClassificationSettingsOut, **WRITE_ERRORS},
    summary="Ghi ngoại lệ tỷ lệ hoàn thành xuất sắc",
)
def add_exception(request: Any, round_id: int, payload: ExceptionIn) -> tuple[int, dict[str, Any]]:
    """Keep a head at "excellent" above the quota, with the reason and the basis the decree's exception needs."""
    rnd = _previewed(request, round_id)
    round_settings.add_exception(
        rnd.pk,
        payload.person_id,
        reason=payload.reason,
        basis=payload.basis,
        by=request.user,
        expected_version=payload.version,
    )
    return 201, _out(Round.objects.get(pk=rnd.pk))


@router.delete(
    "/rounds/{round_id}/exceptions/{exception_id}",
    response={200: ClassificationSettingsOut, **WRITE_ERRORS},
    summary="Bỏ ngoại lệ",
)
def remove_exception(request: Any, round_id: int, exception_id: int, version: int) -> dict[str, Any]:
    rnd = _previewed(request, round_id)
    round_settings.remove_exception(rnd.pk, exception_id, by=request.user, expected_version=version)
    return _out(Round.objects.get(pk=rnd.pk))
