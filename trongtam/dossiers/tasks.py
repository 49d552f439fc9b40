"""Background jobs of the dossiers app (its owner replaces this placeholder)."""

from __future__ import annotations

from django_tasks import task


@task()
def task_apology_sweep() -> dict[str, int]:
    return {}
