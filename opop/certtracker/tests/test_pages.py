import pytest
from django.urls import reverse

from opop.certtracker import services
from opop.certtracker.models import CertificationTrack, TrackStatus
from opop.certtracker.tests.helpers import HALAL_NUMBER, days, issued_track, product

pytestmark = pytest.mark.django_db

BOARD = reverse("certtracker:board")
LIST = reverse("certtracker:list")
START = reverse("certtracker:start")
ELIGIBILITY = reverse("certtracker:eligibility")


@pytest.fixture
def tracks(world):
    """A track in Surabaya (enterprise_a, pesantren A) and one in Jombang (enterprise_b)."""
    admin = world.user("admin")
    a = services.track_start(actor=admin, product=product(world), kind="halal")
    b = services.track_start(
        actor=admin, product=product(world, world.enterprise_b, "Batik Tulis"), kind="trademark"
    )
    return a, b


def _detail(track):
    return reverse("certtracker:detail", args=[track.pk])


def _move(track):
    return reverse("certtracker:move", args=[track.pk])


@pytest.mark.parametrize("url", [BOARD, LIST, START, ELIGIBILITY])
def test_anonymous_is_sent_to_login(world, url):
    response = world.client("anonymous").get(url)
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("persona", ["juror", "partner", "buyer", "outsider"])
@pytest.mark.parametrize("url", [BOARD, LIST, START, ELIGIBILITY])
def test_roles_outside_coaching_are_refused(world, persona, url):
    assert world.client(persona).get(url).status_code == 403


@pytest.mark.parametrize("persona", ["partner", "juror", "outsider"])
def test_roles_outside_coaching_cannot_open_or_move_a_track(world, tracks, persona):
    a, _b = tracks
    client = world.client(persona)
    assert client.get(_detail(a)).status_code == 403
    assert client.post(_move(a), {"to_status": "preparing", "on": days(0)}).status_code == 403
    a.refresh_from_db()
    assert a.status == TrackStatus.PLANNED


