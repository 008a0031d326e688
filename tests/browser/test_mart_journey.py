"""The OPOP Mart journey, through the real pages at phone width: a buyer searches, buys from two
sellers in one checkout, pays through the payment simulator; each seller packs and ships via
Agen Pos Pesantren; one parcel is delivered by the post simulator, the other is confirmed by the
buyer ("I received it"); the buyer reviews a product and the product page shows the review.

Only what has no page is set up through the ORM/services: the persona world, two sellable
products (active, curated today, in stock) of two sellers, the post agents and the tariffs.
"""

import re

import pytest

from opop.catalog.models import Category
from opop.common.testing.personas import JOMBANG, PASSWORD, SURABAYA, build_world
from opop.logistics.models import PostAgent, Shipment, Tariff
from opop.mart.models import Checkout, Order, Payment, Review
from opop.mart.tests.helpers import sellable_product
from opop.regions.models import Region
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUYER = "buyer@test.opop.id"
MALANG = "35.73"  # the buyer lives in Kota Malang
REVIEW_TEXT = "Keripiknya renyah sekali, kemasan rapi dan cepat sampai."


def _setup():
    world = build_world()
    kopi, _ = Category.objects.get_or_create(slug="kopi", defaults={"name": "Kopi"})
    keripik = sellable_product(world, "Keripik Tempe Al-Hikmah", price=15_000, stock=10)
    kopi_bubuk = sellable_product(
        world,
        "Kopi Robusta Darul Ulum",
        price=40_000,
        stock=5,
        enterprise=world.enterprise_b,
        category=kopi,
        unit="pak",
    )
    for pesantren, code in ((world.pesantren_a, "AGP-3578-01"), (world.pesantren_b, "AGP-3517-01")):
        PostAgent.objects.create(
            programme=world.jatim, pesantren=pesantren, regency_id=pesantren.regency_id,
            agent_code=code,
        )  # fmt: skip
    for origin in (SURABAYA, JOMBANG):
        Tariff.objects.create(
            programme=world.jatim, origin_id=origin, destination_id=MALANG,
            first_kg=9_000, next_kg=4_000, days=2,
        )  # fmt: skip
    return world, keripik, kopi_bubuk


def _go(page, selector: str) -> None:
    """Click something that loads a new page, and wait for it."""
    with page.expect_navigation():
        page.click(selector)


def _unfold_menu(page) -> None:
    page.click("button.navbar-toggler")
    page.wait_for_selector("#mainnav.collapse.show")


def _open_mart_menu(page, href: str) -> None:
    """The "OPOP Mart" menu: unfold the navbar, open the dropdown, follow one of its items."""
    _unfold_menu(page)
    page.click("#mart-menu")
    page.wait_for_selector("ul[aria-labelledby=mart-menu].dropdown-menu.show")
    _go(page, f"ul[aria-labelledby=mart-menu] a[href='{href}']")


def _log_out(page) -> None:
    _unfold_menu(page)
    _go(page, "#mainnav form[action='/accounts/logout/'] button")
    assert "/accounts/login/" in page.url


def _shot(page, name: str) -> None:
    page.screenshot(path=f"/tmp/mart-{name}.png", full_page=True)


def _add_to_cart(page) -> None:
    _go(page, "#cart-add button")
    assert page.url.endswith("/mart/cart/")


