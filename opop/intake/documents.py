"""Application documents: what an upload must be, and storing it.

A file is judged by its content (`opop.common.uploads`): a PDF is kept as it is, a JPEG or PNG is
re-encoded without EXIF. Files live in
`private_storage` (no URL) and are handed back only through a permission-checked view.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from opop.common.audit import audit_record
from opop.common.models import AuditEvent
from opop.common.uploads import CheckedDocument, document_cleaned
from opop.intake.models import Application, ApplicationDocument, DocumentKind

# The largest document accepted; `settings.INTAKE_DOCUMENT_MAX_BYTES` overrides it.
INTAKE_DOCUMENT_MAX_BYTES = 5 * 1024 * 1024

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
    try:
        return document_cleaned(upload.read(limit + 1))
    except ValidationError as exc:
        raise _refuse(exc.messages) from None


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
