"""The grants API: proposals scoped like the grant pages, and the public transparency rows (the
page's rows, no personal data)."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from opop.common.testing.api import api, ids
from opop.grants import services
from opop.grants.tests.helpers import (
    AMOUNT,
    account_for,
    agreed,
    all_ok,
    pay,
    pdf,
    proposal,
    scheme,
    today,
)
from opop.registry.models import Cooperative, Pesantren

pytestmark = pytest.mark.django_db

PROPOSALS = "/api/v1/grants/proposals/"
TRANSPARENCY = "/api/v1/grants/transparency/"


@pytest.fixture(autouse=True)
def _private(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


@pytest.fixture
def grants(world):
    """A: cooperative A's signed grant, first tranche paid and accounted for. B: cooperative B's
    proposal, submitted. Draft: cooperative A's draft under a second scheme."""
    first = scheme(world)
    a = agreed(world, first)
    tranche = pay(world, a, 35_000_000, "k1")
    account_for(world, tranche)
    b = proposal(world, first, coop=world.coop_b, manager="manager_b")
    later = services.scheme_save(
        actor=world.user("admin"),
        programme=world.jatim,
        year=today().year,
        name="Hibah Lanjutan",
        amount_per_cooperative=AMOUNT,
        total_budget=500_000_000,
        tranche_percentages=[100],
        lpj_before_next_tranche=True,
        opens_on=today() - dt.timedelta(days=1),
        closes_on=today() + dt.timedelta(days=30),
    )
    draft = proposal(world, later, submit=False)
    return {"a": a, "b": b, "draft": draft}


# --- Proposals ---------------------------------------------------------------------------------


def test_admin_reads_a_proposal_with_lines_agreement_and_tranches(world, grants):
    client = api(world, "admin")
    assert ids(client.get(PROPOSALS)) == {grants["a"].pk, grants["b"].pk}  # never a draft
    data = client.get(f"{PROPOSALS}{grants['a'].pk}/").json()
    assert data["status"] == "agreed" and data["nphd_number"] == "NPHD/001"
    assert data["agreed_amount"] == AMOUNT and data["disbursed"] == 35_000_000
    assert data["tranches"] == [
        {
            "number": 1,
            "amount": 35_000_000,
            "paid_on": today().isoformat(),
            "report_status": "accepted",
        }
    ]
    assert [line["amount"] for line in data["lines"]] == [30_000_000, 20_000_000]
    assert data["cooperative"] == {"id": world.coop_a.pk, "name": world.coop_a.name}
    assert data["regency"]["code"] == "35.78" and data["scheme"]["year"] == today().year


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("auditor", {"a", "b"}),
        ("officer", {"a"}),  # Surabaya
        ("manager_a", {"a", "draft"}),  # their own, drafts too
        ("manager_b", {"b"}),
        ("kalsel_admin", set()),
    ],
)
def test_proposals_are_scoped_like_the_pages(world, grants, persona, expected):
    assert ids(api(world, persona).get(PROPOSALS)) == {grants[key].pk for key in expected}


@pytest.mark.parametrize(
    "persona, key",
    [("officer", "b"), ("manager_b", "a"), ("admin", "draft"), ("kalsel_admin", "a")],
)
def test_proposal_outside_the_scope_is_404(world, grants, persona, key):
    assert api(world, persona).get(f"{PROPOSALS}{grants[key].pk}/").status_code == 404


def test_proposal_filters(world, grants):
    client = api(world, "admin")
    assert ids(client.get(PROPOSALS, {"status": "submitted"})) == {grants["b"].pk}
    assert ids(client.get(PROPOSALS, {"regency": "35.17"})) == {grants["b"].pk}
    assert ids(client.get(PROPOSALS, {"search": "darul"})) == {grants["b"].pk}
    assert ids(client.get(PROPOSALS, {"scheme": grants["a"].scheme_id})) == {
        grants["a"].pk,
        grants["b"].pk,
    }
    assert ids(client.get(PROPOSALS, {"year": today().year - 1})) == set()
    assert client.get(PROPOSALS, {"status": "paid"}).status_code == 400


@pytest.mark.parametrize(
    "persona", ["facilitator", "participant", "partner", "juror", "buyer", "outsider"]
)
def test_roles_that_do_not_read_grants_are_refused(world, grants, persona):
    client = api(world, persona)
    assert client.get(PROPOSALS).status_code == 403
    assert client.get(f"{PROPOSALS}{grants['a'].pk}/").status_code == 403


def test_anonymous_gets_401_and_writes_are_not_allowed(world, grants):
    assert api(world, "anonymous").get(PROPOSALS).status_code == 401
    assert api(world, "manager_a").post(PROPOSALS, {}).status_code == 405


def _with_personal_data(world):
    Cooperative.objects.filter(pk=world.coop_a.pk).update(
        chair_name="Haji Chairul Anwar", npwp="0123456789012345"
    )
    Pesantren.objects.filter(pk=world.pesantren_a.pk).update(
        leader_name="KH Fulan", phone="+6281299998888", address="Jl. Rahasia 9"
    )
    return ("Haji Chairul Anwar", "0123456789012345", "KH Fulan", "+6281299998888", "Jl. Rahasia 9")


