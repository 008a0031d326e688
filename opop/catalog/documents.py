"""Certificate documents: checked by their content, images re-encoded, kept outside the web root.

A PDF is kept as uploaded (its first bytes must say `%PDF-`); a JPEG or PNG is decoded and
written anew in the same format, which drops EXIF (GPS, camera, owner) and anything appended
to the file. The name on disk is random; the download name is built from the certificate.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
# Enough for a scanned A4 page at 300 dpi; larger images are scaled down when re-encoded.
DOCUMENT_LONG_SIDE = 3508
DOCUMENT_JPEG_QUALITY = 90

PDF, JPEG, PNG = "pdf", "jpg", "png"
CONTENT_TYPES = {PDF: "application/pdf", JPEG: "image/jpeg", PNG: "image/png"}
_MAGIC = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))


@dataclass(frozen=True)
class CheckedDocument:
    extension: str
    content: bytes

    def as_file(self) -> ContentFile:
        return ContentFile(self.content, name=f"{uuid.uuid4().hex}.{self.extension}")


def _refused(message: str) -> ValidationError:
    return ValidationError({"document": message})


def _kind_of(head: bytes) -> str | None:
    return next((kind for magic, kind in _MAGIC if head.startswith(magic)), None)


def document_checked(upload) -> CheckedDocument:
    """The upload as it will be stored, or a ValidationError at the `document` field."""
    if upload.size > DOCUMENT_MAX_BYTES:
        raise _refused(
            _("The document is larger than %(size)d MB.")
            % {"size": DOCUMENT_MAX_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    data = upload.read(DOCUMENT_MAX_BYTES + 1)
    kind = _kind_of(data[:8])
    if kind is None:
        raise _refused(_("The document must be a PDF, JPEG or PNG file."))
    if kind == PDF:
        if b"%%EOF" not in data[-2048:]:
            raise _refused(_("This PDF is incomplete or damaged; export it again and retry."))
        return CheckedDocument(PDF, data)
    return CheckedDocument(kind, _reencoded(data, kind))


def _reencoded(data: bytes, kind: str) -> bytes:
    pil_format = "JPEG" if kind == JPEG else "PNG"
    try:
        with Image.open(io.BytesIO(data), formats=[pil_format]) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data), formats=[pil_format]) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            image.thumbnail((DOCUMENT_LONG_SIDE, DOCUMENT_LONG_SIDE), Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            # No exif= or pnginfo= argument: the new file carries no metadata.
            if pil_format == "JPEG":
                image.convert("RGB").save(buffer, "JPEG", quality=DOCUMENT_JPEG_QUALITY)
            else:
                if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
                    image = image.convert("RGBA")
                image.save(buffer, "PNG", optimize=True)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise _refused(_("This image is damaged or not really a JPEG or PNG file.")) from None
    return buffer.getvalue()


def document_extension(name: str) -> str:
    """The stored file's extension (set by `document_checked`), used for the download name."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return extension if extension in CONTENT_TYPES else PDF
