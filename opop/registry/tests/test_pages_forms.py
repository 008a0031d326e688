"""Create and edit pages: happy paths, identifiers normalised, bad input refused at the field
with nothing saved, duplicates refused with a link only for readers who may open the holder."""

import pytest

from opop.common.models import AuditEvent
from opop.registry.models import Cooperative, Enterprise, Person, Pesantren
from opop.registry.tests.pages import (
    MINOR_NIK,
    html,
    person_post,
    pesantren_post,
    url,
)

pytestmark = pytest.mark.django_db


# --- Pesantren -------------------------------------------------------------------------------


def test_admin_registers_pesantren_with_normalised_identifiers(world):
    response = world.client("admin").post(url("pesantren_create"), pesantren_post())
    pesantren = Pesantren.objects.get(name="Pondok Pesantren Nurul Huda")
    assert response.status_code == 302 and response.url == url("pesantren_detail", pesantren.pk)
    assert pesantren.nspp == "510035780099"
    assert pesantren.phone == "+6281234567890"
    assert AuditEvent.objects.filter(target_id=pesantren.pk, action="create").exists()


def test_bad_nspp_is_refused_at_the_field(world):
    response = world.client("admin").post(url("pesantren_create"), pesantren_post(nspp="12345"))
    assert response.status_code == 200
    assert "NSPP must be 12 digits" in html(response)
    assert not Pesantren.objects.filter(name="Pondok Pesantren Nurul Huda").exists()


def test_bad_phone_is_refused_at_the_field(world):
    response = world.client("admin").post(url("pesantren_create"), pesantren_post(phone="12ab"))
    assert "not a valid Indonesian phone number" in html(response)
    assert not Pesantren.objects.filter(name="Pondok Pesantren Nurul Huda").exists()


def test_duplicate_nspp_is_refused_with_link(world):
    data = pesantren_post(nspp=world.pesantren_b.nspp)
    response = world.client("admin").post(url("pesantren_create"), data)
    page = html(response)
    assert "already registered in this programme" in page
    assert url("pesantren_detail", world.pesantren_b.pk) in page
    assert Pesantren.objects.filter(programme=world.jatim).count() == 2


def test_duplicate_nspp_outside_scope_is_named_nowhere(world):
    data = pesantren_post(nspp=world.pesantren_b.nspp)
    page = html(world.client("officer").post(url("pesantren_create"), data))
    assert "already registered in this programme" in page
    assert url("pesantren_detail", world.pesantren_b.pk) not in page
    assert "Darul Ulum" not in page


def test_officer_registers_only_in_own_regency(world):
    client = world.client("officer")
    form = html(client.get(url("pesantren_create")))
    assert 'value="35.78"' in form and 'value="35.17"' not in form
    response = client.post(
        url("pesantren_create"), pesantren_post(regency="35.17", district="35.17.01")
    )
    assert response.status_code == 200
    assert not Pesantren.objects.filter(name="Pondok Pesantren Nurul Huda").exists()


def test_kecamatan_must_lie_in_the_kab_kota(world):
    response = world.client("admin").post(
        url("pesantren_create"), pesantren_post(regency="35.78", district="35.17.01")
    )
    assert response.status_code == 200
    assert not Pesantren.objects.filter(name="Pondok Pesantren Nurul Huda").exists()


def test_region_picker_refreshes_kecamatan_by_htmx(world):
    page = html(world.client("admin").get(url("pesantren_create")))
    assert 'hx-get="/regions/options/"' in page
    assert 'hx-trigger="change"' in page and 'hx-target="#id_district"' in page
    assert 'value="63.71"' not in page  # another province's kab/kota is never offered


def test_edit_pesantren_records_history(world):
    client = world.client("manager_a")
    data = pesantren_post(name="PP Al-Hikmah Baru", nspp=world.pesantren_a.nspp)
    assert client.post(url("pesantren_edit", world.pesantren_a.pk), data).status_code == 302
    page = html(client.get(url("pesantren_detail", world.pesantren_a.pk)))
    assert "PP Al-Hikmah Baru" in page
    assert "Pondok Pesantren Al-Hikmah" in page  # the old name, in the history
    assert "Manager A" in page


# --- Cooperative -----------------------------------------------------------------------------


def coop_post(world, **changes):
    data = {
        "pesantren": world.pesantren_a.pk,
        "name": "Kopontren Baru",
        "legal_status": "none",
        "nib": "9234-5678-90123",
        "npwp": "01.234.567.8-901.000",
        "status": "active",
    }
    data.update(changes)
    return data


