"""Fixtures shared by the directives' page and API tests."""

from __future__ import annotations

import pytest

from tests.followup.factories import make_directive, make_directive_task
from trongtam.directives.models import Directive
from trongtam.followup.models import Task
from trongtam.org.models import Unit


@pytest.fixture
def documents(db: None) -> dict[str, Directive]:
    """Three directives: one to SCT (coordinated by STC), one to SYT, one to SXD (two tasks) -- and no others:
    the demo province's own directives are removed first, so that each role's list is exactly what is expected."""
    Task.objects.filter(directive__isnull=False).delete()
    Directive.objects.all().delete()
    sct = make_directive(number="11/TB-UBND", excerpt="Thúc đẩy xuất khẩu nông sản")
    task = make_directive_task(sct, lead_unit=Unit.objects.get(code="SCT"))
    task.coordinating_units.set([Unit.objects.get(code="STC")])
    syt = make_directive(number="12/CT-UBND", excerpt="Phòng, chống dịch bệnh mùa đông xuân")
    make_directive_task(syt, lead_unit=Unit.objects.get(code="SYT"))
    sxd = make_directive(number="13/KH-UBND", excerpt="Đẩy nhanh tiến độ nhà ở xã hội")
    make_directive_task(sxd, lead_unit=Unit.objects.get(code="SXD"))
    make_directive_task(sxd, lead_unit=Unit.objects.get(code="SXD"), title="Nhiệm vụ thứ hai")
    return {"SCT": sct, "SYT": syt, "SXD": sxd}
