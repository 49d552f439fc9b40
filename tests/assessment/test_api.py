"""Assessment through the JSON API: rubrics, rounds, a round's sheets in each person's scope, one sheet with its
explained total, every action of the sheet page, the classification preview and the sign-off. Every refused write
checks that nothing was written."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.assessment.conftest import CUT_OFF, MANUAL, fresh, key_tasks_not_due, take_to_verified, vc_of
from trongtam.assessment.demo import rubric_2026_data
from trongtam.assessment.domain import rounds
from trongtam.assessment.enums import RoundStatus, SheetStatus
from trongtam.assessment.models import CriterionScore, Round, RubricVersion, ScoreChange, ScoreSheet
from trongtam.core.models import AuditEntry
from trongtam.cycles.models import Period
from trongtam.org.models import Person

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

API = "/api/v1"


def send(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(API + path, json.dumps(body), content_type="application/json")


def written() -> dict[str, Any]:
    """What a refused write must leave unchanged."""
    return {
        "rubrics": list(RubricVersion.objects.order_by("pk").values_list("pk", "frozen_at")),
        "rounds": list(Round.objects.order_by("pk").values_list("pk", "version", "status")),
        "sheets": list(
            ScoreSheet.objects.order_by("pk").values_list("pk", "version", "status", "total", "facts")
        ),
        "scores": list(CriterionScore.objects.order_by("pk").values_list("pk", "points", "comment")),
        "changes": ScoreChange.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def sheet_of(rnd: Round, code: str) -> ScoreSheet:
    return fresh(rnd.sheets.get(unit__code=code))


def detail(client: Client, sheet: ScoreSheet) -> dict[str, Any]:
    response = client.get(f"{API}/sheets/{sheet.pk}")
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def actions(client: Client, sheet: ScoreSheet) -> list[str]:
    return [a["action"] for a in detail(client, sheet)["actions"]]


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.fixture
def small(open_small_round: Any) -> Round:
    """A round of the heads of STC and SCT (the same Vice-Chairman) and SGDDT (another one)."""
    return open_small_round(["STC", "SCT", "SGDDT"])


# -- rubrics -------------------------------------------------------------------------------------------------------


def test_the_rubrics_list_and_one_rubrics_data(client_for: Any, rubric_2026: RubricVersion) -> None:
    client = client_for("gd.stc")

    listed = client.get(f"{API}/rubrics")
    one = client.get(f"{API}/rubrics/{rubric_2026.pk}")

    assert listed.status_code == 200
    # The demo also has last year's rubric (2025, for the league's trend): the latest period first.
    assert listed.json()["items"][0]["id"] == rubric_2026.pk
    assert one.status_code == 200
    assert one.json()["data"] == rubric_2026.data
    assert (one.json()["number"], one.json()["period"]["year"], one.json()["rounds"]) == (1, 2026, 0)


def test_a_citizen_may_not_read_rubrics(client_for: Any, rubric_2026: RubricVersion) -> None:
    assert client_for("congdan").get(f"{API}/rubrics").status_code == 403
    assert client_for("congdan").get(f"{API}/rubrics/{rubric_2026.pk}").status_code == 403


def test_home_affairs_imports_a_new_version(client_for: Any, period: Period) -> None:
    data = rubric_2026_data()
    data["title"] = "Bộ tiêu chí sửa đổi"

    response = send(client_for("noivu"), "/rubrics", {"period": period.pk, "data": data})

    assert response.status_code == 201, response.content
    body = response.json()
    version = RubricVersion.objects.get(pk=body["id"])
    assert (version.number, version.title, body["number"]) == (2, "Bộ tiêu chí sửa đổi", 2)
    assert body["data"] == version.data


def test_a_broken_rubric_is_a_400_naming_the_criteria(client_for: Any, period: Period) -> None:
    data = rubric_2026_data()
    data["criteria"][0]["max_points"] = -1
    before = written()

    response = send(client_for("noivu"), "/rubrics", {"period": period.pk, "data": data})

    assert response.status_code == 400
    assert any(name.startswith("criteria.") for name in response.json()["errors"])
    assert written() == before


def test_importing_checks_the_role_the_period_and_the_shape(client_for: Any, period: Period) -> None:
    before = written()

    forbidden = send(client_for("chutich"), "/rubrics", {"period": period.pk, "data": rubric_2026_data()})
    no_period = send(client_for("noivu"), "/rubrics", {"period": 999999, "data": rubric_2026_data()})
    shape = send(client_for("noivu"), "/rubrics", {"period": "năm nay", "data": []})

    assert forbidden.status_code == 403
    assert (no_period.status_code, list(no_period.json()["errors"])) == (400, ["period"])
    assert (shape.status_code, set(shape.json()["errors"])) == (422, {"period", "data"})
    assert written() == before


# -- rounds --------------------------------------------------------------------------------------------------------


def test_home_affairs_opens_a_round(client_for: Any, period: Period, rubric_2026: RubricVersion) -> None:
    Person.objects.filter(role="head").exclude(unit__code__in=["STC", "SCT"]).update(is_active=False)

    response = send(
        client_for("noivu"),
        "/rounds",
        {"period": period.pk, "rubric": rubric_2026.pk, "name": "Đợt thử", "cut_off": CUT_OFF.isoformat()},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    rnd = Round.objects.get(pk=body["id"])
    assert (rnd.name, rnd.cut_off, rnd.sheets.count()) == ("Đợt thử", CUT_OFF, 2)
    assert fresh_rubric(rubric_2026).frozen_at is not None
    assert (body["sheets"], body["status"], body["version"]) == (2, RoundStatus.OPEN, 1)
    assert {c["status"]: c["count"] for c in body["counts"]}[SheetStatus.SELF_ASSESSMENT] == 2


def fresh_rubric(version: RubricVersion) -> RubricVersion:
    return RubricVersion.objects.get(pk=version.pk)


def test_opening_a_round_checks_the_role_and_the_input(
    client_for: Any, period: Period, rubric_2026: RubricVersion
) -> None:
    good = {"period": period.pk, "rubric": rubric_2026.pk, "name": "Đợt thử", "cut_off": CUT_OFF.isoformat()}
    before = written()

    forbidden = send(client_for("chutich"), "/rounds", good)
    bad = send(client_for("noivu"), "/rounds", {**good, "name": "  ", "cut_off": "2020-01-01"})
    shape = send(client_for("noivu"), "/rounds", {**good, "cut_off": "hôm nay", "rubric": None})

    assert forbidden.status_code == 403
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) >= {"name"}
    assert (shape.status_code, set(shape.json()["errors"])) == (422, {"cut_off", "rubric"})
    assert written() == before


def test_the_rounds_list_counts_the_sheets(client_for: Any, small: Round) -> None:
    response = client_for("pct.kinhte").get(f"{API}/rounds")

    assert response.status_code == 200
    row, *older = response.json()["items"]  # the demo's signed 2025 round comes after
    assert (row["id"], row["sheets"], row["name"]) == (small.pk, 3, small.name)
    assert [r["id"] for r in older] == list(
        Round.objects.filter(period__year=2025).values_list("pk", flat=True)
    )


def test_a_round_shows_the_counts_in_ones_scope_and_the_actions(client_for: Any, small: Round) -> None:
    head = client_for("gd.stc").get(f"{API}/rounds/{small.pk}").json()
    chairman = client_for("chutich").get(f"{API}/rounds/{small.pk}").json()

    assert sum(c["count"] for c in head["visible_counts"]) == 1
    assert head["actions"] == []
    assert sum(c["count"] for c in chairman["visible_counts"]) == 3
    assert [a["action"] for a in chairman["actions"]] == ["preview"]  # nothing verified yet: no sign-off


@pytest.mark.parametrize(
    ("username", "units"),
    [
        ("noivu", ["SCT", "SGDDT", "STC"]),
        ("hdnd", ["SCT", "SGDDT", "STC"]),
        ("pct.kinhte", ["SCT", "STC"]),
        ("gd.stc", ["STC"]),
    ],
)
def test_a_rounds_sheets_are_those_in_ones_scope(
    client_for: Any, small: Round, username: str, units: list[str]
) -> None:
    response = client_for(username).get(f"{API}/rounds/{small.pk}/sheets")

    assert response.status_code == 200
    assert sorted(s["unit"]["code"] for s in response.json()["items"]) == units


def test_the_sheets_filter_by_step_and_a_citizen_is_refused(
    client_for: Any, small: Round, person: Any
) -> None:
    sheet = sheet_of(small, "STC")
    for code, value in MANUAL.items():
        rounds.enter_points(sheet.pk, code, points=value, by=sheet.person, expected_version=None)
    rounds.submit(sheet.pk, by=sheet.person, expected_version=None)

    response = client_for("noivu").get(f"{API}/rounds/{small.pk}/sheets?status=review")

    assert [s["id"] for s in response.json()["items"]] == [sheet.pk]
    assert client_for("congdan").get(f"{API}/rounds/{small.pk}/sheets").status_code == 403
    assert client_for("congdan").get(f"{API}/rounds").status_code == 403
    assert client_for("noivu").get(f"{API}/rounds/{small.pk}/sheets?status=lost").status_code == 422
    assert client_for("noivu").get(f"{API}/rounds/999999/sheets").status_code == 404


@pytest.mark.parametrize("username", ["noivu", "pct.kinhte", "gd.stc"])
def test_the_sheets_list_takes_the_same_queries_whatever_the_number_of_sheets(
    client_for: Any, open_small_round: Any, username: str
) -> None:
    client = client_for(username)
    few_round = open_small_round(["STC"], name="Nhỏ")
    few = _queries(client, f"{API}/rounds/{few_round.pk}/sheets")
    Person.objects.filter(role="head", unit__code__in=["SCT", "SGDDT", "SYT"]).update(is_active=True)
    many_round = open_small_round(["STC", "SCT", "SGDDT", "SYT"], name="Lớn")

    assert _queries(client, f"{API}/rounds/{many_round.pk}/sheets") == few
    assert few <= 7


# -- one sheet ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("gd.stc", 200),
        ("pct.kinhte", 200),
        ("noivu", 200),
        ("chutich", 200),
        ("hdnd", 200),
        ("gd.sct", 404),
        ("pct.vanxa", 404),
        ("congdan", 404),
    ],
)
def test_who_sees_a_sheet(client_for: Any, small: Round, username: str, status: int) -> None:
    sheet = sheet_of(small, "STC")

    assert client_for(username).get(f"{API}/sheets/{sheet.pk}").status_code == status


def test_the_sheet_explains_its_total(client_for: Any, small: Round) -> None:
    sheet = sheet_of(small, "STC")
    rounds.enter_points(sheet.pk, "CT.1", points=Decimal("7.5"), by=sheet.person, expected_version=None)
    sheet = fresh(sheet)

    body = detail(client_for("gd.stc"), sheet)

    assert (body["version"], body["status"], body["unit"]["code"]) == (sheet.version, "self", "STC")
    assert Decimal(body["total"]) == sheet.total
    assert sum(Decimal(line["points"]) for line in body["lines"]) == sheet.total
    assert Decimal(body["lines_total"]) == sheet.total
    criteria = {c["code"]: c for c in body["criteria"]}
    assert (Decimal(criteria["CT.1"]["points"]), criteria["CT.1"]["scored"]) == (Decimal("7.5"), True)
    assert criteria["CT.2"]["scored"] is False
    assert "CT.2" in body["missing"]
    automatic = [c for c in body["criteria"] if c["kind"] == "automatic"]
    assert automatic
    assert all(c["metric_label"] for c in automatic)
    with_records = [c for c in automatic if c["records"]]
    for record in (r for c in with_records for r in c["records"]):
        base = {"followup.task": "/tasks/", "dossiers.dossier": "/dossiers/"}[record["kind"]]
        assert record["path"] == f"{base}{record['id']}"
        assert record["title"]
    assert [a["action"] for a in body["actions"]] == ["points", "submit"]
    points = body["actions"][0]
    assert points["needs_reason"] is False
    assert set(points["codes"]) == set(MANUAL)


def test_the_actions_are_those_the_person_may_take_now(client_for: Any, small: Round) -> None:
    sheet = sheet_of(small, "STC")

    assert actions(client_for("gd.stc"), sheet) == ["points", "submit"]
    assert actions(client_for("pct.kinhte"), sheet) == []
    assert actions(client_for("noivu"), sheet) == ["facts", "recompute"]
    assert actions(client_for("chutich"), sheet) == []


def test_the_sheet_takes_the_same_queries_whatever_its_history(client_for: Any, small: Round) -> None:
    sheet = sheet_of(small, "STC")
    for code, value in MANUAL.items():
        rounds.enter_points(sheet.pk, code, points=value, by=sheet.person, expected_version=None)
    rounds.submit(sheet.pk, by=sheet.person, expected_version=None)
    vc = vc_of(sheet)
    client = client_for("noivu")
    rounds.enter_points(sheet.pk, "CT.1", points=1, reason="Lần 1", by=vc, expected_version=None)
    few = _queries(client, f"{API}/sheets/{sheet.pk}")

    for n in range(2, 6):
        rounds.enter_points(sheet.pk, "CT.1", points=n, reason=f"Lần {n}", by=vc, expected_version=None)
        rounds.enter_points(sheet.pk, "CT.2", points=n, reason=f"Lần {n}", by=vc, expected_version=None)

    assert _queries(client, f"{API}/sheets/{sheet.pk}") == few
    assert len(detail(client, sheet)["changes"]) == 9


# -- points and the workflow ----------------------------------------------------------------------------------------


def test_the_head_scores_submits_the_vc_changes_a_point_and_home_affairs_verifies(
    client_for: Any, small: Round
) -> None:
    sheet = sheet_of(small, "STC")
    head = client_for("gd.stc")

    for code, value in MANUAL.items():
        response = send(
            head,
            f"/sheets/{sheet.pk}/points/{code}",
            {"version": fresh(sheet).version, "points": value, "comment": f"Minh chứng {code}"},
        )
        assert response.status_code == 200, response.content
    sheet = fresh(sheet)
    assert sheet.scores.get(code="CT.1").comment == "Minh chứng CT.1"
    assert response.json()["version"] == sheet.version
    assert Decimal(response.json()["total"]) == sheet.total == rounds.score_of(sheet).total

    submitted = send(head, f"/sheets/{sheet.pk}/actions/submit", {"version": sheet.version})
    assert submitted.status_code == 200
    assert fresh(sheet).status == SheetStatus.REVIEW

    vc = client_for("pct.kinhte")
    sheet = fresh(sheet)
    changed = send(
        vc, f"/sheets/{sheet.pk}/points/CT.3", {"version": sheet.version, "points": "6", "reason": "Còn chậm"}
    )
    assert changed.status_code == 200
    [change] = changed.json()["changes"]
    assert (change["code"], Decimal(change["before"]), Decimal(change["after"])) == ("CT.3", 10, 6)
    assert (change["reason"], change["by"]["username"]) == ("Còn chậm", "pct.kinhte")
    assert ScoreChange.objects.get().reason == "Còn chậm"

    sheet = fresh(sheet)
    assert (
        send(vc, f"/sheets/{sheet.pk}/actions/finish_review", {"version": sheet.version}).status_code == 200
    )
    sheet = fresh(sheet)
    verified = send(client_for("noivu"), f"/sheets/{sheet.pk}/actions/verify", {"version": sheet.version})
    assert verified.status_code == 200
    assert (verified.json()["status"], fresh(sheet).status) == ("verified", SheetStatus.VERIFIED)


def test_bad_points_are_a_400_naming_the_field(client_for: Any, small: Round) -> None:
    sheet = sheet_of(small, "STC")
    before = written()

    too_many = send(client_for("gd.stc"), f"/sheets/{sheet.pk}/points/CT.1", {"version": 1, "points": 99})
    automatic = send(client_for("gd.stc"), f"/sheets/{sheet.pk}/points/KQ.2", {"version": 1, "points": 1})

    assert (too_many.status_code, list(too_many.json()["errors"])) == (400, ["points"])
    assert (automatic.status_code, list(automatic.json()["errors"])) == (400, ["points"])
    assert written() == before


def test_a_change_after_self_assessment_needs_a_reason(client_for: Any, small: Round) -> None:
    sheet = sheet_of(small, "STC")
    for code, value in MANUAL.items():
        rounds.enter_points(sheet.pk, code, points=value, by=sheet.person, expected_version=None)
    rounds.submit(sheet.pk, by=sheet.person, expected_version=None)
    sheet = fresh(sheet)
    before = written()

    response = send(
        client_for("pct.kinhte"), f"/sheets/{sheet.pk}/points/CT.1", {"version": sheet.version, "points": 1}
    )

    assert (response.status_code, list(response.json()["errors"])) == (400, ["reason"])
    assert written() == before


def test_the_wrong_shape_is_a_422_naming_the_fields(client_for: Any, small: Round) -> None:
    sheet = sheet_of(small, "STC")
    before = written()

    response = send(client_for("gd.stc"), f"/sheets/{sheet.pk}/points/CT.1", {"points": "nhiều"})
    action = send(client_for("gd.stc"), f"/sheets/{sheet.pk}/actions/approve", {"version": sheet.version})

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"version", "points"}
    assert (action.status_code, list(action.json()["errors"])) == (422, ["action"])
    assert written() == before


def test_a_stale_write_is_a_409_naming_who_acted(client_for: Any, small: Round, person: Any) -> None:
    sheet = sheet_of(small, "STC")
    seen = sheet.version
    rounds.enter_points(sheet.pk, "CT.1", points=3, by=sheet.person, expected_version=seen)
    before = written()

    late = send(client_for("gd.stc"), f"/sheets/{sheet.pk}/points/CT.2", {"version": seen, "points": 4})
    facts = send(
        client_for("noivu"),
        f"/sheets/{sheet.pk}/facts",
        {"version": seen, "facts": {"disciplined": "Quyết định số 1"}},
    )
    recomputed = send(client_for("noivu"), f"/sheets/{sheet.pk}/recompute", {"version": seen})

    for response in (late, facts, recomputed):
        assert response.status_code == 409
        assert person("gd.stc").full_name in response.json()["detail"]
    assert written() == before


def test_scope_and_roles_of_the_writes(client_for: Any, small: Round) -> None:
    sheet = sheet_of(small, "STC")
    v = {"version": sheet.version}
    before = written()

    assert (
        send(client_for("gd.sct"), f"/sheets/{sheet.pk}/points/CT.1", {**v, "points": 1}).status_code == 404
    )
    assert send(client_for("congdan"), f"/sheets/{sheet.pk}/actions/submit", v).status_code == 404
    assert (
        send(client_for("chutich"), f"/sheets/{sheet.pk}/points/CT.1", {**v, "points": 1}).status_code == 403
    )
    assert send(client_for("gd.stc"), f"/sheets/{sheet.pk}/actions/verify", v).status_code == 403
    assert send(client_for("noivu"), f"/sheets/{sheet.pk}/actions/submit", v).status_code == 403
    assert send(client_for("gd.stc"), f"/sheets/{sheet.pk}/recompute", v).status_code == 403
    assert send(client_for("gd.stc"), f"/sheets/{sheet.pk}/facts", {**v, "facts": {}}).status_code == 403
    assert (
        send(client_for("gd.stc"), f"/sheets/{sheet.pk}/points/XX.9", {**v, "points": 1}).status_code == 404
    )
    assert written() == before


def test_a_wrong_step_is_a_409(client_for: Any, small: Round) -> None:
    sheet = sheet_of(small, "STC")
    before = written()

    verify = send(client_for("noivu"), f"/sheets/{sheet.pk}/actions/verify", {"version": sheet.version})
    back = send(
        client_for("pct.kinhte"),
        f"/sheets/{sheet.pk}/actions/return",
        {"version": sheet.version, "comment": "Bổ sung"},
    )

    assert verify.status_code == 409
    assert back.status_code == 409  # the VC in charge returns from review only
    assert "Tự chấm điểm" in back.json()["detail"]
    assert written() == before


def test_submitting_with_criteria_unscored_names_them(client_for: Any, small: Round) -> None:
    sheet = sheet_of(small, "STC")
    before = written()

    response = send(client_for("gd.stc"), f"/sheets/{sheet.pk}/actions/submit", {"version": sheet.version})

    assert response.status_code == 400
    assert set(response.json()["errors"]) <= {f"points.{code}" for code in MANUAL}
    assert "points.CT.1" in response.json()["errors"]
    assert written() == before


def test_a_return_needs_a_comment_and_sends_the_sheet_back(client_for: Any, small: Round) -> None:
    sheet = sheet_of(small, "STC")
    for code, value in MANUAL.items():
        rounds.enter_points(sheet.pk, code, points=value, by=sheet.person, expected_version=None)
    rounds.submit(sheet.pk, by=sheet.person, expected_version=None)
    sheet = fresh(sheet)
    vc = client_for("pct.kinhte")
    before = written()

    refused = send(vc, f"/sheets/{sheet.pk}/actions/return", {"version": sheet.version, "comment": " "})
    assert (refused.status_code, list(refused.json()["errors"])) == (400, ["comment"])
    assert written() == before

    done = send(vc, f"/sheets/{sheet.pk}/actions/return", {"version": sheet.version, "comment": "Bổ sung"})
    assert done.status_code == 200
    assert fresh(sheet).status == SheetStatus.SELF_ASSESSMENT


def test_home_affairs_records_facts_and_recomputes(client_for: Any, small: Round) -> None:
    sheet = sheet_of(small, "STC")
    client = client_for("noivu")

    refused = send(
        client, f"/sheets/{sheet.pk}/facts", {"version": sheet.version, "facts": {"disciplined": " "}}
    )
    assert (refused.status_code, list(refused.json()["errors"])) == (400, ["facts.disciplined"])
    unknown = send(client, f"/sheets/{sheet.pk}/facts", {"version": sheet.version, "facts": {"lost": "x"}})
    assert (unknown.status_code, list(unknown.json()["errors"])) == (400, ["facts"])

    recorded = send(
        client, f"/sheets/{sheet.pk}/facts", {"version": sheet.version, "facts": {"disciplined": "QĐ số 1"}}
    )
    assert recorded.status_code == 200
    assert fresh(sheet).facts == [{"code": "disciplined", "reason": "QĐ số 1"}]
    assert [f["code"] for f in recorded.json()["facts"]] == ["disciplined"]

    sheet = fresh(sheet)
    recomputed = send(client, f"/sheets/{sheet.pk}/recompute", {"version": sheet.version})
    assert recomputed.status_code == 200
    assert fresh(sheet).version == sheet.version + 1
    assert recomputed.json()["computed_at"]


# -- the preview and the sign-off ---------------------------------------------------------------------------------


@pytest.fixture
def verified(small: Round, person: Any) -> Round:
    key_tasks_not_due(small)
    for sheet in small.sheets.all():
        take_to_verified(fresh(sheet), MANUAL, home_affairs=person("noivu"))
    return Round.objects.get(pk=small.pk)


def test_the_preview_classifies_with_reasons_and_groups(client_for: Any, verified: Round) -> None:
    response = client_for("chutich").get(f"{API}/rounds/{verified.pk}/preview")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["sheet_count"], body["waiting"], body["can_sign"]) == (3, 0, True)
    rows = [row for group in body["groups"] for row in group["rows"]]
    assert sorted(r["unit"]["code"] for r in rows) == ["SCT", "SGDDT", "STC"]
    assert all(r["level"] and r["level_label"] for r in rows)
    assert sum(t["given"] for t in body["totals"]) == sum(t["by_score"] for t in body["totals"]) == 3
    assert all(g["agency"] and g["task_group_label"] for g in body["groups"])


@pytest.mark.parametrize(("username", "status"), [("noivu", 200), ("pct.kinhte", 403), ("congdan", 403)])
def test_who_previews(client_for: Any, small: Round, username: str, status: int) -> None:
    assert client_for(username).get(f"{API}/rounds/{small.pk}/preview").status_code == status


def test_the_chairman_signs_the_round(client_for: Any, verified: Round) -> None:
    client = client_for("chutich")
    assert [a["action"] for a in client.get(f"{API}/rounds/{verified.pk}").json()["actions"]] == [
        "preview",
        "sign",
    ]

    response = send(client, f"/rounds/{verified.pk}/sign", {"version": verified.version})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == RoundStatus.SIGNED
    assert Round.objects.get(pk=verified.pk).status == RoundStatus.SIGNED
    sheets = list(ScoreSheet.objects.filter(round=verified))
    assert {s.status for s in sheets} == {SheetStatus.SIGNED}
    assert all(s.level for s in sheets)
    body = client_for("gd.stc").get(f"{API}/sheets/{sheet_of(verified, 'STC').pk}").json()
    assert (body["status"], body["level"]) == ("signed", sheet_of(verified, "STC").level)
    assert body["actions"] == []


def test_signing_checks_the_role_the_version_and_the_state(client_for: Any, small: Round) -> None:
    before = written()

    forbidden = send(client_for("noivu"), f"/rounds/{small.pk}/sign", {"version": small.version})
    waiting = send(client_for("chutich"), f"/rounds/{small.pk}/sign", {"version": small.version})
    stale = send(client_for("chutich"), f"/rounds/{small.pk}/sign", {"version": small.version + 1})
    shape = send(client_for("chutich"), f"/rounds/{small.pk}/sign", {})

    assert forbidden.status_code == 403
    assert waiting.status_code == 409
    assert "chưa thẩm định" in waiting.json()["detail"]
    assert stale.status_code == 409
    assert (shape.status_code, list(shape.json()["errors"])) == (422, ["version"])
    assert written() == before
