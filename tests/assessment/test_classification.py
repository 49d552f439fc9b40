"""Classification: thresholds, hard rules, the quota on "excellent" and overrides -- examples, then properties."""

from __future__ import annotations

import random
from collections.abc import Iterable
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trongtam.assessment.domain.classification import (
    TIE_BREAK,
    Candidate,
    Classification,
    ClassificationSettings,
    Fact,
    Group,
    HardRule,
    Override,
    QuotaRounding,
    ReasonKind,
    Thresholds,
    classify,
    excellent_kept,
    quota_limit,
)
from trongtam.assessment.enums import Level
from trongtam.core.errors import Problem, RuleViolations

pytestmark = pytest.mark.unit

DEPARTMENTS = Group(agency=1, task_group="departments")
COMMUNES = Group(agency=1, task_group="communes")
OTHER_AGENCY = Group(agency=2, task_group="departments")
DEFAULT = ClassificationSettings()


def person(
    person_id: int,
    score: str | int,
    *,
    task: str | int | None = None,
    group: Group = DEPARTMENTS,
    facts: Iterable[str] = (),
    leader: bool = False,
) -> Candidate:
    total = Decimal(score)
    return Candidate(
        person_id=person_id,
        group=group,
        score=total,
        task_score=Decimal(task) if task is not None else (total * Decimal("0.7")).quantize(Decimal("0.01")),
        facts=frozenset(facts),
        is_leader=leader,
    )


def good_fillers(count: int, *, first_id: int = 100, group: Group = DEPARTMENTS) -> list[Candidate]:
    """`count` people scoring 80: rated "good", the base of the quota."""
    return [person(first_id + i, 80, group=group) for i in range(count)]


def levels(classification: Classification) -> dict[int, Level]:
    return {r.person_id: r.level for r in classification.results}


# -- thresholds ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "level"),
    [
        ("0", Level.NOT_COMPLETED),
        ("49.99", Level.NOT_COMPLETED),
        ("50", Level.COMPLETED),
        ("69.99", Level.COMPLETED),
        ("70", Level.GOOD),
        ("89.99", Level.GOOD),
        ("90", Level.EXCELLENT),
        ("100", Level.EXCELLENT),
    ],
)
def test_level_by_score_at_the_boundaries(score: str, level: Level) -> None:
    assert Thresholds().level_for(Decimal(score)) == level
    result = classify([person(1, score)], DEFAULT).result_for(1)
    assert result.level_by_score == level
    assert result.ceiling == level


def test_thresholds_are_a_setting() -> None:
    stricter = Thresholds(excellent=Decimal(95), good=Decimal("80.01"), completed=Decimal(50))
    assert stricter.level_for(Decimal(94)) == Level.GOOD
    assert stricter.level_for(Decimal(80)) == Level.COMPLETED
    assert stricter.level_for(Decimal("80.01")) == Level.GOOD


# -- hard rules ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "leader", "score", "ceiling", "codes"),
    [
        ({Fact.DEGRADATION}, False, "95", Level.NOT_COMPLETED, ["kht_degradation"]),
        ({Fact.DISCIPLINED}, False, "95", Level.NOT_COMPLETED, ["kht_disciplined"]),
        ({Fact.DISCIPLINED}, True, "75", Level.NOT_COMPLETED, ["kht_disciplined"]),
        ({Fact.UNIT_CORRUPTION}, True, "95", Level.NOT_COMPLETED, ["kht_unit_corruption"]),
        ({Fact.UNIT_CORRUPTION}, False, "95", Level.EXCELLENT, []),  # leaders only
        ({Fact.KEY_TASK_NOT_COMPLETED}, True, "95", Level.GOOD, ["no_excellent_key_task"]),
        ({Fact.KEY_TASK_NOT_COMPLETED}, False, "95", Level.EXCELLENT, []),  # heads only
        ({Fact.INSPECTION_VIOLATION}, False, "95", Level.GOOD, ["no_excellent_inspection"]),
        ({Fact.INSPECTION_VIOLATION}, False, "80", Level.GOOD, ["no_excellent_inspection"]),
        ({Fact.INSPECTION_VIOLATION}, True, "60", Level.COMPLETED, ["no_excellent_inspection"]),
        ({"a_code_no_rule_reads"}, True, "95", Level.EXCELLENT, []),
    ],
)
def test_each_default_hard_rule(
    facts: set[str], leader: bool, score: str, ceiling: Level, codes: list[str]
) -> None:
    candidates = [person(1, score, facts=facts, leader=leader), *good_fillers(5)]

    result = classify(candidates, DEFAULT).result_for(1)

    assert result.ceiling == ceiling
    assert result.level == ceiling  # five "good" allow one "excellent": the quota changes nothing here
    assert [r.rule_code for r in result.reasons] == codes
    assert all(r.kind == ReasonKind.HARD_RULE for r in result.reasons)


