"""Apology letters under real concurrent transactions (PostgreSQL): two leaders approving at once get two numbers,
and two sweeps at once draft each letter once."""

from __future__ import annotations

import datetime as dt

from tests.concurrency import concurrent, run_in_threads
from tests.dossiers.factories import at, make_dossier, make_procedure
from trongtam.dossiers.domain.letters import LetterAction, act, draft_letter, sweep
from trongtam.dossiers.models import ApologyLetter
from trongtam.org.models import Person
from trongtam.workdays.domain.queries import work_calendar

MONDAY = dt.date(2026, 3, 2)
LAST_DAY = dt.date(2026, 3, 6)


def _awaiting(officer: Person) -> ApologyLetter:
    dossier = make_dossier("XA01", make_procedure("T-PXL-05", 5), at(MONDAY))
    letter = draft_letter(dossier.pk, by=officer, expected_version=None, today=LAST_DAY)
    return act(
        letter.pk, LetterAction.SUBMIT, by=officer, expected_version=letter.version, reason="Chờ xác minh"
    )


@concurrent
def test_two_approvals_at_once_get_two_numbers() -> None:
    officer = Person.objects.get(username="cc.xa01")
    first, second = _awaiting(officer), _awaiting(officer)
    head, deputy = Person.objects.get(username="ct.xa01"), Person.objects.get(username="pct.xa01")

    outcomes = run_in_threads(
        lambda: act(first.pk, LetterAction.APPROVE, by=head, expected_version=first.version).number,
        lambda: act(second.pk, LetterAction.APPROVE, by=deputy, expected_version=second.version).number,
    )

    assert [o.error for o in outcomes] == [None, None]
    numbers = sorted(int(o.value.split("/")[0]) for o in outcomes)
    assert numbers[1] == numbers[0] + 1


@concurrent
def test_two_sweeps_at_once_draft_each_letter_once() -> None:
    dossiers = [make_dossier("XA01", make_procedure("T-PXL-05", 5), at(MONDAY)) for _ in range(3)]

    outcomes = run_in_threads(
        lambda: sweep(LAST_DAY, work_calendar()),
        lambda: sweep(LAST_DAY, work_calendar()),
    )

    assert [o.error for o in outcomes] == [None, None]
    assert ApologyLetter.objects.filter(dossier__in=dossiers).count() == 3
