"""The steps of a case: the table, a property that status follows only allowed paths, and each step's guards."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import given
from hypothesis import strategies as st

from tests.feedback.conftest import REPORTER, By, move, submit
from trongtam.core.errors import RuleViolations, StaleEdit, TransitionNotAllowed
from trongtam.core.models import AuditEntry, Notification
from trongtam.feedback.domain import cases
from trongtam.feedback.domain.workflow import next_status
from trongtam.feedback.enums import FeedbackAction as A
from trongtam.feedback.enums import FeedbackStatus as S
from trongtam.feedback.enums import Outcome as O  # noqa: N817
from trongtam.feedback.models import Feedback
from trongtam.org.models import Person

pytestmark = pytest.mark.django_db

# (status, action, outcome) -> the status after it, None when refused.
TABLE = [
    (S.RECEIVED, A.ASSIGN, "", S.ASSIGNED),
    (S.ASSIGNED, A.ASSIGN, "", S.ASSIGNED),
    (S.IN_HANDLING, A.ASSIGN, "", None),
    (S.RECEIVED, A.HANDLE, "", None),
    (S.ASSIGNED, A.HANDLE, "", S.IN_HANDLING),
    (S.IN_HANDLING, A.HANDLE, "", S.IN_HANDLING),
    (S.ASSIGNED, A.ANSWER, "", None),
    (S.IN_HANDLING, A.ANSWER, "", S.ANSWERED),
    (S.ANSWERED, A.ANSWER, "", None),
    (S.ANSWERED, A.CLOSE, O.RESOLVED, S.CLOSED),
    (S.ANSWERED, A.CLOSE, O.CLOSED_UNRESOLVED, S.CLOSED),
    (S.RECEIVED, A.CLOSE, O.RESOLVED, None),
    (S.IN_HANDLING, A.CLOSE, O.CLOSED_UNRESOLVED, None),
    (S.RECEIVED, A.CLOSE, O.TRANSFERRED, S.CLOSED),
    (S.IN_HANDLING, A.CLOSE, O.REJECTED, S.CLOSED),
    (S.CLOSED, A.CLOSE, O.RESOLVED, None),
    (S.ANSWERED, A.REOPEN, "", S.IN_HANDLING),
    (S.CLOSED, A.REOPEN, O.RESOLVED, S.IN_HANDLING),
    (S.CLOSED, A.REOPEN, O.CLOSED_UNRESOLVED, S.IN_HANDLING),
    (S.CLOSED, A.REOPEN, O.TRANSFERRED, None),
    (S.CLOSED, A.REOPEN, O.REJECTED, None),
    (S.IN_HANDLING, A.REOPEN, "", None),
]


@pytest.mark.parametrize(("status", "action", "outcome", "expected"), TABLE)
def test_transition_table(status: str, action: A, outcome: str, expected: str | None) -> None:
    assert next_status(status, action, outcome) == expected


ALLOWED_EDGES = {
    (S.RECEIVED, S.ASSIGNED), (S.ASSIGNED, S.ASSIGNED), (S.ASSIGNED, S.IN_HANDLING), (S.IN_HANDLING, S.IN_HANDLING),
    (S.IN_HANDLING, S.ANSWERED), (S.ANSWERED, S.CLOSED), (S.RECEIVED, S.CLOSED), (S.ASSIGNED, S.CLOSED),
    (S.IN_HANDLING, S.CLOSED), (S.ANSWERED, S.IN_HANDLING), (S.CLOSED, S.IN_HANDLING),
}  # fmt: skip
STEPS = st.tuples(
    st.sampled_from([A.ASSIGN, A.HANDLE, A.ANSWER, A.CLOSE, A.REOPEN]), st.sampled_from(list(O))
)


@given(st.lists(STEPS, max_size=25))
def test_status_follows_only_allowed_paths(steps: list[tuple[A, O]]) -> None:
    status: str = S.RECEIVED
    outcome, answered = "", False
    for action, chosen in steps:
        after = next_status(status, action, chosen if action == A.CLOSE else outcome)
        if after is None:
            continue
        assert (status, after) in ALLOWED_EDGES
        if action == A.CLOSE:
            # Closed as resolved or unresolved only after an answer; an unanswered case only leaves as not the unit's.
            assert answered or chosen in (O.TRANSFERRED, O.REJECTED)
            outcome = chosen
        if action == A.REOPEN:
            assert outcome not in (O.TRANSFERRED, O.REJECTED)
            outcome = ""
        answered = answered or after == S.ANSWERED
        status = after


def test_each_step_writes_history_audit_and_version(by: By) -> None:
    case = submit()
    entries = AuditEntry.objects.count()
    case = move(case, S.CLOSED)
    assert case.version == 5
    assert list(case.events.values_list("action", flat=True)) == [
        "submit",
        "assign",
        "handle",
        "answer",
        "close",
    ]
    assert AuditEntry.objects.count() == entries + 4
    assert case.outcome == O.RESOLVED
    assert case.closed_on is not None


def test_assign_goes_to_the_head_and_tells_them(by: By) -> None:
    case = submit()
    case = cases.assign(case.pk, by=by("vanphong"), expected_version=case.version)
    head = by("ct.xa01")
    assert case.assigned_to == head
    assert Notification.objects.filter(recipient=head, title__contains=case.tracking_code).exists()


def test_submission_tells_the_triage_staff(by: By) -> None:
    case = submit()
    told = set(
        Notification.objects.filter(title__contains=case.tracking_code).values_list(
            "recipient__username", flat=True
        )
    )
    assert {"vanphong", "gd.ttpvhcc"} <= told


def test_a_head_may_not_assign(by: By) -> None:
    case = submit()
    with pytest.raises(PermissionDenied):
        cases.assign(case.pk, by=by("ct.xa01"), expected_version=case.version)
    assert Feedback.objects.get(pk=case.pk).status == S.RECEIVED


def test_a_stale_version_is_refused_and_names_who_acted(by: By) -> None:
    case = submit()
    cases.assign(case.pk, by=by("vanphong"), expected_version=case.version)
    with pytest.raises(StaleEdit) as refused:
        cases.handle(case.pk, by=by("ct.xa01"), expected_version=case.version)
    assert by("vanphong").full_name in refused.value.user_message
    assert Feedback.objects.get(pk=case.pk).status == S.ASSIGNED


def test_answering_before_handling_is_a_conflict(by: By) -> None:
    case = move(submit(), S.ASSIGNED)
    with pytest.raises(TransitionNotAllowed):
        cases.answer(
            case.pk,
            by=by("ct.xa01"),
            expected_version=case.version,
            text="Đã xử lý xong việc này.",
            upheld=True,
        )


def test_closing_as_resolved_needs_an_answer(by: By) -> None:
    case = move(submit(), S.IN_HANDLING)
    with pytest.raises(RuleViolations) as refused:
        cases.close(case.pk, by=by("ct.xa01"), expected_version=case.version, outcome=O.RESOLVED)
    assert refused.value.by_field().keys() == {"outcome"}


def test_closing_without_resolution_needs_a_reason(by: By) -> None:
    case = move(submit(), S.ANSWERED)
    with pytest.raises(RuleViolations) as refused:
        cases.close(case.pk, by=by("ct.xa01"), expected_version=case.version, outcome=O.CLOSED_UNRESOLVED)
    assert refused.value.by_field().keys() == {"reason"}


def test_a_case_not_the_units_may_be_transferred_at_once(by: By) -> None:
    case = submit()
    case = cases.close(
        case.pk,
        by=by("vanphong"),
        expected_version=case.version,
        outcome=O.TRANSFERRED,
        reason="Chuyển Công an tỉnh",
    )
    assert (case.status, case.outcome) == (S.CLOSED, O.TRANSFERRED)


def test_answer_needs_text_and_a_verdict(by: By) -> None:
    case = move(submit(), S.IN_HANDLING)
    with pytest.raises(RuleViolations) as refused:
        cases.answer(case.pk, by=by("ct.xa01"), expected_version=case.version, text="ok", upheld=None)
    assert refused.value.by_field().keys() == {"text", "upheld"}


def test_the_named_official_is_never_given_the_case(by: By) -> None:
    case = submit()
    official = by("cc.xa01")
    case = cases.match_official(case.pk, by=by("vanphong"), expected_version=case.version, official=official)
    case = cases.assign(case.pk, by=by("vanphong"), expected_version=case.version)
    with pytest.raises(RuleViolations):
        cases.handle(case.pk, by=by("ct.xa01"), expected_version=case.version, delegate_to=official)
    assert not official.has_perm("feedback.view_feedback", Feedback.objects.get(pk=case.pk))


def test_the_head_may_delegate_to_an_official_who_then_answers(by: By) -> None:
    case = move(submit(), S.ASSIGNED)
    official = by("cc.xa01")
    case = cases.handle(case.pk, by=by("ct.xa01"), expected_version=case.version, delegate_to=official)
    assert case.handler == official
    case = cases.answer(
        case.pk, by=official, expected_version=case.version, text="Đã xác minh, đúng.", upheld=True
    )
    assert case.status == S.ANSWERED


def test_delegating_outside_the_unit_is_refused(by: By) -> None:
    case = move(submit(), S.ASSIGNED)
    with pytest.raises(RuleViolations):
        cases.handle(case.pk, by=by("ct.xa01"), expected_version=case.version, delegate_to=by("cv.sct"))


def test_reopened_case_goes_back_to_handling_and_keeps_its_first_answer_date(by: By) -> None:
    case = move(submit(), S.CLOSED)
    first = case.answered_on
    case = cases.reopen(case.tracking_code, reason="Cán bộ vẫn tiếp tục gây khó dễ khi tôi đến nộp lại.")
    assert (case.status, case.outcome, case.closed_on) == (S.IN_HANDLING, "", None)
    assert (case.citizen_solved, case.reopened_count) == (False, 1)
    assert case.events.last().by is None  # type: ignore[union-attr]
    case = cases.answer(
        case.pk, by=by("ct.xa01"), expected_version=case.version, text="Đã xử lý lại.", upheld=True
    )
    assert case.answered_on == first


def test_a_transferred_case_cannot_be_reopened(by: By) -> None:
    case = submit()
    cases.close(
        case.pk, by=by("vanphong"), expected_version=case.version, outcome=O.REJECTED, reason="Trùng lặp"
    )
    with pytest.raises(TransitionNotAllowed):
        cases.reopen(case.tracking_code, reason="Tôi không đồng ý với việc không thụ lý.")


def test_confirmation_records_the_reporters_word_once(by: By) -> None:
    case = move(submit(), S.ANSWERED)
    case = cases.confirm_solved(case.tracking_code.lower())
    assert case.citizen_solved is True
    version = case.version
    assert cases.confirm_solved(case.tracking_code).version == version


def test_publishing_refuses_personal_data_and_accepts_the_proposal(by: By) -> None:
    from trongtam.feedback.domain.redaction import redact

    case = move(submit(), S.ANSWERED)
    head = by("ct.xa01")
    with pytest.raises(RuleViolations):
        cases.publish(case.pk, by=head, expected_version=case.version, public_answer=case.answer)
    proposal = redact(case.answer, case)
    assert REPORTER["name"] not in proposal
    assert "0987" not in proposal
    case = cases.publish(case.pk, by=head, expected_version=case.version, public_answer=proposal)
    assert case.is_published
    assert case.public_answer == proposal


def test_only_answered_cases_are_published(by: By) -> None:
    case = move(submit(), S.IN_HANDLING)
    with pytest.raises(TransitionNotAllowed):
        cases.publish(
            case.pk, by=by("vanphong"), expected_version=case.version, public_answer="Đã giải quyết xong."
        )


def test_only_people_of_the_unit_are_named_as_the_official(by: By) -> None:
    case = submit()
    with pytest.raises(RuleViolations):
        cases.match_official(case.pk, by=by("vanphong"), expected_version=case.version, official=by("cv.sct"))
    assert Person.objects.filter(feedback_about=case).count() == 0
