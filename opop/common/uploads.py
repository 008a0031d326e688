"""Uploaded documents judged by their content, never their name or the browser's claim.

A PDF must start with `%PDF-` and is kept as it is; a JPEG or PNG must open as one and is
re-encoded with Pillow, which drops EXIF (GPS position, camera, owner) and anything appended to
the image. Used by intake documents, certificate documents and transfer proofs; each caller puts
the refusal on its own form field and says its own size limit.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
# Images larger than this many pixels are refused before decoding (decompression bombs).
MAX_IMAGE_PIXELS = 40_000_000
JPEG_QUALITY = 90
_MAGIC = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))


@dataclass(frozen=True)
class CheckedDocument:
    content: bytes
    content_type: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]

    def as_file(self) -> ContentFile:
        """The content under a random name (the uploader's file name never reaches the disk)."""
        return ContentFile(self.content, name=f"{uuid.uuid4().hex}.{self.extension}")


def document_cleaned(content: bytes, *, long_side: int | None = None) -> CheckedDocument:
    """The document as it will be stored, or a ValidationError saying what is wrong with it.

    `long_side` scales larger images down (certificates); None keeps their size."""
    content_type = next((kind for magic, kind in _MAGIC if content.startswith(magic)), None)
    if content_type is None:
        raise ValidationError(
            _(
                "This file is not a PDF, JPEG or PNG (its content was checked, not its name). "
                "Scan or photograph the document and upload it as PDF, JPEG or PNG."
            )
        )
    if content_type == PDF:
        return CheckedDocument(content, PDF)
    return CheckedDocument(_reencoded(content, content_type, long_side), content_type)


def _reencoded(content: bytes, content_type: str, long_side: int | None) -> bytes:
    fmt = "JPEG" if content_type == JPEG else "PNG"
    try:
        with Image.open(io.BytesIO(content), formats=[fmt]) as probe:
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("The image has too many pixels; send a smaller photo or scan.")
                )
            probe.verify()
        with Image.open(io.BytesIO(content), formats=[fmt]) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            if long_side:
                image.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            # No exif= or pnginfo= argument: the stored image carries no metadata.
            if fmt == "JPEG":
                if image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
            else:
                if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
                    image = image.convert("RGBA")
                image.save(buffer, "PNG", optimize=True)
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("The image is damaged or cannot be read; photograph or scan it again.")
        ) from None
    return buffer.getvalue()
