"""The workflows as tables: every step from every status is either taken or refused with a 409, and nothing is
written on a refusal; properties over any sequence of steps (hypothesis)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.supervision.conftest import by, make_issue, make_recommendation, step, unit_pk
from trongtam.core.errors import TransitionNotAllowed
from trongtam.core.models import AuditEntry
from trongtam.supervision.domain.items import act_on_issue, act_on_recommendation
from trongtam.supervision.domain.workflow import ISSUE_STEPS, RECOMMENDATION_STEPS, available, next_status
from trongtam.supervision.enums import IssueAction, ItemStatus, Outcome, RecommendationAction, Verdict
from trongtam.supervision.models import DialogueIssue, ItemEvent, Recommendation

S = ItemStatus
ISSUE_TABLE = {
    # action: the statuses it leaves from → the status it leads to
    IssueAction.ASSIGN: ({S.OPEN, S.ASSIGNED, S.IN_HANDLING}, S.ASSIGNED),
    IssueAction.START: ({S.ASSIGNED}, S.IN_HANDLING),
    IssueAction.ANSWER: ({S.ASSIGNED, S.IN_HANDLING}, S.ANSWERED),
    IssueAction.RETURN: ({S.ANSWERED}, S.IN_HANDLING),
    IssueAction.RESOLVE: ({S.ANSWERED}, S.CLOSED),
    IssueAction.CLOSE_UNRESOLVED: ({S.ASSIGNED, S.IN_HANDLING, S.ANSWERED}, S.CLOSED),
    IssueAction.TRANSFER: ({S.OPEN, S.ASSIGNED, S.IN_HANDLING}, S.CLOSED),
    IssueAction.REJECT: ({S.OPEN, S.ASSIGNED}, S.CLOSED),
    IssueAction.REOPEN: ({S.CLOSED}, S.ASSIGNED),
}
RECOMMENDATION_TABLE = {
    RecommendationAction.START: ({S.ASSIGNED}, S.IN_HANDLING),
    RecommendationAction.REPORT: ({S.ASSIGNED, S.IN_HANDLING}, S.ANSWERED),
    RecommendationAction.CONCLUDE: ({S.ASSIGNED, S.IN_HANDLING, S.ANSWERED}, S.CLOSED),
    RecommendationAction.RETURN: ({S.ANSWERED}, S.IN_HANDLING),
}
# Who takes each step on SCT's items, and what it carries.
ISSUE_ACTORS: dict[IssueAction, tuple[str, dict[str, Any]]] = {
    IssueAction.ASSIGN: ("vanphong", {"responsible_unit": "SCT", "deadline_days": 10}),
    IssueAction.START: ("cv.sct", {}),
    IssueAction.ANSWER: ("gd.sct", {"answer": "Đã xử lý"}),
    IssueAction.RETURN: ("vanphong", {"comment": "Trả lời chưa đủ"}),
    IssueAction.RESOLVE: ("vanphong", {}),
    IssueAction.CLOSE_UNRESOLVED: ("vanphong", {"comment": "Không đủ nguồn lực"}),
    IssueAction.TRANSFER: ("vanphong", {"comment": "Chuyển Thuế tỉnh"}),
    IssueAction.REJECT: ("vanphong", {"comment": "Không thuộc thẩm quyền"}),
    IssueAction.REOPEN: (
        "vanphong",
        {"comment": "Doanh nghiệp phản ánh chưa giải quyết", "deadline": dt.date(2026, 12, 31)},
    ),
}
REC_ACTORS: dict[RecommendationAction, tuple[str, dict[str, Any]]] = {
    RecommendationAction.START: ("cv.sct", {}),
    RecommendationAction.REPORT: ("gd.sct", {"answer": "Đã quy hoạch xong"}),
    RecommendationAction.CONCLUDE: ("hdnd", {"verdict": Verdict.NOT_RESOLVED, "comment": "Chưa triển khai"}),
    RecommendationAction.RETURN: ("hdnd", {"comment": "Báo cáo thiếu số liệu"}),
}


def _input(fields: dict[str, Any]) -> Any:
    fields = dict(fields)
    if "responsible_unit" in fields:
        fields["responsible_unit"] = unit_pk(fields["responsible_unit"])
    return step(**fields)


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", list(IssueAction))
def test_issue_step_from_every_status(action: IssueAction, status: S) -> None:
    issue = make_issue(status=status)
    sources, target = ISSUE_TABLE[action]
    username, fields = ISSUE_ACTORS[action]
    entries, events = AuditEntry.objects.count(), ItemEvent.objects.count()
    if status in sources:
        act_on_issue(issue.pk, action, by=by(username), data=_input(fields), expected_version=issue.version)
        assert DialogueIssue.objects.get(pk=issue.pk).status == target
        assert (AuditEntry.objects.count(), ItemEvent.objects.count()) == (entries + 1, events + 1)
    else:
        with pytest.raises(TransitionNotAllowed):
            act_on_issue(
                issue.pk, action, by=by(username), data=_input(fields), expected_version=issue.version
            )
        assert DialogueIssue.objects.get(pk=issue.pk).status == status
        assert (AuditEntry.objects.count(), ItemEvent.objects.count()) == (entries, events)


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", list(RecommendationAction))
def test_recommendation_step_from_every_status(action: RecommendationAction, status: S) -> None:
    rec = make_recommendation(status=status)
    sources, target = RECOMMENDATION_TABLE[action]
    username, fields = REC_ACTORS[action]
    if status in sources:
        act_on_recommendation(
            rec.pk, action, by=by(username), data=step(**fields), expected_version=rec.version
        )
        assert Recommendation.objects.get(pk=rec.pk).status == target
    else:
        with pytest.raises(TransitionNotAllowed):
            act_on_recommendation(
                rec.pk, action, by=by(username), data=step(**fields), expected_version=rec.version
            )
        assert Recommendation.objects.get(pk=rec.pk).status == status


@pytest.mark.django_db
def test_the_same_request_twice_is_done_once_but_another_ending_is_a_conflict() -> None:
    issue = make_issue(status=S.ANSWERED)
    office = by("vanphong")
    act_on_issue(issue.pk, IssueAction.RESOLVE, by=office, expected_version=issue.version)
    act_on_issue(issue.pk, IssueAction.RESOLVE, by=office, expected_version=issue.version)  # a double click
    assert ItemEvent.objects.filter(issue=issue, action="resolve").count() == 1
    with pytest.raises(TransitionNotAllowed):
        act_on_issue(
            issue.pk,
            IssueAction.REJECT,
            by=office,
            data=step(comment="x"),
            expected_version=issue.version + 1,
        )
    assert DialogueIssue.objects.get(pk=issue.pk).outcome == "resolved"


def test_the_tables_in_code_are_the_tables_here() -> None:
    assert {a: (set(s.sources), s.target) for a, s in ISSUE_STEPS.items()} == ISSUE_TABLE
    assert {a: (set(s.sources), s.target) for a, s in RECOMMENDATION_STEPS.items()} == RECOMMENDATION_TABLE


CLOSING = {a for a, s in ISSUE_STEPS.items() if s.target == S.CLOSED}


def _walk(actions: list[IssueAction]) -> list[tuple[str, str]]:
    """(status, outcome) after each step the table allows, from "open"; refused steps change nothing."""
    status, outcome, seen = S.OPEN.value, "", []
    for action in actions:
        target = next_status(ISSUE_STEPS, status, action)
        if target is None:
            continue
        status = target
        outcome = ISSUE_STEPS[action].outcome if target == S.CLOSED else ""
        seen.append((status, outcome))
    return seen


@given(st.lists(st.sampled_from(list(IssueAction)), max_size=20))
def test_an_issue_has_an_outcome_exactly_when_it_is_closed(actions: list[IssueAction]) -> None:
    for status, outcome in _walk(actions):
        assert (status == S.CLOSED) == (outcome in Outcome.values)


@given(st.lists(st.sampled_from(list(IssueAction)), max_size=20))
def test_only_the_managers_steps_close_an_issue_and_only_they_reopen_it(actions: list[IssueAction]) -> None:
    status = S.OPEN.value
    for action in actions:
        target = next_status(ISSUE_STEPS, status, action)
        if target == S.CLOSED:
            assert action in CLOSING
            assert ISSUE_STEPS[action].perm == "supervision.manage_issue"
        if status == S.CLOSED and target is not None:
            assert action == IssueAction.REOPEN
        status = target or status


@given(st.sampled_from(list(S)))
def test_every_status_but_closed_has_a_way_to_closed_and_closed_has_one_way_out(status: S) -> None:
    """No item gets stuck: from any status a closing step (or a step towards one) is open; closed only reopens."""
    steps = available(ISSUE_STEPS, status)
    if status == S.CLOSED:
        assert steps == [IssueAction.REOPEN]
    else:
        assert any(ISSUE_STEPS[IssueAction(a)].target == S.CLOSED for a in steps)
    rec_steps = available(RECOMMENDATION_STEPS, status)
    assert (rec_steps == []) == (status in (S.OPEN, S.CLOSED))


@given(st.lists(st.sampled_from(list(RecommendationAction)), max_size=15))
def test_a_recommendation_is_closed_only_by_the_councils_verdict(actions: list[RecommendationAction]) -> None:
    status = S.ASSIGNED.value
    for action in actions:
        target = next_status(RECOMMENDATION_STEPS, status, action)
        if target == S.CLOSED:
            assert action == RecommendationAction.CONCLUDE
            assert RECOMMENDATION_STEPS[action].perm == "supervision.judge_recommendation"
        status = target or status
