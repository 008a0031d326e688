"""The registry read API: who may call it, and that every list and detail stays in scope."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from opop.accounts.models import Membership, Role
from opop.common.testing.api import api, ids

pytestmark = pytest.mark.django_db

ENDPOINTS = ["pesantren", "cooperatives", "people", "enterprises"]
# The world's record of each endpoint in Kota Surabaya (a) and Kabupaten Jombang (b).
RECORDS = {
    "pesantren": ("pesantren_a", "pesantren_b"),
    "cooperatives": ("coop_a", "coop_b"),
    "people": ("person_a", "person_b"),
    "enterprises": ("enterprise_a", "enterprise_b"),
}


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # DRF throttles and the login rate limit count in the cache; start every test at zero.
    cache.clear()


def url(endpoint: str, pk: int | None = None) -> str:
    return f"/api/v1/{endpoint}/" + (f"{pk}/" if pk else "")


def record(world, endpoint: str, which: int):
    return getattr(world, RECORDS[endpoint][which])


# --- Refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_caller_is_refused_with_401(world, endpoint):
    client = api(world, "anonymous")
    assert client.get(url(endpoint)).status_code == 401
    assert client.get(url(endpoint, record(world, endpoint, 0).pk)).status_code == 401


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_session_without_login_is_refused(world, endpoint):
    assert world.client("anonymous").get(url(endpoint)).status_code == 401


def test_invalid_token_is_refused_with_401(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get(url("people")).status_code == 401


@pytest.mark.parametrize("persona", ["juror", "buyer", "partner", "outsider"])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_roles_without_registry_access_get_403(world, persona, endpoint):
    client = api(world, persona)
    assert client.get(url(endpoint)).status_code == 403
    assert client.get(url(endpoint, record(world, endpoint, 0).pk)).status_code == 403


def test_refusal_names_the_reason(world):
    body = api(world, "juror").get(url("people")).json()
    assert body["detail"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_kalsel_admin_cannot_choose_jatim(world, endpoint):
    client = api(world, "kalsel_admin")
    assert client.get(url(endpoint), {"programme": "jatim"}).status_code == 403
    detail = url(endpoint, record(world, endpoint, 0).pk)
    assert client.get(detail, {"programme": "jatim"}).status_code == 403


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_admin_cannot_choose_a_programme_without_a_role(world, endpoint):
    client = api(world, "admin")
    assert client.get(url(endpoint), {"programme": "kalsel"}).status_code == 403
    assert client.get(url(endpoint), HTTP_X_OPOP_PROGRAMME="kalsel").status_code == 403
    assert client.get(url(endpoint), {"programme": "no-such"}).status_code == 403


# --- Scope -----------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_admin_sees_the_whole_programme_only(world, endpoint):
    client = api(world, "admin")
    a, b = record(world, endpoint, 0), record(world, endpoint, 1)
    assert ids(client.get(url(endpoint))) == {a.pk, b.pk}
    assert ids(client.get(url(endpoint), {"programme": "jatim"})) == {a.pk, b.pk}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_officer_sees_only_kota_surabaya(world, endpoint):
    client = api(world, "officer")
    a, b = record(world, endpoint, 0), record(world, endpoint, 1)
    rows = client.get(url(endpoint)).json()["results"]
    assert [row["id"] for row in rows] == [a.pk]
    assert {row["regency"]["code"] for row in rows} == {"35.78"}
    assert client.get(url(endpoint, a.pk)).status_code == 200
    assert client.get(url(endpoint, b.pk)).status_code == 404


def test_officer_cannot_open_pesantren_b(world):
    response = api(world, "officer").get(url("pesantren", world.pesantren_b.pk))
    assert response.status_code == 404
    assert "Darul Ulum" not in response.content.decode()


def test_manager_b_never_sees_pesantren_a_people(world):
    client = api(world, "manager_b")
    assert ids(client.get(url("people"))) == {world.person_b.pk}
    assert ids(client.get(url("people"), {"search": "Ahmad"})) == set()
    assert ids(client.get(url("people"), {"regency": "35.78"})) == set()
    assert client.get(url("people", world.person_a.pk)).status_code == 404
    assert ids(client.get(url("enterprises"))) == {world.enterprise_b.pk}
    assert ids(client.get(url("pesantren"))) == {world.pesantren_b.pk}


def test_facilitator_sees_assigned_pesantren_only(world):
    client = api(world, "facilitator")
    assert ids(client.get(url("pesantren"))) == {world.pesantren_a.pk}
    assert ids(client.get(url("cooperatives"))) == {world.coop_a.pk}
    assert client.get(url("people", world.person_b.pk)).status_code == 404


def test_kalsel_admin_default_programme_shows_only_kalsel(world):
    client = api(world, "kalsel_admin")
    assert ids(client.get(url("pesantren"))) == {world.pesantren_kalsel.pk}
    assert ids(client.get(url("people"))) == {world.person_kalsel.pk}
    assert ids(client.get(url("cooperatives"))) == set()
    assert client.get(url("people", world.person_a.pk)).status_code == 404
    rows = client.get(url("pesantren")).json()["results"]
    assert rows[0]["regency"] == {"code": "63.71", "name": rows[0]["regency"]["name"]}
    assert rows[0]["regency"]["name"]


def test_participant_sees_only_own_person(world):
    client = api(world, "participant")
    assert ids(client.get(url("people"))) == {world.person_a.pk}
    assert client.get(url("people", world.person_a.pk)).status_code == 200
    assert client.get(url("people", world.person_b.pk)).status_code == 404
    assert ids(client.get(url("enterprises"))) == {world.enterprise_a.pk}
    assert ids(client.get(url("cooperatives"))) == set()


def test_other_programme_records_are_404_for_admin(world):
    client = api(world, "admin")
    assert client.get(url("people", world.person_kalsel.pk)).status_code == 404
    assert client.get(url("pesantren", world.pesantren_kalsel.pk)).status_code == 404


def test_programme_header_picks_the_second_role(world):
    # The admin of jatim is also an auditor in kalsel: the header switches programme and role.
    Membership.objects.create(user=world.user("admin"), programme=world.kalsel, role=Role.AUDITOR)
    client = api(world, "admin")
    assert ids(client.get(url("people"))) == {world.person_a.pk, world.person_b.pk}
    kalsel = client.get(url("people"), HTTP_X_OPOP_PROGRAMME="kalsel").json()["results"]
    assert [row["id"] for row in kalsel] == [world.person_kalsel.pk]
    assert kalsel[0]["contact_masked"] is True
    # The query parameter wins over the header.
    both = client.get(url("people"), {"programme": "jatim"}, HTTP_X_OPOP_PROGRAMME="kalsel")
    assert ids(both) == {world.person_a.pk, world.person_b.pk}


def test_session_login_works_like_a_token(world):
    response = world.client("officer").get(url("people"))
    assert ids(response) == {world.person_a.pk}


def test_api_is_read_only(world):
    client = api(world, "admin")
    assert client.post(url("people"), {"full_name": "X"}).status_code == 405
    assert client.delete(url("people", world.person_a.pk)).status_code == 405


# --- Filters, ordering, pagination ------------------------------------------------------------


def test_regency_filter(world):
    client = api(world, "admin")
    for endpoint in ENDPOINTS:
        b = record(world, endpoint, 1)
        assert ids(client.get(url(endpoint), {"regency": "35.17"})) == {b.pk}, endpoint


def test_search_filter_matches_part_of_the_name(world):
    client = api(world, "admin")
    assert ids(client.get(url("pesantren"), {"search": "hikmah"})) == {world.pesantren_a.pk}
    assert ids(client.get(url("pesantren"), {"search": "510035170002"})) == {world.pesantren_b.pk}
    assert ids(client.get(url("cooperatives"), {"search": "darul"})) == {world.coop_b.pk}
    assert ids(client.get(url("people"), {"search": "siti"})) == {world.person_b.pk}
    assert ids(client.get(url("enterprises"), {"search": "batik"})) == {world.enterprise_b.pk}


def test_pillar_and_cohort_filters(world):
    client = api(world, "admin")
    # Only pesantren A takes part as pesantrenpreneur; both people are santripreneurs of 2025.
    assert ids(client.get(url("pesantren"), {"pillar": "pesantrenpreneur"})) == {
        world.pesantren_a.pk
    }
    assert ids(client.get(url("cooperatives"), {"pillar": "pesantrenpreneur"})) == {world.coop_a.pk}
    both = {world.person_a.pk, world.person_b.pk}
    assert ids(client.get(url("people"), {"pillar": "santripreneur"})) == both
    assert ids(client.get(url("people"), {"pillar": "sociopreneur"})) == set()
    assert ids(client.get(url("people"), {"cohort_year": 2025})) == both
    assert ids(client.get(url("people"), {"cohort_year": 2024})) == set()
    assert ids(client.get(url("enterprises"), {"pillar": "santripreneur"})) == {
        world.enterprise_a.pk,
        world.enterprise_b.pk,
    }
    # enterprise A belongs to pesantren A, a pesantrenpreneur
    assert ids(client.get(url("enterprises"), {"pillar": "pesantrenpreneur"})) == {
        world.enterprise_a.pk
    }


def test_pesantren_filter(world):
    client = api(world, "admin")
    pk = world.pesantren_b.pk
    assert ids(client.get(url("people"), {"pesantren": pk})) == {world.person_b.pk}
    assert ids(client.get(url("cooperatives"), {"pesantren": pk})) == {world.coop_b.pk}
    assert ids(client.get(url("enterprises"), {"pesantren": pk})) == {world.enterprise_b.pk}


def test_search_by_nik_is_refused(world):
    response = api(world, "admin").get(url("people"), {"search": "3578 0115 0895 0001"})
    assert response.status_code == 400
    assert set(response.json()) == {"search"}


def test_status_filter(world):
    world.pesantren_b.status = "inactive"
    world.pesantren_b.save()
    world.person_b.participations.update(status="withdrawn")
    client = api(world, "admin")
    assert ids(client.get(url("pesantren"), {"status": "active"})) == {world.pesantren_a.pk}
    assert ids(client.get(url("pesantren"), {"status": "inactive"})) == {world.pesantren_b.pk}
    assert ids(client.get(url("people"), {"status": "withdrawn"})) == {world.person_b.pk}
    # pillar + status must hold for the same participation
    assert ids(client.get(url("people"), {"pillar": "santripreneur", "status": "active"})) == {
        world.person_a.pk
    }


def test_filters_never_widen_the_scope(world):
    client = api(world, "officer")
    assert ids(client.get(url("pesantren"), {"regency": "35.17"})) == set()
    assert ids(client.get(url("people"), {"search": "Siti"})) == set()


def test_empty_filter_values_are_ignored(world):
    response = api(world, "admin").get(
        url("people"), {"regency": "", "pillar": "", "cohort_year": "", "search": ""}
    )
    assert ids(response) == {world.person_a.pk, world.person_b.pk}


def test_bad_filter_value_is_a_400_naming_the_parameter(world):
    client = api(world, "admin")
    response = client.get(url("people"), {"pillar": "astronaut", "regency": "Surabaya"})
    assert response.status_code == 400
    assert set(response.json()) == {"pillar", "regency"}
    assert client.get(url("pesantren"), {"ordering": "nik"}).status_code == 400


def test_ordering(world):
    client = api(world, "admin")
    names = [
        r["name"] for r in client.get(url("pesantren"), {"ordering": "-name"}).json()["results"]
    ]
    assert names == ["Pondok Pesantren Darul Ulum", "Pondok Pesantren Al-Hikmah"]
    rows = client.get(url("people"), {"ordering": "regency"}).json()["results"]
    assert [r["regency"]["code"] for r in rows] == ["35.17", "35.78"]


def test_page_number_pagination(world):
    client = api(world, "admin")
    first = client.get(url("people"), {"page_size": 1}).json()
    assert first["count"] == 2 and len(first["results"]) == 1
    assert first["previous"] is None and "page=2" in first["next"]
    second = client.get(url("people"), {"page_size": 1, "page": 2}).json()
    assert second["next"] is None
    assert first["results"][0]["id"] != second["results"][0]["id"]
    assert client.get(url("people"), {"page": 9}).status_code == 404


# --- Queries -----------------------------------------------------------------------------------

# Token lookup, memberships, the filter form's kab/kota choices, page count, page rows
# (+1 prefetch of participations for people).
LIST_QUERIES = {"pesantren": 5, "cooperatives": 5, "people": 6, "enterprises": 5}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_list_query_count_does_not_grow_with_rows(world, endpoint, django_assert_num_queries):
    from opop.registry.models import Enterprise, Participation, Person

    for n in range(10):
        person = Person.objects.create(
            programme=world.jatim,
            full_name=f"Santri {n}",
            regency_id="35.78",
            district_id="35.78.01",
            pesantren=world.pesantren_a,
        )
        Participation.objects.create(
            programme=world.jatim,
            pillar="santripreneur",
            cohort_year=2025,
            person=person,
            regency_id="35.78",
        )
        Enterprise.objects.create(
            programme=world.jatim,
            name=f"Usaha {n}",
            owner=person,
            pesantren=world.pesantren_a,
            cooperative=world.coop_a,
            sector="food",
            regency_id="35.78",
        )
    client = api(world, "admin")
    with django_assert_num_queries(LIST_QUERIES[endpoint]):
        assert client.get(url(endpoint)).status_code == 200
