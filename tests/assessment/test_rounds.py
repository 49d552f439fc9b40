"""The workflow of an assessment round, with the real database: rubric versions, opening, points, review,
verification, recomputation, preview and sign-off, and every refusal."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.assessment.conftest import (
    CUT_OFF,
    MANUAL,
    clear_followup,
    fresh,
    key_tasks_not_due,
    manual_for,
    only_heads_of,
    take_to_verified,
    vc_of,
)
from trongtam.assessment.demo import rubric_2026_data
from trongtam.assessment.domain import rounds
from trongtam.assessment.domain import rubric as rb
from trongtam.assessment.domain.classification import Fact, ReasonKind
from trongtam.assessment.enums import Level, RoundStatus, SheetStatus
from trongtam.assessment.models import CriterionScore, Round, RubricVersion, ScoreChange, ScoreSheet
from trongtam.core.errors import RuleViolations, StaleEdit, TransitionNotAllowed
from trongtam.core.models import AuditEntry, Notification
from trongtam.cycles.models import Period

pytestmark = pytest.mark.django_db

DEPARTMENTS = ["SCT", "SKHCN", "SNNMT", "STC", "SXD", "SNV"]


def _messages(error: RuleViolations) -> str:
    return " ".join(p.message for p in error.problems)


def _sheet(rnd: Round, code: str) -> ScoreSheet:
    return fresh(rnd.sheets.get(unit__code=code))


# -- rubric versions ----------------------------------------------------------------------------------------------


def test_import_rubric_adds_the_next_version_and_audits_it(person: Any, period: Period) -> None:
    before = AuditEntry.objects.count()

    version = rounds.import_rubric(period, rubric_2026_data(), by=person("noivu"))

    assert version.number == 2
    assert version.data == rubric_2026_data()
    assert AuditEntry.objects.count() == before + 1


def test_import_rubric_refuses_a_bad_rubric_naming_the_criterion_and_writes_nothing(
    person: Any, period: Period
) -> None:
    data = rubric_2026_data()
    data["criteria"][1]["children"][0]["metric"] = "followup.no_such_metric"
    before = RubricVersion.objects.count()

    with pytest.raises(RuleViolations) as refused:
        rounds.import_rubric(period, data, by=person("noivu"))

    assert "KQ.1" in _messages(refused.value)
    assert "followup.no_such_metric" in _messages(refused.value)
    assert RubricVersion.objects.count() == before


@pytest.mark.parametrize("username", ["gd.stc", "chutich", "pct.kinhte", "vanphong"])
def test_only_home_affairs_imports_a_rubric(person: Any, period: Period, username: str) -> None:
    with pytest.raises(PermissionDenied):
        rounds.import_rubric(period, rubric_2026_data(), by=person(username))


def test_a_frozen_rubric_is_not_replaced(
    open_small_round: Any, person: Any, rubric_2026: RubricVersion
) -> None:
    open_small_round(["STC"])
    rubric_2026.refresh_from_db()
    assert rubric_2026.frozen_at is not None

    with pytest.raises(TransitionNotAllowed):
        rounds.replace_rubric(rubric_2026.pk, rubric_2026_data(), by=person("noivu"))


# -- opening ------------------------------------------------------------------------------------------------------


def test_open_round_scores_the_automatic_criteria_from_the_metrics_and_lists_the_records(
    person: Any, period: Period, rubric_2026: RubricVersion
) -> None:
    rnd = rounds.open_round(
        period, rubric_2026, name="Đánh giá năm 2026", cut_off=CUT_OFF, by=person("noivu")
    )

    rubric = rounds.rubric_of(rubric_2026)
    heads = rounds.rated_heads()
    assert sorted(rnd.sheets.values_list("person_id", flat=True)) == sorted(h.pk for h in heads)
    leaves = [c for c, _above in rubric.walk() if not c.is_group]
    checked_records = 0
    for sheet in rnd.sheets.select_related("unit", "round__rubric"):
        rows = {r.code: r for r in sheet.scores.all()}
        assert sorted(rows) == sorted(c.code for c in leaves)
        for criterion in leaves:
            row = rows[criterion.code]
            if not criterion.is_automatic:
                assert row.points is None
                continue
            metric = rb.METRICS.get(criterion.metric)
            assert metric is not None
            assert criterion.scoring is not None
            measured = metric.compute(sheet.unit, period, CUT_OFF)
            expected = (
                criterion.scoring.points(measured.value, criterion.max_points)
                if measured.value is not None
                else Decimal(criterion.max_points)
            )
            assert (row.points, row.metric_value) == (expected, measured.value)
            assert (row.record_ids, row.record_kind) == (list(measured.record_ids), measured.record_kind)
            checked_records += len(row.record_ids)
        assert sheet.total == rounds.score_of(sheet).total
    assert checked_records > 0  # the demo has late and overdue tasks: some records are listed
    assert Notification.objects.filter(recipient=heads[0], title__contains="Đánh giá năm 2026").exists()


def test_open_round_is_for_home_affairs_and_checks_its_input(
    person: Any, period: Period, rubric_2026: RubricVersion
) -> None:
    with pytest.raises(PermissionDenied):
        rounds.open_round(period, rubric_2026, name="X", cut_off=CUT_OFF, by=person("chutich"))
    with pytest.raises(RuleViolations) as refused:
        rounds.open_round(
            period, rubric_2026, name=" ", cut_off=period.end_date.replace(year=2027), by=person("noivu")
        )
    assert {p.field for p in refused.value.problems} == {"name", "cut_off"}
    assert not Round.objects.filter(period=period).exists()


def _open_counting(period: Period, version: RubricVersion, by: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        rounds.open_round(period, version, name="Đếm truy vấn", cut_off=CUT_OFF, by=by)
    return len(queries)


def test_open_round_queries_do_not_grow_with_the_criteria_and_stay_bounded_per_sheet(
    person: Any, period: Period, rubric_2026: RubricVersion, django_assert_max_num_queries: Any
) -> None:
    noivu = person("noivu")
    only_heads_of(["STC"])
    # The same metrics, many more criteria: CT.3 (10 points) split into ten criteria of one point.
    data = copy.deepcopy(rubric_2026_data())
    ct3 = data["criteria"][0]["children"][2]
    ct3["children"] = [
        {**ct3, "code": f"CT.3.{i}", "label": f"Nội dung {i}", "max_points": "1", "children": []}
        for i in range(10)
    ]
    wide = rounds.import_rubric(period, data, by=noivu)

    assert _open_counting(period, wide, noivu) == _open_counting(period, rubric_2026, noivu)

    one = _open_counting(period, rubric_2026, noivu)
    per_sheet = 12  # four metrics, at most three queries each, whatever the number of criteria
    only_heads_of(["STC", "SCT", "SKHCN", "SNNMT"])
    with django_assert_max_num_queries(one + 3 * per_sheet):
        rounds.open_round(period, rubric_2026, name="Bốn phiếu", cut_off=CUT_OFF, by=noivu)


# -- points -------------------------------------------------------------------------------------------------------


def test_the_head_scores_their_own_sheet_without_a_reason_and_no_history(open_small_round: Any) -> None:
    sheet = _sheet(open_small_round(["STC"]), "STC")
    automatic_total = sheet.total
    assert automatic_total is not None

    rounds.enter_points(
        sheet.pk,
        "CT.1",
        points=Decimal("7.5"),
        comment="Gương mẫu",
        by=sheet.person,
        expected_version=sheet.version,
    )

    sheet = fresh(sheet)
    row = sheet.scores.get(code="CT.1")
    assert (row.points, row.comment) == (Decimal("7.50"), "Gương mẫu")
    assert sheet.total == automatic_total + Decimal("7.5")
    assert not ScoreChange.objects.filter(score__sheet=sheet).exists()
    assert AuditEntry.objects.filter(root_type="assessment.scoresheet", root_id=str(sheet.pk)).count() == 1


@pytest.mark.parametrize(
    ("code", "points", "named"),
    [("CT.1", Decimal("8.01"), "CT.1"), ("CT.1", -1, "CT.1"), ("KQ.1", 10, "KQ.1"), ("CT.4", "1.005", "CT.4"),
     ("ZZ", 1, "ZZ"), ("CT", 20, "CT")],
)  # fmt: skip
def test_bad_points_are_refused_naming_the_criterion_and_nothing_is_written(
    open_small_round: Any, code: str, points: Any, named: str
) -> None:
    sheet = _sheet(open_small_round(["STC"]), "STC")
    entries = AuditEntry.objects.count()

    with pytest.raises(RuleViolations) as refused:
        rounds.enter_points(sheet.pk, code, points=points, by=sheet.person, expected_version=sheet.version)

    assert named in _messages(refused.value)
    assert fresh(sheet).version == sheet.version
    assert AuditEntry.objects.count() == entries


def test_an_automatic_criterion_cannot_be_typed_over(open_small_round: Any) -> None:
    sheet = _sheet(open_small_round(["STC"]), "STC")
    with pytest.raises(RuleViolations) as refused:
        rounds.enter_points(sheet.pk, "KQ.2", points=1, by=sheet.person, expected_version=sheet.version)
    assert "tự động" in _messages(refused.value)


@pytest.mark.parametrize("username", ["gd.sct", "pct.vanxa", "hdnd", "chutich", "vanphong"])
def test_nobody_else_enters_the_heads_points(open_small_round: Any, person: Any, username: str) -> None:
    sheet = _sheet(open_small_round(["STC", "SCT"]), "STC")
    with pytest.raises(PermissionDenied):
        rounds.enter_points(sheet.pk, "CT.1", points=1, by=person(username), expected_version=sheet.version)


def test_the_reviewer_waits_for_the_review_step(open_small_round: Any) -> None:
    sheet = _sheet(open_small_round(["STC"]), "STC")
    with pytest.raises(TransitionNotAllowed):
        rounds.enter_points(
            sheet.pk, "CT.1", points=1, reason="x", by=vc_of(sheet), expected_version=sheet.version
        )


def _submitted(sheet: ScoreSheet) -> ScoreSheet:
    for code, value in MANUAL.items():
        sheet = fresh(sheet)
        rounds.enter_points(sheet.pk, code, points=value, by=sheet.person, expected_version=sheet.version)
    sheet = fresh(sheet)
    rounds.submit(sheet.pk, by=sheet.person, expected_version=sheet.version)
    return fresh(sheet)


def test_the_review_needs_a_reason_and_keeps_the_earlier_value(open_small_round: Any) -> None:
    sheet = _submitted(_sheet(open_small_round(["STC"]), "STC"))
    vc, main = vc_of(sheet), rounds.score_of(sheet).main

    with pytest.raises(RuleViolations) as refused:
        rounds.enter_points(sheet.pk, "CT.3", points=6, by=vc, expected_version=sheet.version)
    assert "CT.3" in _messages(refused.value)
    assert not ScoreChange.objects.exists()

    rounds.enter_points(
        sheet.pk, "CT.3", points=6, reason="Còn chậm trả lời kiến nghị", by=vc, expected_version=sheet.version
    )

    sheet = fresh(sheet)
    change = ScoreChange.objects.get(score__sheet=sheet)
    assert (change.step, change.before, change.after) == (SheetStatus.REVIEW, Decimal(10), Decimal(6))
    assert (change.reason, change.by) == ("Còn chậm trả lời kiến nghị", vc)
    assert rounds.score_of(sheet).main == main - 4


def test_two_reviewers_on_the_same_version_the_second_is_stale(open_small_round: Any, person: Any) -> None:
    sheet = _submitted(_sheet(open_small_round(["STC"]), "STC"))
    loaded = sheet.version
    rounds.enter_points(
        sheet.pk, "CT.3", points=6, reason="Thứ nhất", by=vc_of(sheet), expected_version=loaded
    )

    with pytest.raises(StaleEdit):
        rounds.enter_points(
            sheet.pk, "CT.3", points=2, reason="Thứ hai", by=vc_of(sheet), expected_version=loaded
        )

    assert fresh(sheet).scores.get(code="CT.3").points == Decimal(6)
    assert ScoreChange.objects.count() == 1


# -- workflow -----------------------------------------------------------------------------------------------------


def test_submit_lists_every_manual_criterion_without_points(open_small_round: Any) -> None:
    sheet = _sheet(open_small_round(["STC"]), "STC")
    rounds.enter_points(sheet.pk, "CT.1", points=8, by=sheet.person, expected_version=sheet.version)
    sheet = fresh(sheet)

    with pytest.raises(RuleViolations) as refused:
        rounds.submit(sheet.pk, by=sheet.person, expected_version=sheet.version)

    assert sorted(p.field for p in refused.value.problems) == [
        "points.CT.2", "points.CT.3", "points.CT.4", "points.KQ.5", "points.TH",
    ]  # fmt: skip
    assert fresh(sheet).status == SheetStatus.SELF_ASSESSMENT


def test_the_workflow_by_role_with_its_notifications(open_small_round: Any, person: Any) -> None:
    noivu = person("noivu")
    sheet = _submitted(_sheet(open_small_round(["STC"]), "STC"))
    vc = vc_of(sheet)
    assert sheet.status == SheetStatus.REVIEW
    assert Notification.objects.filter(recipient=vc, title__contains="gửi phiếu tự chấm").exists()

    with pytest.raises(PermissionDenied):
        rounds.finish_review(sheet.pk, by=person("pct.vanxa"), expected_version=sheet.version)
    with pytest.raises(PermissionDenied):
        rounds.verify(sheet.pk, by=vc, expected_version=sheet.version)
    with pytest.raises(TransitionNotAllowed):
        rounds.verify(sheet.pk, by=noivu, expected_version=sheet.version)
    with pytest.raises(StaleEdit):
        rounds.finish_review(sheet.pk, by=vc, expected_version=sheet.version - 1)

    with pytest.raises(RuleViolations):
        rounds.return_sheet(sheet.pk, comment=" ", by=vc, expected_version=sheet.version)
    rounds.return_sheet(sheet.pk, comment="Bổ sung minh chứng", by=vc, expected_version=sheet.version)
    sheet = fresh(sheet)
    assert sheet.status == SheetStatus.SELF_ASSESSMENT
    assert Notification.objects.filter(recipient=sheet.person, body__contains="Bổ sung minh chứng").exists()

    rounds.submit(sheet.pk, by=sheet.person, expected_version=sheet.version)
    sheet = fresh(sheet)
    rounds.finish_review(sheet.pk, by=vc, expected_version=sheet.version)
    sheet = fresh(sheet)
    assert Notification.objects.filter(recipient=noivu, title__contains="chờ thẩm định").exists()

    rounds.enter_points(sheet.pk, "TH", points=2, reason="Sáng kiến chưa được công nhận cấp tỉnh", by=noivu,
                        expected_version=sheet.version)  # fmt: skip
    sheet = fresh(sheet)
    rounds.verify(sheet.pk, by=noivu, expected_version=sheet.version)
    sheet = fresh(sheet)
    assert sheet.status == SheetStatus.VERIFIED
    change = ScoreChange.objects.get(score__sheet=sheet)
    assert (change.step, change.before, change.after) == (SheetStatus.VERIFICATION, Decimal(5), Decimal(2))
    assert Notification.objects.filter(recipient=person("chutich"), title__contains="chờ phê duyệt").exists()

    with pytest.raises(PermissionDenied):
        rounds.sign_round(sheet.round_id, by=noivu, expected_version=sheet.round.version)
    expected = {r.person_id: r.level for r in rounds.preview(sheet.round).results}
    rnd = rounds.sign_round(sheet.round_id, by=person("chutich"), expected_version=sheet.round.version)

    sheet = fresh(sheet)
    assert rnd.status == RoundStatus.SIGNED
    assert sheet.status == SheetStatus.SIGNED
    assert sheet.level == expected[sheet.person_id]
    assert Notification.objects.filter(recipient=sheet.person, title__contains="phê duyệt").exists()
    with pytest.raises(TransitionNotAllowed):
        rounds.enter_points(sheet.pk, "CT.1", points=1, reason="x", by=noivu, expected_version=sheet.version)
    with pytest.raises(TransitionNotAllowed):
        rounds.sign_round(rnd.pk, by=person("chutich"), expected_version=rnd.version)


def test_sign_round_waits_for_every_sheet_and_refuses_a_stale_round(
    open_small_round: Any, person: Any
) -> None:
    rnd = open_small_round(["STC", "SCT"])
    take_to_verified(_sheet(rnd, "STC"), MANUAL, home_affairs=person("noivu"))

    with pytest.raises(TransitionNotAllowed) as refused:
        rounds.sign_round(rnd.pk, by=person("chutich"), expected_version=rnd.version)
    assert "Sở Công Thương" in refused.value.user_message
    with pytest.raises(StaleEdit):
        rounds.sign_round(rnd.pk, by=person("chutich"), expected_version=rnd.version + 1)
    assert Round.objects.get(pk=rnd.pk).status == RoundStatus.OPEN


# -- recomputation ------------------------------------------------------------------------------------------------


def test_a_recomputation_records_every_point_that_moved(open_small_round: Any, person: Any) -> None:
    sheet = _sheet(open_small_round(["STC"]), "STC")
    row = sheet.scores.get(code="KQ.1")
    CriterionScore.objects.filter(pk=row.pk).update(points=Decimal(0), metric_value=Decimal(0), record_ids=[])

    with pytest.raises(PermissionDenied):
        rounds.recompute(sheet.pk, by=sheet.person, expected_version=sheet.version)
    rounds.recompute(sheet.pk, by=person("noivu"), expected_version=sheet.version)

    row.refresh_from_db()
    change = ScoreChange.objects.get(score=row)
    assert (change.before, change.after) == (Decimal(0), row.points)
    assert change.reason == "Tính lại theo số liệu đến ngày 30/11/2026"
    assert fresh(sheet).total == rounds.score_of(fresh(sheet)).total


# -- classification -----------------------------------------------------------------------------------------------


def _verified_round(open_small_round: Any, person: Any, scores: dict[str, dict[str, int]]) -> Round:
    clear_followup(list(scores))  # nothing to measure: every automatic criterion gives its maximum (60)
    rnd = open_small_round(list(scores))
    key_tasks_not_due(rnd)
    for code, points in scores.items():
        take_to_verified(_sheet(rnd, code), points, home_affairs=person("noivu"))
    return Round.objects.get(pk=rnd.pk)


def test_preview_and_sign_apply_the_quota_within_the_group(open_small_round: Any, person: Any) -> None:
    totals = {"SCT": 98, "SKHCN": 93, "SNNMT": 80, "STC": 80, "SXD": 80, "SNV": 80}
    rnd = _verified_round(open_small_round, person, {code: manual_for(t) for code, t in totals.items()})
    by_unit = {s.person_id: s.unit.code for s in rnd.sheets.select_related("unit")}

    shown = rounds.preview(rnd)

    levels = {by_unit[r.person_id]: r.level for r in shown.results}
    assert levels["SCT"] == Level.EXCELLENT
    assert levels["SKHCN"] == Level.GOOD  # 2 at ≥90 with 4 good: 20 % of 5 good keeps one
    skhcn = next(r for r in shown.results if by_unit[r.person_id] == "SKHCN")
    assert skhcn.level_by_score == Level.EXCELLENT
    assert [r.kind for r in skhcn.reasons if r.changed] == [ReasonKind.QUOTA]

    rounds.sign_round(rnd.pk, by=person("chutich"), expected_version=rnd.version)

    stored = {s.unit.code: s for s in rnd.sheets.select_related("unit")}
    assert {code: s.level for code, s in stored.items()} == {
        code: str(level) for code, level in levels.items()
    }
    assert stored["SKHCN"].level_by_score == Level.EXCELLENT
    assert stored["SKHCN"].level_reasons[-1]["kind"] == ReasonKind.QUOTA


def test_recorded_facts_and_the_overdue_metric_bind_the_level(open_small_round: Any, person: Any) -> None:
    rnd = _verified_round(open_small_round, person, {"SCT": manual_for(98), "STC": manual_for(98)})
    sct, stc = _sheet(rnd, "SCT"), _sheet(rnd, "STC")
    with pytest.raises(RuleViolations):
        rounds.record_facts(sct.pk, {Fact.DISCIPLINED: " "}, by=person("noivu"), expected_version=sct.version)
    with pytest.raises(PermissionDenied):
        rounds.record_facts(
            sct.pk, {Fact.DISCIPLINED: "x"}, by=person("chutich"), expected_version=sct.version
        )
    rounds.record_facts(
        sct.pk, {Fact.DISCIPLINED: "Quyết định kỷ luật khiển trách số 12/QĐ-UBND"}, by=person("noivu"),
        expected_version=sct.version,
    )  # fmt: skip
    stc.scores.filter(code__in=["KQ.4", "TR"]).update(
        metric_value=Decimal(1)
    )  # a key task led personally, overdue

    candidates = {c.person_id: c for c in rounds.candidates(rnd, list(rnd.sheets.select_related("unit")))}
    assert candidates[stc.person_id].facts == frozenset({Fact.KEY_TASK_NOT_COMPLETED})
    levels = {r.person_id: r.level for r in rounds.preview(rnd).results}
    assert levels[sct.person_id] == Level.NOT_COMPLETED
    assert levels[stc.person_id] == Level.GOOD


# -- properties ---------------------------------------------------------------------------------------------------


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    entries=st.lists(
        st.tuples(
            st.sampled_from([*MANUAL, "KQ.1"]),
            st.decimals(min_value=-2, max_value=12, places=2, allow_nan=False, allow_infinity=False),
        ),
        max_size=8,
    )
)
def test_the_total_always_equals_the_sum_of_the_explained_lines(
    open_small_round: Any, entries: list[Any]
) -> None:
    rnd = Round.objects.filter(period__year=2026).first() or open_small_round(["STC"])
    sheet = _sheet(rnd, "STC")
    for code, points in entries:
        try:
            rounds.enter_points(sheet.pk, code, points=points, by=sheet.person, expected_version=None)
        except RuleViolations:
            assert code == "KQ.1" or not 0 <= points <= MANUAL[code]
        sheet = fresh(sheet)
        explained = rounds.score_of(sheet)
        assert sheet.total == explained.total == sum(line.points for line in explained.explain())
        assert all(line.max_points is None or line.points <= line.max_points for line in explained.explain())
