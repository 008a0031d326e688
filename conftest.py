"""Fixtures shared by every test: regions loaded once per database, and the persona world."""

import pytest

from opop.common.testing.personas import build_world


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from opop.regions.services import regions_load

    with django_db_blocker.unblock():
        regions_load()


@pytest.fixture
def world(db):
    return build_world()
