"""The registration workflow table, as properties; then the database agreeing with it for random steps."""

from __future__ import annotations

import itertools
from collections import deque
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from trongtam.core.errors import RuleViolations, TransitionNotAllowed
from trongtam.core.models import AuditEntry
from trongtam.keytasks.domain.registration import transition_registration
from trongtam.keytasks.enums import RegistrationAction as A
from trongtam.keytasks.enums import RegistrationStatus as S
from trongtam.keytasks.models import Registration, StatusChange
from trongtam.keytasks.workflow import TRANSITIONS, available_actions, next_status

STATUSES = frozenset(S.values)
actions = st.sampled_from(list(A))


def step(status: str, action: A) -> str:
    """The status after trying `action`: a refused action leaves the status as it was."""
    return next_status(status, action) or status


def reachable_from(status: str) -> set[str]:
    seen, queue = {status}, deque([status])
    while queue:
        current = queue.popleft()
        for action in available_actions(current):
            target = next_status(current, action)
            assert target is not None
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


# -- the pure table ------------------------------------------------------------------------------------------


def test_every_transition_names_real_states_and_every_state_has_a_way_out() -> None:
    for transition in TRANSITIONS.values():
        assert transition.sources <= STATUSES
        assert transition.target in STATUSES
    assert all(available_actions(status) for status in STATUSES)


def test_the_actions_that_need_a_comment_are_return_request_change_and_reject_change() -> None:
    assert {a for a, t in TRANSITIONS.items() if t.needs_comment} == {
        A.RETURN,
        A.REQUEST_CHANGE,
        A.REJECT_CHANGE,
    }


def test_every_state_reachable_from_draft_can_reach_approved() -> None:
    from_draft = reachable_from(S.DRAFT)
    assert from_draft == STATUSES  # nothing in the enum is dead
    for status in from_draft:
        assert S.APPROVED in reachable_from(status), status


def test_nothing_leads_back_to_draft() -> None:
    assert S.DRAFT not in {t.target for t in TRANSITIONS.values()}


@given(status=st.sampled_from(sorted(STATUSES)), action=actions)
def test_available_actions_are_exactly_those_next_status_accepts(status: str, action: A) -> None:
    assert (action in available_actions(status)) == (next_status(status, action) is not None)


@given(action=actions)
def test_approved_is_left_only_by_a_change_request(action: A) -> None:
    target = next_status(S.APPROVED, action)
    if action == A.REQUEST_CHANGE:
        assert target == S.CHANGE_REQUESTED
    else:
        assert target is None


@given(st.lists(actions, max_size=30))
def test_any_sequence_of_actions_from_draft_stays_inside_the_workflow(sequence: list[A]) -> None:
    status: str = S.DRAFT
    for action in sequence:
        before, status = status, step(status, action)
        assert status in STATUSES
        if before == S.APPROVED and status != S.APPROVED:
            assert action == A.REQUEST_CHANGE
        if status != before:  # every move is one the table lists, and lands where it says
            assert action in available_actions(before)
            assert status == TRANSITIONS[action].target


class RegistrationWorkflow(RuleBasedStateMachine):
    """Random walks over the table, checking the invariants after every step."""

    def __init__(self) -> None:
        super().__init__()
        self.status: str = S.DRAFT
        self.approved_once = False
        self.history: list[tuple[str, A, str]] = []

    @rule(action=actions)
    def try_action(self, action: A) -> None:
        before = self.status
        self.status = step(before, action)
        self.history.append((before, action, self.status))
        self.approved_once = self.approved_once or self.status == S.APPROVED

    @precondition(lambda self: self.status == S.APPROVED)
    @rule(action=actions.filter(lambda a: a != A.REQUEST_CHANGE))
    def anything_but_a_change_request_keeps_the_lock(self, action: A) -> None:
        assert step(self.status, action) == S.APPROVED

    @invariant()
    def status_is_a_known_state(self) -> None:
        assert self.status in STATUSES

    @invariant()
    def approval_is_still_reachable(self) -> None:
        assert S.APPROVED in reachable_from(self.status)

    @invariant()
    def once_approved_never_back_to_draft(self) -> None:
        if self.approved_once:
            assert self.status != S.DRAFT

    @invariant()
    def approved_is_left_only_by_a_change_request(self) -> None:
        for before, action, after in self.history:
            if before == S.APPROVED and after != S.APPROVED:
                assert action == A.REQUEST_CHANGE


