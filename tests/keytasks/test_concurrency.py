"""Two people acting on the same registration at once: one wins, the other is told who did, nothing is lost.

The PostgreSQL tests run two real transactions in two threads, each thread with its own connection. Both read
the version first, as two open pages would, then a barrier releases them together. The "hold" tests make the
interleaving certain rather than likely: the first transaction writes and stays open until the second one is
seen waiting for the row lock. On SQLite the same conflicts are checked one after the other.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from tests.concurrency import Outcome, concurrent, run_in_threads, wait_until_someone_waits_for_a_lock
from trongtam.core.audit import verify_chain
from trongtam.core.errors import StaleEdit, TransitionNotAllowed
from trongtam.core.models import AuditEntry
from trongtam.cycles.models import Period
from trongtam.keytasks.domain.registration import TaskInput, save_task, transition_registration
from trongtam.keytasks.enums import RegistrationAction as A
from trongtam.keytasks.enums import RegistrationStatus as S
from trongtam.keytasks.enums import TaskKind
from trongtam.keytasks.models import KeyTask, Registration, StatusChange
from trongtam.org.models import Person, Unit


def version_of(registration_id: int) -> int:
    return Registration.objects.values_list("version", flat=True).get(pk=registration_id)


def load(username: str) -> Person:
    return Person.objects.get(username=username)


def registration(code: str) -> Registration:
    return Registration.objects.get(unit__code=code, period__year=2026)


def together(registration_id: int, *acts: Callable[[int], Any]) -> list[Outcome]:
    """Each act opens the page (reads the version), waits for the others, then acts with what it read."""
    barrier = threading.Barrier(len(acts), timeout=10)

    def opened(act: Callable[[int], Any]) -> Callable[[], Any]:
        def call() -> Any:
            seen = version_of(registration_id)
            barrier.wait()
            return act(seen)

        return call

    return run_in_threads(*(opened(act) for act in acts))


def deciding(reg: Registration, by: Person, action: A, comment: str) -> Callable[[int], Registration]:
    def act(seen: int) -> Registration:
        return transition_registration(reg.pk, action, by=by, comment=comment, expected_version=seen)

    return act


def editing(reg: Registration, task: KeyTask, by: Person, title: str) -> Callable[[int], KeyTask]:
    def act(seen: int) -> KeyTask:
        return save_task(
            registration_id=reg.pk, by=by, data=edit_of(task, title), expected_version=seen, task_id=task.pk
        )

    return act


# -- (a) two reviewers decide the same submission ------------------------------------------------------------


@concurrent
def test_two_reviewers_decide_at_once_and_exactly_one_wins() -> None:
    chairman = load("chutich")
    rounds = [
        ("SCT", load("pct.kinhte"), A.APPROVE, chairman, A.RETURN),
        ("XA01", chairman, A.APPROVE, load("pct.kinhte"), A.APPROVE),
        ("XA11", load("pct.vanxa"), A.RETURN, chairman, A.APPROVE),
    ]
    for code, first_by, first_action, second_by, second_action in rounds:
        reg = registration(code)
        assert reg.status == S.SUBMITTED
        changes_before = reg.status_changes.count()

        outcomes = together(
            reg.pk,
            deciding(reg, first_by, first_action, "Ý kiến thứ nhất"),
            deciding(reg, second_by, second_action, "Ý kiến thứ hai"),
        )

        winners = [i for i, o in enumerate(outcomes) if o.error is None]
        assert len(winners) == 1, (code, outcomes)
        [loser] = [o for o in outcomes if o.error is not None]
        assert isinstance(loser.error, StaleEdit), (code, loser.error)
        winner_by, winner_action = (first_by, first_action) if winners == [0] else (second_by, second_action)
        assert winner_by.get_full_name() in loser.error.user_message
        reg.refresh_from_db()
        assert reg.status == (S.APPROVED if winner_action == A.APPROVE else S.RETURNED)
        assert reg.status_changes.count() == changes_before + 1
        last = reg.status_changes.order_by("-pk").first()
        assert last is not None
        assert (last.by_id, last.action) == (winner_by.pk, winner_action)
        assert reg.approved_versions.count() == int(winner_action == A.APPROVE)
    assert verify_chain() is None


@concurrent
def test_a_reviewer_waits_for_the_other_reviewer_s_transaction_then_is_refused() -> None:
    vc, chairman = load("pct.kinhte"), load("chutich")
    reg = registration("SCT")
    seen = reg.version
    changes_before = reg.status_changes.count()
    written, release = threading.Event(), threading.Event()
    not_locked: list[str] = []

    def approve_and_hold() -> None:
        with transaction.atomic():
            transition_registration(reg.pk, A.APPROVE, by=vc, expected_version=seen)
            written.set()
            assert release.wait(10)

    def return_it() -> Registration:
        assert written.wait(10)
        return transition_registration(
            reg.pk, A.RETURN, by=chairman, comment="Xem lại", expected_version=seen
        )

    def release_when_the_other_waits() -> None:
        assert written.wait(10)
        # Only the registration row is locked: the period and the unit stay free for everybody else.
        with transaction.atomic():
            Period.objects.select_for_update(nowait=True).get(pk=reg.period_id)
            Unit.objects.select_for_update(nowait=True).get(pk=reg.unit_id)
            not_locked.append("period and unit")
        wait_until_someone_waits_for_a_lock()
        release.set()

    def watch() -> None:
        try:
            release_when_the_other_waits()
        finally:
            release.set()

    holder, second, watcher = run_in_threads(approve_and_hold, return_it, watch)

    assert holder.error is None
    assert watcher.error is None, watcher.error
    assert not_locked == ["period and unit"]
    assert isinstance(second.error, StaleEdit), second.error
    assert vc.get_full_name() in second.error.user_message
    reg.refresh_from_db()
    assert reg.status == S.APPROVED
    assert reg.status_changes.count() == changes_before + 1
    assert reg.approved_versions.count() == 1


# -- (b) the head edits while the reviewer approves ----------------------------------------------------------


def edit_of(task: KeyTask, title: str) -> TaskInput:
    return TaskInput(
        kind=task.kind,
        title=title,
        deadline=task.deadline,
        lead_unit_id=task.lead_unit_id,
        product="Sản phẩm đã sửa",
        common_task_id=task.common_task_id,
        assigned_task_id=task.assigned_task_id,
        milestones=[("Mốc mới", task.deadline)],
    )


def task_state(task_id: int) -> tuple[Any, ...]:
    task = KeyTask.objects.get(pk=task_id)
    return (
        task.title,
        task.product,
        sorted(task.coordinating_units.values_list("pk", flat=True)),
        list(task.milestones.values_list("title", "due_date")),
    )


def edit_while_approving(code: str, head: str, reviewer: str) -> None:
    reg = registration(code)
    task = reg.tasks.filter(kind=TaskKind.OWN).first()
    assert task is not None
    before = task_state(task.pk)
    on_page = AuditEntry.objects.filter(root_type="keytasks.registration", root_id=str(reg.pk))
    audit_before = on_page.count()

    edited, approved = together(
        reg.pk,
        editing(reg, task, load(head), "Sửa khi đang chờ duyệt"),
        deciding(reg, load(reviewer), A.APPROVE, ""),
    )

    # A submitted registration is not editable: whichever comes first, the head's edit is the one refused.
    assert approved.error is None, approved.error
    assert isinstance(edited.error, StaleEdit | TransitionNotAllowed), edited.error
    reg.refresh_from_db()
    assert reg.status == S.APPROVED
    assert task_state(task.pk) == before
    # the approval, and nothing from the edit (approval also audits the followed tasks, on their own pages)
    assert on_page.count() == audit_before + 1
    version = reg.approved_versions.get()
    assert [t["title"] for t in version.content["tasks"]] == list(
        reg.tasks.order_by("kind", "position", "pk").values_list("title", flat=True)
    )


@concurrent
def test_the_head_editing_while_the_reviewer_approves_is_refused_and_nothing_is_half_written() -> None:
    edit_while_approving("SCT", "gd.sct", "pct.kinhte")
    edit_while_approving("XA11", "ct.xa11", "pct.vanxa")
    assert verify_chain() is None


# -- (c) the same head in two tabs ---------------------------------------------------------------------------


@concurrent
def test_two_tabs_editing_the_same_task_keep_the_first_edit() -> None:
    head = load("gd.sxd")
    reg = registration("SXD")
    assert reg.status == S.RETURNED
    task = reg.tasks.filter(kind=TaskKind.OWN).first()
    assert task is not None
    start_version = reg.version
    outcomes = together(reg.pk, editing(reg, task, head, "Tab một"), editing(reg, task, head, "Tab hai"))

    [winner] = [title for title, o in zip(("Tab một", "Tab hai"), outcomes, strict=True) if o.error is None]
    [loser] = [o for o in outcomes if o.error is not None]
    assert isinstance(loser.error, StaleEdit), loser.error
    assert task_state(task.pk)[0] == winner
    assert version_of(reg.pk) == start_version + 1
    updates = AuditEntry.objects.filter(
        object_type="keytasks.keytask", object_id=str(task.pk), action="update"
    )
    assert [e.changes["title"][1] for e in updates] == [winner]

    # The same again, with the first tab's transaction still open when the second one reads: it must wait.
    seen = version_of(reg.pk)
    written, release = threading.Event(), threading.Event()

    def first_and_hold() -> None:
        with transaction.atomic():
            save_task(
                registration_id=reg.pk,
                by=head,
                data=edit_of(task, "Giữ khoá"),
                expected_version=seen,
                task_id=task.pk,
            )
            written.set()
            assert release.wait(10)

    def second() -> KeyTask:
        assert written.wait(10)
        return save_task(
            registration_id=reg.pk,
            by=head,
            data=edit_of(task, "Ghi đè"),
            expected_version=seen,
            task_id=task.pk,
        )

    def watch() -> None:
        try:
            assert written.wait(10)
            wait_until_someone_waits_for_a_lock()
        finally:
            release.set()

    holder, overwriter, watcher = run_in_threads(first_and_hold, second, watch)

    assert holder.error is None, holder.error
    assert watcher.error is None, watcher.error
    assert isinstance(overwriter.error, StaleEdit), overwriter.error
    assert task_state(task.pk)[0] == "Giữ khoá"
    assert version_of(reg.pk) == start_version + 2
    assert verify_chain() is None


# -- the same conflicts on any database, one after the other -------------------------------------------------


@pytest.mark.django_db
def test_sequentially_the_second_reviewer_gets_stale_edit_naming_the_first(
    registration_of: Any, person: Any
) -> None:
    reg = registration_of("SCT")
    vc, chairman = person("pct.kinhte"), person("chutich")
    seen = reg.version
    changes = StatusChange.objects.filter(registration=reg).count()

    transition_registration(reg.pk, A.APPROVE, by=vc, expected_version=seen)
    with pytest.raises(StaleEdit) as caught:
        transition_registration(reg.pk, A.RETURN, by=chairman, comment="Xem lại", expected_version=seen)

    assert vc.get_full_name() in caught.value.user_message
    reg.refresh_from_db()
    assert reg.status == S.APPROVED
    assert StatusChange.objects.filter(registration=reg).count() == changes + 1


@pytest.mark.django_db
def test_sequentially_the_second_tab_gets_stale_edit_and_the_first_edit_stays(
    registration_of: Any, person: Any
) -> None:
    reg = registration_of("SXD")
    head = person("gd.sxd")
    task = reg.tasks.filter(kind=TaskKind.OWN).first()
    assert task is not None
    seen = reg.version

    save_task(
        registration_id=reg.pk, by=head, data=edit_of(task, "Tab một"), expected_version=seen, task_id=task.pk
    )
    with pytest.raises(StaleEdit):
        save_task(
            registration_id=reg.pk,
            by=head,
            data=edit_of(task, "Tab hai"),
            expected_version=seen,
            task_id=task.pk,
        )

    assert task_state(task.pk)[0] == "Tab một"
    assert version_of(reg.pk) == seen + 1


@pytest.mark.django_db
def test_sequentially_an_approval_after_the_head_s_edit_is_refused(registration_of: Any, person: Any) -> None:
    """The reviewer must not approve content they have not seen: a task saved after they loaded the page."""
    reg = registration_of("SXD")
    head, vc = person("gd.sxd"), person("pct.kinhte")
    task = reg.tasks.filter(kind=TaskKind.OWN).first()
    assert task is not None
    save_task(
        registration_id=reg.pk,
        by=head,
        data=edit_of(task, "Đã sửa"),
        expected_version=reg.version,
        task_id=task.pk,
    )
    reg.refresh_from_db()
    transition_registration(reg.pk, A.SUBMIT, by=head, expected_version=reg.version)
    seen_by_reviewer = version_of(reg.pk)
    with pytest.raises(TransitionNotAllowed):  # locked for the head while it waits for the decision
        save_task(
            registration_id=reg.pk,
            by=head,
            data=edit_of(task, "Sửa lén"),
            expected_version=seen_by_reviewer,
            task_id=task.pk,
        )
    assert (
        transition_registration(reg.pk, A.APPROVE, by=vc, expected_version=seen_by_reviewer).status
        == S.APPROVED
    )
    assert task_state(task.pk)[0] == "Đã sửa"


@pytest.mark.django_db
def test_a_stale_decision_names_whoever_changed_the_registration_last(
    registration_of: Any, person: Any
) -> None:
    """The last change may be an edit, not a workflow step: the message must not blame an older step's actor."""
    reg = registration_of("SXD")  # returned by pct.kinhte, being mended by its head
    head, vc = person("gd.sxd"), person("pct.kinhte")
    task = reg.tasks.filter(kind=TaskKind.OWN).first()
    assert task is not None
    seen = reg.version

    save_task(
        registration_id=reg.pk, by=head, data=edit_of(task, "Tab một"), expected_version=seen, task_id=task.pk
    )
    with pytest.raises(StaleEdit) as caught:  # the submit button of a tab opened before the edit
        transition_registration(reg.pk, A.SUBMIT, by=head, expected_version=seen)

    message = caught.value.user_message
    assert head.get_full_name() in message
    assert vc.get_full_name() not in message
    assert "Bị trả lại" in message  # the current state
    reg.refresh_from_db()
    assert reg.status == S.RETURNED