def test_manager_registers_cooperative_of_own_pesantren(world):
    response = world.client("manager_a").post(url("cooperative_create"), coop_post(world))
    assert response.status_code == 302
    coop = Cooperative.objects.get(name="Kopontren Baru")
    assert coop.nib == "9234567890123"
    assert coop.npwp == "0012345678901000"


def test_manager_cannot_register_cooperative_for_other_pesantren(world):
    data = coop_post(world, pesantren=world.pesantren_b.pk)
    response = world.client("manager_a").post(url("cooperative_create"), data)
    assert response.status_code == 200
    assert not Cooperative.objects.filter(name="Kopontren Baru").exists()


def test_bad_nib_is_refused_at_the_field(world):
    response = world.client("admin").post(url("cooperative_create"), coop_post(world, nib="123"))
    assert "NIB must be 13 digits" in html(response)
    assert not Cooperative.objects.filter(name="Kopontren Baru").exists()


def test_duplicate_nib_is_refused_with_link(world):
    data = coop_post(world, nib=world.coop_a.nib)
    page = html(world.client("admin").post(url("cooperative_create"), data))
    assert "already registered in this programme" in page
    assert url("cooperative_detail", world.coop_a.pk) in page


def test_duplicate_nib_outside_scope_is_not_named(world):
    data = coop_post(world, pesantren=world.pesantren_b.pk, nib=world.coop_a.nib)
    page = html(world.client("manager_b").post(url("cooperative_create"), data))
    assert "already registered in this programme" in page
    assert url("cooperative_detail", world.coop_a.pk) not in page
    assert "Kopontren Al-Hikmah" not in page


# --- Person ----------------------------------------------------------------------------------


def test_admin_registers_person_with_gender_and_birth_date_from_nik(world):
    response = world.client("admin").post(url("person_create"), person_post())
    person = Person.objects.get(full_name="Nur Laila")
    assert response.status_code == 302
    assert person.gender == "P" and str(person.birth_date) == "2005-07-01"
    assert person.phone == "+6281234567890"
    assert person.nik_masked == "3578••••••••0003"
    assert person.consent_at is not None


def test_gender_contradicting_nik_is_refused(world):
    response = world.client("admin").post(url("person_create"), person_post(gender="L"))
    assert "The gender does not match the NIK" in html(response)
    assert not Person.objects.filter(full_name="Nur Laila").exists()


def test_birth_date_contradicting_nik_is_refused(world):
    response = world.client("admin").post(
        url("person_create"), person_post(birth_date="2005-07-02")
    )
    page = html(response)
    assert "The birth date does not match the NIK" in page and "01-07-2005" in page
    assert not Person.objects.filter(full_name="Nur Laila").exists()


def test_nik_is_required_and_checked(world):
    client = world.client("admin")
    assert "NIK must be 16 digits" in html(
        client.post(url("person_create"), person_post(nik="3578"))
    )
    response = client.post(url("person_create"), person_post(nik=""))
    assert "nik" in response.context["form"].errors
    assert not Person.objects.filter(full_name="Nur Laila").exists()


def test_minor_without_guardian_is_refused(world):
    response = world.client("admin").post(url("person_create"), person_post(nik=MINOR_NIK))
    assert "under 18" in html(response)
    assert not Person.objects.filter(full_name="Nur Laila").exists()


def test_minor_with_guardian_and_consent_is_registered(world):
    data = person_post(nik=MINOR_NIK, guardian_name="Bapak Laila", guardian_consent="on")
    assert world.client("admin").post(url("person_create"), data).status_code == 302
    assert Person.objects.get(full_name="Nur Laila").guardian_consent_at is not None


def test_consent_is_required(world):
    response = world.client("admin").post(url("person_create"), person_post(consent=None))
    assert response.status_code == 200
    assert not Person.objects.filter(full_name="Nur Laila").exists()


def test_duplicate_nik_is_refused_with_link(world):
    data = person_post(nik="3578011508950001", full_name="Ahmad Lain")
    page = html(world.client("admin").post(url("person_create"), data))
    assert "This NIK is already registered in this programme" in page
    assert url("person_detail", world.person_a.pk) in page
    assert not Person.objects.filter(full_name="Ahmad Lain").exists()