TestRegistrationWorkflow = RegistrationWorkflow.TestCase
TestRegistrationWorkflow.settings = settings(max_examples=60, stateful_step_count=25, deadline=None)


# -- the database agrees with the table ----------------------------------------------------------------------

# Who may do what on Sở Tài chính's registration (the spec, written out rather than asked of the rules).
MAY = {
    "gd.stc": {A.SUBMIT, A.REQUEST_CHANGE},
    "pct.kinhte": {A.RETURN, A.APPROVE, A.APPROVE_CHANGE, A.REJECT_CHANGE},
    "chutich": {A.RETURN, A.APPROVE, A.APPROVE_CHANGE, A.REJECT_CHANGE},
    "pct.vanxa": set(),  # in charge of other units
    "pgd.stc": set(),  # the deputy sees the registration but does not act on it
}


def expected_outcome(
    status: str, username: str, action: A, comment: str
) -> tuple[str, type[Exception] | None]:
    """(status after, exception expected) for one step, as the workflow table and the role table predict."""
    t = TRANSITIONS[action]
    if action not in MAY[username]:
        return status, PermissionDenied
    if status == t.target and status not in t.sources:
        return status, None  # repeating what produced the current state is a no-op
    if status not in t.sources:
        return status, TransitionNotAllowed
    if t.needs_comment and not comment.strip():
        return status, RuleViolations  # a comment is missing: the problem names the "comment" field
    return t.target, None


any_step = st.tuples(st.sampled_from(sorted(MAY)), actions, st.sampled_from(["", "  ", "Đề nghị bổ sung"]))


def likely_step(status: str) -> st.SearchStrategy[tuple[str, A, str]]:
    """A step the table allows from `status`, by someone entitled to it, usually with a comment."""
    return st.sampled_from(available_actions(status)).flatmap(
        lambda action: st.tuples(
            st.sampled_from(sorted(u for u, allowed in MAY.items() if action in allowed)),
            st.just(action),
            st.sampled_from(["Ý kiến xử lý", "Ý kiến xử lý", ""]),
        )
    )


def transition_audit_count(registration: Registration) -> int:
    return AuditEntry.objects.filter(
        root_type="keytasks.registration", root_id=str(registration.pk), action="transition"
    ).count()


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), length=st.integers(1, 12))
def test_random_steps_through_the_domain_end_where_the_table_says(
    stc_registration: Registration, person: Any, data: st.DataObject, length: int
) -> None:
    people = {username: person(username) for username in MAY}
    with transaction.atomic():  # each example starts from the same complete draft: roll it back afterwards
        status: str = stc_registration.status
        for _ in range(length):
            username, action, comment = data.draw(st.one_of(likely_step(status), any_step))
            expected_status, expected_error = expected_outcome(status, username, action, comment)
            changes_before = StatusChange.objects.count()
            audit_before = registration_entries(stc_registration)

            if expected_error is None:
                result = transition_registration(
                    stc_registration.pk, action, by=people[username], comment=comment
                )
                assert result.status == expected_status
            else:
                with pytest.raises(expected_error) as caught:
                    transition_registration(stc_registration.pk, action, by=people[username], comment=comment)
                assert type(caught.value) is expected_error

            moved = expected_status != status
            assert StatusChange.objects.count() == changes_before + moved
            assert registration_entries(stc_registration) == audit_before + moved
            status = expected_status
            event(f"reached {status}")
            assert Registration.objects.get(pk=stc_registration.pk).status == status

        registration = Registration.objects.get(pk=stc_registration.pk)
        history = list(
            registration.status_changes.order_by("pk").values_list("action", "from_status", "to_status")
        )
        if history:  # the recorded steps form one chain from the draft to the status now stored
            assert history[0][1] == S.DRAFT
            assert history[-1][2] == registration.status
            assert all(prev[2] == nxt[1] for prev, nxt in itertools.pairwise(history))
        assert transition_audit_count(registration) == len(history)
        assert registration.approved_versions.count() == [a for a, _f, _t in history].count(A.APPROVE)
        transaction.set_rollback(True)


def registration_entries(registration: Registration) -> int:
    """Audit entries on the registration's own page (approval also audits the followed tasks it creates)."""
    return AuditEntry.objects.filter(root_type="keytasks.registration", root_id=str(registration.pk)).count()
