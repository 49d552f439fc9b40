"""A rubric: the tree of criteria a head is scored against in a round (issue 4, items 1 and 4), as pure Python.

- Criteria have maximum points; a criterion with children is a group whose points are its children's sum.
  Manual and automatic criteria are the main part and their top-level maxima add up to 100; bonus and penalty
  criteria sit apart, each part capped by the rubric (`bonus_cap`, `penalty_cap`).
- An automatic criterion names a metric of the registry and a scoring function: `Linear` between two thresholds
  (either direction) or `Steps` (a table of bounds and points). A bonus or penalty criterion may do the same;
  without a metric it is scored by hand.
- The metric registry: modules add their metrics with `register_metric` (the protocol is `MetricCompute`, and
  `MetricComputeMany` for the batch form that measures many heads with a constant number of queries); nothing is
  registered here.
- `validate` lists every broken rule of a rubric; `score` turns manual points and metric values into a
  `ScoreSheet` whose `explain()` lines add up to the total exactly, always (caps and the 0–100 clamp are lines
  of their own); `to_dict`/`from_dict` export and import a rubric as JSON, exactly, validated on import.

Points carry two decimals, ROUND_HALF_UP: automatic points are rounded once per criterion, and every sum above
them (groups, parts, total) is exact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache
from typing import Any, Protocol

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from trongtam.assessment.domain.scoring import round_half_up
from trongtam.assessment.enums import CriterionKind, Direction, NoData
from trongtam.core.errors import Problem, RuleViolations
from trongtam.core.numbers import plain_number

MAIN_TOTAL = Decimal(100)
MAX_DEPTH = 5  # levels of criteria below the rubric
FORMAT = "trongtam.rubric"
FORMAT_VERSION = 1
ZERO = Decimal("0.00")

MAIN, BONUS, PENALTY = "main", "bonus", "penalty"  # the three parts of a rubric


# -- metrics ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MetricValue:
    """A metric measured for one person or unit: the value (None when there is nothing to measure, such as no
    directive due) and the records behind it, by id, so that the score can link to them."""

    value: Decimal | None
    record_ids: tuple[int | str, ...] = ()
    record_kind: str = ""  # "app_label.model" of the records, for links


class MetricCompute(Protocol):
    """How a module measures a metric: for a person or unit, over a period, as of the round's cut-off date."""

    def __call__(self, subject: Any, period: Any, cut_off: dt.date, /) -> MetricValue: ...


class MetricComputeMany(Protocol):
    """How a module measures a metric for many persons or units at once, with a number of queries that does not
    grow with them: one value per subject, in the order of `subjects` (a subject may appear more than once)."""

    def __call__(
        self, subjects: Sequence[Any], period: Any, cut_off: dt.date, /
    ) -> Sequence[MetricValue]: ...


@dataclass(frozen=True)
class Metric:
    """A registered metric: `compute` measures one subject; `compute_many`, when the module gives it, measures
    many at once (opening a round measures every rated head with it). `measure_many` uses whichever is there."""

    code: str
    label: str | Promise
    unit: str | Promise
    compute: MetricCompute
    compute_many: MetricComputeMany | None = None

    def measure_many(self, subjects: Sequence[Any], period: Any, cut_off: dt.date) -> list[MetricValue]:
        """The metric for every subject, in order: in one batch when the metric has one, else one by one."""
        if self.compute_many is None:
            return [self.compute(subject, period, cut_off) for subject in subjects]
        values = list(self.compute_many(subjects, period, cut_off))
        if len(values) != len(subjects):
            raise ValueError(
                f"metric {self.code!r} measured {len(values)} values for {len(subjects)} subjects"
            )
        return values


class MetricRegistry:
    """Metrics by code. Registering the same code twice with the same function is harmless; with another
    function it is a programming error."""

    def __init__(self) -> None:
        self._metrics: dict[str, Metric] = {}

    def register(
        self,
        code: str,
        label: str | Promise,
        unit: str | Promise,
        compute: MetricCompute,
        compute_many: MetricComputeMany | None = None,
    ) -> Metric:
        existing = self._metrics.get(code)
        if existing is not None:
            if existing.compute is compute and existing.compute_many is compute_many:
                return existing
            raise ValueError(f"metric {code!r} is already registered")
        if not code:
            raise ValueError("a metric needs a code")
        metric = Metric(code, label, unit, compute, compute_many)
        self._metrics[code] = metric
        return metric

    def get(self, code: str) -> Metric | None:
        return self._metrics.get(code)

    def __contains__(self, code: object) -> bool:
        return code in self._metrics

    def __iter__(self) -> Iterator[Metric]:
        return iter(self._metrics.values())

    def __len__(self) -> int:
        return len(self._metrics)


