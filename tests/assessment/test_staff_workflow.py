"""The staff evaluation's workflow on the demo province: start once the heads' round is signed, self-evaluate,
submit, the head rates (a change needs a reason and keeps the earlier value), finalize with the bound and the
quota -- each write transactional, versioned, audited and notified; bad input names the field, writes nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tests.assessment.staff_support import fill, fresh, rate, set_head_level
from trongtam.assessment.domain import staff as sd
from trongtam.assessment.domain import staff_workflow as sw
from trongtam.assessment.enums import Level, StaffStatus
from trongtam.assessment.models import Round, StaffEvaluation, StaffPointChange, StaffProduct
from trongtam.core.errors import RuleViolations, StaleEdit, TransitionNotAllowed
from trongtam.core.models import AuditEntry, Notification
from trongtam.org.enums import JobCategory
from trongtam.org.models import Unit

pytestmark = pytest.mark.django_db


def test_evaluations_wait_for_the_heads_round_to_be_signed(open_small_round: Any, person: Any) -> None:
    rnd = open_small_round(["SCT"])
    with pytest.raises(TransitionNotAllowed, match="chưa được phê duyệt"):
        sw.start_unit(rnd.pk, Unit.objects.get(code="SCT").pk, by=person("gd.sct"))
    assert not StaffEvaluation.objects.exists()


def test_starting_copies_the_job_position_and_the_work_plan(started: Any, person: Any) -> None:
    evaluations = started("SCT")
    assert set(evaluations) == {"pgd.sct", "cv.sct", "cv2.sct"}
    cv = evaluations["cv.sct"]
    assert cv.job_position_name == "Chuyên viên quản lý thương mại"
    assert cv.job_category == JobCategory.PROFESSIONAL
    assert "thị trường" in cv.job_description
    assert cv.products.all()[0].title.startswith("Báo cáo tình hình thị trường")
    assert cv.products.count() == 3
    assert Notification.objects.filter(recipient=person("cv.sct"), title__contains="tự đánh giá").exists()
    assert AuditEntry.objects.filter(object_type="assessment.staffevaluation", object_id=str(cv.pk)).exists()


def test_starting_again_creates_nothing(started: Any, signed_round: Round, person: Any) -> None:
    started("SCT")
    assert sw.start_unit(signed_round.pk, Unit.objects.get(code="SCT").pk, by=person("cv.sct")) == []
    assert StaffEvaluation.objects.filter(unit__code="SCT").count() == 3


def test_only_members_of_the_unit_start_it(signed_round: Round, person: Any) -> None:
    with pytest.raises(PermissionDenied):
        sw.start_unit(signed_round.pk, Unit.objects.get(code="SCT").pk, by=person("cv.stc"))


def test_the_self_evaluation_is_scored_and_its_breakdown_adds_up(started: Any) -> None:
    cv = fill(started()["cv.sct"], general="27.5", failures=1, submit=False)
    scored = sw.score_of(cv)
    assert scored is not None
    assert cv.total == scored.total == sum(line.points for line in scored.period.lines)
    assert cv.general_self == Decimal("27.50")
    assert cv.total < Decimal("97.5")  # the quality failures cost points


def _first_product(cv: StaffEvaluation) -> StaffProduct:
    first = cv.products.first()
    assert first is not None
    return first


def _refused_self(cv: StaffEvaluation, general: str, products: dict[int, sw.ProductInput]) -> RuleViolations:
    """The official's self-evaluation refused: the problems it names."""
    with pytest.raises(RuleViolations) as caught:
        sw.save_self(
            cv.pk, general=general, comment="", products=products, by=cv.person, expected_version=cv.version
        )
    return caught.value


def _rate_28(cv: StaffEvaluation, *, by: Any, expected_version: int | None, facts: Any = None) -> None:
    """`by` rates the evaluation at 28 points, without a reason or a comment."""
    sw.rate(
        cv.pk,
        general="28",
        reason="",
        comment="",
        facts=facts or {},
        by=by,
        expected_version=expected_version,
    )


def test_bad_self_evaluation_input_names_each_field_and_writes_nothing(started: Any) -> None:
    cv = fresh(started()["cv.sct"])
    first = _first_product(cv)
    refused = _refused_self(
        cv,
        "31",
        {
            first.pk: sw.ProductInput(done=True, quality_failures=1, excused_failures=2),
            999999: sw.ProductInput(done=True),
        },
    )
    fields = {p.field for p in refused.problems}
    assert fields == {"general", "products", f"products.{first.pk}.excused_failures"}
    assert "Điểm tiêu chí chung phải từ 0 đến 30 (đang là 31)" in refused.user_message
    assert fresh(cv).version == cv.version
    assert fresh(cv).general_self is None


