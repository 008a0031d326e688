"""A stage's staff pages: entries, assignment (and conflicts of interest), progress, moving the
stage on, appeals and one entry."""

from __future__ import annotations

import pytest
from django.urls import reverse

from opop.assessment import services
from opop.assessment.models import Appeal, Assignment, Entry, Juror, Stage
from opop.assessment.tests.factories import make_round, stage_of
from opop.assessment.tests.staff_setup import build, publish_with_appeal, score_and_close
from opop.catalog.models import Category, Product
from opop.intake.models import Application
from opop.intake.tests.factories import make_application, make_cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def made(world):
    return build(world)


@pytest.fixture
def published(world):
    """A closed stage published, with one appeal waiting."""
    made = score_and_close(world, build(world))
    publish_with_appeal(world, made)
    return made


# --- A stage: entries, assignment, progress, transitions --------------------------------------


def test_admin_finds_products_by_name_and_adds_them_as_entries(world, made):
    category = Category.objects.get(slug="keripik")
    sambal, kopi = (
        Product.objects.create(
            programme=world.jatim,
            enterprise=world.enterprise_b,
            category=category,
            name=name,
            price=20_000,
            unit="jar",
            weight_grams=200,
        )
        for name in ("Sambal Bawang", "Kopi Robusta")
    )
    client = world.client("admin")
    url = reverse("assessment:stage_detail", args=[made.stage.pk])
    picker = client.get(url, {"pq": "sambal"}).content.decode().split('id="add-entries"')[1]
    assert "Sambal Bawang" in picker and "Kopi Robusta" not in picker
    assert "Produk 000" not in client.get(url).content.decode().split('id="add-entries"')[1]
    fragment = client.get(
        reverse("assessment:entry_candidates", args=[made.stage.pk]),
        {"pq": "robusta"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "Kopi Robusta" in fragment and "Sambal" not in fragment and "<html" not in fragment
    response = client.post(
        reverse("assessment:entry_add", args=[made.stage.pk]), {"products": [sambal.pk, kopi.pk]}
    )
    assert response.status_code == 302
    entry = Entry.objects.get(stage=made.stage, product=sambal)
    assert entry.title == "Sambal Bawang"
    assert Entry.objects.filter(stage=made.stage, product=kopi).exists()
    assert "Sambal Bawang" in client.get(url).content.decode().split('id="add-entries"')[0]


def test_adding_nothing_says_what_to_pick(world, made):
    url = reverse("assessment:entry_add", args=[made.stage.pk])
    response = world.client("admin").post(url, {})
    assert response.status_code == 400
    assert "Pick at least one product" in response.content.decode()


def test_a_kalsel_product_cannot_be_entered_into_a_jatim_stage(world, made):
    kalsel_enterprise = world.person_kalsel.enterprises.create(
        programme=world.kalsel, name="Madu Kalsel", sector="food", regency_id="63.71"
    )
    product = Product.objects.create(
        programme=world.kalsel,
        enterprise=kalsel_enterprise,
        category=Category.objects.get(slug="keripik"),
        name="Madu",
        price=1,
        unit="jar",
        weight_grams=1,
    )
    url = reverse("assessment:entry_add", args=[made.stage.pk])
    response = world.client("admin").post(url, {"products": [product.pk]})
    assert response.status_code == 400
    assert not Entry.objects.filter(product=product).exists()


def test_assign_automatically_gives_each_entry_its_jurors(world, made):
    client = world.client("admin")
    response = client.post(reverse("assessment:assignments_balance", args=[made.stage.pk]))
    assert response.status_code == 302
    assert Assignment.objects.filter(stage=made.stage).count() == 4 * 2
    page = client.get(reverse("assessment:stage_detail", args=[made.stage.pk])).content.decode()
    assert "Every entry has enough jurors." in page
    progress = client.get(reverse("assessment:stage_progress", args=[made.stage.pk]))
    assert 'id="progress-table"' in progress.content.decode()
    assert "<html" not in progress.content.decode()


def _conflicted(world, made) -> tuple[Juror, Entry]:
    seat = services.juror_save(
        actor=world.user("admin"),
        round=made.round,
        user=made.jurors[1].user,
        group=made.jurors[1].group,
        affiliation_ids=[world.pesantren_a.pk],
    )
    entry = next(e for e in made.entries if e.pesantren_id == world.pesantren_a.pk)
    return seat, entry


def test_hand_assignment_on_a_conflict_of_interest_shows_the_refusal(world, made):
    seat, entry = _conflicted(world, made)
    url = reverse("assessment:assignment_add", args=[made.stage.pk])
    response = world.client("admin").post(url, {"entry": entry.pk, "juror": seat.pk})
    assert response.status_code == 400
    assert "conflict of interest" in response.content.decode()
    assert not Assignment.objects.filter(entry=entry, juror=seat).exists()


def test_hand_assignment_through_htmx_answers_with_the_form_fragment(world, made):
    seat, entry = _conflicted(world, made)
    client = world.client("admin")
    url = reverse("assessment:assignment_add", args=[made.stage.pk])
    refused = client.post(
        url, {"entry": entry.pk, "juror": seat.pk}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "conflict of interest" in refused and "<html" not in refused
    other = next(e for e in made.entries if e.pesantren_id != world.pesantren_a.pk)
    done = client.post(url, {"entry": other.pk, "juror": seat.pk}, headers={"HX-Request": "true"})
    assert "assigned to" in done.content.decode()
    assert Assignment.objects.filter(entry=other, juror=seat).exists()


def test_hand_assignment_from_the_entry_page_returns_there_with_the_refusal(world, made):
    seat, entry = _conflicted(world, made)
    client = world.client("admin")
    url = reverse("assessment:assignment_add", args=[made.stage.pk])
    response = client.post(url, {"entry": entry.pk, "juror": seat.pk, "back": "entry"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("assessment:entry_staff", args=[entry.pk])
    assert "conflict of interest" in response.content.decode()


def test_unsubmitted_assignment_is_removed_from_the_entry_page(world, made):
    client = world.client("admin")
    client.post(reverse("assessment:assignments_balance", args=[made.stage.pk]))
    assignment = Assignment.objects.filter(stage=made.stage).first()
    response = client.post(reverse("assessment:assignment_remove", args=[assignment.pk]))
    assert response.status_code == 302
    assert not Assignment.objects.filter(pk=assignment.pk).exists()


def test_opening_asks_for_confirmation_first_and_refusals_are_shown(world, made):
    client = world.client("admin")
    url = reverse("assessment:stage_open", args=[made.stage.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and b"Open this stage for scoring?" in confirm.content
    made.stage.refresh_from_db()
    assert made.stage.status == Stage.Status.SETUP
    client.post(reverse("assessment:assignments_balance", args=[made.stage.pk]))
    assert client.post(url).status_code == 302
    made.stage.refresh_from_db()
    assert made.stage.status == Stage.Status.SCORING
    again = client.post(url, follow=True).content.decode()
    assert "Only a stage being set up can be opened" in again


def test_close_publish_and_advance_through_the_buttons(world, made):
    admin = world.user("admin")
    client = world.client("admin")
    following = services.stage_save(
        actor=admin, round=made.round, data={"name": "Final", "kind": "scoring", "position": 2}
    )
    score_and_close(world, made)  # closes through the service; re-open the flow from publish
    stage_url = reverse("assessment:stage_detail", args=[made.stage.pk])
    assert b"Publish results" in client.get(stage_url).content
    client.post(reverse("assessment:stage_publish", args=[made.stage.pk]))
    made.stage.refresh_from_db()
    assert made.stage.status == Stage.Status.PUBLISHED
    page = client.get(stage_url).content.decode()
    assert "Carry passed entries into" in page
    response = client.post(reverse("assessment:stage_advance", args=[made.stage.pk]), follow=True)
    carried = following.entries.count()
    assert carried == Entry.objects.filter(stage=made.stage, outcome="passed").count() > 0
    assert "carried into the next stage" in response.content.decode()


def test_closing_through_the_button_reports_unsubmitted_sheets(world, made):
    client = world.client("admin")
    client.post(reverse("assessment:assignments_balance", args=[made.stage.pk]))
    services.stage_open(actor=world.user("admin"), stage=made.stage)
    url = reverse("assessment:stage_close", args=[made.stage.pk])
    assert b"scoresheets are not submitted" in client.get(url).content
    client.post(url)
    made.stage.refresh_from_db()
    assert made.stage.status == Stage.Status.CLOSED


# --- Appeals and the entry page --------------------------------------------------------------


def test_admin_upholds_an_appeal_with_a_new_outcome_and_the_decision_is_logged(world, published):
    appeal = Appeal.objects.get()
    before = appeal.entry.outcome
    after = "not_passed" if before == "passed" else "passed"
    client = world.client("admin")
    page = client.get(reverse("assessment:appeal_list", args=[published.stage.pk])).content
    assert b"Rasa kami terbaik." in page and b"Record the decision" in page
    prefix = f"appeal-{appeal.pk}"
    response = client.post(
        reverse("assessment:appeal_decide", args=[appeal.pk]),
        {f"{prefix}-decision": "upheld", f"{prefix}-outcome": after, f"{prefix}-note": "Benar."},
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.decision == "upheld" and appeal.decided_by == world.user("admin")
    assert Entry.objects.get(pk=appeal.entry_id).outcome == after
    decided = client.get(reverse("assessment:appeal_list", args=[published.stage.pk]))
    text = decided.content.decode()
    assert "Benar." in text and "Upheld" in text and "Admin" in text


def test_an_appeal_decision_without_a_note_is_refused_at_the_form(world, published):
    appeal = Appeal.objects.get()
    prefix = f"appeal-{appeal.pk}"
    response = world.client("admin").post(
        reverse("assessment:appeal_decide", args=[appeal.pk]), {f"{prefix}-decision": "dismissed"}
    )
    assert response.status_code == 400
    assert b"This field is required" in response.content
    appeal.refresh_from_db()
    assert appeal.decision == Appeal.Decision.PENDING


def test_entry_page_hides_scores_until_the_stage_closes(world, made):
    admin = world.user("admin")
    services.assignments_balance(actor=admin, stage=made.stage)
    services.stage_open(actor=admin, stage=made.stage)
    entry = made.entries[0]
    assignment = Assignment.objects.filter(entry=entry).first()
    criteria = {c.pk: 3 for c in made.criteria}
    services.scoresheet_save(
        actor=assignment.juror.user,
        assignment=assignment,
        values=criteria,
        comments={made.criteria[0].pk: "Kurang renyah"},
        submit=True,
    )
    url = reverse("assessment:entry_staff", args=[entry.pk])
    page = world.client("auditor").get(url).content.decode()
    assert "Scores are shown once the stage is closed." in page
    assert "Kurang renyah" not in page
    services.stage_close(actor=admin, stage=made.stage)
    page = world.client("auditor").get(url).content.decode()
    assert "Kurang renyah" in page and 'id="history"' in page


def test_an_audition_stage_offers_verified_applications_only(world):
    cohort = make_cohort(world.jatim)
    verified = make_application(cohort, status=Application.Status.VERIFIED)
    waiting = make_application(cohort, status=Application.Status.SUBMITTED)
    rnd = make_round(world.jatim, purpose="audition", entries=0, open=False)
    stage = stage_of(rnd)
    client = world.client("admin")
    picker = client.get(reverse("assessment:stage_detail", args=[stage.pk])).content.decode()
    assert verified.reference in picker and waiting.reference not in picker
    url = reverse("assessment:entry_add", args=[stage.pk])
    assert client.post(url, {"applications": [waiting.pk]}).status_code == 400
    assert client.post(url, {"applications": [verified.pk]}).status_code == 302
    assert list(stage.entries.values_list("application", flat=True)) == [verified.pk]


def test_a_closed_stage_takes_no_more_entries_or_assignments(world, published):
    client = world.client("admin")
    product = published.entries[0].product
    add = reverse("assessment:entry_add", args=[published.stage.pk])
    response = client.post(add, {"products": [product.pk]}, follow=True)
    assert b"Entries can only be added before scoring closes." in response.content
    assign = reverse("assessment:assignment_add", args=[published.stage.pk])
    data = {"entry": published.entries[0].pk, "juror": published.jurors[0].pk}
    response = client.post(assign, data, follow=True)
    assert b"Jurors can only be assigned before scoring closes." in response.content
    assert Entry.objects.filter(stage=published.stage).count() == 4
