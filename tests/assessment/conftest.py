"""A small assessment round over the demo province: a few heads, the demo's 2026 rubric, real data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Q

from trongtam.assessment.domain import rounds
from trongtam.assessment.models import CriterionScore, Round, RubricVersion, ScoreSheet
from trongtam.cycles.models import Period
from trongtam.dossiers.models import ApologyLetter, Dossier
from trongtam.feedback.models import Feedback
from trongtam.followup.models import Task
from trongtam.inspections.models import Violation
from trongtam.org.domain.queries import vice_chairmen_in_charge_of
from trongtam.org.enums import Role
from trongtam.org.models import Person, Unit

CUT_OFF = dt.date(2026, 11, 30)
# Manual criteria of the demo rubric and their maxima: CT.1–CT.4 (30), KQ.5 (10), the bonus TH (5).
MANUAL = {"CT.1": 8, "CT.2": 7, "CT.3": 10, "CT.4": 5, "KQ.5": 10, "TH": 5}


def only_heads_of(codes: list[str]) -> None:
    """Leave active only the heads of `codes` (inside the test's transaction), so a round stays small."""
    Person.objects.filter(role=Role.HEAD).exclude(unit__code__in=codes).update(is_active=False)


def clear_followup(codes: list[str]) -> None:
    """Nothing measured for these units -- no follow-up task, dossier, feedback case or inspection violation: every
    automatic criterion then has nothing to measure."""
    units = Unit.objects.filter(code__in=codes)
    Task.objects.filter(Q(lead_unit__in=units) | Q(registration__unit__in=units)).delete()
    clear_citizen_data(codes)


def clear_citizen_data(codes: list[str]) -> None:
    """No dossier, feedback case or inspection violation for these units (issue #5's criteria measure nothing)."""
    units = Unit.objects.filter(code__in=codes)
    Feedback.objects.filter(Q(unit__in=units) | Q(dossier__unit__in=units)).delete()
    ApologyLetter.objects.filter(dossier__unit__in=units).delete()
    Dossier.objects.filter(unit__in=units).delete()
    Violation.objects.filter(inspection__unit__in=units).delete()


def key_tasks_not_due(rnd: Round) -> None:
    """Without an approved registration the key-task rates are 0 %; these tests want the case of units whose
    approved key tasks are not due yet: nothing to measure, so the criteria give their maximum."""
    rubric = rounds.rubric_of(rnd.rubric)
    for code in ("KQ.2", "KQ.3"):
        criterion = rubric.find(code)
        assert criterion is not None
        CriterionScore.objects.filter(sheet__round=rnd, code=code).update(
            metric_value=None, record_ids=[], points=criterion.max_points
        )
    for sheet in rnd.sheets.all():
        sheet.total = rounds.score_of(sheet).total
        sheet.save(update_fields=["total"])


@pytest.fixture
def rubric_2026(db: None) -> RubricVersion:
    return RubricVersion.objects.get(period__year=2026, number=1)


@pytest.fixture
def open_small_round(person: Any, period: Period, rubric_2026: RubricVersion) -> Callable[..., Round]:
    def open_(codes: list[str], *, name: str = "Đánh giá năm 2026") -> Round:
        only_heads_of(codes)
        return rounds.open_round(period, rubric_2026, name=name, cut_off=CUT_OFF, by=person("noivu"))

    return open_


def fresh(sheet: ScoreSheet) -> ScoreSheet:
    return ScoreSheet.objects.select_related("round__rubric", "unit", "person").get(pk=sheet.pk)


def vc_of(sheet: ScoreSheet) -> Person:
    vc = vice_chairmen_in_charge_of(sheet.unit).first()
    assert vc is not None
    return vc


def take_to_verified(
    sheet: ScoreSheet, points: Mapping[str, int | Decimal], *, home_affairs: Person
) -> ScoreSheet:
    """The head scores every manual criterion and submits; the VC in charge and Home Affairs pass it on."""
    head = sheet.person
    for code, value in points.items():
        sheet = fresh(sheet)
        rounds.enter_points(sheet.pk, code, points=value, by=head, expected_version=sheet.version)
    sheet = fresh(sheet)
    rounds.submit(sheet.pk, by=head, expected_version=sheet.version)
    sheet = fresh(sheet)
    rounds.finish_review(sheet.pk, by=vc_of(sheet), expected_version=sheet.version)
    sheet = fresh(sheet)
    rounds.verify(sheet.pk, by=home_affairs, expected_version=sheet.version)
    return fresh(sheet)


# The staff evaluation's fixtures (issue #4, item 6), shared by tests/assessment/test_staff_*.py.
from tests.assessment.staff_support import signed_round, started  # noqa: E402, F401


def manual_for(total: int) -> dict[str, int]:
    """Manual points that bring a sheet with 60 automatic points (nothing to measure) to `total` (60..100)."""
    rest, points = total - 60, {}
    for code in ("CT.1", "CT.2", "CT.3", "CT.4", "KQ.5"):
        points[code] = min(rest, MANUAL[code])
        rest -= points[code]
    points["TH"] = 0
    return points


@pytest.fixture
def small_round(open_small_round: Any) -> Round:
    rnd: Round = open_small_round(["STC", "SCT"])
    return rnd


@pytest.fixture
def quota_round(open_small_round: Any, person: Any) -> Round:
    """Six department heads, all verified: two at ≥ 90 and four at 80, so the quota keeps only one excellent."""
    totals = {"SCT": 98, "SKHCN": 93, "SNNMT": 80, "STC": 80, "SXD": 80, "SNV": 80}
    clear_followup(list(totals))
    rnd = open_small_round(list(totals))
    key_tasks_not_due(rnd)
    for code, total in totals.items():
        take_to_verified(rnd.sheets.get(unit__code=code), manual_for(total), home_affairs=person("noivu"))
    return Round.objects.get(pk=rnd.pk)
