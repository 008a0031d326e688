"""Invitations fitted to stage and need (issue 5, point 2): a session's level range and need tags
select the people of pesantren at that level, or with that need on the milestone checklist or in
their latest assessment result."""

import datetime as dt

import pytest
from django.utils import timezone

from opop.assessment.models import Criterion, Entry, Round, Stage
from opop.milestones.tests.helpers import checklist, item, verified
from opop.training.targeting import eligible_people
from opop.training.tests.helpers import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(world):
    """A at level 1 (both level-1 items verified), B at level 0."""
    items = checklist(world.jatim)
    items["halal"] = item(world.jatim, "halal_flagship", 2, aspect="product")
    for key in ("founded", "chosen"):
        verified(world, world.pesantren_a, items[key])
    return items


def test_level_range_selects_people_of_pesantren_at_that_level(world, items):
    session = make_session(world, target_level_min=1)
    assert list(eligible_people(session)) == [world.person_a]
    session.target_level_min, session.target_level_max = None, 0  # not yet levelled
    assert list(eligible_people(session)) == [world.person_b]
    session.target_level_min, session.target_level_max = 2, 4
    assert list(eligible_people(session)) == []


def test_a_due_unverified_item_is_a_need(world, items):
    # `nib` is a level-2 item: due for A (level 1), not yet for B (level 0).
    session = make_session(world, need_tags="nib")
    assert list(eligible_people(session)) == [world.person_a]
    # `founded` is verified for A, due for B: only B needs it.
    session.need_tags = "founded"
    assert list(eligible_people(session)) == [world.person_b]
    # A word of the code ("halal" of halal_flagship) or the aspect name matches too.
    session.need_tags = "Halal, packaging"
    assert list(eligible_people(session)) == [world.person_a]
    session.need_tags = "product"
    assert list(eligible_people(session)) == [world.person_a]
    session.need_tags = "unknown-need"
    assert list(eligible_people(session)) == []


def test_a_weak_latest_assessment_result_is_a_need(world, items):
    rnd = Round.objects.create(
        programme=world.jatim, year=2025, purpose=Round.Purpose.CURATION, name="Kurasi"
    )
    packaging = Criterion.objects.create(round=rnd, name="Packaging and labelling", weight=30)
    stage = Stage.objects.create(round=rnd, name="Skor", status=Stage.Status.PUBLISHED)
    when = timezone.make_aware(dt.datetime(2025, 3, 1))

    def entry(pesantren, mean, days=0):
        return Entry.objects.create(
            stage=stage,
            title=pesantren.name,
            pesantren=pesantren,
            submitted_at=when + dt.timedelta(days=days),
            criterion_results={str(packaging.pk): {"mean": mean, "comments": []}},
        )

    entry(world.pesantren_b, 3.0)  # weak on a 1–10 scale (bar 6.4)
    entry(world.pesantren_a, 4.0)
    entry(world.pesantren_a, 8.5, days=30)  # A's latest result is good: no need any more
    session = make_session(world, need_tags="packaging")
    assert list(eligible_people(session)) == [world.person_b]
    # Needs from both sources add up.
    session.need_tags = "packaging, nib"
    assert set(eligible_people(session)) == {world.person_a, world.person_b}
    # Unpublished results are the jury's, not a need yet.
    Stage.objects.filter(pk=stage.pk).update(status=Stage.Status.CLOSED)
    session.need_tags = "packaging"
    assert list(eligible_people(session)) == []


def test_session_form_offers_the_levels_and_the_checklist_codes(world, items):
    from opop.accounts.access import access_for
    from opop.training.forms import SessionForm
    from opop.training.models import Training

    form = SessionForm(access=access_for(world.user("admin")), trainings=Training.objects.none())
    assert '<option value="1">1 · Emerging</option>' in str(form["target_level_min"])
    assert "(chosen, founded, halal_flagship, nib, rat, or" in str(
        form.fields["need_tags"].help_text
    )
