import random

import pytest

from opop.accounts.models import User
from opop.catalog.models import Product
from opop.demo.mart import BUYER, seed_mart
from opop.demo.seed import demo_seed
from opop.logistics.models import PostAgent, Tariff
from opop.mart.models import Checkout, MartSettings, Order, StockLevel
from opop.mart.selectors_buyer import seller_users
from opop.programmes.models import Programme
from opop.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def jatim():
    demo_seed(scale="tiny")
    return Programme.objects.get(code="jatim")


def test_seed_mart_writes_the_shop_once(jatim):
    # `demo_seed` ran seed_mart already (the fixture); its counts are the rows it wrote.
    counts = {
        "post_agents": PostAgent.objects.filter(programme=jatim).count(),
        "demo_orders": Order.objects.filter(buyer__email=BUYER).count(),
    }
    products = Product.objects.filter(programme=jatim)
    assert products.count() > 0
    assert StockLevel.objects.filter(product__programme=jatim).count() == products.count()
    levels = StockLevel.objects.filter(product__programme=jatim)
    assert all(0 <= s.on_hand <= 200 for s in levels)
    assert levels.filter(on_hand__gt=0).count() > levels.count() * 0.7
    settings_row = MartSettings.objects.get(programme=jatim)
    assert (settings_row.platform_fee_bp, settings_row.payment_expiry_minutes) == (250, 1440)
    regencies = Region.objects.filter(level=Region.Level.REGENCY, parent_id=jatim.province_id)
    assert Tariff.objects.filter(programme=jatim).count() == regencies.count() ** 2
    for tariff in Tariff.objects.filter(programme=jatim):
        assert 8_000 <= tariff.first_kg <= 25_000
        assert 3_000 <= tariff.next_kg <= 9_000
        assert 1 <= tariff.days <= 5
    assert counts["post_agents"] > 0
    assert counts["demo_orders"] > 0
    orders = Order.objects.filter(buyer__email=BUYER)
    assert orders.count() == counts["demo_orders"]
    assert orders.filter(status=Order.Status.AWAITING_PAYMENT).exists()
    assert orders.filter(status=Order.Status.COMPLETED).exists()
    manager_a = User.objects.get(email="manager.a@demo.opop.id")
    assert all(manager_a in seller_users(order.seller) for order in orders)

    before = (StockLevel.objects.count(), Tariff.objects.count(), PostAgent.objects.count())
    again = seed_mart(jatim, rng=random.Random("mart"))
    assert sum(again.values()) == 0
    after = (StockLevel.objects.count(), Tariff.objects.count(), PostAgent.objects.count())
    assert after == before
    assert Checkout.objects.filter(buyer__email=BUYER).count() == counts["demo_orders"]


def test_new_products_get_stock_on_the_next_run(jatim):
    seed_mart(jatim, rng=random.Random("mart"))
    StockLevel.objects.filter(product__programme=jatim).order_by("pk").first().delete()
    assert seed_mart(jatim, rng=random.Random("mart"))["stock_levels"] == 1