def test_failures_on_a_product_not_done_are_refused(started: Any) -> None:
    cv = fresh(started()["cv.sct"])
    first = _first_product(cv)
    refused = _refused_self(cv, "25", {first.pk: sw.ProductInput(done=False, delays=1)})
    assert [p.field for p in refused.problems] == [f"products.{first.pk}.done"]


def test_a_stale_version_is_refused_and_names_who_changed_it(started: Any) -> None:
    cv = fresh(started()["cv.sct"])
    old = cv.version
    fill(cv, submit=False)
    with pytest.raises(StaleEdit, match="vừa thay đổi"):
        sw.save_self(cv.pk, general="20", comment="", products={}, by=cv.person, expected_version=old)
    assert fresh(cv).general_self == Decimal("28.00")


def test_another_official_cannot_touch_it(started: Any, person: Any) -> None:
    cv = fresh(started()["cv.sct"])
    with pytest.raises(PermissionDenied):
        sw.save_self(
            cv.pk, general="20", comment="", products={}, by=person("cv2.sct"), expected_version=None
        )


def test_submitting_without_general_points_is_refused(started: Any) -> None:
    cv = fresh(started()["cv.sct"])
    with pytest.raises(RuleViolations) as caught:
        sw.submit(cv.pk, by=cv.person, expected_version=cv.version)
    assert [p.field for p in caught.value.problems] == ["general"]
    assert fresh(cv).status == StaffStatus.SELF_ASSESSMENT


def test_submitting_tells_the_head_and_locks_the_self_evaluation(started: Any, person: Any) -> None:
    cv = fill(started()["cv.sct"])
    assert cv.status == StaffStatus.HEAD_RATING
    assert Notification.objects.filter(recipient=person("gd.sct"), title__contains="tự đánh giá").exists()
    with pytest.raises(TransitionNotAllowed):
        sw.save_self(cv.pk, general="20", comment="", products={}, by=cv.person, expected_version=cv.version)


def test_the_heads_change_needs_a_reason_and_keeps_the_earlier_value(started: Any, person: Any) -> None:
    cv = fill(started()["cv.sct"], general="29")
    with pytest.raises(RuleViolations) as caught:
        sw.rate(
            cv.pk,
            general="25",
            reason="",
            comment="",
            facts={},
            by=person("gd.sct"),
            expected_version=cv.version,
        )
    assert [p.field for p in caught.value.problems] == ["reason"]
    assert not StaffPointChange.objects.exists()
    cv = rate(cv, general="25", reason="Chưa chủ động đề xuất giải pháp")
    change = StaffPointChange.objects.get(evaluation=cv)
    assert (change.before, change.after, change.reason) == (
        Decimal("29.00"),
        Decimal("25.00"),
        "Chưa chủ động đề xuất giải pháp",
    )
    assert cv.general_self == Decimal("29.00")
    assert cv.general_head == Decimal("25.00")
    assert cv.rated_at is not None


def test_only_the_head_of_the_unit_rates(started: Any, person: Any) -> None:
    cv = fill(started()["cv.sct"])
    for username in ("gd.stc", "pgd.sct", "noivu", "pct.kinhte"):
        with pytest.raises(PermissionDenied):
            _rate_28(cv, by=person(username), expected_version=None)


def test_a_fact_needs_its_ground(started: Any, person: Any) -> None:
    cv = fill(started()["cv.sct"])
    with pytest.raises(RuleViolations) as caught:
        _rate_28(
            cv,
            by=person("gd.sct"),
            expected_version=cv.version,
            facts={"disciplined": " ", "unit_corruption": "x"},
        )
    assert {p.field for p in caught.value.problems} == {"facts.disciplined", "facts"}


def _rate_everyone(evaluations: dict[str, StaffEvaluation], **facts: Any) -> None:
    for username, evaluation in evaluations.items():
        fill(evaluation)
        rate(evaluation, facts=facts.get(username))


