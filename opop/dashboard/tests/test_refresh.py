"""Marking the dashboard stale and refreshing it: once per transaction, only after commit."""

import pytest
from django.core.management import call_command
from django.db import transaction

from opop.dashboard.models import DashboardState, PillarCount
from opop.dashboard.services import dashboard_mark_stale, dashboard_refresh
from opop.programmes.models import Pillar
from opop.registry import services as registry_services
from opop.registry.models import Participation, Person

pytestmark = pytest.mark.django_db


def test_many_writes_in_one_transaction_queue_one_refresh(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        for _ in range(3):
            dashboard_mark_stale(programme_id=world.jatim.pk)
        dashboard_mark_stale(programme_id=world.kalsel.pk)
    assert len(callbacks) == 2


def test_a_rolled_back_write_queues_nothing(world, django_capture_on_commit_callbacks):
    person = Person.objects.create(programme=world.jatim, full_name="Baru")
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                registry_services.participation_save(
                    actor=world.user("admin"),
                    programme=world.jatim,
                    data={"pillar": Pillar.SOCIOPRENEUR, "cohort_year": 2025, "person": person},
                )
                raise RuntimeError("import failed half-way")
        except RuntimeError:
            pass
        # The rolled-back callback is gone, so a later write still queues its own refresh.
        dashboard_mark_stale(programme_id=world.jatim.pk)
    assert len(callbacks) == 1
    assert not Participation.objects.filter(person=person).exists()


def test_refresh_after_commit_bumps_and_catches_up(world, django_capture_on_commit_callbacks):
    dashboard_refresh(programme_id=world.jatim.pk)
    with django_capture_on_commit_callbacks(execute=True):
        dashboard_mark_stale(programme_id=world.jatim.pk)
    state = DashboardState.objects.get(programme=world.jatim)
    assert state.dirty_version == 1 and state.refreshed_version == 1
    assert not state.is_pending


def test_a_stale_only_refresh_skips_when_nothing_changed(world):
    first = dashboard_refresh(programme_id=world.jatim.pk)
    again = dashboard_refresh(programme_id=world.jatim.pk, only_if_stale=True)
    assert again.refreshed_at == first.refreshed_at


def test_refresh_dashboard_command_counts_every_programme(world, capsys):
    call_command("refresh_dashboard")
    assert PillarCount.objects.filter(programme=world.jatim).exists()
    assert DashboardState.objects.filter(programme=world.kalsel).exists()
    call_command("refresh_dashboard", "--programme", "jatim")
    assert "jatim: refreshed" in capsys.readouterr().out
