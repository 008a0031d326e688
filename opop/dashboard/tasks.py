"""Thin Celery wrappers around `opop.dashboard.services`."""

from celery import shared_task

from opop.dashboard import services
from opop.mart.sales import sales_recount
from opop.programmes.models import Programme


@shared_task(name="dashboard.refresh", ignore_result=True)
def dashboard_refresh_task(programme_id: int) -> None:
    # Several writes may queue a refresh each; the first one that runs does the work.
    services.dashboard_refresh(programme_id=programme_id, only_if_stale=True)


@shared_task(name="dashboard.refresh_all", ignore_result=True)
def dashboard_refresh_all_task() -> None:
    """Recount every active programme (a nightly safety net for writes that bypass services)."""
    for programme_id in Programme.objects.filter(is_active=True).values_list("id", flat=True):
        services.dashboard_refresh(programme_id=programme_id)
        # OPOP Mart's sales rows follow every order already; the recount mends any drift.
        sales_recount(programme_id=programme_id)
