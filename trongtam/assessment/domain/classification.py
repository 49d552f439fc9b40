"""Classification into the four levels: score thresholds, hard rules, the quota on "excellent", overrides.

Pure Python over dataclasses and Decimal: no models, no database. The preview screen, the sign-off and the
appeals all call `classify`, so what the Chairman signs is what the preview showed.

The pipeline, for every candidate (domain-vn.md §1.4, §1.5, §1.7; issue 4, item 3):

1. **Thresholds** give the level by score alone (Decree 335/2025: ≥90 excellent, ≥70 good, ≥50 completed,
   else not completed). The thresholds are a setting (`Thresholds`), defaults from the decree.
2. **Hard rules** cap the level whatever the score: each `HardRule` names the facts that trigger it and the
   best level it allows. The defaults (`default_hard_rules`) are the three hard conditions for "not completed"
   of Decree 335 beside the score (degradation; discipline; a leader's unit involved in corruption or waste)
   and two house rules from the issue (no "excellent" for a head with a personally-led key task not completed,
   or with a discipline violation found by inspection). The level after the hard rules is the *ceiling*:
   nothing below lifts anyone above it.
3. **Quota** (Decree 335: HTXS ≤ 20 % of the number rated HTT, within the same agency *and* within each group
   of similar tasks): per `Group`, the candidates whose ceiling is "excellent" and who have no override are
   ranked by the tie-break (`TIE_BREAK`); the largest number k is kept such that k ≤ round(share × G), where
   G is the number rated "good" at the end, *including* those demoted by the quota (`excellent_kept`). The
   rest become "good".
4. **Overrides** (`Override`): the decree allows an exception for organizations with outstanding achievements;
   its text was not retrieved [U]. An override keeps a named candidate at "excellent" outside the quota, with
   a recorded reason and decider. It never lifts anyone above their ceiling; there it is reported as not
   applicable and changes nothing.

Every change to a candidate's level is explained by a `Reason` with a Vietnamese message, in the order it was
applied; each group gets a `GroupSummary`. Bad input (thresholds out of order, a share outside 0–1, an override
without a reason, a person listed twice…) is refused whole with `RuleViolations`: nothing is classified.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trongtam.assessment.enums import Level
from trongtam.core.errors import Problem, RuleViolations
from trongtam.core.numbers import plain_number


class Fact(models.TextChoices):
    """Facts about a candidate in the period that the default hard rules look at.

    Candidates carry plain string codes, so a module may add a fact (and a rule that reads it) without touching
    this list; these are the codes the defaults use. Whoever builds the candidates decides whether a fact
    counts in *this* period (see the discipline rule in `default_hard_rules`).
    """

    DEGRADATION = (
        "degradation",
        gettext_lazy("Suy thoái về tư tưởng chính trị, đạo đức, lối sống hoặc vi phạm trách nhiệm nêu gương"),
    )
    DISCIPLINED = "disciplined", gettext_lazy("Bị kỷ luật từ khiển trách trở lên trong kỳ")
    UNIT_CORRUPTION = (
        "unit_corruption",
        gettext_lazy("Đơn vị thuộc phạm vi phụ trách trực tiếp có tham ô, tham nhũng, lãng phí đã bị xử lý"),
    )
    KEY_TASK_NOT_COMPLETED = (
        "key_task_not_completed",
        gettext_lazy("Nhiệm vụ trọng tâm do mình trực tiếp chủ trì chưa hoàn thành trong kỳ"),
    )
    INSPECTION_VIOLATION = (
        "inspection_violation",
        gettext_lazy("Vi phạm kỷ luật, kỷ cương do thanh tra, kiểm tra phát hiện trong kỳ"),
    )


class QuotaRounding(models.TextChoices):
    """How 20 % of the "good" count becomes a whole number of people. The decree's rule was not found [U]."""

    FLOOR = "floor", gettext_lazy("làm tròn xuống")
    HALF_UP = "half_up", gettext_lazy("làm tròn (từ 0,5 trở lên thì lên)")
    CEILING = "ceiling", gettext_lazy("làm tròn lên")


_DECIMAL_ROUNDING = {
    QuotaRounding.FLOOR: ROUND_FLOOR,
    QuotaRounding.HALF_UP: ROUND_HALF_UP,
    QuotaRounding.CEILING: ROUND_CEILING,
}


