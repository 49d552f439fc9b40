"""Two reviewers acting on the same score sheet at once: one wins, the other is told who did, nothing is lost.

Two real transactions in two threads (PostgreSQL): both read the sheet's version, as two open pages would, then
act together. The "hold" test makes the interleaving certain: the first reviewer's transaction writes and stays
open until the second is seen waiting for the sheet's row lock. The same conflict one after the other is in
test_rounds.py and runs on every database.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction

from tests.assessment.conftest import MANUAL, fresh, vc_of
from tests.concurrency import concurrent, run_in_threads, wait_until_someone_waits_for_a_lock
from trongtam.assessment.domain import rounds
from trongtam.assessment.enums import SheetStatus
from trongtam.assessment.models import ScoreChange, ScoreSheet
from trongtam.core.audit import verify_chain
from trongtam.core.errors import StaleEdit
from trongtam.org.models import AreaOfCharge, Person


def _in_review(open_small_round: Any) -> tuple[ScoreSheet, Person, Person]:
    """STC's sheet scored and submitted by its head, and two Vice-Chairmen who may both review it (a second one
    is given charge of STC, as when the Chairman shares a sector between two deputies)."""
    sheet = fresh(open_small_round(["STC"]).sheets.get(unit__code="STC"))
    for code, value in MANUAL.items():
        sheet = fresh(sheet)
        rounds.enter_points(sheet.pk, code, points=value, by=sheet.person, expected_version=sheet.version)
    sheet = fresh(sheet)
    rounds.submit(sheet.pk, by=sheet.person, expected_version=sheet.version)
    first = vc_of(sheet)
    second = Person.objects.filter(role=first.role).exclude(pk=first.pk).order_by("username").first()
    assert second is not None
    area = AreaOfCharge.objects.create(vice_chairman=second, name="Tài chính (phụ trách cùng)")
    area.units.add(sheet.unit)
    return fresh(sheet), Person.objects.get(pk=first.pk), Person.objects.get(pk=second.pk)


def _lowering(sheet: ScoreSheet, by: Person, points: int, reason: str) -> Callable[[int], ScoreSheet]:
    def act(seen: int) -> ScoreSheet:
        return rounds.enter_points(
            sheet.pk, "CT.3", points=points, reason=reason, by=by, expected_version=seen
        )

    return act


def _together(sheet: ScoreSheet, *acts: Callable[[int], Any]) -> list[Any]:
    barrier = threading.Barrier(len(acts), timeout=10)

    def opened(act: Callable[[int], Any]) -> Callable[[], Any]:
        def call() -> Any:
            seen = ScoreSheet.objects.values_list("version", flat=True).get(pk=sheet.pk)
            barrier.wait()
            return act(seen)

        return call

    return run_in_threads(*(opened(act) for act in acts))


@concurrent
def test_two_reviewers_lower_the_same_criterion_at_once_and_exactly_one_change_is_kept(
    open_small_round: Any,
) -> None:
    sheet, first, second = _in_review(open_small_round)
    assert sheet.status == SheetStatus.REVIEW

    outcomes = _together(
        sheet,
        _lowering(sheet, first, 6, "Còn chậm trả lời kiến nghị của cử tri"),
        _lowering(sheet, second, 4, "Hai văn bản trả lời quá hạn"),
    )

    winners = [i for i, outcome in enumerate(outcomes) if outcome.error is None]
    assert len(winners) == 1, outcomes
    [loser] = [outcome for outcome in outcomes if outcome.error is not None]
    assert isinstance(loser.error, StaleEdit), loser.error
    winner, points, reason = (
        (first, 6, "Còn chậm trả lời kiến nghị của cử tri")
        if winners == [0]
        else (second, 4, "Hai văn bản trả lời quá hạn")
    )
    assert winner.get_full_name() in loser.error.user_message
    sheet = fresh(sheet)
    [change] = ScoreChange.objects.filter(score__sheet=sheet)
    assert (change.before, change.after, change.reason, change.by_id) == (
        Decimal(MANUAL["CT.3"]),
        Decimal(points),
        reason,
        winner.pk,
    )
    assert sheet.scores.get(code="CT.3").points == Decimal(points)
    assert sheet.total == rounds.score_of(sheet).total  # the total is the winner's, never a mix
    assert verify_chain() is None


@concurrent
def test_a_reviewer_passing_the_sheet_on_waits_for_the_other_s_change_then_is_refused(
    open_small_round: Any,
) -> None:
    sheet, first, second = _in_review(open_small_round)
    seen = sheet.version
    written, release = threading.Event(), threading.Event()

    def lower_and_hold() -> None:
        with transaction.atomic():
            rounds.enter_points(
                sheet.pk, "CT.3", points=5, reason="Chưa đạt chỉ tiêu", by=first, expected_version=seen
            )
            written.set()
            assert release.wait(10)

    def pass_on() -> ScoreSheet:
        assert written.wait(10)
        return rounds.finish_review(sheet.pk, by=second, expected_version=seen)

    def watch() -> None:
        assert written.wait(10)
        try:
            wait_until_someone_waits_for_a_lock()
        finally:
            release.set()

    holder, passer, watcher = run_in_threads(lower_and_hold, pass_on, watch)

    assert holder.error is None, holder
    assert watcher.error is None, watcher
    assert isinstance(passer.error, StaleEdit), passer.error
    assert first.get_full_name() in passer.error.user_message
    sheet = fresh(sheet)
    # The lowered point stands and the sheet is still in review: the second reviewer decides again on what is
    # there now, instead of passing on a sheet they have not seen.
    assert (sheet.status, sheet.scores.get(code="CT.3").points) == (SheetStatus.REVIEW, Decimal(5))
    assert sheet.version == seen + 1
