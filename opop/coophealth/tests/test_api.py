"""The cooperative-health API: yearly reports in scope with the derived status, refusals, no
personal data."""

import pytest

from opop.common.testing.api import api, ids
from opop.coophealth.status import this_year
from opop.coophealth.tests.helpers import file_report
from opop.registry.models import Cooperative, Pesantren

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/cooperative-health/reports/"
LAST_YEAR = this_year() - 1


@pytest.fixture
def reports(world):
    """Cooperative A (Surabaya): active last year, and a report the year before. Cooperative B
    (Jombang): reported last year without an RAT (inactive)."""
    a = file_report(world, world.coop_a, year=LAST_YEAR).report
    a_before = file_report(world, world.coop_a, year=LAST_YEAR - 1, members_total=100).report
    b = file_report(world, world.coop_b, year=LAST_YEAR, rat_date=None).report
    return {"a": a, "a_before": a_before, "b": b}


def test_admin_reads_reports_newest_first_with_status(world, reports):
    rows = api(world, "admin").get(REPORTS).json()["results"]
    assert [row["year"] for row in rows] == [LAST_YEAR, LAST_YEAR, LAST_YEAR - 1]
    by_id = {row["id"]: row for row in rows}
    a = by_id[reports["a"].pk]
    assert a["cooperative"] == {"id": world.coop_a.pk, "name": world.coop_a.name}
    assert a["regency"]["code"] == "35.78" and a["members_total"] == 120
    assert a["business_volume"] == 900_000_000 and a["surplus"] == 35_000_000
    assert a["rat_held"] and a["is_active"] and a["cooperative_status"] == "active"
    b = by_id[reports["b"].pk]
    assert not b["rat_held"] and not b["is_active"] and b["cooperative_status"] == "inactive"
    assert by_id[reports["a_before"].pk]["members_total"] == 100


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("auditor", {"a", "a_before", "b"}),
        ("officer", {"a", "a_before"}),
        ("facilitator", {"a", "a_before"}),
        ("manager_a", {"a", "a_before"}),
        ("manager_b", {"b"}),
        ("participant", set()),  # reads coaching, but no cooperative in the registry scope
        ("kalsel_admin", set()),
    ],
)
def test_reports_are_scoped(world, reports, persona, expected):
    assert ids(api(world, persona).get(REPORTS)) == {reports[key].pk for key in expected}


@pytest.mark.parametrize(
    "persona, key", [("officer", "b"), ("manager_b", "a"), ("kalsel_admin", "a")]
)
def test_detail_outside_the_scope_is_404(world, reports, persona, key):
    assert api(world, persona).get(f"{REPORTS}{reports[key].pk}/").status_code == 404


def test_filters(world, reports):
    client = api(world, "admin")
    assert ids(client.get(REPORTS, {"year": LAST_YEAR - 1})) == {reports["a_before"].pk}
    assert ids(client.get(REPORTS, {"regency": "35.17"})) == {reports["b"].pk}
    assert ids(client.get(REPORTS, {"cooperative": world.coop_a.pk})) == {
        reports["a"].pk,
        reports["a_before"].pk,
    }
    assert client.get(REPORTS, {"year": "lalu"}).status_code == 400


@pytest.mark.parametrize("persona", ["partner", "juror", "buyer", "outsider"])
def test_roles_that_do_not_read_coaching_are_refused(world, reports, persona):
    client = api(world, persona)
    assert client.get(REPORTS).status_code == 403
    assert client.get(f"{REPORTS}{reports['a'].pk}/").status_code == 403


def test_anonymous_gets_401_and_writes_are_not_allowed(world, reports):
    assert api(world, "anonymous").get(REPORTS).status_code == 401
    assert api(world, "manager_a").post(REPORTS, {}).status_code == 405


def test_no_personal_data_in_the_payload(world, reports):
    Cooperative.objects.filter(pk=world.coop_a.pk).update(chair_name="Haji Chairul Anwar")
    Pesantren.objects.filter(pk=world.pesantren_a.pk).update(
        phone="+6281299998888", address="Jl. Rahasia 9", leader_name="KH Fulan"
    )
    body = api(world, "admin").get(REPORTS).content.decode()
    for secret in (
        "Haji Chairul Anwar",
        "+6281299998888",
        "Jl. Rahasia 9",
        "KH Fulan",
        world.user("admin").email,
    ):
        assert secret not in body
    for key in ('"nik', '"phone"', '"address"', '"email"', '"chair', '"created_by'):
        assert key not in body


def test_pagination(world, reports):
    first = api(world, "admin").get(REPORTS, {"page_size": 2}).json()
    assert first["count"] == 3 and len(first["results"]) == 2 and "page=2" in first["next"]


# Token, memberships, count, page rows (cooperative, pesantren, kab/kota, summary joined).
LIST_QUERIES = 4


def test_list_query_count_does_not_grow_with_rows(world, reports, django_assert_num_queries):
    for n in range(6):
        file_report(world, world.coop_b, year=LAST_YEAR - 1 - n)
    client = api(world, "admin")
    with django_assert_num_queries(LIST_QUERIES):
        assert len(ids(client.get(REPORTS))) == 9
