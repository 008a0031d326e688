import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from opop.certtracker import services
from opop.certtracker.models import ExpiryReminder
from opop.certtracker.tasks import certification_reminders_task
from opop.certtracker.tests.helpers import catalog_certificate, issued_track, product
from opop.notifications.models import Notification

pytestmark = pytest.mark.django_db

KEEPERS_AND_FACILITATOR = {
    "manager_a@test.opop.id",
    "participant@test.opop.id",
    "facilitator@test.opop.id",
}


def _told(kind: str) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("user__email", flat=True))


def test_90_day_reminder_goes_once_to_keepers_and_facilitator(world):
    track = issued_track(world, expires_in=80)
    assert services.reminders_send() == 1
    assert set(_told("certtracker.expiry_90")) == KEEPERS_AND_FACILITATOR
    assert len(_told("certtracker.expiry_90")) == 3
    # Running again the same day, or the next, sends nothing more.
    assert services.reminders_send() == 0
    assert services.reminders_send(today=timezone.localdate() + dt.timedelta(days=1)) == 0
    assert len(_told("certtracker.expiry_90")) == 3
    reminder = ExpiryReminder.objects.get()
    assert (reminder.certification_id, reminder.threshold_days, reminder.recipients) == (
        track.certification_id,
        90,
        3,
    )
    # Fifty days later the 30-day reminder is due, once.
    later = timezone.localdate() + dt.timedelta(days=50)
    assert services.reminders_send(today=later) == 1
    assert services.reminders_send(today=later) == 0
    assert len(_told("certtracker.expiry_30")) == 3


def test_a_late_first_run_sends_only_the_30_day_reminder(world):
    issued_track(world, expires_in=20)
    assert services.reminders_send() == 1
    assert _told("certtracker.expiry_90") == []
    assert len(_told("certtracker.expiry_30")) == 3


def test_nothing_for_far_or_expired_certificates(world):
    catalog_certificate(product(world, name="A"), expires_in=200)
    catalog_certificate(product(world, name="B"), expires_in=-3)
    catalog_certificate(product(world, name="C"), expires_in=None)
    assert services.reminders_send() == 0
    assert not Notification.objects.exists()


def test_a_renewed_certificate_is_reminded_again(world):
    track = issued_track(world, expires_in=25)
    assert services.reminders_send() == 1
    certificate = track.certification
    certificate.expires_on = timezone.localdate() + dt.timedelta(days=85)
    certificate.save()
    assert services.reminders_send() == 1
    assert ExpiryReminder.objects.count() == 2


def test_command_and_task_backfill_then_remind(world):
    item = product(world, enterprise=world.enterprise_b)
    catalog_certificate(item, expires_in=10)
    out = StringIO()
    call_command("certification_reminders", stdout=out)
    assert "tracks backfilled: 1; reminders sent: 1" in out.getvalue()
    # enterprise_b: owned by person_b of pesantren_b; its manager hears, no facilitator there.
    assert _told("certtracker.expiry_30") == ["manager_b@test.opop.id"]
    assert certification_reminders_task() == 0
