"""Large registry exports, written by a background task (`registry.export`) and fetched from the
export's page when ready; the reader is told by a notification. A list small enough is still
downloaded at once (`opop.registry.views.exports`).

- `registry_export_start`: one job per reader, register and filters while it runs (a double
  click or a reload does not start a second one); the `export_pii` audit row is written when the
  job is asked for, as for a direct download.
- `registry_export_run`: the task's body. The reader's role is read again from their
  membership, so a role withdrawn meanwhile exports nothing.
- `registry_exports_purge`: files older than `REGISTRY_EXPORT_RETENTION_DAYS` are deleted.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.accounts.access import access_for
from opop.notifications.services import in_language_of, notify
from opop.registry import exporting
from opop.registry.models import RegistryExport
from opop.registry.services import registry_export_record

logger = logging.getLogger(__name__)


@transaction.atomic
def registry_export_start(*, actor, access, register: str, query: QueryDict) -> RegistryExport:
    if register not in exporting.KINDS:
        raise ValueError(f"not an exportable register: {register}")
    encoded = query.urlencode()[:1000]
    running = RegistryExport.objects.select_for_update().filter(
        user=actor,
        programme_id=access.programme_id,
        register=register,
        query=encoded,
        status__in=(RegistryExport.Status.QUEUED, RegistryExport.Status.RUNNING),
    )
    existing = running.first()
    if existing is not None:
        return existing
    export = RegistryExport.objects.create(
        programme_id=access.programme_id,
        user=actor,
        membership=access.membership,
        register=register,
        query=encoded,
    )
    if exporting.carries_clear_nik(access, register):
        registry_export_record(
            actor=actor, programme=access.programme, what=f"{register} xlsx", note=encoded[:200]
        )
    transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def _enqueue(export_id: int) -> None:
    from opop.registry.tasks import registry_export_task

    registry_export_task.delay(export_id)


def registry_export_run(*, export_id: int) -> RegistryExport:
    """Write the workbook; a job already started or finished is left alone (a task delivered
    twice writes once)."""
    with transaction.atomic():
        export = (
            RegistryExport.objects.select_for_update(of=("self",))
            .select_related("user", "membership", "programme")
            .get(pk=export_id)
        )
        if export.status != RegistryExport.Status.QUEUED:
            return export
        export.status = RegistryExport.Status.RUNNING
        export.save(update_fields=["status", "updated_at"])
    access = access_for(export.user, membership_id=export.membership_id)
    try:
        if access is None or access.membership.pk != export.membership_id:
            raise PermissionError("the reader's role in this programme has ended")
        query = QueryDict(export.query)
        rows = exporting.export_queryset(access, export.register, query).count()
        content = exporting.export_workbook(access, export.register, query)
    except Exception:
        logger.exception("registry export failed export=%s", export.pk)
        _finish(export, status=RegistryExport.Status.FAILED)
        return export
    export.file.save(exporting.export_filename(export.register), ContentFile(content), save=False)
    export.rows = rows
    _finish(export, status=RegistryExport.Status.DONE)
    with in_language_of(export.user):
        notify(
            user=export.user,
            kind="registry.export_ready",
            title=_("Your export is ready: %(rows)d rows") % {"rows": rows},
            url=reverse("registry:export_detail", args=[export.pk]),
            programme=export.programme,
            email=False,
        )
    return export


def _finish(export: RegistryExport, *, status: str) -> None:
    export.status = status
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "rows", "file", "finished_at", "updated_at"])


def registry_exports_purge(*, now: dt.datetime | None = None, days: int | None = None) -> int:
    """Delete export files older than the retention; the job rows stay (who exported what)."""
    days = settings.REGISTRY_EXPORT_RETENTION_DAYS if days is None else days
    now = now or timezone.now()
    due = RegistryExport.objects.filter(
        file_purged_at__isnull=True, finished_at__lt=now - dt.timedelta(days=days)
    ).exclude(file="")
    purged = 0
    for export in due:
        name, storage = export.file.name, export.file.storage
        with transaction.atomic():
            updated = RegistryExport.objects.filter(pk=export.pk, file_purged_at__isnull=True)
            if not updated.update(file="", file_purged_at=now):
                continue
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
        purged += 1
    return purged
