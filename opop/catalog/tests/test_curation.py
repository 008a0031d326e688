"""Curation on the product side: grades, validity, revocation, idempotency, badge, submission."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from opop.assessment.models import Entry, Round, Stage
from opop.catalog import selectors
from opop.catalog.curation import (
    CurationStatus,
    add_months,
    curation_apply,
    curation_status,
    curation_submit,
    grade_for,
)
from opop.catalog.models import Curation, Product
from opop.catalog.tests import helpers as h
from opop.common.models import AuditEvent
from opop.demo.curation import seed_curations

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _published_pass(world, score="8.65", **round_fields):
    item = h.product(world)
    round_ = h.curation_round(world.jatim, status=Stage.Status.PUBLISHED, **round_fields)
    made = h.entry(h.first_stage(round_), item)
    return h.decide(made, Entry.Outcome.PASSED, score)


# --- Grade bands and validity -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "grade"),
    [("10", "A"), ("8.65", "A"), ("8.64", "B"), ("7.3", "B"), ("7.29", "C"), ("1", "C")],
)
def test_grade_is_the_band_of_the_score_as_a_share_of_the_scale_span(score, grade):
    # Scale 1–10: 85 % of the span is 1 + 0.85 × 9 = 8.65; 70 % is 7.3.
    round_ = Round(scale_min=1, scale_max=10, grade_bands={"A": 85, "B": 70, "C": 0})
    assert grade_for(round_, Decimal(score)) == grade


def test_a_pass_below_every_band_gets_the_lowest_grade():
    round_ = Round(scale_min=0, scale_max=100, grade_bands={"A+": 90, "A": 75})
    assert grade_for(round_, Decimal("80")) == "A"
    assert grade_for(round_, Decimal("50")) == "A"
    assert grade_for(round_, Decimal("95")) == "A+"
    assert grade_for(Round(scale_min=0, scale_max=100, grade_bands={}), Decimal("90")) == "A"


def test_months_are_added_by_the_calendar():
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 2, 29), 24) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2025, 6, 15), 18) == dt.date(2026, 12, 15)


def test_a_published_pass_makes_the_product_curated_for_the_rounds_validity(world):
    made = _published_pass(world, validity_months=18)
    curation = curation_apply(actor=world.user("admin"), entry=made)
    today = timezone.localdate()
    assert curation.grade == "A" and curation.score == Decimal("8.650")
    assert curation.valid_from == today
    assert curation.valid_until == add_months(today, 18)
    assert selectors.product_is_curated(made.product)
    assert selectors.curated_products(world.jatim).get() == made.product
    assert AuditEvent.objects.filter(
        target_type="catalog.curation", target_id=curation.pk, action="create"
    ).exists()


def test_applying_twice_changes_nothing(world):
    made = _published_pass(world)
    first = curation_apply(actor=world.user("admin"), entry=made)
    events = AuditEvent.objects.filter(target_type="catalog.curation").count()
    again = curation_apply(actor=world.user("admin"), entry=made)
    assert again.pk == first.pk and Curation.objects.count() == 1
    assert (again.valid_from, again.valid_until) == (first.valid_from, first.valid_until)
    assert AuditEvent.objects.filter(target_type="catalog.curation").count() == events


def test_a_recomputed_score_changes_the_grade_but_not_the_dates(world):
    made = _published_pass(world, score="9.5")
    first = curation_apply(actor=world.user("admin"), entry=made)
    h.decide(made, Entry.Outcome.PASSED, "7.5")
    again = curation_apply(actor=world.user("admin"), entry=made)
    assert (first.grade, again.grade) == ("A", "B")
    assert again.valid_until == first.valid_until


def test_an_upheld_appeal_that_fails_the_entry_revokes_and_a_new_pass_restores(world):
    made = _published_pass(world)
    curation_apply(actor=world.user("admin"), entry=made)
    h.decide(made, Entry.Outcome.NOT_PASSED, "5")
    revoked = curation_apply(actor=world.user("admin"), entry=made)
    assert revoked.revoked_at is not None
    assert not selectors.product_is_curated(made.product)
    assert curation_apply(actor=world.user("admin"), entry=made).revoked_at == revoked.revoked_at
    h.decide(made, Entry.Outcome.PASSED, "9")
    restored = curation_apply(actor=world.user("admin"), entry=made)
    assert restored.pk == revoked.pk and restored.revoked_at is None
    assert selectors.product_is_curated(made.product)


def test_nothing_is_written_for_a_fail_without_curation_or_an_entry_without_product(world):
    made = _published_pass(world)
    h.decide(made, Entry.Outcome.NOT_PASSED, "4")
    assert curation_apply(actor=world.user("admin"), entry=made) is None
    audition = h.curation_round(world.jatim, purpose=Round.Purpose.AUDITION, name="Audisi")
    other = h.entry(h.first_stage(audition), h.product(world, name="Sambal"))
    h.decide(other, Entry.Outcome.PASSED, "9")
    assert curation_apply(actor=world.user("admin"), entry=other) is None
    assert not Curation.objects.exists()


# --- Badge and filter -------------------------------------------------------------------------


def test_badge_is_shown_while_the_curation_is_valid_and_not_after(world):
    item = h.product(world)
    stage = h.first_stage(h.curation_round(world.jatim, status=Stage.Status.PUBLISHED))
    curation = h.curation(item, stage, valid_until=dt.date(2099, 12, 31))
    client = world.client("manager_a")
    listing = client.get(reverse("catalog:product_list")).content.decode()
    detail = client.get(reverse("catalog:product_detail", args=[item.pk])).content.decode()
    for html in (listing, detail):
        assert 'data-testid="badge-unggulan"' in html
        assert "Produk Unggulan OPOP · A · until 12/2099" in html
    curation.valid_until = timezone.localdate() - dt.timedelta(days=1)
    curation.save()
    listing = client.get(reverse("catalog:product_list")).content.decode()
    detail = client.get(reverse("catalog:product_detail", args=[item.pk])).content.decode()
    assert "badge-unggulan" not in listing and "badge-unggulan" not in detail
    assert 'data-curation-state="expired"' in detail


def test_a_revoked_curation_shows_no_badge(world):
    item = h.product(world)
    stage = h.first_stage(h.curation_round(world.jatim, status=Stage.Status.PUBLISHED))
    h.curation(item, stage, revoked=True)
    html = world.client("admin").get(reverse("catalog:product_list")).content.decode()
    assert "badge-unggulan" not in html


def test_curated_only_filter_lists_only_curated_products(world):
    curated, plain = h.product(world, name="Kopi Curated"), h.product(world, name="Teh Biasa")
    stage = h.first_stage(h.curation_round(world.jatim, status=Stage.Status.PUBLISHED))
    h.curation(curated, stage)
    response = world.client("admin").get(reverse("catalog:product_list"), {"curated": "on"})
    names = [p.name for p in response.context["page"].object_list]
    assert names == ["Kopi Curated"] and plain.name not in response.content.decode()


# --- Submission -------------------------------------------------------------------------------


def _submit_url(item):
    return reverse("catalog:curation_submit", args=[item.pk])


def test_keeper_submits_a_ready_product_to_the_open_round(world):
    item = h.ready_product(world)
    stage = h.first_stage(h.curation_round(world.jatim))
    client = world.client("manager_a")
    detail = client.get(reverse("catalog:product_detail", args=[item.pk])).content.decode()
    assert "Submit for curation" in detail and 'data-curation-state="none"' in detail
    response = client.post(_submit_url(item))
    assert response.status_code == 302
    made = Entry.objects.get(product=item)
    assert made.stage == stage and made.owner == world.user("manager_a")
    detail = client.get(reverse("catalog:product_detail", args=[item.pk])).content.decode()
    assert 'data-curation-state="submitted"' in detail and "Submit for curation" not in detail
    # Submitting again changes nothing.
    assert curation_submit(actor=world.user("manager_a"), product=item) == made


def test_a_product_without_photo_or_description_is_refused_with_what_is_missing(world):
    item = h.product(world, description="Enak.")
    h.curation_round(world.jatim)
    client = world.client("manager_a")
    detail = client.get(reverse("catalog:product_detail", args=[item.pk])).content.decode()
    assert "Add at least one photo" in detail and "Submit for curation" not in detail
    response = client.post(_submit_url(item), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("photo" in m for m in messages) and any("description" in m for m in messages)
    assert not Entry.objects.exists()


def test_no_submission_without_an_open_curation_round(world):
    item = h.ready_product(world)
    h.curation_round(world.jatim, status=Stage.Status.CLOSED)
    h.curation_round(world.jatim, purpose=Round.Purpose.AWARD, name="Award")
    with pytest.raises(ValidationError, match="No curation round"):
        curation_submit(actor=world.user("manager_a"), product=item)
    html = world.client("manager_a").get(reverse("catalog:product_detail", args=[item.pk]))
    assert "Submit for curation" not in html.content.decode()


def test_a_product_in_review_cannot_be_submitted_to_another_round(world):
    item = h.ready_product(world)
    older = h.curation_round(world.jatim, status=Stage.Status.SCORING, name="Kurasi lama")
    h.entry(h.first_stage(older), item)
    h.curation_round(world.jatim, name="Kurasi baru", year=timezone.localdate().year + 1)
    with pytest.raises(ValidationError, match="already being assessed"):
        curation_submit(actor=world.user("manager_a"), product=item)


def test_a_curated_product_may_be_submitted_again_only_near_the_end_of_its_validity(world):
    item = h.ready_product(world)
    done = h.first_stage(h.curation_round(world.jatim, status=Stage.Status.PUBLISHED))
    curation = h.curation(item, done, valid_until=timezone.localdate() + dt.timedelta(days=200))
    h.curation_round(world.jatim, name="Kurasi ulang")
    with pytest.raises(ValidationError, match="can be submitted again from"):
        curation_submit(actor=world.user("manager_a"), product=item)
    detail = world.client("manager_a").get(reverse("catalog:product_detail", args=[item.pk]))
    assert "Submit for curation" not in detail.content.decode()
    curation.valid_until = timezone.localdate() + dt.timedelta(days=60)
    curation.save()
    assert curation_submit(actor=world.user("manager_a"), product=item).stage.round.name == (
        "Kurasi ulang"
    )


@pytest.mark.parametrize("persona", ["manager_b", "officer"])
def test_someone_who_does_not_keep_the_product_cannot_submit_it(world, persona):
    item = h.ready_product(world, world.enterprise_a)
    h.curation_round(world.jatim)
    if persona == "officer":
        # The Surabaya officer may see and edit Surabaya products; Jombang's are not theirs.
        item = h.ready_product(world, world.enterprise_b, name="Batik Tulis")
    assert world.client(persona).post(_submit_url(item)).status_code == 404
    assert not Entry.objects.exists()


@pytest.mark.parametrize("persona", ["juror", "buyer", "outsider", "auditor"])
def test_roles_that_keep_no_products_are_refused(world, persona):
    item = h.ready_product(world)
    h.curation_round(world.jatim)
    assert world.client(persona).post(_submit_url(item)).status_code == 403
    assert not Entry.objects.exists()


def test_submit_refuses_get_and_anonymous(world):
    item = h.ready_product(world)
    assert world.client("manager_a").get(_submit_url(item)).status_code == 405
    assert world.client("anonymous").post(_submit_url(item)).status_code == 302


# --- Status on the product page ---------------------------------------------------------------


def test_status_follows_the_entry_through_review_and_publication(world):
    item = h.product(world)
    assert curation_status(item).state == CurationStatus.NONE
    round_ = h.curation_round(world.jatim, status=Stage.Status.SCORING)
    made = h.entry(h.first_stage(round_), item)
    assert curation_status(item).state == CurationStatus.SUBMITTED
    h.scoresheet(world, made)
    assert curation_status(item).state == CurationStatus.IN_REVIEW
    # An outcome set before publication is not shown yet.
    h.decide(made, Entry.Outcome.NOT_PASSED, "4")
    assert curation_status(item).state == CurationStatus.IN_REVIEW
    h.publish(made.stage)
    assert curation_status(item).state == CurationStatus.NOT_PASSED


def test_status_of_a_pass_names_grade_and_validity(world):
    made = _published_pass(world, score="7.5")
    curation = curation_apply(actor=world.user("admin"), entry=made)
    status = curation_status(made.product)
    assert (status.state, status.grade, status.valid_until) == (
        CurationStatus.PASSED,
        "B",
        curation.valid_until,
    )
    html = world.client("officer").get(reverse("catalog:product_detail", args=[made.product_id]))
    assert "Passed with grade B" in html.content.decode()


# --- Demo -------------------------------------------------------------------------------------


def test_demo_curates_about_a_third_of_the_products_once(world):
    for n in range(20):
        h.product(world, name=f"Produk {n:02d}")
    written = seed_curations(world.jatim, rng=random.Random(1))
    assert written == 6
    assert selectors.curated_products(world.jatim).count() == 6
    assert Entry.objects.filter(outcome=Entry.Outcome.NOT_PASSED).count() == 2
    assert seed_curations(world.jatim, rng=random.Random(1)) == 0
    assert Curation.objects.count() == 6
    assert not Product.objects.filter(programme=world.kalsel).exists()


# --- With the assessment engine ---------------------------------------------------------------


def test_submitted_product_scored_by_two_jurors_and_published_becomes_unggulan(world):
    from opop.accounts.models import Membership, Role, User
    from opop.assessment import services as engine

    admin = world.user("admin")
    item = h.ready_product(world)
    round_ = engine.round_save(
        actor=admin,
        programme=world.jatim,
        data={"name": "Kurasi 2025", "purpose": "curation", "year": 2025, "validity_months": 12},
    )
    criterion = engine.criterion_save(actor=admin, round=round_, data={"name": "Mutu", "weight": 1})
    stage = engine.stage_save(
        actor=admin, round=round_, data={"name": "Penilaian", "cutoff_score": Decimal("7")}
    )
    second = User.objects.create_user("juror2@test.opop.id", "x", full_name="Juror Dua")
    Membership.objects.create(user=second, programme=world.jatim, role=Role.JUROR)
    for user, group in ((world.user("juror"), "academia"), (second, "business")):
        engine.juror_save(actor=admin, round=round_, user=user, group=group)
    made = curation_submit(actor=world.user("manager_a"), product=item)
    assert engine.assignments_balance(actor=admin, stage=stage) == 2
    engine.stage_open(actor=admin, stage=stage)
    for assignment, value in zip(
        made.assignments.select_related("juror__user"), ("9", "8"), strict=True
    ):
        engine.scoresheet_save(
            actor=assignment.juror.user,
            assignment=assignment,
            values={criterion.pk: value},
            submit=True,
        )
    assert curation_status(item).state == CurationStatus.IN_REVIEW
    engine.stage_close(actor=admin, stage=stage)
    assert not selectors.product_is_curated(item)  # nothing before publication
    engine.stage_publish(actor=admin, stage=stage)
    curation = Curation.objects.get(product=item)
    # Mean 8.5 on 1–10: (8.5 − 1) / 9 = 83 % → B.
    assert curation.grade == "B"
    assert curation.valid_until == add_months(timezone.localdate(), 12)
    html = world.client("manager_a").get(reverse("catalog:product_detail", args=[item.pk]))
    assert 'data-testid="badge-unggulan"' in html.content.decode()
