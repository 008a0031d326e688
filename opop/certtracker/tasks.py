"""Celery entry points of the certification tracker: thin wrappers around the services."""

from celery import shared_task

from opop.certtracker.services import reminders_send, tracks_backfill


@shared_task(name="certtracker.send_reminders", ignore_result=True)
def certification_reminders_task() -> int:
    """Daily (celery beat or a systemd timer): give untracked catalogue certificates a track,
    then send the 90- and 30-day expiry reminders. Running it twice sends nothing twice."""
    tracks_backfill()
    return reminders_send()
