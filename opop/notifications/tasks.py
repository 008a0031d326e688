"""Celery entry points: thin wrappers around the notification service."""

from celery import shared_task

from opop.notifications.services import notification_email_send


@shared_task(name="notifications.email", acks_late=True, ignore_result=True)
def notification_email_task(notification_id: int) -> None:
    """E-mail one notification. Queued after the commit, so publishing results to thousands of
    owners returns at once; delivered twice, it e-mails once (see the service)."""
    notification_email_send(notification_id=notification_id)
