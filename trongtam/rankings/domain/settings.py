"""The one write of the rankings: Home Affairs saves the league's settings (versioned, audited, all or nothing)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from trongtam.assessment.enums import Level
from trongtam.core import audit
from trongtam.core.errors import Problem, RuleViolations
from trongtam.core.models import AuditAction
from trongtam.rankings.domain.league import Demotion
from trongtam.rankings.domain.queries import SETTINGS_PK
from trongtam.rankings.models import RankingSettings

FIELDS = [
    "demotion",
    "repeat_periods",
    "collective_excellent",
    "collective_advanced",
    "emulation_fighter",
    "advanced_worker",
]
TITLE_FIELDS = FIELDS[2:]


def _label(name: str) -> str:
    return str(getattr(RankingSettings._meta.get_field(name), "verbose_name", name))


def problems_of(data: Mapping[str, Any]) -> list[Problem]:
    """Every problem of the input at once, each naming its field."""
    problems = []
    if data.get("demotion") not in Demotion.values:
        problems.append(
            Problem(_("Quy tắc hạ thứ hạng không hợp lệ: chọn một quy tắc trong danh sách."), "demotion")
        )
    periods = data.get("repeat_periods")
    if isinstance(periods, bool) or not isinstance(periods, int) or not 2 <= periods <= 5:
        problems.append(Problem(_("Số kỳ liên tiếp phải là số nguyên từ 2 đến 5."), "repeat_periods"))
    for name in TITLE_FIELDS:
        if data.get(name, "") not in ("", *Level.values):
            problems.append(
                Problem(_("Mức tối thiểu không hợp lệ: chọn một mức xếp loại hoặc «Không đề nghị»."), name)
            )
    for better, lower in (
        ("collective_excellent", "collective_advanced"),
        ("emulation_fighter", "advanced_worker"),
    ):
        hi, lo = data.get(better, ""), data.get(lower, "")
        if hi in Level.values and lo in Level.values and Level(hi).rank > Level(lo).rank:
            problems.append(
                Problem(
                    _(
                        "Danh hiệu cao hơn không được đòi mức thấp hơn danh hiệu dưới nó "
                        "(«%(better)s» phải cần mức bằng hoặc cao hơn «%(lower)s»)."
                    )
                    % {
                        "better": _label(better),
                        "lower": _label(lower),
                    },
                    better,
                )
            )
    return problems


def update_settings(data: Mapping[str, Any], *, by: Any, expected_version: int | None) -> RankingSettings:
    """Save the settings: permission, then the version the person loaded (409), then the input (400, every
    problem at once, nothing written); then the change and its audit entry, in one transaction."""
    if not by.has_perm("rankings.change_settings"):
        raise PermissionDenied
    with transaction.atomic():
        row, _created = RankingSettings.objects.select_for_update().get_or_create(pk=SETTINGS_PK)
        if expected_version is not None and row.version != expected_version:
            raise audit.stale_edit(row)
        problems = problems_of(data)
        if problems:
            raise RuleViolations(problems)
        before = audit.snapshot(row, FIELDS)
        for name in FIELDS:
            setattr(row, name, data[name] if name != "repeat_periods" else int(data[name]))
        after = audit.snapshot(row, FIELDS)
        changes = audit.diff(before, after)
        if changes:
            row.version += 1
            row.updated_by = by
            row.save()
            audit.record(actor=by, action=AuditAction.UPDATE, instance=row, changes=changes)
    return row
