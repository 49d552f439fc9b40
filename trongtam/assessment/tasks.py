"""Background jobs of the assessment: filling a round's score sheets once Home Affairs has opened it.

A thin wrapper, as every job here: primitives in, the domain does the work (`rounds.fill_round`), idempotent
(a head who already has a sheet is skipped), so a job run twice, or resumed after a failure, does no harm.
"""

from __future__ import annotations

import logging

from django_tasks import task

from trongtam.assessment.domain.rounds import fill_round

logger = logging.getLogger(__name__)


@task()
def task_fill_round(*, round_id: int) -> int:
    """Create the sheets still missing in round `round_id`, then mark it open and tell the heads."""
    created = fill_round(round_id)
    logger.info("assessment round %s: %s sheets created", round_id, created)
    return created
