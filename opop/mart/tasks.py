"""Celery entry points of OPOP Mart: thin wrappers around the services."""

from celery import shared_task

from opop.mart.services.payments import payments_expire_overdue


@shared_task(name="mart.expire_payments", ignore_result=True)
def payments_expire_task() -> int:
    """Expire unpaid checkouts past their time and release their stock. Run every few minutes
    (a systemd timer or celery beat); running it twice, or two at once, is harmless."""
    return payments_expire_overdue()
