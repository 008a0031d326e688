"""Journeys of three roles through the real pages at phone width: a regional officer, a
cooperative manager and a participant (each sees and changes only their own scope)."""

import json

import pytest
from django.utils import translation

from opop.common.testing.personas import PASSWORD, SURABAYA, build_world
from opop.registry.models import Person
from tests.browser.conftest import log_in, menu_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_NIK = "3578012506000005"  # Surabaya, born 25-06-2000, male (day < 40)


def _open_menu(page, href: str) -> None:
    menu_link(page, href).click()  # 390 px: unfolds the menu and the link's group first
    page.wait_for_load_state("networkidle")


def _table_names(page) -> list[str]:
    return page.locator("table tbody td:first-child a").all_inner_texts()


def test_officer_sees_own_regency_reveals_nik_and_adds_a_person(page, live_server):
    world = build_world()
    log_in(page, live_server, "officer@test.opop.id", PASSWORD)

    _open_menu(page, "/registry/people/")
    names = _table_names(page)
    assert "Ahmad Fauzi" in names
    assert "Siti Aminah" not in names
    assert "Muhammad Rizki" not in names

    page.click(f"a[href='/registry/people/{world.person_a.pk}/']")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#nik-value") != "3578011508950001"  # masked until asked
    reveal = f"/registry/people/{world.person_a.pk}/nik/"
    with page.expect_response(lambda r: r.url.endswith(reveal)) as reveal_info:
        page.click(f"form[hx-post='{reveal}'] button")
    assert reveal_info.value.request.method == "POST"
    assert reveal_info.value.request.headers.get("hx-request") == "true"
    page.wait_for_function(
        "document.querySelector('#nik-value').textContent.trim() === '3578011508950001'"
    )
    assert page.url.endswith(f"/registry/people/{world.person_a.pk}/")  # swapped in place

    _open_menu(page, "/registry/people/")
    page.click("a[href='/registry/people/new/']")
    page.wait_for_load_state("networkidle")
    page.fill("input[name=full_name]", "Budi Santoso")
    page.fill("input[name=nik]", NEW_NIK)
    assert page.input_value("select[name=gender]") == ""  # left empty: taken from the NIK
    with page.expect_response(lambda r: "/regions/options/" in r.url and "35.78" in r.url):
        page.select_option("select[name=regency]", SURABAYA)
    district = page.locator("select[name=district] option[value='35.78.01']")
    district.wait_for(state="attached")
    page.select_option("select[name=district]", "35.78.01")
    page.select_option("select[name=pesantren]", str(world.pesantren_a.pk))
    page.check("input[name=consent]")
    page.click("form[method=post] button.btn-success")
    page.wait_for_load_state("networkidle")

    person = Person.objects.get(full_name="Budi Santoso")
    assert page.url.endswith(f"/registry/people/{person.pk}/")
    assert person.gender == Person.Gender.MALE
    assert person.district_id == "35.78.01"
    with translation.override("id"):
        male = str(Person.Gender.MALE.label)
    assert page.locator(f"dd:text-is('{male}')").count() == 1


def test_manager_edits_own_pesantren_and_cannot_open_another(page, live_server):
    world = build_world()
    log_in(page, live_server, "manager_a@test.opop.id", PASSWORD)

    _open_menu(page, "/registry/pesantren/")
    assert "Pondok Pesantren Darul Ulum" not in _table_names(page)
    page.click(f"a[href='/registry/pesantren/{world.pesantren_a.pk}/']")
    page.wait_for_load_state("networkidle")
    assert "Pondok Pesantren Al-Hikmah" in page.inner_text("h1")

    page.click(f"a[href='/registry/pesantren/{world.pesantren_a.pk}/edit/']")
    page.wait_for_load_state("networkidle")
    page.fill("[name=address]", "Jl. Kenjeran No. 45")
    page.click("form[method=post] button.btn-success")
    page.wait_for_load_state("networkidle")

    assert page.url.endswith(f"/registry/pesantren/{world.pesantren_a.pk}/")
    assert "Jl. Kenjeran No. 45" in page.inner_text("dl")
    history = page.locator("#history li")
    assert history.count() >= 1
    assert "Jl. Kenjeran No. 45" in page.inner_text("#history")

    response = page.goto(f"{live_server.url}/registry/pesantren/{world.pesantren_b.pk}/")
    assert response.status == 404
    assert "Darul Ulum" not in page.content()


def test_participant_downloads_all_their_data(page, live_server, tmp_path):
    world = build_world()
    log_in(page, live_server, "participant@test.opop.id", PASSWORD)

    _open_menu(page, "/registry/people/")
    assert _table_names(page) == ["Ahmad Fauzi"]
    page.click(f"a[href='/registry/people/{world.person_a.pk}/']")
    page.wait_for_load_state("networkidle")

    with page.expect_download() as download_info:
        page.click(f"form[action='/registry/people/{world.person_a.pk}/data.json'] button")
    download = download_info.value
    assert download.suggested_filename == f"person-{world.person_a.pk}.json"
    download.save_as(tmp_path / "data.json")
    text = (tmp_path / "data.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert data
    assert "Ahmad Fauzi" in text
    assert "Siti Aminah" not in text
