"""The pesantren picker at phone width: the form sends only the first few pesantren; typing part
of a name fetches the matches, and the cooperative is saved with the one found."""

import pytest

from opop.common.testing.personas import PASSWORD, build_world
from opop.registry.models import Cooperative, Pesantren
from opop.registry.pickers import SHOWN
from tests.browser.conftest import click_and_wait, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_finds_a_pesantren_by_typing_and_registers_its_cooperative(page, live_server):
    page.set_default_timeout(60_000)  # a shared, busy machine
    world = build_world()
    Pesantren.objects.bulk_create(
        Pesantren(programme=world.jatim, name=f"Aa Ponpes {n:02d}", regency_id="35.78")
        for n in range(40)
    )
    log_in(page, live_server, "admin@test.opop.id", PASSWORD)
    page.goto(f"{live_server.url}/registry/cooperatives/new/")
    assert page.locator("#id_pesantren option").count() == SHOWN + 1
    assert "Darul Ulum" not in " ".join(page.locator("#id_pesantren option").all_inner_texts())

    page.locator(".record-picker input[type=search]").fill("darul")
    page.wait_for_function(
        "document.querySelector('#id_pesantren').selectedOptions[0]?.text.includes('Darul Ulum')"
    )
    page.fill("#id_name", "Koperasi Darul Ulum Baru")
    click_and_wait(page, "main form button.btn-success")

    coop = Cooperative.objects.get(name="Koperasi Darul Ulum Baru")
    assert coop.pesantren == world.pesantren_b
