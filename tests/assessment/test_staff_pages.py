"""Pages of the staff evaluation: the official's own page, one evaluation with its forms, the head's unit page
with the preview and finalizing, the results list -- scope, messages naming the field, stale versions (409), and
a number of queries that does not grow with the rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.assessment.staff_support import fill, fresh, rate
from trongtam.assessment.domain import staff_workflow as sw
from trongtam.assessment.enums import StaffStatus
from trongtam.assessment.models import Round, StaffEvaluation, WorkPlanItem
from trongtam.org.models import Person, Unit

pytestmark = pytest.mark.django_db


def _sct() -> Unit:
    return Unit.objects.get(code="SCT")


def test_before_the_heads_round_is_signed_the_official_sees_their_position_and_plan(client_for: Any) -> None:
    response = client_for("cv.sct").get(reverse("assessment:my-staff-evaluation"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="no-round"' in page
    assert "Chuyên viên quản lý thương mại" in page
    assert "Kế hoạch bình ổn thị trường dịp Tết Nguyên đán" in page
    assert "15/01/2026" in page


def test_the_official_starts_and_lands_on_their_evaluation(signed_round: Round, client_for: Any) -> None:
    client = client_for("cv.sct")
    page = client.get(reverse("assessment:my-staff-evaluation")).content.decode()
    assert 'id="start-form"' in page
    response = client.post(
        reverse("assessment:staff-unit-start", args=[_sct().pk]), {"round": signed_round.pk, "next": "own"}
    )
    assert response.status_code == 302
    own = StaffEvaluation.objects.get(person__username="cv.sct")
    assert client.get(reverse("assessment:my-staff-evaluation"))["Location"] == reverse(
        "assessment:staff-detail", args=[own.pk]
    )
    detail = client.get(reverse("assessment:staff-detail", args=[own.pk])).content.decode()
    assert 'id="self-form"' in detail
    assert "Chuyên viên quản lý thương mại" in detail


def _self_data(evaluation: StaffEvaluation, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"self-version": evaluation.version, "self-general": "27,5", "self-comment": "Tốt"}
    for product in evaluation.products.all():
        data[f"self-p{product.pk}_done"] = "on"
        for name in ("quality_failures", "excused_failures", "delays", "excused_delays"):
            data[f"self-p{product.pk}_{name}"] = "0"
    data.update(changes)
    return data


def test_the_self_form_saves_points_with_a_decimal_comma(started: Any, client_for: Any) -> None:
    cv = fresh(started()["cv.sct"])
    response = client_for("cv.sct").post(reverse("assessment:staff-self", args=[cv.pk]), _self_data(cv))
    assert response.status_code == 302
    assert str(fresh(cv).general_self) == "27.50"
    assert str(fresh(cv).total) == "97.50"


def test_bad_input_is_named_at_the_top_of_the_form_and_nothing_is_written(
    started: Any, client_for: Any
) -> None:
    cv = fresh(started()["cv.sct"])
    first = cv.products.first()
    assert first is not None
    data = _self_data(cv, **{"self-general": "35", f"self-p{first.pk}_delays": "-1"})
    response = client_for("cv.sct").post(reverse("assessment:staff-self", args=[cv.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in page
    assert "Sản phẩm 1: số lần chậm tiến độ" in page
    assert fresh(cv).version == cv.version
    assert fresh(cv).general_self is None
    data = _self_data(cv, **{"self-general": "35"})
    page = client_for("cv.sct").post(reverse("assessment:staff-self", args=[cv.pk]), data).content.decode()
    assert "Điểm tiêu chí chung tự chấm</a>: Điểm tiêu chí chung phải từ 0 đến 30 (đang là 35)" in page


def test_a_stale_self_form_is_a_409_with_the_input_kept(started: Any, client_for: Any) -> None:
    cv = fresh(started()["cv.sct"])
    data = _self_data(cv)
    fill(cv, submit=False, general="20")
    response = client_for("cv.sct").post(reverse("assessment:staff-self", args=[cv.pk]), data)
    assert response.status_code == 409
    assert "vừa thay đổi" in response.content.decode()
    assert str(fresh(cv).general_self) == "20.00"


def test_the_head_rates_with_a_reason_and_the_change_is_shown(started: Any, client_for: Any) -> None:
    cv = fill(started()["cv.sct"], general="29")
    client = client_for("gd.sct")
    url = reverse("assessment:staff-rate", args=[cv.pk])
    refused = client.post(url, {"rate-version": cv.version, "rate-general": "25"})
    assert refused.status_code == 200
    assert "cần nêu lý do" in refused.content.decode()
    done = client.post(url, {"rate-version": cv.version, "rate-general": "25", "rate-reason": "Còn chậm"})
    assert done.status_code == 302
    page = client.get(reverse("assessment:staff-detail", args=[cv.pk])).content.decode()
    assert 'id="changes"' in page
    assert "Còn chậm" in page


def test_others_cannot_see_an_evaluation(started: Any, client_for: Any) -> None:
    cv = started()["cv.sct"]
    url = reverse("assessment:staff-detail", args=[cv.pk])
    for username in ("cv2.sct", "gd.stc", "pct.vanxa", "congdan"):
        assert client_for(username).get(url).status_code == 404, username
    for username in ("cv.sct", "gd.sct", "noivu", "chutich", "vanphong", "hdnd", "pct.kinhte"):
        assert client_for(username).get(url).status_code == 200, username
    assert client_for("cv2.sct").post(reverse("assessment:staff-self", args=[cv.pk]), {}).status_code == 404


def test_the_unit_page_previews_levels_bounds_and_the_unit_result(
    started: Any, signed_round: Round, client_for: Any
) -> None:
    for evaluation in started().values():
        fill(evaluation)
        rate(evaluation)
    client = client_for("gd.sct")
    assert client.get(reverse("assessment:my-unit-staff"))["Location"] == reverse(
        "assessment:staff-unit", args=[_sct().pk]
    )
    page = client.get(reverse("assessment:staff-unit", args=[_sct().pk])).content.decode()
    assert 'id="bounds-table"' in page
    assert "chưa được xác nhận" in page
    assert 'id="unit-result"' in page
    assert "100 %" in page
    assert 'id="levels-chart"' in page
    assert "Tỷ lệ hoàn thành xuất sắc" in page
    evaluations = StaffEvaluation.objects.filter(unit=_sct())
    response = client.post(
        reverse("assessment:staff-unit-finalize", args=[_sct().pk]),
        {"round": signed_round.pk, "seen": sw.fingerprint(evaluations)},
    )
    assert response.status_code == 302
    assert set(evaluations.values_list("status", flat=True)) == {StaffStatus.FINALIZED}
    own = client_for("cv.sct").get(
        reverse("assessment:staff-detail", args=[evaluations.get(person__username="cv.sct").pk])
    )
    assert 'id="level-reasons"' in own.content.decode()


def test_finalizing_a_stale_preview_is_a_409(started: Any, signed_round: Round, client_for: Any) -> None:
    for evaluation in started().values():
        fill(evaluation)
        rate(evaluation)
    response = client_for("gd.sct").post(
        reverse("assessment:staff-unit-finalize", args=[_sct().pk]), {"round": signed_round.pk, "seen": "1:1"}
    )
    assert response.status_code == 409
    assert not StaffEvaluation.objects.filter(status=StaffStatus.FINALIZED).exists()


def test_only_the_head_finalizes(started: Any, signed_round: Round, client_for: Any) -> None:
    started()
    url = reverse("assessment:staff-unit-finalize", args=[_sct().pk])
    assert client_for("noivu").post(url, {"round": signed_round.pk, "seen": ""}).status_code == 403
    assert client_for("gd.stc").post(url, {"round": signed_round.pk, "seen": ""}).status_code == 404


def test_the_results_list_filters_by_unit_and_keeps_to_the_scope(started: Any, client_for: Any) -> None:
    started("SCT")
    started("STC")
    url = reverse("assessment:staff-results")
    everyone = client_for("noivu").get(url).content.decode()
    assert "Sở Tài chính" in everyone
    assert "Sở Công Thương" in everyone
    filtered = client_for("noivu").get(url, {"don_vi": _sct().pk}).content.decode()
    assert filtered.count("/danh-gia/cong-chuc/") - filtered.count('cong-chuc/"') >= 0
    assert "Lê Xuân Cường" in filtered  # cv2.sct
    assert "Đỗ Minh Tuấn" not in filtered  # cv2.stc
    outside = client_for("pct.vanxa").get(url).content.decode()
    assert "Lê Xuân Cường" not in outside
    assert client_for("cv.sct").get(url).status_code == 403


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _start_anew_with(staff: list[str], signed_round: Round, person: Any) -> None:
    """SCT's evaluations started again by its head, with only `staff` (usernames) active among its officials."""
    StaffEvaluation.objects.all().delete()
    Person.objects.filter(unit=_sct(), role__in=["official", "deputy"]).update(is_active=False)
    Person.objects.filter(username__in=staff).update(is_active=True)
    sw.start_unit(signed_round.pk, _sct().pk, by=person("gd.sct"))


