"""Record pickers: a form sends a few pesantren, not the whole scope; the search endpoint finds
the rest, only within what the reader may choose; the field still accepts any record in scope."""

import re

import pytest

from opop.registry.models import Cooperative, Pesantren
from opop.registry.pickers import SHOWN
from opop.registry.tests.pages import url
from opop.registry.tests.test_pages_forms import coop_post

pytestmark = pytest.mark.django_db

PICK = "/registry/pick/{register}/"


@pytest.fixture
def many(world):
    """40 more pesantren in Kota Surabaya, named so that they sort before the world's."""
    return Pesantren.objects.bulk_create(
        Pesantren(programme=world.jatim, name=f"Aa Ponpes {n:02d}", regency_id="35.78")
        for n in range(40)
    )


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="(\d*)"', select)


def test_form_sends_a_few_options_and_keeps_the_chosen_one(world, many):
    page = world.client("admin").get(url("cooperative_create")).content.decode()
    offered = _options(page, "pesantren")
    assert len(offered) == SHOWN + 1  # the empty choice and the first few
    assert str(world.pesantren_b.pk) not in offered
    assert 'hx-get="/registry/pick/pesantren/"' in page
    # The chosen pesantren is offered even when it is not among the first by name.
    edit = world.client("admin").get(url("cooperative_edit", world.coop_b.pk)).content.decode()
    assert str(world.pesantren_b.pk) in _options(edit, "pesantren")


def test_a_pesantren_beyond_the_first_few_can_be_chosen(world, many):
    data = coop_post(world, pesantren=world.pesantren_b.pk)
    response = world.client("admin").post(url("cooperative_create"), data)
    assert response.status_code == 302
    assert Cooperative.objects.get(name="Kopontren Baru").pesantren == world.pesantren_b


def test_search_finds_by_name_or_nspp_within_scope(world, many):
    admin = world.client("admin")
    found = admin.get(PICK.format(register="pesantren"), {"q": "ulum"}).content.decode()
    assert f'value="{world.pesantren_b.pk}" selected' in found and "Kabupaten Jombang" in found
    by_nspp = admin.get(PICK.format(register="pesantren"), {"q": "5100351700"}).content.decode()
    assert f'value="{world.pesantren_b.pk}"' in by_nspp
    # The officer of Kota Surabaya finds nothing in Jombang.
    officer = world.client("officer").get(PICK.format(register="pesantren"), {"q": "ulum"})
    assert str(world.pesantren_b.pk) not in officer.content.decode()
    assert "Nothing found" in officer.content.decode()
    # Cooperatives too, with their pesantren to tell namesakes apart.
    coops = admin.get(PICK.format(register="cooperative"), {"q": "Hikmah"}).content.decode()
    assert "Kopontren Al-Hikmah · Pondok Pesantren Al-Hikmah" in coops


def test_an_empty_search_offers_the_first_few_and_no_choice(world, many):
    page = world.client("admin").get(PICK.format(register="pesantren")).content.decode()
    assert page.startswith('<option value="">')
    assert len(re.findall(r"<option", page)) == SHOWN + 1
    assert "selected" not in page


@pytest.mark.parametrize(
    ("persona", "status"), [("buyer", 403), ("juror", 403), ("partner", 403), ("anonymous", 302)]
)
def test_search_refuses_others(world, persona, status):
    response = world.client(persona).get(PICK.format(register="pesantren"), {"q": "a"})
    assert response.status_code == status


def test_search_offers_a_participant_nothing_and_knows_only_its_registers(world):
    participant = world.client("participant").get(PICK.format(register="pesantren"), {"q": "Al"})
    assert '<option value="' + str(world.pesantren_a.pk) not in participant.content.decode()
    assert world.client("admin").get(PICK.format(register="people")).status_code == 404
