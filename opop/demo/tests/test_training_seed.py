import random

import pytest
from django.utils import timezone

from opop.demo.training import seed_training
from opop.demo.writer import RowWriter
from opop.training.models import Certificate, Enrolment, Session, Training

pytestmark = pytest.mark.django_db


def test_seed_training_writes_believable_rows_once(world):
    counts = seed_training(
        world.jatim, rng=random.Random("t"), writer=RowWriter(now=timezone.now())
    )
    assert counts["trainings"] == 8 and counts["training_sessions"] == 16
    assert Session.objects.filter(programme=world.jatim).count() == 16
    assert not Session.objects.filter(programme=world.kalsel).exists()
    for enrolment in Enrolment.objects.filter(checked_in_at__isnull=False):
        assert enrolment.status == Enrolment.Status.ENROLLED
        assert 0 <= enrolment.pre_score <= enrolment.post_score <= 100
    assert Certificate.objects.count() == counts["training_certificates"]
    people = set(Enrolment.objects.values_list("person__programme_id", flat=True))
    assert people == {world.jatim.pk}
    again = seed_training(world.jatim, rng=random.Random("t"))
    assert not again and Training.objects.count() == 8