def test_duplicate_nik_outside_scope_is_not_named(world):
    data = person_post(
        nik="3578011508950001",
        full_name="Ahmad Lain",
        regency="35.17",
        district="",
        pesantren=world.pesantren_b.pk,
    )
    page = html(world.client("manager_b").post(url("person_create"), data))
    assert "This NIK is already registered in this programme" in page
    assert url("person_detail", world.person_a.pk) not in page
    assert "Ahmad Fauzi" not in page


def test_facilitator_must_place_person_in_an_assigned_pesantren(world):
    client = world.client("facilitator")
    response = client.post(url("person_create"), person_post())
    assert not Person.objects.filter(full_name="Nur Laila").exists()
    assert "pesantren" in response.context["form"].errors
    data = person_post(pesantren=world.pesantren_a.pk)
    assert client.post(url("person_create"), data).status_code == 302


def test_manager_corrects_person_and_history_shows_it(world):
    client = world.client("manager_a")
    data = person_post(
        full_name="Ahmad Fauzi", nik="", phone="+62 813 1111 2222", pesantren=world.pesantren_a.pk
    )
    response = client.post(url("person_edit", world.person_a.pk), data)
    assert response.status_code == 302
    world.person_a.refresh_from_db()
    assert world.person_a.phone == "+6281311112222"
    assert world.person_a.nik_masked == "3578••••••••0001"  # an empty NIK field keeps the NIK
    page = html(client.get(url("person_detail", world.person_a.pk)))
    assert "+6281311112222" in page and "Manager A" in page


def test_edit_checks_typed_gender_against_stored_nik(world):
    data = person_post(full_name="Ahmad Fauzi", nik="", gender="P")
    page = html(world.client("admin").post(url("person_edit", world.person_a.pk), data))
    assert "The gender does not match the NIK" in page
    world.person_a.refresh_from_db()
    assert world.person_a.gender == "L"


def test_edit_form_never_shows_the_clear_nik(world):
    page = html(world.client("admin").get(url("person_edit", world.person_a.pk)))
    assert "3578011508950001" not in page and "3578••••••••0001" in page


def test_officer_cannot_edit_person_of_other_regency(world):
    data = person_post(full_name="Changed", nik="")
    response = world.client("officer").post(url("person_edit", world.person_b.pk), data)
    assert response.status_code == 404
    world.person_b.refresh_from_db()
    assert world.person_b.full_name == "Siti Aminah"


# --- Enterprise ------------------------------------------------------------------------------


def enterprise_post(**changes):
    data = {"name": "Sambal Santri", "sector": "food", "regency": "35.78", "status": "active"}
    data.update(changes)
    return data


def test_manager_registers_enterprise_by_owner_nik(world):
    data = enterprise_post(owner_nik="3578 0115 0895 0001", monthly_revenue="1500000")
    response = world.client("manager_a").post(url("enterprise_create"), data)
    assert response.status_code == 302
    enterprise = Enterprise.objects.get(name="Sambal Santri")
    assert enterprise.owner == world.person_a and enterprise.monthly_revenue == 1_500_000


def test_owner_nik_outside_scope_is_refused(world):
    data = enterprise_post(owner_nik="3517015208970002")
    page = html(world.client("manager_a").post(url("enterprise_create"), data))
    assert "No person with this NIK" in page
    assert not Enterprise.objects.filter(name="Sambal Santri").exists()


def test_enterprise_from_person_page_prefills_owner(world):
    page = html(world.client("admin").get(url("enterprise_create"), {"owner": world.person_a.pk}))
    assert "Ahmad Fauzi" in page


def test_duplicate_enterprise_nib_is_refused_with_link(world):
    data = enterprise_post(nib=world.enterprise_a.nib)
    page = html(world.client("admin").post(url("enterprise_create"), data))
    assert url("enterprise_detail", world.enterprise_a.pk) in page
    assert not Enterprise.objects.filter(name="Sambal Santri").exists()


def test_negative_revenue_is_refused(world):
    page = html(
        world.client("admin").post(url("enterprise_create"), enterprise_post(monthly_revenue="-5"))
    )
    assert "cannot be negative" in page
    assert not Enterprise.objects.filter(name="Sambal Santri").exists()


def test_participant_registers_own_business(world):
    response = world.client("participant").post(url("enterprise_create"), enterprise_post())
    assert response.status_code == 302
    assert Enterprise.objects.get(name="Sambal Santri").owner == world.person_a
