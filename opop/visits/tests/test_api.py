"""The visits API: reports in scope with action items and protected photo URLs, refusals, no
personal data."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from opop.accounts.access import access_for
from opop.common.testing.api import api, ids
from opop.registry.models import Pesantren
from opop.visits.photos import photos_cleaned
from opop.visits.services.visits import visit_review
from opop.visits.tests.helpers import jpeg_with_exif, make_visit, second_facilitator

pytestmark = pytest.mark.django_db

VISITS = "/api/v1/visits/"


@pytest.fixture(autouse=True)
def _private(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def visits(world):
    """A: the facilitator's report on pesantren A (Surabaya) with a photo, a location, an
    overdue and a coming action item. B: another facilitator's report on pesantren B
    (Jombang), reviewed."""
    a = make_visit(
        world,
        notes="Koperasi sudah punya NIB.",
        items=[
            {"text": "Daftar NPWP", "due_on": days(-3), "responsible": "Pengurus koperasi"},
            {"text": "Urus P-IRT", "due_on": days(20)},
        ],
        photos=photos_cleaned([io.BytesIO(jpeg_with_exif())]),
        location={
            "latitude": Decimal("-7.250445"),
            "longitude": Decimal("112.768800"),
            "accuracy": 18,
            "read_at": timezone.now() - dt.timedelta(days=2),
        },
    )
    second_facilitator(world, "fasil_b", world.pesantren_b)
    b = make_visit(world, persona="fasil_b", pesantren=world.pesantren_b, notes="Kemasan baru.")
    admin = world.user("admin")
    visit_review(
        actor=admin, access=access_for(admin, programme_code="jatim"), visit=b, decision="reviewed"
    )
    return {"a": a, "b": b}


def test_facilitator_reads_their_report_with_items_photo_and_location(world, visits):
    client = api(world, "facilitator")
    assert ids(client.get(VISITS)) == {visits["a"].pk}
    data = client.get(f"{VISITS}{visits['a'].pk}/").json()
    assert data["pesantren"] == {"id": world.pesantren_a.pk, "name": world.pesantren_a.name}
    assert data["regency"]["code"] == "35.78" and data["status"] == "submitted"
    assert data["facilitator_name"] == "Facilitator"
    assert data["location"]["latitude"] == "-7.250445" and data["location"]["accuracy_m"] == 18
    items = {item["text"]: item for item in data["action_items"]}
    assert items["Daftar NPWP"]["is_overdue"] and not items["Urus P-IRT"]["is_overdue"]
    assert items["Daftar NPWP"]["responsible"] == "Pengurus koperasi"
    [photo] = data["photos"]
    # Only the app's own permission-checked photo page, never the stored file's path.
    assert photo["url"] == f"http://testserver/visits/{visits['a'].pk}/photos/{photo['id']}/"
    assert "file" not in photo and "visits/20" not in str(data)


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("admin", {"a", "b"}),
        ("auditor", {"a", "b"}),
        ("officer", {"a"}),  # supervises Surabaya
        ("fasil_b", {"b"}),
        ("kalsel_admin", set()),
    ],
)
def test_list_is_scoped(world, visits, persona, expected):
    assert ids(api(world, persona).get(VISITS)) == {visits[key].pk for key in expected}


@pytest.mark.parametrize(
    "persona, visit", [("officer", "b"), ("facilitator", "b"), ("kalsel_admin", "a")]
)
def test_detail_outside_the_scope_is_404(world, visits, persona, visit):
    assert api(world, persona).get(f"{VISITS}{visits[visit].pk}/").status_code == 404


def test_facilitator_no_longer_assigned_loses_the_report(world, visits):
    access = access_for(world.user("facilitator"), programme_code="jatim")
    access.membership.assigned_pesantren.remove(world.pesantren_a)
    assert ids(api(world, "facilitator").get(VISITS)) == set()


def test_filters(world, visits):
    client = api(world, "admin")
    assert ids(client.get(VISITS, {"status": "reviewed"})) == {visits["b"].pk}
    assert ids(client.get(VISITS, {"regency": "35.78"})) == {visits["a"].pk}
    assert ids(client.get(VISITS, {"pesantren": world.pesantren_b.pk})) == {visits["b"].pk}
    assert ids(client.get(VISITS, {"open_items": "true"})) == {visits["a"].pk}
    assert ids(client.get(VISITS, {"year": days(-2).year})) == {visits["a"].pk, visits["b"].pk}
    assert client.get(VISITS, {"status": "lost"}).status_code == 400


@pytest.mark.parametrize(
    "persona", ["manager_a", "participant", "partner", "juror", "buyer", "outsider"]
)
def test_roles_that_do_not_read_visits_are_refused(world, visits, persona):
    client = api(world, persona)
    assert client.get(VISITS).status_code == 403
    assert client.get(f"{VISITS}{visits['a'].pk}/").status_code == 403


def test_anonymous_gets_401_and_writes_are_not_allowed(world, visits):
    assert api(world, "anonymous").get(VISITS).status_code == 401
    assert api(world, "facilitator").post(VISITS, {}).status_code == 405


def test_no_personal_data_in_the_payload(world, visits):
    Pesantren.objects.filter(pk=world.pesantren_a.pk).update(
        phone="+6281299998888", address="Jl. Rahasia 9"
    )
    body = api(world, "admin").get(VISITS).content.decode()
    for secret in (
        "+6281299998888",
        "Jl. Rahasia 9",
        world.person_a.phone,
        world.user("facilitator").email,
    ):
        assert secret not in body
    for key in ('"nik', '"phone"', '"address"', '"email"'):
        assert key not in body


def test_pagination(world, visits):
    first = api(world, "admin").get(VISITS, {"page_size": 1}).json()
    assert first["count"] == 2 and len(first["results"]) == 1 and "page=2" in first["next"]


# Token, memberships, count, page rows, action items, photos.
LIST_QUERIES = 6


def test_list_query_count_does_not_grow_with_rows(world, visits, django_assert_num_queries):
    for n in range(6):
        make_visit(world, notes=f"Kunjungan {n}", items=[{"text": "x", "due_on": days(5)}])
    client = api(world, "admin")
    with django_assert_num_queries(LIST_QUERIES):
        assert len(ids(client.get(VISITS))) == 8
