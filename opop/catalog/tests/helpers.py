"""Building products and small curation rounds for the catalogue and dashboard tests.

Rounds, stages and entries are written with the ORM here: the tests are about what the product
side makes of them, not about the engine that produces them.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from opop.assessment.models import Assignment, Entry, Juror, Round, Stage
from opop.catalog import services
from opop.catalog.models import Category, Curation, Product

DESCRIPTION = (
    "Keripik singkong renyah dari singkong pilihan, digoreng dengan minyak kelapa dan dibumbui "
    "rempah asli pesantren."
)


def category(slug: str = "keripik", parent=None) -> Category:
    found, _ = Category.objects.get_or_create(
        slug=slug, defaults={"name": slug.title(), "parent": parent}
    )
    return found


def product(world, enterprise=None, *, name="Keripik Singkong", description="", **extra):
    enterprise = enterprise or world.enterprise_a
    return services.product_save(
        actor=world.user("admin"),
        programme=enterprise.programme,
        data={
            "enterprise": enterprise,
            "category": extra.pop("category", None) or category(),
            "name": name,
            "description": description,
            "price": 15000,
            "unit": "bungkus",
            "weight_grams": 250,
            **extra,
        },
    )


def png_upload(name="photo.png", size=(60, 40)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 40)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def ready_product(world, enterprise=None, **kwargs) -> Product:
    """A product that may be submitted: a photo and a full description."""
    item = product(world, enterprise, description=DESCRIPTION, **kwargs)
    services.product_photo_add(actor=world.user("admin"), product=item, upload=png_upload())
    return item


def curation_round(programme, *, status=Stage.Status.SETUP, stages=1, **fields) -> Round:
    round_ = Round.objects.create(
        programme=programme,
        year=fields.pop("year", timezone.localdate().year),
        purpose=fields.pop("purpose", Round.Purpose.CURATION),
        name=fields.pop("name", "Kurasi Produk 2025"),
        **fields,
    )
    for position in range(1, stages + 1):
        Stage.objects.create(
            round=round_, position=position, name=f"Tahap {position}", status=status
        )
    return round_


def first_stage(round_: Round) -> Stage:
    return round_.stages.order_by("position").first()


def entry(stage: Stage, item: Product, *, days_ago: int = 10, **fields) -> Entry:
    return Entry.objects.create(
        stage=stage,
        title=item.name,
        product=item,
        regency_id=item.enterprise.regency_id,
        submitted_at=fields.pop("submitted_at", timezone.now() - dt.timedelta(days=days_ago)),
        **fields,
    )


def publish(stage: Stage, *, when=None) -> Stage:
    stage.status = Stage.Status.PUBLISHED
    stage.published_at = when or timezone.now()
    stage.save()
    return stage


def decide(item: Entry, outcome: str, score: str | None = "8.5", *, when=None) -> Entry:
    item.outcome = outcome
    item.final_score = Decimal(score) if score is not None else None
    item.decided_at = when or timezone.now()
    item.save()
    return item


def scoresheet(world, item: Entry, *, submitted: bool = True) -> Assignment:
    juror, _ = Juror.objects.get_or_create(
        round=item.stage.round, user=world.user("juror"), defaults={"group": "academia"}
    )
    return Assignment.objects.create(
        entry=item,
        juror=juror,
        stage=item.stage,
        submitted_at=timezone.now() if submitted else None,
        total=Decimal("8") if submitted else None,
    )


def curation(item: Product, stage: Stage, *, valid_until=None, revoked=False, grade="A"):
    """A Curation row as `curation_apply` would leave it (for badge and count tests)."""
    today = timezone.localdate()
    made = entry(stage, item, outcome=Entry.Outcome.PASSED, final_score=Decimal("9"))
    return Curation.objects.create(
        product=item,
        entry=made,
        grade=grade,
        score=Decimal("9"),
        valid_from=min(today, valid_until or today) - dt.timedelta(days=400),
        valid_until=valid_until or today + dt.timedelta(days=300),
        revoked_at=timezone.now() if revoked else None,
    )
