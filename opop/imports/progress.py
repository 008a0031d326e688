"""A running job's progress and its end. The processed-row count lives in the cache between the
job row's saves, so the progress bar moves while a chunk is still being written."""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone

from opop.imports.models import ImportJob

PROGRESS_TTL = 6 * 3600


def progress_key(job_id: int) -> str:
    return f"imports:progress:{job_id}"


def job_finish(job: ImportJob, *, status: str, file_error: str = "") -> None:
    job.status = status
    if file_error:
        job.file_error = file_error
    job.finished_at = timezone.now()
    job.save()
    cache.delete(progress_key(job.pk))
