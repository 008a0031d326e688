"""Setting stock: never below what checkouts reserved; a missing stock row is created; audited."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from opop.catalog.models import Product
from opop.common.models import AuditEvent
from opop.mart.models import StockLevel
from opop.mart.services.seller import stock_set
from opop.mart.tests.helpers import sellable_product

pytestmark = pytest.mark.django_db


def test_stock_below_reserved_is_refused_with_a_clear_message(world):
    chips = sellable_product(world, stock=10)
    StockLevel.objects.filter(pk=chips.pk).update(reserved=4)
    with pytest.raises(ValidationError) as refused:
        stock_set(actor=world.user("manager_a"), product=chips, on_hand=3)
    assert "cannot be set below 4" in refused.value.message_dict["on_hand"][0]
    assert StockLevel.objects.get(pk=chips.pk).on_hand == 10


def test_stock_is_set_and_audited(world):
    chips = sellable_product(world, stock=10)
    StockLevel.objects.filter(pk=chips.pk).update(reserved=4)
    level = stock_set(actor=world.user("manager_a"), product=chips, on_hand=4)
    assert (level.on_hand, level.reserved, level.available) == (4, 4, 0)
    event = AuditEvent.objects.get(target_type="mart.stocklevel", target_id=chips.pk)
    assert event.changes == {"on_hand": [10, 4]}


def test_a_product_without_a_stock_row_gets_one(world):
    chips = sellable_product(world)
    StockLevel.objects.filter(pk=chips.pk).delete()
    stock_set(actor=world.user("manager_a"), product=Product.objects.get(pk=chips.pk), on_hand=7)
    assert StockLevel.objects.get(pk=chips.pk).on_hand == 7


def test_negative_stock_is_refused(world):
    chips = sellable_product(world)
    with pytest.raises(ValidationError):
        stock_set(actor=world.user("manager_a"), product=chips, on_hand=-1)


def test_the_page_shows_the_refusal_and_changes_nothing(world):
    chips = sellable_product(world, stock=10)
    StockLevel.objects.filter(pk=chips.pk).update(reserved=6)
    client = world.client("manager_a")
    response = client.post(
        reverse("mart:seller_stock_set", args=[chips.pk]), {"on_hand": 2}, follow=True
    )
    assert "cannot be set below 6" in response.content.decode()
    assert StockLevel.objects.get(pk=chips.pk).on_hand == 10


def test_the_participant_owner_may_set_the_stock_too(world):
    chips = sellable_product(world, stock=10)
    response = world.client("participant").post(
        reverse("mart:seller_stock_set", args=[chips.pk]), {"on_hand": 12}
    )
    assert response.status_code == 302
    assert StockLevel.objects.get(pk=chips.pk).on_hand == 12


def test_manager_b_cannot_set_manager_as_stock(world):
    chips = sellable_product(world, stock=10)
    response = world.client("manager_b").post(
        reverse("mart:seller_stock_set", args=[chips.pk]), {"on_hand": 0}
    )
    assert response.status_code == 404
    assert StockLevel.objects.get(pk=chips.pk).on_hand == 10
