import random

import pytest

from opop.demo.visits import seed_visits
from opop.demo.writer import RowWriter
from opop.visits.models import ActionItem, Visit

pytestmark = pytest.mark.django_db


def test_seed_visits_writes_believable_reports_once(world):
    from django.utils import timezone

    writer = RowWriter(now=timezone.now())
    counts = seed_visits(world.jatim, rng=random.Random("visits"), writer=writer)
    visits = Visit.objects.filter(programme=world.jatim)
    assert counts["visits"] == visits.count() >= 2
    assert counts["visit_action_items"] == ActionItem.objects.filter(visit__in=visits).count()
    # Only the facilitator's assigned pesantren, each report a different phone UUID.
    assert set(visits.values_list("pesantren_id", flat=True)) == {world.pesantren_a.pk}
    assert len(set(visits.values_list("client_uuid", flat=True))) == visits.count()
    assert visits.filter(status=Visit.Status.REVIEWED).exists() or visits.count() < 3
    for visit in visits:
        visit.full_clean(validate_constraints=False)
    # Idempotent: a second run writes nothing.
    again = seed_visits(world.jatim, rng=random.Random("visits"), writer=writer)
    assert not again and Visit.objects.filter(programme=world.jatim).count() == counts["visits"]
    assert not Visit.objects.filter(programme=world.kalsel).exists()