def test_no_personal_data_in_proposals(world, grants):
    secrets = _with_personal_data(world)
    body = api(world, "admin").get(PROPOSALS).content.decode()
    for secret in (*secrets, world.user("manager_a").email, world.user("manager_a").full_name):
        assert secret not in body
    for key in ('"nik', '"phone"', '"address"', '"email"', '"chair', '"npwp"'):
        assert key not in body


def test_proposals_pagination(world, grants):
    first = api(world, "admin").get(PROPOSALS, {"page_size": 1}).json()
    assert first["count"] == 2 and len(first["results"]) == 1 and "page=2" in first["next"]


# Token, memberships, count, page rows, budget lines, tranches with their reports.
PROPOSAL_QUERIES = 6


def test_proposal_list_query_count_does_not_grow_with_rows(
    world, grants, django_assert_num_queries
):
    the_scheme = grants["a"].scheme
    for n in range(5):
        pesantren = Pesantren.objects.create(
            programme=world.jatim, nspp=f"5199351700{n:02d}", name=f"PP {n}", regency_id="35.17"
        )
        coop = Cooperative.objects.create(
            programme=world.jatim, pesantren=pesantren, name=f"Kopontren {n}"
        )
        p = services.proposal_create(
            actor=world.user("admin"),
            scheme=the_scheme,
            cooperative=coop,
            plan="Rencana",
            amount_requested=AMOUNT,
            lines=[{"description": "Mesin", "amount": AMOUNT}],
        )
        services.proposal_submit(actor=world.user("admin"), proposal=p)
    client = api(world, "admin")
    with django_assert_num_queries(PROPOSAL_QUERIES):
        assert len(ids(client.get(PROPOSALS))) == 7


# --- Public transparency -----------------------------------------------------------------------


def test_transparency_needs_no_login_and_lists_signed_grants_only(world, grants):
    response = APIClient().get(TRANSPARENCY, {"programme": "jatim"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1 and data["programme"] == "jatim" and data["year"] is None
    assert data["committed"] == AMOUNT and data["disbursed"] == 35_000_000
    [row] = data["results"]
    assert row == {
        "regency": {"code": "35.78", "name": "Kota Surabaya"},
        "cooperative": world.coop_a.name,
        "pesantren": world.pesantren_a.name,
        "scheme": "Hibah Koppontren",
        "year": today().year,
        "committed": AMOUNT,
        "disbursed": 35_000_000,
        "status": "running",
    }


def test_transparency_rows_are_the_public_pages_rows(world, grants):
    page = APIClient().get("/grants/transparency/", {"programme": "jatim"}).content.decode()
    rows = APIClient().get(TRANSPARENCY, {"programme": "jatim"}).json()["results"]
    for row in rows:
        assert row["cooperative"] in page and row["pesantren"] in page
    assert world.coop_b.name not in page  # not signed: on neither
    assert world.coop_b.name not in {row["cooperative"] for row in rows}


def test_transparency_by_year_and_programme(world, grants):
    client = APIClient()
    assert (
        client.get(TRANSPARENCY, {"programme": "jatim", "year": today().year}).json()["count"] == 1
    )
    past = client.get(TRANSPARENCY, {"programme": "jatim", "year": today().year - 1}).json()
    assert past["count"] == 0 and past["committed"] == 0 and past["year"] == today().year - 1
    assert client.get(TRANSPARENCY, {"programme": "kalsel"}).json()["count"] == 0
    assert client.get(TRANSPARENCY, {"programme": "nowhere"}).status_code == 404
    assert client.get(TRANSPARENCY).status_code == 400
    assert client.get(TRANSPARENCY, {"programme": "jatim", "year": "last"}).status_code == 400


def test_transparency_carries_no_personal_data(world, grants):
    secrets = _with_personal_data(world)
    body = APIClient().get(TRANSPARENCY, {"programme": "jatim"}).content.decode()
    for secret in (*secrets, world.user("manager_a").email, "NPHD/001", "TRF-k1"):
        assert secret not in body
    for key in ("nik", "phone", "address", "email", "chair", "npwp", "plan"):
        assert f'"{key}' not in body


def test_transparency_ignores_a_session_and_is_paginated(world, grants):
    admin = world.user("admin")
    b = services.proposal_verify(
        actor=admin, proposal=grants["b"], decision="verified", checklist=all_ok()
    )
    services.agreement_record(
        actor=admin, proposal=b, nphd_number="NPHD/002", nphd_date=today(), upload=pdf()
    )
    client = world.client("admin")  # a logged-in browser gets the same public answer
    first = client.get(TRANSPARENCY, {"programme": "jatim", "page_size": 1}).json()
    assert first["count"] == 2 and len(first["results"]) == 1 and "page=2" in first["next"]
    assert first["committed"] == 2 * AMOUNT  # totals of every row, not only this page