def _buyer_fills_cart(page, live_server, keripik, kopi_bubuk, world) -> None:
    log_in(page, live_server, BUYER, PASSWORD)
    _open_mart_menu(page, "/mart/")
    # Product 1: by a word of its name.
    page.fill("#store-q", "tempe")
    _go(page, "form[role=search] button")
    assert "/mart/search/?q=tempe" in page.url
    cards = page.locator("[data-testid=product-card]")
    assert cards.count() == 1
    _go(page, f"[data-testid=product-card] a[href='/mart/p/{keripik.pk}/']")
    assert page.locator("[data-testid=badge-unggulan]").is_visible()
    _shot(page, "1-product")
    page.fill("#qty", "2")
    _add_to_cart(page)
    # Product 2: through its category, from the storefront's home.
    _open_mart_menu(page, "/mart/")
    _go(page, "a[href='/mart/c/kopi/']")
    _go(page, f"[data-testid=product-card] a[href='/mart/p/{kopi_bubuk.pk}/']")
    _add_to_cart(page)
    for enterprise in (world.enterprise_a, world.enterprise_b):
        assert page.locator(f"#cart-body #seller-{enterprise.pk}").count() == 1
    assert page.locator("#cart-body tbody tr").count() == 2
    _shot(page, "2-cart")


def _buyer_checks_out(page, live_server, world) -> Checkout:
    # No address yet: checkout sends the buyer to the address form first, then back.
    _go(page, "#cart-body a[href='/mart/checkout/']")
    assert "/mart/addresses/add/" in page.url
    page.fill("[name=label]", "Rumah")
    page.fill("[name=recipient]", "Budi Pembeli")
    page.fill("[name=phone]", "0812-3456-7890")
    district = Region.objects.filter(parent_id=MALANG).order_by("code").first().code
    with page.expect_response(lambda r: "/regions/options/" in r.url and MALANG in r.url):
        page.select_option("select[name=regency]", MALANG)
    page.locator(f"select[name=district] option[value='{district}']").wait_for(state="attached")
    page.select_option("select[name=district]", district)
    page.fill("[name=street]", "Jl. Ijen No. 12")
    page.fill("[name=postal_code]", "65119")
    _go(page, "form[method=post] button.btn-success")
    assert page.url.endswith("/mart/checkout/")

    for enterprise in (world.enterprise_a, world.enterprise_b):
        page.check(f"input[name=delivery_{enterprise.pk}][value=post]")
    page.check("input[name=method][value=va]")
    _shot(page, "3-checkout")
    _go(page, "form[method=post] > button.btn-success")
    checkout = Checkout.objects.get(buyer=world.users["buyer"])
    assert page.url.endswith(f"/mart/pay/{checkout.reference}/")
    assert checkout.orders.count() == 2
    return checkout


def _buyer_pays(page, checkout) -> None:
    assert page.locator("#simulator-box").is_visible()
    assert page.locator(".alert .badge.bg-danger", has_text="SIMULATOR").is_visible()
    assert "bg-warning" in page.get_attribute("#payment-status", "class")  # pending
    assert page.input_value("#va-number").startswith("8808")
    _shot(page, "4-payment")
    _go(page, "#simulator-box form button")
    assert "bg-success" in page.get_attribute("#payment-status", "class")
    assert page.locator("#simulator-box").count() == 0
    assert Payment.objects.get(checkout=checkout).status == Payment.Status.PAID
    assert set(checkout.orders.values_list("status", flat=True)) == {Order.Status.PAID}


def _buyer_sees_orders(page, orders) -> None:
    _open_mart_menu(page, "/mart/orders/")
    for order in orders:
        assert page.locator(f"a[href='/mart/orders/{order.number}/']").count() == 1