@pytest.mark.parametrize("persona", ["kalsel_admin", "manager_b", "officer"])
def test_tracks_out_of_scope_are_404(world, tracks, persona):
    a, b = tracks
    other = a if persona in {"kalsel_admin", "manager_b"} else b
    client = world.client(persona)
    assert client.get(_detail(other)).status_code == 404
    response = client.post(_move(other), {"to_status": "preparing", "on": days(0)})
    assert response.status_code == 404
    assert client.post(reverse("certtracker:renew", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.status == TrackStatus.PLANNED


def test_auditor_reads_but_cannot_move_or_start(world, tracks):
    a, b = tracks
    client = world.client("auditor")
    page = client.get(_detail(a))
    assert page.status_code == 200
    assert b"Record the next step" not in page.content
    assert client.get(LIST).status_code == 200
    assert client.post(_move(a), {"to_status": "preparing", "on": days(0)}).status_code == 403
    assert client.get(START).status_code == 403
    a.refresh_from_db()
    assert a.status == TrackStatus.PLANNED


@pytest.mark.parametrize("persona", ["manager_a", "participant"])
def test_keepers_see_their_board_but_not_the_staff_list(world, tracks, persona):
    a, b = tracks
    client = world.client(persona)
    assert client.get(LIST).status_code == 403
    board = client.get(BOARD)
    assert board.status_code == 200
    assert a.product.name.encode() in board.content
    assert b.product.name.encode() not in board.content


@pytest.mark.parametrize("persona", ["admin", "officer", "facilitator", "manager_a", "participant"])
def test_coaches_and_keepers_move_a_track(world, tracks, persona):
    a, _b = tracks
    response = world.client(persona).post(
        _move(a), {"to_status": "preparing", "on": days(0).isoformat(), "note": "Docs gathered"}
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == TrackStatus.PREPARING
    assert a.steps.last().actor == world.user(persona)


def test_an_invalid_move_through_the_page_is_refused(world, tracks):
    a, _b = tracks
    client = world.client("facilitator")
    response = client.post(_move(a), {"to_status": "issued", "on": days(0).isoformat()})
    assert response.status_code == 400
    a.refresh_from_db()
    assert a.status == TrackStatus.PLANNED


def test_issue_through_the_page(world, tracks):
    a, _b = tracks
    client = world.client("officer")
    for status in ("preparing", "submitted"):
        client.post(_move(a), {"to_status": status, "on": days(0).isoformat()})
    bad = client.post(
        _move(a), {"to_status": "issued", "on": days(0).isoformat(), "number": "KH.123"}
    )
    assert bad.status_code == 400
    assert b"KH decision" in bad.content
    good = client.post(
        _move(a),
        {
            "to_status": "issued",
            "on": days(0).isoformat(),
            "number": HALAL_NUMBER,
            "expires_on": days(60).isoformat(),
        },
    )
    assert good.status_code == 302
    page = client.get(_detail(a))
    assert b"Expiring" in page.content
    assert b"Start the renewal" in page.content


def test_officer_list_is_scoped_and_filterable(world, tracks):
    a, b = tracks
    content = world.client("officer").get(LIST).content
    assert a.product.name.encode() in content
    assert b.product.name.encode() not in content
    admin = world.client("admin")
    both = admin.get(LIST).content
    assert a.product.name.encode() in both and b.product.name.encode() in both
    only_b = admin.get(LIST, {"kind": "trademark"}).content
    assert a.product.name.encode() not in only_b and b.product.name.encode() in only_b
    jombang = admin.get(LIST, {"regency": "35.17"}).content
    assert a.product.name.encode() not in jombang and b.product.name.encode() in jombang
    planned = admin.get(LIST, {"status": "expired"}).content
    assert a.product.name.encode() not in planned


def test_list_filters_derived_statuses(world):
    expiring = issued_track(world, expires_in=30)
    content = world.client("admin").get(LIST, {"status": "expiring"}).content
    assert expiring.product.name.encode() in content
    assert (
        world.client("admin")
        .get(LIST, {"status": "issued"})
        .content.count(expiring.product.name.encode())
        == 0
    )


def test_start_offers_only_products_the_user_keeps(world, tracks):
    item = product(world, world.enterprise_b, "Batik Cap")
    response = world.client("manager_a").post(
        START, {"product": item.pk, "kind": "halal", "on": days(0).isoformat()}
    )
    assert response.status_code == 200  # form error: not a valid choice
    assert not CertificationTrack.objects.filter(product=item).exists()
    response = world.client("manager_b").post(
        START, {"product": item.pk, "kind": "halal", "on": days(0).isoformat()}
    )
    assert response.status_code == 302
    assert CertificationTrack.objects.filter(product=item, status="planned").exists()


def test_renew_through_the_page(world):
    track = issued_track(world, expires_in=20)
    response = world.client("manager_a").post(reverse("certtracker:renew", args=[track.pk]))
    renewal = CertificationTrack.objects.get(superseded=False, product=track.product)
    assert response["Location"] == _detail(renewal)
    assert renewal.renews == track
    assert (
        world.client("auditor").post(reverse("certtracker:renew", args=[renewal.pk])).status_code
        == 403
    )


def test_eligibility_page_reads_the_registry(world):
    client = world.client("manager_a")
    answers = {
        "enterprise": world.enterprise_a.pk,
        "simple_process": "yes",
        "low_risk_ingredients": "yes",
        "slaughtering": "no",
        "small_business": "yes",
    }
    page = client.get(ELIGIBILITY, answers)
    assert b"The self-declare route applies." in page.content
    page = client.get(ELIGIBILITY, {**answers, "slaughtering": "yes"})
    assert b"does not apply yet" in page.content
    # Another pesantren's business is not offered.
    page = client.get(ELIGIBILITY, {**answers, "enterprise": world.enterprise_b.pk})
    assert b"applies." not in page.content