def test_a_hard_rule_explains_itself() -> None:
    result = classify([person(1, "92.5", facts={Fact.DEGRADATION})], DEFAULT).result_for(1)

    (reason,) = result.reasons
    assert reason.message == (
        "Bị kết luận có biểu hiện suy thoái về tư tưởng chính trị, đạo đức, lối sống, “tự diễn biến”, "
        "“tự chuyển hóa” hoặc vi phạm trách nhiệm nêu gương thì xếp loại không hoàn thành nhiệm vụ "
        "(Nghị định 335/2025/NĐ-CP): mức cao nhất được xếp là «Không hoàn thành nhiệm vụ»; hạ từ "
        "«Hoàn thành xuất sắc nhiệm vụ» xuống «Không hoàn thành nhiệm vụ»."
    )
    assert (reason.before, reason.after, reason.changed) == (Level.EXCELLENT, Level.NOT_COMPLETED, True)


def test_every_triggered_rule_is_listed_in_order_even_when_the_level_is_already_lower() -> None:
    facts = {Fact.INSPECTION_VIOLATION, Fact.DISCIPLINED}

    result = classify([person(1, 95, facts=facts)], DEFAULT).result_for(1)

    assert [(r.rule_code, r.before, r.after) for r in result.reasons] == [
        ("kht_disciplined", Level.EXCELLENT, Level.NOT_COMPLETED),
        ("no_excellent_inspection", Level.NOT_COMPLETED, Level.NOT_COMPLETED),
    ]
    assert result.reasons[1].message.endswith("; mức «Không hoàn thành nhiệm vụ» không đổi.")


def test_hard_rules_are_configurable() -> None:
    complaints = HardRule(
        code="upheld_complaints",
        explanation="Có khiếu nại được kết luận đúng",
        cap=Level.COMPLETED,
        facts=frozenset({"upheld_complaint"}),
    )
    settings = ClassificationSettings(hard_rules=(complaints,))

    results = classify(
        [person(1, 95, facts={"upheld_complaint"}), person(2, 95, facts={Fact.DEGRADATION})], settings
    )

    assert results.result_for(1).ceiling == Level.COMPLETED
    assert results.result_for(2).ceiling == Level.EXCELLENT  # the defaults were replaced


# -- the quota -----------------------------------------------------------------------------------------------


