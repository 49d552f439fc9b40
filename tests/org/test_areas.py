"""Areas of charge over the whole tree: a division is in the charge of its department's Vice-Chairman."""

from __future__ import annotations

import pytest

from trongtam.org.domain.queries import areas_by_unit, vice_chairmen_in_charge_of
from trongtam.org.models import Unit

pytestmark = pytest.mark.django_db


def test_the_batch_map_agrees_with_the_per_unit_query_for_every_unit() -> None:
    covered = areas_by_unit()
    for unit in Unit.objects.all():
        expected = set(vice_chairmen_in_charge_of(unit).values_list("pk", flat=True))
        assert {a.vice_chairman_id for a in covered[unit.pk]} == expected, unit.code


def test_a_division_inherits_its_departments_area() -> None:
    division = Unit.objects.get(code="STC.P2")
    names = {a.vice_chairman_name for a in areas_by_unit()[division.pk]}
    assert len(names) == 1
    assert {a.sector for a in areas_by_unit()[division.pk]} == {"Kinh tế, tài chính, đầu tư"}