def test_finalizing_writes_each_level_with_its_reasons(
    started: Any, signed_round: Round, person: Any
) -> None:
    evaluations = started("SCT")
    _rate_everyone(
        evaluations, cv2_sct=None, **{"cv2.sct": {"disciplined": "Quyết định kỷ luật số 12/QĐ-SCT"}}
    )
    unit = Unit.objects.get(code="SCT")
    seen = sw.fingerprint(StaffEvaluation.objects.filter(unit=unit))
    sw.finalize_unit(signed_round.pk, unit.pk, by=person("gd.sct"), expected=seen)
    final = {e.person.username: e for e in StaffEvaluation.objects.filter(unit=unit).select_related("person")}
    assert {e.status for e in final.values()} == {StaffStatus.FINALIZED}
    assert final["cv2.sct"].level == Level.NOT_COMPLETED
    assert final["cv2.sct"].level_reasons[0]["rule_code"] == "kht_disciplined"
    # cv.sct scores ≥90 and is alone "excellent" in the professional group: the quota keeps no one.
    assert final["cv.sct"].level_by_score == Level.EXCELLENT
    assert final["cv.sct"].level == Level.GOOD
    assert final["cv.sct"].level_reasons[-1]["kind"] == "quota"
    assert Notification.objects.filter(recipient=person("cv.sct"), title__contains="xếp loại").exists()
    preview = sw.preview_unit(signed_round, unit)
    assert preview.unit_result == Decimal(50)  # someone did not complete: the head's unit result is 50 %


def test_the_heads_level_bounds_the_staffs(started: Any, signed_round: Round, person: Any) -> None:
    set_head_level(signed_round, "SCT", Level.NOT_COMPLETED)
    evaluations = started("SCT")
    _rate_everyone(evaluations)
    unit = Unit.objects.get(code="SCT")
    sw.finalize_unit(signed_round.pk, unit.pk, by=person("gd.sct"), expected=None)
    for evaluation in StaffEvaluation.objects.filter(unit=unit):
        assert Level(evaluation.level).rank >= Level.COMPLETED.rank
        assert evaluation.head_level == Level.NOT_COMPLETED
        assert any(r["rule_code"] == sd.HEAD_CAP_RULE for r in evaluation.level_reasons)


def test_finalizing_waits_for_every_rating(started: Any, signed_round: Round, person: Any) -> None:
    evaluations = started("SCT")
    fill(evaluations["cv.sct"])
    with pytest.raises(TransitionNotAllowed, match="chưa được gửi hoặc chưa đánh giá"):
        sw.finalize_unit(signed_round.pk, evaluations["cv.sct"].unit_id, by=person("gd.sct"), expected=None)
    assert not StaffEvaluation.objects.filter(status=StaffStatus.FINALIZED).exists()


def test_finalizing_against_a_stale_preview_is_refused(
    started: Any, signed_round: Round, person: Any
) -> None:
    evaluations = started("SCT")
    _rate_everyone(evaluations)
    unit = Unit.objects.get(code="SCT")
    seen = sw.fingerprint(StaffEvaluation.objects.filter(unit=unit))
    rate(evaluations["cv.sct"], general="20", reason="Xem lại")
    with pytest.raises(StaleEdit):
        sw.finalize_unit(signed_round.pk, unit.pk, by=person("gd.sct"), expected=seen)
    assert not StaffEvaluation.objects.filter(status=StaffStatus.FINALIZED).exists()


def test_the_head_may_send_a_self_evaluation_back(started: Any, person: Any) -> None:
    cv = fill(started()["cv.sct"])
    with pytest.raises(RuleViolations):
        sw.return_to_official(cv.pk, comment=" ", by=person("gd.sct"), expected_version=cv.version)
    sw.return_to_official(
        cv.pk, comment="Bổ sung minh chứng", by=person("gd.sct"), expected_version=cv.version
    )
    assert fresh(cv).status == StaffStatus.SELF_ASSESSMENT


def test_products_are_copied_not_shared(started: Any) -> None:
    cv = started()["cv.sct"]
    product = StaffProduct.objects.filter(evaluation=cv).first()
    assert product is not None
    assert product.plan_item is not None
    product.plan_item.title = "Đổi tên trong kế hoạch"
    product.plan_item.save()
    product.refresh_from_db()
    assert product.title != "Đổi tên trong kế hoạch"


def test_the_demo_seeding_is_idempotent() -> None:
    from trongtam.assessment.demo_staff import seed_staff
    from trongtam.assessment.models import WorkPlanItem

    plans = WorkPlanItem.objects.count()
    assert not seed_staff()
    assert WorkPlanItem.objects.count() == plans
    assert WorkPlanItem.objects.filter(person__username__in=["pgd.sct", "cv.sct", "cv2.sct"]).count() == 11
