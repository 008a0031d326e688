"""Who may open which registry page: refusals for every persona that must not, and lists that
never show another scope's rows."""

import pytest

from opop.registry.tests.pages import RECORD_A, RECORD_B, REGISTERS, html, url

pytestmark = pytest.mark.django_db

LIST_PAGES = [f"{r}_{page}" for r in REGISTERS for page in ("list", "export", "create")]
RECORD_PAGES = [(f"{r}_{page}", r) for r in REGISTERS for page in ("detail", "edit")] + [
    ("person_participation_add", "person"),
    ("pesantren_participation_add", "pesantren"),
    ("person_anonymise", "person"),
]
POST_ONLY = ["person_reveal_nik", "person_data_export"]


def record_url(world, name, register, records=RECORD_A):
    return url(name, getattr(world, records[register]).pk)


@pytest.mark.parametrize("name", LIST_PAGES)
def test_anonymous_is_sent_to_login_from_lists(world, name):
    response = world.client("anonymous").get(url(name))
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize(("name", "register"), RECORD_PAGES)
def test_anonymous_is_sent_to_login_from_records(world, name, register):
    response = world.client("anonymous").get(record_url(world, name, register))
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("name", POST_ONLY)
def test_anonymous_cannot_post_personal_data_actions(world, name):
    response = world.client("anonymous").post(url(name, world.person_a.pk))
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("persona", ["juror", "buyer", "partner", "outsider"])
@pytest.mark.parametrize("name", LIST_PAGES)
def test_roles_without_registry_are_refused_lists(world, persona, name):
    assert world.client(persona).get(url(name)).status_code == 403


@pytest.mark.parametrize("persona", ["juror", "buyer", "partner", "outsider"])
@pytest.mark.parametrize(("name", "register"), RECORD_PAGES)
def test_roles_without_registry_are_refused_records(world, persona, name, register):
    assert world.client(persona).get(record_url(world, name, register)).status_code == 403


@pytest.mark.parametrize("persona", ["juror", "buyer", "partner", "outsider"])
@pytest.mark.parametrize("name", POST_ONLY)
def test_roles_without_registry_cannot_reveal_or_export(world, persona, name):
    assert world.client(persona).post(url(name, world.person_a.pk)).status_code == 403


@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize("page", ["detail", "edit"])
def test_officer_cannot_open_other_regency_record(world, register, page):
    response = world.client("officer").get(
        record_url(world, f"{register}_{page}", register, RECORD_B)
    )
    assert response.status_code == 404


@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize("page", ["detail", "edit"])
def test_manager_b_cannot_open_pesantren_a_records(world, register, page):
    response = world.client("manager_b").get(record_url(world, f"{register}_{page}", register))
    assert response.status_code == 404


@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize("page", ["detail", "edit"])
def test_kalsel_admin_cannot_open_jatim_record(world, register, page):
    response = world.client("kalsel_admin").get(record_url(world, f"{register}_{page}", register))
    assert response.status_code == 404


@pytest.mark.parametrize("name", POST_ONLY)
def test_officer_cannot_act_on_other_regency_person(world, name):
    assert world.client("officer").post(url(name, world.person_b.pk)).status_code == 404


@pytest.mark.parametrize("register", REGISTERS)
def test_auditor_cannot_post_edits(world, register):
    record = getattr(world, RECORD_A[register])
    before = str(record)
    response = world.client("auditor").post(url(f"{register}_edit", record.pk), {"name": "X"})
    assert response.status_code == 403
    record.refresh_from_db()
    assert str(record) == before


@pytest.mark.parametrize("register", REGISTERS)
def test_auditor_cannot_create(world, register):
    assert world.client("auditor").get(url(f"{register}_create")).status_code == 403


@pytest.mark.parametrize("register", REGISTERS)
def test_auditor_reads_details_without_edit_links(world, register):
    record = getattr(world, RECORD_A[register])
    response = world.client("auditor").get(url(f"{register}_detail", record.pk))
    assert response.status_code == 200
    assert url(f"{register}_edit", record.pk) not in html(response)


@pytest.mark.parametrize("register", ["pesantren", "cooperative", "person"])
def test_participant_cannot_create_staff_records(world, register):
    assert world.client("participant").get(url(f"{register}_create")).status_code == 403


def test_participant_cannot_edit_their_pesantren(world):
    response = world.client("participant").get(url("pesantren_edit", world.pesantren_a.pk))
    assert response.status_code == 404


def test_officer_may_not_register_pesantren_elsewhere_but_manager_may_not_at_all(world):
    assert world.client("officer").get(url("pesantren_create")).status_code == 200
    assert world.client("manager_a").get(url("pesantren_create")).status_code == 403


# --- Lists never show another scope's rows -------------------------------------------------

NAMES = {
    "pesantren": ("Pondok Pesantren Al-Hikmah", "Pondok Pesantren Darul Ulum", "Al-Falah"),
    "cooperative": ("Kopontren Al-Hikmah", "Kopontren Darul Ulum", None),
    "person": ("Ahmad Fauzi", "Siti Aminah", "Muhammad Rizki"),
    "enterprise": ("Keripik Al-Hikmah", "Batik Darul Ulum", None),
}


@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize("persona", ["officer", "facilitator", "manager_a"])
def test_scoped_lists_show_only_pesantren_a_side(world, register, persona):
    page = html(world.client(persona).get(url(f"{register}_list")))
    mine, theirs, other_programme = NAMES[register]
    assert mine in page
    assert theirs not in page
    assert not other_programme or other_programme not in page


@pytest.mark.parametrize("register", REGISTERS)
def test_manager_b_list_shows_only_pesantren_b_side(world, register):
    page = html(world.client("manager_b").get(url(f"{register}_list")))
    pesantren_a_side, pesantren_b_side, _ = NAMES[register]
    assert pesantren_b_side in page
    assert pesantren_a_side not in page


@pytest.mark.parametrize("register", REGISTERS)
def test_admin_list_holds_whole_programme_but_not_the_other(world, register):
    page = html(world.client("admin").get(url(f"{register}_list")))
    mine, theirs, other_programme = NAMES[register]
    assert mine in page and theirs in page
    assert not other_programme or other_programme not in page


def test_kalsel_admin_sees_only_kalsel_people(world):
    page = html(world.client("kalsel_admin").get(url("person_list")))
    assert "Muhammad Rizki" in page
    assert "Ahmad Fauzi" not in page and "Siti Aminah" not in page


def test_participant_sees_own_record_only(world):
    page = html(world.client("participant").get(url("person_list")))
    assert "Ahmad Fauzi" in page and "Siti Aminah" not in page
    assert (
        world.client("participant").get(url("person_detail", world.person_b.pk)).status_code == 404
    )


def test_officer_filter_cannot_widen_scope(world):
    page = html(world.client("officer").get(url("person_list"), {"regency": "35.17"}))
    assert "Siti Aminah" not in page
