"""Background jobs of the inspections app (its owner replaces this placeholder)."""

from __future__ import annotations

from django_tasks import task


@task()
def task_remedy_sweep() -> dict[str, int]:
    return {}
