import pytest

from opop.logistics.services import Quote, shipping_quote
from opop.logistics.tests.helpers import tariff

pytestmark = pytest.mark.django_db


def quote(world, grams, origin="35.78", destination="35.17"):
    return shipping_quote(
        programme=world.jatim,
        origin_regency_id=origin,
        destination_regency_id=destination,
        weight_grams=grams,
    )


@pytest.mark.parametrize(
    ("grams", "fee"),
    [(0, 9000), (1, 9000), (999, 9000), (1000, 9000), (1001, 13000), (2000, 13000), (2001, 17000)],
)
def test_fee_is_first_kg_plus_each_further_started_kg(world, grams, fee):
    tariff(world.jatim, first_kg=9000, next_kg=4000, days=2)
    assert quote(world, grams) == Quote(fee=fee, days=2)


def test_no_tariff_for_the_route_gives_none(world):
    tariff(world.jatim)
    assert quote(world, 500, origin="35.17", destination="35.78") is None


def test_same_kab_kota_is_quoted_when_it_has_a_tariff(world):
    assert quote(world, 500, origin="35.78", destination="35.78") is None
    tariff(world.jatim, destination="35.78", first_kg=6000, next_kg=2000, days=1)
    assert quote(world, 1500, origin="35.78", destination="35.78") == Quote(fee=8000, days=1)


def test_another_programmes_tariff_is_not_used(world):
    tariff(world.kalsel)
    assert quote(world, 500) is None
