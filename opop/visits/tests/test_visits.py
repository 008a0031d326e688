import datetime as dt
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import Client
from django.utils import timezone
from PIL import Image

from opop.notifications.models import Notification
from opop.visits.models import ActionItem, Visit
from opop.visits.tests.helpers import jpeg_with_exif, make_visit, second_facilitator

pytestmark = pytest.mark.django_db
NEW = "/visits/new/"


def _payload(world, **over):
    today = timezone.localdate()
    data = {
        "client_uuid": str(uuid.uuid4()),
        "pesantren": str(world.pesantren_a.pk),
        "visited_on": (today - dt.timedelta(days=1)).isoformat(),
        "purpose": "product",
        "purpose_other": "",
        "notes": "Kemasan keripik perlu label halal.",
        "item-0-text": "Daftar sertifikasi halal self-declare",
        "item-0-due_on": (today + dt.timedelta(days=30)).isoformat(),
        "item-0-responsible": "Pengurus koperasi",
    }
    data.update(over)
    return data


def _send(client, data, **extra):
    return client.post(NEW, data, HTTP_ACCEPT="application/json", **extra)


def test_facilitator_sends_a_report_with_photo_location_and_items(world, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client = world.client("facilitator")
    assert client.get(NEW).status_code == 200
    photo = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_exif(), content_type="image/jpeg")
    data = _payload(
        world,
        latitude="-7.2504451234",
        longitude="112.7688",
        location_accuracy="18.4",
        location_read_at="2026-01-05T03:00:00.000Z",
        photos=photo,
    )
    response = _send(client, data)
    assert response.status_code == 201, response.content
    body = response.json()
    visit = Visit.objects.get(pk=body["id"])
    assert body["created"] is True and body["url"] == f"/visits/{visit.pk}/"
    assert (visit.facilitator, visit.pesantren, visit.status) == (
        world.user("facilitator"),
        world.pesantren_a,
        Visit.Status.SUBMITTED,
    )
    assert str(visit.latitude) == "-7.250445" and visit.location_accuracy_m == 18
    item = visit.action_items.get()
    assert item.responsible == "Pengurus koperasi" and not item.is_done
    stored = visit.photos.get()
    assert "IMG_0001" not in stored.file.name
    with stored.file.open("rb") as handle, Image.open(handle) as image:
        assert not image.getexif()
    # The officer of Surabaya supervises pesantren A and is told.
    assert Notification.objects.filter(user=world.user("officer"), kind="visits.submitted").exists()
    # The photo is served through the permission check only.
    url = f"/visits/{visit.pk}/photos/{stored.pk}/"
    assert client.get(url).status_code == 200
    assert world.client("officer").get(url).status_code == 200
    assert world.client("manager_a").get(url).status_code == 403
    assert world.client("kalsel_admin").get(url).status_code == 404


def test_a_resend_returns_the_first_report(world):
    client = world.client("facilitator")
    data = _payload(world)
    first = _send(client, data)
    again = _send(client, data)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and again.json()["created"] is False
    # The same draft as JSON (an API client) is the same report too.
    as_json = client.post(NEW, json.dumps(data), content_type="application/json")
    assert as_json.status_code == 200 and as_json.json()["id"] == first.json()["id"]
    assert Visit.objects.count() == 1 and ActionItem.objects.count() == 1


def test_json_report_and_unique_constraint(world):
    client = world.client("facilitator")
    data = _payload(world)
    data["action_items"] = [{"text": "Buka rekening koperasi", "due_on": "2030-01-01"}]
    response = client.post(NEW, json.dumps(data), content_type="application/json")
    assert response.status_code == 201
    visit = Visit.objects.get()
    assert [i.text for i in visit.action_items.all()] == ["Buka rekening koperasi"]
    assert client.post(NEW, "{not json", content_type="application/json").status_code == 400
    duplicate = Visit(
        programme=visit.programme, pesantren=visit.pesantren, facilitator=visit.facilitator,
        client_uuid=visit.client_uuid, visited_on=visit.visited_on, purpose="coaching",
        submitted_at=timezone.now(),
    )  # fmt: skip
    with pytest.raises(IntegrityError):
        duplicate.save()


def test_same_uuid_from_another_facilitator_is_their_own_report(world):
    second_facilitator(world, "facilitator2", world.pesantren_a)
    data = _payload(world)
    assert _send(world.client("facilitator"), data).status_code == 201
    assert _send(world.client("facilitator2"), data).status_code == 201
    assert Visit.objects.count() == 2


