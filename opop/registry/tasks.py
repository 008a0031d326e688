"""Celery entry points: thin wrappers around the registry's export jobs."""

from celery import shared_task

from opop.registry.export_jobs import registry_export_run, registry_exports_purge


@shared_task(name="registry.export", acks_late=True, ignore_result=True)
def registry_export_task(export_id: int) -> None:
    registry_export_run(export_id=export_id)


@shared_task(name="registry.purge_exports", ignore_result=True)
def registry_exports_purge_task() -> int:
    return registry_exports_purge()
