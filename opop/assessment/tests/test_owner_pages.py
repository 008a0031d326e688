"""The entry owner's pages: only their own published results, anonymous feedback, sharing a
pass, and appeals only within the window and one at a time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opop.assessment import services
from opop.assessment.models import Appeal, Assignment, Entry, Stage
from opop.assessment.tests.factories import chair_of, make_round, stage_of

pytestmark = pytest.mark.django_db

RESULTS = reverse("assessment:my_results")


def result_url(entry) -> str:
    return reverse("assessment:my_result", args=[entry.pk])


def appeal_url(entry) -> str:
    return reverse("assessment:my_result_appeal", args=[entry.pk])


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def score_with_comments(stage) -> None:
    criteria = list(stage.round.criteria.all())
    sheets = Assignment.objects.filter(stage=stage).select_related("juror__user").order_by("id")
    for sheet in sheets:
        services.scoresheet_save(
            actor=sheet.juror.user,
            assignment=sheet,
            values={c.pk: 8 for c in criteria},
            comments={c.pk: f"Remark {sheet.pk} on {c.name}" for c in criteria},
            submit=True,
        )


def publish(rnd) -> Stage:
    stage = stage_of(rnd)
    chair = chair_of(rnd)
    score_with_comments(stage)
    services.stage_close(actor=chair, stage=stage)
    return services.stage_publish(actor=chair, stage=stage_of(rnd))


@pytest.fixture
def published(world):
    rnd = make_round(world.jatim, criteria=2, jurors=2, entries=2)
    for juror in rnd.jurors.select_related("user"):
        juror.user.full_name = f"Secret Juror {juror.pk}"
        juror.user.save()
    publish(rnd)
    return rnd


def entries_of(rnd):
    return list(Entry.objects.filter(stage__round=rnd).select_related("owner").order_by("id"))


def test_owner_sees_only_their_own_published_results(world, published):
    mine, theirs = entries_of(published)
    response = client_of(mine.owner).get(RESULTS)
    assert response.status_code == 200
    assert [e.pk for e in response.context["page"].object_list] == [mine.pk]
    assert theirs.title not in response.content.decode()


def test_unpublished_result_is_neither_listed_nor_opened(world):
    rnd = make_round(world.jatim, criteria=1, jurors=1, entries=1)
    stage = stage_of(rnd)
    score_with_comments(stage)
    services.stage_close(actor=chair_of(rnd), stage=stage)
    (entry,) = entries_of(rnd)
    client = client_of(entry.owner)
    assert list(client.get(RESULTS).context["page"].object_list) == []
    assert client.get(result_url(entry)).status_code == 404


def test_another_users_result_is_404(world, published):
    mine, theirs = entries_of(published)
    client = client_of(mine.owner)
    assert client.get(result_url(theirs)).status_code == 404
    assert client.post(appeal_url(theirs), {"reason": "x" * 30}).status_code == 404
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("persona", ["admin", "juror", "outsider"])
def test_other_personas_cannot_open_an_owners_result(world, published, persona):
    entry = entries_of(published)[0]
    assert world.client(persona).get(result_url(entry)).status_code == 404


def test_anonymous_visitor_is_sent_to_login(world, published):
    response = Client().get(RESULTS)
    assert response.status_code == 302 and "login" in response["Location"]


def test_result_shows_score_rank_and_anonymous_feedback(world, published):
    entry = entries_of(published)[0]
    entry.refresh_from_db()
    response = client_of(entry.owner).get(result_url(entry))
    html = response.content.decode()
    assert response.status_code == 200
    assert entry.get_outcome_display() in html
    assert f"{entry.rank} of 2" in html
    first = published.criteria.order_by("position").first()
    assert "Remark" in html and first.name in html
    assert [row["mean"] for row in response.context["feedback"]][0] is not None
    assert "Secret Juror" not in html
    for juror in published.jurors.select_related("user"):
        assert juror.user.email not in html


def test_passed_result_offers_a_whatsapp_share(world, published):
    entry = entries_of(published)[0]
    Entry.objects.filter(pk=entry.pk).update(outcome=Entry.Outcome.PASSED)
    html = client_of(entry.owner).get(result_url(entry)).content.decode()
    assert "https://wa.me/?text=" in html


def test_result_that_did_not_pass_has_no_share_button(world, published):
    entry = entries_of(published)[0]
    Entry.objects.filter(pk=entry.pk).update(outcome=Entry.Outcome.NOT_PASSED)
    assert "wa.me" not in client_of(entry.owner).get(result_url(entry)).content.decode()


def test_owner_appeals_within_the_window_once(world, published):
    entry = entries_of(published)[0]
    client = client_of(entry.owner)
    reason = "The packaging criterion ignored our new halal label."
    assert 'name="reason"' in client.get(result_url(entry)).content.decode()
    response = client.post(appeal_url(entry), {"reason": reason})
    assert response.status_code == 302
    appeal = Appeal.objects.get(entry=entry)
    assert appeal.reason == reason and appeal.decision == Appeal.Decision.PENDING
    html = client.get(result_url(entry)).content.decode()
    assert 'name="reason"' not in html and "Waiting for a decision" in html
    client.post(appeal_url(entry), {"reason": reason + " Again."})
    assert Appeal.objects.filter(entry=entry).count() == 1


def test_appeal_after_the_window_is_refused(world, published):
    entry = entries_of(published)[0]
    Stage.objects.filter(pk=entry.stage_id).update(
        appeal_until=timezone.now() - dt.timedelta(minutes=1)
    )
    client = client_of(entry.owner)
    html = client.get(result_url(entry)).content.decode()
    assert 'name="reason"' not in html and "appeal window closed" in html
    response = client.post(appeal_url(entry), {"reason": "Please look again at our scores."})
    assert response.status_code == 302
    assert not Appeal.objects.exists()


def test_appeal_reason_too_short_is_refused_with_a_message(world, published):
    entry = entries_of(published)[0]
    response = client_of(entry.owner).post(appeal_url(entry), {"reason": "Unfair."})
    assert response.status_code == 400
    assert "at least 20 characters" in response.content.decode()
    assert not Appeal.objects.exists()


def test_decision_and_its_note_are_shown(world, published):
    entry = entries_of(published)[0]
    appeal = services.appeal_submit(
        actor=entry.owner, entry=entry, reason="Please review the packaging score."
    )
    services.appeal_decide(
        actor=chair_of(published),
        appeal=appeal,
        decision=Appeal.Decision.DISMISSED,
        note="The panel re-read the sheets; the scores stand.",
    )
    html = client_of(entry.owner).get(result_url(entry)).content.decode()
    assert "Dismissed" in html and "the scores stand." in html
