import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from opop.accounts.access import access_for
from opop.catalog import selectors, services
from opop.catalog.models import Category, Certification

pytestmark = pytest.mark.django_db


@pytest.fixture
def products(world):
    snacks = Category.objects.create(name="Keripik", slug="keripik")
    batik = Category.objects.create(name="Batik", slug="batik")
    admin = world.user("admin")
    make = services.product_save
    a = make(
        actor=admin,
        programme=world.jatim,
        data={
            "enterprise": world.enterprise_a,
            "category": snacks,
            "name": "Keripik Singkong",
            "price": 15000,
            "unit": "bungkus",
            "weight_grams": 250,
        },
    )
    b = make(
        actor=admin,
        programme=world.jatim,
        data={
            "enterprise": world.enterprise_b,
            "category": batik,
            "name": "Batik Tulis",
            "price": 350000,
            "unit": "lembar",
            "weight_grams": 400,
        },
    )
    return a, b


def test_products_follow_the_registry_scope(world, products):
    a, b = products
    assert set(selectors.products_visible_to(access_for(world.user("admin")))) == {a, b}
    assert list(selectors.products_visible_to(access_for(world.user("manager_a")))) == [a]
    assert list(selectors.products_visible_to(access_for(world.user("officer")))) == [a]
    assert list(selectors.products_editable_by(access_for(world.user("participant")))) == [a]
    for persona in ("juror", "buyer", "partner", "kalsel_admin"):
        assert not selectors.products_visible_to(access_for(world.user(persona))).exists()
    assert not selectors.products_editable_by(access_for(world.user("auditor"))).exists()


def test_product_of_another_programme_is_refused(world, products):
    with pytest.raises(ValidationError):
        services.product_save(
            actor=world.user("kalsel_admin"),
            programme=world.kalsel,
            data={
                "enterprise": world.enterprise_a,
                "category": products[0].category,
                "name": "X",
                "price": 1,
                "unit": "x",
                "weight_grams": 1,
            },
        )


def test_negative_price_is_refused(world, products):
    with pytest.raises(ValidationError):
        services.product_save(
            actor=world.user("admin"),
            programme=world.jatim,
            data={"price": -1},
            instance=products[0],
        )


@pytest.mark.parametrize(
    "kind,typed,stored",
    [
        ("halal", "id 3511 0000 1234 50123", "ID35110000123450123"),
        ("bpom", "md-224510101234", "MD224510101234"),
        ("pirt", "123456789012327", "1234567890123-27"),
        ("trademark", "  IDM000123456 ", "IDM000123456"),
    ],
)
def test_certification_numbers_are_normalised(world, products, kind, typed, stored):
    cert = services.certification_save(
        actor=world.user("admin"), product=products[0], data={"kind": kind, "number": typed}
    )
    assert cert.number == stored


def test_halal_decision_number_is_refused(world, products):
    with pytest.raises(ValidationError) as err:
        services.certification_save(
            actor=world.user("admin"),
            product=products[0],
            data={"kind": "halal", "number": "KH-0123/2024"},
        )
    assert "number" in err.value.message_dict
    assert not Certification.objects.exists()


def test_pirt_expiry_must_match_its_number(world, products):
    with pytest.raises(ValidationError) as err:
        services.certification_save(
            actor=world.user("admin"),
            product=products[0],
            data={
                "kind": "pirt",
                "number": "1234567890123-27",
                "expires_on": dt.date(2026, 12, 31),
            },
        )
    assert "expires_on" in err.value.message_dict
