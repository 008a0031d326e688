"""The milestones' part of a pesantren's journey and of the dashboard."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opop.accounts.access import access_for
from opop.milestones.figures import dashboard_figures
from opop.milestones.journey import journey_events
from opop.milestones.tests.helpers import checklist, claimed, verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(world):
    return checklist(world.jatim)


def access(world, persona):
    return access_for(world.user(persona))


def test_the_journey_shows_verified_items_and_the_rise_in_level(world, items):
    for key in ("founded", "chosen"):
        verified(world, world.pesantren_a, items[key])
    claimed(world, world.pesantren_a, items["nib"])
    reader = access(world, "manager_a")
    with CaptureQueriesContext(connection) as queries:
        events = journey_events(world.pesantren_a.pk, reader)
    assert len(queries) <= 2
    kinds = sorted(event.kind for event in events)
    assert kinds == ["milestones.level_up", "milestones.verified", "milestones.verified"]
    rise = next(e for e in events if e.kind == "milestones.level_up")
    assert rise.on == timezone.localdate() and "1" in rise.title
    assert rise.url.endswith(f"/pesantren/{world.pesantren_a.pk}/")
    assert all(isinstance(event.on, dt.date) for event in events)


def test_the_journey_is_empty_out_of_scope(world, items):
    verified(world, world.pesantren_a, items["founded"])
    for persona in ("manager_b", "kalsel_admin", "juror", "partner", "buyer"):
        assert journey_events(world.pesantren_a.pk, access(world, persona)) == [], persona
    assert journey_events(world.pesantren_a.pk, None) == []


def test_a_participant_reads_the_journey_without_a_checklist_link(world, items):
    verified(world, world.pesantren_a, items["founded"])
    events = journey_events(world.pesantren_a.pk, access(world, "participant"))
    assert [e.kind for e in events] == ["milestones.verified"]
    assert events[0].url == ""


def test_figures_count_levels_and_claims_in_scope(world, items):
    for key in ("founded", "chosen"):
        verified(world, world.pesantren_a, items[key])
    claimed(world, world.pesantren_a, items["nib"])
    claimed(world, world.pesantren_b, items["founded"], persona="manager_b")
    year = timezone.localdate().year
    reader = access(world, "admin")
    with CaptureQueriesContext(connection) as queries:
        admin = dashboard_figures(reader, year=year)
    assert len(queries) <= 5
    levels = {row["level"]: row["pesantren"] for row in admin["levels"]}
    assert levels[1] == 1 and levels[0] == 1 and admin["pesantren"] == 2
    assert admin["claims_waiting"] == 2
    assert admin["verified_in_year"] == 2 and admin["level_ups_in_year"] == 1
    assert {row["regency_code"] for row in admin["by_regency"]} == {"35.78", "35.17"}

    partner = dashboard_figures(access(world, "partner"), year=year)
    assert partner["pesantren"] == 2 and partner["claims_waiting"] == 2

    officer = dashboard_figures(access(world, "officer"), year=year)
    assert [row["regency_code"] for row in officer["by_regency"]] == ["35.78"]
    assert officer["claims_waiting"] == 1

    manager_b = dashboard_figures(access(world, "manager_b"), year=year)
    assert manager_b["pesantren"] == 1 and manager_b["claims_waiting"] == 1

    kalsel = dashboard_figures(access(world, "kalsel_admin"), year=year)
    assert kalsel["claims_waiting"] == 0 and kalsel["pesantren"] == 1

    assert dashboard_figures(access(world, "buyer"), year=year) == {}
    assert dashboard_figures(access(world, "admin"), year=year - 1)["verified_in_year"] == 0
