"""Inspections for tests, made through the domain functions (so every row has its audit entry)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from trongtam.inspections.domain.inspections import (
    PlanInput,
    ViolationInput,
    add_violation,
    create_inspection,
    record_results,
)
from trongtam.inspections.enums import InspectingBody, InspectionKind, ViolationKind
from trongtam.inspections.models import Inspection, Violation
from trongtam.org.models import Person, Unit
from trongtam.workdays.domain.queries import work_calendar

HELD_ON = dt.date(2026, 6, 10)  # a Wednesday
PDF = b"%PDF-1.4\n%%EOF\n"


def by(username: str) -> Person:
    return Person.objects.get(username=username)


def plan_input(**changes: Any) -> PlanInput:
    values: dict[str, Any] = {
        "title": "Kiểm tra kỷ luật, kỷ cương hành chính (kiểm thử)",
        "kind": InspectionKind.REGULAR,
        "body": InspectingBody.HOME_AFFAIRS,
        "unit": Unit.objects.get(code="XA05"),
        "scheduled_on": HELD_ON,
        "scope": "Thời giờ làm việc, tác phong, thái độ.",
        "leader": by("pgd.snv"),
        "members": [by("cv.snv")],
    }
    values.update(changes)
    return PlanInput(**values)


def make_inspection(*, creator: str = "noivu", **changes: Any) -> Inspection:
    return create_inspection(plan_input(**changes), by=by(creator))


def held(inspection: Inspection | None = None, *, on: dt.date = HELD_ON, **changes: Any) -> Inspection:
    inspection = inspection or make_inspection(scheduled_on=on, **changes)
    return record_results(
        inspection.pk,
        conducted_on=on,
        findings="Hai công chức vắng mặt không lý do.",
        by=by("noivu"),
        expected_version=None,
        today=max(on, dt.date(2026, 11, 1)),
    )


def violation(
    inspection: Inspection,
    *,
    kind: str = ViolationKind.ABSENCE,
    person: str | None = "cc.xa05",
    deadline: dt.date | None = None,
) -> Violation:
    return add_violation(
        inspection.pk,
        ViolationInput(
            kind=kind,
            description="Vắng mặt buổi sáng không có lý do.",
            person=by(person) if person else None,
            remedy_deadline=deadline,
        ),
        by=by("noivu"),
        expected_version=None,
        calendar=work_calendar(),
    )
