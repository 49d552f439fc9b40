"""Background jobs of the inspections app: the daily remedy sweep (reminders before and after the deadline)."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from trongtam.inspections.domain.reminders import send_reminders, sweep
from trongtam.workdays.domain.queries import work_calendar

logger = logging.getLogger(__name__)


@task()
def task_remedy_sweep() -> dict[str, int]:
    """Idempotent: running it twice in a day records and sends nothing twice."""
    today = timezone.localdate()
    recorded = sweep(today, work_calendar())
    sent = send_reminders(today)
    logger.info("remedy sweep %s: %s reminders recorded, %s notifications sent", today, recorded, sent)
    return {"reminders": recorded, "notifications": sent}