class ReasonKind(models.TextChoices):
    HARD_RULE = "hard_rule", gettext_lazy("Quy tắc bắt buộc")
    QUOTA = "quota", gettext_lazy("Tỷ lệ hoàn thành xuất sắc")
    OVERRIDE = "override", gettext_lazy("Ngoại lệ")
    OVERRIDE_NOT_APPLICABLE = "override_not_applicable", gettext_lazy("Ngoại lệ không áp dụng")


def worse(a: Level, b: Level) -> Level:
    """The lower (worse) of two levels."""
    return a if a.rank >= b.rank else b


# -- settings ------------------------------------------------------------------------------------------------


def _is_decimal(value: object) -> bool:
    """A finite Decimal: the engine takes scores as Decimal only, so that 89.995 is never a float near 90."""
    return isinstance(value, Decimal) and value.is_finite()


@dataclass(frozen=True)
class Thresholds:
    """Minimum scores for each level (Decree 335/2025 for công chức: 90 / 70 / 50); below `completed`: KHT.

    The decree's thresholds for rating *agencies* were not retrieved [U]; the same defaults are used.
    """

    excellent: Decimal = Decimal(90)
    good: Decimal = Decimal(70)
    completed: Decimal = Decimal(50)

    def level_for(self, score: Decimal) -> Level:
        """The level a score alone gives: each threshold is reached by a score equal to it."""
        if score >= self.excellent:
            return Level.EXCELLENT
        if score >= self.good:
            return Level.GOOD
        if score >= self.completed:
            return Level.COMPLETED
        return Level.NOT_COMPLETED

    def problems(self) -> list[Problem]:
        values = (self.excellent, self.good, self.completed)
        if not all(_is_decimal(v) for v in values) or not (self.excellent > self.good > self.completed >= 0):
            return [
                Problem(
                    _(
                        "Ngưỡng điểm phải giảm dần: hoàn thành xuất sắc > hoàn thành tốt > hoàn thành ≥ 0 "
                        "(đang là %(excellent)s / %(good)s / %(completed)s)."
                    )
                    % {"excellent": self.excellent, "good": self.good, "completed": self.completed},
                    "thresholds",
                )
            ]
        return []


@dataclass(frozen=True)
class HardRule:
    """A rule that caps the level whatever the score.

    `facts`: the candidate fact codes that trigger it (any one is enough). `cap`: the best level it allows.
    `leaders_only`: the rule concerns people who lead an agency or unit (the law says so for the corruption
    condition; the key-task rule is about heads), so it ignores the facts of anyone else.
    `explanation`: the rule in Vietnamese, shown on screen and in every reason it produces.
    """

    code: str
    explanation: str
    cap: Level
    facts: frozenset[str]
    leaders_only: bool = False

    def triggered_by(self, candidate: Candidate) -> frozenset[str]:
        """The candidate's facts that trigger this rule; empty when it does not apply to them."""
        if self.leaders_only and not candidate.is_leader:
            return frozenset()
        return self.facts & candidate.facts


