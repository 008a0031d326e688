"""Application documents: checked by content, re-encoded images, private files, own downloads."""

import hashlib
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from opop.intake.documents import INTAKE_DOCUMENT_MAX_BYTES
from opop.intake.models import Application, ApplicationDocument
from opop.intake.tests.applicant_helpers import (
    PDF,
    client_for,
    image_bytes,
    new_applicant,
    open_cohort,
    pdf_upload,
    started,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def application(world):
    return started(new_applicant(), open_cohort(world.jatim, required_documents=["nib"]))


def upload_url(application) -> str:
    return reverse("intake:document_upload", args=[application.reference])


def download_url(application, kind="nib") -> str:
    return reverse("intake:document_download", args=[application.reference, kind])


def post(application, upload, kind="nib", client=None, **extra):
    client = client or client_for(application.applicant)
    data = {"kind": kind}
    if upload is not None:
        data["file"] = upload
    return client.post(upload_url(application), data, follow=True, **extra)


def text(response) -> str:
    return response.content.decode()


def stored_bytes(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


# --- Accepted files ----------------------------------------------------------------------------


def test_a_pdf_is_kept_as_it_is_in_private_storage(application, settings):
    response = post(application, pdf_upload("NIB scan.pdf"))
    assert "Document uploaded." in text(response)
    document = ApplicationDocument.objects.get(application=application)
    assert stored_bytes(document) == PDF
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert document.content_type == "application/pdf" and document.size == len(PDF)
    assert document.original_name == "NIB scan.pdf"
    assert document.uploaded_by == application.applicant
    assert Path(document.file.path).is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert "NIB scan" not in document.file.name  # the applicant's file name is not used on disk


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_an_image_is_re_encoded_without_its_exif(application, fmt):
    raw = image_bytes(fmt)
    with Image.open(io.BytesIO(raw)) as original:
        assert original.getexif()  # the fixture really carries EXIF
    post(application, SimpleUploadedFile(f"ktp.{fmt.lower()}", raw), kind="identity")
    document = ApplicationDocument.objects.get(application=application, kind="identity")
    content = stored_bytes(document)
    assert content != raw
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    with Image.open(io.BytesIO(content)) as stored:
        assert stored.format == fmt
        assert not stored.getexif()
        assert b"SecretCam" not in content


def test_a_new_upload_replaces_the_old_file(application, django_capture_on_commit_callbacks):
    post(application, pdf_upload())
    first = ApplicationDocument.objects.get(application=application)
    old_path = Path(first.file.path)
    with django_capture_on_commit_callbacks(execute=True):  # the old file goes after commit
        post(application, pdf_upload(content=PDF + b"% second version\n"))
    second = ApplicationDocument.objects.get(application=application)
    assert second.pk == first.pk and second.sha256 != first.sha256
    assert Path(second.file.path).is_file() and not old_path.exists()


def test_htmx_upload_redraws_the_documents_and_the_eligibility_panel(application):
    response = post(application, pdf_upload(), HTTP_HX_REQUEST="true")
    page = text(response)
    assert 'id="documents-panel"' in page
    assert 'id="eligibility-panel"' in page and 'hx-swap-oob="true"' in page
    assert "Upload the NIB" not in page


# --- Refused files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("nib.pdf", b"just some text pretending", "application/pdf"),
            "This file is not a PDF, JPEG or PNG (its content was checked, not its name).",
        ),
        (
            SimpleUploadedFile("photo.png", b"MZ\x90\x00\x03" + b"\x00" * 200, "image/png"),
            "This file is not a PDF, JPEG or PNG (its content was checked, not its name).",
        ),
        (SimpleUploadedFile("nib.pdf", b"", "application/pdf"), "The file is empty."),
        (
            SimpleUploadedFile("scan.jpg", b"\xff\xd8\xff\xe0" + b"garbage" * 50, "image/jpeg"),
            "The image is damaged or cannot be read",
        ),
        (None, "Choose a file to upload."),
    ],
    ids=["fake-pdf", "renamed-exe", "empty", "damaged-jpeg", "no-file"],
)
def test_a_bad_file_is_refused_with_a_clear_message(application, upload, message):
    response = post(application, upload)
    assert message in text(response)
    assert not ApplicationDocument.objects.exists()


def test_a_file_over_the_limit_is_refused(application):
    big = PDF + b"0" * (INTAKE_DOCUMENT_MAX_BYTES - len(PDF) + 1)
    response = post(application, pdf_upload(content=big))
    assert "The file is too large: 5.0 MB; at most 5 MB is accepted." in text(response)
    assert not ApplicationDocument.objects.exists()


def test_the_limit_is_a_setting(application, settings):
    settings.INTAKE_DOCUMENT_MAX_BYTES = 10
    assert "too large" in text(post(application, pdf_upload()))


def test_an_htmx_refusal_is_shown_at_the_document(application):
    bad = SimpleUploadedFile("nib.pdf", b"", "application/pdf")
    response = post(application, bad, HTTP_HX_REQUEST="true")
    assert 'id="document-nib-error"' in text(response) and "The file is empty." in text(response)


def test_a_kind_the_cohort_does_not_offer_is_refused(application):
    response = post(application, pdf_upload(), kind="business_profile")
    assert "This document is not asked for in this cohort." in text(response)


def test_no_upload_once_the_file_is_submitted(application):
    Application.objects.filter(pk=application.pk).update(status=Application.Status.SUBMITTED)
    response = post(application, pdf_upload())
    assert response.status_code == 200
    assert not ApplicationDocument.objects.exists()


# --- Downloads ---------------------------------------------------------------------------------


def test_the_applicant_downloads_their_document_as_an_attachment(application):
    post(application, pdf_upload())
    response = client_for(application.applicant).get(download_url(application))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"{application.reference}-nib.pdf" in response["Content-Disposition"]


@pytest.mark.parametrize("persona", ["admin", "officer", "auditor", "manager_a", "outsider"])
def test_nobody_else_downloads_an_applicants_document(world, application, persona):
    post(application, pdf_upload())
    assert world.client(persona).get(download_url(application)).status_code == 404


def test_another_applicant_cannot_upload_or_download(application):
    post(application, pdf_upload())
    other = client_for(new_applicant("Other"))
    assert other.get(download_url(application)).status_code == 404
    response = other.post(upload_url(application), {"kind": "nib", "file": pdf_upload()})
    assert response.status_code == 404
    assert ApplicationDocument.objects.get().uploaded_by == application.applicant


def test_an_anonymous_visitor_is_sent_to_log_in(client, application):
    post(application, pdf_upload())
    response = client.get(download_url(application))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_missing_kind_is_a_404(application):
    client = client_for(application.applicant)
    assert client.get(download_url(application, "bank")).status_code == 404
