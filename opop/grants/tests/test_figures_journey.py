import pytest

from opop.accounts.access import access_for
from opop.grants import services
from opop.grants.figures import dashboard_figures
from opop.grants.journey import journey_events
from opop.grants.tests.helpers import AMOUNT, agreed, pay, scheme, today

pytestmark = pytest.mark.django_db


def access(world, persona):
    return access_for(world.user(persona))


@pytest.fixture
def grants(world):
    s = scheme(world, lpj_first=False)
    a = agreed(world, s)
    pay(world, a, 35_000_000, "a1")
    pay(world, a, 15_000_000, "a2")
    b = agreed(world, s, coop=world.coop_b, manager="manager_b", number="N-B")
    services.loan_create(
        actor=world.user("manager_a"),
        cooperative=world.coop_a,
        bank_name="BSI",
        product="KUR Syariah",
        amount=10_000_000,
        submitted_on=today(),
    )
    return a, b


def test_dashboard_figures_by_scope(world, grants, django_assert_max_num_queries):
    year = today().year
    with django_assert_max_num_queries(4):
        whole = dashboard_figures(access(world, "admin"), year=year)
    assert whole["committed"] == {"count": 2, "amount": 2 * AMOUNT}
    assert whole["disbursed"] == {"count": 1, "amount": AMOUNT}
    assert {r["code"] for r in whole["by_regency"]} == {"35.78", "35.17"}
    officer = dashboard_figures(access(world, "officer"), year=year)
    assert officer["committed"]["count"] == 1 and officer["by_regency"][0]["code"] == "35.78"
    manager_b = dashboard_figures(access(world, "manager_b"), year=year)
    assert manager_b["committed"]["amount"] == AMOUNT and manager_b["disbursed"]["amount"] == 0
    assert dashboard_figures(access(world, "partner"), year=year)["committed"]["count"] == 2
    assert dashboard_figures(access(world, "kalsel_admin"), year=year)["committed"]["count"] == 0
    assert dashboard_figures(access(world, "admin"), year=year - 1)["committed"]["count"] == 0
    with pytest.raises(PermissionError):
        dashboard_figures(access(world, "buyer"), year=year)


def test_journey_events_scoped(world, grants, django_assert_max_num_queries):
    pid = world.pesantren_a.pk
    with django_assert_max_num_queries(3):
        events = journey_events(pid, access(world, "manager_a"))
    kinds = [e.kind for e in events]
    assert kinds.count("grant.disbursed") == 2
    assert "grant.submitted" in kinds and "grant.loan_submitted" in kinds
    assert all(e.url for e in events)
    # A facilitator sees the public steps only, without links.
    facilitator = journey_events(pid, access(world, "facilitator"))
    assert {e.kind for e in facilitator} == {"grant.agreed", "grant.disbursed"}
    assert not any(e.url for e in facilitator)
    assert journey_events(pid, access(world, "manager_b")) == []
    assert journey_events(pid, access(world, "kalsel_admin")) == []
    assert journey_events(world.pesantren_b.pk, access(world, "officer")) == []
    for event in events:
        assert world.person_a.full_name not in event.title + event.detail
