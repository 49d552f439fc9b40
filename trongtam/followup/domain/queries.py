"""Reads: which followed tasks a person may see (the same scope as `followup.view_task`), and the task list's
filters over them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet

from trongtam.core.search import search
from trongtam.followup.domain.status import deadline_state_expression, outcome_expression, outcome_q
from trongtam.followup.enums import Outcome
from trongtam.followup.models import Task
from trongtam.org.domain.queries import charged_unit_ids
from trongtam.org.enums import UNIT_ROLES, Role
from trongtam.org.rules import is_council, is_province_wide


def sees_every_task(user: Any) -> bool:
    """Province-wide roles and the council follow every task."""
    return bool(is_province_wide.test(user) or is_council.test(user))


def visible_tasks(user: Any) -> QuerySet[Task]:
    """The tasks `user` may view, the same scope as the `followup.view_task` rule, as one filter.

    Unit members see the tasks their unit leads or coordinates; a Vice-Chairman those of the units in
    their charge; province-wide roles and the council see all; anyone else nothing.
    """
    tasks = Task.objects.all()
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return tasks.none()
    if sees_every_task(user):
        return tasks
    if user.role in UNIT_ROLES and user.unit_id is not None:
        units: set[int] = {user.unit_id}
    elif user.role == Role.VICE_CHAIRMAN:
        units = set(user.charged_unit_ids)
    else:
        return tasks.none()
    if not units:
        return tasks.none()
    # Led by one of the units, or coordinated by one: two index lookups, no join that repeats a task per unit.
    coordinated = Task.coordinating_units.through.objects.filter(unit_id__in=units).values("task_id")
    return tasks.filter(Q(lead_unit_id__in=units) | Q(pk__in=coordinated))


@dataclass(frozen=True)
class TaskFilters:
    """What the task list (page and API) may be filtered by; every field is optional."""

    q: str = ""
    unit: str = ""
    lead_unit: int | None = None
    vice_chairman: int | None = None
    source: str = ""
    lifecycle: str = ""
    deadline_state: str = ""
    outcome: str = ""
    delivery: str = ""
    urgent: bool | None = None
    directive: int | None = None
    assigned_from: dt.date | None = None
    assigned_to: dt.date | None = None


def filter_tasks(tasks: QuerySet[Task], filters: TaskFilters, today: dt.date) -> QuerySet[Task]:
    """`tasks` narrowed by `filters`, in SQL: the deadline state and the 2×2 cell through the same expressions
    as every report (`status.py`), the Vice-Chairman through the units in their charge and below."""
    if filters.q:
        tasks = search(tasks, filters.q)
    if filters.unit:
        tasks = search(tasks, filters.unit, field="lead_unit__search_text")
    if filters.lead_unit is not None:
        tasks = tasks.filter(lead_unit_id=filters.lead_unit)
    if filters.vice_chairman is not None:
        from trongtam.org.models import Person

        vice_chairman = Person.objects.filter(pk=filters.vice_chairman, role=Role.VICE_CHAIRMAN).first()
        tasks = (
            tasks.filter(lead_unit_id__in=charged_unit_ids(vice_chairman)) if vice_chairman else tasks.none()
        )
    if filters.source:
        tasks = tasks.filter(source=filters.source)
    if filters.lifecycle:
        tasks = tasks.filter(lifecycle=filters.lifecycle)
    if filters.deadline_state:
        tasks = tasks.alias(_deadline_state=deadline_state_expression(today)).filter(
            _deadline_state=filters.deadline_state
        )
    if filters.outcome:
        tasks = tasks.filter(outcome_q(Outcome(filters.outcome), today))
    if filters.delivery:
        tasks = tasks.filter(delivery=filters.delivery)
    if filters.urgent is not None:
        tasks = tasks.filter(urgent=filters.urgent)
    if filters.directive is not None:
        tasks = tasks.filter(directive_id=filters.directive)
    if filters.assigned_from is not None:
        tasks = tasks.filter(assigned_on__gte=filters.assigned_from)
    if filters.assigned_to is not None:
        tasks = tasks.filter(assigned_on__lte=filters.assigned_to)
    return tasks


def task_rows(tasks: QuerySet[Task], today: dt.date) -> QuerySet[Task]:
    """The list's columns in one query: the lead unit and the source's number, the deadline state computed
    in SQL as `state` (so a page of 25 tasks is one query, plus the count)."""
    return (
        tasks.select_related("lead_unit", "directive", "registration__unit")
        .annotate(state=deadline_state_expression(today), cell=outcome_expression(today))
        .order_by(F("deadline").asc(nulls_last=True), "pk")
    )
