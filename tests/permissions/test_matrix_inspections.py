"""The permission matrix of discipline inspections: every demo role against every page and action of an inspection
of Sở Công Thương (in the charge of pct.kinhte) by a Home Affairs team led by pgd.snv with cv.snv.

Someone who may not see the inspection gets 404 for it and for every action on it (its existence is not revealed:
a surprise inspection does not exist for the inspected unit until it is held); someone who sees it but may not take
the action gets 403; nothing changes and nothing is audited. The log-ins are those of test_matrix.py, with the team.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.inspections.factories import by, held, make_inspection, violation
from tests.permissions.test_matrix import PROVINCE_WIDE, USERS, Action, Page
from trongtam.core.models import AuditEntry
from trongtam.inspections.domain.inspections import decide_remedy, report_remedy
from trongtam.inspections.enums import InspectionKind
from trongtam.inspections.models import Inspection, Violation
from trongtam.org.models import Unit

pytestmark = pytest.mark.django_db

TEAM = ["pgd.snv", "cv.snv"]
ALL = [*USERS, *TEAM]
INTERNAL = frozenset(ALL) - {"congdan"}
OVERSEES_SCT = PROVINCE_WIDE | {"hdnd", "pct.kinhte", *TEAM}
SEES_REGULAR = OVERSEES_SCT | {"gd.sct", "pgd.sct"}  # the unit's head and deputy, not its officials
RUNS = frozenset({"noivu", "pgd.snv"})
PLANS = frozenset({"noivu", "vanphong"})
SPEAKS_FOR_SCT = frozenset({"gd.sct", "pgd.sct"})
MATRIX = "Kiểm tra của ma trận phân quyền"


def _sct(kind: str = InspectionKind.REGULAR) -> Inspection:
    found = Inspection.objects.filter(title=MATRIX, kind=kind).first()
    return found or make_inspection(
        title=MATRIX, kind=kind, unit=Unit.objects.get(code="SCT"), scheduled_on=dt.date(2026, 12, 30)
    )


def _held() -> Inspection:
    inspection = _sct()
    return inspection if inspection.status != "planned" else held(inspection, on=dt.date(2026, 6, 10))


def _violation() -> Violation:
    inspection = _held()
    return inspection.violations.first() or violation(inspection, person="cv.sct")


def _hold() -> None:
    _held()


def _find() -> None:
    _violation()


def _reported() -> None:
    found = _violation()
    if found.remedy_state == "pending":
        report_remedy(found.pk, report="Đã kiểm điểm", evidence=None, by=by("gd.sct"), expected_version=None)


def _accepted() -> None:
    _reported()
    decide_remedy(_violation().pk, accept=True, comment="", by=by("noivu"), expected_version=None)


# -- pages ----------------------------------------------------------------------------------------------------

PAGES = [
    Page("inspections:inspection-list", INTERNAL),
    Page("inspections:violation-list", INTERNAL),
    Page("inspections:inspection-new", PLANS),
    Page("inspections:inspection-detail", SEES_REGULAR, lambda: [_sct().pk]),
    Page("inspections:inspection-edit", RUNS, lambda: [_sct().pk]),
]
SEES = {"inspections:inspection-detail": SEES_REGULAR, "inspections:inspection-edit": SEES_REGULAR}


def _refusal(name: str, username: str) -> int:
    return 404 if name in SEES and username not in SEES[name] else 403


@pytest.mark.parametrize(
    ("page", "username"), [pytest.param(p, u, id=f"{p.name}-{u}") for p in PAGES for u in ALL]
)
def test_page_access(page: Page, username: str, client_for: Any) -> None:
    response = client_for(username).get(page.url())
    if username in page.allowed:
        assert response.status_code == 200, f"{username} should open {page.name}"
    else:
        assert response.status_code == _refusal(page.name, username), f"{username} must not open {page.name}"


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_anonymous_visitors_are_sent_to_log_in(page: Page) -> None:
    response = Client().get(page.url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("username", ALL)
def test_a_surprise_inspection_is_hidden_from_the_inspected_unit_until_held(
    username: str, client_for: Any
) -> None:
    surprise = _sct(InspectionKind.SURPRISE)
    client = client_for(username)
    listed = client.get(reverse("inspections:inspection-list"))
    before = client.get(surprise.get_absolute_url()).status_code
    expected = 200 if username in OVERSEES_SCT else 404
    assert before == expected, f"{username} before the surprise inspection"
    if listed.status_code == 200:
        shown = surprise.pk in {i.pk for i in listed.context["page_obj"].paginator.object_list}
        assert shown == (username in OVERSEES_SCT)
    held(surprise, on=dt.date(2026, 6, 10))
    after = client.get(surprise.get_absolute_url()).status_code
    assert after == (200 if username in SEES_REGULAR else 404), f"{username} after the surprise inspection"


# -- actions --------------------------------------------------------------------------------------------------


def _url(name: str, *, violation_too: bool = False) -> Callable[[], str]:
    def url() -> str:
        inspection = _sct()
        args = [inspection.pk, _violation().pk] if violation_too else [inspection.pk]
        return reverse(name, args=args)

    return url


def _form(prefix: str | Callable[[], str], **fields: Any) -> Callable[[], dict[str, Any]]:
    def data() -> dict[str, Any]:
        p = prefix() if callable(prefix) else prefix
        return {
            f"{p}-version": _sct().version,
            **{f"{p}-{k}": (v() if callable(v) else v) for k, v in fields.items()},
        }

    return data


def _status() -> str:
    return _sct().status


def _remedy() -> str:
    return _violation().remedy_state


def _count() -> int:
    return Inspection.objects.count()


def _plan() -> dict[str, Any]:
    return {
        "title": "Kiểm tra mới", "kind": "regular", "unit": Unit.objects.get(code="STP").pk,
        "scheduled_on": "15/12/2026", "scope": "Thời giờ làm việc", "leader": by("cv.vp").pk,
    }  # fmt: skip


ON_INSPECTION = {"on_inspection": True}
ACTIONS = [
    Action("plan", PLANS, lambda: reverse("inspections:inspection-new"), _plan, _count),
    Action(
        "record_results", RUNS, _url("inspections:inspection-results"),
        _form("results", conducted_on="10/06/2026", findings="Vắng mặt"), _status, extra=ON_INSPECTION,
    ),
    Action(
        "add_violation", RUNS, _url("inspections:violation-add"),
        _form("violation", kind="absence", person=lambda: by("cv.sct").pk, description="Vắng mặt"),
        lambda: Violation.objects.filter(inspection=_sct()).count(), _hold, extra=ON_INSPECTION,
    ),
    Action(
        "report_remedy", SPEAKS_FOR_SCT, _url("inspections:remedy-report", violation_too=True),
        _form(lambda: f"remedy-{_violation().pk}", report="Đã kiểm điểm"), _remedy, _find, extra=ON_INSPECTION,
    ),
    Action(
        "decide_remedy", RUNS, _url("inspections:remedy-decide", violation_too=True),
        _form(lambda: f"decide-{_violation().pk}", decision="accept"), _remedy, _reported, extra=ON_INSPECTION,
    ),
    Action("close", RUNS, _url("inspections:inspection-close"), _form("close"), _status, _accepted, extra=ON_INSPECTION),
]  # fmt: skip


@pytest.mark.parametrize(
    ("action", "username"), [pytest.param(a, u, id=f"{a.label}-{u}") for a in ACTIONS for u in ALL]
)
def test_action_permission(action: Action, username: str, client_for: Any) -> None:
    action.prepare()
    before, entries = action.changed(), AuditEntry.objects.count()
    response = client_for(username).post(action.url(), action.data())
    after = action.changed()
    if username in action.allowed:
        assert response.status_code == 302, f"{username} should be able to {action.label}"
        assert after != before, f"{action.label} by {username} changed nothing"
        assert AuditEntry.objects.count() > entries, f"{action.label} left no audit entry"
    else:
        refusal = 404 if action.extra.get("on_inspection") and username not in SEES_REGULAR else 403
        assert response.status_code == refusal, f"{username} must not {action.label}"
        assert after == before
        assert AuditEntry.objects.count() == entries
