"""The score sheet pages: who sees a sheet (everyone else gets a 404), the story of a round from the head's points
to Home Affairs' verification, refusals shown on the page with the input kept, the explained points, and a query
count that does not grow with the records or the criteria."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.template.defaultfilters import floatformat
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from tests.assessment.conftest import (
    CUT_OFF,
    MANUAL,
    clear_citizen_data,
    fresh,
    key_tasks_not_due,
    only_heads_of,
    vc_of,
)
from trongtam.assessment.demo import rubric_2026_data
from trongtam.assessment.domain import rounds
from trongtam.assessment.domain.classification import Fact
from trongtam.assessment.enums import SheetStatus
from trongtam.assessment.models import CriterionScore, Round, ScoreChange, ScoreSheet
from trongtam.cycles.models import Period
from trongtam.followup.models import Task
from trongtam.org.models import Person

pytestmark = pytest.mark.django_db


def _sheet(rnd: Round, code: str) -> ScoreSheet:
    return fresh(rnd.sheets.get(unit__code=code))


def _url(sheet: ScoreSheet) -> str:
    return reverse("assessment:sheet-detail", args=[sheet.pk])


def _login(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _points(client: Client, sheet: ScoreSheet, code: str, points: str, **extra: str) -> Any:
    prefix = "points-" + code.replace(".", "-")
    data = {f"{prefix}-version": str(sheet.version), f"{prefix}-points": points}
    data.update({f"{prefix}-{name}": value for name, value in extra.items()})
    return client.post(reverse("assessment:sheet-points", args=[sheet.pk, code]), data)


def _act(
    client: Client, sheet: ScoreSheet, action: str, comment: str = "", version: int | None = None
) -> Any:
    prefix = f"act-{action}"
    data = {
        f"{prefix}-version": str(sheet.version if version is None else version),
        f"{prefix}-comment": comment,
    }
    return client.post(reverse("assessment:sheet-act", args=[sheet.pk, action]), data)


# -- who sees a sheet ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "status"),
    [
        pytest.param("gd.stc", 200, id="own-head"),
        pytest.param("pct.kinhte", 200, id="vc-in-charge"),
        pytest.param("noivu", 200, id="home-affairs"),
        pytest.param("chutich", 200, id="chairman"),
        pytest.param("hdnd", 200, id="council"),
        pytest.param("gd.sct", 404, id="head-of-other-unit"),
        pytest.param("pct.vanxa", 404, id="other-vc"),
        pytest.param("congdan", 404, id="citizen"),
    ],
)
def test_who_sees_a_sheet(open_small_round: Any, client_for: Any, username: str, status: int) -> None:
    sheet = _sheet(open_small_round(["STC", "SCT"]), "STC")
    if username == "pct.kinhte":
        assert vc_of(sheet).username == username

    response = client_for(username).get(_url(sheet))

    assert response.status_code == status
    if status == 200:
        assert sheet.unit.name in response.content.decode()


def test_my_sheet_takes_the_head_to_their_own_sheet(open_small_round: Any, client_for: Any) -> None:
    sheet = _sheet(open_small_round(["STC", "SCT"]), "STC")

    response = client_for("gd.stc").get(reverse("assessment:my-sheet"))

    assert response.status_code == 302
    assert response["Location"] == _url(sheet)


def test_my_sheet_says_so_when_there_is_none(client_for: Any) -> None:
    ScoreSheet.objects.filter(person__username="gd.stc").delete()  # the demo's signed 2025 sheet
    response = client_for("gd.stc").get(reverse("assessment:my-sheet"))

    assert response.status_code == 200
    assert "chưa có phiếu đánh giá" in response.content.decode()


def test_actions_outside_ones_role_are_forbidden(open_small_round: Any, person: Any) -> None:
    sheet = _sheet(open_small_round(["STC", "SCT"]), "STC")
    head = _login(sheet.person)

    assert _act(head, sheet, "verify").status_code == 403
    assert _act(head, sheet, "finish_review").status_code == 403
    assert head.post(reverse("assessment:sheet-recompute", args=[sheet.pk])).status_code == 403
    assert head.post(reverse("assessment:sheet-facts", args=[sheet.pk])).status_code == 403
    assert _points(_login(person("chutich")), sheet, "CT.1", "1").status_code == 403
    assert _act(_login(person("noivu")), sheet, "submit").status_code == 403
    assert _act(head, sheet, "no_such_action").status_code == 404
    assert _points(_login(person("gd.sct")), sheet, "CT.1", "1").status_code == 404
    assert fresh(sheet).version == sheet.version


# -- the story ----------------------------------------------------------------------------------------------------


def test_the_head_scores_and_submits_the_vc_lowers_one_and_home_affairs_verifies(
    open_small_round: Any, person: Any
) -> None:
    sheet = _sheet(open_small_round(["STC"]), "STC")
    head = _login(sheet.person)
    page = head.get(_url(sheet)).content.decode()
    assert 'id="points-CT-1-form"' in page
    assert 'id="act-submit-form"' in page

    for code, value in MANUAL.items():
        response = _points(head, fresh(sheet), code, str(value), comment=f"Minh chứng {code}")
        assert response.status_code == 302, code
    sheet = fresh(sheet)
    assert sheet.scores.get(code="CT.1").comment == "Minh chứng CT.1"
    assert _act(head, sheet, "submit").status_code == 302
    sheet = fresh(sheet)
    assert sheet.status == SheetStatus.REVIEW
    assert 'id="points-CT-1-form"' not in head.get(_url(sheet)).content.decode()  # no longer the head's step

    vc = _login(vc_of(sheet))
    refused = _points(vc, sheet, "CT.3", "6", reason="  ")
    assert refused.status_code == 200
    assert "cần nêu lý do khi thay đổi điểm" in refused.content.decode()
    assert fresh(sheet).version == sheet.version
    assert not ScoreChange.objects.exists()

    assert _points(vc, sheet, "CT.3", "6", reason="Còn chậm trả lời kiến nghị").status_code == 302
    sheet = fresh(sheet)
    change = ScoreChange.objects.get(score__sheet=sheet)
    assert (change.before, change.after, change.step) == (Decimal(10), Decimal(6), SheetStatus.REVIEW)
    page = vc.get(_url(sheet)).content.decode()
    assert "Còn chậm trả lời kiến nghị" in page  # the history of changes
    assert _act(vc, sheet, "finish_review").status_code == 302

    home_affairs = _login(person("noivu"))
    sheet = fresh(sheet)
    assert _act(home_affairs, sheet, "verify").status_code == 302
    sheet = fresh(sheet)
    assert sheet.status == SheetStatus.VERIFIED
    assert sheet.total == rounds.score_of(sheet).total


def test_returning_a_sheet_needs_a_comment(open_small_round: Any) -> None:
    sheet = _sheet(open_small_round(["STC"]), "STC")
    for code, value in MANUAL.items():
        rounds.enter_points(
            fresh(sheet).pk, code, points=value, by=sheet.person, expected_version=fresh(sheet).version
        )
    rounds.submit(sheet.pk, by=sheet.person, expected_version=fresh(sheet).version)
    sheet = fresh(sheet)
    vc = _login(vc_of(sheet))

    refused = _act(vc, sheet, "return", comment=" ")
    assert "Cần nhập ý kiến khi trả lại phiếu đánh giá." in refused.content.decode()
    assert fresh(sheet).status == SheetStatus.REVIEW

    assert _act(vc, sheet, "return", comment="Bổ sung minh chứng").status_code == 302
    assert fresh(sheet).status == SheetStatus.SELF_ASSESSMENT


def test_submitting_with_a_criterion_unscored_names_it(open_small_round: Any) -> None:
    sheet = _sheet(open_small_round(["STC"]), "STC")

    response = _act(_login(sheet.person), sheet, "submit")

    html = response.content.decode()
    assert response.status_code == 200
    assert "CT.1" in html
    assert "chưa chấm điểm" in html
    assert fresh(sheet).status == SheetStatus.SELF_ASSESSMENT


def test_a_stale_version_shows_the_domains_message_and_keeps_the_input(open_small_round: Any) -> None:
    sheet = _sheet(open_small_round(["STC"]), "STC")
    loaded = sheet.version
    rounds.enter_points(sheet.pk, "CT.2", points=5, by=sheet.person, expected_version=loaded)

    response = _points(_login(sheet.person), sheet, "CT.1", "6,5", comment="Giữ nguyên nội dung này")

    html = response.content.decode()
    assert response.status_code == 409
    assert escape(rounds.stale_sheet(fresh(sheet)).user_message) in html
    assert "Giữ nguyên nội dung này" in html
    assert 'value="6,5"' in html
    assert f'name="points-CT-1-version" value="{loaded + 1}"' in html  # sent again, it is saved
    assert fresh(sheet).scores.get(code="CT.1").points is None


def test_a_wrong_step_shows_the_domains_message(open_small_round: Any, person: Any) -> None:
    sheet = _sheet(open_small_round(["STC"]), "STC")

    response = _points(_login(vc_of(sheet)), sheet, "CT.1", "1", reason="Sớm quá")

    assert response.status_code == 409
    assert "đồng chí không sửa điểm được lúc này" in response.content.decode()


def test_home_affairs_records_facts_each_with_a_reason(open_small_round: Any, person: Any) -> None:
    sheet = _sheet(open_small_round(["STC"]), "STC")
    home_affairs = _login(person("noivu"))
    url = reverse("assessment:sheet-facts", args=[sheet.pk])
    data = {"facts-version": str(sheet.version), f"facts-{Fact.DISCIPLINED.value}": "on"}

    refused = home_affairs.post(url, data)
    assert "Cần nêu lý do" in refused.content.decode()
    assert fresh(sheet).facts == []

    data[f"facts-{Fact.DISCIPLINED.value}_reason"] = "Quyết định số 12/QĐ-UBND"
    assert home_affairs.post(url, data).status_code == 302
    assert fresh(sheet).facts == [{"code": "disciplined", "reason": "Quyết định số 12/QĐ-UBND"}]
    assert "Quyết định số 12/QĐ-UBND" in home_affairs.get(_url(sheet)).content.decode()


def test_home_affairs_recomputes_the_automatic_criteria(open_small_round: Any, person: Any) -> None:
    sheet = _sheet(open_small_round(["STC"]), "STC")
    page = _login(person("noivu")).get(_url(sheet)).content.decode()
    assert 'id="recompute-form"' in page
    assert 'id="recompute-form"' not in _login(sheet.person).get(_url(sheet)).content.decode()

    response = _login(person("noivu")).post(
        reverse("assessment:sheet-recompute", args=[sheet.pk]), {"recompute-version": str(sheet.version)}
    )

    assert response.status_code == 302
    assert fresh(sheet).version == sheet.version + 1


# -- what the page explains ---------------------------------------------------------------------------------------


def _with_records(sheet: ScoreSheet, count: int) -> list[Task]:
    tasks = list(Task.objects.order_by("pk")[:count])
    assert len(tasks) == count
    CriterionScore.objects.filter(sheet=sheet, code="KQ.1").update(
        record_ids=[t.pk for t in tasks], record_kind="followup.task"
    )
    return tasks


def test_automatic_criteria_list_their_records_as_links(open_small_round: Any, client_for: Any) -> None:
    sheet = _sheet(open_small_round(["STC"]), "STC")
    tasks = _with_records(sheet, 23)

    html = client_for("gd.stc").get(_url(sheet)).content.decode()

    for task in tasks[:20]:
        assert f'href="{reverse("followup:task-detail", args=[task.pk])}"' in html
    assert f'href="{reverse("followup:task-detail", args=[tasks[20].pk])}"' not in html
    assert "và 3 hồ sơ khác" in html
    assert f"số liệu đến ngày {CUT_OFF:%d/%m/%Y}" in html


def test_the_explained_lines_add_up_to_the_total_shown(open_small_round: Any, client_for: Any) -> None:
    clear_citizen_data(["STC"])
    rnd = open_small_round(["STC"])
    key_tasks_not_due(rnd)
    sheet = _sheet(rnd, "STC")
    entered: dict[str, Decimal | int] = {"CT.1": Decimal("7.5"), "TH": 5, "CT.3": 9}
    for code, value in entered.items():
        rounds.enter_points(
            sheet.pk, code, points=value, by=sheet.person, expected_version=fresh(sheet).version
        )
    sheet = fresh(sheet)

    response = client_for("gd.stc").get(_url(sheet))

    lines = response.context["lines"]
    assert sum(line.points for line in lines) == sheet.total
    assert response.context["lines_total"] == sheet.total
    html = response.content.decode()
    total = floatformat(sheet.total, "-2")
    assert total == "81,50"
    assert f'id="sheet-total">{total}<' in html
    assert f'id="explain-total">{total}<' in html


# -- queries ------------------------------------------------------------------------------------------------------


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("records", [1, 30])
def test_sheet_detail_queries_do_not_grow_with_the_records(
    open_small_round: Any, person: Any, records: int, django_assert_max_num_queries: Any
) -> None:
    sheet = _sheet(open_small_round(["STC"]), "STC")
    _with_records(sheet, records)
    client = _login(person("noivu"))

    with django_assert_max_num_queries(12):
        assert client.get(_url(sheet)).status_code == 200


def test_sheet_detail_queries_are_the_same_for_more_records_and_more_criteria(
    open_small_round: Any, person: Any, period: Period
) -> None:
    small = _sheet(open_small_round(["STC"]), "STC")
    _with_records(small, 1)
    data = rubric_2026_data()  # CT.1 (8 points) split into four criteria of 2 points
    general = data["criteria"][0]
    ct1 = general["children"][0]
    ct1["children"] = [
        {**ct1, "code": f"CT.1.{i}", "label": f"{ct1['label']} ({i})", "max_points": "2", "children": []}
        for i in range(1, 5)
    ]
    noivu = person("noivu")
    bigger = rounds.import_rubric(period, data, by=noivu)
    only_heads_of(["STC"])
    large = fresh(
        rounds.open_round(period, bigger, name="Đánh giá lại", cut_off=CUT_OFF, by=noivu).sheets.get()
    )
    _with_records(large, 30)
    client = _login(noivu)

    assert large.scores.count() > small.scores.count()
    assert _count(client, _url(large)) == _count(client, _url(small))


@pytest.mark.parametrize(
    ("typed", "stored"), [("7,5", Decimal("7.5")), ("7.5", Decimal("7.5")), ("8", Decimal(8))]
)
def test_points_take_a_decimal_comma_or_point_never_a_thousands_separator(
    open_small_round: Any, typed: str, stored: Decimal
) -> None:
    """Read as a thousands separator, "7.5" would be 75: refused as out of range at best, ten times the points
    at worst. Points have no thousands, so both marks are the decimal one."""
    sheet = _sheet(open_small_round(["STC"]), "STC")
    head = _login(sheet.person)
    assert _points(head, sheet, "CT.1", typed).status_code == 302
    assert CriterionScore.objects.get(sheet=sheet, code="CT.1").points == stored
    refused = _points(head, fresh(sheet), "CT.1", "1.000,5")
    assert refused.status_code == 200
    assert CriterionScore.objects.get(sheet=sheet, code="CT.1").points == stored
