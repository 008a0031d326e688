"""Every write of an import job's lifecycle: creating a job from an upload, committing it
(idempotently), and running it in the background task: read the file, map its headers, then
hand the rows to the runner (`opop.imports.runner`), which checks every row and upserts the
register in set-based chunks (`opop.imports.writes`).
"""

from __future__ import annotations

import gc
import hashlib
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from opop.imports import reader
from opop.imports.headers import map_headers
from opop.imports.models import ImportJob
from opop.imports.progress import job_finish
from opop.imports.reader import FileRefused
from opop.imports.registers import REGISTERS
from opop.imports.runner import Runner

logger = logging.getLogger(__name__)

# --- Creating and committing jobs ------------------------------------------------------------


def _enqueue(job_id: int) -> None:
    from opop.imports.tasks import import_job_task

    transaction.on_commit(lambda: import_job_task.delay(job_id))


@transaction.atomic
def import_job_create(
    *,
    actor,
    programme,
    register: str,
    upload,
    scope_regency: str | None = None,
    mode: str = ImportJob.Mode.DRY_RUN,
    language: str | None = None,
    enqueue: bool = True,
) -> ImportJob:
    """Store an uploaded workbook privately and queue its dry run (or its direct commit).

    `upload` is a Django `File`/`UploadedFile`. The size and the content type (by the file's first
    bytes, not its name) are checked here so that a wrong file is refused at once.
    """
    if register not in REGISTERS:
        raise FileRefused(_("Unknown register."))
    reader.check_size(upload.size)
    upload.seek(0)
    reader.check_is_workbook(upload.read(8))
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    job = ImportJob(
        programme=programme,
        register=register,
        mode=mode,
        original_name=(upload.name or "upload.xlsx").rsplit("/", 1)[-1][:200],
        size=upload.size,
        sha256=digest.hexdigest(),
        scope_regency_id=scope_regency,
        language=language or translation.get_language() or "id",
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    job.file.save(job.original_name, upload, save=False)
    job.save()
    if enqueue:
        _enqueue(job.pk)
    return job


def import_job_commit(*, actor, job: ImportJob, mode: str) -> tuple[ImportJob, bool]:
    """Turn a checked dry run into an import. Safe to call twice (double click, retry): only the
    first call moves the job from "validated" to "committing"; the others change nothing.

    Returns the job and whether this call started the commit.
    """
    if mode not in (ImportJob.Mode.VALID_ONLY, ImportJob.Mode.ALL_OR_NOTHING):
        raise ValueError(f"not a commit mode: {mode}")
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if not locked.may_commit:  # already started, or its file is gone (retention)
            return locked, False
        locked.mode = mode
        locked.status = ImportJob.Status.COMMITTING
        locked.processed_rows = 0
        locked.committed_by = actor if getattr(actor, "pk", None) else None
        locked.commit_requested_at = timezone.now()
        locked.save(
            update_fields=[
                "mode",
                "status",
                "processed_rows",
                "committed_by",
                "commit_requested_at",
                "updated_at",
            ]
        )
        _enqueue(locked.pk)
    return locked, True


# --- Running a job ---------------------------------------------------------------------------


def import_job_run(*, job_id: int) -> ImportJob:
    """The background task's body. Runs a queued dry run, or a commit; anything else is a no-op."""
    job = ImportJob.objects.select_related("programme", "created_by", "committed_by").get(pk=job_id)
    if job.status not in ImportJob.RUNNING:
        return job
    with translation.override(job.language):
        try:
            with job.file.open("rb") as handle:
                data = handle.read()
            sheet = reader.read_workbook(data)
            register = REGISTERS[job.register]
            header_index, columns = map_headers(register, sheet.rows)
        except FileRefused as exc:
            job_finish(job, status=ImportJob.Status.FAILED, file_error=exc.message)
            return job
        except FileNotFoundError:
            job_finish(job, status=ImportJob.Status.FAILED, file_error=_("The file is missing."))
            return job
        runner = Runner(job, register, sheet, header_index, columns)
        # The sheet and the rows are millions of small acyclic objects: without this, the cyclic
        # garbage collector rescans them again and again and a 100,000-row run takes twice as long.
        collecting = gc.isenabled()
        gc.disable()
        try:
            runner.run()
        except IntegrityError:
            logger.warning("import job %s: integrity error, stopped", job.pk)
            runner.stopped(
                _("The same records were changed by someone else during the import.")
                + " "
                + _stopped_outcome(job)
            )
        except Exception:
            logger.exception("import job %s failed", job.pk)
            runner.stopped(
                _("An unexpected error stopped the import.") + " " + _stopped_outcome(job)
            )
        finally:
            if collecting:
                gc.enable()
    return job


def _stopped_outcome(job: ImportJob) -> str:
    if job.mode == ImportJob.Mode.ALL_OR_NOTHING:
        return _("Nothing was imported; upload the file again.")
    return _("Rows already imported stay imported; upload the file again to finish.")