def test_quota_worked_by_hand_three_excellent_and_nine_good() -> None:
    """k = 3: floor(0.2 × 9) = 1 < 3; k = 2: floor(0.2 × 10) = 2 ≥ 2. Two kept, the third becomes "good"."""
    candidates = [person(1, 95), person(2, 93), person(3, 91), *good_fillers(9)]

    result = classify(candidates, DEFAULT)

    assert [levels(result)[i] for i in (1, 2, 3)] == [Level.EXCELLENT, Level.EXCELLENT, Level.GOOD]
    third = result.result_for(3)
    assert third.quota_rank == 3
    assert [(r.kind, r.before, r.after) for r in third.reasons] == [
        (ReasonKind.QUOTA, Level.EXCELLENT, Level.GOOD)
    ]
    assert third.reasons[0].message == (
        "Tỷ lệ hoàn thành xuất sắc: xếp thứ 3/3 trong nhóm; chỉ 2/3 người được giữ mức «Hoàn thành xuất sắc "
        "nhiệm vụ» vì 20% của 10 người «Hoàn thành tốt nhiệm vụ» (kể cả người bị hạ) là 2, làm tròn xuống "
        "được 2."
    )
    assert result.result_for(1).reasons == ()
    summary = result.group(DEPARTMENTS)
    assert summary.counts == {Level.EXCELLENT: 2, Level.GOOD: 10, Level.COMPLETED: 0, Level.NOT_COMPLETED: 0}
    assert summary.counts_by_score[Level.EXCELLENT] == 3
    assert (summary.subject_to_quota, summary.kept, summary.demoted, summary.quota_limit) == (3, 2, 1, 2)


def test_five_alone_at_excellent_all_become_good() -> None:
    """Keeping one would leave 4 "good", and 20 % of 4 = 0.8 rounds down to 0: the message says so."""
    result = classify([person(i, 90 + i) for i in range(1, 6)], DEFAULT)

    assert set(levels(result).values()) == {Level.GOOD}
    assert result.result_for(1).reasons[0].message == (
        "Tỷ lệ hoàn thành xuất sắc: xếp thứ 5/5 trong nhóm; chỉ 0/5 người được giữ mức «Hoàn thành xuất sắc "
        "nhiệm vụ» vì 20% của 5 người «Hoàn thành tốt nhiệm vụ» (kể cả người bị hạ) là 1, làm tròn xuống "
        "được 1. Giữ 1 người thì chỉ còn 4 người «Hoàn thành tốt nhiệm vụ»; 20% của số đó là 0,8, làm tròn "
        "xuống được 0, ít hơn 1."
    )


@pytest.mark.parametrize(
    ("eligible", "good", "rounding", "kept"),
    [
        (0, 0, QuotaRounding.FLOOR, 0),
        (0, 20, QuotaRounding.FLOOR, 0),
        (1, 0, QuotaRounding.FLOOR, 0),
        (1, 4, QuotaRounding.FLOOR, 0),
        (1, 5, QuotaRounding.FLOOR, 1),
        (5, 0, QuotaRounding.FLOOR, 0),
        (6, 0, QuotaRounding.FLOOR, 1),
        (3, 9, QuotaRounding.FLOOR, 2),
        (20, 80, QuotaRounding.FLOOR, 16),
        (1, 3, QuotaRounding.HALF_UP, 1),  # 0.2 × 3 = 0.6 rounds to 1
        (1, 2, QuotaRounding.HALF_UP, 0),  # 0.2 × 2 = 0.4 rounds to 0
        (1, 1, QuotaRounding.CEILING, 1),
        (2, 0, QuotaRounding.CEILING, 1),
    ],
)
def test_excellent_kept_at_the_edges(eligible: int, good: int, rounding: QuotaRounding, kept: int) -> None:
    assert excellent_kept(eligible, good, share=Decimal("0.20"), rounding=rounding) == kept


def test_the_rounding_and_the_share_are_settings() -> None:
    candidates = [person(1, 95), *good_fillers(3)]
    half_up = ClassificationSettings(quota_rounding=QuotaRounding.HALF_UP)
    a_third = ClassificationSettings(quota_share=Decimal("0.34"))

    assert levels(classify(candidates, DEFAULT))[1] == Level.GOOD
    assert levels(classify(candidates, half_up))[1] == Level.EXCELLENT
    assert levels(classify(candidates, a_third))[1] == Level.EXCELLENT
    assert "làm tròn xuống" in classify([], DEFAULT).notes[0]


