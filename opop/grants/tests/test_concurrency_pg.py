"""Two admins paying the same grant at once never pay more than agreed (PostgreSQL only: the
row lock is what is being tested; SQLite serialises every write anyway)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from opop.grants.models import Disbursement
from opop.grants.tests.helpers import AMOUNT, agreed, pay, scheme

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def _race(world, proposal, calls):
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(amount, key):
        try:
            barrier.wait()
            pay(world, proposal, amount, key)
            outcomes.append("paid")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_concurrent_tranches_never_exceed_the_agreed_amount(world):
    p = agreed(world, scheme(world, tranches=(25, 25, 25, 25), lpj_first=False))
    # Eight payments of 40% each race for a grant of four tranches: at most two fit.
    outcomes = _race(world, p, [(AMOUNT * 40 // 100, f"k{i}") for i in range(8)])
    paid = list(Disbursement.objects.filter(proposal=p).values_list("amount", flat=True))
    assert sum(paid) <= AMOUNT
    assert outcomes.count("paid") == len(paid) == 2
    assert sorted(Disbursement.objects.filter(proposal=p).values_list("number", flat=True)) == [
        1,
        2,
    ]


def test_concurrent_retries_with_one_key_pay_once(world):
    p = agreed(world, scheme(world, lpj_first=False))
    outcomes = _race(world, p, [(35_000_000, "same")] * 6)
    assert outcomes.count("paid") == 6  # each retry gets the one tranche back
    assert Disbursement.objects.filter(proposal=p).count() == 1
