"""The permission matrix of the dossier pages and API: every demo role against every page, move and endpoint of
dossiers and of the procedure catalog, with the exact answer.

The roles: chutich (Chairman), pct.kinhte (Vice-Chairman in charge of XA01-XA10), pct.vanxa (one not in charge
of XA01), vanphong (Office), noivu (Home Affairs), ct.xa01 (head of XA01), ct.xa02 (head of another commune),
pct.xa01 (deputy of XA01), cc.xa01 (official of XA01), cc.xa02 (official of another commune), gd.ttpvhcc (the
provincial service centre, which receives for every unit), hdnd (Council), congdan (citizen), quantri
(administrator); anonymous visitors are sent to log in (pages) or get 401 (API).

A dossier outside the person's scope is a 404 (its existence is not revealed); a citizen gets 403 on these
internal pages; someone who sees a dossier but may not move it gets 403; nothing changes on a refusal.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.dossiers.factories import dossier_in, make_procedure
from trongtam.core.models import AuditEntry
from trongtam.dossiers.enums import DossierStatus
from trongtam.dossiers.models import Dossier, Procedure
from trongtam.org.models import Unit

pytestmark = pytest.mark.django_db

USERS = [
    "chutich", "pct.kinhte", "pct.vanxa", "vanphong", "noivu", "ct.xa01", "ct.xa02", "pct.xa01", "cc.xa01",
    "cc.xa02", "gd.ttpvhcc", "hdnd", "congdan", "quantri",
]  # fmt: skip
INTERNAL = frozenset(USERS) - {"congdan"}
SEES_ALL = frozenset({"chutich", "vanphong", "noivu", "quantri", "hdnd", "gd.ttpvhcc"})
SEES_XA01 = SEES_ALL | {"pct.kinhte", "ct.xa01", "pct.xa01", "cc.xa01"}
ENTERS = frozenset({"ct.xa01", "ct.xa02", "pct.xa01", "cc.xa01", "cc.xa02", "gd.ttpvhcc", "quantri"})
ENTERS_XA01 = frozenset({"ct.xa01", "pct.xa01", "cc.xa01", "gd.ttpvhcc", "quantri"})
MANAGES_CATALOG = frozenset({"vanphong", "quantri"})
# The rows each person's list holds, of one dossier per unit below.
ROWS = {"XA01": SEES_XA01, "XA02": SEES_ALL | {"pct.kinhte", "ct.xa02", "cc.xa02"},
        "XA15": SEES_ALL | {"pct.vanxa"}, "STP": SEES_ALL}  # fmt: skip


def matrix_dossier(unit: str = "XA01") -> Dossier:
    """A received dossier of `unit` (made on first use, in the test's transaction)."""
    code = f"MX-{unit}"
    return Dossier.objects.filter(code=code).first() or dossier_in(
        DossierStatus.RECEIVED, unit=unit, code=code
    )


def matrix_procedure() -> Procedure:
    return make_procedure("T-MX-01", processing_days=4)


def _refused(username: str, sees: frozenset[str]) -> int:
    """The refusal of a page or move about the XA01 dossier: 403 for a citizen, 404 out of scope, else 403."""
    if username == "congdan":
        return 403
    return 403 if username in sees else 404


# -- pages ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str
    allowed: frozenset[str]
    args: Callable[[], list[Any]] = list
    hides: frozenset[str] | None = None  # a page about one dossier: 404 outside this scope

    def url(self) -> str:
        return reverse(self.name, args=self.args())


PAGES = [
    Page("dossiers:dossier-list", INTERNAL),
    Page("dossiers:dossier-detail", SEES_XA01, lambda: [matrix_dossier().pk], hides=SEES_XA01),
    Page("dossiers:dossier-new", ENTERS),
    Page("dossiers:procedure-list", INTERNAL),
    Page("dossiers:procedure-new", MANAGES_CATALOG),
    Page("dossiers:procedure-edit", MANAGES_CATALOG, lambda: [matrix_procedure().pk]),
]


@pytest.mark.parametrize(
    ("page", "username"), [pytest.param(p, u, id=f"{p.name}-{u}") for p in PAGES for u in USERS]
)
def test_page_access(page: Page, username: str, client_for: Any) -> None:
    response = client_for(username).get(page.url())
    if username in page.allowed:
        assert response.status_code == 200, f"{username} should open {page.name}"
    elif page.hides is not None:
        assert response.status_code == _refused(username, page.hides)
    else:
        assert response.status_code == 403, f"{username} must not open {page.name}"


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_anonymous_visitors_are_sent_to_log_in(page: Page) -> None:
    response = Client().get(page.url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("username", sorted(INTERNAL))
def test_each_list_holds_exactly_the_persons_scope(username: str, client_for: Any) -> None:
    for unit in ROWS:
        matrix_dossier(unit)
    response = client_for(username).get(reverse("dossiers:dossier-list"), {"q": "MX-"})
    shown = sorted(dossier.code for dossier, _timeliness in response.context["rows"])
    assert shown == sorted(f"MX-{unit}" for unit, seen_by in ROWS.items() if username in seen_by)
    api = client_for(username).get("/api/v1/dossiers", {"q": "MX-"}).json()
    assert sorted(item["code"] for item in api["items"]) == shown


# -- moves and writes from the pages --------------------------------------------------------------------------


def _written() -> tuple[int, int, int]:
    return Dossier.objects.count(), Procedure.objects.count(), AuditEntry.objects.count()


@pytest.mark.parametrize("username", USERS)
def test_moving_a_dossier(username: str, client_for: Any) -> None:
    dossier = matrix_dossier()
    before = _written()
    url = reverse("dossiers:dossier-act", args=[dossier.pk, "start"])
    response = client_for(username).post(url, {"act-start-version": dossier.version})
    dossier.refresh_from_db()
    if username in ENTERS_XA01:
        assert response.status_code == 302
        assert dossier.status == DossierStatus.IN_PROCESS
    else:
        assert response.status_code == _refused(username, SEES_XA01)
        assert (dossier.status, _written()) == (DossierStatus.RECEIVED, before)


def _entry_form() -> dict[str, Any]:
    return {
        "unit": Unit.objects.get(code="XA01").pk, "procedure": matrix_procedure().pk, "channel": 1,
        "applicant_kind": "citizen", "applicant_name": "Mai Văn Ma Trận", "applicant_phone": "0900111222",
    }  # fmt: skip


@pytest.mark.parametrize("username", USERS)
def test_entering_a_dossier_for_xa01(username: str, client_for: Any) -> None:
    data = _entry_form()
    before = _written()
    response = client_for(username).post(reverse("dossiers:dossier-new"), data)
    if username in ENTERS_XA01:
        assert response.status_code == 302
        assert Dossier.objects.filter(applicant_name="Mai Văn Ma Trận", unit__code="XA01").count() == 1
        return
    # another commune's people open the page but may not pick XA01: the field says so
    assert response.status_code == (200 if username in ENTERS else 403)
    if username in ENTERS:
        assert "unit" in response.context["form"].errors
    assert _written() == before


@pytest.mark.parametrize("username", USERS)
def test_managing_the_catalog(username: str, client_for: Any) -> None:
    procedure = matrix_procedure()
    client = client_for(username)
    data = {"code": "9.MX.001", "name": "Thủ tục ma trận", "field": "Thử", "level": "commune",
            "processing_days": 2, "is_active": "on", "version": ""}  # fmt: skip
    created = client.post(reverse("dossiers:procedure-new"), data)
    edited = client.post(
        reverse("dossiers:procedure-edit", args=[procedure.pk]),
        {**data, "code": procedure.code, "processing_days": 9},
    )
    if username in MANAGES_CATALOG:
        assert (created.status_code, edited.status_code) == (302, 302)
        assert Procedure.objects.get(pk=procedure.pk).processing_days == 9
    else:
        assert (created.status_code, edited.status_code) == (403, 403)
        assert not Procedure.objects.filter(code="9.MX.001").exists()
        assert Procedure.objects.get(pk=procedure.pk).processing_days == 4


# -- the API --------------------------------------------------------------------------------------------------

API = "/api/v1"


@dataclass(frozen=True)
class Endpoint:
    label: str
    method: str
    path: Callable[[], str]
    answer: Callable[[str], int]
    body: Callable[[], dict[str, Any]] | None = None


def _internal(ok: int) -> Callable[[str], int]:
    return lambda username: ok if username in INTERNAL else 403


def _dossier_scope(ok: int, allowed: frozenset[str]) -> Callable[[str], int]:
    return lambda username: ok if username in allowed else _refused(username, SEES_XA01)


def _entry_body() -> dict[str, Any]:
    return {"unit": Unit.objects.get(code="XA01").pk, "procedure": matrix_procedure().pk,
            "applicant_name": "Mai Văn Ma Trận", "applicant_phone": "0900111222"}  # fmt: skip


ENDPOINTS = [
    Endpoint("list-procedures", "get", lambda: "/procedures", _internal(200)),
    Endpoint("get-procedure", "get", lambda: f"/procedures/{matrix_procedure().pk}", _internal(200)),
    Endpoint(
        "create-procedure", "post", lambda: "/procedures",
        lambda u: 201 if u in MANAGES_CATALOG else 403,
        lambda: {"code": "9.MX.API", "name": "Thủ tục", "field": "Thử", "level": "commune", "processing_days": 1},
    ),
    Endpoint("list-dossiers", "get", lambda: "/dossiers", _internal(200)),
    Endpoint("get-dossier", "get", lambda: f"/dossiers/{matrix_dossier().pk}", _dossier_scope(200, SEES_XA01)),
    Endpoint(
        "enter-dossier", "post", lambda: "/dossiers",
        lambda u: 201 if u in ENTERS_XA01 else (400 if u in ENTERS else 403), _entry_body,
    ),
    Endpoint(
        "move-dossier", "post", lambda: f"/dossiers/{matrix_dossier().pk}/transitions",
        _dossier_scope(200, ENTERS_XA01), lambda: {"action": "start", "version": matrix_dossier().version},
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("endpoint", "username"), [pytest.param(e, u, id=f"{e.label}-{u}") for e in ENDPOINTS for u in USERS]
)
def test_api_access(endpoint: Endpoint, username: str, client_for: Any) -> None:
    client = client_for(username)
    path, body = API + endpoint.path(), endpoint.body() if endpoint.body else None
    before = _written()
    if body is None:
        response = client.get(path)
    else:
        response = client.post(path, json.dumps(body), content_type="application/json")
    expected = endpoint.answer(username)
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert _written() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.label for e in ENDPOINTS])
def test_anonymous_api_calls_are_refused(endpoint: Endpoint) -> None:
    client = Client()
    path = API + endpoint.path()
    before = _written()
    response = (
        client.get(path)
        if endpoint.method == "get"
        else client.post(path, "{}", content_type="application/json")
    )
    assert response.status_code == 401
    assert _written() == before
