"""Background jobs of the supervision app (its owner replaces this placeholder)."""

from __future__ import annotations

from django_tasks import task


@task()
def task_supervision_sweep() -> dict[str, int]:
    return {}
