"""The demo intake: cohorts with quotas and files in every state, repeatable."""

import random

from opop.accounts.models import Membership
from opop.demo.intake import APPLICANTS, demo_intake_reset, seed_intake
from opop.intake.models import Application, Cohort


def test_seed_intake_makes_open_cohorts_and_files_in_every_state(world):
    counts = seed_intake(world.jatim, year=2026, rng=random.Random(1))
    assert counts["cohorts"] == 3
    cohorts = Cohort.objects.filter(programme=world.jatim, year=2026)
    assert {c.status for c in cohorts} == {"open"}
    assert all(c.quotas.filter(regency_id="35.78").exists() for c in cohorts)
    files = Application.objects.filter(programme=world.jatim)
    assert files.count() == APPLICANTS
    assert set(files.values_list("status", flat=True)) == {
        "draft",
        "submitted",
        "needs_fixing",
        "verified",
        "accepted",
    }
    fix = files.filter(status="needs_fixing").first()
    assert fix.decision_reason and fix.events.filter(action="needs_fixing").exists()
    for accepted in files.filter(status="accepted"):
        assert accepted.participation is not None
        assert Membership.objects.filter(user=accepted.applicant, programme=world.jatim).exists()
    assert files.filter(applicant__email="pendaftar1@demo.opop.id").exists()
    assert files.filter(status="submitted", documents__isnull=False).exists()


def test_seed_intake_twice_changes_nothing_and_reset_clears_it(world):
    seed_intake(world.jatim, year=2026, rng=random.Random(1))
    assert not seed_intake(world.jatim, year=2026, rng=random.Random(1))
    assert Application.objects.count() == APPLICANTS
    demo_intake_reset(["jatim"])
    assert not Application.objects.exists()
    assert not Cohort.objects.exists()
