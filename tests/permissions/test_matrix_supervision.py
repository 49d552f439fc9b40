"""The permission matrix of dialogues and Council recommendations: every demo role against every page and action,
with the exact refusal.

The records are SCT's (supervision tests' conftest): a dialogue organized by Sở Công Thương and chaired by its head,
an issue SCT must answer, a Council supervision of SCT with a recommendation to SCT. Someone outside SCT's scope
gets 404 for them and for every action on them (their existence is not revealed); someone who sees them but may not
act gets 403; nothing changes and nothing is audited. The log-ins are those of test_matrix.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.permissions.test_matrix import PROVINCE_WIDE, USERS, Action, Page
from tests.supervision.conftest import (
    by,
    make_dialogue,
    make_issue,
    matrix_dialogue,
    matrix_supervision,
    unit_pk,
)
from trongtam.core.models import AuditEntry
from trongtam.supervision.domain.items import StepInput, act_on_issue, act_on_recommendation
from trongtam.supervision.enums import IssueAction, RecommendationAction
from trongtam.supervision.models import Dialogue, DialogueIssue, Recommendation, Supervision

pytestmark = pytest.mark.django_db

SEES_SCT = PROVINCE_WIDE | {"hdnd", "pct.kinhte", "gd.sct", "pgd.sct", "cv.sct"}
INTERNAL = frozenset(USERS) - {"congdan"}
MANAGES = frozenset({"chutich", "vanphong", "pct.kinhte", "gd.sct", "pgd.sct"})  # the dialogue's managers
SCT_MEMBERS = frozenset({"gd.sct", "pgd.sct", "cv.sct"})
SPEAKS_FOR_SCT = frozenset({"gd.sct", "pgd.sct"})
COUNCIL = frozenset({"hdnd"})
RECORDS_DIALOGUES = MANAGES | {"pct.vanxa", "gd.stc"}  # each a dialogue they would manage
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def issue() -> DialogueIssue:
    return DialogueIssue.objects.filter(dialogue=matrix_dialogue()).order_by("pk").first() or make_issue()


def recommendation() -> Recommendation:
    from tests.supervision.conftest import make_recommendation

    return (
        Recommendation.objects.filter(supervision=matrix_supervision()).order_by("pk").first()
        or make_recommendation()
    )


def _url(name: str, obj: Callable[[], Any], *more: Any) -> Callable[[], str]:
    return lambda: reverse(name, args=[obj().pk, *more])


# -- pages ----------------------------------------------------------------------------------------------------

PAGES = [
    Page("supervision:dialogue-list", INTERNAL),
    Page("supervision:issue-list", INTERNAL),
    Page("supervision:recommendation-list", INTERNAL),
    Page("supervision:supervision-list", INTERNAL),
    Page("supervision:dialogue-new", RECORDS_DIALOGUES),
    Page("supervision:supervision-new", COUNCIL),
    Page("supervision:dialogue-detail", SEES_SCT, lambda: [matrix_dialogue().pk]),
    Page("supervision:dialogue-edit", MANAGES, lambda: [matrix_dialogue().pk]),
    Page("supervision:issue-detail", SEES_SCT, lambda: [issue().pk]),
    Page("supervision:supervision-detail", SEES_SCT, lambda: [matrix_supervision().pk]),
    Page("supervision:supervision-edit", COUNCIL, lambda: [matrix_supervision().pk]),
    Page("supervision:recommendation-detail", SEES_SCT, lambda: [recommendation().pk]),
]
ON_RECORD = {
    "dialogue-detail",
    "dialogue-edit",
    "issue-detail",
    "supervision-detail",
    "supervision-edit",
    "recommendation-detail",
}


def _expected_refusal(name: str, username: str) -> int:
    on_record = name.split(":")[1] in ON_RECORD or name.split(":")[1].startswith(
        ("issue-act", "recommendation-act")
    )
    return 404 if on_record and username not in SEES_SCT else 403


@pytest.mark.parametrize(
    ("page", "username"), [pytest.param(p, u, id=f"{p.name}-{u}") for p in PAGES for u in USERS]
)
def test_page_access(page: Page, username: str, client_for: Any) -> None:
    response = client_for(username).get(page.url())
    if username in page.allowed:
        assert response.status_code == 200, f"{username} should open {page.name}"
    else:
        assert response.status_code == _expected_refusal(page.name, username), (
            f"{username} must not open {page.name}"
        )


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_anonymous_visitors_are_sent_to_log_in(page: Page) -> None:
    response = Client().get(page.url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_file_of_a_dialogue_is_served_only_within_its_scope(client_for: Any) -> None:
    from trongtam.supervision.domain.records import attach_dialogue_files

    dialogue = matrix_dialogue()
    attach_dialogue_files(
        dialogue.pk, [SimpleUploadedFile("bb.pdf", PDF)], by=by("gd.sct"), expected_version=None
    )
    url = reverse("supervision:dialogue-file", args=[dialogue.pk, dialogue.files.get().pk])
    for username in USERS:
        assert client_for(username).get(url).status_code == (200 if username in SEES_SCT else 404), username


# -- actions --------------------------------------------------------------------------------------------------


def _step(kind: str, action: str, **fields: Any) -> Callable[[], dict[str, Any]]:
    def data() -> dict[str, Any]:
        item = issue() if kind == "issue" else recommendation()
        return {
            f"step-{action}-version": item.version,
            **{f"step-{action}-{k}": v for k, v in fields.items()},
        }

    return data


def _version(obj: Callable[[], Any]) -> Callable[[], int]:
    return lambda: type(obj()).objects.get(pk=obj().pk).version


def _answered_issue() -> None:
    act_on_issue(issue().pk, IssueAction.ANSWER, by=by("gd.sct"), data=StepInput(answer="Đã trả lời"))


def _answered_recommendation() -> None:
    act_on_recommendation(
        recommendation().pk, RecommendationAction.REPORT, by=by("gd.sct"), data=StepInput(answer="Đã làm")
    )


def _dialogue_form() -> dict[str, Any]:
    return {
        "version": matrix_dialogue().version, "topic": matrix_dialogue().topic, "audience": "both",
        "held_on": "02/03/2026", "chaired_by": by("gd.sct").pk, "organizing_unit": unit_pk("SCT"), "summary": "Đã sửa",
    }  # fmt: skip


ON_RECORD_ACTION = {"on_record": True}
ACTIONS = [
    Action("record_dialogue", MANAGES, lambda: reverse("supervision:dialogue-new"),
           lambda: {"topic": "Đối thoại mới", "audience": "both", "held_on": "02/03/2026",
                    "chaired_by": by("gd.sct").pk, "organizing_unit": unit_pk("SCT")},
           lambda: Dialogue.objects.filter(topic="Đối thoại mới").count(),
           extra={"refused_in_form": {"pct.vanxa", "gd.stc"}}),
    Action("edit_dialogue", MANAGES, _url("supervision:dialogue-edit", matrix_dialogue), _dialogue_form,
           _version(matrix_dialogue), extra=ON_RECORD_ACTION),
    Action("upload", MANAGES, _url("supervision:dialogue-upload", matrix_dialogue),
           lambda: {"files-version": matrix_dialogue().version, "files-files": [SimpleUploadedFile("bb.pdf", PDF)]},
           _version(matrix_dialogue), extra=ON_RECORD_ACTION),
    Action("add_issue", MANAGES, _url("supervision:issue-new", matrix_dialogue),
           lambda: {"issue-content": "Kiến nghị mới", "issue-raiser_kind": "person"},
           lambda: DialogueIssue.objects.filter(content="Kiến nghị mới").count(), extra=ON_RECORD_ACTION),
    Action("assign", MANAGES, _url("supervision:issue-act", issue, "assign"),
           lambda: {**_step("issue", "assign", deadline_days="20")(), "step-assign-responsible_unit": unit_pk("SCT")},
           _version(issue), extra=ON_RECORD_ACTION),
    Action("start_issue", SCT_MEMBERS, _url("supervision:issue-act", issue, "start"), _step("issue", "start"),
           _version(issue), extra=ON_RECORD_ACTION),
    Action("answer_issue", SPEAKS_FOR_SCT, _url("supervision:issue-act", issue, "answer"),
           _step("issue", "answer", answer="Đã giải quyết"), _version(issue), extra=ON_RECORD_ACTION),
    Action("reject_issue", MANAGES, _url("supervision:issue-act", issue, "reject"),
           _step("issue", "reject", comment="Không thuộc thẩm quyền"), _version(issue), extra=ON_RECORD_ACTION),
    Action("resolve_issue", MANAGES, _url("supervision:issue-act", issue, "resolve"), _step("issue", "resolve"),
           _version(issue), _answered_issue, extra=ON_RECORD_ACTION),
    Action("record_supervision", COUNCIL, lambda: reverse("supervision:supervision-new"),
           lambda: {"topic": "Giám sát mới", "held_on": "02/03/2026", "supervised_unit": unit_pk("SCT")},
           lambda: Supervision.objects.filter(topic="Giám sát mới").count()),
    Action("edit_supervision", COUNCIL, _url("supervision:supervision-edit", matrix_supervision),
           lambda: {"version": matrix_supervision().version, "topic": matrix_supervision().topic,
                    "held_on": "02/03/2026", "supervised_unit": unit_pk("SCT"), "summary": "Đã sửa"},
           _version(matrix_supervision), extra=ON_RECORD_ACTION),
    Action("add_recommendation", COUNCIL, _url("supervision:recommendation-new", matrix_supervision),
           lambda: {"rec-title": "Kiến nghị giám sát mới", "rec-responsible_unit": unit_pk("SCT"), "rec-deadline": "30/04/2026"},
           lambda: Recommendation.objects.filter(title="Kiến nghị giám sát mới").count(), extra=ON_RECORD_ACTION),
    Action("start_recommendation", SCT_MEMBERS, _url("supervision:recommendation-act", recommendation, "start"),
           _step("recommendation", "start"), _version(recommendation), extra=ON_RECORD_ACTION),
    Action("report", SPEAKS_FOR_SCT, _url("supervision:recommendation-act", recommendation, "report"),
           _step("recommendation", "report", answer="Đã thực hiện"), _version(recommendation), extra=ON_RECORD_ACTION),
    Action("conclude", COUNCIL, _url("supervision:recommendation-act", recommendation, "conclude"),
           _step("recommendation", "conclude", verdict="resolved"), _version(recommendation), _answered_recommendation,
           extra=ON_RECORD_ACTION),
    Action("send_back", COUNCIL, _url("supervision:recommendation-act", recommendation, "return"),
           _step("recommendation", "return", comment="Thiếu số liệu"), _version(recommendation),
           _answered_recommendation, extra=ON_RECORD_ACTION),
]  # fmt: skip


@pytest.mark.parametrize(
    ("action", "username"), [pytest.param(a, u, id=f"{a.label}-{u}") for a in ACTIONS for u in USERS]
)
def test_action_permission(action: Action, username: str, client_for: Any) -> None:
    issue()
    recommendation()
    action.prepare()
    before, entries = action.changed(), AuditEntry.objects.count()
    response = client_for(username).post(action.url(), action.data())
    after = action.changed()
    if username in action.allowed:
        assert response.status_code == 302, f"{username} should be able to {action.label}"
        assert after != before, f"{action.label} by {username} changed nothing"
        assert AuditEntry.objects.count() > entries, f"{action.label} left no audit entry"
    else:
        if username in action.extra.get("refused_in_form", ()):
            expected = 200  # they may record dialogues, but not this one: the form says why
        elif action.extra.get("on_record") and username not in SEES_SCT:
            expected = 404
        else:
            expected = 403
        assert response.status_code == expected, f"{username} must not {action.label}"
        assert after == before
        assert AuditEntry.objects.count() == entries


# -- lists show exactly the scope -----------------------------------------------------------------------------

ISSUE_SCOPE = {
    **dict.fromkeys(
        ["chutich", "vanphong", "noivu", "quantri", "hdnd", "pct.kinhte"], frozenset({"I1", "I2", "I3", "I4"})
    ),
    "pct.vanxa": set(),
    **dict.fromkeys(["gd.sct", "pgd.sct", "cv.sct"], frozenset({"I1", "I2", "I4"})),
    "gd.stc": {"I3", "I4"},
}
DIALOGUE_SCOPE = {
    **dict.fromkeys(
        ["chutich", "vanphong", "noivu", "quantri", "hdnd", "pct.kinhte"], frozenset({"D1", "D2"})
    ),
    "pct.vanxa": set(),
    **dict.fromkeys(
        ["gd.sct", "pgd.sct", "cv.sct"], frozenset({"D1", "D2"})
    ),  # D2 through the issue SCT must answer
    "gd.stc": {"D2"},
}


@pytest.fixture
def scope_records() -> dict[str, int]:
    """D1 organized by SCT (issues I1 to SCT, I2 to SXD); D2 organized by STC (I3 to STC, I4 to SCT)."""
    d1 = make_dialogue(topic="D1")
    d2 = make_dialogue(topic="D2", chair="gd.stc", unit="STC")
    return {
        "D1": d1.pk, "D2": d2.pk,
        "I1": make_issue(d1, content="I1").pk, "I2": make_issue(d1, unit="SXD", content="I2").pk,
        "I3": make_issue(d2, unit="STC", content="I3").pk, "I4": make_issue(d2, content="I4").pk,
    }  # fmt: skip


@pytest.mark.parametrize("username", sorted(ISSUE_SCOPE))
def test_the_lists_show_exactly_the_scope(
    username: str, client_for: Any, scope_records: dict[str, int]
) -> None:
    issue_names = {pk: name for name, pk in scope_records.items() if name.startswith("I")}
    dialogue_names = {pk: name for name, pk in scope_records.items() if name.startswith("D")}
    client = client_for(username)
    issues = client.get(reverse("supervision:issue-list")).context["page_obj"].paginator.object_list
    assert {issue_names[i.pk] for i in issues if i.pk in issue_names} == ISSUE_SCOPE[username]
    dialogues = client.get(reverse("supervision:dialogue-list")).context["page_obj"].paginator.object_list
    assert {dialogue_names[d.pk] for d in dialogues if d.pk in dialogue_names} == DIALOGUE_SCOPE[username]
