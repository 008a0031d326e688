"""Staff pages of the assessment engine: admins run rounds, auditors read, nobody else gets in.

Rounds, their rubric, stages and panel here; a stage's own pages in test_staff_stage_pages.py,
the ranking in test_ranking_page.py.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from opop.assessment.models import Appeal, Assignment, Criterion, Juror, Round, Stage
from opop.assessment.tests.staff_setup import (
    REFUSED,
    Made,
    build,
    juror_user,
    publish_with_appeal,
    score_and_close,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def made(world):
    return build(world)


@pytest.fixture
def closed(world):
    return score_and_close(world, build(world))


@pytest.fixture
def published(world, closed):
    """The closed stage published, with one appeal waiting."""
    publish_with_appeal(world, closed)
    return closed


def _reading_urls(made: Made) -> list[str]:
    stage = made.stage
    return [
        reverse("assessment:round_list"),
        reverse("assessment:round_detail", args=[made.round.pk]),
        reverse("assessment:stage_detail", args=[stage.pk]),
        reverse("assessment:stage_progress", args=[stage.pk]),
        reverse("assessment:ranking", args=[stage.pk]),
        reverse("assessment:ranking_export", args=[stage.pk]),
        reverse("assessment:appeal_list", args=[stage.pk]),
        reverse("assessment:entry_staff", args=[made.entries[0].pk]),
    ]


def _running_urls(made: Made) -> list[str]:
    """Forms only runners open (GET) or post to."""
    stage, rnd = made.stage, made.round
    return [
        reverse("assessment:round_create"),
        reverse("assessment:round_edit", args=[rnd.pk]),
        reverse("assessment:criterion_edit", args=[made.criteria[0].pk]),
        reverse("assessment:stage_create", args=[rnd.pk]),
        reverse("assessment:stage_edit", args=[stage.pk]),
        reverse("assessment:juror_add", args=[rnd.pk]),
        reverse("assessment:juror_edit", args=[made.jurors[0].pk]),
        reverse("assessment:entry_candidates", args=[stage.pk]),
        reverse("assessment:stage_open", args=[stage.pk]),
    ]


def _posting_urls(made: Made) -> list[str]:
    stage, rnd = made.stage, made.round
    assignment = Assignment.objects.filter(stage=stage).first()
    appeal = Appeal.objects.filter(entry__stage=stage).first()
    urls = [
        reverse("assessment:round_create"),
        reverse("assessment:round_edit", args=[rnd.pk]),
        reverse("assessment:criterion_add", args=[rnd.pk]),
        reverse("assessment:criterion_edit", args=[made.criteria[0].pk]),
        reverse("assessment:criterion_delete", args=[made.criteria[0].pk]),
        reverse("assessment:stage_create", args=[rnd.pk]),
        reverse("assessment:stage_edit", args=[stage.pk]),
        reverse("assessment:juror_add", args=[rnd.pk]),
        reverse("assessment:juror_edit", args=[made.jurors[0].pk]),
        reverse("assessment:entry_add", args=[stage.pk]),
        reverse("assessment:assignments_balance", args=[stage.pk]),
        reverse("assessment:assignment_add", args=[stage.pk]),
        reverse("assessment:stage_open", args=[stage.pk]),
        reverse("assessment:stage_close", args=[stage.pk]),
        reverse("assessment:stage_publish", args=[stage.pk]),
        reverse("assessment:stage_advance", args=[stage.pk]),
        reverse("assessment:stage_cutoff", args=[stage.pk]),
    ]
    if assignment:
        urls += [
            reverse("assessment:assignment_remove", args=[assignment.pk]),
            reverse("assessment:scoresheet_reopen", args=[assignment.pk]),
        ]
    if appeal:
        urls.append(reverse("assessment:appeal_decide", args=[appeal.pk]))
    return urls


# --- Refusals ----------------------------------------------------------------------------


def test_anonymous_is_sent_to_login_everywhere(world, published):
    client = world.client("anonymous")
    for url in _reading_urls(published) + _running_urls(published):
        response = client.get(url)
        assert response.status_code == 302, url
        assert reverse("accounts:login") in response["Location"]
    for url in _posting_urls(published):
        assert client.post(url).status_code == 302, url


@pytest.mark.parametrize("persona", REFUSED)
def test_roles_without_assessment_access_are_refused_every_page_and_post(world, published, persona):
    client = world.client(persona)
    for url in _reading_urls(published) + _running_urls(published):
        assert client.get(url).status_code == 403, url
    for url in _posting_urls(published):
        assert client.post(url, {"reason": "x", "note": "x"}).status_code == 403, url
    assert Appeal.objects.get().decision == Appeal.Decision.PENDING


def test_auditor_reads_every_page_but_every_post_is_refused(world, published):
    client = world.client("auditor")
    for url in _reading_urls(published):
        assert client.get(url).status_code == 200, url
    for url in _running_urls(published):
        assert client.get(url).status_code == 403, url
    for url in _posting_urls(published):
        data = {"name": "x", "reason": "x", "note": "x", "decision": "upheld"}
        assert client.post(url, data).status_code == 403, url
    assert Round.objects.count() == 1
    assert Criterion.objects.count() == 3
    assert Appeal.objects.get().decision == Appeal.Decision.PENDING


def test_kalsel_admin_gets_404_for_every_jatim_object(world, published):
    client = world.client("kalsel_admin")
    listing = client.get(reverse("assessment:round_list"))
    assert listing.status_code == 200
    assert "Kurasi Produk 2026" not in listing.content.decode()
    for url in _reading_urls(published)[1:] + _running_urls(published)[1:]:
        assert client.get(url).status_code == 404, url
    for url in _posting_urls(published)[1:]:
        data = {"reason": "x", "note": "x", "decision": "upheld"}
        assert client.post(url, data).status_code == 404, url
    assert Appeal.objects.get().decision == Appeal.Decision.PENDING
    assert Criterion.objects.count() == 3


# --- Rounds, rubric, stages, panel ----------------------------------------------------------


def test_admin_creates_a_round_with_grade_bands(world):
    client = world.client("admin")
    assert client.get(reverse("assessment:round_create")).status_code == 200
    data = {
        "name": "OPOP Award 2026",
        "purpose": "award",
        "year": 2026,
        "pillar": "",
        "scale_min": 1,
        "scale_max": 10,
        "jurors_per_entry": 3,
        "trim_from": 5,
        "outlier_share": "0.25",
        "validity_months": 24,
        "appeal_days": 7,
        "grade_a": 90,
        "grade_b": 75,
        "grade_c": 0,
    }
    response = client.post(reverse("assessment:round_create"), data)
    rnd = Round.objects.get(name="OPOP Award 2026")
    assert response.status_code == 302
    assert rnd.programme == world.jatim and rnd.trim_from == 5
    assert rnd.grade_bands == {"A": 90, "B": 75, "C": 0}


def test_round_form_refuses_grade_bands_that_do_not_go_down(world, made):
    client = world.client("admin")
    url = reverse("assessment:round_edit", args=[made.round.pk])
    page = client.get(url).content.decode()
    assert 'name="grade_a" value="85"' in page
    response = client.post(
        url,
        {
            "name": "Kurasi",
            "purpose": "curation",
            "year": 2026,
            "scale_min": 1,
            "scale_max": 10,
            "jurors_per_entry": 2,
            "trim_from": 0,
            "outlier_share": "0.30",
            "validity_months": 24,
            "appeal_days": 7,
            "grade_a": 60,
            "grade_b": 70,
            "grade_c": 0,
        },
    )
    assert response.status_code == 200
    assert "Grade bands must go down" in response.content.decode()
    assert Round.objects.get().name == "Kurasi Produk 2026"


def test_round_list_filters_by_year_and_purpose(world, made):
    client = world.client("auditor")
    url = reverse("assessment:round_list")
    assert "Kurasi Produk 2026" in client.get(url, {"year": 2026}).content.decode()
    assert "Kurasi Produk 2026" not in client.get(url, {"year": 2025}).content.decode()
    assert "Kurasi Produk 2026" not in client.get(url, {"purpose": "award"}).content.decode()
    assert "Kurasi Produk 2026" in client.get(url, {"purpose": "curation"}).content.decode()


def test_round_page_shows_weight_shares_panel_balance_and_no_forms_for_the_auditor(world, made):
    url = reverse("assessment:round_detail", args=[made.round.pk])
    page = world.client("auditor").get(url).content.decode()
    assert "Rasa" in page and "40.0%" in page and "30.0%" in page
    assert 'id="panel-balance"' in page and "Academia" in page and "Business" in page
    assert "Add a criterion" not in page and "Add a juror" not in page
    admin_page = world.client("admin").get(url).content.decode()
    assert "Add a criterion" in admin_page and "Add a juror" in admin_page


def test_admin_adds_edits_and_deletes_a_criterion(world, made):
    client = world.client("admin")
    add = reverse("assessment:criterion_add", args=[made.round.pk])
    response = client.post(add, {"name": "Legalitas", "weight": 10, "position": 4, "guidance": ""})
    assert response.status_code == 302
    criterion = Criterion.objects.get(name="Legalitas")
    edit = reverse("assessment:criterion_edit", args=[criterion.pk])
    client.post(edit, {"name": "Legalitas usaha", "weight": 20, "position": 4, "guidance": "NIB"})
    criterion.refresh_from_db()
    assert (criterion.name, criterion.weight) == ("Legalitas usaha", 20)
    client.post(reverse("assessment:criterion_delete", args=[criterion.pk]))
    assert not Criterion.objects.filter(pk=criterion.pk).exists()


def test_a_criterion_with_a_bad_weight_is_shown_on_the_round_page(world, made):
    add = reverse("assessment:criterion_add", args=[made.round.pk])
    response = world.client("admin").post(add, {"name": "Nol", "weight": 0, "position": 4})
    assert response.status_code == 200
    assert 'id="rubric"' in response.content.decode()
    assert not Criterion.objects.filter(name="Nol").exists()


def test_rubric_is_frozen_once_scoring_started(world, closed):
    client = world.client("admin")
    page = client.get(reverse("assessment:round_detail", args=[closed.round.pk])).content
    assert b"Add a criterion" not in page
    response = client.post(reverse("assessment:criterion_delete", args=[closed.criteria[0].pk]))
    assert response.status_code == 302
    assert Criterion.objects.filter(pk=closed.criteria[0].pk).exists()


def test_admin_adds_and_edits_a_stage(world, made):
    client = world.client("admin")
    url = reverse("assessment:stage_create", args=[made.round.pk])
    response = client.post(
        url, {"name": "Field visit", "kind": "field_visit", "position": 2, "quota": 10}
    )
    stage = Stage.objects.get(name="Field visit")
    assert response.status_code == 302 and stage.quota == 10
    edit = reverse("assessment:stage_edit", args=[stage.pk])
    client.post(
        edit, {"name": "Visit", "kind": "field_visit", "position": 2, "cutoff_score": "7.5"}
    )
    stage.refresh_from_db()
    assert stage.name == "Visit" and str(stage.cutoff_score) == "7.50" and stage.quota is None


def test_juror_form_offers_only_jurors_of_the_programme_and_saves_affiliations(world, made):
    extra = juror_user(world, 9)
    client = world.client("admin")
    url = reverse("assessment:juror_add", args=[made.round.pk])
    page = client.get(url).content.decode()
    assert "juror9@test.opop.id" in page
    assert "manager_a@test.opop.id" not in page
    assert world.pesantren_a.name in page and world.pesantren_kalsel.name not in page
    response = client.post(
        url,
        {
            "user": extra.pk,
            "group": "media",
            "is_chair": "on",
            "affiliation_ids": [world.pesantren_a.pk],
        },
    )
    assert response.status_code == 302
    juror = Juror.objects.get(user=extra)
    assert juror.is_chair and juror.group == "media"
    assert list(juror.affiliations.all()) == [world.pesantren_a]
    refused = client.post(url, {"user": world.user("manager_a").pk, "group": "media"})
    assert refused.status_code == 200
    assert not Juror.objects.filter(user=world.user("manager_a")).exists()


def test_juror_edit_keeps_the_user_and_changes_the_group(world, made):
    seat = made.jurors[1]
    url = reverse("assessment:juror_edit", args=[seat.pk])
    response = world.client("admin").post(url, {"user": 999999, "group": "government"})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.group == "government" and seat.user == made.jurors[1].user
