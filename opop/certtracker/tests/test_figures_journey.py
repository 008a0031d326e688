import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opop.accounts.access import access_for
from opop.certtracker import services
from opop.certtracker.figures import dashboard_figures
from opop.certtracker.journey import journey_events
from opop.certtracker.models import TrackStatus
from opop.certtracker.tests.helpers import catalog_certificate, days, issued_track, product

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(world):
    """Surabaya: issued (far), expiring, expired (backfilled); Jombang: one rejected."""
    admin = world.user("admin")
    issued_track(world, expires_in=500)
    issued_track(world, expires_in=40, kind="halal")
    catalog_certificate(product(world, name="Old"), expires_in=-10)
    services.tracks_backfill()
    rejected = services.track_start(
        actor=admin, product=product(world, world.enterprise_b, "Batik"), kind="sni"
    )
    for status in (TrackStatus.PREPARING, TrackStatus.SUBMITTED):
        rejected = services.track_move(actor=admin, track=rejected, to_status=status)
    services.track_move(actor=admin, track=rejected, to_status=TrackStatus.REJECTED, note="Lab")
    return world


def _access(world, persona):
    return access_for(world.user(persona))


def test_figures_count_by_kind_status_and_regency(spread):
    year = timezone.localdate().year
    with CaptureQueriesContext(connection) as queries:
        figures = dashboard_figures(_access(spread, "admin"), year=year)
    assert len(queries) <= 5
    assert figures["by_status"]["issued"] == 1
    assert figures["by_status"]["expiring"] == 1
    assert figures["by_status"]["expired"] == 1
    assert figures["by_status"]["rejected"] == 1
    assert figures["expiring_90_days"] == 1
    assert figures["by_kind"]["halal"]["expiring"] == 1
    assert figures["by_kind"]["sni"]["rejected"] == 1
    regencies = {row["code"]: row for row in figures["by_regency"]}
    assert regencies["35.78"]["expired"] == 1 and regencies["35.78"]["rejected"] == 0
    assert regencies["35.17"]["rejected"] == 1
    assert figures["total"] == 4


def test_figures_are_scoped(spread):
    year = timezone.localdate().year
    officer = dashboard_figures(_access(spread, "officer"), year=year)
    assert officer["total"] == 3
    assert [row["code"] for row in officer["by_regency"]] == ["35.78"]
    assert dashboard_figures(_access(spread, "manager_b"), year=year)["total"] == 1
    assert dashboard_figures(_access(spread, "partner"), year=year)["total"] == 4
    assert dashboard_figures(_access(spread, "kalsel_admin"), year=year)["total"] == 0
    assert dashboard_figures(_access(spread, "juror"), year=year)["total"] == 0


def test_journey_lists_issued_expired_rejected_in_scope(spread):
    access = _access(spread, "facilitator")
    access.assigned_pesantren_ids  # noqa: B018 - cached on the access, as in a request
    with CaptureQueriesContext(connection) as queries:
        events = journey_events(spread.pesantren_a.pk, access)
    assert len(queries) <= 2
    kinds = sorted(event.kind for event in events)
    assert kinds == [
        "certification.expired",
        "certification.issued",
        "certification.issued",
        "certification.issued",
    ]
    expired = next(e for e in events if e.kind == "certification.expired")
    assert expired.on == days(-10)
    assert journey_events(spread.pesantren_a.pk, _access(spread, "manager_b")) == []
    assert journey_events(spread.pesantren_a.pk, _access(spread, "partner")) == []
    assert journey_events(spread.pesantren_a.pk, _access(spread, "kalsel_admin")) == []
    # Jombang's rejected application shows on the journey of the owner's pesantren.
    rejected = journey_events(spread.pesantren_b.pk, _access(spread, "admin"))
    assert [e.kind for e in rejected] == ["certification.rejected"]