def test_the_unit_page_takes_the_same_queries_for_one_official_and_for_three(
    signed_round: Round, person: Any, client_for: Any
) -> None:
    counts = []
    for active in (["cv.sct"], ["cv.sct", "cv2.sct", "pgd.sct"]):
        _start_anew_with(active, signed_round, person)
        for evaluation in StaffEvaluation.objects.all():
            fill(evaluation)
            rate(evaluation)
        counts.append(_count(client_for("gd.sct"), reverse("assessment:staff-unit", args=[_sct().pk])))
    assert counts[0] == counts[1]


def test_the_evaluation_page_takes_the_same_queries_for_one_product_and_for_three(
    signed_round: Round, person: Any, client_for: Any
) -> None:
    keep = list(WorkPlanItem.objects.filter(person__username="cv.sct").order_by("position"))
    counts = []
    for n in (1, 3):
        StaffEvaluation.objects.all().delete()
        WorkPlanItem.objects.filter(person__username="cv.sct").delete()
        WorkPlanItem.objects.bulk_create(
            [
                WorkPlanItem(period=i.period, person=i.person, position=i.position, title=i.title)
                for i in keep[:n]
            ]
        )
        sw.start_unit(signed_round.pk, _sct().pk, by=person("gd.sct"))
        cv = StaffEvaluation.objects.get(person__username="cv.sct")
        counts.append(_count(client_for("cv.sct"), reverse("assessment:staff-detail", args=[cv.pk])))
    assert counts[0] == counts[1]


