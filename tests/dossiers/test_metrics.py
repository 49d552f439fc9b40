"""Dossier metrics for the assessment rubric: the head's unit over the period to the cut-off, the records behind
each value, and a batch form that equals the one-by-one values with a constant number of queries."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.dossiers.factories import at, make_dossier, make_procedure
from trongtam.assessment.domain.rubric import METRICS
from trongtam.cycles.models import Period
from trongtam.dossiers import metrics
from trongtam.dossiers.enums import DossierStatus, LetterStatus, Satisfaction
from trongtam.dossiers.models import ApologyLetter, Dossier, DossierRating
from trongtam.org.enums import UnitKind
from trongtam.org.models import Unit

pytestmark = pytest.mark.django_db

S = DossierStatus
CUT_OFF = dt.date(2026, 6, 30)
_codes = itertools.count(1)


def d(month: int, day: int) -> dt.date:
    return dt.date(2026, month, day)


def fresh_unit() -> Unit:
    province = Unit.objects.get(kind=UnitKind.PROVINCE)
    return Unit.objects.create(
        code=f"XATKM{next(_codes)}", name="Xã Đo Lường", kind=UnitKind.COMMUNE, parent=province
    )


def emptied(unit: Unit) -> Unit:
    """A demo unit without dossiers, whatever the demo holds."""
    ApologyLetter.objects.filter(dossier__unit=unit).delete()
    Dossier.objects.filter(unit=unit).delete()
    return unit


def done(unit: Unit, finished: dt.date, due: dt.date, status: int = S.DONE, **fields: Any) -> Dossier:
    procedure = make_procedure("T-TK-MET")
    return make_dossier(unit, procedure, at(d(3, 2)), status, finished_on=finished, due_date=due, **fields)


def letter(dossier: Dossier, status: str, approved: dt.date | None) -> ApologyLetter:
    return ApologyLetter.objects.create(
        dossier=dossier,
        reason="Chờ kết quả xác minh",
        new_due_date=d(6, 1),
        status=status,
        approved_at=at(approved) if approved else None,
    )


def rate(dossier: Dossier, level: int, on: dt.date) -> None:
    rating = DossierRating.objects.create(dossier=dossier, satisfaction=level)
    DossierRating.objects.filter(pk=rating.pk).update(rated_at=at(on))


def test_the_on_time_rate_of_the_heads_unit_names_the_late_dossiers(
    period: Period, person: Any, unit: Any
) -> None:
    xa05 = emptied(unit("XA05"))
    done(xa05, d(3, 5), d(3, 9))  # early
    done(xa05, d(3, 9), d(3, 9))  # on time
    late = done(xa05, d(3, 12), d(3, 9))
    done(xa05, d(3, 12), d(3, 9), S.WITHDRAWN)  # counted with on time
    done(xa05, d(7, 2), d(3, 9))  # finished after the cut-off: open (overdue) at it, not settled
    measured = metrics.on_time_rate(person("ct.xa05"), period, CUT_OFF)
    assert measured.value == Decimal("75.00")
    assert measured.record_ids == (late.pk,)
    assert measured.record_kind == "dossiers.dossier"
    assert metrics.on_time_rate(xa05, period, CUT_OFF) == measured


def test_nothing_to_measure_without_settled_dossiers(period: Period) -> None:
    unit = fresh_unit()
    assert metrics.on_time_rate(unit, period, CUT_OFF).value is None
    make_dossier(unit, make_procedure("T-TK-MET"), at(d(3, 2)), S.IN_PROCESS)
    assert metrics.on_time_rate(unit, period, CUT_OFF).value is None
    assert metrics.apology_letters_per_1000(unit, period, CUT_OFF).value == Decimal("0.00")
    assert metrics.satisfaction_rate(unit, period, CUT_OFF).value is None


def test_apology_letters_per_thousand_received(period: Period) -> None:
    unit = fresh_unit()
    first, second, third, fourth = (done(unit, d(3, 20), d(3, 9)) for _ in range(4))
    letter(first, LetterStatus.SENT, d(3, 6))
    letter(second, LetterStatus.APPROVED, d(3, 6))
    letter(third, LetterStatus.DRAFT, None)  # not issued
    letter(fourth, LetterStatus.SENT, d(7, 6))  # after the cut-off
    measured = metrics.apology_letters_per_1000(unit, period, CUT_OFF)
    assert measured.value == Decimal("500.00")  # 2 letters for 4 dossiers received
    assert measured.record_ids == tuple(sorted((first.pk, second.pk)))


def test_the_satisfaction_rate_counts_satisfied_and_very_satisfied(period: Period) -> None:
    unit = fresh_unit()
    happy, pleased, unhappy, later = (done(unit, d(3, 5), d(3, 9)) for _ in range(4))
    rate(happy, Satisfaction.VERY_SATISFIED, d(3, 6))
    rate(pleased, Satisfaction.SATISFIED, d(3, 6))
    rate(unhappy, Satisfaction.NEUTRAL, d(3, 6))
    rate(later, Satisfaction.VERY_DISSATISFIED, d(7, 1))  # after the cut-off
    measured = metrics.satisfaction_rate(unit, period, CUT_OFF)
    assert measured.value == Decimal("66.67")
    assert measured.record_ids == (unhappy.pk,)


def test_the_metrics_are_registered() -> None:
    assert {
        "dossiers.on_time_rate",
        "dossiers.apology_letters_per_1000",
        "dossiers.satisfaction_rate",
    } <= {metric.code for metric in METRICS}


@pytest.mark.parametrize(
    "code", ["dossiers.on_time_rate", "dossiers.apology_letters_per_1000", "dossiers.satisfaction_rate"]
)
def test_the_batch_equals_one_by_one_with_constant_queries(period: Period, person: Any, code: str) -> None:
    metric = METRICS.get(code)
    assert metric is not None
    assert metric.compute_many is not None
    units = [fresh_unit() for _ in range(5)]
    for index, unit in enumerate(units):
        for offset in range(index):
            made = done(unit, d(3, 5 + 3 * offset), d(3, 9))
            rate(made, 1 + (index + offset) % 5, d(3, 20))
            if offset % 2:
                letter(made, LetterStatus.SENT, d(3, 7))
    subjects: list[Any] = [*units, person("ct.xa07"), person("chutich"), units[2]]
    with CaptureQueriesContext(connection) as few:
        metric.compute_many(subjects[:2], period, CUT_OFF)
    with CaptureQueriesContext(connection) as many:
        batch = metric.measure_many(subjects, period, CUT_OFF)
    assert len(many) == len(few)
    assert batch == [metric.compute(subject, period, CUT_OFF) for subject in subjects]
    for value in batch:
        assert value.record_kind == "dossiers.dossier"
        if code != "dossiers.apology_letters_per_1000" and value.value is not None:
            assert Decimal(0) <= value.value <= Decimal(100)