METRICS = MetricRegistry()  # the application's registry; modules add to it from their AppConfig.ready()


def register_metric(
    code: str,
    label: str | Promise,
    unit: str | Promise,
    compute: MetricCompute,
    *,
    compute_many: MetricComputeMany | None = None,
    registry: MetricRegistry = METRICS,
) -> Metric:
    """Add a metric that automatic criteria may name; `compute_many` is its batch form (see `Metric`)."""
    return registry.register(code, label, unit, compute, compute_many)


# -- scoring functions -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Linear:
    """Linear between two thresholds, `low` < `high`.

    Higher is better: value ≤ low gives 0, value ≥ high the maximum, linear between. Lower is better (overdue
    tasks, say): value ≤ low gives the maximum, value ≥ high 0, linear between.
    """

    low: Decimal
    high: Decimal
    direction: str = Direction.HIGHER_IS_BETTER

    def fraction(self, value: Decimal) -> Fraction:
        """The share of the maximum earned, 0..1, exact."""
        if value <= self.low:
            share = Fraction(0)
        elif value >= self.high:
            share = Fraction(1)
        else:
            share = (Fraction(value) - Fraction(self.low)) / (Fraction(self.high) - Fraction(self.low))
        return 1 - share if self.direction == Direction.LOWER_IS_BETTER else share

    def points(self, value: Decimal, maximum: Decimal) -> Decimal:
        return round_half_up(self.fraction(value) * Fraction(maximum))

    def describe(self, maximum: Decimal) -> str:
        values = {
            "low": plain_number(self.low),
            "high": plain_number(self.high),
            "max": plain_number(maximum),
        }
        if self.direction == Direction.LOWER_IS_BETTER:
            return (
                _("Từ %(low)s trở xuống: %(max)s điểm; từ %(high)s trở lên: 0 điểm; ở giữa: giảm đều.")
                % values
            )
        return (
            _("Từ %(low)s trở xuống: 0 điểm; từ %(high)s trở lên: %(max)s điểm; ở giữa: tăng đều.") % values
        )


@dataclass(frozen=True)
class Step:
    bound: Decimal
    points: Decimal


@dataclass(frozen=True)
class Steps:
    """A step table: the points of the last step whose bound the value reaches (value ≥ bound); below the first
    bound, 0. Bounds strictly increase; points may go either way ("lower is better" tables decrease)."""

    steps: tuple[Step, ...]

    def points(self, value: Decimal, maximum: Decimal) -> Decimal:
        earned = ZERO
        for step in self.steps:
            if value < step.bound:
                break
            earned = step.points
        return round_half_up(earned)

    def describe(self, maximum: Decimal) -> str:
        parts = [
            _("từ %(bound)s: %(points)s điểm")
            % {"bound": plain_number(s.bound), "points": plain_number(s.points)}
            for s in self.steps
        ]
        if self.steps:
            parts.append(_("dưới %(bound)s: 0 điểm") % {"bound": plain_number(self.steps[0].bound)})
        return _("Bảng bậc: %(steps)s.") % {"steps": "; ".join(parts)}


Scoring = Linear | Steps


# -- the rubric ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    """One criterion. A criterion with children is a group: no metric, its points are its children's sum."""

    code: str
    label: str
    max_points: Decimal
    kind: str = CriterionKind.MANUAL
    children: tuple[Criterion, ...] = ()
    metric: str = ""
    scoring: Scoring | None = None
    if_no_data: str = NoData.FULL  # practice in provincial tables ("không phát sinh"); not law [U]
    description: str = ""

    @property
    def is_group(self) -> bool:
        return bool(self.children)

    @property
    def is_automatic(self) -> bool:
        """Computed from a metric (an automatic criterion, or a bonus or penalty that names a metric)."""
        return not self.is_group and bool(self.metric)

    @property
    def part(self) -> str:
        if self.kind == CriterionKind.BONUS:
            return BONUS
        if self.kind == CriterionKind.PENALTY:
            return PENALTY
        return MAIN