def test_ties_are_broken_by_total_then_task_results_then_person_id() -> None:
    """Four at "excellent", fourteen "good": k = 3 (floor(0.2 × 15) = 3)."""
    candidates = [
        person(4, 95, task=66),
        person(2, 95, task=66),
        person(9, 95, task=67),
        person(1, 96, task=60),
        *good_fillers(14),
    ]

    result = classify(candidates, DEFAULT)

    assert [(i, result.result_for(i).quota_rank) for i in (1, 9, 2, 4)] == [(1, 1), (9, 2), (2, 3), (4, 4)]
    assert [levels(result)[i] for i in (1, 9, 2, 4)] == [Level.EXCELLENT] * 3 + [Level.GOOD]
    assert result.tie_break == str(TIE_BREAK)
    assert result.tie_break == (
        "Khi số người đạt mức hoàn thành xuất sắc vượt tỷ lệ, giữ lần lượt người có tổng điểm cao hơn, "
        "rồi người có điểm kết quả thực hiện nhiệm vụ cao hơn, rồi người có mã số nhỏ hơn."
    )


def test_groups_do_not_affect_each_other() -> None:
    departments = [person(1, 95), *good_fillers(5)]
    communes = [person(2, 95, group=COMMUNES)]  # alone: demoted
    other = [person(3, 95, group=OTHER_AGENCY), *good_fillers(5, first_id=200, group=OTHER_AGENCY)]

    together = classify(departments + communes + other, DEFAULT)

    assert levels(together)[1] == Level.EXCELLENT
    assert levels(together)[2] == Level.GOOD
    assert levels(together)[3] == Level.EXCELLENT
    for alone in (departments, communes, other):
        for result in classify(alone, DEFAULT).results:
            assert together.result_for(result.person_id) == result
    assert [s.group for s in together.groups] == sorted([DEPARTMENTS, COMMUNES, OTHER_AGENCY])


def test_the_quota_also_holds_across_the_agency() -> None:
    """Rounding half up, each group alone allows one of 1 + 3 (0.2 × 3 = 0.6 → 1), but the agency's two groups
    together rate only 7 "good" once one is kept (0.2 × 7 = 1.4 → 1): the lower-ranked of the two is moved."""
    half_up = ClassificationSettings(quota_rounding=QuotaRounding.HALF_UP)
    candidates = [
        person(1, 95), *good_fillers(3),
        person(2, 93, group=COMMUNES), *good_fillers(3, first_id=200, group=COMMUNES),
    ]  # fmt: skip
    result = classify(candidates, half_up)
    assert levels(result)[1] == Level.EXCELLENT
    assert levels(result)[2] == Level.GOOD
    assert "toàn cơ quan" in result.result_for(2).reasons[-1].message
    assert levels(classify(candidates[4:], half_up))[2] == Level.EXCELLENT  # alone, its group allows it


def test_nobody_to_classify() -> None:
    assert classify([], DEFAULT) == Classification(
        results=(), groups=(), tie_break=str(TIE_BREAK), notes=DEFAULT.unconfirmed_notes()
    )


# -- overrides -----------------------------------------------------------------------------------------------


def test_an_override_keeps_a_candidate_excellent_outside_the_quota() -> None:
    candidates = [person(1, 95), person(2, 91), *good_fillers(5)]
    assert levels(classify(candidates, DEFAULT))[2] == Level.GOOD

    override = Override(2, reason="Đơn vị dẫn đầu toàn quốc về chuyển đổi số", by="Chủ tịch UBND tỉnh")
    result = classify(candidates, DEFAULT, overrides=[override])

    assert levels(result)[1] == Level.EXCELLENT
    second = result.result_for(2)
    assert (second.level, second.overridden, second.quota_rank) == (Level.EXCELLENT, True, None)
    assert [(r.kind, r.message) for r in second.reasons] == [
        (
            ReasonKind.OVERRIDE,
            "Ngoại lệ do Chủ tịch UBND tỉnh quyết định: giữ mức «Hoàn thành xuất sắc nhiệm vụ» ngoài tỷ lệ. "
            "Lý do: Đơn vị dẫn đầu toàn quốc về chuyển đổi số",
        )
    ]
    summary = result.group(DEPARTMENTS)
    assert (summary.subject_to_quota, summary.kept, summary.overridden, summary.quota_limit) == (1, 1, 1, 1)


