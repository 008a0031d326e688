"""The milestones API: levels and checklists in scope, refusals, no personal data."""

import pytest

from opop.common.testing.api import api
from opop.milestones.tests import helpers as h
from opop.registry.models import Pesantren

pytestmark = pytest.mark.django_db

LEVELS = "/api/v1/milestones/levels/"


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


@pytest.fixture
def progress(world):
    """Pesantren A (Surabaya) verified up to level 2; B (Jombang) untouched."""
    items = h.checklist(world.jatim)
    for code in ("founded", "chosen", "nib"):
        h.verified(world, world.pesantren_a, items[code])
    h.claimed(world, world.pesantren_a, items["rat"])
    return items


def test_admin_lists_every_pesantren_of_the_programme_with_its_level(world, progress):
    rows = api(world, "admin").get(LEVELS).json()["results"]
    by_name = {row["name"]: row for row in rows}
    assert set(by_name) == {world.pesantren_a.name, world.pesantren_b.name}
    a = by_name[world.pesantren_a.name]
    assert a["level"] == 2 and a["level_label"] == "Developing"
    assert a["verified_count"] == 3 and a["reached_on"]
    assert a["regency"] == {"code": "35.78", "name": "Kota Surabaya"}
    b = by_name[world.pesantren_b.name]
    assert b["level"] == 0 and b["verified_count"] == 0 and b["reached_on"] is None


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("officer", {"Pondok Pesantren Al-Hikmah"}),
        ("facilitator", {"Pondok Pesantren Al-Hikmah"}),
        ("manager_a", {"Pondok Pesantren Al-Hikmah"}),
        ("manager_b", {"Pondok Pesantren Darul Ulum"}),
        ("auditor", {"Pondok Pesantren Al-Hikmah", "Pondok Pesantren Darul Ulum"}),
        ("kalsel_admin", {"Pondok Pesantren Al-Falah"}),
    ],
)
def test_list_is_scoped_like_the_pages(world, progress, persona, expected):
    assert names(api(world, persona).get(LEVELS)) == expected


def test_filters_by_level_and_regency(world, progress):
    client = api(world, "admin")
    assert names(client.get(LEVELS, {"level": 2})) == {world.pesantren_a.name}
    assert names(client.get(LEVELS, {"level": 0})) == {world.pesantren_b.name}
    assert names(client.get(LEVELS, {"regency": "35.17"})) == {world.pesantren_b.name}
    assert client.get(LEVELS, {"level": 7}).status_code == 400
    assert client.get(LEVELS, {"regency": "Surabaya"}).status_code == 400
    # An officer asking for another kab/kota gets nothing, not the whole programme.
    assert names(api(world, "officer").get(LEVELS, {"regency": "35.17"})) == set()


def test_detail_carries_the_checklist_with_statuses(world, progress):
    response = api(world, "manager_a").get(f"{LEVELS}{world.pesantren_a.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["level"] == 2
    groups = {group["level"]: group for group in data["checklist"]}
    assert [groups[lvl]["verified"] for lvl in (1, 2, 3)] == [2, 1, 0]
    assert groups[1]["percent"] == 100
    items = {item["code"]: item for group in data["checklist"] for item in group["items"]}
    assert items["nib"]["status"] == "verified"
    assert items["rat"]["status"] == "claimed" and items["rat"]["note"] == "done"
    # Evidence only as the app's own protected download page, never a storage path.
    url = items["rat"]["evidence_url"]
    assert url.startswith("http://testserver/milestones/pesantren/")
    assert url.endswith(f"/items/{progress['rat'].pk}/evidence/")
    assert items["chosen"]["evidence_url"] is None  # a note-only item has no file
    assert "private" not in response.content.decode() and ".pdf" not in response.content.decode()


def test_untouched_item_reads_not_started(world, progress):
    data = api(world, "admin").get(f"{LEVELS}{world.pesantren_b.pk}/").json()
    statuses = {item["status"] for group in data["checklist"] for item in group["items"]}
    assert statuses == {"not_started"}


@pytest.mark.parametrize(
    "persona, pesantren",
    [
        ("officer", "pesantren_b"),
        ("facilitator", "pesantren_b"),
        ("manager_b", "pesantren_a"),
        ("admin", "pesantren_kalsel"),
    ],
)
def test_detail_outside_the_scope_is_404(world, progress, persona, pesantren):
    pk = getattr(world, pesantren).pk
    assert api(world, persona).get(f"{LEVELS}{pk}/").status_code == 404


@pytest.mark.parametrize("persona", ["participant", "juror", "partner", "buyer", "outsider"])
def test_roles_that_do_not_read_milestones_are_refused(world, progress, persona):
    client = api(world, persona)
    assert client.get(LEVELS).status_code == 403
    assert client.get(f"{LEVELS}{world.pesantren_a.pk}/").status_code == 403


def test_anonymous_gets_401_and_another_programme_403(world, progress):
    assert api(world, "anonymous").get(LEVELS).status_code == 401
    assert api(world, "kalsel_admin").get(LEVELS, {"programme": "jatim"}).status_code == 403


def test_read_only(world, progress):
    client = api(world, "admin")
    assert client.post(LEVELS, {}).status_code == 405
    assert client.delete(f"{LEVELS}{world.pesantren_a.pk}/").status_code == 405


def test_no_personal_data_in_the_payload(world, progress):
    Pesantren.objects.filter(pk=world.pesantren_a.pk).update(
        phone="+6281299998888", address="Jl. Rahasia 9", leader_name="KH Fulan"
    )
    client = api(world, "admin")
    for response in (client.get(LEVELS), client.get(f"{LEVELS}{world.pesantren_a.pk}/")):
        body = response.content.decode()
        for secret in ("+6281299998888", "Jl. Rahasia 9", "KH Fulan", world.person_a.full_name):
            assert secret not in body
        for key in ('"nik', '"phone"', '"address"', '"email"'):
            assert key not in body


def test_pagination(world, progress):
    first = api(world, "admin").get(LEVELS, {"page_size": 1}).json()
    assert first["count"] == 2 and len(first["results"]) == 1
    assert "page=2" in first["next"] and first["previous"] is None


# Token, memberships, count, page rows.
LIST_QUERIES = 4


def test_list_query_count_does_not_grow_with_rows(world, progress, django_assert_num_queries):
    for n in range(10):
        Pesantren.objects.create(
            programme=world.jatim,
            nspp=f"5199357800{n:02d}",
            name=f"Pesantren {n}",
            regency_id="35.78",
        )
    client = api(world, "admin")
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(LEVELS).status_code == 200