def default_hard_rules() -> tuple[HardRule, ...]:
    """The default hard rules (domain-vn.md §1.5 and §1.7; issue 4).

    (a)–(c) are the hard conditions for "not completed" of Decree 335/2025 beside a score under 50 [C].
    (d)–(e) are the issue's house rules: no "excellent" (at most "good").

    Discipline (b), and the principle Decree 48/2023 added to Decree 90: anyone disciplined in the assessment
    year is rated KHT. A violation already used to rate someone KHT is *not counted again* when the discipline
    decision arrives in a later year, and a party member disciplined by both the Party and the State for the
    same violation, with decisions effective in different years, has it counted in one year only. This engine
    does not see years: the code that builds a candidate's facts sets `Fact.DISCIPLINED` only for a discipline
    that counts in this period, and must apply the not-twice rule there.
    """
    return (
        HardRule(
            code="kht_degradation",
            explanation=_(
                "Bị kết luận có biểu hiện suy thoái về tư tưởng chính trị, đạo đức, lối sống, "
                "“tự diễn biến”, “tự chuyển hóa” hoặc vi phạm trách nhiệm nêu gương thì xếp loại "
                "không hoàn thành nhiệm vụ (Nghị định 335/2025/NĐ-CP)"
            ),
            cap=Level.NOT_COMPLETED,
            facts=frozenset({Fact.DEGRADATION}),
        ),
        HardRule(
            code="kht_disciplined",
            explanation=_(
                "Bị xử lý kỷ luật từ khiển trách trở lên do vi phạm khi thực thi công vụ trong kỳ đánh giá "
                "thì xếp loại không hoàn thành nhiệm vụ (Nghị định 335/2025/NĐ-CP; nguyên tắc của "
                "Nghị định 48/2023/NĐ-CP, một vi phạm không bị tính hai lần qua các năm)"
            ),
            cap=Level.NOT_COMPLETED,
            facts=frozenset({Fact.DISCIPLINED}),
        ),
        HardRule(
            code="kht_unit_corruption",
            explanation=_(
                "Người lãnh đạo có cơ quan, đơn vị thuộc phạm vi phụ trách trực tiếp xảy ra tham ô, "
                "tham nhũng, lãng phí và đã bị xử lý thì xếp loại không hoàn thành nhiệm vụ "
                "(Nghị định 335/2025/NĐ-CP)"
            ),
            cap=Level.NOT_COMPLETED,
            facts=frozenset({Fact.UNIT_CORRUPTION}),
            leaders_only=True,
        ),
        HardRule(
            code="no_excellent_key_task",
            explanation=_(
                "Người đứng đầu có nhiệm vụ trọng tâm do mình trực tiếp chủ trì chưa hoàn thành trong kỳ "
                "thì không được xếp loại hoàn thành xuất sắc nhiệm vụ (quy tắc mặc định của hệ thống)"
            ),
            cap=Level.GOOD,
            facts=frozenset({Fact.KEY_TASK_NOT_COMPLETED}),
            leaders_only=True,
        ),
        HardRule(
            code="no_excellent_inspection",
            explanation=_(
                "Có vi phạm kỷ luật, kỷ cương do thanh tra, kiểm tra phát hiện trong kỳ thì không được "
                "xếp loại hoàn thành xuất sắc nhiệm vụ (quy tắc mặc định của hệ thống)"
            ),
            cap=Level.GOOD,
            facts=frozenset({Fact.INSPECTION_VIOLATION}),
        ),
    )


@dataclass(frozen=True)
class ClassificationSettings:
    """Everything a province may configure about classification, with the documented defaults.

    `quota_share`: HTXS ≤ share × the number rated HTT (Decree 335/2025: 20 % [C]).
    `quota_rounding`: how share × HTT becomes a whole number. The decree's rounding was **not confirmed [U]**
    (domain-vn.md §1.4); the default, floor, is the reading that never lets the share exceed 20 %.
    The screen should say that the rounding is a setting, not the text of the law.
    """

    thresholds: Thresholds = field(default_factory=Thresholds)
    hard_rules: tuple[HardRule, ...] = field(default_factory=default_hard_rules)
    quota_share: Decimal = Decimal("0.20")
    quota_rounding: QuotaRounding = QuotaRounding.FLOOR

    def problems(self) -> list[Problem]:
        problems = self.thresholds.problems()
        if not _is_decimal(self.quota_share) or not Decimal(0) <= self.quota_share <= Decimal(1):
            problems.append(
                Problem(
                    _("Tỷ lệ hoàn thành xuất sắc phải nằm trong khoảng từ 0 đến 1 (đang là %(share)s).")
                    % {"share": self.quota_share},
                    "quota_share",
                )
            )
        seen: set[str] = set()
        for rule in self.hard_rules:
            if rule.code in seen:
                problems.append(
                    Problem(_("Mã quy tắc «%(code)s» bị trùng.") % {"code": rule.code}, "hard_rules")
                )
            seen.add(rule.code)
            if not rule.facts:
                problems.append(
                    Problem(
                        _("Quy tắc «%(code)s» không nêu tình tiết nào làm phát sinh quy tắc.")
                        % {"code": rule.code},
                        "hard_rules",
                    )
                )
            if not rule.explanation.strip():
                problems.append(
                    Problem(
                        _("Quy tắc «%(code)s» thiếu nội dung giải thích.") % {"code": rule.code}, "hard_rules"
                    )
                )
        return problems

    def unconfirmed_notes(self) -> tuple[str, ...]:
        """What the screen must say is a setting rather than confirmed law (issue 4, item 0)."""
        return (
            _(
                "Cách làm tròn số người được xếp loại hoàn thành xuất sắc (%(rounding)s) là một thiết lập: "
                "văn bản chưa xác nhận quy tắc làm tròn."
            )
            % {"rounding": QuotaRounding(self.quota_rounding).label},
            _(
                "Ngoại lệ về tỷ lệ cho tổ chức có thành tích xuất sắc, nổi trội chưa có toàn văn; mỗi ngoại lệ "
                "phải nêu người quyết định và lý do."
            ),
        )


