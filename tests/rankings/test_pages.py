"""The league page, its settings page, the API and the demo's last year, on the demo province."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import pytest

from tests.assessment.conftest import MANUAL, take_to_verified
from tests.inspections.factories import held, violation
from trongtam.assessment.domain import rounds
from trongtam.assessment.domain.classification import Fact
from trongtam.assessment.models import Round, ScoreSheet
from trongtam.core.models import AuditEntry
from trongtam.org.models import Unit
from trongtam.rankings.demo import seed_last_year
from trongtam.rankings.domain.queries import current_settings
from trongtam.rankings.models import RankingSettings

pytestmark = pytest.mark.django_db

LEAGUE = "/xep-hang/"
SETTINGS = "/xep-hang/thiet-lap/"


@pytest.fixture
def signed_2026(open_small_round: Callable[..., Round], person: Any) -> Callable[..., Round]:
    """A signed 2026 round of the heads of `codes`, each scoring `points` (MANUAL by default), with `facts`."""

    def make(
        codes: list[str],
        *,
        facts: Mapping[str, Mapping[str, str]] | None = None,
        points: Mapping[str, Mapping[str, int]] | None = None,
    ) -> Round:
        rnd = open_small_round(codes)
        noivu = person("noivu")
        for sheet in rnd.sheets.select_related("unit", "person", "round__rubric"):
            take_to_verified(sheet, (points or {}).get(sheet.unit.code, MANUAL), home_affairs=noivu)
            if facts and sheet.unit.code in facts:
                fresh = ScoreSheet.objects.get(pk=sheet.pk)
                rounds.record_facts(
                    sheet.pk, facts[sheet.unit.code], by=noivu, expected_version=fresh.version
                )
        rnd.refresh_from_db()
        return rounds.sign_round(rnd.pk, by=person("chutich"), expected_version=rnd.version)

    return make


# -- the demo's last year -----------------------------------------------------------------------------------------


def test_the_demo_has_a_signed_2025_round_for_every_rated_head() -> None:
    rnd = Round.objects.get(period__year=2025)
    assert rnd.status == "signed"
    assert rnd.sheets.count() == len(rounds.rated_heads())
    assert rnd.sheets.exclude(level="").count() == rnd.sheets.count()
    assert any(f["code"] == Fact.DISCIPLINED for s in rnd.sheets.all() for f in s.facts)
    assert len({s.total for s in rnd.sheets.all()}) > 10  # varied


def test_seeding_last_year_again_adds_nothing() -> None:
    before = Round.objects.count()
    assert seed_last_year() is False
    assert Round.objects.count() == before


# -- the league page -----------------------------------------------------------------------------------------------


def test_the_page_shows_the_latest_signed_round_with_the_trend_against_last_year(
    signed_2026: Callable[..., Round], client_for: Any
) -> None:
    rnd = signed_2026(["SCT", "STC", "XA01"])
    response = client_for("chutich").get(LEAGUE)
    assert response.status_code == 200
    body = response.content.decode()
    assert rnd.name in body
    assert "league-departments" in body
    assert "league-communes" in body
    groups = {g["group"].key: g["group"] for g in response.context["groups"]}
    departments = [line.sheet.unit_name for line in groups["departments"].rows]
    assert sorted(departments) == ["Sở Công Thương", "Sở Tài chính"]
    assert all(line.ranked.previous is not None for line in groups["departments"].rows)
    assert [line.sheet.unit_name for line in groups["communes"].rows] == ["Phường Sơn Hà"]
    assert "Thứ tự:" in body  # the tie-break is stated
    assert "Hội đồng thi đua, khen thưởng" in body  # titles are proposals
    data = json.loads(body.split('id="league-data" type="application/json">')[1].split("</script>")[0])
    assert [g["key"] for g in data["groups"]] == ["departments", "communes"]
    assert sum(data["groups"][0]["levels"]["data"]) == 2


def test_a_repeated_violation_lowers_the_rank_and_says_why(
    signed_2026: Callable[..., Round], client_for: Any
) -> None:
    # XA12 had an inspection violation in 2025 (the demo); it has one again in 2026 and the best score.
    signed_2026(
        ["XA12", "XA01", "XA02"],
        facts={"XA12": {Fact.INSPECTION_VIOLATION: "Kết luận thanh tra số 5/KL-TTT năm 2026"}},
    )
    response = client_for("noivu").get(LEAGUE, {"nhom": "communes"})
    (group,) = [g["group"] for g in response.context["groups"]]
    by_code = {line.sheet.unit_name: line for line in group.rows}
    flagged = by_code["Xã Quảng Phú"]  # XA12
    assert flagged.ranked.flagged
    same_level = [
        line for line in group.rows if not line.ranked.flagged and line.sheet.level == flagged.sheet.level
    ]
    assert all(line.ranked.rank < flagged.ranked.rank for line in same_level)
    body = response.content.decode()
    assert "Vi phạm lặp lại" in body


def test_a_round_that_is_not_signed_is_not_found(
    open_small_round: Callable[..., Round], client_for: Any
) -> None:
    rnd = open_small_round(["SCT"])
    assert client_for("chutich").get(LEAGUE, {"dot": rnd.pk}).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_the_page_reads_a_constant_number_of_queries(
    count: int, signed_2026: Callable[..., Round], client_for: Any, django_assert_num_queries: Any
) -> None:
    signed_2026(["SCT", "STC", "XA01"][:count])
    client = client_for("chutich")
    # session, user, settings, signed rounds, every sheet needed, the inspections' violations of their units; then
    # the navigation: the model backend's permissions of the user and of their groups (once each, cached), the
    # unread notifications
    with django_assert_num_queries(9):
        response = client.get(LEAGUE)
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_the_api_reads_a_constant_number_of_queries(
    count: int, signed_2026: Callable[..., Round], client_for: Any, django_assert_num_queries: Any
) -> None:
    signed_2026(["SCT", "STC", "SXD"][:count])
    client = client_for("chutich")
    with django_assert_num_queries(
        6
    ):  # session, user, settings, signed rounds, sheets, inspection violations
        response = client.get("/api/v1/rankings/league", {"group": "departments"})
    assert response.status_code == 200
    assert response.json()["count"] == count


def test_a_head_sees_names_and_titles_and_nothing_more_personal(
    signed_2026: Callable[..., Round], client_for: Any, person: Any
) -> None:
    signed_2026(["SCT", "STC"])
    body = client_for("gd.sct").get(LEAGUE).content.decode()
    other = person("gd.stc")
    assert other.full_name in body
    assert other.title in body
    assert other.email not in body
    assert other.username not in body


# -- settings -----------------------------------------------------------------------------------------------------


def form(**changes: Any) -> dict[str, Any]:
    row = current_settings()
    data = {
        "version": row.version,
        "demotion": row.demotion,
        "repeat_periods": row.repeat_periods,
        "collective_excellent": row.collective_excellent,
        "collective_advanced": row.collective_advanced,
        "emulation_fighter": row.emulation_fighter,
        "advanced_worker": row.advanced_worker,
    }
    data.update(changes)
    return data


def test_home_affairs_saves_the_settings_with_an_audit_entry(client_for: Any) -> None:
    entries = AuditEntry.objects.count()
    response = client_for("noivu").post(SETTINGS, form(demotion="after_group", repeat_periods=3))
    assert response.status_code == 302
    row = RankingSettings.objects.get()
    assert (row.demotion, row.repeat_periods, row.version) == ("after_group", 3, 2)
    assert AuditEntry.objects.count() == entries + 1
    body = client_for("chutich").get(LEAGUE).content.decode()
    assert "Xếp sau mọi đơn vị trong nhóm không vi phạm lặp lại" in body


def test_bad_settings_are_named_and_nothing_is_written(client_for: Any) -> None:
    response = client_for("noivu").post(
        SETTINGS, form(repeat_periods=9, collective_excellent="ht", collective_advanced="htxs")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "error-summary" in body
    assert "Số kỳ liên tiếp phải là số nguyên từ 2 đến 5." in body
    assert not RankingSettings.objects.exists()
    response = client_for("noivu").post(SETTINGS, form(collective_excellent="ht", collective_advanced="htxs"))
    assert "Danh hiệu cao hơn không được đòi mức thấp hơn" in response.content.decode()
    assert not RankingSettings.objects.exists()


def test_a_stale_settings_form_is_refused(client_for: Any) -> None:
    client = client_for("noivu")
    stale = form(demotion="none")
    assert client.post(SETTINGS, form(demotion="after_group")).status_code == 302
    response = client.post(SETTINGS, stale)
    assert response.status_code == 409
    assert "vừa thay đổi" in response.content.decode()
    assert RankingSettings.objects.get().demotion == "after_group"


def test_the_settings_api(client_for: Any) -> None:
    client = client_for("noivu")
    got = client.get("/api/v1/rankings/settings").json()
    assert got["demotion"] == "after_same_level"
    put = client.put(
        "/api/v1/rankings/settings", {**got, "repeat_periods": 4}, content_type="application/json"
    )
    assert put.status_code == 200
    assert put.json()["version"] == 2
    stale = client.put("/api/v1/rankings/settings", got, content_type="application/json")
    assert stale.status_code == 409
    bad = client.put(
        "/api/v1/rankings/settings",
        {**put.json(), "demotion": "nowhere"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "demotion" in bad.json()["errors"]
    refused = client_for("chutich").put(
        "/api/v1/rankings/settings", put.json(), content_type="application/json"
    )
    assert refused.status_code == 403
    assert RankingSettings.objects.get().repeat_periods == 4


def test_the_league_api_for_communes(signed_2026: Callable[..., Round], client_for: Any) -> None:
    signed_2026(["XA01", "XA02", "SCT"])
    data = client_for("hdnd").get("/api/v1/rankings/league", {"group": "communes"}).json()
    assert data["count"] == 2
    assert [item["rank"] for item in data["items"]] == [1, 2]
    assert all(item["previous"] is not None for item in data["items"])
    assert isinstance(Decimal(str(data["items"][0]["score"])), Decimal)
    assert client_for("cv.sct").get("/api/v1/rankings/league").status_code == 403


def test_a_decided_appeal_changes_the_league(
    signed_2026: Callable[..., Round], client_for: Any, person: Any
) -> None:
    from trongtam.assessment.domain import appeals

    rnd = signed_2026(["SCT", "STC"])
    sheet = ScoreSheet.objects.get(round=rnd, unit__code="STC")
    wanted = "htxs" if sheet.level != "htxs" else "htt"
    appeal = appeals.file_appeal(
        sheet.pk,
        grounds="Kết quả thực hiện nhiệm vụ vượt kế hoạch",
        by=sheet.person,
        expected_version=sheet.version,
    )
    appeals.decide_appeal(
        appeal.pk,
        outcome="upheld",
        level=wanted,
        decision="Quyết định số 1/QĐ-UBND: chấp nhận kiến nghị",
        by=person("chutich"),
        expected_version=appeal.version,
    )
    data = client_for("chutich").get("/api/v1/rankings/league", {"group": "departments"}).json()
    (row,) = [item for item in data["items"] if item["unit_id"] == sheet.unit_id]
    assert row["level"] == wanted


def test_an_absence_found_by_inspections_two_years_running_lowers_the_rank(
    signed_2026: Callable[..., Round], client_for: Any
) -> None:
    # Nobody recorded a fact by hand: the inspections' own records of both years say that XA03 did not mend.
    xa03 = Unit.objects.get(code="XA03")
    for day in (dt.date(2025, 6, 11), dt.date(2026, 6, 10)):
        violation(held(on=day, unit=xa03), person="cc.xa03")
    signed_2026(["XA03", "XA01", "XA02"])

    response = client_for("noivu").get(LEAGUE, {"nhom": "communes"})

    (group,) = [g["group"] for g in response.context["groups"]]
    flagged = next(line for line in group.rows if line.sheet.unit_name == xa03.name)
    assert flagged.ranked.flagged
    assert all(not line.ranked.flagged for line in group.rows if line is not flagged)