@pytest.mark.parametrize(
    "location",
    [
        {"latitude": "91", "longitude": "112", "location_read_at": "2026-01-05T03:00:00Z"},
        {"latitude": "-90.5", "longitude": "112", "location_read_at": "2026-01-05T03:00:00Z"},
        {"latitude": "-7", "longitude": "180.01", "location_read_at": "2026-01-05T03:00:00Z"},
        {"latitude": "-7", "longitude": "-181", "location_read_at": "2026-01-05T03:00:00Z"},
        {"latitude": "-7", "location_read_at": "2026-01-05T03:00:00Z"},
        {"latitude": "-7", "longitude": "112"},
        {"latitude": "-7", "longitude": "112", "location_read_at": "yesterday"},
        {"latitude": "abc", "longitude": "112", "location_read_at": "2026-01-05T03:00:00Z"},
        {"latitude": "-7", "longitude": "112", "location_accuracy": "-1",
         "location_read_at": "2026-01-05T03:00:00Z"},
        {"latitude": "-7", "longitude": "112", "location_read_at": "2099-01-05T03:00:00Z"},
    ],
)  # fmt: skip
def test_location_is_validated(world, location):
    response = _send(world.client("facilitator"), _payload(world, **location))
    assert response.status_code == 400
    assert "errors" in response.json()
    assert not Visit.objects.exists()


def test_location_at_the_edges_is_accepted(world):
    data = _payload(world, latitude="-90", longitude="180", location_read_at="2026-01-05T03:00:00Z")
    assert _send(world.client("facilitator"), data).status_code == 201


@pytest.mark.parametrize(
    "over",
    [
        {"visited_on": "2099-01-01"},
        {"purpose": "other", "purpose_other": ""},
        {"purpose": "party"},
        {"item-0-due_on": ""},
        {"item-0-due_on": "soon"},
        {"client_uuid": "not-a-uuid"},
    ],
)
def test_invalid_reports_are_refused(world, over):
    assert _send(world.client("facilitator"), _payload(world, **over)).status_code == 400
    assert not Visit.objects.exists()