TIE_BREAK = gettext_lazy(
    "Khi số người đạt mức hoàn thành xuất sắc vượt tỷ lệ, giữ lần lượt người có tổng điểm cao hơn, "
    "rồi người có điểm kết quả thực hiện nhiệm vụ cao hơn, rồi người có mã số nhỏ hơn."
)


# -- input ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Group:
    """Where the quota is counted: the same agency and the same group of similar tasks (Decree 335)."""

    agency: int
    task_group: str = ""


@dataclass(frozen=True)
class Candidate:
    """One person to classify.

    `score`: the total (Decree 335: out of 100). `task_score`: the task-results part (out of 70), used only
    to break ties. `facts`: codes of what happened in the period (`Fact`, or codes a module adds).
    `is_leader`: leads an agency or unit (rules marked `leaders_only` apply only to them).
    """

    person_id: int
    group: Group
    score: Decimal
    task_score: Decimal
    facts: frozenset[str] = frozenset()
    is_leader: bool = False


@dataclass(frozen=True)
class Override:
    """An explicit exception to the quota: keep `person_id` at "excellent", decided `by`, for `reason`."""

    person_id: int
    reason: str
    by: str


# -- output --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """One step that bound a candidate's level, with the levels before and after it and a message."""

    kind: ReasonKind
    before: Level
    after: Level
    message: str
    rule_code: str = ""

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def stored(self) -> dict[str, str]:
        """The reason as a sheet or an evaluation keeps it in `level_reasons` (JSON: strings only)."""
        return {
            "kind": str(self.kind),
            "before": str(self.before),
            "after": str(self.after),
            "message": self.message,
            "rule_code": self.rule_code,
        }


@dataclass(frozen=True)
class CandidateResult:
    """The outcome for one person.

    `ceiling`: the level after thresholds and hard rules, the best the quota and overrides can leave.
    `quota_rank`: the position (1 = first kept) among the group's candidates subject to the quota, or None.
    `reasons`: every triggered hard rule (also when the level was already lower), the override, and the quota
    demotion, in the order they were applied.
    """

    person_id: int
    group: Group
    score: Decimal
    task_score: Decimal
    level_by_score: Level
    ceiling: Level
    level: Level
    reasons: tuple[Reason, ...] = ()
    quota_rank: int | None = None
    overridden: bool = False

    @property
    def changed(self) -> bool:
        return self.level != self.level_by_score


def write_outcome(record: Any, outcome: CandidateResult) -> None:
    """Copy a candidate's outcome onto the record that keeps it (a head's sheet, an official's evaluation): the
    level by score, the level and every reason (`Reason.stored`). The caller saves the record."""
    record.level_by_score = outcome.level_by_score
    record.level = outcome.level
    record.level_reasons = [reason.stored() for reason in outcome.reasons]


@dataclass(frozen=True)
class GroupSummary:
    """Counts for one group, after everything.

    `subject_to_quota`: candidates at "excellent" after the hard rules, overrides excepted (n). `kept`: those
    of them left at "excellent" (k); `demoted` = n − k. `quota_limit`: round(share × the final "good" count).
    """

    group: Group
    counts: Mapping[Level, int]
    counts_by_score: Mapping[Level, int]
    held_by_hard_rules: int
    subject_to_quota: int
    kept: int
    demoted: int
    overridden: int
    quota_limit: int


@dataclass(frozen=True)
class Classification:
    results: tuple[CandidateResult, ...]
    groups: tuple[GroupSummary, ...]
    tie_break: str
    notes: tuple[str, ...]

    def result_for(self, person_id: int) -> CandidateResult:
        for result in self.results:
            if result.person_id == person_id:
                return result
        raise KeyError(person_id)

    def group(self, group: Group) -> GroupSummary:
        for summary in self.groups:
            if summary.group == group:
                return summary
        raise KeyError(group)


# -- the quota -----------------------------------------------------------------------------------------------


