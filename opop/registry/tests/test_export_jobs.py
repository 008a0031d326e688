"""Large exports are written in the background: the reader is sent to the export's page, the
task writes the same workbook the direct download would, only that reader may fetch it, a
double click starts one job, and the file goes after its retention period."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from opop.common.models import AuditEvent
from opop.notifications.models import Notification
from opop.registry.export_jobs import registry_export_run, registry_exports_purge
from opop.registry.models import RegistryExport
from opop.registry.tests.pages import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def big(settings):
    settings.REGISTRY_EXPORT_DIRECT_ROWS = 0  # any list is "large"


def _rows(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_a_large_export_is_written_in_the_background(
    world, big, django_capture_on_commit_callbacks
):
    admin = world.client("admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.get(url("person_export"))
    export = RegistryExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:export_detail", args=[export.pk])
    export.refresh_from_db()  # the task ran in-process (no Redis in tests)
    assert export.status == RegistryExport.Status.DONE and export.rows == 2
    page = admin.get(response["Location"]).content.decode()
    assert reverse("registry:export_file", args=[export.pk]) in page
    download = admin.get(reverse("registry:export_file", args=[export.pk]))
    rows = _rows(b"".join(download.streaming_content))
    assert "NIK" in rows[0] and len(rows) == 3
    assert "3578011508950001" in {cell for row in rows for cell in row}  # the admin's clear NIK
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT_PII).count() == 1
    assert Notification.objects.filter(user=world.user("admin"), kind="registry.export_ready")


def test_a_small_export_still_downloads_at_once(world, django_capture_on_commit_callbacks):
    response = world.client("admin").get(url("person_export"))
    assert response.status_code == 200 and not RegistryExport.objects.exists()


def test_asking_twice_while_it_runs_starts_one_job(world, big):
    client = world.client("manager_a")
    first = client.get(url("person_export"))  # on_commit not run: the job stays queued
    second = client.get(url("person_export"))
    assert first["Location"] == second["Location"]
    assert RegistryExport.objects.count() == 1


def test_only_the_reader_who_asked_sees_the_export(world, big, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world.client("manager_a").get(url("person_export"))
    export = RegistryExport.objects.get()
    for persona in ("admin", "manager_b", "officer"):
        client = world.client(persona)
        assert client.get(reverse("registry:export_detail", args=[export.pk])).status_code == 404
        assert client.get(reverse("registry:export_file", args=[export.pk])).status_code == 404
    anonymous = world.client("anonymous").get(reverse("registry:export_file", args=[export.pk]))
    assert anonymous.status_code == 302
    # The manager's export holds the manager's scope and masking, as a direct download would.
    rows = _rows(
        b"".join(
            world.client("manager_a")
            .get(reverse("registry:export_file", args=[export.pk]))
            .streaming_content
        )
    )
    assert [row[rows[0].index("NIK")] for row in rows[1:]] == ["3578••••••••0001"]


def test_a_role_ended_before_the_task_ran_exports_nothing(world, big):
    world.client("manager_a").get(url("person_export"))
    export = RegistryExport.objects.get()
    export.membership.is_active = False
    export.membership.save()
    registry_export_run(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == RegistryExport.Status.FAILED and not export.file
    assert registry_export_run(export_id=export.pk).status == RegistryExport.Status.FAILED


def test_export_files_go_after_their_retention(
    world, big, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        world.client("admin").get(url("person_export"))
    export = RegistryExport.objects.get()
    storage, name = export.file.storage, export.file.name
    RegistryExport.objects.filter(pk=export.pk).update(
        finished_at=timezone.now() - dt.timedelta(days=settings.REGISTRY_EXPORT_RETENTION_DAYS + 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert registry_exports_purge() == 1
        assert registry_exports_purge() == 0
    assert not storage.exists(name)
    page = world.client("admin").get(reverse("registry:export_detail", args=[export.pk]))
    assert "deleted after its retention period" in page.content.decode()
    file = world.client("admin").get(reverse("registry:export_file", args=[export.pk]))
    assert file.status_code == 404
