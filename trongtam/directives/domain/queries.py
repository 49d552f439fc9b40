"""Reads over directives: the ones a person may see, with the number of their tasks that person may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from trongtam.directives.models import Directive
from trongtam.followup.domain.queries import sees_every_task, visible_tasks


def directives_visible_to(user: Any) -> QuerySet[Directive]:
    """Every directive for those who follow every task, else those that gave a task in the person's scope;
    `task_count` counts the tasks the person may see (the list page and `GET /directives`)."""
    if sees_every_task(user):
        return Directive.objects.annotate(task_count=Count("tasks"))
    in_scope = visible_tasks(user).values("pk")
    return Directive.objects.filter(pk__in=visible_tasks(user).values("directive_id")).annotate(
        task_count=Count("tasks", filter=Q(tasks__pk__in=in_scope))
    )
