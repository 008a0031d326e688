"""A seller sees the buyer's contact details only while they need them, and every view is kept
in the audit trail (UU PDP 27/2022; DOMAIN.md "keep who viewed personal data")."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from opop.common.models import AuditEvent
from opop.mart.models import Order
from opop.mart.services.buyer_contact import CONTACT_DAYS_AFTER_CLOSE, seller_sees_contact
from opop.mart.tests.helpers import sellable_product
from opop.mart.tests.test_seller_pages import make_order

pytestmark = pytest.mark.django_db
API = "/api/v1/mart/"


def _views(order):
    return AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW_PII, target_type="mart.order", target_id=order.pk
    )


def _closed_days_ago(order, days):
    Order.objects.filter(pk=order.pk).update(
        status=Order.Status.COMPLETED, updated_at=timezone.now() - dt.timedelta(days=days)
    )
    order.refresh_from_db()


def test_the_seller_page_shows_the_contact_and_records_one_view_a_day(world):
    order = make_order(world, [(sellable_product(world, "Keripik"), 1)])
    client = world.client("manager_a")
    url = reverse("mart:seller_order", args=[order.number])
    for _ in range(3):
        html = client.get(url).content.decode()
    assert "+6281234500001" in html and "Jl. Merpati 7" in html
    views = list(_views(order))
    assert len(views) == 1 and views[0].actor == world.user("manager_a")
    assert views[0].programme_id == world.jatim.pk and "buyer contact" in views[0].note


def test_a_refused_seller_leaves_no_view(world):
    order = make_order(world, [(sellable_product(world, "Keripik"), 1)])
    response = world.client("manager_b").get(reverse("mart:seller_order", args=[order.number]))
    assert response.status_code == 404 and not _views(order).exists()


def test_the_contact_is_hidden_a_month_after_the_order_closed(world):
    order = make_order(world, [(sellable_product(world, "Keripik"), 1)])
    _closed_days_ago(order, CONTACT_DAYS_AFTER_CLOSE - 1)
    assert seller_sees_contact(order)
    _closed_days_ago(order, CONTACT_DAYS_AFTER_CLOSE + 1)
    assert not seller_sees_contact(order)
    html = world.client("manager_a").get(reverse("mart:seller_order", args=[order.number]))
    html = html.content.decode()
    assert 'id="contact-hidden"' in html
    assert "+6281234500001" not in html and "Jl. Merpati 7" not in html
    assert not _views(order).exists()
    # The buyer still sees their own address.
    mine = world.client("buyer").get(reverse("mart:my_order", args=[order.number]))
    assert "Jl. Merpati 7" in mine.content.decode()


def test_the_seller_api_records_views_and_hides_old_contacts(world):
    from rest_framework.test import APIClient

    product = sellable_product(world, "Keripik")
    fresh = make_order(world, [(product, 1)])
    old = make_order(world, [(product, 2)])
    _closed_days_ago(old, CONTACT_DAYS_AFTER_CLOSE + 5)
    client = APIClient()
    client.force_authenticate(world.user("manager_a"))
    rows = {r["number"]: r for r in client.get(f"{API}seller/orders/").json()["results"]}
    assert rows[fresh.number]["ship_to"]["street"] == "Jl. Merpati 7"
    assert rows[old.number]["ship_to"] is None
    assert _views(fresh).count() == 1 and not _views(old).exists()


def test_seller_lists_name_the_buyer_without_their_e_mail(world):
    make_order(world, [(sellable_product(world, "Keripik"), 1)])
    buyer = world.user("buyer")
    buyer.full_name = ""
    buyer.save(update_fields=["full_name"])
    html = world.client("manager_a").get(reverse("mart:seller_orders")).content.decode()
    assert buyer.email not in html