def test_photos_are_checked(world, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client = world.client("facilitator")
    pdf = SimpleUploadedFile("a.jpg", b"%PDF-1.4 fake", content_type="image/jpeg")
    assert _send(client, _payload(world, photos=pdf)).status_code == 400
    junk = SimpleUploadedFile("b.jpg", b"\xff\xd8\xffnot really", content_type="image/jpeg")
    assert _send(client, _payload(world, photos=junk)).status_code == 400
    too_many = [
        SimpleUploadedFile(f"{n}.jpg", jpeg_with_exif(), content_type="image/jpeg")
        for n in range(7)
    ]
    assert _send(client, _payload(world, photos=too_many)).status_code == 400
    assert not Visit.objects.exists()


def test_create_is_csrf_protected(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("facilitator"))
    assert _send(client, _payload(world)).status_code == 403
    assert not Visit.objects.exists()


# ---- refusals -------------------------------------------------------------------------------


def test_facilitator_reports_only_for_their_pesantren(world):
    data = _payload(world, pesantren=str(world.pesantren_b.pk))
    response = _send(world.client("facilitator"), data)
    assert response.status_code == 400 and "pesantren" in response.json()["errors"]
    data = _payload(world, pesantren=str(world.pesantren_kalsel.pk))
    assert _send(world.client("facilitator"), data).status_code == 400
    assert not Visit.objects.exists()


@pytest.mark.parametrize(
    "persona", ["admin", "officer", "manager_a", "participant", "juror", "partner", "buyer",
                "auditor", "kalsel_admin", "outsider"],
)  # fmt: skip
def test_only_facilitators_write_reports(world, persona):
    client = world.client(persona)
    assert client.get(NEW).status_code == 403
    assert _send(client, _payload(world)).status_code == 403
    assert not Visit.objects.exists()


def test_anonymous_is_sent_to_log_in(world):
    client = world.client("anonymous")
    for url in ("/visits/", NEW, "/visits/overdue/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(NEW, _payload(world)).status_code == 302


@pytest.mark.parametrize(
    "persona", ["manager_a", "participant", "juror", "partner", "buyer", "outsider"]
)
def test_roles_without_visits_are_refused(world, persona):
    visit = make_visit(world)
    client = world.client(persona)
    for url in ("/visits/", "/visits/overdue/", f"/visits/{visit.pk}/"):
        assert client.get(url).status_code == 403
    assert client.post(f"/visits/{visit.pk}/review/", {"decision": "reviewed"}).status_code == 403
    item = ActionItem.objects.create(visit=visit, text="x", due_on=timezone.localdate())
    assert client.post(f"/visits/items/{item.pk}/done/", {"done": "1"}).status_code == 404
    assert not ActionItem.objects.get(pk=item.pk).is_done


def test_another_facilitator_gets_404(world):
    visit = make_visit(world)
    item = ActionItem.objects.create(visit=visit, text="x", due_on=timezone.localdate())
    second_facilitator(world, "facilitator2", world.pesantren_a, world.pesantren_b)
    client = world.client("facilitator2")
    assert client.get(f"/visits/{visit.pk}/").status_code == 404
    assert client.get(f"/visits/{visit.pk}/edit/").status_code == 404
    assert client.get(f"/visits/{visit.pk}/photos/1/").status_code == 404
    assert client.post(f"/visits/items/{item.pk}/done/", {"done": "1"}).status_code == 404
    assert str(visit.pesantren.name) not in client.get("/visits/").content.decode()
    assert "x" not in [i.text for i in ActionItem.objects.filter(done_at__isnull=False)]


def test_facilitator_loses_a_report_when_the_pesantren_is_unassigned(world):
    visit = make_visit(world)
    world.user("facilitator").memberships.get().assigned_pesantren.clear()
    assert world.client("facilitator").get(f"/visits/{visit.pk}/").status_code == 404


def test_officer_reviews_only_their_kab_kota(world):
    second_facilitator(world, "facilitator_b", world.pesantren_b)
    in_jombang = make_visit(world, persona="facilitator_b", pesantren=world.pesantren_b)
    officer = world.client("officer")  # Surabaya
    assert officer.get(f"/visits/{in_jombang.pk}/").status_code == 404
    response = officer.post(f"/visits/{in_jombang.pk}/review/", {"decision": "reviewed"})
    assert response.status_code == 404
    assert Visit.objects.get(pk=in_jombang.pk).status == Visit.Status.SUBMITTED
    # The programme's admin reviews anywhere in the programme; kalsel's admin nowhere.
    assert world.client("kalsel_admin").get(f"/visits/{in_jombang.pk}/").status_code == 404
    assert (
        world.client("kalsel_admin")
        .post(f"/visits/{in_jombang.pk}/review/", {"decision": "reviewed"})
        .status_code
        == 404
    )
    world.client("admin").post(f"/visits/{in_jombang.pk}/review/", {"decision": "reviewed"})
    assert Visit.objects.get(pk=in_jombang.pk).status == Visit.Status.REVIEWED


def test_auditor_reads_but_does_not_review(world):
    visit = make_visit(world)
    client = world.client("auditor")
    assert client.get(f"/visits/{visit.pk}/").status_code == 200
    assert client.post(f"/visits/{visit.pk}/review/", {"decision": "reviewed"}).status_code == 403
    assert client.get(f"/visits/{visit.pk}/edit/").status_code == 403


def test_facilitator_cannot_review_nor_edit_a_waiting_report(world):
    visit = make_visit(world)
    client = world.client("facilitator")
    assert client.post(f"/visits/{visit.pk}/review/", {"decision": "reviewed"}).status_code == 403
    assert client.get(f"/visits/{visit.pk}/edit/").status_code == 404


# ---- review, return, resubmit ---------------------------------------------------------------


def test_return_edit_resubmit_review(world, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    visit = make_visit(world, items=[{"text": "Buat NPWP", "due_on": today + dt.timedelta(days=7)}])
    officer = world.client("officer")
    page = officer.get(f"/visits/{visit.pk}/").content.decode()
    assert 'id="review-form"' in page
    # Returning needs a note.
    officer.post(f"/visits/{visit.pk}/review/", {"decision": "returned", "review_note": ""})
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.SUBMITTED
    officer.post(
        f"/visits/{visit.pk}/review/",
        {"decision": "returned", "review_note": "Tambahkan foto produk."},
    )
    visit.refresh_from_db()
    assert visit.status == Visit.Status.RETURNED and visit.reviewed_by == world.user("officer")
    assert Notification.objects.filter(
        user=world.user("facilitator"), kind="visits.returned"
    ).exists()
    # A returned report cannot be reviewed again until it is resubmitted.
    officer.post(f"/visits/{visit.pk}/review/", {"decision": "reviewed"})
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.RETURNED

    client = world.client("facilitator")
    assert client.get(f"/visits/{visit.pk}/edit/").status_code == 200
    photo = SimpleUploadedFile("p.jpg", jpeg_with_exif(), content_type="image/jpeg")
    response = client.post(
        f"/visits/{visit.pk}/edit/",
        {
            "visited_on": visit.visited_on.isoformat(),
            "purpose": "other",
            "purpose_other": "Persiapan OPOP Expo",
            "notes": "Foto produk ditambahkan.",
            "item-0-text": "Buat NPWP",
            "item-0-due_on": (today + dt.timedelta(days=7)).isoformat(),
            "item-1-text": "Cetak label",
            "item-1-due_on": (today + dt.timedelta(days=14)).isoformat(),
            "photos": photo,
        },
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == Visit.Status.SUBMITTED and visit.purpose_label == "Persiapan OPOP Expo"
    assert visit.photos.count() == 1 and visit.action_items.count() == 2
    assert (
        Notification.objects.filter(user=world.user("officer"), kind="visits.submitted").count()
        == 2
    )
    officer.post(f"/visits/{visit.pk}/review/", {"decision": "reviewed", "review_note": "Baik."})
    visit.refresh_from_db()
    assert visit.status == Visit.Status.REVIEWED
    assert Notification.objects.filter(
        user=world.user("facilitator"), kind="visits.reviewed"
    ).exists()
    # A reviewed report is no longer editable.
    assert client.get(f"/visits/{visit.pk}/edit/").status_code == 404


# ---- action items ---------------------------------------------------------------------------


def test_overdue_items_for_facilitator_and_supervisor(world):
    today = timezone.localdate()
    visit = make_visit(
        world,
        items=[
            {"text": "Rapat anggota tahunan", "due_on": today - dt.timedelta(days=3)},
            {"text": "Buka rekening", "due_on": today + dt.timedelta(days=3)},
        ],
    )
    late = visit.action_items.get(text="Rapat anggota tahunan")
    for persona in ("facilitator", "officer", "admin"):
        page = world.client(persona).get("/visits/overdue/").content.decode()
        assert "Rapat anggota tahunan" in page and "Buka rekening" not in page
    second_facilitator(world, "facilitator_b", world.pesantren_b)
    assert (
        "Rapat anggota"
        not in world.client("facilitator_b").get("/visits/overdue/").content.decode()
    )
    response = world.client("facilitator").post(
        f"/visits/items/{late.pk}/done/", {"done": "1", "next": "overdue"}
    )
    assert response.status_code == 302
    late.refresh_from_db()
    assert late.is_done and late.done_by == world.user("facilitator")
    assert "Rapat anggota" not in world.client("officer").get("/visits/overdue/").content.decode()
    world.client("officer").post(f"/visits/items/{late.pk}/done/", {"done": "0"})
    late.refresh_from_db()
    assert not late.is_done


def test_list_pages_render(world):
    make_visit(world, items=[{"text": "Buka rekening", "due_on": timezone.localdate()}])
    assert "1 action item (1 open)" in world.client("officer").get("/visits/").content.decode()
    for persona in ("facilitator", "officer", "admin", "auditor"):
        response = world.client(persona).get("/visits/")
        assert response.status_code == 200
        assert world.pesantren_a.name in response.content.decode()
    assert (
        world.pesantren_a.name not in world.client("kalsel_admin").get("/visits/").content.decode()
    )
    page = world.client("facilitator").get(NEW).content.decode()
    assert "visits/offline.js" in page and world.pesantren_a.name in page
    assert world.pesantren_b.name not in page


def test_service_resend_and_race_return_the_first_report(world, monkeypatch):
    from opop.visits.services import visits as services

    visit = make_visit(world, client_uuid=uuid.UUID(int=7))
    again = make_visit(world, client_uuid=uuid.UUID(int=7))
    assert again.pk == visit.pk and Visit.objects.count() == 1

    # Two sends racing: both miss the first lookup, the loser's insert hits the unique
    # constraint, and it answers with the winner's report.
    def insert_loses(*args, **kwargs):
        raise IntegrityError("visit_unique_client_uuid")

    lookups = iter([None, visit])
    monkeypatch.setattr(services, "_sent_before", lambda actor, key: next(lookups))
    monkeypatch.setattr(services, "_create", insert_loses)
    assert make_visit(world, client_uuid=uuid.UUID(int=7)).pk == visit.pk
    assert Visit.objects.count() == 1
