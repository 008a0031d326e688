from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from opop.notifications.models import Notification
from opop.notifications.services import notify
from opop.notifications.tasks import notification_email_task
from opop.notifications.whatsapp import wa_chat_url, wa_share_url

pytestmark = pytest.mark.django_db


def _notify(user, **extra):
    return notify(user=user, kind="test.kind", title="Your file is complete", url="/", **extra)


def test_notify_saves_and_emails_after_commit(world, django_capture_on_commit_callbacks):
    user = world.users["participant"]
    with django_capture_on_commit_callbacks(execute=True):
        _notify(user, body="Details")
    assert Notification.objects.filter(user=user, kind="test.kind").count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "Details" in mail.outbox[0].body
    assert Notification.objects.get(user=user).emailed_at is not None


def test_the_email_is_queued_as_a_task_and_sent_once(world, django_capture_on_commit_callbacks):
    user = world.users["participant"]
    queue = mock.patch("opop.notifications.tasks.notification_email_task.delay")
    with queue as delay, django_capture_on_commit_callbacks(execute=True):
        notification = _notify(user)
    delay.assert_called_once_with(notification.pk)  # queued, not sent in the request
    assert mail.outbox == []
    notification_email_task(notification.pk)
    notification_email_task(notification.pk)  # a task delivered twice
    assert len(mail.outbox) == 1


def test_it_lists_only_own_notifications(client, world):
    _notify(world.users["participant"])
    other = _notify(world.users["manager_a"], share_text="Lolos kurasi")
    client.force_login(world.users["manager_a"])
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [other]
    assert "https://wa.me/?text=Lolos%20kurasi" in response.content.decode()


def test_it_refuses_to_open_another_users_notification(client, world):
    theirs = _notify(world.users["participant"])
    client.force_login(world.users["manager_a"])
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_marks_read_and_follows_the_link(client, world):
    mine = _notify(world.users["participant"])
    client.force_login(world.users["participant"])
    response = client.get(reverse("notifications:open", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == "/"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_mark_all_read_touches_only_own(client, world):
    _notify(world.users["participant"])
    theirs = _notify(world.users["manager_a"])
    client.force_login(world.users["participant"])
    client.post(reverse("notifications:mark-read"))
    assert not Notification.objects.filter(user=world.users["participant"], read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_wa_links():
    assert wa_share_url("Lolos & terpilih") == "https://wa.me/?text=Lolos%20%26%20terpilih"
    assert wa_chat_url("+6281234567890", "Halo") == "https://wa.me/6281234567890?text=Halo"
