"""The classification settings of a round and the exceptions to the quota, as Home Affairs sets them before the
Chairman signs (issue 4, item 3).

What a province may set, each with the documented default (`classification.ClassificationSettings`):
the score thresholds (90 / 70 / 50), the quota share (20 % of those rated "good") and its rounding (down: the
decree's rounding was not confirmed), and which of the house rules apply. The hard conditions for "not
completed" of Decree 335/2025 are the law and cannot be switched off here.

An exception keeps one head at "excellent" above the quota: the decree allows it for an organization with
outstanding achievements; its text was not found, so each exception names its reason and its basis and is
shown, with who recorded it, in the preview the Chairman signs.

Every write locks the round, checks the permission, the version the caller loaded, that the round is not signed,
then the input (every problem at once, nothing written), and is audited.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from trongtam.assessment.domain.classification import (
    ClassificationSettings,
    HardRule,
    Override,
    QuotaRounding,
    Thresholds,
    default_hard_rules,
)
from trongtam.assessment.enums import RoundStatus
from trongtam.assessment.models import QuotaException, Round
from trongtam.core import audit
from trongtam.core.errors import Problem, RuleViolations, TransitionNotAllowed
from trongtam.core.models import AuditAction

# The house rules of the defaults (no "excellent" with a personally-led key task undone or an inspection
# violation): a province may switch them off. The rules of the decree stay on.
OPTIONAL_RULES = frozenset({"no_excellent_key_task", "no_excellent_inspection"})
PERM = "assessment.configure_classification"
SETTING_KEYS = ("excellent", "good", "completed", "quota_share", "quota_rounding", "rules_off")


def optional_rules() -> list[HardRule]:
    return [rule for rule in default_hard_rules() if rule.code in OPTIONAL_RULES]


def _decimal(value: object) -> Decimal | None:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _stored(data: Mapping[str, Any], key: str, default: Decimal) -> Decimal:
    number = _decimal(data[key]) if key in data else None
    return default if number is None else number


def settings_from(data: Mapping[str, Any]) -> ClassificationSettings:
    """The settings that `data` (a round's stored `classification`) describes; missing keys are the defaults.
    Stored data was validated when it was saved."""
    defaults = ClassificationSettings()
    off = set(data.get("rules_off", ())) & OPTIONAL_RULES
    return replace(
        defaults,
        thresholds=Thresholds(
            excellent=_stored(data, "excellent", defaults.thresholds.excellent),
            good=_stored(data, "good", defaults.thresholds.good),
            completed=_stored(data, "completed", defaults.thresholds.completed),
        ),
        hard_rules=tuple(rule for rule in defaults.hard_rules if rule.code not in off),
        quota_share=_stored(data, "quota_share", defaults.quota_share),
        quota_rounding=QuotaRounding(data.get("quota_rounding", defaults.quota_rounding)),
    )


def settings_of(rnd: Round) -> ClassificationSettings:
    return settings_from(rnd.classification or {})


def exceptions_of(rnd: Round) -> list[QuotaException]:
    """The round's exceptions to the quota with who they are for and who recorded them (one query)."""
    return list(rnd.quota_exceptions.select_related("person", "recorded_by").order_by("pk"))


def as_overrides(exceptions: Iterable[QuotaException]) -> list[Override]:
    """Exceptions as the classification engine takes them."""
    return [
        Override(person_id=e.person_id, reason=f"{e.reason} ({e.basis})", by=e.recorded_by.get_full_name())
        for e in exceptions
    ]


def overrides_of(rnd: Round) -> list[Override]:
    return as_overrides(exceptions_of(rnd))


def _locked_round(round_id: int, by: Any, expected_version: int | None) -> Round:
    rnd = Round.objects.select_for_update(of=("self",)).get(pk=round_id)
    if not by.has_perm(PERM, rnd):
        raise PermissionDenied
    if expected_version is not None and rnd.version != expected_version:
        raise audit.stale_edit(
            rnd, children_count=True, now=_("trạng thái «%(status)s»") % {"status": rnd.get_status_display()}
        )
    if rnd.status == RoundStatus.SIGNED:
        raise TransitionNotAllowed(
            _("Đợt đánh giá «%(round)s» đã được phê duyệt: không thay đổi thiết lập xếp loại được nữa.")
            % {"round": rnd}
        )
    return rnd


def _bump(rnd: Round, *fields: str) -> None:
    rnd.version += 1
    rnd.save(update_fields=["version", *fields])


def save_settings(
    round_id: int,
    *,
    excellent: object,
    good: object,
    completed: object,
    quota_share_percent: object,
    quota_rounding: str,
    rules_off: Iterable[str],
    by: Any,
    expected_version: int | None,
) -> Round:
    """Set the round's thresholds, quota and optional rules. The quota share is given in per cent (20 = 20 %)."""
    problems: list[Problem] = []
    values: dict[str, Decimal] = {}
    for name, raw, label in (
        ("excellent", excellent, _("Ngưỡng hoàn thành xuất sắc")),
        ("good", good, _("Ngưỡng hoàn thành tốt")),
        ("completed", completed, _("Ngưỡng hoàn thành")),
        ("quota_share", quota_share_percent, _("Tỷ lệ hoàn thành xuất sắc")),
    ):
        number = _decimal(raw)
        if number is None:
            problems.append(Problem(_("%(field)s: cần nhập một số.") % {"field": label}, name))
        elif not Decimal(0) <= number <= Decimal(100):
            problems.append(Problem(_("%(field)s phải từ 0 đến 100.") % {"field": label}, name))
        else:
            values[name] = number
    if quota_rounding not in QuotaRounding.values:
        problems.append(Problem(_("Cách làm tròn không hợp lệ."), "quota_rounding"))
    off = sorted(set(rules_off))
    unknown = [code for code in off if code not in OPTIONAL_RULES]
    if unknown:
        problems.append(
            Problem(
                _("Không tắt được quy tắc «%(codes)s»: chỉ tắt được các quy tắc mặc định của hệ thống.")
                % {"codes": ", ".join(unknown)},
                "rules_off",
            )
        )
    if not problems:
        thresholds = Thresholds(values["excellent"], values["good"], values["completed"])
        problems += [replace(p, field="thresholds") for p in thresholds.problems()]
    if problems:
        raise RuleViolations(problems)
    new = {
        "excellent": str(values["excellent"].normalize()),
        "good": str(values["good"].normalize()),
        "completed": str(values["completed"].normalize()),
        "quota_share": str((values["quota_share"] / 100).normalize()),
        "quota_rounding": quota_rounding,
        "rules_off": off,
    }
    with transaction.atomic():
        rnd = _locked_round(round_id, by, expected_version)
        before = {key: rnd.classification.get(key) for key in SETTING_KEYS}
        changes = audit.diff(before, new)
        if not changes:
            return rnd
        rnd.classification = new
        _bump(rnd, "classification")
        audit.record(actor=by, action=AuditAction.UPDATE, instance=rnd, changes=changes)
    return rnd


def add_exception(
    round_id: int,
    person_id: int,
    *,
    reason: str,
    basis: str,
    by: Any,
    expected_version: int | None,
) -> QuotaException:
    """Keep `person_id` at "excellent" above the quota, with a reason and a basis."""
    reason, basis = reason.strip(), basis.strip()
    problems = []
    if not reason:
        problems.append(Problem(_("Cần nêu lý do của ngoại lệ."), "reason"))
    if not basis:
        problems.append(Problem(_("Cần nêu căn cứ của ngoại lệ (văn bản, thành tích nổi trội)."), "basis"))
    with transaction.atomic():
        rnd = _locked_round(round_id, by, expected_version)
        if not rnd.sheets.filter(person_id=person_id).exists():
            problems.append(Problem(_("Người được chọn không có phiếu trong đợt đánh giá này."), "person"))
        elif rnd.quota_exceptions.filter(person_id=person_id).exists():
            problems.append(Problem(_("Người này đã có ngoại lệ trong đợt đánh giá."), "person"))
        if problems:
            raise RuleViolations(problems)
        exception = QuotaException.objects.create(
            round=rnd, person_id=person_id, reason=reason, basis=basis, recorded_by=by
        )
        _bump(rnd)
        audit.record(
            actor=by,
            action=AuditAction.CREATE,
            instance=exception,
            changes={"person": [None, person_id], "reason": [None, reason], "basis": [None, basis]},
            root=rnd,
        )
    return exception


def remove_exception(round_id: int, exception_id: int, *, by: Any, expected_version: int | None) -> Round:
    with transaction.atomic():
        rnd = _locked_round(round_id, by, expected_version)
        exception = rnd.quota_exceptions.filter(pk=exception_id).first()
        if exception is None:
            raise TransitionNotAllowed(_("Ngoại lệ này không còn (có thể người khác vừa bỏ)."))
        audit.record(
            actor=by,
            action=AuditAction.DELETE,
            instance=exception,
            changes={"person": [exception.person_id, None], "reason": [exception.reason, None]},
            root=rnd,
        )
        exception.delete()
        _bump(rnd)
    return rnd
