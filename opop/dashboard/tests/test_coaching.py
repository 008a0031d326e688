"""The coaching dashboard (issue 5, point 8): its figures, scope, refusals, page and API.

The fixture builds, through each app's services, one year of coaching in the persona world:
pesantren A (Kota Surabaya) and B (Kab. Jombang) each send a person to a training held in
their kab/kota, plus an online session; a product of each gets a certification issued (A's
expiring within 90 days); both cooperatives sign a grant, A's is partly paid; A reaches level 3
and B level 1; A's cooperative files an active yearly report; the facilitator visits A.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from opop.accounts.access import access_for
from opop.certtracker import services as certtracker
from opop.certtracker.models import TrackStatus
from opop.certtracker.tests.helpers import product
from opop.common.testing.personas import JOMBANG, SURABAYA
from opop.coophealth.tests.helpers import file_report
from opop.dashboard.coaching import COLUMNS, SECTIONS, coaching_figures, sections_for
from opop.grants.tests.helpers import AMOUNT, agreed, pay, scheme
from opop.milestones.tests.helpers import checklist, verified
from opop.registry.models import Cooperative
from opop.training import services as training
from opop.training.tests.helpers import make_session
from opop.visits.tests.helpers import make_visit

pytestmark = pytest.mark.django_db

URL = "/dashboard/coaching/"
API = "/api/v1/dashboard/coaching/"
PAID = 35_000_000
MALANG = "35.07"


@pytest.fixture(autouse=True)
def _private(settings, tmp_path):
    # Evidence files of milestones and grants are stored outside the web root.
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def this_year() -> int:
    return timezone.localdate().year


def _attend(world, session, person, *, certify=True):
    admin = world.user("admin")
    enrolment = training.organiser_enrol(actor=admin, session=session, person=person)
    training.check_in(actor=admin, session=session, code=enrolment.checkin_code)
    if certify:
        training.certificates_issue(actor=admin, session=session)


def _issued(world, enterprise, *, expires_in: int, kind: str):
    """A certification track walked to issued today, valid for `expires_in` more days."""
    admin = world.user("admin")
    today = timezone.localdate()
    track = certtracker.track_start(actor=admin, product=product(world, enterprise), kind=kind)
    for status in (TrackStatus.PREPARING, TrackStatus.SUBMITTED):
        track = certtracker.track_move(actor=admin, track=track, to_status=status)
    return certtracker.track_move(
        actor=admin,
        track=track,
        to_status=TrackStatus.ISSUED,
        number="ID35110000123450824" if kind == "halal" else "IDM000123456",
        issued_on=today,
        expires_on=today + dt.timedelta(days=expires_in),
    )


@pytest.fixture
def coaching(world):
    # Trainings: one in each kab/kota (held today, so in this year), one online.
    _attend(world, make_session(world, days=0, uses_tests=False), world.person_a)
    _attend(world, make_session(world, days=0, regency=JOMBANG, uses_tests=False), world.person_b)
    online = make_session(
        world, days=0, regency=None, uses_tests=False, online_link="https://meet.example"
    )
    _attend(world, online, world.person_a, certify=False)
    # Certifications: A's expires within 90 days, B's in a year.
    _issued(world, world.enterprise_a, expires_in=60, kind="halal")
    _issued(world, world.enterprise_b, expires_in=400, kind="trademark")
    # Grants: both signed this year, A's first tranche paid.
    the_scheme = scheme(world, lpj_first=False)
    grant_a = agreed(world, the_scheme)
    pay(world, grant_a, PAID, "a1")
    agreed(world, the_scheme, coop=world.coop_b, manager="manager_b", number="NPHD/002")
    # Milestones: A verifies the whole checklist (level 3), B level 1.
    items = checklist(world.jatim)
    for it in items.values():
        verified(world, world.pesantren_a, it)
    for key in ("founded", "chosen"):
        verified(world, world.pesantren_b, items[key], claimer="manager_b")
    # Cooperative health: A reported last year, active.
    file_report(world, year=this_year() - 1)
    # A visit to A by its facilitator.
    make_visit(world, visited_on=timezone.localdate())
    return world


def figures(world, persona, year=None):
    return coaching_figures(access_for(world.user(persona)), year=year or this_year())


def row(data, code):
    return next(r for r in data["regencies"] if r["code"] == code)


# --- Figures ---------------------------------------------------------------------------------


def test_admin_figures_on_the_fixture(coaching):
    data = figures(coaching, "admin")
    assert data["scope"] == "programme"
    assert data["training"] == {"sessions": 3, "attendees": 3, "certificates": 2}
    assert data["certifications"]["issued_in_year"] == 2
    assert data["certifications"]["expiring_90_days"] == 1
    assert data["grants"] == {
        "committed_count": 2,
        "committed_amount": 2 * AMOUNT,
        "disbursed_count": 1,
        "disbursed_amount": PAID,
    }
    legal = {c["legal_status"]: c["count"] for c in data["cooperatives"]["by_legal_status"]}
    assert legal[Cooperative.LegalStatus.INCORPORATED] == 1
    assert data["cooperatives"]["total"] == 2
    levels = {item["level"]: item["pesantren"] for item in data["levels"]["by_level"]}
    assert (levels[3], levels[1], data["levels"]["level_3_up"]) == (1, 1, 1)
    assert data["health"]["active"] == 1 and data["health"]["no_report"] == 1
    assert data["visits"]["visits"] == 1
    assert data["columns"] == [key for key, *_rest in COLUMNS]


def test_by_regency_table_merges_the_apps_and_adds_up(coaching):
    data = figures(coaching, "admin")
    surabaya, jombang = row(data, SURABAYA), row(data, JOMBANG)
    assert surabaya["label"] == "Kota Surabaya" and jombang["label"] == "Kab. Jombang"
    assert (surabaya["sessions"], surabaya["attendees"], surabaya["training_certificates"]) == (
        1,
        1,
        1,
    )
    assert surabaya["certifications_issued"] == 1 and jombang["certifications_issued"] == 1
    assert (surabaya["grants_committed"], surabaya["grants_disbursed"]) == (AMOUNT, PAID)
    assert (jombang["grants_committed"], jombang["grants_disbursed"]) == (AMOUNT, 0)
    assert (surabaya["cooperatives_incorporated"], jombang["cooperatives_incorporated"]) == (1, 0)
    assert (surabaya["pesantren_level_3_up"], jombang["pesantren_level_3_up"]) == (1, 0)
    assert (surabaya["visits"], jombang["visits"]) == (1, 0)
    # The online session has no kab/kota: its own row, last.
    online = data["regencies"][-1]
    assert online["code"] is None and online["sessions"] == 1 and online["attendees"] == 1
    # Every kab/kota of Jawa Timur is listed (zeros too), plus the online row.
    assert len(data["regencies"]) == 39
    totals = data["totals"]
    assert totals["sessions"] == data["training"]["sessions"]
    assert totals["attendees"] == data["training"]["attendees"]
    assert totals["training_certificates"] == data["training"]["certificates"]
    assert totals["certifications_issued"] == data["certifications"]["issued_in_year"]
    assert totals["grants_committed"] == data["grants"]["committed_amount"]
    assert totals["grants_disbursed"] == data["grants"]["disbursed_amount"]
    assert totals["pesantren_level_3_up"] == data["levels"]["level_3_up"]
    assert totals["visits"] == data["visits"]["visits"]


def test_another_year_counts_nothing_of_this_one(coaching):
    data = figures(coaching, "admin", year=this_year() - 3)
    assert data["training"]["sessions"] == 0
    assert data["certifications"]["issued_in_year"] == 0
    assert data["grants"]["committed_amount"] == 0
    assert data["visits"]["visits"] == 0
    assert data["totals"]["sessions"] == 0
    # Levels and legal status are today's, whatever the year.
    assert data["levels"]["level_3_up"] == 1


# --- Scope -----------------------------------------------------------------------------------


def test_officer_sees_only_their_kab_kota(coaching):
    data = figures(coaching, "officer")
    assert data["scope"] == "regency" and data["regency_name"] == "Kota Surabaya"
    assert [r["code"] for r in data["regencies"]] == [SURABAYA]
    assert data["training"] == {"sessions": 1, "attendees": 1, "certificates": 1}
    assert data["grants"]["committed_amount"] == AMOUNT
    assert data["certifications"]["issued_in_year"] == 1
    assert data["cooperatives"]["total"] == 1
    assert data["levels"]["pesantren"] == 1
    assert data["visits"]["visits"] == 1


def test_facilitator_sees_their_pesantren_and_no_grants(coaching):
    data = figures(coaching, "facilitator")
    assert data["scope"] == "own"
    assert data["grants"] is None
    assert "grants_committed" not in data["columns"]
    assert data["totals"]["grants_committed"] is None
    # Person A attended the Surabaya session and the online one.
    assert data["training"]["attendees"] == 2
    assert {r["code"] for r in data["regencies"]} == {SURABAYA, None}
    assert data["visits"]["visits"] == 1
    assert data["levels"]["level_3_up"] == 1


def test_manager_sees_only_their_own_cooperative(coaching):
    data = figures(coaching, "manager_b")
    assert data["grants"]["committed_amount"] == AMOUNT
    assert data["grants"]["disbursed_amount"] == 0
    assert data["training"]["attendees"] == 1
    assert data["cooperatives"]["total"] == 1
    assert data["visits"] is None
    assert [r["code"] for r in data["regencies"]] == [JOMBANG]


def test_partner_gets_programme_aggregates_but_no_grants_or_cooperatives(coaching):
    data = figures(coaching, "partner")
    assert data["scope"] == "programme"
    assert data["training"]["sessions"] == 3
    assert data["levels"]["level_3_up"] == 1
    assert data["certifications"]["issued_in_year"] == 2
    for section in ("grants", "cooperatives", "health", "visits"):
        assert data[section] is None, section
    assert sections_for(access_for(coaching.user("partner"))) == {
        "training",
        "certifications",
        "levels",
    }


def test_participant_sees_their_own_training_only(coaching):
    data = figures(coaching, "participant")
    assert data["training"]["attendees"] == 2  # person A
    for section in ("grants", "cooperatives", "levels", "health", "visits"):
        assert data[section] is None, section


def test_another_programmes_admin_sees_none_of_it(coaching):
    data = figures(coaching, "kalsel_admin")
    assert data["training"]["sessions"] == 0
    assert data["grants"]["committed_amount"] == 0
    assert {r["code"][:2] for r in data["regencies"] if r["code"]} == {"63"}


def test_roles_without_dashboard_get_nothing(coaching):
    for persona in ("juror", "buyer"):
        access = access_for(coaching.user(persona))
        assert sections_for(access) == set()
        with pytest.raises(PermissionError):
            coaching_figures(access, year=this_year())


# --- Page ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona",
    ["admin", "auditor", "officer", "facilitator", "manager_a", "participant", "partner"],
)
def test_dashboard_readers_open_the_page(coaching, persona):
    response = coaching.client(persona).get(URL, {"year": this_year()})
    assert response.status_code == 200
    assert reverse("dashboard:coaching") == URL


def test_page_sends_anonymous_to_login(world):
    response = world.client("anonymous").get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["juror", "buyer", "outsider"])
def test_page_refuses_roles_without_dashboard(world, persona):
    assert world.client(persona).get(URL).status_code == 403


def test_page_rejects_post(world):
    assert world.client("admin").post(URL).status_code == 405


def test_admin_page_shows_cards_table_and_links(coaching):
    response = coaching.client("admin").get(URL, {"year": this_year()}, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    for section in SECTIONS:
        assert f'data-section="{section}"' in html, section
    assert 'data-figure="training_attendees">3<' in html
    assert 'data-figure="grants_committed">Rp100.000.000<' in html
    assert 'data-figure="grants_disbursed">Rp35.000.000<' in html
    assert "table-responsive" in html
    assert html.count("data-regency=") == 40  # 38 kab/kota, online, total
    for name in ("training:sessions", "grants:home", "milestones:progress", "visits:list"):
        assert f'href="{reverse(name)}"' in html, name
    assert f'<option value="{this_year()}" selected>' in html
    assert "Coaching dashboard" in html


def test_officer_page_lists_only_their_kab_kota(coaching):
    html = coaching.client("officer").get(URL, {"year": this_year()}).content.decode()
    assert f'data-regency="{SURABAYA}"' in html
    assert f'data-regency="{JOMBANG}"' not in html
    assert "Darul Ulum" not in html


def test_partner_page_leaves_out_grants(coaching):
    html = coaching.client("partner").get(URL, {"year": this_year()}).content.decode()
    assert 'data-section="training"' in html
    assert 'data-section="grants"' not in html
    assert 'data-column="grants_committed"' not in html
    assert f'href="{reverse("grants:home")}"' not in html


@pytest.mark.parametrize("bad", ["abc", "1999", ""])
def test_a_bad_year_falls_back_to_the_current_one(world, bad):
    response = world.client("admin").get(URL, {"year": bad})
    assert response.status_code == 200
    assert response.context["figures"]["year"] == this_year()


def test_programme_dashboard_links_to_the_coaching_page(world):
    html = world.client("admin").get("/dashboard/", {"year": 2025}).content.decode()
    assert f'href="{URL}?year=2025"' in html


def _more_coaching_elsewhere(world):
    """The same kinds of rows again, in a third kab/kota: a page's query count must not grow."""
    from opop.registry.models import Pesantren

    pesantren = Pesantren.objects.create(programme=world.jatim, name="PP Malang", regency_id=MALANG)
    coop = Cooperative.objects.create(
        programme=world.jatim,
        pesantren=pesantren,
        name="Kopontren Malang",
        legal_status=Cooperative.LegalStatus.INCORPORATED,
    )
    _attend(world, make_session(world, days=0, regency=MALANG, uses_tests=False), world.person_b)
    from opop.grants.models import GrantScheme

    grant = agreed(world, GrantScheme.objects.get(), coop=coop, manager="admin", number="NPHD/003")
    pay(world, grant, PAID, "m1")


