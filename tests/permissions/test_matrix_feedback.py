"""The permission matrix of feedback: every demo role against every page and step of a case about Sở Công Thương
(SCT), with the exact refusal.

Someone who may not see the case gets 404 for it and for every step on it (its existence is not revealed);
someone who sees it but whose role may not take the step gets 403; nothing changes and nothing is audited. The
public pages open for everyone, logged in or not. The log-ins are those of test_matrix.py, plus the head of the
provincial service centre (gd.ttpvhcc), who triages as the Office does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.feedback.conftest import move, submit
from tests.permissions.test_matrix import PROVINCE_WIDE, USERS
from trongtam.core.models import AuditEntry
from trongtam.feedback.enums import FeedbackStatus
from trongtam.feedback.models import Feedback

pytestmark = pytest.mark.django_db

MATRIX_USERS = [*USERS, "gd.ttpvhcc"]
TRIAGE = frozenset({"vanphong", "gd.ttpvhcc"})
SEES_SCT_CASE = PROVINCE_WIDE | TRIAGE | {"pct.kinhte", "gd.sct", "pgd.sct"}
LISTS = PROVINCE_WIDE | TRIAGE | {"pct.kinhte", "pct.vanxa", "gd.sct", "pgd.sct", "cv.sct", "gd.stc"}
SCT_LEADERS = frozenset({"gd.sct", "pgd.sct"})
MATRIX_CONTENT = "Phản ánh của ma trận phân quyền: cán bộ Sở Công Thương chậm trả lời."


def sct_case(status: str = FeedbackStatus.RECEIVED) -> Feedback:
    """The matrix's case about SCT, made on first use in the test's transaction and taken to `status`."""
    case = Feedback.objects.filter(content=MATRIX_CONTENT).first() or submit(
        "SCT", content=MATRIX_CONTENT, category="delay", subject_kind="unit", official_name=""
    )
    return move(case, status)


def test_the_list(client_for: Any) -> None:
    for username in MATRIX_USERS:
        expected = 200 if username in LISTS else 403
        assert client_for(username).get(reverse("feedback:feedback-list")).status_code == expected, username


@pytest.mark.parametrize("username", MATRIX_USERS)
def test_the_case_page(username: str, client_for: Any) -> None:
    response = client_for(username).get(sct_case().get_absolute_url())
    assert response.status_code == (200 if username in SEES_SCT_CASE else 404)


@pytest.mark.parametrize(
    "name", ["feedback:feedback-list", "feedback:feedback-detail", "feedback-public:mine"]
)
def test_anonymous_visitors_are_sent_to_log_in(name: str) -> None:
    args = [sct_case().pk] if name == "feedback:feedback-detail" else []
    response = Client().get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "name", ["feedback-public:submit", "feedback-public:track", "feedback-public:answered"]
)
@pytest.mark.parametrize("username", [*MATRIX_USERS, None])
def test_public_pages_open_for_everyone(name: str, username: str | None, client_for: Any) -> None:
    client = client_for(username) if username else Client()
    assert client.get(reverse(name)).status_code == 200


# -- steps ------------------------------------------------------------------------------------------------------

Step = tuple[str, str, frozenset[str], Callable[[Feedback], dict[str, Any]], Callable[[Feedback], Any]]


def _data(action: str, **fields: Any) -> Callable[[Feedback], dict[str, Any]]:
    return lambda case: {
        f"act-{action}-version": case.version,
        **{f"act-{action}-{k}": v for k, v in fields.items()},
    }


def _unit_data(case: Feedback) -> dict[str, Any]:
    return {"act-assign-version": case.version, "act-assign-unit": case.unit_id}


def _official(case: Feedback) -> dict[str, Any]:
    from trongtam.org.models import Person

    return {
        "act-match_official-version": case.version,
        "act-match_official-official": Person.objects.get(username="cv.sct").pk,
    }


STEPS: list[Step] = [
    ("assign", FeedbackStatus.RECEIVED, TRIAGE, _unit_data, lambda c: c.status),
    ("handle", FeedbackStatus.ASSIGNED, frozenset({"gd.sct"}), _data("handle"), lambda c: c.status),
    (
        "answer", FeedbackStatus.IN_HANDLING, frozenset({"gd.sct"}),
        _data("answer", text="Đã xác minh, sở đã chấn chỉnh.", upheld="true"), lambda c: c.status,
    ),
    ("close", FeedbackStatus.ANSWERED, TRIAGE | SCT_LEADERS, _data("close", outcome="resolved"), lambda c: c.status),
    (
        "publish", FeedbackStatus.ANSWERED, TRIAGE | SCT_LEADERS,
        _data("publish", public_answer="Đã xác minh, sở đã chấn chỉnh.", published="true"), lambda c: c.is_published,
    ),
    ("match_official", FeedbackStatus.RECEIVED, TRIAGE | SCT_LEADERS, _official, lambda c: c.official_id),
]  # fmt: skip


@pytest.mark.parametrize(
    ("step", "username"), [pytest.param(s, u, id=f"{s[0]}-{u}") for s in STEPS for u in MATRIX_USERS]
)
def test_step_permission(step: Step, username: str, client_for: Any) -> None:
    action, status, allowed, data, changed = step
    case = sct_case(status)
    before, entries = changed(case), AuditEntry.objects.count()
    response = client_for(username).post(reverse("feedback:feedback-act", args=[case.pk, action]), data(case))
    case.refresh_from_db()
    if username in allowed:
        assert response.status_code == 302, f"{username} should be able to {action}"
        assert changed(case) != before
        assert AuditEntry.objects.count() > entries
    else:
        assert response.status_code == (403 if username in SEES_SCT_CASE else 404), (
            f"{username} must not {action}"
        )
        assert changed(case) == before
        assert AuditEntry.objects.count() == entries
