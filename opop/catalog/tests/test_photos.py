import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from opop.catalog import services
from opop.catalog.models import Category, ProductPhoto
from opop.common.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def product_a(world):
    return services.product_save(
        actor=world.user("admin"),
        programme=world.jatim,
        data={
            "enterprise": world.enterprise_a,
            "category": Category.objects.create(name="Keripik", slug="keripik"),
            "name": "Keripik Singkong",
            "price": 15000,
            "unit": "bungkus",
            "weight_grams": 250,
        },
    )


def _png(name="photo.png", size=(2400, 1200)) -> SimpleUploadedFile:
    image = Image.new("RGBA", size, (200, 30, 30, 255))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0131] = "Owner's laptop"  # Software
    buffer = io.BytesIO()
    image.save(buffer, "PNG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _add_url(product):
    return reverse("catalog:photo_add", args=[product.pk])


def test_png_is_stored_as_jpeg_without_exif_with_a_small_thumbnail(world, product_a, tmp_path):
    upload = _png()
    with Image.open(io.BytesIO(upload.read())) as original:
        assert original.getexif()  # the fixture really carries EXIF
    upload.seek(0)
    response = world.client("manager_a").post(_add_url(product_a), {"image": upload})
    assert response.status_code == 302
    photo = ProductPhoto.objects.get(product=product_a)
    assert photo.image.name.startswith("products/") and photo.image.name.endswith(".jpg")
    assert (tmp_path / photo.image.name).is_file()
    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG" and stored.mode == "RGB"
        assert max(stored.size) == 1600
        assert not stored.getexif()
        assert "exif" not in stored.info
    with Image.open(photo.thumbnail.path) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) <= 400
    assert AuditEvent.objects.filter(
        target_type="catalog.productphoto", target_id=photo.pk, action="create"
    ).exists()
    detail = world.client("manager_a").get(reverse("catalog:product_detail", args=[product_a.pk]))
    assert photo.thumbnail.url in detail.content.decode()


def test_text_renamed_jpg_is_refused_and_nothing_saved(world, product_a, tmp_path):
    fake = SimpleUploadedFile("photo.jpg", b"not an image at all\n" * 50, "image/jpeg")
    response = world.client("manager_a").post(_add_url(product_a), {"image": fake})
    assert response.status_code == 200
    assert "image" in response.context["photo_form"].errors
    assert not ProductPhoto.objects.exists()
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_oversize_file_is_refused(world, product_a, monkeypatch, tmp_path):
    monkeypatch.setattr(services, "PHOTO_MAX_BYTES", 1000)
    response = world.client("manager_a").post(_add_url(product_a), {"image": _png()})
    assert response.status_code == 200
    assert "image" in response.context["photo_form"].errors
    assert not ProductPhoto.objects.exists()
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_manager_b_cannot_add_a_photo_to_product_a(world, product_a):
    response = world.client("manager_b").post(_add_url(product_a), {"image": _png()})
    assert response.status_code == 404
    assert not ProductPhoto.objects.exists()


@pytest.mark.parametrize("persona", ["auditor", "juror"])
def test_roles_that_cannot_edit_are_refused(world, product_a, persona):
    response = world.client(persona).post(_add_url(product_a), {"image": _png()})
    assert response.status_code == 403
    assert not ProductPhoto.objects.exists()


def test_ninth_photo_is_refused(world, product_a):
    admin = world.user("admin")
    for _ in range(services.PHOTO_MAX_PER_PRODUCT):
        services.product_photo_add(actor=admin, product=product_a, upload=_png(size=(40, 30)))
    response = world.client("manager_a").post(_add_url(product_a), {"image": _png(size=(40, 30))})
    assert response.status_code == 200
    assert "image" in response.context["photo_form"].errors
    assert product_a.photos.count() == services.PHOTO_MAX_PER_PRODUCT


def test_delete_removes_row_and_files(
    world, product_a, tmp_path, django_capture_on_commit_callbacks
):
    photo = services.product_photo_add(
        actor=world.user("admin"), product=product_a, upload=_png(size=(40, 30))
    )
    image_path = tmp_path / photo.image.name
    assert image_path.is_file()
    url = reverse("catalog:photo_delete", args=[product_a.pk, photo.pk])
    assert world.client("manager_b").post(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("manager_a").post(url)
    assert response.status_code == 302
    assert not ProductPhoto.objects.exists()
    assert not image_path.exists()
    assert AuditEvent.objects.filter(target_type="catalog.productphoto", action="delete").exists()
