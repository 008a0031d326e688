from __future__ import annotations

import datetime as dt

from django.utils import timezone

from opop.catalog.models import Category, Certification, Product
from opop.certtracker import services
from opop.certtracker.models import TrackStatus

HALAL_NUMBER = "ID35110000123450824"


def product(world, enterprise=None, name="Keripik Singkong") -> Product:
    enterprise = enterprise or world.enterprise_a
    category, _ = Category.objects.get_or_create(slug="keripik", defaults={"name": "Keripik"})
    return Product.objects.create(
        programme=enterprise.programme,
        enterprise=enterprise,
        category=category,
        name=name,
        price=15_000,
        unit="bungkus",
        weight_grams=200,
    )


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def issued_track(world, *, enterprise=None, expires_in: int | None = 400, kind="halal"):
    """A track walked to issued, with a certificate valid for `expires_in` more days."""
    actor = world.user("admin")
    item = product(world, enterprise)
    track = services.track_start(actor=actor, product=item, kind=kind, on=days(-30))
    for status in (TrackStatus.PREPARING, TrackStatus.SUBMITTED):
        track = services.track_move(actor=actor, track=track, to_status=status, on=days(-20))
    return services.track_move(
        actor=actor,
        track=track,
        to_status=TrackStatus.ISSUED,
        on=days(-10),
        number=HALAL_NUMBER if kind == "halal" else "Merek 123",
        expires_on=days(expires_in) if expires_in is not None else None,
    )


def catalog_certificate(item, *, expires_in: int | None, kind="halal") -> Certification:
    return Certification.objects.create(
        product=item,
        kind=kind,
        number=HALAL_NUMBER,
        issued_on=days(-300),
        expires_on=days(expires_in) if expires_in is not None else None,
    )