def test_an_overridden_candidate_is_not_counted_as_good_which_can_cost_another_their_place() -> None:
    """Without override: 95 and 93 kept (the demoted 91 counts in the base: 10 "good"). With the 91 kept by
    override, only 9 are "good": floor(0.2 × 9) = 1 < 2, so 93 is demoted instead -- the law counts real HTT."""
    candidates = [person(1, 95), person(2, 93), person(3, 91), *good_fillers(9)]
    override = Override(3, reason="Thành tích nổi trội", by="Chủ tịch UBND tỉnh")

    result = classify(candidates, DEFAULT, overrides=[override])

    assert [levels(result)[i] for i in (1, 2, 3)] == [Level.EXCELLENT, Level.GOOD, Level.EXCELLENT]


@pytest.mark.parametrize(("score", "facts"), [(85, set()), (95, {Fact.INSPECTION_VIOLATION})])
def test_an_override_never_lifts_anyone_above_their_score_and_hard_rules(score: int, facts: set[str]) -> None:
    override = Override(1, reason="Thành tích nổi trội", by="Chủ tịch UBND tỉnh")

    result = classify([person(1, score, facts=facts)], DEFAULT, overrides=[override]).result_for(1)

    assert (result.level, result.overridden) == (Level.GOOD, False)
    assert result.reasons[-1].kind == ReasonKind.OVERRIDE_NOT_APPLICABLE
    assert result.reasons[-1].message == (
        "Ngoại lệ do Chủ tịch UBND tỉnh quyết định không được áp dụng: điểm và các quy tắc bắt buộc chỉ cho "
        "phép mức «Hoàn thành tốt nhiệm vụ», ngoại lệ không nâng mức. Lý do đã nêu: Thành tích nổi trội"
    )


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_an_override_without_a_reason_is_refused(reason: str) -> None:
    with pytest.raises(RuleViolations) as caught:
        classify([person(1, 95)], DEFAULT, overrides=[Override(1, reason=reason, by="Chủ tịch UBND tỉnh")])

    assert caught.value.problems == [
        Problem(
            "Ngoại lệ cho người có mã số 1 thiếu lý do: ngoại lệ về tỷ lệ phải nêu rõ lý do.", "overrides"
        )
    ]


def test_bad_overrides_are_all_reported() -> None:
    overrides = [
        Override(1, reason="Thành tích nổi trội", by=""),
        Override(1, reason="Lần nữa", by="Chủ tịch UBND tỉnh"),
        Override(7, reason="Thành tích nổi trội", by="Chủ tịch UBND tỉnh"),
    ]

    with pytest.raises(RuleViolations) as caught:
        classify([person(1, 95)], DEFAULT, overrides=overrides)

    assert [p.message for p in caught.value.problems] == [
        "Ngoại lệ cho người có mã số 1 thiếu người quyết định.",
        "Có hai ngoại lệ cho người có mã số 1.",
        "Ngoại lệ cho người có mã số 7: người này không có trong danh sách xếp loại.",
    ]


# -- bad input -----------------------------------------------------------------------------------------------


def test_bad_settings_are_all_reported() -> None:
    rule = HardRule(code="x", explanation="Giải thích", cap=Level.GOOD, facts=frozenset({"x"}))
    settings = ClassificationSettings(
        thresholds=Thresholds(excellent=Decimal(70), good=Decimal(90), completed=Decimal(50)),
        quota_share=Decimal("1.5"),
        hard_rules=(rule, rule, HardRule(code="y", explanation=" ", cap=Level.GOOD, facts=frozenset())),
    )

    with pytest.raises(RuleViolations) as caught:
        classify([person(1, 95)], settings)

    assert caught.value.problems == [
        Problem(
            "Ngưỡng điểm phải giảm dần: hoàn thành xuất sắc > hoàn thành tốt > hoàn thành ≥ 0 "
            "(đang là 70 / 90 / 50).",
            "thresholds",
        ),
        Problem("Tỷ lệ hoàn thành xuất sắc phải nằm trong khoảng từ 0 đến 1 (đang là 1.5).", "quota_share"),
        Problem("Mã quy tắc «x» bị trùng.", "hard_rules"),
        Problem("Quy tắc «y» không nêu tình tiết nào làm phát sinh quy tắc.", "hard_rules"),
        Problem("Quy tắc «y» thiếu nội dung giải thích.", "hard_rules"),
    ]


