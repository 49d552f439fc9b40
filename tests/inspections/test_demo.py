from __future__ import annotations

from typing import Any

import pytest

from trongtam.inspections.demo import STORY_TITLE, seed_inspections
from trongtam.inspections.enums import InspectionKind, InspectionStatus, RemedyState, ViolationKind
from trongtam.inspections.models import Inspection

pytestmark = pytest.mark.django_db


def test_the_story_surprise_inspection_at_xa01_found_two_absent_and_one_drinking(
    demo_inspections: None,
) -> None:
    story = Inspection.objects.get(title=STORY_TITLE)
    assert (story.kind, story.status, story.unit.code) == (
        InspectionKind.SURPRISE,
        InspectionStatus.DONE,
        "XA01",
    )
    kinds = sorted((v.kind, v.person.username if v.person else None) for v in story.violations.all())
    assert kinds == [
        (ViolationKind.ABSENCE, "cc.xa01"),
        (ViolationKind.ABSENCE, "pct.xa01"),
        (ViolationKind.ALCOHOL, None),
    ]
    assert sorted(story.violations.values_list("remedy_state", flat=True)) == [
        RemedyState.PENDING,
        RemedyState.PENDING,
        RemedyState.REPORTED,
    ]
    assert story.conducted_on is not None
    assert all(v.remedy_deadline > story.conducted_on for v in story.violations.all())


def test_the_regular_plan_has_held_and_coming_inspections(demo_inspections: None) -> None:
    regular = Inspection.objects.filter(kind=InspectionKind.REGULAR)
    assert sorted(regular.values_list("status", flat=True)) == ["closed", "closed", "planned", "planned"]
    assert regular.filter(body="office").count() == 1


def test_seeding_twice_adds_nothing(demo_inspections: None) -> None:
    count = Inspection.objects.count()
    assert seed_inspections() is False
    assert Inspection.objects.count() == count


def test_the_coming_surprise_inspection_is_hidden_from_its_commune(
    demo_inspections: None, client_for: Any
) -> None:
    coming = Inspection.objects.get(kind=InspectionKind.SURPRISE, status=InspectionStatus.PLANNED)
    assert client_for("ct.xa02").get(coming.get_absolute_url()).status_code == 404
    assert client_for("noivu").get(coming.get_absolute_url()).status_code == 200
