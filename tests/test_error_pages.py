import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_not_found_page_keeps_the_layout(world):
    response = world.client("manager_a").get(f"/registry/pesantren/{world.pesantren_b.pk}/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html and 'class="navbar' in html


@override_settings(LANGUAGE_CODE="id")
def test_refusal_page_is_indonesian(world):
    response = world.client("juror").get("/registry/people/")
    assert response.status_code == 403
    assert "Tidak diizinkan" in response.content.decode()
