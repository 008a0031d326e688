import pytest
from django.core import mail
from django.urls import reverse

from opop.accounts.models import Membership, Role, User

pytestmark = pytest.mark.django_db

URL = reverse("accounts:member_list")


@pytest.mark.parametrize(
    "persona",
    [
        "officer",
        "facilitator",
        "manager_a",
        "participant",
        "juror",
        "partner",
        "buyer",
        "auditor",
        "outsider",
    ],
)
def test_only_programme_admins_manage_roles(world, persona):
    assert world.client(persona).get(URL).status_code == 403
    assert world.client(persona).post(reverse("accounts:member_grant"), {}).status_code == 403


def test_anonymous_is_sent_to_login(world):
    response = world.client("anonymous").get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_admin_lists_own_programme_only(world):
    html = world.client("admin").get(URL).content.decode()
    assert "officer@test.opop.id" in html
    assert "kalsel_admin@test.opop.id" not in html


def test_admin_cannot_edit_another_programmes_membership(world):
    other = world.user("kalsel_admin").memberships.get()
    assert (
        world.client("admin").get(reverse("accounts:member_edit", args=[other.pk])).status_code
        == 404
    )


def test_granting_an_officer_role_invites_a_new_user(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("admin").post(
            reverse("accounts:member_grant"),
            {
                "email": "New.Officer@Example.id",
                "full_name": "Officer Jombang",
                "role": Role.OFFICER,
                "regency": "35.17",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="new.officer@example.id")
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).regency_id == "35.17"
    assert len(mail.outbox) == 1 and "/accounts/password/set/" in mail.outbox[0].body


def test_officer_needs_a_regency_of_the_province(world):
    client = world.client("admin")
    missing = client.post(
        reverse("accounts:member_grant"),
        {"email": "x@example.id", "full_name": "X", "role": Role.OFFICER},
    )
    assert missing.status_code == 200 and not User.objects.filter(email="x@example.id").exists()
    # Banjarmasin is not offered to a Jawa Timur programme.
    other = client.post(
        reverse("accounts:member_grant"),
        {"email": "x@example.id", "full_name": "X", "role": Role.OFFICER, "regency": "63.71"},
    )
    assert other.status_code == 200 and not User.objects.filter(email="x@example.id").exists()


def test_facilitator_assigned_by_nspp_and_existing_user_gets_second_role(world):
    response = world.client("admin").post(
        reverse("accounts:member_grant"),
        {
            "email": "juror@test.opop.id",
            "full_name": "Juror",
            "role": Role.FACILITATOR,
            "assigned": f"{world.pesantren_b.nspp}, {world.pesantren_a.pk}",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=world.user("juror"), role=Role.FACILITATOR)
    assert set(membership.assigned_pesantren.all()) == {world.pesantren_a, world.pesantren_b}
    assert len(mail.outbox) == 0  # existing account: no invitation


def test_pesantren_of_another_programme_is_not_found(world):
    response = world.client("admin").post(
        reverse("accounts:member_grant"),
        {
            "email": "m@example.id",
            "full_name": "M",
            "role": Role.MANAGER,
            "pesantren": world.pesantren_kalsel.nspp,
        },
    )
    assert response.status_code == 200
    assert "m@example.id" not in set(User.objects.values_list("email", flat=True))


def test_admin_deactivates_a_role_and_it_stops_working(world):
    membership = world.user("officer").memberships.get()
    response = world.client("admin").post(
        reverse("accounts:member_edit", args=[membership.pk]), {"regency": "35.78"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active
    assert world.client("officer").get(reverse("accounts:member_list")).status_code == 403


def test_password_reset_sends_a_link(world, client):
    client.post(reverse("accounts:password_reset"), {"email": "admin@test.opop.id"})
    assert len(mail.outbox) == 1


def test_admin_cannot_deactivate_own_role(world):
    own = world.user("admin").memberships.get()
    response = world.client("admin").post(reverse("accounts:member_edit", args=[own.pk]), {})
    assert response.status_code == 200
    own.refresh_from_db()
    assert own.is_active
