"""The assessment API: a juror reads and writes only their own sheets, never sees another's
scores, and gets clear 400s that save nothing; an owner reads only their published results."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from opop.assessment import services
from opop.assessment.models import Assignment, Entry, Score
from opop.assessment.tests.factories import chair_of, make_round, score_all, stage_of

pytestmark = pytest.mark.django_db

ASSIGNMENTS = "/api/v1/assessment/assignments/"
RESULTS = "/api/v1/assessment/results/"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()


def scores_url(assignment) -> str:
    return f"{ASSIGNMENTS}{assignment.pk}/scores/"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def rnd(world):
    return make_round(world.jatim, criteria=3, jurors=2, entries=3)


@pytest.fixture
def jurors(rnd):
    return [j.user for j in rnd.jurors.order_by("id").select_related("user")]


def sheets_of(user, rnd):
    return Assignment.objects.filter(juror__user=user, stage__round=rnd).order_by("id")


def body(rnd, values, *, submit=False, **extra):
    criteria = list(rnd.criteria.order_by("position"))
    rows = [
        {"criterion": c.pk, "value": v, "comment": f"On {c.name}"}
        for c, v in zip(criteria, values, strict=False)
    ]
    return {"scores": rows, "submit": submit, **extra}


# --- Refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [ASSIGNMENTS, RESULTS])
def test_anonymous_caller_is_refused(world, rnd, url):
    assert api().get(url).status_code in (401, 403)


def test_anonymous_caller_cannot_read_or_write_a_sheet(world, rnd, jurors):
    sheet = sheets_of(jurors[0], rnd).first()
    assert api().get(scores_url(sheet)).status_code in (401, 403)
    assert api().post(scores_url(sheet), body(rnd, [5]), format="json").status_code in (401, 403)


@pytest.mark.parametrize("persona", ["juror", "admin", "participant", "outsider"])
def test_user_without_a_juror_seat_is_refused_assignments(world, rnd, persona):
    assert api(world.user(persona)).get(ASSIGNMENTS).status_code == 403


def test_juror_lists_only_their_own_assignments(world, rnd, jurors):
    response = api(jurors[0]).get(ASSIGNMENTS)
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == set(sheets_of(jurors[0], rnd).values_list("pk", flat=True))


def test_assignment_list_filters_by_status(world, rnd, jurors):
    first = sheets_of(jurors[0], rnd).first()
    api(jurors[0]).post(scores_url(first), body(rnd, [5, 5, 5], submit=True), format="json")
    done = api(jurors[0]).get(ASSIGNMENTS, {"status": "done"}).json()["results"]
    todo = api(jurors[0]).get(ASSIGNMENTS, {"status": "todo"}).json()["results"]
    assert [row["id"] for row in done] == [first.pk]
    assert first.pk not in {row["id"] for row in todo} and len(todo) == 2
    assert api(jurors[0]).get(ASSIGNMENTS, {"status": "bogus"}).status_code == 400


def test_another_jurors_sheet_is_404_for_reading_and_writing(world, rnd, jurors):
    theirs = sheets_of(jurors[1], rnd).first()
    client = api(jurors[0])
    assert client.get(scores_url(theirs)).status_code == 404
    response = client.post(scores_url(theirs), body(rnd, [5, 5, 5], submit=True), format="json")
    assert response.status_code == 404
    assert not Score.objects.filter(assignment=theirs).exists()


# --- Reading and writing a sheet --------------------------------------------------------------


def test_sheet_holds_only_the_callers_own_scores(world, rnd, jurors):
    other = sheets_of(jurors[1], rnd).first()
    api(jurors[1]).post(scores_url(other), body(rnd, [9, 9, 9], submit=True), format="json")
    mine = sheets_of(jurors[0], rnd).get(entry=other.entry)
    data = api(jurors[0]).get(scores_url(mine)).json()
    assert data["assignment"] == mine.pk and data["editable"] is True
    assert data["scores"] == [] and len(data["criteria"]) == 3
    assert "9.00" not in str(data)


def test_draft_then_submit_through_the_api(world, rnd, jurors):
    sheet = sheets_of(jurors[0], rnd).first()
    client = api(jurors[0])
    draft = client.post(scores_url(sheet), body(rnd, [6]), format="json")
    assert draft.status_code == 200 and draft.json()["editable"] is True
    assert [row["value"] for row in draft.json()["scores"]] == ["6.00"]
    done = client.post(scores_url(sheet), body(rnd, [6, 7, 8], submit=True), format="json")
    assert done.status_code == 200, done.json()
    data = done.json()
    assert data["editable"] is False and data["submitted_at"] and data["total"]


def test_submit_with_a_missing_criterion_is_400_and_saves_nothing(world, rnd, jurors):
    sheet = sheets_of(jurors[0], rnd).first()
    response = api(jurors[0]).post(scores_url(sheet), body(rnd, [6, 7], submit=True), format="json")
    assert response.status_code == 400
    assert "Score every criterion before submitting" in str(response.json()["scores"])
    sheet.refresh_from_db()
    assert sheet.submitted_at is None and not sheet.scores.exists()


def test_out_of_scale_score_is_400_and_saves_nothing(world, rnd, jurors):
    sheet = sheets_of(jurors[0], rnd).first()
    response = api(jurors[0]).post(
        scores_url(sheet), body(rnd, [6, 11, 7], submit=True), format="json"
    )
    assert response.status_code == 400
    assert "Scores go from 1 to 10." in str(response.json())
    assert not sheet.scores.exists()


def test_unknown_criterion_is_400(world, rnd, jurors):
    sheet = sheets_of(jurors[0], rnd).first()
    data = {"scores": [{"criterion": 999_999, "value": 5}], "submit": False}
    response = api(jurors[0]).post(scores_url(sheet), data, format="json")
    assert response.status_code == 400 and "Not a criterion of this round." in str(response.json())


def test_submitted_sheet_cannot_be_changed(world, rnd, jurors):
    sheet = sheets_of(jurors[0], rnd).first()
    client = api(jurors[0])
    client.post(scores_url(sheet), body(rnd, [6, 7, 8], submit=True), format="json")
    again = client.post(scores_url(sheet), body(rnd, [1, 1, 1]), format="json")
    assert again.status_code == 403
    assert sorted(sheet.scores.values_list("value", flat=True)) == [6, 7, 8]


# --- Results ----------------------------------------------------------------------------------


def test_owner_reads_only_their_own_published_results(world, rnd):
    stage = stage_of(rnd)
    entries = list(Entry.objects.filter(stage=stage).select_related("owner").order_by("id"))
    assert api(entries[0].owner).get(RESULTS).json()["results"] == []  # not published yet
    score_all(stage, values=7)
    chair = chair_of(rnd)
    services.stage_close(actor=chair, stage=stage)
    services.stage_publish(actor=chair, stage=stage_of(rnd))
    data = api(entries[0].owner).get(RESULTS).json()["results"]
    assert [row["id"] for row in data] == [entries[0].pk]
    row = data[0]
    assert row["outcome"] in ("passed", "not_passed") and row["rank"] == 1
    assert [f["mean"] for f in row["feedback"]] == ["7.00", "7.00", "7.00"]
    for juror in rnd.jurors.select_related("user"):
        assert juror.user.email not in str(row) and juror.user.full_name not in str(row)
    assert api(world.user("outsider")).get(RESULTS).json()["results"] == []
