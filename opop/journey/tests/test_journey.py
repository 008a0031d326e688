"""A pesantren's journey: the page and the API merge every aspect in time order, for those who
may see the pesantren, and show no personal data."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opop.accounts.access import access_for
from opop.assessment.models import Entry, Round, Stage
from opop.grants.tests.helpers import agreed
from opop.journey.selectors import journey_steps, pesantren_journey
from opop.milestones.tests.helpers import checklist, verified
from opop.registry.models import Cooperative, Person

pytestmark = pytest.mark.django_db

URL = "/journey/pesantren/{pk}/"
API = "/api/v1/journey/pesantren/{pk}/?programme={programme}"


def _at(year, month=6, day=15):
    return timezone.make_aware(dt.datetime(year, month, day, 10, 0))


@pytest.fixture
def items(world):
    return checklist(world.jatim)


@pytest.fixture
def history(world, items):
    """Pesantren A registered in 2019, its cooperative incorporated in 2020, an award entry
    published in 2022 and a curation entry still being scored, a milestone verified and a grant
    agreed today."""
    a = world.pesantren_a
    type(a).objects.filter(pk=a.pk).update(created_at=_at(2019, 3, 1))
    Cooperative.objects.filter(pk=world.coop_a.pk).update(
        created_at=_at(2019, 4, 1), legal_date=dt.date(2020, 2, 2), legal_number="AHU-0001"
    )
    Person.objects.filter(pk=world.person_a.pk).update(created_at=_at(2021))
    award = Round.objects.create(
        programme=world.jatim, year=2022, purpose=Round.Purpose.AWARD, name="OPOP Award 2022"
    )
    published = Stage.objects.create(
        round=award, name="Final", status=Stage.Status.PUBLISHED, published_at=_at(2022, 9)
    )
    Entry.objects.create(
        stage=published,
        title="Pesantren Al-Hikmah",
        pesantren=a,
        submitted_at=_at(2022, 5),
        outcome=Entry.Outcome.PASSED,
        rank=2,
        decided_at=_at(2022, 9),
    )
    curation = Round.objects.create(
        programme=world.jatim, year=2025, purpose=Round.Purpose.CURATION, name="Kurasi 2025"
    )
    scoring = Stage.objects.create(round=curation, name="Skor", status=Stage.Status.SCORING)
    Entry.objects.create(
        stage=scoring,
        title="Keripik Al-Hikmah",
        pesantren=a,
        submitted_at=_at(2025, 1),
        outcome=Entry.Outcome.NOT_PASSED,  # not published: must not show
    )
    verified(world, a, items["founded"])
    agreed(world)
    return a


def test_steps_come_from_every_aspect_in_time_order(world, history):
    steps = journey_steps(history.pk, access_for(world.user("admin")))
    kinds = [step.event.kind for step in steps]
    assert kinds[:2] == ["registry.registered", "registry.cooperative"]
    for kind in (
        "registry.legal_entity",
        "registry.participation",
        "registry.people",
        "registry.enterprises",
        "assessment.entered",
        "assessment.passed",
        "milestones.verified",
    ):
        assert kind in kinds, kind
    assert any(kind.startswith("grant.") for kind in kinds)
    assert "assessment.not_passed" not in kinds  # the curation stage is not published
    days = [step.event.on for step in steps]
    assert days == sorted(days)
    legal = next(s for s in steps if s.event.kind == "registry.legal_entity")
    assert legal.event.on == dt.date(2020, 2, 2) and legal.aspect.code == "registry"
    passed = next(s for s in steps if s.event.kind == "assessment.passed")
    assert passed.event.on == dt.date(2022, 9, 15) and "rank 2" in passed.event.detail


def test_aspect_and_year_narrow_the_steps_but_not_the_counts(world, history):
    admin = access_for(world.user("admin"))
    whole = pesantren_journey(history.pk, admin)
    only = pesantren_journey(history.pk, admin, aspect="assessment")
    assert {s.aspect.code for s in only.steps} == {"assessment"}
    assert only.total == whole.total and only.by_aspect == whole.by_aspect
    assert [year for year, _n in only.by_year] == [2022, 2025]
    in_2022 = pesantren_journey(history.pk, admin, aspect="assessment", year=2022)
    assert [s.event.kind for s in in_2022.steps] == ["assessment.entered", "assessment.passed"]


@pytest.mark.parametrize(
    "persona", ["admin", "auditor", "officer", "facilitator", "manager_a", "participant"]
)
def test_page_opens_for_those_who_see_the_pesantren(world, history, persona):
    response = world.client(persona).get(URL.format(pk=history.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pesantren registered in the OPOP registry" in html
    # Counts only: no person's name, NIK or phone on the journey.
    for private in (world.person_a.full_name, world.person_a.phone, "3578011508950001"):
        assert private not in html


@pytest.mark.parametrize(
    ("persona", "status"),
    [("buyer", 403), ("juror", 403), ("partner", 403), ("manager_b", 404), ("kalsel_admin", 404)],
)
def test_page_refuses_others(world, history, persona, status):
    response = world.client(persona).get(URL.format(pk=history.pk))
    assert response.status_code == status


def test_page_is_not_for_the_anonymous_nor_another_kab_kota(world, history):
    response = world.client("anonymous").get(URL.format(pk=history.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert world.client("officer").get(URL.format(pk=world.pesantren_b.pk)).status_code == 404


def test_page_filters_and_ignores_a_bad_filter(world, history):
    client = world.client("admin")
    page = client.get(URL.format(pk=history.pk), {"aspect": "assessment", "year": "2022"})
    html = page.content.decode()
    assert "Passed: Pesantren Al-Hikmah" in html
    assert "Pesantren registered in the OPOP registry" not in html
    bad = client.get(URL.format(pk=history.pk), {"aspect": "nonsense", "year": "abc", "page": "x"})
    assert bad.status_code == 200
    assert "Pesantren registered in the OPOP registry" in bad.content.decode()


def test_page_query_count_does_not_grow_with_history(world, history, items):
    client = world.client("admin")
    url = URL.format(pk=history.pk)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for key in ("chosen", "nib"):
        verified(world, history, items[key])
    for year in range(2016, 2026):
        coop = Cooperative.objects.create(
            programme=world.jatim, pesantren=history, name=f"Koperasi {year}"
        )
        Cooperative.objects.filter(pk=coop.pk).update(created_at=_at(year))
    with CaptureQueriesContext(connection) as after:
        html = client.get(url).content.decode()
    assert "Koperasi 2016" in html
    assert len(after) <= len(before) <= 25


def test_detail_page_links_to_the_journey(world, history):
    html = world.client("manager_a").get(f"/registry/pesantren/{history.pk}/").content.decode()
    assert URL.format(pk=history.pk) in html


def test_api_lists_the_steps_paginated(world, history):
    response = world.client("admin").get(API.format(pk=history.pk, programme="jatim"))
    assert response.status_code == 200
    body = response.json()
    assert body["pesantren"]["id"] == history.pk
    assert body["count"] == body["total"] == len(body["results"])
    assert {"code": "assessment", "label": "Assessments", "count": 3} in body["aspects"]
    first = body["results"][0]
    assert first["kind"] == "registry.registered" and first["on"] == "2019-03-01"
    narrowed = world.client("admin").get(
        API.format(pk=history.pk, programme="jatim") + "&aspect=assessment&year=2022"
    )
    assert [s["kind"] for s in narrowed.json()["results"]] == [
        "assessment.entered",
        "assessment.passed",
    ]


def test_api_refuses_and_checks_its_parameters(world, history):
    url = API.format(pk=history.pk, programme="jatim")
    assert world.client("anonymous").get(url).status_code in (401, 403)
    assert world.client("buyer").get(url).status_code == 403
    assert world.client("manager_b").get(url).status_code == 404
    assert world.client("kalsel_admin").get(url).status_code == 403
    bad = world.client("admin").get(url + "&aspect=nonsense")
    assert bad.status_code == 400 and "aspect" in bad.json()