@dataclass(frozen=True)
class Rubric:
    code: str
    title: str
    criteria: tuple[Criterion, ...]
    bonus_cap: Decimal = ZERO
    penalty_cap: Decimal = ZERO

    def walk(self) -> Iterator[tuple[Criterion, tuple[Criterion, ...]]]:
        """Every criterion, depth first in order, with the groups above it."""

        def visit(
            criteria: Sequence[Criterion], above: tuple[Criterion, ...]
        ) -> Iterator[tuple[Criterion, tuple[Criterion, ...]]]:
            for criterion in criteria:
                yield criterion, above
                yield from visit(criterion.children, (*above, criterion))

        return visit(self.criteria, ())

    def find(self, code: str) -> Criterion | None:
        return next((c for c, _above in self.walk() if c.code == code), None)


# -- validation ------------------------------------------------------------------------------------------------


def _is_amount(value: object) -> bool:
    """A finite number with at most two decimals (points)."""
    return (
        isinstance(value, Decimal | int)
        and not isinstance(value, bool)
        and Decimal(value).is_finite()
        and Decimal(value) == Decimal(value).quantize(Decimal("0.01"))
    )


def _is_finite(value: object) -> bool:
    return isinstance(value, Decimal | int) and not isinstance(value, bool) and Decimal(value).is_finite()


def _name(criterion: Criterion) -> str:
    return _("Tiêu chí «%(label)s» (%(code)s): ") % {
        "label": criterion.label or _("chưa có tên"),
        "code": criterion.code or _("chưa có mã"),
    }


def _part_label(part: str) -> str:
    return {MAIN: _("tiêu chí chính"), BONUS: _("điểm thưởng"), PENALTY: _("điểm trừ")}[part]


def validate(rubric: Rubric, registry: MetricRegistry | None) -> list[Problem]:
    """Every broken rule of the rubric, each naming its criterion. Without a registry, metrics are not looked up."""
    problems: list[Problem] = []
    if not rubric.code.strip():
        problems.append(Problem(_("Bộ tiêu chí chưa có mã."), "code"))
    if not rubric.title.strip():
        problems.append(Problem(_("Bộ tiêu chí chưa có tên."), "title"))
    seen: dict[str, Criterion] = {}
    for criterion, above in rubric.walk():
        problems += _criterion_problems(criterion, above, registry)
        if criterion.code in seen:
            problems.append(
                Problem(
                    _name(criterion)
                    + _("mã trùng với tiêu chí «%(other)s».") % {"other": seen[criterion.code].label},
                    f"criteria.{criterion.code}.code",
                )
            )
        seen.setdefault(criterion.code, criterion)

    main = [c for c in rubric.criteria if c.part == MAIN]
    if all(_is_amount(c.max_points) for c in main):
        main_sum = sum((Decimal(c.max_points) for c in main), ZERO)
        if main_sum != MAIN_TOTAL:
            listing = ", ".join(f"«{c.label}» {plain_number(Decimal(c.max_points))}" for c in main) or _(
                "không có"
            )
            problems.append(
                Problem(
                    _(
                        "Tổng điểm tối đa của các tiêu chí chính là %(sum)s, phải bằng 100 "
                        "(các tiêu chí chính: %(listing)s)."
                    )
                    % {"sum": plain_number(main_sum), "listing": listing},
                    "criteria",
                )
            )
    for part, cap, cap_field in (
        (BONUS, rubric.bonus_cap, "bonus_cap"),
        (PENALTY, rubric.penalty_cap, "penalty_cap"),
    ):
        label = _("Mức tối đa của %(part)s") % {"part": _part_label(part)}
        if not _is_amount(cap) or not 0 <= cap <= MAIN_TOTAL:
            problems.append(
                Problem(
                    label
                    + _(" phải từ 0 đến 100, tối đa hai chữ số thập phân (đang là %(value)s).")
                    % {"value": cap},
                    cap_field,
                )
            )
            continue
        in_part = [c for c in rubric.criteria if c.part == part]
        if in_part and cap == 0:
            problems.append(
                Problem(
                    label
                    + _(" đang là 0 nên tiêu chí «%(label)s» không có tác dụng.")
                    % {"label": in_part[0].label},
                    cap_field,
                )
            )
    return problems