def test_the_results_page_takes_the_same_queries_for_one_row_and_for_three(
    signed_round: Round, person: Any, client_for: Any
) -> None:
    counts = []
    for active in (["cv.sct"], ["cv.sct", "cv2.sct", "pgd.sct"]):
        _start_anew_with(active, signed_round, person)
        counts.append(_count(client_for("noivu"), reverse("assessment:staff-results")))
    assert counts[0] == counts[1]


def test_the_head_gives_an_official_a_product_which_reaches_their_open_evaluation(
    started: Any, client_for: Any
) -> None:
    cv = fresh(started()["cv.sct"])
    url = reverse("assessment:staff-plan", args=[cv.person_id])
    client = client_for("gd.sct")
    assert 'id="plan-form"' in client.get(url).content.decode()
    bad = client.post(url, {"title": "", "weight": "0", "deadline": "01/01/2027"})
    page = bad.content.decode()
    assert bad.status_code == 200
    assert "Cần nhập tên sản phẩm, công việc." in page
    assert "Hệ số quy đổi phải là một số từ 0,01 đến 99,99." in page
    assert "Thời hạn phải nằm trong kỳ" in page
    assert fresh(cv).products.count() == 3
    done = client.post(
        url, {"title": "Báo cáo chuyên đề chợ đầu mối", "weight": "1,5", "deadline": "30/11/2026"}
    )
    assert done.status_code == 302
    assert fresh(cv).products.count() == 4
    assert fresh(cv).version == cv.version + 1
    assert WorkPlanItem.objects.filter(person=cv.person, title="Báo cáo chuyên đề chợ đầu mối").exists()


def test_only_the_head_of_the_unit_plans_its_officials_work(client_for: Any) -> None:
    url = reverse("assessment:staff-plan", args=[Person.objects.get(username="cv.sct").pk])
    for username in ("cv.sct", "gd.stc", "noivu", "pct.kinhte"):
        assert client_for(username).get(url).status_code == 403, username
    assert client_for("gd.sct").get(url).status_code == 200
    assert (
        'id="plans"'
        in client_for("gd.sct").get(reverse("assessment:staff-unit", args=[_sct().pk])).content.decode()
    )
