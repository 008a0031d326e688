"""The Django admin for the registry: usable, and never showing a NIK's hash or ciphertext."""

import pytest

from opop.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(User.objects.create_superuser("root@test.opop.id", "x", full_name="Root"))
    return client


@pytest.mark.parametrize(
    "model", ["pesantren", "cooperative", "person", "enterprise", "participation"]
)
def test_changelists_open(world, staff_client, model):
    assert staff_client.get(f"/django-admin/registry/{model}/").status_code == 200


def test_person_change_page_hides_nik_hash_and_cipher(world, staff_client):
    page = staff_client.get(f"/django-admin/registry/person/{world.person_a.pk}/change/")
    content = page.content.decode()
    assert page.status_code == 200
    assert "nik_hash" not in content and "nik_cipher" not in content
    assert world.person_a.nik_cipher not in content
    assert "3578••••••••0001" in content