def _criterion_problems(
    criterion: Criterion, above: tuple[Criterion, ...], registry: MetricRegistry | None
) -> list[Problem]:
    name, here = _name(criterion), f"criteria.{criterion.code}."
    problems: list[Problem] = []

    def add(message: str, attr: str) -> None:
        problems.append(Problem(name + message, here + attr))

    if not criterion.code.strip():
        add(_("chưa có mã."), "code")
    if not criterion.label.strip():
        add(_("chưa có tên."), "label")
    if criterion.kind not in CriterionKind.values:
        add(_("loại «%(kind)s» không hợp lệ.") % {"kind": criterion.kind}, "kind")
    if len(above) >= MAX_DEPTH:
        add(_("nằm quá sâu: bộ tiêu chí có tối đa %(depth)s cấp.") % {"depth": MAX_DEPTH}, "children")
    if above and criterion.part != above[-1].part:
        add(
            _("là tiêu chí con của «%(parent)s» nên phải cùng phần %(part)s.")
            % {"parent": above[-1].label, "part": _part_label(above[-1].part)},
            "kind",
        )
    maximum = criterion.max_points
    if not _is_amount(maximum) or maximum <= 0:
        add(
            _("điểm tối đa phải lớn hơn 0, tối đa hai chữ số thập phân (đang là %(value)s).")
            % {"value": maximum},
            "max_points",
        )
        maximum_ok = False
    else:
        maximum_ok = True

    if criterion.is_group:
        if criterion.metric or criterion.scoring is not None:
            add(
                _(
                    "là nhóm tiêu chí nên không gắn chỉ số hay cách tính điểm; điểm của nhóm là tổng điểm các tiêu chí con."
                ),
                "metric",
            )
        if maximum_ok and all(_is_amount(c.max_points) for c in criterion.children):
            children_sum = sum((Decimal(c.max_points) for c in criterion.children), ZERO)
            if children_sum != maximum:
                add(
                    _("tổng điểm tối đa của các tiêu chí con là %(sum)s, phải bằng %(max)s.")
                    % {"sum": plain_number(children_sum), "max": plain_number(Decimal(maximum))},
                    "max_points",
                )
        return problems

    if criterion.kind == CriterionKind.AUTOMATIC and not criterion.metric:
        add(_("là tiêu chí tự động nên phải gắn một chỉ số."), "metric")
    if criterion.kind == CriterionKind.MANUAL and (criterion.metric or criterion.scoring is not None):
        add(_("là tiêu chí chấm thủ công nên không gắn chỉ số hay cách tính điểm."), "metric")
        return problems
    if criterion.metric and criterion.scoring is None:
        add(
            _("gắn chỉ số «%(metric)s» nhưng chưa có cách tính điểm.") % {"metric": criterion.metric},
            "scoring",
        )
    if criterion.scoring is not None and not criterion.metric and criterion.kind != CriterionKind.AUTOMATIC:
        add(_("có cách tính điểm nhưng chưa gắn chỉ số."), "metric")
    if criterion.metric and registry is not None and criterion.metric not in registry:
        add(_("chỉ số «%(metric)s» chưa được đăng ký.") % {"metric": criterion.metric}, "metric")
    if criterion.metric and criterion.if_no_data not in NoData.values:
        add(
            _("cách xử lý khi không phát sinh «%(value)s» không hợp lệ.") % {"value": criterion.if_no_data},
            "if_no_data",
        )
    scoring = criterion.scoring
    if isinstance(scoring, Linear):
        if not _is_finite(scoring.low) or not _is_finite(scoring.high):
            add(_("ngưỡng dưới và ngưỡng trên phải là số."), "scoring")
        elif scoring.low >= scoring.high:
            add(
                _("ngưỡng dưới (%(low)s) phải nhỏ hơn ngưỡng trên (%(high)s).")
                % {"low": plain_number(Decimal(scoring.low)), "high": plain_number(Decimal(scoring.high))},
                "scoring",
            )
        if scoring.direction not in Direction.values:
            add(_("chiều đánh giá «%(value)s» không hợp lệ.") % {"value": scoring.direction}, "scoring")
    elif isinstance(scoring, Steps):
        _steps_problems(scoring, Decimal(maximum) if maximum_ok else None, add)
    return problems


