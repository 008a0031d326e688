import pytest
from django.core.exceptions import ValidationError

from opop.catalog.models import Certification
from opop.certtracker import services
from opop.certtracker.models import CertificationTrack, TrackStatus, TrackStep
from opop.certtracker.tests.helpers import (
    HALAL_NUMBER,
    catalog_certificate,
    days,
    issued_track,
    product,
)
from opop.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_a_track_walks_to_issued_and_writes_the_catalogue_certificate(world):
    track = issued_track(world, expires_in=400)
    certificate = Certification.objects.get(product=track.product, kind="halal")
    assert track.certification == certificate
    assert certificate.number == HALAL_NUMBER
    assert certificate.expires_on == days(400)
    assert track.decided_on == days(-10)
    assert track.pesantren == world.pesantren_a
    assert track.regency_id == "35.78"
    steps = list(track.steps.values_list("from_status", "to_status"))
    assert steps == [
        ("", "planned"),
        ("planned", "preparing"),
        ("preparing", "submitted"),
        ("submitted", "issued"),
    ]
    # The keepers hear of it: the pesantren's manager and the participant who owns it.
    told = set(
        Notification.objects.filter(kind="certtracker.issued").values_list("user__email", flat=True)
    )
    assert told == {"manager_a@test.opop.id", "participant@test.opop.id"}


@pytest.mark.parametrize(
    ("status_path", "target"),
    [
        ([], TrackStatus.ISSUED),
        ([], TrackStatus.SUBMITTED),
        ([TrackStatus.PREPARING], TrackStatus.REJECTED),
        ([TrackStatus.PREPARING], TrackStatus.PLANNED),
    ],
)
def test_invalid_moves_are_refused(world, status_path, target):
    actor = world.user("admin")
    track = services.track_start(actor=actor, product=product(world), kind="pirt")
    for status in status_path:
        track = services.track_move(actor=actor, track=track, to_status=status)
    with pytest.raises(ValidationError, match="cannot move"):
        services.track_move(actor=actor, track=track, to_status=target, note="x")
    track.refresh_from_db()
    assert track.status == (status_path[-1] if status_path else TrackStatus.PLANNED)
    assert track.steps.count() == 1 + len(status_path)


def test_issued_and_rejected_are_final(world):
    track = issued_track(world)
    with pytest.raises(ValidationError):
        services.track_move(actor=world.user("admin"), track=track, to_status=TrackStatus.REJECTED)


def test_a_bad_certificate_number_issues_nothing(world):
    actor = world.user("admin")
    track = services.track_start(actor=actor, product=product(world), kind="halal")
    track = services.track_move(actor=actor, track=track, to_status=TrackStatus.PREPARING)
    track = services.track_move(actor=actor, track=track, to_status=TrackStatus.SUBMITTED)
    with pytest.raises(ValidationError) as caught:
        services.track_move(
            actor=actor, track=track, to_status=TrackStatus.ISSUED, number="KH-123/2025"
        )
    assert "number" in caught.value.message_dict
    track.refresh_from_db()
    assert track.status == TrackStatus.SUBMITTED
    assert not Certification.objects.exists()


def test_a_rejection_needs_a_reason_and_a_future_date_is_refused(world):
    actor = world.user("admin")
    track = services.track_start(actor=actor, product=product(world), kind="bpom")
    with pytest.raises(ValidationError, match="future"):
        services.track_move(actor=actor, track=track, to_status="preparing", on=days(1))
    track = services.track_move(actor=actor, track=track, to_status=TrackStatus.PREPARING)
    track = services.track_move(
        actor=actor, track=track, to_status=TrackStatus.SUBMITTED, authority_reference="REG-9"
    )
    with pytest.raises(ValidationError) as caught:
        services.track_move(actor=actor, track=track, to_status=TrackStatus.REJECTED)
    assert "note" in caught.value.message_dict
    track = services.track_move(
        actor=actor, track=track, to_status=TrackStatus.REJECTED, note="Label incomplete"
    )
    assert track.authority_reference == "REG-9"
    # A rejected track may be tried again: the old one stays as history.
    again = services.track_start(actor=actor, product=track.product, kind="bpom")
    track.refresh_from_db()
    assert track.superseded and not again.superseded
    assert again.renews is None


