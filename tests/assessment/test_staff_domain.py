"""Staff evaluation as pure functions (domain/staff.py): the score, the bound by the head's level, the quota
within the unit and within each job category -- examples, then properties."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trongtam.assessment.domain import scoring
from trongtam.assessment.domain import staff as sd
from trongtam.assessment.domain.classification import (
    Classification,
    Fact,
    QuotaRounding,
    ReasonKind,
    quota_limit,
)
from trongtam.assessment.enums import Level
from trongtam.core.errors import RuleViolations
from trongtam.org.enums import JobCategory

pytestmark = pytest.mark.unit

UNIT = 7
PRO = JobCategory.PROFESSIONAL.value
LEAD = JobCategory.LEADERSHIP.value
SUPPORT = JobCategory.SUPPORT.value


def row(
    person_id: int, score: str | int, *, category: str = PRO, facts: frozenset[str] = frozenset()
) -> sd.StaffRow:
    total = Decimal(score)
    return sd.StaffRow(
        person_id=person_id,
        category=category,
        score=total,
        task_score=(total * Decimal("0.7")).quantize(Decimal("0.01")),
        facts=facts,
    )


def levels(result: Classification) -> dict[int, Level]:
    return {r.person_id: r.level for r in result.results}


# -- the score -------------------------------------------------------------------------------------------------


def test_a_perfect_evaluation_scores_100_and_its_lines_add_up() -> None:
    products = [scoring.Product(ref="a", weight=Decimal(1), completed=True)]
    scored = sd.staff_score(general=Decimal(30), products=products)
    assert scored.total == Decimal("100.00")
    assert sum(line.points for line in scored.period.lines) == scored.total


def test_each_quality_failure_and_delay_costs_a_quarter_of_that_products_credit() -> None:
    products = [
        scoring.Product(ref="a", weight=Decimal(1), completed=True, failures=1, delays=2),
        scoring.Product(ref="b", weight=Decimal(1), completed=True),
    ]
    scored = sd.staff_score(general=Decimal(30), products=products)
    # quantity 100 %, quality (0.75 + 1) / 2 = 87.5 %, progress (0.5 + 1) / 2 = 75 %: 70 × 87.5 % = 61.25
    assert scored.task_total == Decimal("61.25")
    assert scored.total == Decimal("91.25")


def test_general_points_above_30_are_refused_naming_the_field() -> None:
    with pytest.raises(RuleViolations) as caught:
        sd.staff_score(general=Decimal(31), products=[scoring.Product("a", Decimal(1), True)])
    assert [p.field for p in caught.value.problems] == ["general"]


def test_no_product_is_not_assessed_rather_than_zero() -> None:
    assert sd.staff_score(general=Decimal(25), products=[]).total is None


# -- the bound -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "cap"),
    [
        (Level.EXCELLENT, Level.EXCELLENT),
        (Level.GOOD, Level.EXCELLENT),
        (Level.COMPLETED, Level.GOOD),
        (Level.NOT_COMPLETED, Level.COMPLETED),
        ("", Level.EXCELLENT),
    ],
)
def test_the_default_bound_by_the_heads_level(head: Level | str, cap: Level) -> None:
    assert sd.DEFAULT_BOUNDS.cap_for(head) == cap


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (Level.EXCELLENT, Level.EXCELLENT),
        (Level.GOOD, Level.EXCELLENT),
        (Level.COMPLETED, Level.GOOD),
        (Level.NOT_COMPLETED, Level.COMPLETED),
    ],
)
def test_an_official_who_scores_excellent_alone_in_a_big_group_is_held_to_the_cap(
    head: Level, expected: Level
) -> None:
    # One at 95 among five "good" (limit 1): only the bound can hold them back.
    rows = [row(1, 95), *(row(10 + i, 80) for i in range(5))]
    result = sd.classify_unit(UNIT, rows, head_level=head)
    assert levels(result)[1] == expected
    capped = [r for r in result.result_for(1).reasons if r.rule_code == sd.HEAD_CAP_RULE]
    assert bool(capped) == (expected != Level.EXCELLENT)
    if capped:
        assert "chưa được xác nhận" in capped[0].message
        assert capped[0].kind == ReasonKind.HARD_RULE


def test_the_bound_never_raises_anyone_and_names_itself_for_those_below_it() -> None:
    result = sd.classify_unit(UNIT, [row(1, 60)], head_level=Level.NOT_COMPLETED)
    outcome = result.result_for(1)
    assert outcome.level == Level.COMPLETED
    assert [r.changed for r in outcome.reasons] == [False]


def test_those_the_bound_lowers_count_as_good_in_the_quota() -> None:
    # Head HT: five at 95 are all held to "good"; no one is "excellent", so the quota lowers no one.
    result = sd.classify_unit(UNIT, [row(i, 95) for i in range(1, 6)], head_level=Level.COMPLETED)
    assert set(levels(result).values()) == {Level.GOOD}
    assert all(r.quota_rank is None for r in result.results)


def test_the_bound_is_a_setting_that_can_be_changed_or_turned_off() -> None:
    strict = sd.StaffBounds.from_dict({"caps": {"htt": "htt"}})
    assert strict.cap_for(Level.GOOD) == Level.GOOD
    assert strict.cap_for(Level.COMPLETED) == Level.GOOD  # the defaults for what is not given
    off = sd.StaffBounds.from_dict({"enabled": False})
    assert off.cap_for(Level.NOT_COMPLETED) == Level.EXCELLENT
    assert "đang tắt" in off.unconfirmed_note()


@pytest.mark.parametrize(
    "data",
    [{"caps": {"htt": "xuat-sac"}}, {"caps": {"abc": "htt"}}, {"enabled": "yes"}, {"caps": {"kht": "htxs"}}],
)
def test_bad_bounds_are_refused(data: dict[str, object]) -> None:
    with pytest.raises(RuleViolations) as caught:
        sd.StaffBounds.from_dict(data)
    assert all(p.field == "staff_bounds" for p in caught.value.problems)


# -- hard rules and the quota ----------------------------------------------------------------------------------


def test_a_disciplined_official_is_not_completed_whatever_the_score() -> None:
    result = sd.classify_unit(
        UNIT, [row(1, 99, facts=frozenset({Fact.DISCIPLINED}))], head_level=Level.EXCELLENT
    )
    assert levels(result)[1] == Level.NOT_COMPLETED


def test_the_quota_with_nobody() -> None:
    assert sd.classify_unit(UNIT, [], head_level=Level.GOOD).results == ()


def test_the_quota_with_one_excellent_and_no_one_good_keeps_no_one() -> None:
    result = sd.classify_unit(UNIT, [row(1, 95)], head_level=Level.EXCELLENT)
    assert levels(result)[1] == Level.GOOD
    assert result.result_for(1).reasons[-1].kind == ReasonKind.QUOTA


@pytest.mark.parametrize(("good", "kept"), [(4, False), (5, True)])
def test_one_excellent_is_kept_from_five_good_on(good: int, kept: bool) -> None:
    rows = [row(1, 95), *(row(10 + i, 80) for i in range(good))]
    level = levels(sd.classify_unit(UNIT, rows, head_level=Level.EXCELLENT))[1]
    assert level == (Level.EXCELLENT if kept else Level.GOOD)


def test_the_quota_is_counted_within_each_job_category() -> None:
    # Four "good" professionals do not make room for an excellent in the support group.
    rows = [row(1, 95, category=SUPPORT), *(row(10 + i, 80) for i in range(4))]
    result = sd.classify_unit(UNIT, rows, head_level=Level.EXCELLENT)
    assert levels(result)[1] == Level.GOOD
    assert {g.group.task_group for g in result.groups} == {PRO, SUPPORT}


def test_ties_at_the_boundary_are_broken_by_the_stated_order() -> None:
    rows = [row(2, 95), row(1, 95), *(row(10 + i, 80) for i in range(5))]
    result = sd.classify_unit(UNIT, rows, head_level=Level.EXCELLENT)
    assert levels(result)[1] == Level.EXCELLENT  # same score and task score: the lower id first
    assert levels(result)[2] == Level.GOOD


def test_an_official_without_a_position_has_a_group_of_their_own() -> None:
    assert sd.group_of(UNIT, "").task_group == sd.NO_CATEGORY
    assert sd.group_of(UNIT, "nonsense").task_group == sd.NO_CATEGORY


def test_the_unit_result_for_the_head() -> None:
    assert sd.head_unit_result([Level.GOOD, Level.COMPLETED]) == Decimal(100)
    assert sd.head_unit_result([Level.GOOD, Level.NOT_COMPLETED]) == Decimal(50)
    assert sd.head_unit_result([]) is None


def test_the_preview_notes_say_the_bound_is_unconfirmed() -> None:
    notes = sd.classify_unit(UNIT, [row(1, 80)], head_level=Level.GOOD).notes
    assert any("Hướng dẫn 21-HD/BTCTW" in note for note in notes)


# -- properties ------------------------------------------------------------------------------------------------

CATEGORIES = st.sampled_from([PRO, LEAD, SUPPORT, ""])
SCORES = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
FACTS = st.frozensets(st.sampled_from([Fact.DISCIPLINED.value, Fact.INSPECTION_VIOLATION.value]), max_size=1)
ROWS = st.lists(st.tuples(SCORES, CATEGORIES, FACTS), max_size=25).map(
    lambda items: [
        sd.StaffRow(
            person_id=i + 1,
            category=c,
            score=s,
            task_score=(s * Decimal("0.7")).quantize(Decimal("0.01")),
            facts=f,
        )
        for i, (s, c, f) in enumerate(items)
    ]
)
HEADS = st.sampled_from([*Level, ""])


@given(ROWS, HEADS)
def test_no_staff_level_is_above_the_cap(rows: list[sd.StaffRow], head: Level | str) -> None:
    cap = sd.DEFAULT_BOUNDS.cap_for(head)
    for result in sd.classify_unit(UNIT, rows, head_level=head).results:
        assert result.level.rank >= cap.rank


@given(ROWS, HEADS)
def test_the_quota_is_never_exceeded_in_any_group_nor_in_the_unit(
    rows: list[sd.StaffRow], head: Level | str
) -> None:
    result = sd.classify_unit(UNIT, rows, head_level=head)
    share, rounding = Decimal("0.20"), QuotaRounding.FLOOR
    for summary in result.groups:
        assert summary.counts[Level.EXCELLENT] <= quota_limit(
            summary.counts[Level.GOOD], share=share, rounding=rounding
        )
    all_levels = [r.level for r in result.results]
    assert all_levels.count(Level.EXCELLENT) <= quota_limit(
        all_levels.count(Level.GOOD), share=share, rounding=rounding
    )


@given(ROWS, HEADS, st.randoms(use_true_random=False))
def test_the_classification_does_not_depend_on_the_order_of_rows(
    rows: list[sd.StaffRow], head: Level | str, rnd: random.Random
) -> None:
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    assert sd.classify_unit(UNIT, rows, head_level=head) == sd.classify_unit(UNIT, shuffled, head_level=head)


PRODUCTS = st.lists(
    st.builds(
        lambda i, w, done, f, d: scoring.Product(
            ref=str(i), weight=w, completed=done, failures=f if done else 0, delays=d if done else 0
        ),
        st.integers(),
        st.decimals(min_value="0.5", max_value=5, places=2),
        st.booleans(),
        st.integers(0, 6),
        st.integers(0, 6),
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda p: p.ref,
)


@given(PRODUCTS, st.decimals(min_value=0, max_value=30, places=2))
def test_the_score_always_equals_its_breakdown(products: list[scoring.Product], general: Decimal) -> None:
    scored = sd.staff_score(general=general, products=products)
    assert scored.total is not None
    assert sum(line.points for line in scored.period.lines) == scored.total
    assert Decimal(0) <= scored.total <= Decimal(100)