def _steps_problems(scoring: Steps, maximum: Decimal | None, add: Callable[[str, str], None]) -> None:
    if not scoring.steps:
        add(_("bảng bậc chưa có mốc nào."), "scoring")
        return
    previous: Decimal | None = None
    for step in scoring.steps:
        if not _is_finite(step.bound):
            add(_("mốc %(bound)s không phải là số.") % {"bound": step.bound}, "scoring")
            continue
        if previous is not None and step.bound <= previous:
            add(
                _("các mốc của bảng bậc phải tăng dần: mốc %(bound)s đứng sau mốc %(previous)s.")
                % {"bound": plain_number(Decimal(step.bound)), "previous": plain_number(previous)},
                "scoring",
            )
        previous = Decimal(step.bound)
        if not _is_amount(step.points) or step.points < 0 or (maximum is not None and step.points > maximum):
            add(
                _(
                    "điểm của mốc %(bound)s phải từ 0 đến %(max)s, tối đa hai chữ số thập phân (đang là %(points)s)."
                )
                % {
                    "bound": plain_number(Decimal(step.bound)),
                    "max": plain_number(maximum) if maximum is not None else "?",
                    "points": step.points,
                },
                "scoring",
            )


# -- scoring ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Values:
    """What a score sheet is made of: `points` entered for criteria scored by hand (by criterion code) and
    the measured metrics (by metric code), as of the round's cut-off."""

    points: Mapping[str, Decimal] = field(default_factory=dict)
    metrics: Mapping[str, MetricValue] = field(default_factory=dict)


@dataclass(frozen=True)
class CriterionScore:
    """A criterion's points (a penalty's are the deduction, positive), what produced them, and its children."""

    criterion: Criterion
    points: Decimal
    value: Decimal | None = None
    record_ids: tuple[int | str, ...] = ()
    record_kind: str = ""
    note: str = ""
    scored: bool = True  # False: a criterion scored by hand that has no points yet
    children: tuple[CriterionScore, ...] = ()


@dataclass(frozen=True)
class ExplainLine:
    """One line of the explanation: `points` is the signed contribution to the total."""

    code: str
    label: str
    path: tuple[str, ...]  # labels of the groups above
    kind: str  # a CriterionKind, or "adjustment" for caps and the 0–100 clamp
    max_points: Decimal | None
    points: Decimal
    metric: str = ""
    value: Decimal | None = None
    record_ids: tuple[int | str, ...] = ()
    record_kind: str = ""
    note: str = ""


ADJUSTMENT = "adjustment"


@dataclass(frozen=True)
class ScoreSheet:
    rubric_code: str
    criteria: tuple[CriterionScore, ...]
    main: Decimal
    bonus_earned: Decimal  # before the cap
    bonus: Decimal
    penalty_incurred: Decimal  # before the cap
    penalty: Decimal
    total: Decimal
    missing: tuple[str, ...]  # codes of criteria scored by hand that have no points yet
    lines: tuple[ExplainLine, ...]

    @property
    def complete(self) -> bool:
        return not self.missing

    def explain(self) -> list[ExplainLine]:
        """Per criterion, the points, the metric value and the records behind it; then the caps and the clamp.
        The points add up to `total` exactly."""
        return list(self.lines)


def value_problems(rubric: Rubric, values: Values) -> list[Problem]:
    """Every broken rule of the values against the rubric, each naming its criterion."""
    problems: list[Problem] = []
    by_code = {c.code: c for c, _above in rubric.walk()}
    for code, points in values.points.items():
        criterion = by_code.get(code)
        if criterion is None:
            problems.append(
                Problem(
                    _("Không có tiêu chí mã «%(code)s» trong bộ tiêu chí.") % {"code": code}, f"points.{code}"
                )
            )
        elif criterion.is_group:
            problems.append(
                Problem(
                    _name(criterion) + _("là nhóm tiêu chí; điểm của nhóm là tổng điểm các tiêu chí con."),
                    f"points.{code}",
                )
            )
        elif criterion.is_automatic:
            problems.append(
                Problem(
                    _name(criterion)
                    + _("được tính tự động từ chỉ số «%(metric)s», không nhập điểm.")
                    % {"metric": criterion.metric},
                    f"points.{code}",
                )
            )
        elif not _is_finite(points) or not 0 <= points <= criterion.max_points:
            problems.append(
                Problem(
                    _name(criterion)
                    + _("điểm phải từ 0 đến %(max)s (đang là %(value)s).")
                    % {"max": plain_number(Decimal(criterion.max_points)), "value": points},
                    f"points.{code}",
                )
            )
    for criterion, _above in rubric.walk():
        if not criterion.is_automatic:
            continue
        measured = values.metrics.get(criterion.metric)
        if measured is None:
            problems.append(
                Problem(
                    _name(criterion)
                    + _("chưa có giá trị của chỉ số «%(metric)s».") % {"metric": criterion.metric},
                    f"metrics.{criterion.metric}",
                )
            )
        elif measured.value is not None and not _is_finite(measured.value):
            problems.append(
                Problem(
                    _name(criterion)
                    + _("giá trị của chỉ số «%(metric)s» không phải là số.") % {"metric": criterion.metric},
                    f"metrics.{criterion.metric}",
                )
            )
    return problems