def quota_limit(good: int, *, share: Decimal, rounding: QuotaRounding) -> int:
    """How many may be rated "excellent" when `good` people are rated "good": round(share × good)."""
    return int((share * good).to_integral_value(rounding=_DECIMAL_ROUNDING[QuotaRounding(rounding)]))


def excellent_kept(eligible: int, good: int, *, share: Decimal, rounding: QuotaRounding) -> int:
    """The largest k (0 ≤ k ≤ eligible) with k ≤ round(share × (good + eligible − k)).

    `eligible` candidates reach "excellent" and `good` are rated "good" before the quota. Those demoted become
    "good" and count in the base, so the limit grows as k falls; k − limit(good + eligible − k) strictly grows
    with k, so the valid k form a range from 0, and the largest is found by counting down.
    """
    for k in range(eligible, 0, -1):
        if k <= quota_limit(good + eligible - k, share=share, rounding=rounding):
            return k
    return 0


def _tie_break_key(candidate: Candidate) -> tuple[Decimal, Decimal, int]:
    """Higher total first, then higher task-results score, then the lower person id (`TIE_BREAK`)."""
    return (-candidate.score, -candidate.task_score, candidate.person_id)


def _percent(share: Decimal) -> str:
    return plain_number(share * 100) + "%"


# -- checking the input --------------------------------------------------------------------------------------


