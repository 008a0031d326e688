"""Certificate documents: checked by content, stored privately, served only to product readers."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from opop.catalog import services
from opop.catalog.documents import DOCUMENT_MAX_BYTES
from opop.catalog.models import Certification
from opop.catalog.tests import helpers as h

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def item(world):
    return h.product(world)


def _pdf(name="halal.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _jpeg_with_exif(name="sertifikat.jpg"):
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), (240, 240, 240)).save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _add(client, product, upload, number="ID35110000123450123"):
    return client.post(
        reverse("catalog:certification_add", args=[product.pk]),
        {"kind": "halal", "number": number, "document": upload},
    )


def _download_url(certification):
    return reverse(
        "catalog:certification_document", args=[certification.product_id, certification.pk]
    )


def test_a_pdf_is_stored_privately_and_linked_on_the_product_page(world, item, tmp_path):
    response = _add(world.client("manager_a"), item, _pdf())
    assert response.status_code == 302
    certification = Certification.objects.get()
    assert certification.document.name.startswith("certificates/")
    assert certification.document.name.endswith(".pdf")
    assert "halal" not in certification.document.name  # random name, not the upload's
    assert (tmp_path / "private" / certification.document.name).read_bytes() == PDF
    detail = world.client("manager_a").get(reverse("catalog:product_detail", args=[item.pk]))
    assert _download_url(certification) in detail.content.decode()


def test_the_download_is_an_attachment_with_nosniff(world, item):
    _add(world.client("manager_a"), item, _pdf())
    certification = Certification.objects.get()
    for persona in ("manager_a", "officer", "facilitator", "admin", "auditor", "participant"):
        response = world.client(persona).get(_download_url(certification))
        assert response.status_code == 200, persona
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF


def test_an_image_is_reencoded_without_exif(world, item, tmp_path):
    _add(world.client("manager_a"), item, _jpeg_with_exif())
    certification = Certification.objects.get()
    assert certification.document.name.endswith(".jpg")
    with Image.open(tmp_path / "private" / certification.document.name) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif()
    response = world.client("admin").get(_download_url(certification))
    assert response["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("x.pdf", b"<html><script>alert(1)</script>"), "PDF, JPEG or PNG"),
        (SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\nnot really"), "damaged"),
        (SimpleUploadedFile("x.pdf", b"%PDF-1.4\n" + b"0" * 5000), "incomplete"),
        (SimpleUploadedFile("x.pdf", b"%PDF-" + b"0" * DOCUMENT_MAX_BYTES), "larger than 5 MB"),
    ],
)
def test_a_bad_upload_is_refused_at_the_field_and_saves_nothing(
    world, item, tmp_path, upload, message
):
    response = _add(world.client("manager_a"), item, upload)
    assert response.status_code == 200
    errors = response.context["form"].errors["document"]
    assert any(message in e for e in errors)
    assert not Certification.objects.exists()
    assert not list((tmp_path / "private").rglob("*.*"))


def test_a_bad_number_leaves_no_file_behind(world, item, tmp_path):
    response = _add(world.client("manager_a"), item, _pdf(), number="KH 1/2024")
    assert response.status_code == 200 and "number" in response.context["form"].errors
    assert not Certification.objects.exists()
    assert not list((tmp_path / "private").rglob("*.*"))


def test_editing_replaces_the_document_and_removes_the_old_file(
    world, item, tmp_path, django_capture_on_commit_callbacks
):
    client = world.client("manager_a")
    _add(client, item, _pdf())
    certification = Certification.objects.get()
    old = tmp_path / "private" / certification.document.name
    url = reverse("catalog:certification_edit", args=[item.pk, certification.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"kind": "halal", "number": certification.number, "document": _jpeg_with_exif()}
        )
    assert response.status_code == 302
    certification.refresh_from_db()
    assert certification.document.name.endswith(".jpg") and not old.exists()


def test_a_certification_keeps_its_document_when_edited_without_a_file(world, item):
    services.certification_save(
        actor=world.user("admin"),
        product=item,
        data={"kind": "pirt", "number": "2063578010123-26"},
        document=_pdf(),
    )
    certification = Certification.objects.get()
    name = certification.document.name
    response = world.client("manager_a").post(
        reverse("catalog:certification_edit", args=[item.pk, certification.pk]),
        {"kind": "pirt", "number": "2063578010123-26", "issued_on": "2025-02-01"},
    )
    assert response.status_code == 302
    certification.refresh_from_db()
    assert certification.document.name == name and str(certification.issued_on) == "2025-02-01"


# --- Refusals ---------------------------------------------------------------------------------


@pytest.fixture
def stored(world, item):
    return services.certification_save(
        actor=world.user("admin"),
        product=item,
        data={"kind": "halal", "number": "ID35110000123450123"},
        document=_pdf(),
    )


@pytest.mark.parametrize("persona", ["manager_b", "kalsel_admin"])
def test_readers_outside_the_products_scope_get_404(world, stored, persona):
    assert world.client(persona).get(_download_url(stored)).status_code == 404


@pytest.mark.parametrize("persona", ["juror", "buyer", "outsider", "partner"])
def test_roles_without_registry_cannot_download(world, stored, persona):
    assert world.client(persona).get(_download_url(stored)).status_code == 403


def test_anonymous_is_sent_to_login(world, stored):
    response = world.client("anonymous").get(_download_url(stored))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_certification_of_another_product_is_not_served_through_this_one(world, stored):
    other = h.product(world, name="Sambal")
    url = reverse("catalog:certification_document", args=[other.pk, stored.pk])
    assert world.client("admin").get(url).status_code == 404


@pytest.mark.parametrize("persona", ["manager_b", "auditor", "juror"])
def test_others_cannot_edit_the_certification(world, stored, persona):
    url = reverse("catalog:certification_edit", args=[stored.product_id, stored.pk])
    response = world.client(persona).post(url, {"kind": "halal", "number": "X", "document": ""})
    assert response.status_code in (403, 404)
    stored.refresh_from_db()
    assert stored.number == "ID35110000123450123"


def test_a_certification_without_document_has_no_download(world, item):
    certification = services.certification_save(
        actor=world.user("admin"), product=item, data={"kind": "sni", "number": "SNI 01-1"}
    )
    assert world.client("admin").get(_download_url(certification)).status_code == 404
