"""Background jobs of the dossiers app: the daily sweep that drafts the apology letters owed."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from trongtam.dossiers.domain.letters import sweep
from trongtam.workdays.domain.queries import work_calendar

logger = logging.getLogger(__name__)


@task()
def task_apology_sweep() -> dict[str, int]:
    """Draft a letter for every dossier at risk that has none (`domain.letters.sweep`). Idempotent: running it
    twice drafts and notifies nothing twice."""
    today = timezone.localdate()
    drafted = sweep(today, work_calendar())
    logger.info("apology sweep %s: %s letters drafted", today, drafted)
    return {"drafted": drafted}
