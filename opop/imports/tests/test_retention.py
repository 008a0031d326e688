"""Uploaded import files hold personal data: they are deleted once their job has been settled
for `IMPORT_FILE_RETENTION_DAYS`; the job and its row report stay, and a purged dry run can no
longer be committed."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from opop.imports.models import ImportJob
from opop.imports.retention import import_files_purge
from opop.imports.services import import_job_commit
from opop.imports.tests.helpers import people_xlsx, person_row, run_import

pytestmark = pytest.mark.django_db

DATA = people_xlsx([person_row("3578011508950011", "Santri Lama"), person_row("x", "Salah")])


def _aged(job, days):
    ImportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - dt.timedelta(days=days))
    job.refresh_from_db()
    return job


def test_old_files_go_recent_and_running_ones_stay(
    world, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_FILE_RETENTION_DAYS = 30
    done = _aged(run_import(world, "people", DATA), 31)
    dry_run = _aged(run_import(world, "people", DATA, mode="dry_run", name="b.xlsx"), 45)
    recent = _aged(run_import(world, "people", DATA, name="c.xlsx"), 5)
    running = _aged(run_import(world, "people", DATA, mode="dry_run", name="d.xlsx"), 60)
    ImportJob.objects.filter(pk=running.pk).update(status=ImportJob.Status.COMMITTING)
    storage = done.file.storage
    old_names = [done.file.name, dry_run.file.name]

    with django_capture_on_commit_callbacks(execute=True):
        assert import_files_purge() == 2
    for name in old_names:
        assert not storage.exists(name)
    for job in (done, dry_run):
        job.refresh_from_db()
        assert job.file.name == "" and job.file_purged_at is not None
        assert job.issues.exists()  # the row report stays
    for job in (recent, running):
        job.refresh_from_db()
        assert job.file_purged_at is None and storage.exists(job.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        assert import_files_purge() == 0  # nothing twice


def test_a_purged_dry_run_is_not_committed_and_its_page_says_why(
    world, django_capture_on_commit_callbacks
):
    job = _aged(run_import(world, "people", DATA, mode="dry_run"), 90)
    with django_capture_on_commit_callbacks(execute=True):
        import_files_purge()
    job.refresh_from_db()
    assert not job.may_commit
    assert import_job_commit(actor=world.user("admin"), job=job, mode="valid_only")[1] is False
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATED
    client = world.client("admin")
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert 'id="file-purged"' in page and 'value="valid_only"' not in page
    assert "Checked, never imported; file deleted" in page
    assert reverse("imports:file", args=[job.pk]) not in page
    assert client.get(reverse("imports:file", args=[job.pk])).status_code == 404


def test_the_command_takes_the_days(world, django_capture_on_commit_callbacks, capsys):
    _aged(run_import(world, "people", DATA), 10)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_files_purge", days=30)
    assert "import files deleted: 0" in capsys.readouterr().out
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_files_purge", days=7)
    assert "import files deleted: 1" in capsys.readouterr().out


def test_the_command_refuses_negative_days(world):
    with pytest.raises(CommandError, match="0 or more"):
        call_command("import_files_purge", days=-1)
    with pytest.raises(CommandError, match="0 or more"):
        call_command("registry_exports_purge", days=-1)
