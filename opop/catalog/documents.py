"""Certificate documents: checked by their content (`opop.common.uploads`), images scaled to a
scanned A4 page and re-encoded, kept outside the web root. The PDF must also be complete (end
with `%%EOF`): a certificate cut short in the upload is refused. The name on disk is random; the
download name is built from the certificate.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from opop.common.uploads import EXTENSIONS, PDF, CheckedDocument, document_cleaned

DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
# Enough for a scanned A4 page at 300 dpi; larger images are scaled down when re-encoded.
DOCUMENT_LONG_SIDE = 3508
# Extension on disk -> content type, for the download.
CONTENT_TYPES = {extension: content_type for content_type, extension in EXTENSIONS.items()}


def _refused(message) -> ValidationError:
    return ValidationError({"document": message})


def document_checked(upload) -> CheckedDocument:
    """The upload as it will be stored, or a ValidationError at the `document` field."""
    if upload.size > DOCUMENT_MAX_BYTES:
        raise _refused(
            _("The document is larger than %(size)d MB.")
            % {"size": DOCUMENT_MAX_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    data = upload.read(DOCUMENT_MAX_BYTES + 1)
    try:
        checked = document_cleaned(data, long_side=DOCUMENT_LONG_SIDE)
    except ValidationError as exc:
        raise _refused(exc.messages) from None
    if checked.content_type == PDF and b"%%EOF" not in data[-2048:]:
        raise _refused(_("This PDF is incomplete or damaged; export it again and retry."))
    return checked


def document_extension(name: str) -> str:
    """The stored file's extension (set by `document_checked`), used for the download name."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return extension if extension in CONTENT_TYPES else EXTENSIONS[PDF]