def _seller_ships(page, live_server, email: str, order: Order, *, advance: bool) -> Shipment:
    log_in(page, live_server, email, PASSWORD)
    _open_mart_menu(page, "/mart/seller/")
    _go(page, "a[href='/mart/seller/orders/']")
    rows = page.locator("table tbody a[href^='/mart/seller/orders/']")
    assert rows.all_inner_texts() == [order.number]  # never the other seller's order
    _go(page, f"a[href='/mart/seller/orders/{order.number}/']")
    _go(page, "button[data-step=pack]")
    assert Order.objects.get(pk=order.pk).status == Order.Status.PACKED
    if advance:
        _shot(page, "5-seller-order-packed")
    _go(page, "button[data-step=ship]")
    shipment = Shipment.objects.get(order=order)
    assert Order.objects.get(pk=order.pk).status == Order.Status.SHIPPED
    assert page.locator("button[data-step]").count() == 0  # nothing more for the seller now
    track = f"/logistics/track/{shipment.tracking_number}/"
    assert page.locator(f"a[href='{track}']").is_visible()
    if advance:
        _shot(page, "6-seller-order-shipped")
        _go(page, f"a[href='{track}']")
        assert page.locator("h1 + span.badge", has_text="SIMULATOR").is_visible()
        advance_button = page.locator(f"form[action='{track}advance/'] button")
        for _step in range(3):  # picked up → on the way → delivered
            with page.expect_navigation():
                advance_button.click()
        assert advance_button.count() == 0
        assert page.locator("#tracking-events li").count() == 3
        _shot(page, "7-tracking-delivered")
        assert Shipment.objects.get(pk=shipment.pk).status == Shipment.Status.DELIVERED
        assert Order.objects.get(pk=order.pk).status == Order.Status.DELIVERED
    _log_out(page)
    return shipment


def _buyer_receives_and_reviews(page, live_server, delivered, shipped, keripik) -> None:
    log_in(page, live_server, BUYER, PASSWORD)
    _buyer_sees_orders(page, [delivered, shipped])
    # The parcel still on its way: the buyer confirms it arrived.
    _go(page, f"a[href='/mart/orders/{shipped.number}/']")
    tracking = Shipment.objects.get(order=shipped).tracking_number
    assert page.locator(f"a[href='/logistics/track/{tracking}/']").is_visible()
    _go(page, f"form[action='/mart/orders/{shipped.number}/received/'] button")
    assert Order.objects.get(pk=shipped.pk).status == Order.Status.COMPLETED

    # The parcel the post delivered: review its product from the order page.
    _open_mart_menu(page, "/mart/orders/")
    _go(page, f"a[href='/mart/orders/{delivered.number}/']")
    line = delivered.lines.get()
    _go(page, f"a[data-review-line='{line.pk}']")
    assert f"/mart/reviews/lines/{line.pk}/" in page.url
    page.check("input[name=rating][value='5']")
    page.fill("textarea[name=text]", REVIEW_TEXT)
    _go(page, "form[method=post] button.btn-success")
    assert page.url.endswith(f"/mart/orders/{delivered.number}/")
    assert page.locator(f"a[data-review-line='{line.pk}']").count() == 0  # reviewed once
    assert Review.objects.filter(line=line, rating=5).count() == 1

    # The product page shows it.
    _open_mart_menu(page, "/mart/")
    page.fill("#store-q", "keripik tempe")
    _go(page, "form[role=search] button")
    _go(page, f"[data-testid=product-card] a[href='/mart/p/{keripik.pk}/']")
    reviews = page.locator("#reviews article")
    assert reviews.count() == 1
    assert REVIEW_TEXT in reviews.first.inner_text()
    assert re.search(r"5[.,]0", page.inner_text("#rating"))
    _shot(page, "8-product-reviewed")


def test_buyer_buys_from_two_sellers_who_ship_and_the_buyer_reviews(page, live_server):
    world, keripik, kopi_bubuk = _setup()
    page.on("dialog", lambda dialog: dialog.accept())

    _buyer_fills_cart(page, live_server, keripik, kopi_bubuk, world)
    checkout = _buyer_checks_out(page, live_server, world)
    _buyer_pays(page, checkout)
    order_a = checkout.orders.get(seller=world.enterprise_a)
    order_b = checkout.orders.get(seller=world.enterprise_b)
    assert order_a.shipping_fee == 9_000 and order_b.shipping_fee == 9_000
    _buyer_sees_orders(page, [order_a, order_b])
    _log_out(page)

    _seller_ships(page, live_server, "manager_a@test.opop.id", order_a, advance=True)
    _seller_ships(page, live_server, "manager_b@test.opop.id", order_b, advance=False)

    _buyer_receives_and_reviews(page, live_server, order_a, order_b, keripik)
