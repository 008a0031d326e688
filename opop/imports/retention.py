"""How long an uploaded import file is kept (UU PDP: personal data no longer than its purpose
needs). The spreadsheet is needed while its job runs and for a while after, to check what was
imported; then `import_files_purge` deletes it. The job, its counts and its row report stay:
they hold messages and row numbers, not the file's cells.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from opop.imports.models import ImportJob

logger = logging.getLogger(__name__)

# Jobs whose file may go: finished ones, and checked dry runs nobody committed.
SETTLED = (
    ImportJob.Status.DONE,
    ImportJob.Status.REJECTED,
    ImportJob.Status.FAILED,
    ImportJob.Status.VALIDATED,
)


def import_files_due(*, now: dt.datetime | None = None, days: int | None = None):
    days = settings.IMPORT_FILE_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    return ImportJob.objects.filter(
        status__in=SETTLED, file_purged_at__isnull=True, finished_at__lt=cutoff
    ).exclude(file="")


def import_files_purge(*, now: dt.datetime | None = None, days: int | None = None) -> int:
    """Delete the files of jobs settled more than `days` ago; returns how many went. Each job is
    locked and checked again (a commit may have started meanwhile), marked, and its file deleted
    once that is committed. Running it twice deletes nothing twice."""
    now = now or timezone.now()
    purged = 0
    for pk in list(import_files_due(now=now, days=days).values_list("pk", flat=True)):
        with transaction.atomic():
            job = (
                import_files_due(now=now, days=days)
                .select_for_update(skip_locked=True)
                .filter(pk=pk)
                .first()
            )
            if job is None:
                continue
            name, storage = job.file.name, job.file.storage
            ImportJob.objects.filter(pk=pk).update(file="", file_purged_at=now)
            transaction.on_commit(lambda name=name, storage=storage: _delete(storage, name))
            purged += 1
    if purged:
        logger.info("import files purged count=%d", purged)
    return purged


def _delete(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:
        # The row says purged; a file left behind is found by its name in the private storage.
        logger.exception("import file could not be deleted name=%s", name)
