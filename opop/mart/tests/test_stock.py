"""Stock reservation: all or nothing, named refusals, and no overselling under concurrency."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from opop.catalog.models import Category, Product
from opop.mart.models import StockLevel
from opop.mart.stock import stock_commit, stock_release, stock_reserve

pytestmark = pytest.mark.django_db


def _product(world, name: str, on_hand: int) -> Product:
    category, _ = Category.objects.get_or_create(slug="keripik", defaults={"name": "Keripik"})
    product = Product.objects.create(
        programme=world.jatim,
        enterprise=world.enterprise_a,
        category=category,
        name=name,
        price=15_000,
        unit="bungkus",
        weight_grams=200,
        status=Product.Status.ACTIVE,
    )
    StockLevel.objects.create(product=product, on_hand=on_hand)
    return product


def _stock(product) -> tuple[int, int]:
    level = StockLevel.objects.get(pk=product.pk)
    return level.on_hand, level.reserved


def test_a_reservation_holds_units_until_paid_or_released(world):
    chips = _product(world, "Keripik Tempe", 10)
    with transaction.atomic():
        stock_reserve(quantities={chips.pk: 3})
    assert _stock(chips) == (10, 3)
    with transaction.atomic():
        stock_commit(quantities={chips.pk: 2})
        stock_release(quantities={chips.pk: 1})
    assert _stock(chips) == (8, 0)


def test_a_short_line_refuses_the_whole_reservation_naming_it(world):
    chips = _product(world, "Keripik Tempe", 10)
    sambal = _product(world, "Sambal Bawang", 1)
    refused = pytest.raises(ValidationError, match="Sambal Bawang: 1 left, 2 asked")
    with refused, transaction.atomic():
        stock_reserve(quantities={chips.pk: 3, sambal.pk: 2})
    assert _stock(chips) == (10, 0)
    assert _stock(sambal) == (1, 0)


def test_bad_quantities_and_over_release_are_refused(world):
    chips = _product(world, "Keripik Tempe", 2)
    with transaction.atomic():
        with pytest.raises(ValidationError):
            stock_reserve(quantities={chips.pk: 0})
        with pytest.raises(ValidationError):
            stock_release(quantities={chips.pk: 1})
    assert _stock(chips) == (2, 0)


@pytest.mark.django_db(transaction=True)
def test_a_reservation_outside_a_transaction_is_a_programming_error(world):
    chips = _product(world, "Keripik Tempe", 2)
    with pytest.raises(RuntimeError):
        stock_reserve(quantities={chips.pk: 1})  # its lock would end before the order is saved
    assert _stock(chips) == (2, 0)


def test_reserved_can_never_exceed_on_hand_in_the_database(world):
    from django.db import IntegrityError

    chips = _product(world, "Keripik Tempe", 2)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockLevel.objects.filter(pk=chips.pk).update(reserved=3)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_checkouts_of_five_units_reserve_exactly_five(world):
    chips = _product(world, "Keripik Tempe", 5)
    start, outcomes = threading.Barrier(20), []

    def checkout():
        try:
            start.wait()
            with transaction.atomic():
                stock_reserve(quantities={chips.pk: 1})
            outcomes.append("reserved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=checkout) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes.count("reserved") == 5 and outcomes.count("refused") == 15
    assert _stock(chips) == (5, 5)
