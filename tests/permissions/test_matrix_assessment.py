"""The permission matrix of the assessment round: every demo role against every page and action of a round and of
a head's score sheet, with the exact refusal.

A round of two heads (SCT and STC) is opened inside each test's transaction. Someone who may not see a sheet
gets 404 for it and for every action on it (its existence is not revealed); someone who sees it but may not take
the action gets 403 — or 409 where their role acts on the sheet at another step (the page then says which step
the sheet is at); nothing changes and nothing is audited. The log-ins are those of test_matrix.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.assessment.conftest import CUT_OFF, MANUAL, only_heads_of, take_to_verified, vc_of
from tests.permissions.test_matrix import PROVINCE_WIDE, USERS, Action, Page
from trongtam.assessment.domain import appeals, rounds
from trongtam.assessment.enums import SheetStatus
from trongtam.assessment.models import Appeal, Round, RubricVersion, ScoreSheet
from trongtam.core.models import AuditEntry
from trongtam.cycles.models import Period
from trongtam.org.models import Person

pytestmark = pytest.mark.django_db

MATRIX_ROUND = "Đợt đánh giá của ma trận phân quyền"
SEES_ROUNDS = PROVINCE_WIDE | {"hdnd", "pct.kinhte", "pct.vanxa", "gd.sct", "gd.stc"}
SEES_SCT_SHEET = PROVINCE_WIDE | {"hdnd", "pct.kinhte", "gd.sct"}
PREVIEWS = frozenset({"noivu", "chutich"})


def _by(username: str) -> Person:
    return Person.objects.get(username=username)


def matrix_round() -> Round:
    """A round of the heads of SCT and STC, opened by Home Affairs on first use (in the test's transaction)."""
    found = Round.objects.filter(name=MATRIX_ROUND).first()
    if found is not None:
        return found
    only_heads_of(["SCT", "STC"])
    return rounds.open_round(
        Period.objects.get(year=2026),
        RubricVersion.objects.get(period__year=2026, number=1),
        name=MATRIX_ROUND,
        cut_off=CUT_OFF,
        by=_by("noivu"),
    )


def sheet_of(code: str = "SCT") -> ScoreSheet:
    return ScoreSheet.objects.select_related("round__rubric", "unit", "person").get(
        round=matrix_round(), unit__code=code
    )


def _scored(code: str = "SCT") -> None:
    for criterion, points in MANUAL.items():
        sheet = sheet_of(code)
        rounds.enter_points(
            sheet.pk, criterion, points=points, by=sheet.person, expected_version=sheet.version
        )


def _submitted() -> None:
    _scored()
    sheet = sheet_of()
    rounds.submit(sheet.pk, by=sheet.person, expected_version=sheet.version)


def _reviewed() -> None:
    _submitted()
    sheet = sheet_of()
    rounds.finish_review(sheet.pk, by=vc_of(sheet), expected_version=sheet.version)


def _all_verified() -> None:
    for code in ("SCT", "STC"):
        take_to_verified(sheet_of(code), MANUAL, home_affairs=_by("noivu"))


def _signed() -> None:
    _all_verified()
    rnd = matrix_round()
    rounds.sign_round(rnd.pk, by=_by("chutich"), expected_version=rnd.version)


def _appealed() -> None:
    _signed()
    sheet = sheet_of()
    appeals.file_appeal(
        sheet.pk, grounds="Điểm tiêu chí 3 chưa tính văn bản đã ban hành", requested_level="", by=sheet.person,
        expected_version=sheet.version,
    )  # fmt: skip


def _sheet_args() -> list[Any]:
    return [sheet_of().pk]


def _round_args() -> list[Any]:
    return [matrix_round().pk]


# -- pages ----------------------------------------------------------------------------------------------------

PAGES = [
    Page("assessment:round-detail", SEES_ROUNDS, _round_args),
    Page("assessment:round-preview", PREVIEWS, _round_args),
    Page("assessment:rubric-detail", SEES_ROUNDS, lambda: [matrix_round().rubric_id]),
    Page("assessment:rubric-download", SEES_ROUNDS, lambda: [matrix_round().rubric_id]),
    Page("assessment:sheet-detail", SEES_SCT_SHEET, _sheet_args),
]


def _refusal(page_or_action: Page | Action) -> Callable[[str], int]:
    """The exact refusal: 404 for a sheet the person may not see, 403 otherwise."""
    on_sheet = page_or_action.name.startswith("assessment:sheet") if isinstance(page_or_action, Page) else (
        page_or_action.extra.get("on_sheet", False)
    )  # fmt: skip
    return lambda username: 404 if on_sheet and username not in SEES_SCT_SHEET else 403


@pytest.mark.parametrize(
    ("page", "username"),
    [pytest.param(p, u, id=f"{p.name}-{u}") for p in PAGES for u in USERS],
)
def test_page_access(page: Page, username: str, client_for: Any) -> None:
    response = client_for(username).get(page.url())
    if username in page.allowed:
        assert response.status_code == 200, f"{username} should open {page.name}"
    else:
        assert response.status_code == _refusal(page)(username), f"{username} must not open {page.name}"


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_anonymous_visitors_are_sent_to_log_in(page: Page) -> None:
    response = Client().get(page.url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_my_sheet_takes_a_head_to_their_own_sheet(client_for: Any) -> None:
    sheet = sheet_of()
    assert client_for("gd.sct").get(reverse("assessment:my-sheet"))["Location"] == reverse(
        "assessment:sheet-detail", args=[sheet.pk]
    )
    assert client_for("cv.sct").get(reverse("assessment:my-sheet")).status_code == 200  # "no sheet for you"


# -- actions --------------------------------------------------------------------------------------------------


def _sheet_url(name: str, *more: Any) -> Callable[[], str]:
    return lambda: reverse(name, args=[sheet_of().pk, *more])


def _form(prefix: str, **fields: Any) -> Callable[[], dict[str, Any]]:
    return lambda: {
        f"{prefix}-version": sheet_of().version,
        **{f"{prefix}-{k}": v for k, v in fields.items()},
    }


def _status() -> str:
    return sheet_of().status


def _points(code: str) -> Callable[[], Any]:
    return lambda: sheet_of().scores.get(code=code).points


def _pending() -> Appeal:
    return Appeal.objects.get(sheet=sheet_of(), status="pending")


ON_SHEET = {"on_sheet": True}
ACTIONS = [
    Action(
        "self_assess", frozenset({"gd.sct"}), _sheet_url("assessment:sheet-points", "CT.1"),
        _form("points-CT-1", points="7,5", comment="Đã quán triệt nghị quyết"), _points("CT.1"),
        extra={**ON_SHEET, "later_step": {"pct.kinhte", "noivu"}},
    ),
    Action(
        "submit", frozenset({"gd.sct"}), _sheet_url("assessment:sheet-act", "submit"), _form("act-submit"),
        _status, _scored, extra=ON_SHEET,
    ),
    Action(
        "review_points", frozenset({"pct.kinhte"}), _sheet_url("assessment:sheet-points", "CT.3"),
        _form("points-CT-3", points="6", reason="Còn chậm trả lời kiến nghị"), _points("CT.3"), _submitted,
        extra={**ON_SHEET, "later_step": {"gd.sct", "noivu"}},
    ),
    Action(
        "return_to_head", frozenset({"pct.kinhte"}), _sheet_url("assessment:sheet-act", "return"),
        _form("act-return", comment="Bổ sung minh chứng"), _status, _submitted,
        extra={**ON_SHEET, "later_step": {"noivu", "chutich"}},
    ),
    Action(
        "finish_review", frozenset({"pct.kinhte"}), _sheet_url("assessment:sheet-act", "finish_review"),
        _form("act-finish_review"), _status, _submitted, extra=ON_SHEET,
    ),
    Action(
        "verify", frozenset({"noivu"}), _sheet_url("assessment:sheet-act", "verify"), _form("act-verify"),
        _status, _reviewed, extra=ON_SHEET,
    ),
    Action(
        "record_facts", frozenset({"noivu"}), _sheet_url("assessment:sheet-facts"),
        _form("facts", disciplined="on", disciplined_reason="Quyết định kỷ luật số 12/QĐ-UBND"),
        lambda: sheet_of().facts, extra=ON_SHEET,
    ),
    Action(
        "recompute", frozenset({"noivu"}), _sheet_url("assessment:sheet-recompute"), _form("recompute"),
        lambda: sheet_of().version, extra=ON_SHEET,
    ),
    Action(
        "sign_round", frozenset({"chutich"}), lambda: reverse("assessment:round-sign", args=_round_args()),
        lambda: {"version": matrix_round().version}, lambda: matrix_round().status, _all_verified,
    ),
    Action(
        "appeal", frozenset({"gd.sct"}), _sheet_url("assessment:sheet-appeal"),
        _form("appeal", grounds="Tiêu chí 3 chưa tính văn bản đã ban hành", requested_level=""),
        lambda: Appeal.objects.filter(sheet=sheet_of()).count(), _signed, extra=ON_SHEET,
    ),
    Action(
        "decide_appeal", frozenset({"chutich"}),
        lambda: reverse("assessment:appeal-decide", args=[_pending().pk]),
        lambda: {
            "appeal_decide-version": _pending().version, "appeal_decide-outcome": "rejected",
            "appeal_decide-level": "", "appeal_decide-decision": "Giữ nguyên mức đã phê duyệt",
        },
        lambda: Appeal.objects.filter(sheet=sheet_of(), status="pending").count(), _appealed, extra=ON_SHEET,
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("action", "username"),
    [pytest.param(a, u, id=f"{a.label}-{u}") for a in ACTIONS for u in USERS],
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
        if action.extra.get("on_sheet") and username not in SEES_SCT_SHEET:
            expected = 404  # a sheet outside the person's scope is not revealed
        elif username in action.extra.get("later_step", ()):
            expected = (
                409  # their role acts on this sheet, at another step: the page says which step it is at
            )
        else:
            expected = 403
        assert response.status_code == expected, f"{username} must not {action.label}"
        assert after == before
        assert AuditEntry.objects.count() == entries


def test_the_matrix_starts_where_it_says() -> None:
    sheet = sheet_of()
    assert sheet.status == SheetStatus.SELF_ASSESSMENT
    assert sorted(matrix_round().sheets.values_list("unit__code", flat=True)) == ["SCT", "STC"]
