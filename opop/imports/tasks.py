"""Celery entry points: thin wrappers around the import service."""

from celery import shared_task

from opop.imports.retention import import_files_purge
from opop.imports.services import import_job_run


@shared_task(name="imports.run_job", acks_late=True)
def import_job_task(job_id: int) -> str:
    """Run one import job (dry run or commit). Safe to deliver twice: a finished job is a no-op,
    and a commit interrupted half-way upserts again without duplicates."""
    return import_job_run(job_id=job_id).status


@shared_task(name="imports.purge_files", ignore_result=True)
def import_files_purge_task() -> int:
    """Daily: delete import files past their retention (see `opop.imports.retention`)."""
    return import_files_purge()
