"""Background jobs of dialogues and Council recommendations: the daily sweep of reminders, then the digests."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from trongtam.supervision.domain.reminders import send_digests, sweep
from trongtam.workdays.domain.queries import work_calendar

logger = logging.getLogger(__name__)


@task()
def task_supervision_sweep() -> dict[str, int]:
    """Idempotent: running it twice in a day records and sends nothing twice."""
    today = timezone.localdate()
    recorded = sweep(today, work_calendar())
    digests = send_digests(today)
    logger.info("supervision sweep %s: %s reminders recorded, %s digests sent", today, recorded, digests)
    return {"reminders": recorded, "digests": digests}
