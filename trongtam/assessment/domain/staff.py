"""Staff evaluation (issue #4, item 6) as pure functions: the score of an official's evaluation, the
classification of a unit's staff, and the bounds that tie staff levels to the head's result.

Nothing here touches the database; `domain/staff_workflow.py` reads and writes, and calls these.

- **Score** (Decree 335/2025, domain-vn.md §1.7): general criteria (≤30, the head's points when the head changed
  them, else the official's own) + task results (≤70) from the products of the personal work plan, by
  `scoring.task_results` and `scoring.period_score` — the same functions as everywhere, so the breakdown always
  adds up to the total.
- **Classification**: `classification.classify` with the unit as the agency and the job position's category
  (Decree 62/2020: leadership/management, professional, support/service) as the group of comparable tasks, so the
  quota on "excellent" (≤20 % of those rated "good") holds within the unit *and* within each group.
- **Bounds** (domain-vn.md §1.8, "Implication"): the law ties a collective's rating to its organization's only on
  the Party side (HD 21-HD/BTCTW); for staff it is **not confirmed**. It is a setting (`StaffBounds`) whose default
  caps the best level a staff member may get by the head's signed level: head HTXS or HTT → staff up to HTXS;
  head HT → up to HTT; head KHT → up to HT. It runs as one more hard rule, so the preview shows its reason and
  the quota counts the people it lowers among those rated "good".
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from trongtam.assessment.domain import scoring
from trongtam.assessment.domain.classification import (
    Candidate,
    Classification,
    ClassificationSettings,
    Group,
    HardRule,
    classify,
)
from trongtam.assessment.enums import Level
from trongtam.core.errors import Problem, RuleViolations
from trongtam.org.enums import JobCategory

HEAD_CAP_RULE = "staff_head_cap"
HEAD_CAP_FACT = "head_level_cap"
NO_CATEGORY = ""  # an official without a job position: a group of their own in the unit

# The default bounds: the head's signed level → the best level a staff member of the unit may get.
DEFAULT_CAPS: Mapping[Level, Level] = {
    Level.EXCELLENT: Level.EXCELLENT,
    Level.GOOD: Level.EXCELLENT,
    Level.COMPLETED: Level.GOOD,
    Level.NOT_COMPLETED: Level.COMPLETED,
}


# -- the bounds ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffBounds:
    """The best level a staff member may get, by the head's signed level. A setting: the law does not fix it for
    staff (domain-vn.md §1.8) [U]. `enabled=False` turns the bound off."""

    caps: Mapping[Level, Level] = field(default_factory=lambda: dict(DEFAULT_CAPS))
    enabled: bool = True

    def cap_for(self, head_level: Level | str | None) -> Level:
        """The best staff level allowed; "excellent" (no bound) when the head has no signed level or it is off."""
        if not self.enabled or not head_level:
            return Level.EXCELLENT
        return self.caps.get(Level(head_level), Level.EXCELLENT)

    def problems(self) -> list[Problem]:
        problems = []
        for head, cap in self.caps.items():
            if head not in Level.values or cap not in Level.values:
                problems.append(
                    Problem(
                        _("Giới hạn mức xếp loại «%(head)s → %(cap)s» không hợp lệ.")
                        % {"head": head, "cap": cap},
                        "staff_bounds",
                    )
                )
        ordered = [self.caps.get(level, Level.EXCELLENT) for level in Level if level in self.caps]
        if not problems and any(Level(a).rank > Level(b).rank for a, b in itertools.pairwise(ordered)):
            problems.append(
                Problem(
                    _("Mức cao nhất của công chức không được tốt hơn khi mức của người đứng đầu thấp hơn."),
                    "staff_bounds",
                )
            )
        return problems

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> StaffBounds:
        """From a setting such as {"enabled": true, "caps": {"htxs": "htxs", "htt": "htxs", "ht": "htt",
        "kht": "ht"}}; missing keys take the defaults. Raises RuleViolations on bad values."""
        if not data:
            return cls()
        caps = dict(DEFAULT_CAPS)
        problems = []
        for head, cap in dict(data.get("caps") or {}).items():
            if head in Level.values and cap in Level.values:
                caps[Level(head)] = Level(cap)
            else:
                problems.append(
                    Problem(
                        _("Giới hạn mức xếp loại «%(head)s → %(cap)s» không hợp lệ.")
                        % {"head": head, "cap": cap},
                        "staff_bounds",
                    )
                )
        enabled = data.get("enabled", True)
        if not isinstance(enabled, bool):
            problems.append(Problem(_("Bật/tắt giới hạn mức phải là đúng hoặc sai."), "staff_bounds"))
        if problems:
            raise RuleViolations(problems)
        bounds = cls(caps=caps, enabled=enabled)
        if bounds.problems():
            raise RuleViolations(bounds.problems())
        return bounds

    def rows(self) -> list[tuple[str, str]]:
        """(head's level, best staff level) for the screen, best head level first."""
        return [(str(level.label), str(self.cap_for(level).label)) for level in Level]

    def unconfirmed_note(self) -> str:
        if not self.enabled:
            return _(
                "Giới hạn mức xếp loại của công chức theo kết quả của người đứng đầu đang tắt (chưa được xác nhận "
                "là quy định của pháp luật)."
            )
        return _(
            "Giới hạn mức xếp loại của công chức theo mức của người đứng đầu chưa được xác nhận: pháp luật chỉ quy "
            "định ràng buộc này ở phía Đảng (Hướng dẫn 21-HD/BTCTW). Đang dùng thiết lập mặc định của hệ thống: "
            "người đứng đầu hoàn thành xuất sắc hoặc hoàn thành tốt thì công chức được tới hoàn thành xuất sắc; "
            "hoàn thành nhiệm vụ thì tới hoàn thành tốt; không hoàn thành nhiệm vụ thì tới hoàn thành nhiệm vụ."
        )


DEFAULT_BOUNDS = StaffBounds()


def head_cap_rule(cap: Level, head_level: Level | str | None) -> HardRule:
    """The bound as a hard rule of the classification: it fires for every candidate carrying HEAD_CAP_FACT."""
    return HardRule(
        code=HEAD_CAP_RULE,
        explanation=_(
            "Người đứng đầu đơn vị được xếp loại «%(head)s» nên công chức của đơn vị được xếp cao nhất là "
            "«%(cap)s» (giới hạn theo kết quả của đơn vị và người đứng đầu; thiết lập của hệ thống, chưa được "
            "xác nhận là quy định của pháp luật)"
        )
        % {"head": Level(head_level).label if head_level else "—", "cap": cap.label},
        cap=cap,
        facts=frozenset({HEAD_CAP_FACT}),
    )


# -- the score -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffScore:
    """An official's score: `period.total` = general + task results, and its lines add up to it exactly."""

    general: Decimal
    task: scoring.Score
    period: scoring.Score

    @property
    def total(self) -> Decimal | None:
        return self.period.total

    @property
    def task_total(self) -> Decimal | None:
        return self.task.total


def staff_score(
    *,
    general: Decimal,
    products: Sequence[scoring.Product],
    settings: scoring.ScoringSettings = scoring.DEFAULT_SETTINGS,
) -> StaffScore:
    """Decree 335 score of an official without a leading post: `general` (0–30) + `scoring.task_results`.
    Raises RuleViolations (general outside 0–30, a bad product). Not assessed (total None) with no product."""
    task = scoring.task_results(products, settings=settings)
    period = scoring.period_score(general=general, task=task)
    return StaffScore(general=general, task=task, period=period)


# -- the classification ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffRow:
    """One official of the unit to classify: their score, their group (the job category) and their facts."""

    person_id: int
    category: str
    score: Decimal
    task_score: Decimal
    facts: frozenset[str] = frozenset()
    is_leader: bool = False


def group_of(unit_id: int, category: str) -> Group:
    """The quota's group: the unit (agency) and the job position's category (group of comparable tasks)."""
    return Group(agency=unit_id, task_group=category if category in JobCategory.values else NO_CATEGORY)


def classify_unit(
    unit_id: int,
    rows: Iterable[StaffRow],
    *,
    head_level: Level | str | None,
    bounds: StaffBounds = DEFAULT_BOUNDS,
    settings: ClassificationSettings | None = None,
) -> Classification:
    """Classify a unit's staff: thresholds, the default hard rules, the head's bound (a hard rule, when it is
    below "excellent"), then the quota within the unit and within each job category. Deterministic whatever the
    order of `rows`; raises RuleViolations on bad input or settings (nothing is classified)."""
    base = settings or ClassificationSettings()
    problems = bounds.problems()
    if problems:
        raise RuleViolations(problems)
    cap = bounds.cap_for(head_level)
    facts: frozenset[str] = frozenset()
    if cap != Level.EXCELLENT:
        base = replace(base, hard_rules=(*base.hard_rules, head_cap_rule(cap, head_level)))
        facts = frozenset({HEAD_CAP_FACT})
    candidates = [
        Candidate(
            person_id=row.person_id,
            group=group_of(unit_id, row.category),
            score=row.score,
            task_score=row.task_score,
            facts=row.facts | facts,
            is_leader=row.is_leader,
        )
        for row in rows
    ]
    result = classify(candidates, base)
    return replace(result, notes=(*result.notes, bounds.unconfirmed_note()))


def head_unit_result(levels: Sequence[Level | str]) -> Decimal | None:
    """The unit's operating result the staff's levels give their head (Decree 335): 100 % when every one at least
    completes, 50 % when any does not; None when no one is rated."""
    return scoring.unit_result_ratio(levels)


def unconfirmed_notes(
    bounds: StaffBounds = DEFAULT_BOUNDS, settings: scoring.ScoringSettings = scoring.DEFAULT_SETTINGS
) -> list[str]:
    """Every rule of a staff evaluation that the law we have does not confirm, for the screen."""
    return [
        *scoring.unconfirmed_notes(settings)[:2],
        _(
            "Cấp phó được chấm như công chức không giữ chức vụ lãnh đạo (theo sản phẩm của kế hoạch công tác cá "
            "nhân); các thành phần riêng của người lãnh đạo chưa được tính (chưa được xác nhận)."
        ),
        bounds.unconfirmed_note(),
    ]