# Scoring a whole round scores the same rubric a thousand times: its validation and the wording of its scoring
# rules are worked out once (per language), not per sheet.
_VALID: set[Rubric] = set()


def _known_valid(rubric: Rubric) -> bool:
    try:
        return rubric in _VALID
    except TypeError:  # a field that cannot be hashed (a rubric built by hand): validate it every time
        return False


def _remember_valid(rubric: Rubric) -> None:
    try:
        hash(rubric)
    except TypeError:
        return
    if len(_VALID) > 64:
        _VALID.clear()
    _VALID.add(rubric)


@lru_cache(maxsize=256)
def _describe(scoring: Scoring, maximum: Decimal, language: str | None) -> str:
    return scoring.describe(maximum)


def _score_criterion(criterion: Criterion, values: Values) -> CriterionScore:
    if criterion.is_group:
        children = tuple(_score_criterion(child, values) for child in criterion.children)
        return CriterionScore(
            criterion,
            sum((c.points for c in children), ZERO),
            scored=all(c.scored for c in children),
            children=children,
        )
    if criterion.is_automatic:
        measured = values.metrics[criterion.metric]
        assert criterion.scoring is not None  # noqa: S101 -- validated before scoring
        maximum = Decimal(criterion.max_points)
        if measured.value is None:
            full = criterion.if_no_data == NoData.FULL
            points = round_half_up(maximum) if full else ZERO
            note = _("Không phát sinh: được điểm tối đa.") if full else _("Không phát sinh: không có điểm.")
        else:
            points = criterion.scoring.points(measured.value, maximum)
            note = _describe(criterion.scoring, maximum, get_language())
        return CriterionScore(
            criterion, points, measured.value, measured.record_ids, measured.record_kind, note
        )
    if criterion.code not in values.points:
        return CriterionScore(criterion, ZERO, note=_("Chưa chấm."), scored=False)
    return CriterionScore(criterion, round_half_up(values.points[criterion.code]))


def _leaf_lines(scores: Sequence[CriterionScore], path: tuple[str, ...]) -> Iterator[ExplainLine]:
    for scored in scores:
        criterion = scored.criterion
        if scored.children:
            yield from _leaf_lines(scored.children, (*path, criterion.label))
            continue
        yield ExplainLine(
            code=criterion.code,
            label=criterion.label,
            path=path,
            kind=criterion.kind,
            max_points=Decimal(criterion.max_points),
            points=ZERO - scored.points if criterion.part == PENALTY else scored.points,
            metric=criterion.metric if criterion.is_automatic else "",
            value=scored.value,
            record_ids=scored.record_ids,
            record_kind=scored.record_kind,
            note=scored.note,
        )


