import pytest

from config.celery import app as celery_app


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploaded files go to a throw-away folder, never the repository's var/."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture(autouse=True)
def eager_jobs(request):
    """Jobs run in-process unless a test is marked `celery` (which starts a real worker)."""
    if request.node.get_closest_marker("celery"):
        yield
        return
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture
def regions_restored():
    """A transactional test empties every table when it ends; put the regions back for the
    tests that follow on the same database."""
    yield
    from opop.regions.selectors import clear_caches
    from opop.regions.services import regions_load

    regions_load()
    clear_caches()
