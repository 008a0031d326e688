"""With REDIS_URL set (as in CI), an import job runs through a real Celery worker on Redis."""

import os

import pytest
from django.core.files.base import ContentFile

from config.celery import app as celery_app
from opop.imports.models import ImportJob
from opop.imports.services import import_job_commit, import_job_create
from opop.imports.tests.helpers import people_xlsx, person_row
from opop.registry.models import Person

pytestmark = [
    pytest.mark.celery,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL not set: no broker"),
]


def _wait_for(job, statuses, timeout=30):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in statuses:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job stayed {job.status}")


@pytest.mark.django_db(transaction=True)
def test_import_job_runs_through_a_real_worker(regions_restored, world):
    from celery.contrib.testing.worker import start_worker

    celery_app.conf.task_always_eager = False
    admin = world.user("admin")
    data = people_xlsx([person_row("3578011508950011", "Lewat Worker"), person_row("x", "Salah")])
    with start_worker(celery_app, perform_ping_check=False, pool="solo", concurrency=1):
        job = import_job_create(
            actor=admin,
            programme=world.jatim,
            register="people",
            upload=ContentFile(data, name="worker.xlsx"),
        )
        job = _wait_for(job, {ImportJob.Status.VALIDATED, ImportJob.Status.FAILED})
        assert (job.status, job.created_count, job.refused_count) == ("validated", 1, 1)
        import_job_commit(actor=admin, job=job, mode="valid_only")
        job = _wait_for(job, {ImportJob.Status.DONE, ImportJob.Status.FAILED})
    assert job.created_count == 1
    assert Person.objects.filter(full_name="Lewat Worker").count() == 1
