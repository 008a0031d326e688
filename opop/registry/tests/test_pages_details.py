"""Detail pages: the record's fields, its related records within the reader's scope, and a
readable history of changes."""

import pytest

from opop.registry.models import Enterprise
from opop.registry.tests.pages import html, pesantren_post, url

pytestmark = pytest.mark.django_db


def test_pesantren_page_lists_its_cooperatives_people_enterprises_and_pillar(world):
    page = html(world.client("admin").get(url("pesantren_detail", world.pesantren_a.pk)))
    assert "510035780001" in page and "Kota Surabaya" in page
    assert url("cooperative_detail", world.coop_a.pk) in page
    assert url("person_detail", world.person_a.pk) in page
    assert url("enterprise_detail", world.enterprise_a.pk) in page
    assert "Pesantrenpreneur" in page
    assert "Siti Aminah" not in page


def test_person_page_lists_participations_and_enterprises(world):
    page = html(world.client("officer").get(url("person_detail", world.person_a.pk)))
    assert "Santripreneur" in page and "2025" in page
    assert url("enterprise_detail", world.enterprise_a.pk) in page
    assert url("pesantren_detail", world.pesantren_a.pk) in page


def test_related_records_outside_scope_are_named_but_not_linked(world):
    Enterprise.objects.filter(pk=world.enterprise_b.pk).update(regency_id="35.78")
    page = html(world.client("officer").get(url("enterprise_detail", world.enterprise_b.pk)))
    assert "Siti Aminah" in page
    assert url("person_detail", world.person_b.pk) not in page


def test_cooperative_page_links_its_pesantren(world):
    page = html(world.client("manager_a").get(url("cooperative_detail", world.coop_a.pk)))
    assert url("pesantren_detail", world.pesantren_a.pk) in page
    assert "1234567890123" in page


def test_history_names_regions_and_choices_not_codes(world):
    data = pesantren_post(
        name=world.pesantren_a.name,
        nspp=world.pesantren_a.nspp,
        district="35.78.02",
        kind="khalaf",
        status="inactive",
    )
    client = world.client("admin")
    assert client.post(url("pesantren_edit", world.pesantren_a.pk), data).status_code == 302
    page = html(client.get(url("pesantren_detail", world.pesantren_a.pk)))
    history = page[page.index('id="history"') :]
    assert "Karang Pilang" in history  # the old kecamatan, by name
    assert "Khalaf (modern)" in history and "Inactive" in history
    assert "35.78.02" not in history
    assert "Admin" in history


def test_history_never_shows_nik_hash_or_cipher(world):
    from opop.registry.services import person_save

    person_save(
        actor=world.user("admin"),
        programme=world.jatim,
        instance=world.person_a,
        data={},
        nik="3578011508950011",
    )
    world.person_a.refresh_from_db()
    page = html(world.client("admin").get(url("person_detail", world.person_a.pk)))
    history = page[page.index('id="history"') :]
    assert "3578••••••••0011" in history
    assert world.person_a.nik_cipher not in page and world.person_a.nik_hash not in page
    assert "nik_hash" not in history and "nik_cipher" not in history