def score(rubric: Rubric, values: Values) -> ScoreSheet:
    """Score a sheet: Σ main criteria + bonus (capped) − penalty (capped), clamped to 0..100.

    Criteria scored by hand without points yet count 0 and are listed in `missing`. Raises RuleViolations when
    the rubric is malformed (metrics are not looked up here) or a value breaks a rule.
    """
    problems = [] if _known_valid(rubric) else validate(rubric, None)
    if not problems:
        _remember_valid(rubric)
        problems = value_problems(rubric, values)
    if problems:
        raise RuleViolations(problems)
    scores = tuple(_score_criterion(c, values) for c in rubric.criteria)

    def part_sum(part: str) -> Decimal:
        return sum((s.points for s in scores if s.criterion.part == part), ZERO)

    main, bonus_earned, penalty_incurred = part_sum(MAIN), part_sum(BONUS), part_sum(PENALTY)
    bonus, penalty = (
        min(bonus_earned, Decimal(rubric.bonus_cap)),
        min(penalty_incurred, Decimal(rubric.penalty_cap)),
    )
    raw = main + bonus - penalty
    total = min(max(raw, ZERO), MAIN_TOTAL)

    lines = list(_leaf_lines(scores, ()))
    if bonus < bonus_earned:
        lines.append(
            _adjustment(
                "bonus_cap",
                _("Điểm thưởng vượt mức tối đa %(cap)s điểm") % {"cap": plain_number(bonus)},
                bonus - bonus_earned,
            )
        )
    if penalty < penalty_incurred:
        lines.append(
            _adjustment(
                "penalty_cap",
                _("Điểm trừ vượt mức tối đa %(cap)s điểm: phần vượt không trừ")
                % {"cap": plain_number(penalty)},
                penalty_incurred - penalty,
            )
        )
    if total != raw:
        label = _("Tổng điểm không vượt quá 100") if raw > total else _("Tổng điểm không thấp hơn 0")
        lines.append(_adjustment("clamp", label, total - raw))
    missing = tuple(
        c.code
        for c, _above in rubric.walk()
        if not c.is_group and not c.is_automatic and c.code not in values.points
    )
    return ScoreSheet(
        rubric_code=rubric.code,
        criteria=scores,
        main=main,
        bonus_earned=bonus_earned,
        bonus=bonus,
        penalty_incurred=penalty_incurred,
        penalty=penalty,
        total=total,
        missing=missing,
        lines=tuple(lines),
    )


def _adjustment(code: str, label: str, points: Decimal) -> ExplainLine:
    return ExplainLine(code=code, label=label, path=(), kind=ADJUSTMENT, max_points=None, points=points)


# -- import and export -----------------------------------------------------------------------------------------


def _scoring_to_dict(scoring: Scoring | None) -> dict[str, Any] | None:
    if isinstance(scoring, Linear):
        return {
            "type": "linear",
            "low": str(scoring.low),
            "high": str(scoring.high),
            "direction": scoring.direction,
        }
    if isinstance(scoring, Steps):
        return {
            "type": "steps",
            "steps": [{"bound": str(s.bound), "points": str(s.points)} for s in scoring.steps],
        }
    return None


def _criterion_to_dict(criterion: Criterion) -> dict[str, Any]:
    return {
        "code": criterion.code,
        "label": criterion.label,
        "kind": str(criterion.kind),
        "max_points": str(criterion.max_points),
        "description": criterion.description,
        "metric": criterion.metric,
        "scoring": _scoring_to_dict(criterion.scoring),
        "if_no_data": str(criterion.if_no_data),
        "children": [_criterion_to_dict(c) for c in criterion.children],
    }


def to_dict(rubric: Rubric) -> dict[str, Any]:
    """The rubric as JSON-ready data (numbers as strings, exactly as stored); `from_dict` reads it back."""
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "code": rubric.code,
        "title": rubric.title,
        "bonus_cap": str(rubric.bonus_cap),
        "penalty_cap": str(rubric.penalty_cap),
        "criteria": [_criterion_to_dict(c) for c in rubric.criteria],
    }


