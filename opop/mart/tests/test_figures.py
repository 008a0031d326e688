"""Programme figures of OPOP Mart: paid-or-later orders only, grouped by pesantren, kab/kota,
pillar and month; scoped (an officer sees their kab/kota only)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from opop.mart.figures import mart_figures
from opop.mart.models import Order
from opop.mart.sales import sales_recount
from opop.mart.tests.helpers import sellable_product
from opop.mart.tests.test_seller_pages import make_order
from opop.programmes.models import Pillar
from opop.registry.models import Enterprise, Participation

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()
YEAR = 2025


def _paid(month):
    return dt.datetime(YEAR, month, 10, 9, 0, tzinfo=TZ)


@pytest.fixture
def sales(world):
    coop_shop = Enterprise.objects.create(
        programme=world.jatim,
        name="Toko Kopontren",
        cooperative=world.coop_a,
        sector=Enterprise.Sector.TRADE,
        regency_id="35.78",
    )
    Participation.objects.create(
        programme=world.jatim,
        pillar=Pillar.SOCIOPRENEUR,
        cohort_year=2025,
        person=world.person_b,
        regency_id="35.17",
    )
    chips = sellable_product(world, "Keripik", price=10_000)  # enterprise_a, Surabaya
    batik = sellable_product(world, "Batik", price=100_000, enterprise=world.enterprise_b)
    rice = sellable_product(world, "Beras", price=50_000, enterprise=coop_shop)
    make_order(world, [(chips, 2)], paid_at=_paid(1))
    make_order(world, [(chips, 1)], paid_at=_paid(2), status=Order.Status.COMPLETED)
    make_order(world, [(batik, 1)], paid_at=_paid(2), status=Order.Status.SHIPPED)
    make_order(world, [(rice, 1)], paid_at=_paid(3), status=Order.Status.DELIVERED)
    # Left out: cancelled, refunded, awaiting payment, another year.
    make_order(world, [(chips, 9)], paid_at=_paid(1), status=Order.Status.CANCELLED)
    make_order(world, [(batik, 9)], paid_at=_paid(1), status=Order.Status.REFUNDED)
    make_order(world, [(chips, 9)], paid_at=_paid(1), status=Order.Status.AWAITING_PAYMENT)
    make_order(world, [(chips, 9)], paid_at=_paid(1).replace(year=YEAR - 1))
    # The orders were built straight in the database: count them as the nightly recount does.
    sales_recount(programme_id=world.jatim.pk)


def _access(world, persona):
    from opop.accounts.access import access_for

    return access_for(world.user(persona))


def _by(rows, key):
    return {row[key]: (row["orders"], row["value"]) for row in rows}


def test_programme_figures_leave_cancelled_orders_out(world, sales, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        figures = mart_figures(_access(world, "admin"), year=YEAR)
    assert figures["totals"] == {"orders": 4, "value": 30_000 + 100_000 + 50_000}
    months = _by(figures["by_month"], "month")
    assert months["2025-01"] == (1, 20_000)
    assert months["2025-02"] == (2, 110_000)
    assert months["2025-04"] == (0, 0)
    regencies = _by(figures["by_regency"], "code")
    assert regencies == {"35.78": (3, 80_000), "35.17": (1, 100_000)}
    pesantren = _by(figures["by_pesantren"], "name")
    assert pesantren["Pondok Pesantren Al-Hikmah"] == (3, 80_000)
    assert pesantren["Pondok Pesantren Darul Ulum"] == (1, 100_000)  # through batik's owner


def test_pillars_follow_the_seller(world, sales):
    pillars = _by(mart_figures(_access(world, "admin"), year=YEAR)["by_pillar"], "pillar")
    assert pillars == {
        "santripreneur": (2, 30_000),  # enterprise_a: owned by a santri
        "pesantrenpreneur": (1, 50_000),  # the cooperative's shop, no owner
        "sociopreneur": (1, 100_000),  # enterprise_b: its owner is a sociopreneur
    }


def test_an_officer_sees_only_their_kab_kota(world, sales):
    figures = mart_figures(_access(world, "officer"), year=YEAR)  # Kota Surabaya
    assert set(_by(figures["by_regency"], "code")) == {"35.78"}
    assert figures["totals"]["value"] == 80_000


def test_another_programme_sees_nothing(world, sales):
    assert mart_figures(_access(world, "kalsel_admin"), year=YEAR)["totals"]["orders"] == 0


@pytest.mark.parametrize("persona", ["admin", "auditor", "partner", "officer"])
def test_the_page_and_json_render_for_dashboard_readers(world, sales, persona):
    client = world.client(persona)
    page = client.get(reverse("mart:figures") + f"?year={YEAR}")
    assert page.status_code == 200 and "chart.umd.min.js" in page.content.decode()
    data = client.get(reverse("mart:figures_json") + f"?year={YEAR}").json()
    assert data["year"] == YEAR and len(data["by_month"]) == 12


@pytest.mark.parametrize("persona", ["buyer", "juror", "outsider"])
def test_the_page_refuses_others(world, persona):
    client = world.client(persona)
    assert client.get(reverse("mart:figures")).status_code == 403
    assert client.get(reverse("mart:figures_json")).status_code == 403


def test_the_officers_json_holds_no_other_kab_kota(world, sales):
    data = world.client("officer").get(reverse("mart:figures_json") + f"?year={YEAR}").json()
    assert [row["code"] for row in data["by_regency"]] == ["35.78"]
