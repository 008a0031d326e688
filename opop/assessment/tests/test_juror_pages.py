"""The juror's pages: only their own assignments, sealed scoring, clear refusals, no personal
data on a scoresheet, and a query count that does not grow with the rubric."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opop.assessment import services
from opop.assessment.models import Assignment, Score, Stage
from opop.assessment.tests.factories import chair_of, make_round, score_all, stage_of
from opop.intake.tests.factories import make_application, make_cohort, nik_for
from opop.programmes.models import Pillar

pytestmark = pytest.mark.django_db

MY = reverse("assessment:juror_queue")


def sheet_url(assignment) -> str:
    return reverse("assessment:scoresheet", args=[assignment.pk])


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def rnd(world):
    return make_round(world.jatim, criteria=3, jurors=2, entries=4)


@pytest.fixture
def jurors(rnd):
    return [j.user for j in rnd.jurors.order_by("id").select_related("user")]


def sheets_of(user, rnd):
    return Assignment.objects.filter(juror__user=user, stage__round=rnd).order_by("id")


def criteria_of(rnd):
    return list(rnd.criteria.order_by("position"))


def post_sheet(client, assignment, criteria, values, action="submit", **extra):
    data = {"action": action, **extra}
    for criterion, value in zip(criteria, values, strict=False):
        data[f"score_{criterion.pk}"] = value
        data[f"comment_{criterion.pk}"] = f"Comment on {criterion.name}"
    return client.post(sheet_url(assignment), data)


# --- Who may open the pages -------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["juror", "outsider", "participant", "manager_a", "auditor"])
def test_user_without_a_juror_seat_is_refused_the_list(world, rnd, persona):
    assert world.client(persona).get(MY).status_code == 403


def test_anonymous_visitor_is_sent_to_login(world, rnd):
    response = Client().get(MY)
    assert response.status_code == 302 and "login" in response["Location"]


def test_juror_sees_only_their_own_assignments_with_progress(world, rnd, jurors):
    own = list(sheets_of(jurors[0], rnd))
    score_all_for(jurors[0], rnd, limit=1)
    response = client_of(jurors[0]).get(MY, {"show": "all"})
    assert response.status_code == 200
    listed = {a.pk for a in response.context["page"].object_list}
    assert listed == {a.pk for a in own}
    assert "1 of 4 submitted" in response.content.decode()


def test_list_filters_to_score_and_done(world, rnd, jurors):
    score_all_for(jurors[0], rnd, limit=1)
    done = sheets_of(jurors[0], rnd).filter(submitted_at__isnull=False).get()
    client = client_of(jurors[0])
    todo = {a.pk for a in client.get(MY).context["page"].object_list}
    finished = {a.pk for a in client.get(MY, {"show": "done"}).context["page"].object_list}
    assert done.pk not in todo and len(todo) == 3
    assert finished == {done.pk}


def test_another_jurors_assignment_is_404(world, rnd, jurors):
    theirs = sheets_of(jurors[1], rnd).first()
    client = client_of(jurors[0])
    assert client.get(sheet_url(theirs)).status_code == 404
    assert post_sheet(client, theirs, criteria_of(rnd), [5, 5, 5]).status_code == 404
    assert not Score.objects.filter(assignment=theirs).exists()


def test_non_juror_is_refused_a_scoresheet(world, rnd, jurors):
    sheet = sheets_of(jurors[0], rnd).first()
    assert world.client("juror").get(sheet_url(sheet)).status_code == 403
    assert world.client("admin").get(sheet_url(sheet)).status_code == 403


# --- The scoresheet ---------------------------------------------------------------------------


def test_scoresheet_shows_rubric_with_guidance_and_scale_bound_inputs(world, rnd, jurors):
    criterion = criteria_of(rnd)[0]
    criterion.guidance = "Look at the packaging and the label."
    criterion.save()
    response = client_of(jurors[0]).get(sheet_url(sheets_of(jurors[0], rnd).first()))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Look at the packaging and the label." in html
    assert f'name="score_{criterion.pk}"' in html
    assert 'min="1"' in html and 'max="10"' in html and 'step="0.5"' in html
    assert 'value="submit"' in html and "data-confirm=" in html
    assert 'value="draft"' in html


def test_small_scale_gets_a_segmented_choice(world):
    rnd = make_round(world.jatim, criteria=2, jurors=1, entries=1, scale_max=5)
    user = rnd.jurors.get().user
    html = client_of(user).get(sheet_url(sheets_of(user, rnd).first())).content.decode()
    criterion = criteria_of(rnd)[0]
    for value in range(1, 6):
        assert f'name="score_{criterion.pk}" id="id_score_{criterion.pk}_{value}"' in html
    assert 'type="radio"' in html


def test_draft_is_saved_and_stays_open(world, rnd, jurors):
    sheet = sheets_of(jurors[0], rnd).first()
    client = client_of(jurors[0])
    response = post_sheet(client, sheet, criteria_of(rnd)[:1], [7], action="draft")
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.submitted_at is None
    assert list(sheet.scores.values_list("value", flat=True)) == [7]
    assert 'value="submit"' in client.get(sheet_url(sheet)).content.decode()


def test_submit_with_a_missing_criterion_is_refused_and_nothing_saved(world, rnd, jurors):
    sheet = sheets_of(jurors[0], rnd).first()
    response = post_sheet(client_of(jurors[0]), sheet, criteria_of(rnd)[:2], [7, 8])
    assert response.status_code == 200
    assert "Score this criterion before submitting." in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.submitted_at is None and not sheet.scores.exists()


def test_submit_out_of_scale_is_refused_and_nothing_saved(world, rnd, jurors):
    sheet = sheets_of(jurors[0], rnd).first()
    response = post_sheet(client_of(jurors[0]), sheet, criteria_of(rnd), [7, 11, 0])
    html = response.content.decode()
    assert "The highest score is 10." in html and "The lowest score is 1." in html
    sheet.refresh_from_db()
    assert sheet.submitted_at is None and not sheet.scores.exists()


def test_submitted_sheet_is_read_only(world, rnd, jurors):
    sheet = sheets_of(jurors[0], rnd).first()
    client = client_of(jurors[0])
    assert post_sheet(client, sheet, criteria_of(rnd), [7, 8, 9]).status_code == 302
    sheet.refresh_from_db()
    assert sheet.submitted_at is not None and sheet.total is not None
    html = client.get(sheet_url(sheet)).content.decode()
    assert 'name="action"' not in html and "can no longer be changed" in html
    assert post_sheet(client, sheet, criteria_of(rnd), [1, 1, 1]).status_code == 403
    assert sorted(sheet.scores.values_list("value", flat=True)) == [7, 8, 9]


def test_field_visit_stage_needs_the_visit_date(world):
    rnd = make_round(world.jatim, criteria=1, jurors=1, entries=1, open=False)
    stage = stage_of(rnd)
    Stage.objects.filter(pk=stage.pk).update(kind=Stage.Kind.FIELD_VISIT)
    services.stage_open(actor=chair_of(rnd), stage=stage_of(rnd))
    user = rnd.jurors.get().user
    sheet = sheets_of(user, rnd).get()
    client = client_of(user)
    assert 'name="visited_on"' in client.get(sheet_url(sheet)).content.decode()
    response = post_sheet(client, sheet, criteria_of(rnd), [6])
    assert "Enter the date of the visit before submitting." in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.submitted_at is None


# --- Independence -----------------------------------------------------------------------------


def test_no_other_scores_are_visible_while_scoring(world, rnd, jurors):
    other = sheets_of(jurors[1], rnd).first()
    services.scoresheet_save(
        actor=jurors[1],
        assignment=other,
        values={c.pk: 9 for c in criteria_of(rnd)},
        comments={c.pk: "SEALED-REMARK" for c in criteria_of(rnd)},
        submit=True,
    )
    mine = sheets_of(jurors[0], rnd).get(entry=other.entry)
    response = client_of(jurors[0]).get(sheet_url(mine))
    html = response.content.decode()
    assert response.context["panel"] is None
    assert 'id="panel"' not in html and "SEALED-REMARK" not in html


def test_panel_scores_appear_after_close_without_names(world, rnd, jurors):
    jurors[1].full_name = "Zubaidah Rahasia"
    jurors[1].save()
    stage = stage_of(rnd)
    score_all(stage, values=6)
    services.stage_close(actor=chair_of(rnd), stage=stage)
    sheet = sheets_of(jurors[0], rnd).first()
    response = client_of(jurors[0]).get(sheet_url(sheet))
    html = response.content.decode()
    assert 'id="panel"' in html and "Juror 1" in html
    assert "Zubaidah" not in html and jurors[1].email not in html
    assert 'name="action"' not in html


# --- Personal data and speed ------------------------------------------------------------------


def test_scoresheet_never_shows_nik_phone_or_address(world):
    rnd = make_round(world.jatim, criteria=1, jurors=1, entries=0, open=False)
    cohort = make_cohort(world.jatim, pillar=Pillar.SANTRIPRENEUR)
    application = make_application(cohort, business_description="Tempe chips in 3 flavours.")
    chair = chair_of(rnd)
    services.entry_add(actor=chair, stage=stage_of(rnd), application=application)
    services.assignments_balance(actor=chair, stage=stage_of(rnd))
    services.stage_open(actor=chair, stage=stage_of(rnd))
    user = rnd.jurors.get().user
    html = client_of(user).get(sheet_url(sheets_of(user, rnd).get())).content.decode()
    serial = int(application.full_name.split()[-1])
    assert application.business_name in html and "Tempe chips in 3 flavours." in html
    for secret in (
        nik_for("35.78", serial).nik,
        application.nik_masked,
        application.phone,
        application.address,
        application.email,
        application.full_name,
    ):
        assert secret and secret not in html


def test_scoresheet_queries_do_not_grow_with_the_rubric(world):
    counts = []
    for criteria in (2, 8):
        rnd = make_round(world.jatim, criteria=criteria, jurors=1, entries=1, purpose="curation")
        user = rnd.jurors.get().user
        client = client_of(user)
        url = sheet_url(sheets_of(user, rnd).get())
        client.get(url)  # session and caches warm
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[0] <= 12, counts


def score_all_for(user, rnd, *, limit: int) -> None:
    for sheet in sheets_of(user, rnd)[:limit]:
        services.scoresheet_save(
            actor=user,
            assignment=sheet,
            values={c.pk: 5 for c in criteria_of(rnd)},
            submit=True,
        )