class _Reader:
    """Reads untrusted JSON data, collecting a problem for every value of the wrong shape."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, where: str, path: str, message: str) -> None:
        self.problems.append(Problem(where + message, path.lstrip(".")))

    def mapping(self, data: object, where: str, path: str) -> Mapping[str, Any] | None:
        if isinstance(data, Mapping):
            return data
        self.fail(where, path, _("phải là một đối tượng JSON."))
        return None

    def text(
        self, data: Mapping[str, Any], key: str, where: str, path: str, default: str | None = None
    ) -> str:
        value = data.get(key, default)
        if isinstance(value, str):
            return value
        self.fail(
            where, f"{path}.{key}", _("thiếu hoặc sai trường «%(key)s» (phải là chuỗi ký tự).") % {"key": key}
        )
        return ""

    def number(
        self, data: Mapping[str, Any], key: str, where: str, path: str, default: str | None = None
    ) -> Decimal:
        value = data.get(key, default)
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            try:
                number = Decimal(str(value))
            except InvalidOperation:
                pass
            else:
                if number.is_finite():
                    return number
        self.fail(
            where,
            f"{path}.{key}",
            _("trường «%(key)s» phải là một số (đang là %(value)s).") % {"key": key, "value": value},
        )
        return ZERO

    def scoring(self, data: object, where: str, path: str) -> Scoring | None:
        if data is None:
            return None
        mapping = self.mapping(data, where, path)
        if mapping is None:
            return None
        kind = mapping.get("type")
        if kind == "linear":
            return Linear(
                low=self.number(mapping, "low", where, path),
                high=self.number(mapping, "high", where, path),
                direction=self.text(mapping, "direction", where, path, Direction.HIGHER_IS_BETTER),
            )
        if kind == "steps":
            raw_steps = mapping.get("steps")
            if not isinstance(raw_steps, list):
                self.fail(where, f"{path}.steps", _("bảng bậc phải là một danh sách mốc."))
                return Steps(())
            steps = []
            for index, raw in enumerate(raw_steps):
                step = self.mapping(raw, where, f"{path}.steps.{index}")
                if step is not None:
                    steps.append(
                        Step(
                            self.number(step, "bound", where, f"{path}.steps.{index}"),
                            self.number(step, "points", where, f"{path}.steps.{index}"),
                        )
                    )
            return Steps(tuple(steps))
        self.fail(
            where,
            f"{path}.type",
            _("cách tính điểm «%(type)s» không hợp lệ (linear hoặc steps).") % {"type": kind},
        )
        return None

    def criteria(self, data: object, path: str, depth: int) -> tuple[Criterion, ...]:
        if not isinstance(data, list):
            self.fail(_("Tệp bộ tiêu chí: "), path, _("danh sách tiêu chí phải là một mảng JSON."))
            return ()
        if depth > MAX_DEPTH:
            self.fail(_("Tệp bộ tiêu chí: "), path, _("quá %(depth)s cấp tiêu chí.") % {"depth": MAX_DEPTH})
            return ()
        result = []
        for index, raw in enumerate(data):
            here = f"{path}.{index}"
            item = self.mapping(raw, _("Tệp bộ tiêu chí: "), here)
            if item is None:
                continue
            code = item.get("code")
            where = _("Tiêu chí «%(code)s»: ") % {"code": code if isinstance(code, str) and code else here}
            result.append(
                Criterion(
                    code=self.text(item, "code", where, here),
                    label=self.text(item, "label", where, here),
                    max_points=self.number(item, "max_points", where, here),
                    kind=self.text(item, "kind", where, here, CriterionKind.MANUAL),
                    children=self.criteria(item.get("children", []), f"{here}.children", depth + 1),
                    metric=self.text(item, "metric", where, here, ""),
                    scoring=self.scoring(item.get("scoring"), where, f"{here}.scoring"),
                    if_no_data=self.text(item, "if_no_data", where, here, NoData.FULL),
                    description=self.text(item, "description", where, here, ""),
                )
            )
        return tuple(result)


def from_dict(data: object, registry: MetricRegistry | None) -> Rubric:
    """Read a rubric exported by `to_dict` (from a JSON file, say) and validate it.

    Raises RuleViolations listing every problem: of shape (a missing field, a number that is not one) and of
    rules (`validate`, with metrics looked up in `registry` when given).
    """
    reader = _Reader()
    where = _("Tệp bộ tiêu chí: ")
    top = reader.mapping(data, where, "")
    if top is None:
        raise RuleViolations(reader.problems)
    if top.get("format") != FORMAT:
        raise RuleViolations([Problem(_("Tệp không phải là bộ tiêu chí của Trọng Tâm."), "format")])
    if top.get("version") != FORMAT_VERSION:
        raise RuleViolations(
            [
                Problem(
                    _("Phiên bản tệp bộ tiêu chí «%(version)s» chưa được hỗ trợ.")
                    % {"version": top.get("version")},
                    "version",
                )
            ]
        )
    rubric = Rubric(
        code=reader.text(top, "code", where, ""),
        title=reader.text(top, "title", where, ""),
        criteria=reader.criteria(top.get("criteria"), "criteria", 1),
        bonus_cap=reader.number(top, "bonus_cap", where, "", "0"),
        penalty_cap=reader.number(top, "penalty_cap", where, "", "0"),
    )
    problems = reader.problems or validate(rubric, registry)
    if problems:
        raise RuleViolations(problems)
    return rubric
