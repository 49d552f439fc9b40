"""Background jobs of the follow-up: the daily sweep of reminders and escalations, then the digests."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from trongtam.followup.domain.reminders import send_digests, sweep
from trongtam.workdays.domain.queries import work_calendar

logger = logging.getLogger(__name__)


@task()
def task_follow_up_sweep() -> dict[str, int]:
    """Idempotent: running it twice in a day records and sends nothing twice."""
    today = timezone.localdate()
    recorded = sweep(today, work_calendar())
    digests = send_digests(today)
    logger.info("follow-up sweep %s: %s reminders recorded, %s digests sent", today, recorded, digests)
    return {"reminders": recorded, "digests": digests}
