"""The scope rule and the scope query agree: for every kind and state of an inspection and every role, the
inspection is in `visible_inspections(user)` exactly when `inspections.view_inspection` allows it."""

from __future__ import annotations

import itertools

import pytest

from tests.inspections.factories import by, make_inspection
from trongtam.inspections.domain.queries import visible_inspections
from trongtam.inspections.enums import InspectionKind, InspectionStatus
from trongtam.inspections.models import Inspection
from trongtam.inspections.rules import is_announced

pytestmark = pytest.mark.django_db

USERS = [
    "chutich", "pct.kinhte", "pct.vanxa", "vanphong", "noivu", "ct.xa05", "pct.xa05", "cc.xa05", "ct.xa06",
    "pgd.snv", "cv.snv", "cv2.snv", "hdnd", "congdan", "quantri",
]  # fmt: skip


def test_the_query_and_the_rule_agree_for_every_kind_state_and_role() -> None:
    inspection = make_inspection()
    people = [by(u) for u in USERS]
    for kind, status in itertools.product(InspectionKind.values, InspectionStatus.values):
        Inspection.objects.filter(pk=inspection.pk).update(kind=kind, status=status)
        current = Inspection.objects.prefetch_related("members").get(pk=inspection.pk)
        for person in people:
            in_query = visible_inspections(person).filter(pk=inspection.pk).exists()
            assert in_query == person.has_perm("inspections.view_inspection", current), (
                kind,
                status,
                person.username,
            )


@pytest.mark.parametrize(
    ("kind", "status", "announced"),
    [
        (InspectionKind.REGULAR, InspectionStatus.PLANNED, True),
        (InspectionKind.SURPRISE, InspectionStatus.PLANNED, False),
        (InspectionKind.SURPRISE, InspectionStatus.DONE, True),
        (InspectionKind.SURPRISE, InspectionStatus.CLOSED, True),
    ],
)
def test_a_surprise_is_announced_only_once_held(kind: str, status: str, announced: bool) -> None:
    assert is_announced(None, Inspection(kind=kind, status=status)) is announced
