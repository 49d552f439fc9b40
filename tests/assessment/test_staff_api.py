"""The staff evaluation in the API: scope (404 outside it, 403 for a role that may not act), the workflow, bad
input by field (400, nothing written), a stale version (409), the preview and finalizing."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from tests.assessment.staff_support import fill, fresh, rate
from trongtam.assessment.enums import StaffStatus
from trongtam.assessment.models import Round, StaffEvaluation
from trongtam.org.models import Unit

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _send(client: Any, method: str, path: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(API + path, json.dumps(body), content_type="application/json")


def _sct() -> Unit:
    return Unit.objects.get(code="SCT")


def test_the_list_keeps_to_the_scope(started: Any, client_for: Any) -> None:
    started("SCT")
    started("STC")
    names = {
        username: {
            row["person"]["username"]
            for row in client_for(username).get(f"{API}/staff-evaluations").json()["items"]
        }
        for username in ("noivu", "pct.kinhte", "pct.vanxa", "gd.sct", "cv.sct")
    }
    assert len(names["noivu"]) == 6
    assert names["pct.kinhte"] == names["noivu"]
    assert names["pct.vanxa"] == set()
    assert names["gd.sct"] == {"pgd.sct", "cv.sct", "cv2.sct"}
    assert names["cv.sct"] == {"cv.sct"}
    by_unit = client_for("noivu").get(f"{API}/staff-evaluations", {"unit": _sct().pk}).json()["items"]
    assert len(by_unit) == 3


def test_the_detail_gives_products_breakdown_and_actions(started: Any, client_for: Any) -> None:
    cv = fill(started()["cv.sct"], submit=False)
    body = client_for("cv.sct").get(f"{API}/staff-evaluations/{cv.pk}").json()
    assert body["actions"] == ["self", "submit"]
    assert len(body["products"]) == 3
    assert Decimal(body["lines_total"]) == Decimal(body["total"])
    assert body["job_position_name"] == "Chuyên viên quản lý thương mại"
    assert client_for("cv2.sct").get(f"{API}/staff-evaluations/{cv.pk}").status_code == 404


def test_the_official_saves_and_submits_through_the_api(started: Any, client_for: Any) -> None:
    cv = fresh(started()["cv.sct"])
    products = [{"id": p.pk, "done": True, "delays": 1} for p in cv.products.all()]
    client = client_for("cv.sct")
    saved = _send(
        client,
        "put",
        f"/staff-evaluations/{cv.pk}/self",
        {"version": cv.version, "general": "28", "products": products},
    )
    assert saved.status_code == 200, saved.json()
    body = saved.json()
    assert Decimal(body["general_self"]) == Decimal(28)
    submitted = _send(client, "post", f"/staff-evaluations/{cv.pk}/submit", {"version": body["version"]})
    assert submitted.json()["status"] == StaffStatus.HEAD_RATING


def test_bad_input_is_a_400_by_field_and_writes_nothing(started: Any, client_for: Any) -> None:
    cv = fresh(started()["cv.sct"])
    first = cv.products.first()
    assert first is not None
    response = _send(
        client_for("cv.sct"),
        "put",
        f"/staff-evaluations/{cv.pk}/self",
        {"version": cv.version, "general": "45", "products": [{"id": first.pk, "done": False, "delays": 2}]},
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"general", f"products.{first.pk}.done"}
    assert fresh(cv).version == cv.version
    shape = _send(client_for("cv.sct"), "put", f"/staff-evaluations/{cv.pk}/self", {"general": "x"})
    assert shape.status_code == 422


def test_a_stale_version_is_a_409(started: Any, client_for: Any) -> None:
    cv = fresh(started()["cv.sct"])
    fill(cv, submit=False)
    response = _send(
        client_for("cv.sct"),
        "put",
        f"/staff-evaluations/{cv.pk}/self",
        {"version": cv.version, "general": "10"},
    )
    assert response.status_code == 409
    assert fresh(cv).general_self == Decimal(28)


def test_the_head_rates_and_others_may_not(started: Any, client_for: Any) -> None:
    cv = fill(started()["cv.sct"], general="29")
    path = f"/staff-evaluations/{cv.pk}/rate"
    assert (
        _send(client_for("noivu"), "post", path, {"version": cv.version, "general": "20"}).status_code == 403
    )
    no_reason = _send(client_for("gd.sct"), "post", path, {"version": cv.version, "general": "20"})
    assert (no_reason.status_code, list(no_reason.json()["errors"])) == (400, ["reason"])
    done = _send(
        client_for("gd.sct"), "post", path, {"version": cv.version, "general": "20", "reason": "Chậm"}
    )
    assert done.status_code == 200
    assert done.json()["changes"][0]["reason"] == "Chậm"


def test_the_preview_and_finalizing(started: Any, signed_round: Round, client_for: Any) -> None:
    for evaluation in started().values():
        fill(evaluation)
        rate(evaluation)
    client = client_for("gd.sct")
    preview = client.get(f"{API}/units/{_sct().pk}/staff-evaluations/preview").json()
    assert preview["cap"] == "htxs"
    assert Decimal(preview["unit_result"]) == Decimal(100)
    assert len(preview["rows"]) == 3
    assert any("Hướng dẫn 21-HD/BTCTW" in note for note in preview["notes"])
    assert client_for("gd.stc").get(f"{API}/units/{_sct().pk}/staff-evaluations/preview").status_code == 404
    stale = _send(client, "post", f"/units/{_sct().pk}/staff-evaluations/finalize", {"seen": "0:0"})
    assert stale.status_code == 409
    done = _send(
        client, "post", f"/units/{_sct().pk}/staff-evaluations/finalize", {"seen": preview["fingerprint"]}
    )
    assert done.status_code == 200, done.json()
    assert set(StaffEvaluation.objects.filter(unit=_sct()).values_list("status", flat=True)) == {
        StaffStatus.FINALIZED
    }
    again = _send(
        client, "post", f"/units/{_sct().pk}/staff-evaluations/finalize", {"seen": done.json()["fingerprint"]}
    )
    assert again.status_code == 409


def test_starting_through_the_api(signed_round: Round, client_for: Any) -> None:
    response = _send(client_for("gd.sct"), "post", f"/units/{_sct().pk}/staff-evaluations/start", {})
    assert response.status_code == 200
    assert len(response.json()) == 3
    assert (
        _send(client_for("gd.stc"), "post", f"/units/{_sct().pk}/staff-evaluations/start", {}).status_code
        == 403
    )
