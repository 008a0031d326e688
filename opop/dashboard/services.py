"""Keeping the dashboard's summary tables equal to the registry.

How other apps use this module:

- After a write that moves a dashboard figure (a pesantren, cooperative or participation
  created, changed or deleted; an import committed), call
  `dashboard_mark_stale(programme_id=...)` inside the write's transaction. Once the transaction
  commits, the programme is marked stale and a refresh job is queued (run in-process when no
  broker is configured). A rolled-back write queues nothing. Calling it many times in one
  transaction (an import of 10,000 rows) costs one refresh, so call it once per unit of work.
- `refresh_dashboard` (management command) and the `dashboard.refresh_all` Celery task recount
  every active programme; schedule the task (e.g. nightly) as a safety net for writes that
  bypass the services.

The refresh reads the registry programme-wide on purpose: it is a system job, not a user's
read, and scope is applied when the summary rows are read (`opop.dashboard.selectors`).
"""

from __future__ import annotations

import logging
import time

from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import timezone

from opop.catalog.backlog import curation_summary_rows
from opop.dashboard.models import (
    CooperativeCount,
    CurationCount,
    DashboardState,
    PesantrenCount,
    PillarCount,
)
from opop.registry.models import Cooperative, Participation, Pesantren

logger = logging.getLogger(__name__)

# Namespace of the PostgreSQL advisory lock that serialises refreshes of one programme.
_LOCK_NAMESPACE = 4242


def dashboard_mark_stale(*, programme_id: int) -> None:
    """Queue a recount of the programme's dashboard once the current transaction commits."""
    if _already_queued(programme_id):
        return

    def after_commit() -> None:
        DashboardState.objects.get_or_create(programme_id=programme_id)
        DashboardState.objects.filter(programme_id=programme_id).update(
            dirty_version=F("dirty_version") + 1
        )
        from opop.dashboard.tasks import dashboard_refresh_task

        dashboard_refresh_task.delay(programme_id)

    after_commit.dashboard_programme_id = programme_id  # type: ignore[attr-defined]
    # robust: a failing refresh must not turn the user's committed write into an error page.
    transaction.on_commit(after_commit, robust=True)


def _already_queued(programme_id: int) -> bool:
    """Whether this transaction already queued the programme (an import queues one refresh).

    Django drops the callbacks of a rolled-back savepoint from `run_on_commit`, so a queued
    refresh that was rolled back is not counted.
    """
    return any(
        getattr(entry[1], "dashboard_programme_id", None) == programme_id
        for entry in getattr(connection, "run_on_commit", ())
    )


@transaction.atomic
def dashboard_refresh(*, programme_id: int, only_if_stale: bool = False) -> DashboardState:
    """Recount the programme's pesantren, cooperatives and participations into the summaries.

    Three grouped queries over the registry and three bulk inserts; refreshes of one programme
    run one at a time. With `only_if_stale`, a refresh that another job already did is skipped.
    """
    _lock(programme_id)
    state, _created = DashboardState.objects.get_or_create(programme_id=programme_id)
    if only_if_stale and not state.is_pending:
        return state
    version = state.dirty_version
    started_at, started = timezone.now(), time.monotonic()

    for model in (PillarCount, CooperativeCount, PesantrenCount, CurationCount):
        model.objects.filter(programme_id=programme_id).delete()
    PillarCount.objects.bulk_create(
        PillarCount(
            programme_id=programme_id,
            regency_id=row["regency_id"],
            count=row["n"],
            pillar=row["pillar"],
            cohort_year=row["cohort_year"],
            status=row["status"],
        )
        for row in Participation.objects.filter(programme_id=programme_id)
        .values("regency_id", "pillar", "cohort_year", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    CooperativeCount.objects.bulk_create(
        CooperativeCount(
            programme_id=programme_id,
            regency_id=row["pesantren__regency_id"],
            legal_status=row["legal_status"],
            status=row["status"],
            count=row["n"],
        )
        for row in Cooperative.objects.filter(programme_id=programme_id)
        .values("pesantren__regency_id", "legal_status", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    PesantrenCount.objects.bulk_create(
        PesantrenCount(
            programme_id=programme_id,
            regency_id=row["regency_id"],
            status=row["status"],
            count=row["n"],
        )
        for row in Pesantren.objects.filter(programme_id=programme_id)
        .values("regency_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    CurationCount.objects.bulk_create(
        CurationCount(programme_id=programme_id, **row)
        for row in curation_summary_rows(programme_id)
    )
    state.refreshed_version = version
    state.refreshed_at = started_at
    state.duration_ms = int((time.monotonic() - started) * 1000)
    # Update only our columns: dirty_version may have moved on while we counted.
    state.save(update_fields=["refreshed_version", "refreshed_at", "duration_ms"])
    logger.info("dashboard refreshed programme=%s in %sms", programme_id, state.duration_ms)
    return state


def dashboard_ensure_computed(*, programme_id: int) -> DashboardState:
    """The programme's state, counting it now if it was never counted (first view after setup)."""
    state = DashboardState.objects.filter(programme_id=programme_id).first()
    if state is None or state.refreshed_at is None:
        state = dashboard_refresh(programme_id=programme_id)
    return state


def _lock(programme_id: int) -> None:
    # SQLite runs one write transaction at a time already; PostgreSQL needs a lock, or two
    # refreshes could both delete and both insert, doubling every figure.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, programme_id])