def _input_problems(candidates: Sequence[Candidate], overrides: Sequence[Override]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[int] = set()
    for candidate in candidates:
        if candidate.person_id in seen:
            problems.append(
                Problem(
                    _("Người có mã số %(id)s có hai lần trong danh sách xếp loại.")
                    % {"id": candidate.person_id},
                    "candidates",
                )
            )
        seen.add(candidate.person_id)
        for value in (candidate.score, candidate.task_score):
            if not _is_decimal(value) or not Decimal(0) <= value <= Decimal(100):
                problems.append(
                    Problem(
                        _("Điểm của người có mã số %(id)s không hợp lệ: %(score)s.")
                        % {"id": candidate.person_id, "score": value},
                        "candidates",
                    )
                )
    overridden: set[int] = set()
    for override in overrides:
        values = {"id": override.person_id}
        if not override.reason.strip():
            problems.append(
                Problem(
                    _("Ngoại lệ cho người có mã số %(id)s thiếu lý do: ngoại lệ về tỷ lệ phải nêu rõ lý do.")
                    % values,
                    "overrides",
                )
            )
        if not override.by.strip():
            problems.append(
                Problem(_("Ngoại lệ cho người có mã số %(id)s thiếu người quyết định.") % values, "overrides")
            )
        if override.person_id not in seen:
            problems.append(
                Problem(
                    _("Ngoại lệ cho người có mã số %(id)s: người này không có trong danh sách xếp loại.")
                    % values,
                    "overrides",
                )
            )
        if override.person_id in overridden:
            problems.append(Problem(_("Có hai ngoại lệ cho người có mã số %(id)s.") % values, "overrides"))
        overridden.add(override.person_id)
    return problems


# -- classification ------------------------------------------------------------------------------------------


@dataclass
class _Draft:
    candidate: Candidate
    level_by_score: Level
    ceiling: Level
    reasons: list[Reason]
    level: Level = Level.NOT_COMPLETED
    quota_rank: int | None = None
    overridden: bool = False


def _apply_hard_rules(candidate: Candidate, settings: ClassificationSettings) -> _Draft:
    by_score = settings.thresholds.level_for(candidate.score)
    level, reasons = by_score, []
    for rule in settings.hard_rules:
        if not rule.triggered_by(candidate):
            continue
        after = worse(level, rule.cap)
        values: dict[str, object] = {
            "rule": rule.explanation,
            "cap": rule.cap.label,
            "before": level.label,
            "after": after.label,
        }
        if after != level:
            message = _("%(rule)s: mức cao nhất được xếp là «%(cap)s»; hạ từ «%(before)s» xuống «%(after)s».")
        else:
            message = _("%(rule)s: mức cao nhất được xếp là «%(cap)s»; mức «%(before)s» không đổi.")
        reasons.append(Reason(ReasonKind.HARD_RULE, level, after, message % values, rule.code))
        level = after
    return _Draft(candidate, by_score, level, reasons, level)


def _apply_quota(
    group: Group,
    drafts: list[_Draft],
    overrides: Mapping[int, Override],
    settings: ClassificationSettings,
) -> GroupSummary:
    """Overrides, then the quota, inside one group; returns the group's summary."""
    share, rounding = settings.quota_share, settings.quota_rounding
    for draft in drafts:
        override = overrides.get(draft.candidate.person_id)
        if override is None:
            continue
        said: dict[str, object] = {
            "by": override.by,
            "reason": override.reason.strip(),
            "ceiling": draft.ceiling.label,
        }
        if draft.ceiling == Level.EXCELLENT:
            draft.overridden = True
            message = _("Ngoại lệ do %(by)s quyết định: giữ mức «%(ceiling)s» ngoài tỷ lệ. Lý do: %(reason)s")
            kind = ReasonKind.OVERRIDE
        else:
            message = _(
                "Ngoại lệ do %(by)s quyết định không được áp dụng: điểm và các quy tắc bắt buộc chỉ cho "
                "phép mức «%(ceiling)s», ngoại lệ không nâng mức. Lý do đã nêu: %(reason)s"
            )
            kind = ReasonKind.OVERRIDE_NOT_APPLICABLE
        draft.reasons.append(Reason(kind, draft.ceiling, draft.ceiling, message % said))

    pool = sorted(
        (d for d in drafts if d.ceiling == Level.EXCELLENT and not d.overridden),
        key=lambda d: _tie_break_key(d.candidate),
    )
    good_before = sum(1 for d in drafts if d.ceiling == Level.GOOD)
    n = len(pool)
    k = excellent_kept(n, good_before, share=share, rounding=rounding)
    good_after = good_before + n - k
    limit = quota_limit(good_after, share=share, rounding=rounding)
    for rank, draft in enumerate(pool, start=1):
        draft.quota_rank = rank
        if rank <= k:
            continue
        values: dict[str, object] = {
            "rank": rank,
            "n": n,
            "k": k,
            "share": _percent(share),
            "good": good_after,
            "product": plain_number(share * good_after),
            "rounding": QuotaRounding(rounding).label,
            "limit": limit,
            "excellent": Level.EXCELLENT.label,
            "good_label": Level.GOOD.label,
        }
        message = _(
            "Tỷ lệ hoàn thành xuất sắc: xếp thứ %(rank)d/%(n)d trong nhóm; chỉ %(k)d/%(n)d người được giữ "
            "mức «%(excellent)s» vì %(share)s của %(good)d người «%(good_label)s» (kể cả người bị hạ) là "
            "%(product)s, %(rounding)s được %(limit)d."
        )
        if limit > k:
            # Keeping one more would take one person out of the "good" base and lower the limit below k + 1.
            values.update(
                more=k + 1,
                fewer=good_after - 1,
                fewer_product=plain_number(share * (good_after - 1)),
                fewer_limit=quota_limit(good_after - 1, share=share, rounding=rounding),
            )
            message += " " + _(
                "Giữ %(more)d người thì chỉ còn %(fewer)d người «%(good_label)s»; %(share)s của số đó là "
                "%(fewer_product)s, %(rounding)s được %(fewer_limit)d, ít hơn %(more)d."
            )
        draft.reasons.append(Reason(ReasonKind.QUOTA, Level.EXCELLENT, Level.GOOD, message % values))
        draft.level = Level.GOOD

    counts = dict.fromkeys(Level, 0)
    counts_by_score = dict.fromkeys(Level, 0)
    for draft in drafts:
        counts[draft.level] += 1
        counts_by_score[draft.level_by_score] += 1
    return GroupSummary(
        group=group,
        counts=counts,
        counts_by_score=counts_by_score,
        held_by_hard_rules=sum(1 for d in drafts if d.ceiling != d.level_by_score),
        subject_to_quota=n,
        kept=k,
        demoted=n - k,
        overridden=sum(1 for d in drafts if d.overridden),
        quota_limit=limit,
    )


def _recount(summary: GroupSummary, drafts: list[_Draft], settings: ClassificationSettings) -> GroupSummary:
    """A group's summary again, after the agency's pass moved some of its members."""
    counts = dict.fromkeys(Level, 0)
    for draft in drafts:
        counts[draft.level] += 1
    kept = sum(1 for d in drafts if d.level == Level.EXCELLENT and not d.overridden)
    limit = quota_limit(counts[Level.GOOD], share=settings.quota_share, rounding=settings.quota_rounding)
    return replace(
        summary, counts=counts, kept=kept, demoted=summary.subject_to_quota - kept, quota_limit=limit
    )


def _apply_agency_quota(groups: dict[Group, list[_Draft]], settings: ClassificationSettings) -> bool:
    """The quota holds within each agency as well as within each task group (Decree 335). With rounding down
    the groups' limits never add up to more than the agency's; with another rounding they can, and then the
    lowest-ranked "excellent" of the agency (by the tie-break) become "good" until the agency's count fits.
    Says whether anyone was moved."""
    moved = False
    agencies: dict[int, list[_Draft]] = {}
    for group, drafts in groups.items():
        agencies.setdefault(group.agency, []).extend(drafts)
    for drafts in agencies.values():
        kept = sorted(
            (d for d in drafts if d.level == Level.EXCELLENT and not d.overridden),
            key=lambda d: _tie_break_key(d.candidate),
        )
        good = sum(1 for d in drafts if d.level == Level.GOOD)
        while kept and len(kept) > quota_limit(
            good, share=settings.quota_share, rounding=settings.quota_rounding
        ):
            draft = kept.pop()
            good += 1
            limit = quota_limit(good, share=settings.quota_share, rounding=settings.quota_rounding)
            message = _(
                "Tỷ lệ hoàn thành xuất sắc trong toàn cơ quan: %(good)d người «%(good_label)s» chỉ cho phép "
                "%(limit)d người «%(excellent)s»; người xếp sau cùng theo thứ tự ưu tiên được xếp «%(good_label)s»."
            ) % {
                "good": good,
                "limit": limit,
                "good_label": Level.GOOD.label,
                "excellent": Level.EXCELLENT.label,
            }
            draft.reasons.append(Reason(ReasonKind.QUOTA, Level.EXCELLENT, Level.GOOD, message))
            draft.level = Level.GOOD
            moved = True
    return moved


def classify(
    candidates: Iterable[Candidate],
    settings: ClassificationSettings,
    *,
    overrides: Iterable[Override] = (),
) -> Classification:
    """Classify every candidate: thresholds, then hard rules, then overrides and the quota per group.

    Overrides do **not** use up the quota: an overridden candidate stays "excellent" and is left out of both
    the count of those subject to the quota and the "good" base. The exception exists for achievements beyond
    the ordinary; counting it against the 20 % would only swap one person for another inside the same limit
    and make the exception pointless. (The decree's text of the exception was not retrieved [U].) The other
    side of it: the overridden person is rated "excellent", not "good", so they are not in the base either —
    the check stays the law's (the excellent not overridden ≤ 20 % of the people actually rated "good"), and
    an override may therefore cost another candidate of the group their place (3 at ≥90 and 9 "good": two are
    kept; override the third and only one other is). The preview shows this before anyone signs.

    The result does not depend on the order of `candidates` or `overrides`: results are sorted by group,
    then by the tie-break order. Raises `RuleViolations` listing every problem with the settings, the
    candidates or the overrides (an override without a reason is refused); nothing is classified then.
    """
    people, exceptions = list(candidates), list(overrides)
    problems = settings.problems() + _input_problems(people, exceptions)
    if problems:
        raise RuleViolations(problems)

    by_person = {o.person_id: o for o in exceptions}
    groups: dict[Group, list[_Draft]] = {}
    for candidate in sorted(people, key=_tie_break_key):
        groups.setdefault(candidate.group, []).append(_apply_hard_rules(candidate, settings))

    summaries = {group: _apply_quota(group, groups[group], by_person, settings) for group in sorted(groups)}
    if _apply_agency_quota(groups, settings):
        summaries = {group: _recount(summaries[group], groups[group], settings) for group in summaries}
    results: list[CandidateResult] = []
    for group in sorted(groups):
        drafts = groups[group]
        results.extend(
            CandidateResult(
                person_id=d.candidate.person_id,
                group=group,
                score=d.candidate.score,
                task_score=d.candidate.task_score,
                level_by_score=d.level_by_score,
                ceiling=d.ceiling,
                level=d.level,
                reasons=tuple(d.reasons),
                quota_rank=d.quota_rank,
                overridden=d.overridden,
            )
            for d in drafts
        )
    return Classification(
        results=tuple(results),
        groups=tuple(summaries[group] for group in sorted(groups)),
        tie_break=str(TIE_BREAK),
        notes=settings.unconfirmed_notes(),
    )