def test_bad_candidates_are_refused() -> None:
    with pytest.raises(RuleViolations) as caught:
        classify([person(1, 95), person(1, 80), person(2, -1, task=0)], DEFAULT)

    assert [p.message for p in caught.value.problems] == [
        "Người có mã số 1 có hai lần trong danh sách xếp loại.",
        "Điểm của người có mã số 2 không hợp lệ: -1.",
    ]


# -- properties ----------------------------------------------------------------------------------------------

GROUPS = [DEPARTMENTS, COMMUNES, OTHER_AGENCY]
scores = st.one_of(
    st.sampled_from([Decimal(s) for s in ("0", "49.99", "50", "69.99", "70", "89.99", "90", "95", "100")]),
    st.decimals(min_value=Decimal(90), max_value=Decimal(100), places=1),
    st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=2),
)
task_scores = st.sampled_from([Decimal(s) for s in ("55", "60", "63.5", "70")])
some_facts = st.one_of(
    st.just(frozenset[str]()),
    st.frozensets(st.sampled_from(list(Fact.values)), max_size=2),
)
settings_variants = st.builds(
    ClassificationSettings,
    quota_share=st.sampled_from([Decimal(s) for s in ("0", "0.1", "0.2", "0.25", "0.5", "1")]),
    quota_rounding=st.sampled_from(list(QuotaRounding)),
)


@st.composite
def candidate_lists(
    draw: st.DrawFn, *, facts: st.SearchStrategy[frozenset[str]] = some_facts, groups: list[Group] = GROUPS
) -> list[Candidate]:
    rows = draw(
        st.lists(
            st.tuples(st.sampled_from(groups), scores, task_scores, facts, st.booleans()),
            max_size=30,
        )
    )
    ids = draw(st.permutations(range(1, len(rows) + 1)))
    return [
        Candidate(person_id=i, group=g, score=s, task_score=t, facts=f, is_leader=lead)
        for i, (g, s, t, f, lead) in zip(ids, rows, strict=True)
    ]


@st.composite
def rounds(draw: st.DrawFn) -> tuple[list[Candidate], ClassificationSettings, list[Override]]:
    candidates = draw(candidate_lists())
    chosen = (
        draw(st.lists(st.sampled_from([c.person_id for c in candidates]), unique=True)) if candidates else []
    )
    overrides = [Override(i, reason="Thành tích nổi trội", by="Chủ tịch UBND tỉnh") for i in chosen]
    return candidates, draw(settings_variants), overrides


Round = tuple[list[Candidate], ClassificationSettings, list[Override]]


@given(rounds())
def test_the_level_given_is_never_better_than_the_score_or_the_hard_rules_allow(round_: Round) -> None:
    candidates, settings, overrides = round_
    result = classify(candidates, settings, overrides=overrides)
    by_id = {c.person_id: c for c in candidates}

    for r in result.results:
        assert r.level.rank >= r.ceiling.rank >= r.level_by_score.rank
        for rule in settings.hard_rules:
            if rule.triggered_by(by_id[r.person_id]):
                assert r.level.rank >= rule.cap.rank


