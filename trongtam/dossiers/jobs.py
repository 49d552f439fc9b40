"""The worker's side of dossier imports: run one queued `ImportJob` (the upload page and the API enqueue it).

A thin wrapper, as every job here: the domain (`importing.run_job`) does the work. Idempotent: the job is claimed
by compare-and-set from "queued", so a job enqueued or run twice is imported once.
"""

from __future__ import annotations

import logging

from django_tasks import task

from trongtam.dossiers.domain.importing import run_job

logger = logging.getLogger(__name__)


@task()
def task_run_import(*, job_id: int) -> str:
    """Check and write the file of import `job_id`; returns the job's final status ("" if it was not queued)."""
    job = run_job(job_id)
    if job is None:
        logger.info("dossier import %s: not queued, nothing to do", job_id)
        return ""
    logger.info(
        "dossier import %s: %s (%s created, %s updated, %s unchanged)",
        job.pk,
        job.status,
        job.created_count,
        job.updated_count,
        job.unchanged_count,
    )
    return str(job.status)
