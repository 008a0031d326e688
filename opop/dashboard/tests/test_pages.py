"""The dashboard page and its API: who may open them, what they show, how many queries."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from opop.common.testing.personas import SURABAYA
from opop.dashboard.services import dashboard_refresh
from opop.dashboard.tests.helpers import MALANG, add_rows

pytestmark = pytest.mark.django_db

URL = "/dashboard/"
API = "/api/v1/dashboard/"


def chart_data(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="dashboard-chart" type="application/json">')
    body = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    return json.loads(body)


@pytest.mark.parametrize(
    "persona",
    ["admin", "auditor", "officer", "facilitator", "manager_a", "participant", "partner"],
)
def test_dashboard_readers_open_the_page(world, persona):
    response = world.client(persona).get(URL, {"year": 2025})
    assert response.status_code == 200
    assert reverse("dashboard:programme") == URL


def test_it_sends_anonymous_to_login(world):
    response = world.client("anonymous").get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["juror", "buyer", "outsider"])
def test_it_refuses_roles_without_dashboard(world, persona):
    assert world.client(persona).get(URL).status_code == 403


def test_it_rejects_post(world):
    assert world.client("admin").post(URL).status_code == 405


def test_page_shows_counts_targets_and_percent(world):
    response = world.client("admin").get(URL, {"year": 2025}, HTTP_ACCEPT_LANGUAGE="id")
    html = response.content.decode()
    assert 'data-pillar="pesantrenpreneur"' in html
    # 1 pesantrenpreneur in 2025 against a target of 250: 0,4 % (Indonesian decimal comma).
    assert "250" in html and "0,4%" in html
    english = world.client("admin").get(URL, {"year": 2025}, HTTP_ACCEPT_LANGUAGE="en")
    assert "figures as of" in english.content.decode()


def test_officer_page_lists_only_own_kab_kota(world):
    add_rows(world)
    response = world.client("officer").get(URL, {"year": 2025})
    html = response.content.decode()
    assert f'data-regency="{SURABAYA}"' in html
    assert f'data-regency="{MALANG}"' not in html
    assert 'data-regency="35.17"' not in html
    assert chart_data(response)["labels"] == ["Kota Surabaya"]


def test_admin_page_lists_every_kab_kota_with_zeros(world):
    response = world.client("admin").get(URL, {"year": 2025})
    data = chart_data(response)
    assert len(data["labels"]) == 38
    santri = next(s for s in data["series"] if s["key"] == "santripreneur")
    assert sum(santri["data"]) == 2
    assert response.content.decode().count("data-regency=") == 39  # 38 + total


def test_year_switch_changes_the_figures(world):
    add_rows(world)
    client = world.client("admin")
    r2024 = client.get(URL, {"year": 2024}).context["dashboard"]
    r2025 = client.get(URL, {"year": 2025}).context["dashboard"]
    assert r2024.year == 2024 and r2025.year == 2025
    # Sociopreneurs of 2024 in Surabaya and Jombang, two pesantrenpreneur cohorts of 2024.
    assert r2024.pillars[2].year.count == 2
    assert r2024.pillars[1].year.count == 2
    assert r2025.pillars[1].cumulative.count == 3
    assert r2025.pillars[0].cumulative.count > r2024.pillars[0].cumulative.count
    html = client.get(URL, {"year": 2024}).content.decode()
    assert '<option value="2024" selected>' in html


@pytest.mark.parametrize("bad", ["abc", "1999", "99999", ""])
def test_a_bad_year_falls_back_to_the_current_one(world, bad):
    response = world.client("admin").get(URL, {"year": bad})
    assert response.status_code == 200
    assert response.context["dashboard"].year == timezone.localdate().year


def test_page_query_count_does_not_grow_with_the_data(
    world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    client = world.client("admin")
    _sales_row(world, world.pesantren_a, "35.78")
    client.get(URL, {"year": 2025})  # first view counts the summaries once
    # session, user, memberships, state, indicators+targets, regencies, 3 grouped counts, years,
    # unread notifications (navbar), curation summary rows, OPOP Mart sales rows + the names of
    # their pesantren and kab/kota
    with django_assert_num_queries(15):
        client.get(URL, {"year": 2025})
    add_rows(world)
    _sales_row(world, world.pesantren_b, "35.17")
    dashboard_refresh(programme_id=world.jatim.pk)
    with django_assert_num_queries(15):
        client.get(URL, {"year": 2025})


def _sales_row(world, pesantren, regency_code):
    from opop.mart.models import SalesCount

    SalesCount.objects.create(
        programme=world.jatim,
        year=2025,
        month=3,
        regency_code=regency_code,
        pesantren_key=pesantren.pk,
        pillar="santripreneur",
        orders=2,
        value=50_000,
    )


def test_live_page_query_count_is_pinned_too(world, django_assert_num_queries):
    client = world.client("facilitator")
    # session, user, memberships, assigned pesantren, their ids, participations (one union),
    # cooperatives, pesantren, indicators, regions, years, unread notifications (navbar),
    # curation: the ids of the products in scope (no product here, so the backlog's two
    # queries over those ids are not needed), OPOP Mart sales of their sellers (counted live)
    with django_assert_num_queries(14):
        client.get(URL, {"year": 2025})


def test_chart_data_is_json_not_inline_script(world):
    html = world.client("admin").get(URL).content.decode()
    assert '<script id="dashboard-chart" type="application/json">' in html
    assert "dashboard/dashboard.js" in html
    assert "vendor/chartjs/chart.umd.min.js" in html


# --- API -------------------------------------------------------------------------------------


def test_api_returns_the_same_figures_as_the_page(world):
    add_rows(world)
    page = world.client("admin").get(URL, {"year": 2025}).context["dashboard"]
    data = world.client("admin").get(API, {"programme": "jatim", "year": 2025}).json()
    assert data["programme"] == "jatim" and data["year"] == 2025
    assert data["scope"] == "programme"
    assert [(p["year"]["count"], p["cumulative"]["count"]) for p in data["pillars"]] == [
        (p.year.count, p.cumulative.count) for p in page.pillars
    ]
    assert data["pillars"][1]["year"]["target"] == 250
    assert data["totals"]["pesantren"] == page.totals.pesantren
    assert len(data["regencies"]) == len(page.regencies)
    assert data["cooperatives_total"] == page.cooperatives_total


def test_api_with_token_scopes_an_officer_to_own_kab_kota(world):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    add_rows(world)
    token = Token.objects.create(user=world.user("officer"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    data = client.get(API, {"programme": "jatim", "year": 2025}).json()
    assert data["scope"] == "regency"
    assert [r["code"] for r in data["regencies"]] == [SURABAYA]
    assert data["totals"]["santripreneur"] == data["regencies"][0]["santripreneur"]


def test_api_gives_partner_programme_aggregates(world):
    data = world.client("partner").get(API, {"programme": "jatim", "year": 2025}).json()
    assert data["scope"] == "programme"
    assert data["totals"]["santripreneur"] == 2


def test_api_refuses_anonymous(world):
    assert world.client("anonymous").get(API, {"programme": "jatim"}).status_code == 401


@pytest.mark.parametrize("persona", ["juror", "buyer", "outsider"])
def test_api_refuses_roles_without_dashboard(world, persona):
    response = world.client(persona).get(API, {"programme": "jatim"})
    assert response.status_code == 403


def test_api_refuses_another_programmes_admin(world):
    response = world.client("kalsel_admin").get(API, {"programme": "jatim", "year": 2025})
    assert response.status_code == 403
    assert "Surabaya" not in response.content.decode()


def test_api_gives_kalsel_admin_only_kalsel(world):
    data = world.client("kalsel_admin").get(API, {"programme": "kalsel", "year": 2025}).json()
    assert data["programme"] == "kalsel"
    assert {r["code"][:2] for r in data["regencies"] if r["code"]} == {"63"}


def test_api_refuses_an_unknown_programme_like_a_foreign_one(world):
    assert world.client("admin").get(API, {"programme": "nope"}).status_code == 403


@pytest.mark.parametrize("params", [{}, {"programme": "jatim", "year": "abc"}])
def test_api_explains_bad_parameters(world, params):
    response = world.client("admin").get(API, params)
    assert response.status_code == 400


def test_api_is_in_the_openapi_schema(world):
    response = world.client("admin").get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    operation = schema["paths"]["/api/v1/dashboard/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"programme", "year"}
    assert "403" in operation["responses"]