def test_a_second_track_is_refused_while_one_is_under_way(world):
    actor = world.user("admin")
    item = product(world)
    services.track_start(actor=actor, product=item, kind="halal")
    with pytest.raises(ValidationError, match="under way"):
        services.track_start(actor=actor, product=item, kind="halal")
    # Another kind is a separate track.
    services.track_start(actor=actor, product=item, kind="pirt")
    assert CertificationTrack.objects.filter(product=item).count() == 2


def test_renewal_waits_for_the_window_then_updates_the_same_certificate(world):
    actor = world.user("admin")
    track = issued_track(world, expires_in=200)
    with pytest.raises(ValidationError, match="still valid"):
        services.track_start(actor=actor, product=track.product, kind="halal")
    track.certification.expires_on = days(60)
    track.certification.save()
    renewal = services.track_start(actor=actor, product=track.product, kind="halal")
    assert renewal.renews == track
    track.refresh_from_db()
    assert track.superseded
    with pytest.raises(ValidationError, match="replaced"):
        services.track_move(actor=actor, track=track, to_status=TrackStatus.REJECTED, note="x")
    for status in (TrackStatus.PREPARING, TrackStatus.SUBMITTED):
        renewal = services.track_move(actor=actor, track=renewal, to_status=status)
    renewal = services.track_move(
        actor=actor,
        track=renewal,
        to_status=TrackStatus.ISSUED,
        number="ID 3511 0000 9999",
        expires_on=days(1500),
    )
    assert Certification.objects.filter(product=track.product).count() == 1
    assert renewal.certification_id == track.certification_id
    assert renewal.certification.number == "ID351100009999"
    assert renewal.certification.expires_on == days(1500)


def test_backfill_gives_untracked_certificates_an_issued_track_once(world):
    item = product(world)
    certificate = catalog_certificate(item, expires_in=50)
    assert services.tracks_backfill() == 1
    assert services.tracks_backfill() == 0
    track = CertificationTrack.objects.get(product=item)
    assert track.status == TrackStatus.ISSUED
    assert track.certification == certificate
    assert TrackStep.objects.filter(track=track).count() == 1
    # Expiring within 90 days: the renewal may start.
    renewal = services.track_start(actor=world.user("manager_a"), product=item, kind="halal")
    assert renewal.renews == track


def test_starting_a_kind_the_catalogue_already_holds_valid_is_refused(world):
    item = product(world)
    catalog_certificate(item, expires_in=None)
    with pytest.raises(ValidationError, match="still valid"):
        services.track_start(actor=world.user("admin"), product=item, kind="halal")
    # The refusal undoes everything, the backfilled track included; the daily job writes it.
    assert not CertificationTrack.objects.filter(product=item).exists()


def test_a_keeper_who_records_the_decision_is_not_told_of_it(world):
    manager = world.user("manager_a")
    track = services.track_start(actor=manager, product=product(world), kind="sni")
    for status in (TrackStatus.PREPARING, TrackStatus.SUBMITTED):
        track = services.track_move(actor=manager, track=track, to_status=status)
    services.track_move(actor=manager, track=track, to_status=TrackStatus.REJECTED, note="Lab")
    told = Notification.objects.filter(kind="certtracker.rejected")
    assert list(told.values_list("user__email", flat=True)) == ["participant@test.opop.id"]


def test_a_catalogue_certificate_gets_its_track_when_saved(
    world, django_capture_on_commit_callbacks
):
    item = product(world)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = catalog_certificate(item, expires_in=400)
    track = CertificationTrack.objects.get(product=item)
    assert track.status == TrackStatus.ISSUED and track.certification == certificate
    # Saving it again (a corrected number) adds nothing; nor does the daily backfill.
    with django_capture_on_commit_callbacks(execute=True):
        certificate.number = "ID351100001111"
        certificate.save()
    assert CertificationTrack.objects.filter(product=item).count() == 1
    assert services.tracks_backfill() == 0
