import random

import pytest
from django.utils import timezone

from opop.catalog.models import Category, Certification, Product
from opop.certtracker.models import CertificationTrack, TrackStatus, TrackStep
from opop.demo.certtracker import seed_certtracker

pytestmark = pytest.mark.django_db


def _products(world, count: int) -> list[Product]:
    category, _ = Category.objects.get_or_create(slug="keripik", defaults={"name": "Keripik"})
    return [
        Product.objects.create(
            programme=world.jatim,
            enterprise=world.enterprise_a,
            category=category,
            name=f"Keripik {n}",
            price=10_000,
            unit="bungkus",
            weight_grams=100,
        )
        for n in range(count)
    ]


def test_seed_tracks_catalogue_certificates_and_some_under_way_once(world):
    products = _products(world, 40)
    Certification.objects.create(
        product=products[0], kind="halal", number="ID3511000012345", issued_on=timezone.localdate()
    )
    counts = seed_certtracker(world.jatim, rng=random.Random("certtracker"))
    assert counts["issued_tracks"] == 1
    issued = CertificationTrack.objects.get(product=products[0])
    assert issued.status == TrackStatus.ISSUED
    assert issued.certification.product_id == products[0].pk
    assert issued.pesantren == world.pesantren_a
    under_way = CertificationTrack.objects.exclude(status=TrackStatus.ISSUED)
    assert under_way.count() >= 1
    assert TrackStep.objects.count() == counts["track_steps"]
    today = timezone.localdate()
    assert not TrackStep.objects.filter(on__gt=today).exists()
    for track in under_way:
        path = list(track.steps.values_list("to_status", flat=True))
        assert path[0] == TrackStatus.PLANNED and path[-1] == track.status
    assert not TrackStep.objects.filter(to_status="rejected", note="").exists()

    again = seed_certtracker(world.jatim, rng=random.Random("certtracker"))
    assert sum(again.values()) == 0
    assert CertificationTrack.objects.count() == counts["issued_tracks"] + under_way.count()
