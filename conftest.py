"""Fixtures shared by every test: regions loaded once per database, and the persona world."""

import pytest
from pytest_django.plugin import blocking_manager_key

from opop.common.testing.personas import build_world


def _load_regions_if_missing() -> None:
    from opop.regions.models import Region
    from opop.regions.services import regions_load

    if not Region.objects.exists():
        regions_load()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _load_regions_if_missing()


def _is_transactional(item) -> bool:
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    return (
        "transactional_db" in names
        or "live_server" in names
        or bool(marker and marker.kwargs.get("transaction"))
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # A transactional test ends by truncating every table, regions included; put the reference
    # data back so the tests after it in this process find it, as they would in production.
    yield
    # After the last test the database is already gone: nothing to restore.
    if (
        nextitem is not None
        and _is_transactional(item)
        and blocking_manager_key in item.config.stash
    ):
        with item.config.stash[blocking_manager_key].unblock():
            _load_regions_if_missing()


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters live in the cache: each test starts with none.
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    # A request in Indonesian leaves its language active in this thread (LocaleMiddleware does
    # not reset it): the next test would read its messages in Indonesian.
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def world(db):
    return build_world()
