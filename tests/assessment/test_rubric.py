"""Rubrics: a head's 2026 sheet scored by hand, every rule a rubric must keep, then properties."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from trongtam.assessment.domain.rubric import (
    Criterion,
    Linear,
    MetricRegistry,
    MetricValue,
    Rubric,
    Step,
    Steps,
    Values,
    from_dict,
    register_metric,
    score,
    to_dict,
    validate,
)
from trongtam.assessment.enums import CriterionKind, Direction, NoData
from trongtam.core.errors import Problem, RuleViolations

pytestmark = pytest.mark.unit

D = Decimal
K = CriterionKind
ON_TIME, COMPLETION, OVERDUE = "directive_on_time_rate", "keytask_completion_rate", "overdue_led_by_head"


@pytest.fixture(autouse=True)
def _vietnamese() -> Iterator[None]:
    with translation.override("vi"):
        yield


def nothing(subject: Any, period: Any, cut_off: dt.date, /) -> MetricValue:
    return MetricValue(None)


def make_registry() -> MetricRegistry:
    registry = MetricRegistry()
    register_metric(ON_TIME, "Tỷ lệ chỉ đạo hoàn thành đúng hạn", "%", nothing, registry=registry)
    register_metric(COMPLETION, "Tỷ lệ nhiệm vụ trọng tâm hoàn thành", "%", nothing, registry=registry)
    register_metric(
        OVERDUE,
        "Nhiệm vụ quá hạn do người đứng đầu trực tiếp chỉ đạo",
        "nhiệm vụ",
        nothing,
        registry=registry,
    )
    return registry


REGISTRY = make_registry()

HEADS_2026 = Rubric(
    code="TT-2026",
    title="Đánh giá người đứng đầu năm 2026",
    criteria=(
        Criterion(
            "1",
            "Chỉ đạo, điều hành",
            D(40),
            children=(
                Criterion(
                    "1.1",
                    "Chỉ đạo hoàn thành đúng hạn",
                    D(20),
                    K.AUTOMATIC,
                    metric=ON_TIME,
                    scoring=Linear(D(50), D(100)),
                ),
                Criterion("1.2", "Chất lượng tham mưu", D(20)),
            ),
        ),
        Criterion(
            "2",
            "Nhiệm vụ trọng tâm",
            D(40),
            children=(
                Criterion(
                    "2.1",
                    "Nhiệm vụ trọng tâm hoàn thành",
                    D(20),
                    K.AUTOMATIC,
                    metric=COMPLETION,
                    scoring=Steps(
                        (Step(D(50), D(5)), Step(D(70), D(10)), Step(D(90), D(15)), Step(D(100), D(20)))
                    ),
                ),
                Criterion(
                    "2.2",
                    "Nhiệm vụ quá hạn do người đứng đầu chỉ đạo",
                    D(20),
                    K.AUTOMATIC,
                    metric=OVERDUE,
                    scoring=Linear(D(0), D(5), Direction.LOWER_IS_BETTER),
                ),
            ),
        ),
        Criterion("3", "Tiêu chí chung", D(20)),
        Criterion("B", "Sáng kiến được công nhận", D(5), K.BONUS),
        Criterion("P", "Vi phạm kỷ luật hành chính", D(10), K.PENALTY),
    ),
    bonus_cap=D(5),
    penalty_cap=D(10),
)

MEASURED = {
    ON_TIME: MetricValue(D(85), (11, 12, 13), "directives.directive"),
    COMPLETION: MetricValue(D(92), (21,), "keytasks.task"),
    OVERDUE: MetricValue(D(2), (31, 32), "followup.task"),
}


def sheet_values(**points: str) -> Values:
    return Values(points={code: D(p) for code, p in points.items()}, metrics=MEASURED)


def messages(excinfo: pytest.ExceptionInfo[RuleViolations]) -> list[str]:
    return [p.message for p in excinfo.value.problems]


def with_criteria(*criteria: Criterion, **changes: Any) -> Rubric:
    return Rubric(code="R", title="Bộ tiêu chí", criteria=criteria, **changes)


# -- worked example ------------------------------------------------------------------------------------------


def test_the_heads_rubric_is_valid() -> None:
    assert validate(HEADS_2026, REGISTRY) == []


def test_a_head_score_sheet_by_hand() -> None:
    """1.1: on time 85 % between 50 and 100 → 35/50 × 20 = 14. 1.2: 17.5 by hand. 2.1: 92 % reaches the
    90 step → 15. 2.2: 2 overdue, 0 best and 5 worst → 20 × 3/5 = 12. 3: 18. Main 76.5; bonus 3; penalty 2:
    77.5."""
    sheet = score(HEADS_2026, sheet_values(**{"1.2": "17.5", "3": "18", "B": "3", "P": "2"}))

    assert (sheet.main, sheet.bonus, sheet.penalty, sheet.total) == (D("76.50"), D(3), D(2), D("77.50"))
    assert [(line.code, line.points) for line in sheet.explain()] == [
        ("1.1", D("14.00")),
        ("1.2", D("17.50")),
        ("2.1", D("15.00")),
        ("2.2", D("12.00")),
        ("3", D("18.00")),
        ("B", D("3.00")),
        ("P", D("-2.00")),
    ]
    first = sheet.explain()[0]
    assert (first.path, first.metric, first.value, first.record_ids, first.record_kind) == (
        ("Chỉ đạo, điều hành",),
        ON_TIME,
        D(85),
        (11, 12, 13),
        "directives.directive",
    )
    assert first.note == "Từ 50 trở xuống: 0 điểm; từ 100 trở lên: 20 điểm; ở giữa: tăng đều."
    assert sheet.explain()[3].note == "Từ 0 trở xuống: 20 điểm; từ 5 trở lên: 0 điểm; ở giữa: giảm đều."
    assert sheet.criteria[0].points == D("31.50")
    assert sheet.complete


def test_manual_criteria_not_yet_scored_count_zero_and_are_listed() -> None:
    sheet = score(HEADS_2026, sheet_values(**{"3": "18"}))

    assert sheet.missing == ("1.2", "B", "P")
    assert not sheet.complete
    assert sheet.total == D("59.00")
    assert sheet.explain()[1].note == "Chưa chấm."


def test_bonus_and_penalty_beyond_their_caps_are_lines_of_their_own() -> None:
    rubric = with_criteria(
        Criterion("A", "Chung", D(100)),
        Criterion("B1", "Sáng kiến", D(5), K.BONUS),
        Criterion("B2", "Khen thưởng", D(5), K.BONUS),
        Criterion("P1", "Vi phạm", D(10), K.PENALTY),
        Criterion("P2", "Khiếu nại đúng", D(10), K.PENALTY),
        bonus_cap=D(6),
        penalty_cap=D(12),
    )

    sheet = score(rubric, Values(points={"A": D(50), "B1": D(5), "B2": D(4), "P1": D(10), "P2": D(5)}))

    assert (sheet.bonus_earned, sheet.bonus, sheet.penalty_incurred, sheet.penalty) == (
        D(9),
        D(6),
        D(15),
        D(12),
    )
    assert sheet.total == D(44)
    assert [(line.code, line.kind, line.points) for line in sheet.explain()[-2:]] == [
        ("bonus_cap", "adjustment", D(-3)),
        ("penalty_cap", "adjustment", D(3)),
    ]
    assert sum(line.points for line in sheet.explain()) == sheet.total


@pytest.mark.parametrize(
    ("points", "total", "adjustment"),
    [
        ({"A": D(100), "B": D(5)}, D(100), ("Tổng điểm không vượt quá 100", D(-5))),
        ({"A": D(3), "P": D(10)}, D(0), ("Tổng điểm không thấp hơn 0", D(7))),
    ],
)
def test_the_total_is_clamped_to_zero_and_a_hundred_with_a_line_saying_so(
    points: dict[str, Decimal], total: Decimal, adjustment: tuple[str, Decimal]
) -> None:
    rubric = with_criteria(
        Criterion("A", "Chung", D(100)),
        Criterion("B", "Thưởng", D(5), K.BONUS),
        Criterion("P", "Trừ", D(10), K.PENALTY),
        bonus_cap=D(5),
        penalty_cap=D(10),
    )

    sheet = score(rubric, Values(points=points))

    assert sheet.total == total
    assert (sheet.explain()[-1].label, sheet.explain()[-1].points) == adjustment
    assert sum(line.points for line in sheet.explain()) == total


@pytest.mark.parametrize(("rule", "points"), [(NoData.FULL, D(20)), (NoData.ZERO, D(0))])
def test_a_metric_with_nothing_to_measure(rule: str, points: Decimal) -> None:
    rubric = with_criteria(
        Criterion("A", "Chung", D(80)),
        Criterion(
            "T",
            "Đúng hạn",
            D(20),
            K.AUTOMATIC,
            metric=ON_TIME,
            scoring=Linear(D(50), D(100)),
            if_no_data=rule,
        ),
    )

    sheet = score(rubric, Values(points={"A": D(0)}, metrics={ON_TIME: MetricValue(None)}))

    assert sheet.total == points


def test_an_automatic_penalty_from_a_metric() -> None:
    rubric = with_criteria(
        Criterion("A", "Chung", D(100)),
        Criterion(
            "P",
            "Quá hạn",
            D(5),
            K.PENALTY,
            metric=OVERDUE,
            scoring=Steps((Step(D(1), D(1)), Step(D(3), D(5)))),
        ),
        penalty_cap=D(5),
    )

    sheet = score(rubric, Values(points={"A": D(90)}, metrics={OVERDUE: MetricValue(D(2), (7, 8))}))

    assert sheet.total == D(89)
    assert (sheet.explain()[1].points, sheet.explain()[1].record_ids) == (D(-1), (7, 8))


@pytest.mark.parametrize(
    ("value", "points"),
    [(D(0), D(0)), (D("49.99"), D(0)), (D(50), D(5)), (D(89), D(10)), (D(90), D(15)), (D(100), D(20))],
)
def test_step_table(value: Decimal, points: Decimal) -> None:
    table = Steps((Step(D(50), D(5)), Step(D(70), D(10)), Step(D(90), D(15)), Step(D(100), D(20))))

    assert table.points(value, D(20)) == points


# -- registry ------------------------------------------------------------------------------------------------


def test_registering_a_metric_twice() -> None:
    registry = MetricRegistry()
    first = register_metric("m", "M", "%", nothing, registry=registry)

    assert register_metric("m", "M", "%", nothing, registry=registry) is first
    with pytest.raises(ValueError, match="already registered"):
        register_metric("m", "M", "%", lambda subject, period, cut_off: MetricValue(D(1)), registry=registry)
    assert [m.code for m in registry] == ["m"]


# -- bad input -----------------------------------------------------------------------------------------------


def test_manual_points_above_the_maximum() -> None:
    with pytest.raises(RuleViolations) as excinfo:
        score(HEADS_2026, sheet_values(**{"1.2": "21", "3": "-1"}))

    assert excinfo.value.problems == [
        Problem("Tiêu chí «Chất lượng tham mưu» (1.2): điểm phải từ 0 đến 20 (đang là 21).", "points.1.2"),
        Problem("Tiêu chí «Tiêu chí chung» (3): điểm phải từ 0 đến 20 (đang là -1).", "points.3"),
    ]


def test_points_typed_over_an_automatic_criterion_or_a_group_or_nothing() -> None:
    with pytest.raises(RuleViolations) as excinfo:
        score(HEADS_2026, sheet_values(**{"1.1": "20", "1": "40", "9.9": "1"}))

    assert messages(excinfo) == [
        "Tiêu chí «Chỉ đạo hoàn thành đúng hạn» (1.1): được tính tự động từ chỉ số «directive_on_time_rate», "
        "không nhập điểm.",
        "Tiêu chí «Chỉ đạo, điều hành» (1): là nhóm tiêu chí; điểm của nhóm là tổng điểm các tiêu chí con.",
        "Không có tiêu chí mã «9.9» trong bộ tiêu chí.",
    ]


def test_a_metric_value_missing_from_the_sheet() -> None:
    with pytest.raises(RuleViolations) as excinfo:
        score(HEADS_2026, Values(metrics={ON_TIME: MEASURED[ON_TIME], OVERDUE: MEASURED[OVERDUE]}))

    assert messages(excinfo) == [
        "Tiêu chí «Nhiệm vụ trọng tâm hoàn thành» (2.1): chưa có giá trị của chỉ số «keytask_completion_rate»."
    ]


def test_unknown_metric() -> None:
    rubric = with_criteria(
        Criterion("A", "Chung", D(80)),
        Criterion(
            "T", "Hồ sơ đúng hạn", D(20), K.AUTOMATIC, metric="dossier_on_time", scoring=Linear(D(0), D(100))
        ),
    )

    assert validate(rubric, REGISTRY) == [
        Problem(
            "Tiêu chí «Hồ sơ đúng hạn» (T): chỉ số «dossier_on_time» chưa được đăng ký.", "criteria.T.metric"
        )
    ]
    assert validate(rubric, None) == []


def test_thresholds_reversed() -> None:
    rubric = with_criteria(
        Criterion("A", "Chung", D(80)),
        Criterion("T", "Đúng hạn", D(20), K.AUTOMATIC, metric=ON_TIME, scoring=Linear(D(90), D(50))),
    )

    assert validate(rubric, REGISTRY) == [
        Problem(
            "Tiêu chí «Đúng hạn» (T): ngưỡng dưới (90) phải nhỏ hơn ngưỡng trên (50).", "criteria.T.scoring"
        )
    ]


def test_step_bounds_must_strictly_increase_and_points_stay_within_the_maximum() -> None:
    table = Steps((Step(D(50), D(5)), Step(D(70), D(10)), Step(D(70), D(15)), Step(D(90), D(25))))
    rubric = with_criteria(
        Criterion("A", "Chung", D(80)),
        Criterion("T", "Hoàn thành", D(20), K.AUTOMATIC, metric=COMPLETION, scoring=table),
    )

    assert [p.message for p in validate(rubric, REGISTRY)] == [
        "Tiêu chí «Hoàn thành» (T): các mốc của bảng bậc phải tăng dần: mốc 70 đứng sau mốc 70.",
        "Tiêu chí «Hoàn thành» (T): điểm của mốc 90 phải từ 0 đến 20, tối đa hai chữ số thập phân (đang là 25).",
    ]


def test_rubric_not_adding_to_100() -> None:
    rubric = with_criteria(Criterion("1", "Chỉ đạo", D(40)), Criterion("2", "Nhiệm vụ", D(55)))

    assert validate(rubric, REGISTRY) == [
        Problem(
            "Tổng điểm tối đa của các tiêu chí chính là 95, phải bằng 100 "
            "(các tiêu chí chính: «Chỉ đạo» 40, «Nhiệm vụ» 55).",
            "criteria",
        )
    ]


def test_children_not_adding_to_their_parent() -> None:
    rubric = with_criteria(
        Criterion(
            "1", "Chỉ đạo", D(60), children=(Criterion("1.1", "a", D(30)), Criterion("1.2", "b", D("29.5")))
        ),
        Criterion("2", "Nhiệm vụ", D(40)),
    )

    assert validate(rubric, REGISTRY) == [
        Problem(
            "Tiêu chí «Chỉ đạo» (1): tổng điểm tối đa của các tiêu chí con là 59,5, phải bằng 60.",
            "criteria.1.max_points",
        )
    ]


def test_duplicate_codes_and_kinds_in_the_wrong_place() -> None:
    rubric = with_criteria(
        Criterion("1", "Chỉ đạo", D(50), children=(Criterion("1.1", "a", D(50), K.BONUS),)),
        Criterion("1", "Nhiệm vụ", D(50), metric=ON_TIME),
        Criterion("T", "Tự động", D(5), K.AUTOMATIC),
        Criterion("B", "Thưởng", D(5), K.BONUS),
        penalty_cap=D(-1),
    )

    assert [p.message for p in validate(rubric, REGISTRY)] == [
        "Tiêu chí «a» (1.1): là tiêu chí con của «Chỉ đạo» nên phải cùng phần tiêu chí chính.",
        "Tiêu chí «Nhiệm vụ» (1): là tiêu chí chấm thủ công nên không gắn chỉ số hay cách tính điểm.",
        "Tiêu chí «Nhiệm vụ» (1): mã trùng với tiêu chí «Chỉ đạo».",
        "Tiêu chí «Tự động» (T): là tiêu chí tự động nên phải gắn một chỉ số.",
        "Tổng điểm tối đa của các tiêu chí chính là 105, phải bằng 100 "
        "(các tiêu chí chính: «Chỉ đạo» 50, «Nhiệm vụ» 50, «Tự động» 5).",
        "Mức tối đa của điểm thưởng đang là 0 nên tiêu chí «Thưởng» không có tác dụng.",
        "Mức tối đa của điểm trừ phải từ 0 đến 100, tối đa hai chữ số thập phân (đang là -1).",
    ]


def test_negative_maximum_and_missing_names() -> None:
    rubric = with_criteria(Criterion("1", "", D(-5)), Criterion("", "Nhiệm vụ", D("105.001")))

    assert [p.message for p in validate(rubric, None)] == [
        "Tiêu chí «chưa có tên» (1): chưa có tên.",
        "Tiêu chí «chưa có tên» (1): điểm tối đa phải lớn hơn 0, tối đa hai chữ số thập phân (đang là -5).",
        "Tiêu chí «Nhiệm vụ» (chưa có mã): chưa có mã.",
        "Tiêu chí «Nhiệm vụ» (chưa có mã): điểm tối đa phải lớn hơn 0, tối đa hai chữ số thập phân "
        "(đang là 105.001).",
    ]


def test_scoring_refuses_a_malformed_rubric() -> None:
    with pytest.raises(RuleViolations) as excinfo:
        score(with_criteria(Criterion("1", "Chỉ đạo", D(40))), Values(points={"1": D(40)}))

    assert messages(excinfo) == [
        "Tổng điểm tối đa của các tiêu chí chính là 40, phải bằng 100 (các tiêu chí chính: «Chỉ đạo» 40)."
    ]


# -- import and export ---------------------------------------------------------------------------------------


def test_export_and_import_through_json() -> None:
    text = json.dumps(to_dict(HEADS_2026), ensure_ascii=False)

    assert from_dict(json.loads(text), REGISTRY) == HEADS_2026
    assert to_dict(from_dict(json.loads(text), REGISTRY)) == to_dict(HEADS_2026)


def test_import_validates_the_rubric() -> None:
    data = to_dict(HEADS_2026)
    data["criteria"][0]["children"][0]["scoring"]["low"] = "100"

    with pytest.raises(RuleViolations) as excinfo:
        from_dict(data, REGISTRY)

    assert messages(excinfo) == [
        "Tiêu chí «Chỉ đạo hoàn thành đúng hạn» (1.1): ngưỡng dưới (100) phải nhỏ hơn ngưỡng trên (100)."
    ]


def test_import_looks_metrics_up_in_the_registry() -> None:
    with pytest.raises(RuleViolations) as excinfo:
        from_dict(to_dict(HEADS_2026), MetricRegistry())

    assert len(excinfo.value.problems) == 3
    assert messages(excinfo)[0] == (
        "Tiêu chí «Chỉ đạo hoàn thành đúng hạn» (1.1): chỉ số «directive_on_time_rate» chưa được đăng ký."
    )


def test_import_reports_every_malformed_field() -> None:
    data = to_dict(HEADS_2026)
    data["criteria"][2]["max_points"] = "hai mươi"
    data["criteria"][1]["children"][0]["scoring"] = {"type": "curve"}
    data["criteria"][4] = "P"

    with pytest.raises(RuleViolations) as excinfo:
        from_dict(data, REGISTRY)

    assert excinfo.value.problems == [
        Problem(
            "Tiêu chí «2.1»: cách tính điểm «curve» không hợp lệ (linear hoặc steps).",
            "criteria.1.children.0.scoring.type",
        ),
        Problem(
            "Tiêu chí «3»: trường «max_points» phải là một số (đang là hai mươi).", "criteria.2.max_points"
        ),
        Problem("Tệp bộ tiêu chí: phải là một đối tượng JSON.", "criteria.4"),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "Tệp bộ tiêu chí: phải là một đối tượng JSON."),
        ({"format": "other"}, "Tệp không phải là bộ tiêu chí của Trọng Tâm."),
        ({"format": "trongtam.rubric", "version": 9}, "Phiên bản tệp bộ tiêu chí «9» chưa được hỗ trợ."),
    ],
)
def test_import_of_something_else(data: object, message: str) -> None:
    with pytest.raises(RuleViolations) as excinfo:
        from_dict(data, REGISTRY)

    assert messages(excinfo) == [message]


# -- properties ----------------------------------------------------------------------------------------------

METRIC_CODES = [ON_TIME, COMPLETION, OVERDUE]
amounts = st.decimals(min_value=D(-1000), max_value=D(1000), places=2, allow_nan=False, allow_infinity=False)


def cents(value: int) -> Decimal:
    return D(value).scaleb(-2)


@st.composite
def partition(draw: st.DrawFn, total: int, most: int) -> list[int]:
    """`total` cents split into 1..`most` positive parts."""
    count = draw(st.integers(1, min(most, total)))
    cuts = sorted(
        draw(st.lists(st.integers(1, total - 1), min_size=count - 1, max_size=count - 1, unique=True))
    )
    bounds = [0, *cuts, total]
    return [b - a for a, b in itertools.pairwise(bounds)]


@st.composite
def linears(draw: st.DrawFn) -> Linear:
    low = draw(amounts)
    width = draw(
        st.decimals(min_value=D("0.01"), max_value=D(500), places=2, allow_nan=False, allow_infinity=False)
    )
    return Linear(low, low + width, draw(st.sampled_from(list(Direction))))


@st.composite
def step_tables(draw: st.DrawFn, maximum: int) -> Steps:
    bounds = sorted(draw(st.lists(amounts, min_size=1, max_size=5, unique=True)))
    return Steps(tuple(Step(b, cents(draw(st.integers(0, maximum)))) for b in bounds))


@st.composite
def criteria(draw: st.DrawFn, code: str, maximum: int, part: str, depth: int) -> Criterion:
    label = draw(st.sampled_from(["Chỉ đạo", "Nhiệm vụ «trọng tâm»", "Tiêu chí chung", "Hồ sơ"]))
    if depth < 2 and maximum > 1 and draw(st.booleans()):
        parts = draw(partition(maximum, 3))
        children = tuple(draw(criteria(f"{code}.{i + 1}", p, part, depth + 1)) for i, p in enumerate(parts))
        kind = {"bonus": K.BONUS, "penalty": K.PENALTY}.get(part, K.MANUAL)
        return Criterion(code, label, cents(maximum), kind, children=children)
    if part == "main":
        kind = draw(st.sampled_from([K.MANUAL, K.AUTOMATIC]))
        automatic = kind == K.AUTOMATIC
    else:
        kind = K.BONUS if part == "bonus" else K.PENALTY
        automatic = draw(st.booleans())
    if not automatic:
        return Criterion(
            code, label, cents(maximum), kind, description=draw(st.sampled_from(["", "Ghi chú"]))
        )
    scoring = draw(st.one_of(linears(), step_tables(maximum)))
    return Criterion(
        code,
        label,
        cents(maximum),
        kind,
        metric=draw(st.sampled_from(METRIC_CODES)),
        scoring=scoring,
        if_no_data=draw(st.sampled_from(list(NoData))),
    )


@st.composite
def rubrics(draw: st.DrawFn) -> Rubric:
    main = draw(partition(10000, 4))
    top = [draw(criteria(str(i + 1), p, "main", 0)) for i, p in enumerate(main)]
    for part, letter in (("bonus", "B"), ("penalty", "P")):
        for i in range(draw(st.integers(0, 2))):
            top.append(draw(criteria(f"{letter}{i + 1}", draw(st.integers(1, 2000)), part, 0)))
    return Rubric(
        code="R",
        title="Bộ tiêu chí",
        criteria=tuple(top),
        bonus_cap=cents(draw(st.integers(1, 1000))),
        penalty_cap=cents(draw(st.integers(1, 2000))),
    )


@st.composite
def sheet_for(draw: st.DrawFn, rubric: Rubric) -> Values:
    points = {}
    for criterion, _above in rubric.walk():
        if not criterion.is_group and not criterion.is_automatic and draw(st.integers(0, 4)):
            points[criterion.code] = cents(draw(st.integers(0, int(criterion.max_points * 100))))
    metrics = {
        code: MetricValue(
            draw(st.none() | amounts), tuple(draw(st.lists(st.integers(1, 999), max_size=3))), "x.y"
        )
        for code in METRIC_CODES
    }
    return Values(points=points, metrics=metrics)


@settings(max_examples=60)
@given(rubrics())
def test_generated_rubrics_are_valid_and_round_trip_through_json(rubric: Rubric) -> None:
    assert validate(rubric, REGISTRY) == []
    data = json.loads(json.dumps(to_dict(rubric)))

    assert from_dict(data, REGISTRY) == rubric
    assert to_dict(from_dict(data, REGISTRY)) == to_dict(rubric)


@settings(max_examples=60)
@given(st.data())
def test_the_explanation_always_adds_up_to_a_total_within_0_and_100(data: st.DataObject) -> None:
    rubric = data.draw(rubrics())
    sheet = score(rubric, data.draw(sheet_for(rubric)))

    assert D(0) <= sheet.total <= D(100)
    assert sum((line.points for line in sheet.explain()), D(0)) == sheet.total
    assert sheet.bonus <= rubric.bonus_cap
    assert sheet.penalty <= rubric.penalty_cap


@settings(max_examples=60)
@given(st.data())
def test_an_automatic_criterion_never_leaves_its_range_and_groups_add_up(data: st.DataObject) -> None:
    rubric = data.draw(rubrics())
    sheet = score(rubric, data.draw(sheet_for(rubric)))

    def check(scored: Any) -> None:
        assert D(0) <= scored.points <= scored.criterion.max_points
        if scored.children:
            assert scored.points == sum((c.points for c in scored.children), D(0))
        for child in scored.children:
            check(child)

    for scored in sheet.criteria:
        check(scored)


@given(linears(), amounts, amounts, st.integers(1, 10000))
def test_linear_scoring_is_monotonic_in_the_metric_and_within_the_maximum(
    linear: Linear, first: Decimal, second: Decimal, maximum: int
) -> None:
    low, high = sorted([first, second])
    top = cents(maximum)
    at_low, at_high = linear.points(low, top), linear.points(high, top)

    assert D(0) <= at_low <= top
    assert D(0) <= at_high <= top
    if linear.direction == Direction.HIGHER_IS_BETTER:
        assert at_low <= at_high
    else:
        assert at_low >= at_high
    assert linear.points(linear.low, top) == (0 if linear.direction == Direction.HIGHER_IS_BETTER else top)
    assert linear.points(linear.high, top) == (top if linear.direction == Direction.HIGHER_IS_BETTER else 0)
