"""Fixtures of the staff-evaluation tests: the heads' round of SCT and STC taken to sign-off through the real
workflow, then the staff evaluations started, filled in, rated."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from tests.assessment.conftest import MANUAL, clear_followup, key_tasks_not_due, take_to_verified
from trongtam.assessment.domain import rounds
from trongtam.assessment.domain import staff_workflow as sw
from trongtam.assessment.models import Round, ScoreSheet, StaffEvaluation
from trongtam.org.models import Person, Unit

UNITS = ["SCT", "STC"]


@pytest.fixture
def signed_round(open_small_round: Any, person: Any) -> Round:
    """The heads of SCT and STC scored, verified and signed by the Chairman."""
    clear_followup(UNITS)
    rnd = open_small_round(UNITS)
    key_tasks_not_due(rnd)
    for sheet in rnd.sheets.all():
        take_to_verified(sheet, MANUAL, home_affairs=person("noivu"))
    rnd.refresh_from_db()
    rounds.sign_round(rnd.pk, by=person("chutich"), expected_version=rnd.version)
    rnd.refresh_from_db()
    return rnd


def set_head_level(rnd: Round, code: str, level: str) -> None:
    """The head's signed level, as a test needs it (the bound on the staff's levels reads it)."""
    ScoreSheet.objects.filter(round=rnd, unit__code=code).update(level=level)


def fresh(evaluation: StaffEvaluation) -> StaffEvaluation:
    return StaffEvaluation.objects.select_related("round", "unit", "person").get(pk=evaluation.pk)


@pytest.fixture
def started(signed_round: Round, person: Any) -> Callable[[str], dict[str, StaffEvaluation]]:
    """Start a unit's evaluations (as its head); returns them by username."""

    def start(code: str = "SCT") -> dict[str, StaffEvaluation]:
        unit = Unit.objects.get(code=code)
        head = Person.objects.get(role="head", unit=unit, is_active=True)
        sw.start_unit(signed_round.pk, unit.pk, by=head)
        return {
            e.person.username: e
            for e in StaffEvaluation.objects.filter(round=signed_round, unit=unit).select_related("person")
        }

    return start


def fill(
    evaluation: StaffEvaluation,
    *,
    general: str = "28",
    done: bool = True,
    failures: int = 0,
    delays: int = 0,
    submit: bool = True,
) -> StaffEvaluation:
    """The official fills in every product the same way, gives their general points and (by default) submits."""
    evaluation = fresh(evaluation)
    products = {
        p.pk: sw.ProductInput(done=done, quality_failures=failures, delays=delays)
        for p in evaluation.products.all()
    }
    sw.save_self(
        evaluation.pk,
        general=general,
        comment="Hoàn thành các sản phẩm được giao.",
        products=products,
        by=evaluation.person,
        expected_version=evaluation.version,
    )
    evaluation = fresh(evaluation)
    if submit:
        sw.submit(evaluation.pk, by=evaluation.person, expected_version=evaluation.version)
        evaluation = fresh(evaluation)
    return evaluation


def rate(
    evaluation: StaffEvaluation, *, general: str | None = None, reason: str = "", facts: Any = None
) -> StaffEvaluation:
    evaluation = fresh(evaluation)
    head = Person.objects.get(role="head", unit=evaluation.unit, is_active=True)
    sw.rate(
        evaluation.pk,
        general=general if general is not None else str(evaluation.general_self),
        reason=reason,
        comment="",
        facts=facts or {},
        by=head,
        expected_version=evaluation.version,
    )
    return fresh(evaluation)


def total_of(evaluation: StaffEvaluation) -> Decimal | None:
    return fresh(evaluation).total
