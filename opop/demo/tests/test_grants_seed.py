import random

import pytest

from opop.demo.grants import seed_grants
from opop.grants.models import Disbursement, GrantEvent, GrantProposal, GrantScheme
from opop.grants.transparency import transparency_rows

pytestmark = pytest.mark.django_db


def test_seed_grants_writes_believable_rows_once(world):
    counts = seed_grants(world.jatim, rng=random.Random(5))
    assert counts["grant_schemes"] == 3
    assert counts["grant_proposals"] == 6  # both cooperatives, three years
    assert GrantEvent.objects.filter(programme=world.jatim).count() == counts["grant_events"]
    for proposal in GrantProposal.objects.filter(programme=world.jatim):
        assert sum(proposal.lines.values_list("amount", flat=True)) == proposal.amount_requested
        paid = sum(proposal.disbursements.values_list("amount", flat=True))
        assert paid <= (proposal.agreed_amount or 0)
    closed = GrantProposal.objects.filter(status="closed")
    for proposal in closed:
        assert (
            Disbursement.objects.filter(proposal=proposal, report__status="accepted").count() == 2
        )
    assert (
        transparency_rows(world.jatim.pk)["count"]
        == GrantProposal.objects.filter(
            programme=world.jatim, status__in=GrantProposal.COMMITTED
        ).count()
    )
    # Idempotent: a second run writes nothing.
    assert seed_grants(world.jatim, rng=random.Random(5)) == {}
    assert GrantScheme.objects.filter(programme=world.jatim).count() == 3
    # Kalimantan Selatan has no cooperative in this world: nothing to write.
    assert seed_grants(world.kalsel, rng=random.Random(5)) == {}