@pytest.mark.parametrize("persona, queries", [("admin", 27), ("officer", 27), ("facilitator", 25)])
def test_page_query_count_does_not_grow_per_kab_kota(
    coaching, persona, queries, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    client = coaching.client(persona)
    client.get(URL, {"year": this_year()})
    # session, user, memberships, unread notifications (navbar); the kab/kota names (the
    # province's list, or the few in scope); years; and per section, each a grouped query or a
    # count: trainings 3, certifications 4 + 1 (issued by kab/kota), grants 3 (not for the
    # facilitator, who has the assigned pesantren's ids instead), legal status 1, levels 4,
    # health 2, visits 3.
    with django_assert_max_num_queries(queries):
        client.get(URL, {"year": this_year()})
    _more_coaching_elsewhere(coaching)
    with django_assert_max_num_queries(queries):
        client.get(URL, {"year": this_year()})


# --- API -------------------------------------------------------------------------------------


def test_api_returns_the_same_figures_as_the_page(coaching):
    page = coaching.client("admin").get(URL, {"year": this_year()}).context["figures"]
    data = coaching.client("admin").get(API, {"programme": "jatim", "year": this_year()}).json()
    assert data["programme"] == "jatim" and data["year"] == this_year()
    assert this_year() in data["years"]
    for key in ("scope", "training", "certifications", "grants", "levels", "health", "visits"):
        assert data[key] == page[key], key
    assert data["regencies"] == page["regencies"]
    assert data["totals"] == page["totals"]


def test_api_scopes_an_officer_by_token(coaching):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    token = Token.objects.create(user=coaching.user("officer"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    data = client.get(API, {"programme": "jatim", "year": this_year()}).json()
    assert data["scope"] == "regency"
    assert [r["code"] for r in data["regencies"]] == [SURABAYA]
    assert data["grants"]["committed_amount"] == AMOUNT


def test_api_gives_partner_null_grants(coaching):
    data = coaching.client("partner").get(API, {"programme": "jatim"}).json()
    assert data["grants"] is None and data["training"]["sessions"] == 3
    assert all(r["grants_committed"] is None for r in data["regencies"])


def test_api_refuses_anonymous(world):
    assert world.client("anonymous").get(API, {"programme": "jatim"}).status_code == 401


@pytest.mark.parametrize("persona", ["juror", "buyer", "outsider"])
def test_api_refuses_roles_without_dashboard(world, persona):
    assert world.client(persona).get(API, {"programme": "jatim"}).status_code == 403


def test_api_refuses_another_programmes_admin(coaching):
    response = coaching.client("kalsel_admin").get(API, {"programme": "jatim"})
    assert response.status_code == 403
    assert "Surabaya" not in response.content.decode()


@pytest.mark.parametrize("params", [{}, {"programme": "jatim", "year": "abc"}])
def test_api_explains_bad_parameters(world, params):
    assert world.client("admin").get(API, params).status_code == 400


def test_api_is_in_the_openapi_schema(world):
    import json

    response = world.client("admin").get("/api/v1/schema/", {"format": "json"})
    operation = json.loads(response.content)["paths"][API]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"programme", "year"}
    assert {"200", "401", "403"} <= set(operation["responses"])
