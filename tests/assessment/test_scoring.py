"""Decree 335/2025 scoring: worked examples by hand, bad input, then properties of the arithmetic."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from trongtam.assessment.domain.scoring import (
    PeriodEntry,
    Product,
    Score,
    ScoringSettings,
    apportion,
    leader_task_results,
    period_score,
    round_half_up,
    task_results,
    unconfirmed_notes,
    unit_result_ratio,
    year_score,
)
from trongtam.assessment.enums import Level, YearMean
from trongtam.core.errors import Problem, RuleViolations

pytestmark = pytest.mark.unit

D = Decimal


@pytest.fixture(autouse=True)
def _vietnamese() -> Iterator[None]:
    with translation.override("vi"):
        yield


def points(score: Score) -> dict[str, Decimal]:
    return {line.code: line.points for line in score.lines}


def values(score: Score) -> dict[str, Decimal | None]:
    return {line.code: line.value for line in score.lines}


def problems_of(excinfo: pytest.ExceptionInfo[RuleViolations]) -> list[Problem]:
    return excinfo.value.problems


# -- worked examples -----------------------------------------------------------------------------------------

A_MONTH = [
    Product("Báo cáo tháng", D(1), completed=True),
    Product("Tờ trình đề án", D(2), completed=True, failures=2),
    Product("Kế hoạch kiểm tra", D(1), completed=True, delays=1, excused_delays=1),
    Product("Dự thảo quyết định", D(1), completed=False),
]


def test_task_results_of_a_month_with_four_products() -> None:
    """Converted: 5 assigned, 4 completed.

    quantity 4/5 = 80 %; quality (1 + 2 × (1 − 2 × 25 %) + 1)/5 = 3/5 = 60 %; progress: the one delay has an
    objective cause, so (1 + 2 + 1)/5 = 80 %. Equal weights: 70 × (80 + 60 + 80)/300 = 51.333… → 51.33.
    Lines: 18.666…, 14, 18.666… → 18.67, 14.00, 18.66 (the first of two equal remainders gets the cent).
    """
    score = task_results(A_MONTH)

    assert score.total == D("51.33")
    assert values(score) == {"quantity": D("80.00"), "quality": D("60.00"), "progress": D("80.00")}
    assert points(score) == {"quantity": D("18.67"), "quality": D("14.00"), "progress": D("18.66")}
    assert score.maximum == D(70)
    assert [line.note for line in score.lines] == [
        "Hoàn thành 4 trên 5 sản phẩm quy đổi được giao.",
        "Trừ 25 % cho mỗi lần không đạt yêu cầu do sai sót lớn về nội dung: 2 lần.",
        "Trừ 25 % cho mỗi lần chậm tiến độ: 0 lần. Không tính 1 lần có nguyên nhân khách quan được xác nhận.",
    ]


def test_period_score_adds_the_general_criteria() -> None:
    score = period_score(general=D("27.5"), task=task_results(A_MONTH))

    assert score.total == D("78.83")
    assert score.lines[0].code == "general"
    assert score.lines[0].points == D("27.50")
    assert sum(line.points for line in score.lines) == score.total


def test_full_marks_are_seventy_not_three_times_a_third() -> None:
    score = task_results([Product("A", D(1), completed=True)])

    assert score.total == D("70.00")
    assert points(score) == {"quantity": D("23.34"), "quality": D("23.33"), "progress": D("23.33")}


def test_an_excused_failure_costs_nothing() -> None:
    score = task_results([Product("A", D(1), completed=True, failures=1, excused_failures=1)])

    assert score.total == D("70.00")


def test_a_product_stops_at_zero_after_four_failures_by_default() -> None:
    products = [Product("A", D(1), completed=True, failures=6), Product("B", D(1), completed=True)]

    assert values(task_results(products))["quality"] == D("50.00")


def test_without_the_floor_a_product_can_take_from_the_others() -> None:
    products = [Product("A", D(1), completed=True, failures=6), Product("B", D(1), completed=True)]
    settings = ScoringSettings(floor_at_zero=False)

    score = task_results(products, settings=settings)

    assert values(score)["quality"] == D("25.00")  # ((1 − 6 × 25 %) + 1)/2, where the floor gives (0 + 1)/2
    assert "đang không áp dụng mức sàn" in score.notes[1]


def test_without_the_floor_the_ratio_itself_never_goes_below_zero() -> None:
    score = task_results(
        [Product("A", D(1), completed=True, failures=9)], settings=ScoringSettings(floor_at_zero=False)
    )

    assert values(score)["quality"] == D("0.00")
    assert score.total == D("46.67")


def test_nothing_assigned_is_not_assessed_rather_than_zero() -> None:
    task = task_results([])
    period = period_score(general=D(30), task=task)

    assert task.total is None
    assert not task.assessed
    assert period.total is None
    assert task.notes[0] == "Không có sản phẩm, công việc được giao trong kỳ: chưa đánh giá."


def test_weights_are_a_setting() -> None:
    """Quality only: 60 % of 70 = 42."""
    settings = ScoringSettings(quantity_weight=D(0), quality_weight=D(1), progress_weight=D(0))

    score = task_results(A_MONTH, settings=settings)

    assert score.total == D("42.00")
    assert points(score) == {"quantity": D("0.00"), "quality": D("42.00"), "progress": D("0.00")}
    assert "(số lượng 0, chất lượng 1, tiến độ 0)" in score.notes[0]


def test_every_unconfirmed_rule_is_said_on_screen() -> None:
    notes = unconfirmed_notes()

    assert len(notes) == 4
    assert all("chưa được xác nhận" in note for note in notes)


@pytest.mark.parametrize(
    ("levels", "ratio"),
    [
        ([Level.EXCELLENT, Level.GOOD, Level.COMPLETED], D(100)),
        (["htt", "kht"], D(50)),
        ([Level.NOT_COMPLETED], D(50)),
        ([], None),
    ],
)
def test_unit_result_ratio(levels: list[Level | str], ratio: Decimal | None) -> None:
    assert unit_result_ratio(levels) == ratio


def test_leader_with_a_subordinate_who_did_not_complete() -> None:
    """Five ratios, each 14 of the 70 points: 80 %, 60 %, 80 %, unit 50 % (one KHT), capacity 80 %.

    11.20 + 8.40 + 11.20 + 7.00 + 11.20 = 49.00.
    """
    score = leader_task_results(
        A_MONTH, subordinate_levels=[Level.GOOD, Level.NOT_COMPLETED, Level.COMPLETED], capacity=D(80)
    )

    assert score.total == D("49.00")
    assert points(score) == {
        "quantity": D("11.20"),
        "quality": D("8.40"),
        "progress": D("11.20"),
        "unit_result": D("7.00"),
        "capacity": D("11.20"),
    }
    assert score.lines[3].note == "1 trên 3 công chức thuộc quyền không hoàn thành nhiệm vụ."
    assert any("lãnh đạo, quản lý chưa được xác nhận" in note for note in score.notes)


def test_leader_whose_subordinates_all_complete_gets_the_full_unit_result() -> None:
    score = leader_task_results(A_MONTH, subordinate_levels=[Level.GOOD, Level.COMPLETED], capacity=D(80))

    assert points(score)["unit_result"] == D("14.00")
    assert score.total == D("56.00")


def test_leader_without_subordinates_leaves_the_unit_result_out() -> None:
    """Four ratios, 17.5 points each: 14 + 10.5 + 14 + 14 = 52.5."""
    score = leader_task_results(A_MONTH, subordinate_levels=[], capacity=D(80))

    assert "unit_result" not in points(score)
    assert score.total == D("52.50")
    assert "Không có công chức thuộc quyền" in score.notes[-1]


def test_year_with_ten_months_worked_of_twelve() -> None:
    """Months 1–10 score 81..90 (mean 85.5); November and December on maternity leave do not count."""
    periods = [PeriodEntry(f"Tháng {m}/2026", D(80 + m)) for m in range(1, 11)]
    periods += [PeriodEntry(f"Tháng {m}/2026", None, worked=False) for m in (11, 12)]

    score = year_score(periods)

    assert score.total == D("85.50")
    assert [line.points for line in score.lines] == [D(80 + m) / 10 for m in range(1, 11)] + [D("0.00")] * 2
    assert (
        score.lines[-1].note == "Không có thời gian công tác thực tế (nghỉ ốm, nghỉ thai sản…): không tính."
    )
    assert "trung bình cộng điểm các kỳ thực tế công tác" in score.notes[0]


def test_year_after_a_transfer_counts_the_old_agency_periods() -> None:
    periods = [
        PeriodEntry("Quý I/2026", D(72), agency="Sở Tư pháp"),
        PeriodEntry("Quý II/2026", D(80), agency="Sở Tư pháp"),
        PeriodEntry("Quý III/2026", D(91), agency="Sở Nội vụ"),
        PeriodEntry("Quý IV/2026", D(85), agency="Sở Nội vụ"),
    ]

    score = year_score(periods)

    assert score.total == D("82.00")
    assert score.lines[0].label == "Quý I/2026 (Sở Tư pháp)"


def test_year_time_weighted_is_a_setting() -> None:
    """(90 × 10 + 60 × 20)/30 = 70."""
    periods = [PeriodEntry("Tháng 3", D(90), days_worked=10), PeriodEntry("Tháng 4", D(60), days_worked=20)]
    settings = ScoringSettings(year_mean=YearMean.TIME_WEIGHTED)

    score = year_score(periods, settings=settings)

    assert score.total == D("70.00")
    assert points(score) == {"period.0": D("30.00"), "period.1": D("40.00")}
    assert year_score(periods).total == D("75.00")


def test_year_without_a_period_worked_is_not_assessed() -> None:
    assert year_score([PeriodEntry("Tháng 1", D(90), worked=False)]).total is None
    assert year_score([]).total is None


def test_settings_round_trip() -> None:
    settings = ScoringSettings(
        quality_weight=D("2.5"),
        unit_result_weight=D(0),
        floor_at_zero=False,
        year_mean=YearMean.TIME_WEIGHTED,
    )

    assert ScoringSettings.from_dict(settings.to_dict()) == settings
    assert ScoringSettings.from_dict({}) == ScoringSettings()


# -- bad input -----------------------------------------------------------------------------------------------


def test_negative_weight_and_bad_counts_are_named_per_product() -> None:
    products = [
        Product("Báo cáo", D(-1), completed=True),
        Product("Tờ trình", D(1), completed=True, failures=1, excused_failures=2),
        Product("Kế hoạch", D(1), completed=True, delays=-1),
    ]

    with pytest.raises(RuleViolations) as excinfo:
        task_results(products)

    assert problems_of(excinfo) == [
        Problem("Sản phẩm «Báo cáo»: hệ số quy đổi phải lớn hơn 0 (đang là -1).", "products.0.weight"),
        Problem(
            "Sản phẩm «Tờ trình»: số lần có nguyên nhân khách quan được xác nhận phải từ 0 đến 1 "
            "(số lần không đạt yêu cầu), đang là 2.",
            "products.1.excused_failures",
        ),
        Problem(
            "Sản phẩm «Kế hoạch»: số lần chậm tiến độ phải là số nguyên không âm (đang là -1).",
            "products.2.delays",
        ),
    ]


def test_zero_weight_is_refused() -> None:
    with pytest.raises(RuleViolations) as excinfo:
        task_results([Product("A", D(0), completed=True)])

    assert problems_of(excinfo)[0].message == "Sản phẩm «A»: hệ số quy đổi phải lớn hơn 0 (đang là 0)."


@pytest.mark.parametrize("general", [D("30.01"), D(-1), D("NaN")])
def test_general_criteria_outside_zero_to_thirty(general: Decimal) -> None:
    with pytest.raises(RuleViolations) as excinfo:
        period_score(general=general, task=task_results(A_MONTH))

    assert problems_of(excinfo) == [
        Problem(f"Điểm tiêu chí chung phải từ 0 đến 30 (đang là {general}).", "general")
    ]


def test_capacity_and_levels_are_checked() -> None:
    with pytest.raises(RuleViolations) as excinfo:
        leader_task_results(A_MONTH, subordinate_levels=["xuat_sac"], capacity=D(120))

    assert [p.message for p in problems_of(excinfo)] == [
        "Tỷ lệ năng lực tổ chức triển khai phải từ 0 đến 100 % (đang là 120).",
        "Mức xếp loại của công chức thuộc quyền «xuat_sac» không hợp lệ.",
    ]


def test_negative_setting_weights_are_refused() -> None:
    with pytest.raises(RuleViolations) as excinfo:
        task_results(A_MONTH, settings=ScoringSettings(quality_weight=D(-1)))

    assert problems_of(excinfo) == [
        Problem("Trọng số «Chất lượng» phải là một số không âm (đang là -1).", "quality_weight")
    ]


def test_all_product_weights_zero_is_refused() -> None:
    zero = ScoringSettings(quantity_weight=D(0), quality_weight=D(0), progress_weight=D(0))

    with pytest.raises(RuleViolations) as excinfo:
        task_results(A_MONTH, settings=zero)

    assert (
        problems_of(excinfo)[0].message
        == "Các trọng số số lượng, chất lượng và tiến độ không thể cùng bằng 0."
    )


def test_year_refuses_a_period_score_above_100_and_missing_days() -> None:
    periods = [PeriodEntry("Tháng 1", D(101), days_worked=20), PeriodEntry("Tháng 2", D(80))]

    with pytest.raises(RuleViolations) as excinfo:
        year_score(periods, settings=ScoringSettings(year_mean=YearMean.TIME_WEIGHTED))

    assert problems_of(excinfo) == [
        Problem("Kỳ «Tháng 1»: điểm phải từ 0 đến 100 (đang là 101).", "periods.0.score"),
        Problem(
            "Kỳ «Tháng 2»: cần số ngày thực tế công tác lớn hơn 0 để tính trung bình theo thời gian.",
            "periods.1.days_worked",
        ),
    ]


# -- properties ----------------------------------------------------------------------------------------------

weights = st.decimals(min_value=D("0.01"), max_value=D(10), places=2, allow_nan=False, allow_infinity=False)
counts = st.integers(min_value=0, max_value=6)


@st.composite
def products(draw: st.DrawFn) -> Product:
    failures, delays = draw(counts), draw(counts)
    return Product(
        ref="",
        weight=draw(weights),
        completed=draw(st.booleans()),
        failures=failures,
        excused_failures=draw(st.integers(0, failures)),
        delays=delays,
        excused_delays=draw(st.integers(0, delays)),
    )


product_lists = st.lists(products(), min_size=1, max_size=8).map(
    lambda items: [dataclasses.replace(p, ref=str(i)) for i, p in enumerate(items)]
)
setting_weights = st.decimals(min_value=D(0), max_value=D(5), places=2, allow_nan=False, allow_infinity=False)


@st.composite
def scoring_settings(draw: st.DrawFn) -> ScoringSettings:
    quantity, quality, progress = draw(setting_weights), draw(setting_weights), draw(setting_weights)
    if quantity + quality + progress == 0:
        quantity = D(1)
    return ScoringSettings(
        quantity_weight=quantity,
        quality_weight=quality,
        progress_weight=progress,
        unit_result_weight=draw(setting_weights),
        capacity_weight=draw(setting_weights),
        floor_at_zero=draw(st.booleans()),
    )


levels = st.lists(st.sampled_from(list(Level)), max_size=5)
ratios = st.decimals(min_value=D(0), max_value=D(100), places=2, allow_nan=False, allow_infinity=False)
scores = st.decimals(min_value=D(0), max_value=D(100), places=2, allow_nan=False, allow_infinity=False)


def assert_well_formed(score: Score, maximum: Decimal) -> None:
    assert score.total is not None
    assert D(0) <= score.total <= maximum
    assert score.total == score.total.quantize(D("0.01"))
    assert sum((line.points for line in score.lines), D(0)) == score.total
    assert all(line.points >= 0 for line in score.lines)


@given(product_lists, scoring_settings())
def test_task_results_stay_within_seventy_and_the_lines_add_up(
    items: list[Product], settings: ScoringSettings
) -> None:
    score = task_results(items, settings=settings)

    assert_well_formed(score, D(70))
    assert all(line.value is not None and D(0) <= line.value <= D(100) for line in score.lines)


@given(product_lists, scoring_settings(), levels, ratios)
def test_leader_results_stay_within_seventy_and_the_lines_add_up(
    items: list[Product], settings: ScoringSettings, subordinates: list[Level], capacity: Decimal
) -> None:
    assert_well_formed(
        leader_task_results(items, subordinate_levels=subordinates, capacity=capacity, settings=settings),
        D(70),
    )


@given(
    product_lists,
    st.decimals(min_value=D(0), max_value=D(30), places=2, allow_nan=False, allow_infinity=False),
)
def test_period_scores_stay_within_a_hundred_and_the_lines_add_up(
    items: list[Product], general: Decimal
) -> None:
    assert_well_formed(period_score(general=general, task=task_results(items)), D(100))


@given(product_lists, st.data(), st.sampled_from(["failures", "delays"]), scoring_settings())
def test_one_more_failure_or_delay_never_raises_a_score(
    items: list[Product], data: st.DataObject, what: str, settings: ScoringSettings
) -> None:
    index = data.draw(st.integers(0, len(items) - 1))
    worse = list(items)
    worse[index] = dataclasses.replace(items[index], **{what: getattr(items[index], what) + 1})

    before, after = task_results(items, settings=settings), task_results(worse, settings=settings)

    assert after.total is not None
    assert before.total is not None
    assert after.total <= before.total
    component = "quality" if what == "failures" else "progress"
    assert values(after)[component] <= values(before)[component]  # type: ignore[operator]


@given(product_lists, st.data())
def test_completing_one_more_product_never_lowers_quantity_or_the_score(
    items: list[Product], data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(items) - 1))
    more = list(items)
    more[index] = dataclasses.replace(items[index], completed=True)

    before, after = task_results(items), task_results(more)

    assert values(after)["quantity"] >= values(before)["quantity"]  # type: ignore[operator]
    assert after.total >= before.total  # type: ignore[operator]  # with the default floor at 0


@st.composite
def period_entries(draw: st.DrawFn) -> PeriodEntry:
    return PeriodEntry(
        label=draw(st.sampled_from(["Tháng 1", "Quý II", ""])),
        score=draw(st.none() | scores),
        worked=draw(st.booleans()),
        days_worked=draw(st.integers(1, 92)),
    )


@given(st.lists(period_entries(), max_size=12), st.sampled_from(list(YearMean)))
def test_the_year_mean_lies_between_the_period_scores(periods: list[PeriodEntry], mean: YearMean) -> None:
    score = year_score(periods, settings=ScoringSettings(year_mean=mean))

    counted = [p.score for p in periods if p.counted and p.score is not None]
    if not counted:
        assert score.total is None
        return
    assert_well_formed(score, D(100))
    assert min(counted) <= score.total <= max(counted)  # type: ignore[operator]
    assert len(score.lines) == len(periods)


@given(st.decimals(min_value=D(-1000), max_value=D(1000), places=6, allow_nan=False, allow_infinity=False))
def test_round_half_up_agrees_with_decimal(value: Decimal) -> None:
    assert round_half_up(value) == value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


@given(st.lists(st.fractions(min_value=0, max_value=100, max_denominator=1000), max_size=8))
def test_apportion_adds_up_and_stays_within_a_cent(parts: Sequence[Fraction]) -> None:
    total, rounded = apportion(parts)

    assert sum(rounded, D(0)) == total
    for exact, part in zip(parts, rounded, strict=True):
        assert abs(Fraction(part) - exact) < Fraction(1, 100)
