import random

import pytest
from django.utils import timezone

from opop.coophealth import status as health
from opop.coophealth.models import CooperativeHealth, CooperativeReport
from opop.demo.coophealth import seed_coophealth
from opop.demo.writer import RowWriter
from opop.registry.models import Cooperative

pytestmark = pytest.mark.django_db


def _more_cooperatives(world, n=30):
    for i in range(n):
        Cooperative.objects.create(
            programme=world.jatim, pesantren=world.pesantren_b, name=f"Kopontren Demo {i}"
        )


def test_seed_writes_valid_reports_and_summaries_once(world):
    _more_cooperatives(world)
    counts = seed_coophealth(
        world.jatim, rng=random.Random("t"), writer=RowWriter(now=timezone.now())
    )
    reports = list(CooperativeReport.objects.filter(programme=world.jatim))
    assert counts["coophealth_reports"] == len(reports) > 30
    for report in reports:
        report.full_clean()  # every demo row passes the form's own rules
    year = health.this_year()
    statuses = set()
    for summary in CooperativeHealth.objects.filter(programme=world.jatim):
        own = [r for r in reports if r.cooperative_id == summary.cooperative_id]
        stored = health.status_from(summary.latest_year, summary.latest_active_year, year=year)
        assert stored == health.status_of_reports(own, year=year)
        assert summary.latest_report.year == summary.latest_year
        statuses.add(stored)
    assert health.ACTIVE in statuses and len(statuses) >= 2
    again = seed_coophealth(
        world.jatim, rng=random.Random("t"), writer=RowWriter(now=timezone.now())
    )
    assert again["coophealth_reports"] == 0
    assert CooperativeReport.objects.count() == len(reports)
