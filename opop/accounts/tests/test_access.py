import pytest
from django.urls import reverse

from opop.accounts.access import access_for
from opop.common.testing.personas import PASSWORD
from opop.registry import selectors

pytestmark = pytest.mark.django_db


def names(qs):
    return sorted(str(x) for x in qs)


def test_admin_sees_whole_programme_but_not_the_other(world):
    access = access_for(world.user("admin"))
    assert names(selectors.pesantren_visible_to(access)) == names(
        [world.pesantren_a, world.pesantren_b]
    )
    assert world.person_kalsel not in selectors.people_visible_to(access)


def test_officer_sees_only_own_regency(world):
    access = access_for(world.user("officer"))
    assert list(selectors.pesantren_visible_to(access)) == [world.pesantren_a]
    assert list(selectors.people_visible_to(access)) == [world.person_a]
    assert list(selectors.enterprises_visible_to(access)) == [world.enterprise_a]


def test_facilitator_sees_assigned_pesantren_only(world):
    access = access_for(world.user("facilitator"))
    assert list(selectors.pesantren_visible_to(access)) == [world.pesantren_a]
    assert list(selectors.cooperatives_visible_to(access)) == [world.coop_a]


def test_managers_see_their_own_pesantren_only(world):
    a = access_for(world.user("manager_a"))
    b = access_for(world.user("manager_b"))
    assert list(selectors.people_visible_to(a)) == [world.person_a]
    assert list(selectors.people_visible_to(b)) == [world.person_b]
    assert list(selectors.cooperatives_visible_to(b)) == [world.coop_b]


def test_participant_sees_own_record_only(world):
    access = access_for(world.user("participant"))
    assert list(selectors.people_visible_to(access)) == [world.person_a]
    assert list(selectors.cooperatives_visible_to(access)) == []
    assert list(selectors.pesantren_editable_by(access)) == []


@pytest.mark.parametrize("persona", ["juror", "partner", "buyer"])
def test_roles_without_registry_see_nothing(world, persona):
    access = access_for(world.user(persona))
    assert not selectors.pesantren_visible_to(access).exists()
    assert not selectors.people_visible_to(access).exists()


def test_outsider_has_no_access(world):
    assert access_for(world.user("outsider")) is None
    assert not selectors.people_visible_to(None).exists()


def test_auditor_reads_everything_and_edits_nothing(world):
    access = access_for(world.user("auditor"))
    assert selectors.people_visible_to(access).count() == 2
    assert not selectors.people_editable_by(access).exists()


def test_one_person_switches_between_programmes(world, client):
    from opop.accounts.models import Membership, Role

    admin = world.user("admin")
    kalsel = Membership.objects.create(user=admin, programme=world.kalsel, role=Role.AUDITOR)
    client.force_login(admin)
    assert access_for(admin).programme == world.jatim
    client.post(reverse("accounts:switch"), {"membership": kalsel.pk, "next": "/"})
    assert client.session["opop_membership"] == kalsel.pk
    # A membership that is not one's own is ignored.
    other = world.user("kalsel_admin").memberships.get()
    client.post(reverse("accounts:switch"), {"membership": other.pk})
    assert client.session["opop_membership"] == kalsel.pk


def test_login_is_rate_limited(world, client, settings):
    settings.LOGIN_RATE_LIMIT = 3
    url = reverse("accounts:login")
    for _ in range(3):
        assert (
            client.post(url, {"email": "admin@test.opop.id", "password": "wrong"}).status_code
            == 400
        )
    blocked = client.post(url, {"email": "admin@test.opop.id", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_by_email(world, client):
    response = client.post(
        reverse("accounts:login"), {"email": "ADMIN@test.opop.id", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.user("admin").pk)


@pytest.mark.parametrize("typed", ["0812-3456-7890", "+6281234567890", "6281234567890"])
def test_login_by_mobile_number_in_any_common_writing(world, client, typed):
    buyer = world.user("buyer")
    buyer.phone = "+6281234567890"
    buyer.save(update_fields=["phone"])
    response = client.post(reverse("accounts:login"), {"email": typed, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(buyer.pk)


def test_an_unknown_mobile_number_is_just_a_wrong_login(world, client):
    response = client.post(
        reverse("accounts:login"), {"email": "0899-0000-0000", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_api_token(world, client):
    url = reverse("api-token")
    bad = client.post(url, {"email": "admin@test.opop.id", "password": "nope"})
    assert bad.status_code == 400
    ok = client.post(url, {"email": "admin@test.opop.id", "password": PASSWORD})
    assert ok.status_code == 200 and len(ok.json()["token"]) == 40


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(world, client, settings):
    settings.LOGIN_RATE_LIMIT = 2
    url = reverse("accounts:login")
    for n in range(2):
        client.post(
            url,
            {"email": "admin@test.opop.id", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )
    forged = client.post(
        url, {"email": "admin@test.opop.id", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    assert forged.status_code == 429
