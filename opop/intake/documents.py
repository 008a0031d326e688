"""Application documents: what an upload must be, and storing it.

A file is judged by its content, never its name or the browser's claim: a PDF must start with
`%PDF-` and is kept as it is; a JPEG or PNG must open as one and is re-encoded with Pillow, which
drops EXIF (GPS position, camera, owner) and anything appended to the image. Files live in
`private_storage` (no URL) and are handed back only through a permission-checked view.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from opop.common.audit import audit_record
from opop.common.models import AuditEvent
from opop.intake.models import Application, ApplicationDocument, DocumentKind

# The largest document accepted; `settings.INTAKE_DOCUMENT_MAX_BYTES` overrides it.
INTAKE_DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
# Images larger than this many pixels are refused before decoding (decompression bombs).
MAX_IMAGE_PIXELS = 40_000_000
JPEG_QUALITY = 90

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"

# Which documents each kind of cohort offers (a cohort's required ones are always offered).
PESANTREN_DOCUMENTS = [
    DocumentKind.PESANTREN_PROFILE,
    DocumentKind.COOPERATIVE_PROFILE,
    DocumentKind.LEGAL,
    DocumentKind.NIB,
    DocumentKind.NPWP,
    DocumentKind.BANK,
    DocumentKind.IDENTITY,
    DocumentKind.OTHER,
]
PARTICIPANT_DOCUMENTS = [
    DocumentKind.IDENTITY,
    DocumentKind.BUSINESS_PROFILE,
    DocumentKind.NIB,
    DocumentKind.NPWP,
    DocumentKind.BANK,
    DocumentKind.OTHER,
]


def document_max_bytes() -> int:
    return getattr(settings, "INTAKE_DOCUMENT_MAX_BYTES", INTAKE_DOCUMENT_MAX_BYTES)


def document_kinds_for(cohort) -> list[str]:
    offered = PESANTREN_DOCUMENTS if cohort.is_for_pesantren else PARTICIPANT_DOCUMENTS
    kinds = [str(kind) for kind in offered]
    extra = [k for k in cohort.required_documents if k in DocumentKind and k not in kinds]
    return kinds + extra


@dataclass(frozen=True)
class CheckedDocument:
    content: bytes
    content_type: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def check_document(upload) -> CheckedDocument:
    """The upload as it will be stored, or a ValidationError on `file` saying what is wrong."""
    if upload is None:
        raise _refuse(_("Choose a file to upload."))
    limit = document_max_bytes()
    if not upload.size:
        raise _refuse(_("The file is empty."))
    if upload.size > limit:
        raise _refuse(
            _("The file is too large: %(size)s MB; at most %(limit)d MB is accepted.")
            % {"size": _megabytes(upload.size), "limit": limit // (1024 * 1024)}
        )
    upload.seek(0)
    content = upload.read(limit + 1)
    if content.startswith(b"%PDF-"):
        return CheckedDocument(content, PDF)
    if content.startswith(b"\xff\xd8\xff"):
        return CheckedDocument(_reencoded(content, "JPEG"), JPEG)
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return CheckedDocument(_reencoded(content, "PNG"), PNG)
    raise _refuse(
        _(
            "This file is not a PDF, JPEG or PNG (its content was checked, not its name). "
            "Scan or photograph the document and upload it as PDF, JPEG or PNG."
        )
    )


def _damaged() -> ValidationError:
    return _refuse(_("The image is damaged or cannot be read; photograph or scan it again."))


def _reencoded(content: bytes, fmt: str) -> bytes:
    try:
        with Image.open(io.BytesIO(content), formats=[fmt]) as probe:
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise _refuse(_("The image has too many pixels; send a smaller photo or scan."))
            probe.verify()
        with Image.open(io.BytesIO(content), formats=[fmt]) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            if fmt == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            buffer = io.BytesIO()
            # No exif= argument: the stored image carries no EXIF.
            if fmt == "JPEG":
                image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
            else:
                image.save(buffer, "PNG", optimize=True)
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise _damaged() from None
    return buffer.getvalue()


def _original_name(upload) -> str:
    return PurePath(str(getattr(upload, "name", "") or "document")).name[:200]


@transaction.atomic
def application_document_save(
    *, actor, application: Application, kind: str, upload
) -> ApplicationDocument:
    """Attach (or replace) the applicant's document of one kind while the file is editable."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("cohort")
        .get(pk=application.pk)
    )
    if not actor or application.applicant_id != actor.pk:
        raise PermissionDenied
    if application.status not in Application.EDITABLE:
        raise _refuse(_("This application can no longer be changed."))
    if kind not in document_kinds_for(application.cohort):
        raise ValidationError({"kind": _("This document is not asked for in this cohort.")})
    checked = check_document(upload)
    document = application.documents.filter(kind=kind).first()
    old_file = document.file.name if document else ""
    if document is None:
        document = ApplicationDocument(application=application, kind=kind)
    document.original_name = _original_name(upload)
    document.content_type = checked.content_type
    document.size = len(checked.content)
    document.sha256 = hashlib.sha256(checked.content).hexdigest()
    document.uploaded_by = actor
    document.file.save(f"upload.{checked.extension}", ContentFile(checked.content), save=False)
    new_file = document.file.name
    storage = document.file.storage
    try:
        document.save()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE if old_file else AuditEvent.Action.CREATE,
            instance=document,
            programme_id=application.programme_id,
            changes={"kind": [None, kind], "sha256": [None, document.sha256]},
            note=f"application {application.reference}",
        )
    except Exception:
        storage.delete(new_file)
        raise
    if old_file and old_file != new_file:
        transaction.on_commit(lambda: storage.delete(old_file))
    return document
