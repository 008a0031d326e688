"""The storefront: only sellable products appear; product and shop pages; no personal data."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from opop.catalog.models import Curation, Product, ProductPhoto
from opop.mart.models import Review, StockLevel
from opop.mart.selectors_store import sellable_products
from opop.mart.tests.helpers import curate, sellable_product
from opop.mart.tests.store_helpers import HALAL_NUMBER, halal, review
from opop.registry.models import RecordStatus

pytestmark = pytest.mark.django_db

SEARCH = reverse("mart:store_search")


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _unsellable(world):
    """One product per reason it may not be sold, by name."""
    uncurated = Product.objects.create(
        programme=world.jatim,
        enterprise=world.enterprise_a,
        category=sellable_product(world, "Teh Sellable").category,
        name="Dodol Uncurated",
        price=1000,
        unit="pack",
        weight_grams=100,
        status=Product.Status.ACTIVE,
    )
    expired = sellable_product(world, "Dodol Expired")
    Curation.objects.filter(product=expired).update(
        valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    revoked = sellable_product(world, "Dodol Revoked")
    Curation.objects.filter(product=revoked).update(revoked_at=timezone.now())
    draft = sellable_product(world, "Dodol Draft")
    Product.objects.filter(pk=draft.pk).update(status=Product.Status.DRAFT)
    inactive = sellable_product(world, "Dodol Inactive")
    Product.objects.filter(pk=inactive.pk).update(status=Product.Status.INACTIVE)
    closed = sellable_product(world, "Dodol Closed Seller", enterprise=world.enterprise_b)
    world.enterprise_b.status = RecordStatus.INACTIVE
    world.enterprise_b.save()
    return [uncurated, expired, revoked, draft, inactive, closed]


def test_only_curated_active_products_of_active_sellers_are_shown(world):
    hidden = _unsellable(world)
    client = world.client("anonymous")
    for url in (
        SEARCH,
        reverse("mart:store_home"),
        reverse("mart:store_category", args=["keripik"]),
    ):
        html = page(client, url)
        assert "Teh Sellable" in html
        assert "Dodol" not in html
    for product in hidden:
        assert client.get(reverse("mart:product", args=[product.pk])).status_code == 404
    assert set(sellable_products().values_list("name", flat=True)) == {"Teh Sellable"}


def test_inactive_programme_hides_its_products(world):
    item = sellable_product(world, "Teh Jatim")
    world.jatim.is_active = False
    world.jatim.save()
    client = world.client("anonymous")
    assert "Teh Jatim" not in page(client, SEARCH)
    assert client.get(reverse("mart:product", args=[item.pk])).status_code == 404


def test_storefront_pages_are_public_for_every_persona(world):
    item = sellable_product(world, "Teh Melati")
    urls = [
        reverse("mart:store_home"),
        SEARCH,
        reverse("mart:store_category", args=[item.category.slug]),
        reverse("mart:shop", args=[item.enterprise_id]),
        reverse("mart:product", args=[item.pk]),
    ]
    for persona in ("anonymous", "buyer", "outsider", "manager_b", "kalsel_admin"):
        client = world.client(persona)
        for url in urls:
            assert "Teh Melati" in page(client, url), (persona, url)
    assert world.client("anonymous").post(urls[-1]).status_code == 405


def test_unknown_category_and_product_are_404(world):
    client = world.client("anonymous")
    assert client.get(reverse("mart:store_category", args=["nope"])).status_code == 404
    assert client.get(reverse("mart:product", args=[999999])).status_code == 404
    assert client.get(reverse("mart:shop", args=[999999])).status_code == 404


def test_home_features_best_grade_first(world):
    good = sellable_product(world, "Madu Grade A")
    sellable_product(world, "Madu Grade B")
    Curation.objects.filter(product__name="Madu Grade B").update(grade="B")
    review(good, world.user("buyer"), 5)
    html = page(world.client("anonymous"), reverse("mart:store_home"))
    assert html.index("Madu Grade A") < html.index("Madu Grade B")
    assert 'href="/mart/c/keripik/"' in html


def test_product_page_shows_price_stock_halal_badge_reviews_and_region(world):
    item = sellable_product(world, "Kopi Robusta Dampit", price=45_000, stock=3)
    halal(item)
    buyer = world.user("buyer")
    review(item, buyer, 5, "Mantap, aromanya kuat", reply="Terima kasih!")
    review(item, world.user("outsider"), 3, "Biasa saja")
    review(item, buyer, 1, "Spam kasar", status=Review.Status.HIDDEN)
    html = page(world.client("anonymous"), reverse("mart:product", args=[item.pk]))
    assert "Rp45.000" in html
    assert HALAL_NUMBER in html
    assert 'data-testid="badge-unggulan"' in html
    assert "Kota Surabaya" in html or "SURABAYA" in html.upper()
    assert "Only 3 left" in html
    assert "Mantap, aromanya kuat" in html and "Terima kasih!" in html
    assert "Biasa saja" in html
    assert "Spam kasar" not in html
    assert "4.0 of 5 from 2 reviews" in html


def test_stock_texts(world):
    client = world.client("anonymous")
    plenty = sellable_product(world, "Gula Aren", stock=50)
    assert "In stock" in page(client, reverse("mart:product", args=[plenty.pk]))
    StockLevel.objects.filter(product=plenty).update(on_hand=4, reserved=4)
    assert "Sold out" in page(client, reverse("mart:product", args=[plenty.pk]))
    nostock = sellable_product(world, "Gula Semut")
    StockLevel.objects.filter(product=nostock).delete()
    html = page(client, reverse("mart:product", args=[nostock.pk]))
    assert "Sold out" in html and 'id="cart-add"' not in html


def test_cart_form_only_when_the_cart_url_exists(world):
    item = sellable_product(world, "Sambal Roa")
    html = page(world.client("anonymous"), reverse("mart:product", args=[item.pk]))
    try:
        url = reverse("mart:cart_add")
    except NoReverseMatch:
        assert 'id="cart-add"' not in html
    else:
        assert f'action="{url}"' in html and f'name="product" value="{item.pk}"' in html


def test_whatsapp_link_prefilled_with_product_and_its_url(world):
    item = sellable_product(world, "Batik Tulis")
    html = page(world.client("anonymous"), reverse("mart:product", args=[item.pk]))
    link = re.search(r'href="(https://wa\.me/[^"]*)"', html).group(1)
    assert link.startswith("https://wa.me/6281234567890?text=")
    assert "Batik%20Tulis" in link
    assert f"http%3A//testserver/mart/p/{item.pk}/" in link


def test_no_whatsapp_link_without_a_mobile_number(world):
    item = sellable_product(world, "Batik Cap")
    world.person_a.phone = "+62318123456"  # a landline
    world.person_a.save()
    world.pesantren_a.phone = ""
    world.pesantren_a.save()
    html = page(world.client("anonymous"), reverse("mart:product", args=[item.pk]))
    assert "wa.me" not in html
    world.pesantren_a.phone = "+6285711112222"
    world.pesantren_a.save()
    html = page(world.client("anonymous"), reverse("mart:product", args=[item.pk]))
    assert "https://wa.me/6285711112222?text=" in html


def test_pages_carry_no_personal_data(world):
    item = sellable_product(world, "Kerupuk Ikan")
    review(item, world.user("buyer"), 4, "Enak")
    client = world.client("anonymous")
    person = world.person_a
    for url in (
        reverse("mart:product", args=[item.pk]),
        reverse("mart:shop", args=[item.enterprise_id]),
        SEARCH,
        reverse("mart:store_home"),
    ):
        html = page(client, url)
        for secret in (
            person.full_name,
            person.email,
            person.address,
            "3578011508950001",
            world.user("buyer").email,
            world.user("buyer").full_name,
        ):
            assert secret not in html, (url, secret)
        assert html.count("6281234567890") == html.count("wa.me/6281234567890")


def test_shop_page(world):
    sellable_product(world, "Keripik Tempe")
    other = sellable_product(world, "Sarung Tenun", enterprise=world.enterprise_b)
    client = world.client("anonymous")
    html = page(client, reverse("mart:shop", args=[world.enterprise_a.pk]))
    assert "Keripik Al-Hikmah" in html and "Pondok Pesantren Al-Hikmah" in html
    assert "Keripik Tempe" in html and "Sarung Tenun" not in html
    assert "Surabaya" in html.title()
    # A seller without any sellable product has no shop.
    Product.objects.filter(pk=other.pk).update(status=Product.Status.DRAFT)
    assert client.get(reverse("mart:shop", args=[world.enterprise_b.pk])).status_code == 404


def test_card_shows_thumbnail_of_the_first_photo(world):
    item = sellable_product(world, "Abon Sapi")
    ProductPhoto.objects.create(product=item, image="p/b.jpg", thumbnail="p/b-t.jpg", position=2)
    ProductPhoto.objects.create(product=item, image="p/a.jpg", thumbnail="p/a-t.jpg", position=1)
    html = page(world.client("anonymous"), SEARCH)
    assert "/media/p/a-t.jpg" in html and "/media/p/b-t.jpg" not in html


def test_expired_curation_of_another_product_does_not_hide_a_renewed_one(world):
    item = sellable_product(world, "Jamu Kunyit")
    curate(item, valid_until=timezone.localdate() - dt.timedelta(days=10))
    assert "Jamu Kunyit" in page(world.client("anonymous"), SEARCH)
