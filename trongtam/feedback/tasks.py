"""Background jobs of the feedback app (its owner replaces this placeholder)."""

from __future__ import annotations

from django_tasks import task


@task()
def task_feedback_sweep() -> dict[str, int]:
    return {}
