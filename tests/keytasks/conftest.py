from __future__ import annotations

from typing import Any

import pytest

from trongtam.core.management.commands.seed_demo import Command as SeedDemo
from trongtam.cycles.models import AssignedTask, Period
from trongtam.keytasks.domain.registration import TaskInput, create_registration, save_task
from trongtam.keytasks.models import Registration
from trongtam.org.models import Person, Unit


def complete_tasks(unit: Unit, period: Period) -> list[TaskInput]:
    """A list of tasks that satisfies every rule of the period for `unit` (3 own, 5 common, 1 assigned)."""
    departments = {u.code: u for u in Unit.objects.filter(code__in=["STC", "SKHCN"])}
    assigned = AssignedTask.objects.get(period=period, unit=unit)
    return SeedDemo._tasks(unit, list(period.common_tasks.all()), assigned, departments)


def register(head: Person, period: Period, tasks: list[TaskInput]) -> Registration:
    registration = create_registration(period=period, by=head)
    for data in tasks:
        registration.refresh_from_db()
        save_task(registration_id=registration.pk, by=head, data=data, expected_version=registration.version)
    registration.refresh_from_db()
    return registration


@pytest.fixture
def stc_registration(person: Any, unit: Any, period: Period) -> Registration:
    """Sở Tài chính's registration, complete and still a draft (the demo leaves STC without one)."""
    return register(person("gd.stc"), period, complete_tasks(unit("STC"), period))
