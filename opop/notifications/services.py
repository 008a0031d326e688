"""Sending notifications: one row per recipient, e-mailed by a background task queued after the
transaction commits (in-process when no Redis is configured, as in development)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from opop.notifications.models import Notification

logger = logging.getLogger(__name__)


def notify(
    *,
    user,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    programme=None,
    share_text: str = "",
    email: bool = True,
) -> Notification | None:
    """Tell `user` something. Call inside the service's transaction; the e-mail waits for commit.

    `title` and `body` should already be in the recipient's language: render them inside
    `in_language_of(user)`.
    """
    if user is None or not getattr(user, "pk", None):
        return None
    notification = Notification.objects.create(
        user=user,
        programme=programme,
        kind=kind,
        title=title[:200],
        body=body,
        url=url[:300],
        share_text=share_text[:500],
    )
    if email and user.email:
        transaction.on_commit(lambda: _queue_email(notification.pk))
    return notification


def _queue_email(notification_id: int) -> None:
    from opop.notifications.tasks import notification_email_task

    notification_email_task.delay(notification_id)


def in_language_of(user):
    """Context manager: translate what is built inside it into the recipient's language."""
    return translation.override(getattr(user, "language", None) or settings.LANGUAGE_CODE)


def notification_email_send(*, notification_id: int) -> None:
    """E-mail one notification once: a task delivered again finds it sent and does nothing."""
    notification = (
        Notification.objects.select_related("user")
        .filter(pk=notification_id, emailed_at__isnull=True)
        .first()
    )
    if notification is None or not notification.user.email:
        return
    link = f"{settings.SITE_URL.rstrip('/')}{notification.url}" if notification.url else ""
    message = "\n\n".join(part for part in (notification.body, link) if part)
    try:
        send_mail(
            notification.title,
            message,
            settings.DEFAULT_FROM_EMAIL,
            [notification.user.email],
        )
    except Exception:  # A mail outage must not undo the decision that was already committed.
        logger.exception("notification e-mail failed (notification %s)", notification_id)
        return
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())


@transaction.atomic
def notifications_mark_read(*, actor, ids: list[int] | None = None) -> int:
    """Mark the actor's own notifications read (all unread ones when `ids` is None)."""
    rows = Notification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=timezone.now())
