"""The certification tracker API: tracks in scope with shown status and history, refusals, no
personal data."""

import pytest

from opop.certtracker import services
from opop.certtracker.tests import helpers as h
from opop.common.testing.api import api, ids

pytestmark = pytest.mark.django_db

TRACKS = "/api/v1/certifications/tracks/"


@pytest.fixture
def tracks(world):
    """A: halal issued for a product of enterprise A (Surabaya), expiring in 30 days.
    B: P-IRT planned for a product of enterprise B (Jombang)."""
    a = h.issued_track(world, expires_in=30)
    b = services.track_start(
        actor=world.user("admin"),
        product=h.product(world, world.enterprise_b, name="Batik Tulis"),
        kind="pirt",
        note="Siapkan denah dapur.",
    )
    return {"a": a, "b": b}


def test_admin_reads_tracks_with_shown_status_certificate_and_history(world, tracks):
    client = api(world, "admin")
    assert ids(client.get(TRACKS)) == {tracks["a"].pk, tracks["b"].pk}
    data = client.get(f"{TRACKS}{tracks['a'].pk}/").json()
    assert data["kind"] == "halal" and data["status"] == "issued"
    assert data["shown_status"] == "expiring"
    assert data["certificate"]["number"] == h.HALAL_NUMBER
    assert data["certificate"]["expires_on"] == h.days(30).isoformat()
    assert data["product"]["enterprise_name"] == world.enterprise_a.name
    assert data["pesantren"] == {"id": world.pesantren_a.pk, "name": world.pesantren_a.name}
    assert data["regency"]["code"] == "35.78"
    assert [step["to_status"] for step in data["steps"]] == [
        "planned",
        "preparing",
        "submitted",
        "issued",
    ]
    assert data["steps"][0]["from_status"] == ""


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("auditor", {"a", "b"}),
        ("officer", {"a"}),
        ("facilitator", {"a"}),
        ("manager_a", {"a"}),
        ("manager_b", {"b"}),
        ("participant", {"a"}),  # owns enterprise A
        ("kalsel_admin", set()),
    ],
)
def test_list_is_scoped(world, tracks, persona, expected):
    assert ids(api(world, persona).get(TRACKS)) == {tracks[key].pk for key in expected}


@pytest.mark.parametrize(
    "persona, track", [("officer", "b"), ("manager_b", "a"), ("kalsel_admin", "a")]
)
def test_detail_outside_the_scope_is_404(world, tracks, persona, track):
    assert api(world, persona).get(f"{TRACKS}{tracks[track].pk}/").status_code == 404


def test_filters_use_the_shown_status(world, tracks):
    client = api(world, "admin")
    assert ids(client.get(TRACKS, {"status": "expiring"})) == {tracks["a"].pk}
    assert ids(client.get(TRACKS, {"status": "issued"})) == set()
    assert ids(client.get(TRACKS, {"status": "planned"})) == {tracks["b"].pk}
    assert ids(client.get(TRACKS, {"kind": "pirt"})) == {tracks["b"].pk}
    assert ids(client.get(TRACKS, {"regency": "35.78"})) == {tracks["a"].pk}
    assert ids(client.get(TRACKS, {"pesantren": world.pesantren_b.pk})) == {tracks["b"].pk}
    assert client.get(TRACKS, {"status": "lost"}).status_code == 400
    assert client.get(TRACKS, {"kind": "iso"}).status_code == 400


def test_list_holds_current_tracks_and_a_renewed_one_stays_readable(world, tracks):
    renewal = services.track_start(
        actor=world.user("admin"), product=tracks["a"].product, kind="halal"
    )
    client = api(world, "manager_a")
    assert ids(client.get(TRACKS)) == {renewal.pk}
    assert client.get(f"{TRACKS}{renewal.pk}/").json()["renews"] == tracks["a"].pk
    old = client.get(f"{TRACKS}{tracks['a'].pk}/")
    assert old.status_code == 200 and old.json()["superseded"] is True


@pytest.mark.parametrize("persona", ["partner", "juror", "buyer", "outsider"])
def test_roles_that_do_not_read_coaching_are_refused(world, tracks, persona):
    client = api(world, persona)
    assert client.get(TRACKS).status_code == 403
    assert client.get(f"{TRACKS}{tracks['a'].pk}/").status_code == 403


def test_anonymous_gets_401_and_writes_are_not_allowed(world, tracks):
    assert api(world, "anonymous").get(TRACKS).status_code == 401
    assert api(world, "admin").post(TRACKS, {}).status_code == 405


def test_no_personal_data_in_the_payload(world, tracks):
    body = api(world, "admin").get(TRACKS).content.decode()
    for person in (world.person_a, world.person_b):
        for secret in (person.full_name, person.phone, person.email, person.address):
            assert secret not in body
    for key in ('"nik', '"phone"', '"address"', '"email"', '"owner'):
        assert key not in body
    # Who moved a track is not said either.
    assert world.user("admin").email not in body


def test_pagination(world, tracks):
    first = api(world, "admin").get(TRACKS, {"page_size": 1}).json()
    assert first["count"] == 2 and len(first["results"]) == 1 and "page=2" in first["next"]


# Token, memberships, count, page rows, steps.
LIST_QUERIES = 5


def test_list_query_count_does_not_grow_with_rows(world, tracks, django_assert_num_queries):
    for n in range(6):
        h.issued_track(world, expires_in=200 + n)
    client = api(world, "admin")
    with django_assert_num_queries(LIST_QUERIES):
        assert len(ids(client.get(TRACKS))) == 8
