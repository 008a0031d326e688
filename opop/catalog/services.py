"""Every catalogue write: validated in full, in a transaction, with an audit row."""

from __future__ import annotations

import io
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from opop.catalog.documents import document_checked
from opop.catalog.models import Certification, Product, ProductPhoto
from opop.common.audit import audit_record, audit_saved, diff, snapshot
from opop.common.models import AuditEvent


def _save(instance, *, actor, created: bool, before: dict | None, programme_id: int):
    instance.full_clean()
    instance.save()
    audit_saved(
        instance, actor=actor, before=None if created else (before or {}), programme_id=programme_id
    )
    return instance


@transaction.atomic
def product_save(*, actor, programme, data: dict[str, Any], instance: Product | None = None):
    before = snapshot(instance) if instance else None
    product = instance or Product(programme=programme)
    for name, value in data.items():
        setattr(product, name, value)
    if product.enterprise.programme_id != programme.pk:
        raise ValidationError({"enterprise": _("This record is not in this programme.")})
    return _save(
        product, actor=actor, created=instance is None, before=before, programme_id=programme.pk
    )


@transaction.atomic
def certification_save(
    *,
    actor,
    product: Product,
    data: dict[str, Any],
    instance: Certification | None = None,
    document=None,
) -> Certification:
    """Add or change a certification; `document` (an upload) replaces the certificate file.

    The document is checked by content before anything is written; a refused file or number
    saves nothing, and a stored file is removed again if the row cannot be saved.
    """
    if instance is not None and instance.product_id != product.pk:
        raise ValidationError(_("This certification belongs to another product."))
    checked = document_checked(document) if document is not None else None
    before = snapshot(instance) if instance else None
    certification = instance or Certification(product=product)
    old_document = certification.document.name if instance else ""
    for name, value in data.items():
        setattr(certification, name, value)
    # Validate the fields before a file is written, so a bad number leaves no orphan file.
    certification.full_clean(exclude=["document"])
    if checked is not None:
        stored = checked.as_file()
        certification.document.save(stored.name, stored, save=False)
    try:
        saved = _save(
            certification,
            actor=actor,
            created=instance is None,
            before=before,
            programme_id=product.programme_id,
        )
    except Exception:
        if checked is not None:
            _delete_files(certification.document)
            certification.document.name = old_document
        raise
    if checked is not None and old_document:
        # The replaced file goes only once the new row is committed.
        storage = certification.document.storage
        transaction.on_commit(lambda: storage.delete(old_document))
    return saved


# Product photos: checked by content, re-encoded to JPEG (which drops EXIF and anything hidden).
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PER_PRODUCT = 8
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP")
PHOTO_LONG_SIDE = 1600
PHOTO_THUMBNAIL_SIDE = 400
PHOTO_JPEG_QUALITY = 85


def _photo_refused() -> ValidationError:
    return ValidationError(
        {"image": _("This file is not a JPEG, PNG or WebP image, or it is damaged.")}
    )


def _open_photo(upload) -> Image.Image:
    """Open the upload as an image by its content (never its name), or refuse it."""
    try:
        upload.seek(0)
        with Image.open(upload, formats=PHOTO_FORMATS) as probe:
            probe.verify()
        upload.seek(0)
        image = Image.open(upload, formats=PHOTO_FORMATS)
        image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise _photo_refused() from None
    return image


def _to_rgb(image: Image.Image) -> Image.Image:
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def _jpeg(image: Image.Image, side: int) -> bytes:
    image = image.copy()
    image.thumbnail((side, side), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    # No exif= argument: the re-encoded file carries no EXIF (GPS, camera, owner).
    image.save(buffer, "JPEG", quality=PHOTO_JPEG_QUALITY, optimize=True)
    return buffer.getvalue()


def _delete_files(*fields) -> None:
    for field in fields:
        if field and field.name:
            field.storage.delete(field.name)


@transaction.atomic
def product_photo_add(*, actor, product: Product, upload) -> ProductPhoto:
    """Store a photo of the product: at most PHOTO_MAX_PER_PRODUCT, each under PHOTO_MAX_BYTES."""
    product = Product.objects.select_for_update(of=("self",)).get(pk=product.pk)
    if product.photos.count() >= PHOTO_MAX_PER_PRODUCT:
        raise ValidationError(
            {
                "image": _("A product can have at most %(count)d photos.")
                % {"count": PHOTO_MAX_PER_PRODUCT}
            }
        )
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError(
            {
                "image": _("The photo is larger than %(size)d MB.")
                % {"size": PHOTO_MAX_BYTES // (1024 * 1024)}
            }
        )
    with _open_photo(upload) as original:
        image = _to_rgb(original)
    full, thumbnail = _jpeg(image, PHOTO_LONG_SIDE), _jpeg(image, PHOTO_THUMBNAIL_SIDE)
    last = product.photos.aggregate(last=Max("position"))["last"]
    photo = ProductPhoto(product=product, position=0 if last is None else last + 1)
    stem = uuid.uuid4().hex
    photo.image.save(f"{stem}.jpg", ContentFile(full), save=False)
    photo.thumbnail.save(f"{stem}_thumb.jpg", ContentFile(thumbnail), save=False)
    try:
        photo.save()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            instance=photo,
            programme_id=product.programme_id,
            changes=diff({}, snapshot(photo)),
            note=f"product {product.pk}",
        )
    except Exception:
        _delete_files(photo.image, photo.thumbnail)
        raise
    return photo


@transaction.atomic
def product_photo_delete(*, actor, photo: ProductPhoto) -> None:
    image, thumbnail = photo.image, photo.thumbnail
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        instance=photo,
        programme_id=photo.product.programme_id,
        changes={"image": [photo.image.name, None]},
        note=f"product {photo.product_id}",
    )
    photo.delete()
    # The files go only once the row is gone for good.
    transaction.on_commit(lambda: _delete_files(image, thumbnail))
