"""Visit photos: judged by their content and re-encoded (no EXIF: the phone's GPS position and
owner never reach the disk), scaled to a size that is enough to see a shop or a product."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from opop.common.uploads import PDF, CheckedDocument, document_cleaned

MAX_PHOTOS = 6
MAX_PHOTO_BYTES = 10 * 1024 * 1024
LONG_SIDE = 1600


def photo_cleaned(content: bytes) -> CheckedDocument:
    if len(content) > MAX_PHOTO_BYTES:
        raise ValidationError(_("A photo may be at most 10 MB."))
    checked = document_cleaned(content, long_side=LONG_SIDE)
    if checked.content_type == PDF:
        raise ValidationError(_("Photos must be JPEG or PNG images."))
    return checked


def photos_cleaned(files) -> list[CheckedDocument]:
    """Each uploaded file (anything with .read()) checked; the first refusal names the photo."""
    files = list(files)
    if len(files) > MAX_PHOTOS:
        raise ValidationError(
            _("At most %(n)d photos per visit.") % {"n": MAX_PHOTOS}, code="too_many"
        )
    checked = []
    for number, upload in enumerate(files, start=1):
        try:
            checked.append(photo_cleaned(upload.read()))
        except ValidationError as exc:
            raise ValidationError(
                _("Photo %(n)d: %(problem)s") % {"n": number, "problem": " ".join(exc.messages)}
            ) from None
    return checked