@given(rounds())
def test_the_quota_is_kept_in_every_group_and_is_maximal(round_: Round) -> None:
    candidates, settings, overrides = round_
    result = classify(candidates, settings, overrides=overrides)
    share, rounding = settings.quota_share, settings.quota_rounding

    for summary in result.groups:
        members = [r for r in result.results if r.group == summary.group]
        kept = sum(1 for r in members if r.level == Level.EXCELLENT and not r.overridden)
        good = sum(1 for r in members if r.level == Level.GOOD)
        assert kept <= quota_limit(good, share=share, rounding=rounding)
        agency_moved = any("toàn cơ quan" in reason.message for r in result.results for reason in r.reasons
                           if r.group.agency == summary.group.agency)  # fmt: skip
        if not agency_moved and any(reason.kind == ReasonKind.QUOTA for r in members for reason in r.reasons):
            # one more kept at "excellent" would leave one fewer "good", and break the limit
            assert kept + 1 > quota_limit(good - 1, share=share, rounding=rounding)
        assert (summary.kept, summary.quota_limit) == (
            kept,
            quota_limit(good, share=share, rounding=rounding),
        )
        assert sum(summary.counts.values()) == len(members)
    for agency in {summary.group.agency for summary in result.groups}:
        members = [r for r in result.results if r.group.agency == agency]
        kept = sum(1 for r in members if r.level == Level.EXCELLENT and not r.overridden)
        good = sum(1 for r in members if r.level == Level.GOOD)
        assert kept <= quota_limit(good, share=share, rounding=rounding)  # the agency's limit holds too


@given(rounds(), st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_the_input_order(round_: Round, rnd: random.Random) -> None:
    candidates, settings, overrides = round_
    shuffled, reordered = list(candidates), list(overrides)
    rnd.shuffle(shuffled)
    rnd.shuffle(reordered)

    assert classify(shuffled, settings, overrides=reordered) == classify(
        candidates, settings, overrides=overrides
    )


@given(candidate_lists(facts=st.just(frozenset()), groups=[DEPARTMENTS]), settings_variants)
def test_without_hard_facts_or_overrides_a_higher_score_never_gets_a_worse_level(
    candidates: list[Candidate], settings: ClassificationSettings
) -> None:
    results = classify(candidates, settings).results

    for a in results:
        for b in results:
            if a.score > b.score:
                assert a.level.rank <= b.level.rank


@given(rounds(), st.data())
def test_adding_a_hard_fact_never_improves_that_persons_level(round_: Round, data: st.DataObject) -> None:
    """Only the person's own level: freeing a quota place may lift someone else in the group."""
    candidates, settings, overrides = round_
    if not candidates:
        return
    index = data.draw(st.integers(0, len(candidates) - 1))
    fact = data.draw(st.sampled_from(list(Fact.values)))
    target = candidates[index]
    worsened = [*candidates]
    worsened[index] = Candidate(
        target.person_id,
        target.group,
        target.score,
        target.task_score,
        target.facts | {fact},
        target.is_leader,
    )

    before = classify(candidates, settings, overrides=overrides).result_for(target.person_id)
    after = classify(worsened, settings, overrides=overrides).result_for(target.person_id)

    assert after.level.rank >= before.level.rank


@given(rounds())
def test_everyone_is_classified_once_in_their_own_group(round_: Round) -> None:
    candidates, settings, overrides = round_
    result = classify(candidates, settings, overrides=overrides)

    assert sorted((r.person_id, r.group) for r in result.results) == sorted(
        (c.person_id, c.group) for c in candidates
    )


@given(
    st.integers(0, 40),
    st.integers(0, 200),
    st.sampled_from(["0", "0.2", "0.5", "1"]),
    st.sampled_from(list(QuotaRounding)),
)
def test_excellent_kept_is_the_largest_count_within_the_limit(
    eligible: int, good: int, share: str, rounding: QuotaRounding
) -> None:
    rate = Decimal(share)
    k = excellent_kept(eligible, good, share=rate, rounding=rounding)

    assert 0 <= k <= eligible
    assert k <= quota_limit(good + eligible - k, share=rate, rounding=rounding)
    assert all(
        j > quota_limit(good + eligible - j, share=rate, rounding=rounding)
        for j in range(k + 1, eligible + 1)
    )
