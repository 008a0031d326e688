import random

import pytest
from django.utils import timezone

from opop.demo.milestones import seed_milestones
from opop.demo.writer import RowWriter
from opop.milestones.defaults import DEFAULT_ITEMS
from opop.milestones.levels import level_from_items
from opop.milestones.models import LevelChange, MilestoneItem, PesantrenLevel, PesantrenMilestone

pytestmark = pytest.mark.django_db


def test_seed_milestones_writes_levels_that_follow_the_rule_once(world):
    counts = seed_milestones(
        world.jatim, rng=random.Random("milestones"), writer=RowWriter(now=timezone.now())
    )
    assert counts["milestone_items"] == len(DEFAULT_ITEMS)
    assert counts["pesantren_milestones"] == PesantrenMilestone.objects.count() > 0
    items = list(MilestoneItem.objects.filter(programme=world.jatim))
    for row in PesantrenLevel.objects.filter(programme=world.jatim):
        done = set(
            PesantrenMilestone.objects.filter(
                pesantren_id=row.pesantren_id, status="verified"
            ).values_list("item_id", flat=True)
        )
        assert row.level == level_from_items((i.level, i.pk in done) for i in items)
        changes = LevelChange.objects.filter(pesantren_id=row.pesantren_id).order_by("on", "pk")
        if row.level:
            assert changes.last().to_level == row.level
    assert not PesantrenMilestone.objects.filter(programme=world.kalsel).exists()

    again = seed_milestones(world.jatim, rng=random.Random("milestones"))
    assert sum(again.values()) == 0
    assert PesantrenMilestone.objects.count() == counts["pesantren_milestones"]
