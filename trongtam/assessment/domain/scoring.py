"""Decree 335/2025 scoring of công chức, as pure functions over plain facts (domain-vn.md §1.6–§1.7).

100 points per month or quarter = general criteria (30, entered) + task results (70, computed from the
products assigned in the period); the year is the mean of the period scores over the periods worked.

What the law says [C], and what it does not say here [U], each a field of `ScoringSettings` with its default:
- quantity, quality and progress are ratios of *converted* products (hệ số quy đổi) against those assigned; each
  major content error costs a completed product 25 % of its quality credit and each delay 25 % of its progress
  credit, unless an authority confirms an objective cause [C];
- how the three ratios make 70 points [U]: by default their equal-weight mean, scaled to 70;
- whether a product's credit stops at 0 after four or more deductions [U]: by default it does;
- leaders add the unit's operating result (100 % when every subordinate is rated at least HT, 50 % when any is
  KHT) [C] and the capacity to organise (a ratio entered) [C]; the weights of these components [U]: by default
  all five ratios weigh the same. With no subordinate rated, the unit's result is left out and the other
  weights share its place (our choice, also [U]);
- the year's mean, simple or weighted by the days worked [U]: simple by default.
`unconfirmed_notes` words each of these for the screen ("chưa được xác nhận").

Rounding. Every score and every line is in points with two decimals, ROUND_HALF_UP. Sums are worked out
exactly (fractions), the total is rounded once, and the lines are rounded by largest remainder so that they add
up to the total exactly: full marks are 70.00, not 3 × 23.33. Each line is within 0.01 of its exact value.

Functions refuse bad input with `RuleViolations` naming every problem at once; the `*_problems` functions give
the same list for forms.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from trongtam.assessment.enums import Level, YearMean
from trongtam.core.errors import Problem, RuleViolations
from trongtam.core.numbers import plain_number

CENT = Decimal("0.01")
GENERAL_MAX = Decimal(30)
TASK_MAX = Decimal(70)
PERIOD_MAX = Decimal(100)
DEDUCTION = Fraction(1, 4)  # per counted failure or delay, of the product's credit [C]
UNIT_RESULT_ALL_COMPLETE = Decimal(100)  # every subordinate rated at least HT [C]
UNIT_RESULT_ANY_NOT_COMPLETE = Decimal(50)  # any subordinate rated KHT [C]


# -- numbers -------------------------------------------------------------------------------------------------


def round_half_up(value: Fraction | Decimal | int) -> Decimal:
    """`value` to two decimals, halves away from zero (Decimal's ROUND_HALF_UP), from the exact value."""
    cents = Fraction(value) * 100
    whole = math.floor(abs(cents) + Fraction(1, 2))
    return Decimal(whole if cents >= 0 else -whole) * CENT


def apportion(parts: Sequence[Fraction]) -> tuple[Decimal, list[Decimal]]:
    """Round the exact total once, then each part, so that the rounded parts add up to the rounded total.

    Largest remainder: every part starts at its value rounded down to the cent; the cents still missing go to
    the parts that lost most, the earlier part first on a tie. Parts must not be negative. A part with no
    remainder never gets a cent, so each part is its exact value rounded down or up.
    """
    total = round_half_up(sum(parts, Fraction(0)))
    cents = [math.floor(part * 100) for part in parts]
    missing = int(total.scaleb(2)) - sum(cents)
    by_remainder = sorted(range(len(parts)), key=lambda i: (cents[i] - parts[i] * 100, i))
    for i in by_remainder[:missing]:
        cents[i] += 1
    return total, [Decimal(c) * CENT for c in cents]


def _fmt(value: Decimal | Fraction | int) -> str:
    """Exact fractions and integers are rounded to points (two decimals) before they are written."""
    return plain_number(value if isinstance(value, Decimal) else round_half_up(value))


def _is_number(value: object) -> bool:
    return isinstance(value, Decimal | int) and not isinstance(value, bool) and Decimal(value).is_finite()


# -- inputs and settings -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Product:
    """One product or work item assigned in the period (Decree 335 Art. 14).

    `failures`: times it was judged not up to standard for a major content error; `delays`: times it was late;
    `excused_*`: how many of those an authority confirmed as having an objective cause (not counted).
    """

    ref: str
    weight: Decimal  # hệ số quy đổi
    completed: bool
    failures: int = 0
    excused_failures: int = 0
    delays: int = 0
    excused_delays: int = 0

    @property
    def counted_failures(self) -> int:
        return self.failures - self.excused_failures

    @property
    def counted_delays(self) -> int:
        return self.delays - self.excused_delays


@dataclass(frozen=True)
class ScoringSettings:
    """The numbers of Decree 335 that the published text we have does not show [U], with their defaults.

    Weights are relative (1, 1, 1 is an equal mean); a weight of 0 leaves its component out. The
    `unit_result_weight` and `capacity_weight` apply to leaders only.
    """

    quantity_weight: Decimal = Decimal(1)
    quality_weight: Decimal = Decimal(1)
    progress_weight: Decimal = Decimal(1)
    unit_result_weight: Decimal = Decimal(1)
    capacity_weight: Decimal = Decimal(1)
    floor_at_zero: bool = True
    year_mean: str = YearMean.SIMPLE

    def problems(self) -> list[Problem]:
        problems: list[Problem] = []
        labels = _weight_labels()
        for name, label in labels.items():
            weight = getattr(self, name)
            if not _is_number(weight) or weight < 0:
                problems.append(
                    Problem(
                        _("Trọng số «%(label)s» phải là một số không âm (đang là %(value)s).")
                        % {"label": label, "value": weight},
                        name,
                    )
                )
        if not problems and self.quantity_weight + self.quality_weight + self.progress_weight == 0:
            problems.append(
                Problem(
                    _("Các trọng số số lượng, chất lượng và tiến độ không thể cùng bằng 0."),
                    "quantity_weight",
                )
            )
        if self.year_mean not in YearMean.values:
            problems.append(
                Problem(
                    _("Cách tính điểm năm «%(value)s» không hợp lệ.") % {"value": self.year_mean}, "year_mean"
                )
            )
        return problems

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: numbers as strings, exactly as stored."""
        return {
            f.name: str(value) if isinstance(value := getattr(self, f.name), Decimal) else value
            for f in fields(self)
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScoringSettings:
        """The inverse of `to_dict`; missing keys take their defaults. Raises RuleViolations on bad values."""
        problems: list[Problem] = []
        values: dict[str, Any] = {}
        for name in _weight_labels():
            if name in data:
                try:
                    values[name] = Decimal(str(data[name]))
                except InvalidOperation:
                    problems.append(
                        Problem(_("Trọng số «%(name)s» không phải là số.") % {"name": name}, name)
                    )
        if "floor_at_zero" in data:
            if isinstance(data["floor_at_zero"], bool):
                values["floor_at_zero"] = data["floor_at_zero"]
            else:
                problems.append(Problem(_("Mức sàn 0 phải là đúng hoặc sai."), "floor_at_zero"))
        if "year_mean" in data:
            values["year_mean"] = str(data["year_mean"])
        if problems:
            raise RuleViolations(problems)
        result = cls(**values)
        _refuse(result.problems())
        return result


DEFAULT_SETTINGS = ScoringSettings()


def _weight_labels() -> dict[str, str]:
    return {
        "quantity_weight": _("Số lượng"),
        "quality_weight": _("Chất lượng"),
        "progress_weight": _("Tiến độ"),
        "unit_result_weight": _("Kết quả hoạt động của đơn vị"),
        "capacity_weight": _("Năng lực tổ chức triển khai"),
    }


def unconfirmed_notes(settings: ScoringSettings = DEFAULT_SETTINGS) -> list[str]:
    """Every rule applied here that the law we have does not confirm, with the value in use (for the screen)."""
    return [
        _combination_note(settings),
        _floor_note(settings),
        _leader_note(settings),
        _year_note(settings),
    ]


def _combination_note(settings: ScoringSettings) -> str:
    return _(
        "Cách kết hợp số lượng, chất lượng và tiến độ thành 70 điểm chưa được xác nhận (Nghị định 335/2025 "
        "in công thức dưới dạng hình ảnh); đang dùng trung bình có trọng số (số lượng %(q)s, chất lượng "
        "%(l)s, tiến độ %(p)s) quy về 70 điểm."
    ) % {
        "q": _fmt(settings.quantity_weight),
        "l": _fmt(settings.quality_weight),
        "p": _fmt(settings.progress_weight),
    }


def _floor_note(settings: ScoringSettings) -> str:
    if settings.floor_at_zero:
        return _(
            "Việc điểm của một sản phẩm dừng ở 0 sau nhiều lần bị trừ (mỗi lần 25 %) chưa được xác nhận; đang áp dụng "
            "mức sàn 0 cho từng sản phẩm."
        )
    return _(
        "Việc điểm của một sản phẩm dừng ở 0 sau nhiều lần bị trừ (mỗi lần 25 %) chưa được xác nhận; đang không áp dụng "
        "mức sàn cho từng sản phẩm (chỉ tỷ lệ chung không thấp hơn 0)."
    )


def _leader_note(settings: ScoringSettings) -> str:
    return _(
        "Trọng số giữa các thành phần của công chức lãnh đạo, quản lý chưa được xác nhận; đang dùng số lượng "
        "%(q)s, chất lượng %(l)s, tiến độ %(p)s, kết quả hoạt động của đơn vị %(u)s, năng lực tổ chức triển "
        "khai %(c)s, quy về 70 điểm."
    ) % {
        "q": _fmt(settings.quantity_weight),
        "l": _fmt(settings.quality_weight),
        "p": _fmt(settings.progress_weight),
        "u": _fmt(settings.unit_result_weight),
        "c": _fmt(settings.capacity_weight),
    }


def _year_note(settings: ScoringSettings) -> str:
    if settings.year_mean == YearMean.TIME_WEIGHTED:
        return _(
            "Cách tính điểm năm chưa được xác nhận (trung bình cộng hay theo thời gian); đang dùng trung bình "
            "theo số ngày thực tế công tác của từng kỳ."
        )
    return _(
        "Cách tính điểm năm chưa được xác nhận (trung bình cộng hay theo thời gian); đang dùng trung bình "
        "cộng điểm các kỳ thực tế công tác."
    )


# -- results -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of a breakdown: what was measured (`value` in `unit`) and the points it gives."""

    code: str
    label: str
    value: Decimal | None
    unit: str
    points: Decimal
    note: str = ""


@dataclass(frozen=True)
class Score:
    """A score out of `maximum` and its breakdown, whose points add up to `total` exactly.

    `total` is None when there is nothing to assess (no product assigned, no period worked): such a score is
    "chưa đánh giá", never 0. `notes` say which unconfirmed rules were applied.
    """

    total: Decimal | None
    maximum: Decimal
    lines: tuple[Line, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def assessed(self) -> bool:
        return self.total is not None


def _refuse(problems: list[Problem]) -> None:
    if problems:
        raise RuleViolations(problems)


# -- task results (70) ---------------------------------------------------------------------------------------


def product_problems(products: Sequence[Product]) -> list[Problem]:
    """Every broken rule of the products' facts, each naming the product."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, product in enumerate(products):
        name = product.ref or str(index + 1)
        prefix = _("Sản phẩm «%(name)s»: ") % {"name": name}
        here = f"products.{index}."
        if name in seen:
            problems.append(Problem(prefix + _("bị khai báo trùng."), here + "ref"))
        seen.add(name)
        if not _is_number(product.weight) or product.weight <= 0:
            problems.append(
                Problem(
                    prefix
                    + _("hệ số quy đổi phải lớn hơn 0 (đang là %(value)s).") % {"value": product.weight},
                    here + "weight",
                )
            )
        for count, excused, count_label in (
            ("failures", "excused_failures", _("số lần không đạt yêu cầu")),
            ("delays", "excused_delays", _("số lần chậm tiến độ")),
        ):
            total, confirmed = getattr(product, count), getattr(product, excused)
            if not isinstance(total, int) or total < 0:
                problems.append(
                    Problem(
                        prefix
                        + _("%(what)s phải là số nguyên không âm (đang là %(value)s).")
                        % {"what": count_label, "value": total},
                        here + count,
                    )
                )
            elif not isinstance(confirmed, int) or not 0 <= confirmed <= total:
                problems.append(
                    Problem(
                        prefix
                        + _(
                            "số lần có nguyên nhân khách quan được xác nhận phải từ 0 đến %(total)s "
                            "(%(what)s), đang là %(value)s."
                        )
                        % {"total": total, "what": count_label, "value": confirmed},
                        here + excused,
                    )
                )
    return problems


@dataclass(frozen=True)
class _Ratios:
    quantity: Fraction
    quality: Fraction
    progress: Fraction
    assigned: Fraction
    completed: Fraction
    failures: int
    excused_failures: int
    delays: int
    excused_delays: int


def _credit(times: int, floor_at_zero: bool) -> Fraction:
    credit = 1 - DEDUCTION * times
    return max(credit, Fraction(0)) if floor_at_zero else credit


def _ratios(products: Sequence[Product], floor_at_zero: bool) -> _Ratios | None:
    assigned = sum((Fraction(p.weight) for p in products), Fraction(0))
    if assigned == 0:
        return None
    done = [p for p in products if p.completed]
    completed = sum((Fraction(p.weight) for p in done), Fraction(0))
    quality = sum(
        (Fraction(p.weight) * _credit(p.counted_failures, floor_at_zero) for p in done), Fraction(0)
    )
    progress = sum((Fraction(p.weight) * _credit(p.counted_delays, floor_at_zero) for p in done), Fraction(0))
    return _Ratios(
        quantity=completed / assigned,
        quality=max(quality, Fraction(0)) / assigned,
        progress=max(progress, Fraction(0)) / assigned,
        assigned=assigned,
        completed=completed,
        failures=sum(p.counted_failures for p in done),
        excused_failures=sum(p.excused_failures for p in done),
        delays=sum(p.counted_delays for p in done),
        excused_delays=sum(p.excused_delays for p in done),
    )


@dataclass(frozen=True)
class _Component:
    code: str
    label: str
    ratio: Fraction  # 0..1
    weight: Fraction
    note: str = ""


def _deduction_note(template: str, counted: int, excused: int) -> str:
    note = template % {"counted": counted}
    if excused:
        note += " " + _("Không tính %(excused)s lần có nguyên nhân khách quan được xác nhận.") % {
            "excused": excused
        }
    return note


def _product_components(ratios: _Ratios, settings: ScoringSettings) -> list[_Component]:
    return [
        _Component(
            "quantity",
            _("Số lượng sản phẩm hoàn thành"),
            ratios.quantity,
            Fraction(settings.quantity_weight),
            _("Hoàn thành %(done)s trên %(assigned)s sản phẩm quy đổi được giao.")
            % {"done": _fmt(ratios.completed), "assigned": _fmt(ratios.assigned)},
        ),
        _Component(
            "quality",
            _("Chất lượng sản phẩm"),
            ratios.quality,
            Fraction(settings.quality_weight),
            _deduction_note(
                _("Trừ 25 %% cho mỗi lần không đạt yêu cầu do sai sót lớn về nội dung: %(counted)s lần."),
                ratios.failures,
                ratios.excused_failures,
            ),
        ),
        _Component(
            "progress",
            _("Tiến độ sản phẩm"),
            ratios.progress,
            Fraction(settings.progress_weight),
            _deduction_note(
                _("Trừ 25 %% cho mỗi lần chậm tiến độ: %(counted)s lần."),
                ratios.delays,
                ratios.excused_delays,
            ),
        ),
    ]


def _combine(components: Sequence[_Component], maximum: Decimal, notes: Sequence[str]) -> Score:
    """Weighted mean of the ratios, scaled to `maximum`, with lines that add up to the total."""
    weight_sum = sum((c.weight for c in components), Fraction(0))
    exact = [Fraction(maximum) * c.weight / weight_sum * c.ratio for c in components]
    total, points = apportion(exact)
    lines = tuple(
        Line(c.code, c.label, round_half_up(c.ratio * 100), "%", p, c.note)
        for c, p in zip(components, points, strict=True)
    )
    return Score(total, maximum, lines, tuple(notes))


def _not_assessed(maximum: Decimal, *notes: str) -> Score:
    return Score(
        None, maximum, (), (_("Không có sản phẩm, công việc được giao trong kỳ: chưa đánh giá."), *notes)
    )


def task_results(products: Sequence[Product], *, settings: ScoringSettings = DEFAULT_SETTINGS) -> Score:
    """Task results of a công chức without a leading post, out of 70 (Art. 14).

    quantity = converted completed ÷ converted assigned; quality = Σ weight × max(0, 1 − 0.25 × counted
    failures) over the completed products ÷ converted assigned; progress the same with counted delays. The
    three are combined by `settings` (equal mean by default [U]). No product assigned: not assessed (None).
    """
    _refuse(product_problems(products) + settings.problems())
    notes = (_combination_note(settings), _floor_note(settings))
    ratios = _ratios(products, settings.floor_at_zero)
    if ratios is None:
        return _not_assessed(TASK_MAX, *notes)
    return _combine(_product_components(ratios, settings), TASK_MAX, notes)


def unit_result_ratio(subordinate_levels: Sequence[Level | str]) -> Decimal | None:
    """The unit's operating result for its leader: 100 % when every subordinate is rated at least HT, 50 %
    when any is KHT; None when no subordinate is rated."""
    if not subordinate_levels:
        return None
    if all(Level(level).rank <= Level.COMPLETED.rank for level in subordinate_levels):
        return UNIT_RESULT_ALL_COMPLETE
    return UNIT_RESULT_ANY_NOT_COMPLETE


def leader_task_results(
    products: Sequence[Product],
    *,
    subordinate_levels: Sequence[Level | str],
    capacity: Decimal,
    settings: ScoringSettings = DEFAULT_SETTINGS,
) -> Score:
    """Task results of a công chức with a leading post, out of 70.

    `products`: the products compared, the leader's own and those of the staff they direct; `subordinate_levels`:
    the levels of the công chức under them in the period (a deputy: within the fields assigned to them);
    `capacity`: the capacity to organise implementation, a ratio in percent entered by the assessor. The five
    ratios are combined by `settings` (equal mean by default [U]).
    """
    problems = product_problems(products) + settings.problems()
    if not _is_number(capacity) or not 0 <= capacity <= 100:
        problems.append(
            Problem(
                _("Tỷ lệ năng lực tổ chức triển khai phải từ 0 đến 100 %% (đang là %(value)s).")
                % {"value": capacity},
                "capacity",
            )
        )
    for index, level in enumerate(subordinate_levels):
        if level not in Level.values:
            problems.append(
                Problem(
                    _("Mức xếp loại của công chức thuộc quyền «%(value)s» không hợp lệ.") % {"value": level},
                    f"subordinate_levels.{index}",
                )
            )
    _refuse(problems)
    notes = [_combination_note(settings), _floor_note(settings), _leader_note(settings)]
    ratios = _ratios(products, settings.floor_at_zero)
    if ratios is None:
        return _not_assessed(TASK_MAX, *notes)
    components = _product_components(ratios, settings)
    unit_ratio = unit_result_ratio(subordinate_levels)
    if unit_ratio is None:
        notes.append(
            _(
                "Không có công chức thuộc quyền được xếp loại trong kỳ: thành phần kết quả hoạt động của đơn "
                "vị không được tính, các thành phần còn lại chia nhau trọng số của nó (chưa được xác nhận)."
            )
        )
    else:
        not_completed = sum(1 for level in subordinate_levels if Level(level) == Level.NOT_COMPLETED)
        components.append(
            _Component(
                "unit_result",
                _("Kết quả hoạt động của đơn vị"),
                Fraction(unit_ratio) / 100,
                Fraction(settings.unit_result_weight),
                _("%(count)s trên %(total)s công chức thuộc quyền không hoàn thành nhiệm vụ.")
                % {"count": not_completed, "total": len(subordinate_levels)},
            )
        )
    components.append(
        _Component(
            "capacity",
            _("Năng lực tổ chức triển khai thực hiện nhiệm vụ"),
            Fraction(capacity) / 100,
            Fraction(settings.capacity_weight),
        )
    )
    return _combine(components, TASK_MAX, notes)


# -- the period (100) and the year ---------------------------------------------------------------------------


def general_problems(general: Decimal) -> list[Problem]:
    if not _is_number(general) or not 0 <= general <= GENERAL_MAX:
        return [
            Problem(
                _("Điểm tiêu chí chung phải từ 0 đến 30 (đang là %(value)s).") % {"value": general}, "general"
            )
        ]
    return []


def period_score(*, general: Decimal, task: Score) -> Score:
    """The period's score out of 100: general criteria as entered (0–30, rounded to the cent) plus task results.

    Not assessed when the task results are not (no product assigned in the period).
    """
    problems = general_problems(general)
    if task.maximum != TASK_MAX:
        problems.append(Problem(_("Kết quả thực hiện nhiệm vụ phải được chấm trên thang 70 điểm."), "task"))
    _refuse(problems)
    if task.total is None:
        return Score(None, PERIOD_MAX, (), task.notes)
    general_points = round_half_up(general)
    general_line = Line("general", _("Tiêu chí chung"), general_points, _("điểm"), general_points)
    return Score(general_points + task.total, PERIOD_MAX, (general_line, *task.lines), task.notes)


@dataclass(frozen=True)
class PeriodEntry:
    """One month or quarter of the year, as scored by the agency the official worked in at the time.

    `worked` is False for a period spent entirely on sick or maternity leave (Art. 21: only the periods worked
    count); after a transfer the old agency's periods are entries like any other (`agency` says whose).
    `days_worked` weighs the period in the time-weighted mean.
    """

    label: str
    score: Decimal | None
    worked: bool = True
    days_worked: int | None = None
    agency: str = ""

    @property
    def counted(self) -> bool:
        return self.worked and self.score is not None


def year_problems(periods: Sequence[PeriodEntry], settings: ScoringSettings) -> list[Problem]:
    problems: list[Problem] = []
    for index, period in enumerate(periods):
        prefix = _("Kỳ «%(label)s»: ") % {"label": period.label or index + 1}
        here = f"periods.{index}."
        if period.score is not None and (not _is_number(period.score) or not 0 <= period.score <= PERIOD_MAX):
            problems.append(
                Problem(
                    prefix + _("điểm phải từ 0 đến 100 (đang là %(value)s).") % {"value": period.score},
                    here + "score",
                )
            )
        if settings.year_mean == YearMean.TIME_WEIGHTED and period.counted:
            days = period.days_worked
            if not isinstance(days, int) or isinstance(days, bool) or days <= 0:
                problems.append(
                    Problem(
                        prefix
                        + _("cần số ngày thực tế công tác lớn hơn 0 để tính trung bình theo thời gian."),
                        here + "days_worked",
                    )
                )
    return problems


def year_score(periods: Sequence[PeriodEntry], *, settings: ScoringSettings = DEFAULT_SETTINGS) -> Score:
    """The year's score: the mean of the period scores over the periods worked (Decree 335 Art. 21).

    Periods not worked or not assessed stay in the breakdown with 0 points and the reason. Each counted
    period's line gives its share of the mean. Period scores are taken to the cent first, so the mean lies
    between the lowest and the highest of them. No period counted: not assessed.
    """
    _refuse(year_problems(periods, settings) + settings.problems())
    notes = (_year_note(settings),)
    weighted = settings.year_mean == YearMean.TIME_WEIGHTED
    counted = [i for i, p in enumerate(periods) if p.counted]
    if not counted:
        return Score(None, PERIOD_MAX, (), (_("Không có kỳ nào thực tế công tác được chấm điểm."), *notes))
    weights = {i: Fraction(periods[i].days_worked or 0) if weighted else Fraction(1) for i in counted}
    weight_sum = sum(weights.values(), Fraction(0))
    exact = [Fraction(round_half_up(periods[i].score or 0)) * weights[i] / weight_sum for i in counted]
    total, shares = apportion(exact)
    share_of = dict(zip(counted, shares, strict=True))
    lines = []
    for index, period in enumerate(periods):
        agency = _(" (%(agency)s)") % {"agency": period.agency} if period.agency else ""
        value = None if period.score is None else round_half_up(period.score)
        if index in share_of:
            note = (
                _("%(days)s ngày công tác.") % {"days": period.days_worked}
                if weighted
                else _("1/%(count)s của điểm năm.") % {"count": len(counted)}
            )
            points = share_of[index]
        else:
            note = (
                _("Không có thời gian công tác thực tế (nghỉ ốm, nghỉ thai sản…): không tính.")
                if not period.worked
                else _("Kỳ chưa được đánh giá: không tính.")
            )
            points = Decimal("0.00")
        lines.append(Line(f"period.{index}", period.label + agency, value, _("điểm"), points, note))
    return Score(total, PERIOD_MAX, tuple(lines), notes)
