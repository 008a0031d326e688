"""The pages: who may open and use them (refusals first), and what each shows."""

import pytest
from django.urls import reverse

from opop.milestones.models import PesantrenLevel, PesantrenMilestone
from opop.milestones.tests.helpers import checklist, claimed, pdf, verified

pytestmark = pytest.mark.django_db
Status = PesantrenMilestone.Status

NO_MILESTONES = ["participant", "juror", "partner", "buyer", "outsider"]


@pytest.fixture
def items(world):
    return checklist(world.jatim)


def checklist_url(pesantren):
    return reverse("milestones:checklist", args=[pesantren.pk])


def claim_url(pesantren, item):
    return reverse("milestones:claim", args=[pesantren.pk, item.pk])


def evidence_url(pesantren, item):
    return reverse("milestones:evidence", args=[pesantren.pk, item.pk])


def decide_url(row):
    return reverse("milestones:decide", args=[row.pk])


# --- Refusals ---------------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(world, items):
    client = world.client("anonymous")
    for url in (
        reverse("milestones:index"),
        checklist_url(world.pesantren_a),
        reverse("milestones:queue"),
        reverse("milestones:progress"),
        reverse("milestones:items"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url


@pytest.mark.parametrize("persona", NO_MILESTONES)
def test_roles_without_milestones_are_refused_everywhere(world, items, persona):
    row = claimed(world, world.pesantren_a, items["founded"])
    client = world.client(persona)
    for url in (
        reverse("milestones:index"),
        checklist_url(world.pesantren_a),
        evidence_url(world.pesantren_a, items["founded"]),
        reverse("milestones:queue"),
        reverse("milestones:progress"),
        reverse("milestones:items"),
        reverse("milestones:item_new"),
    ):
        assert client.get(url).status_code == 403, (persona, url)
    post = client.post(claim_url(world.pesantren_a, items["chosen"]), {"note": "x"})
    assert post.status_code == 403
    assert client.post(decide_url(row), {"decision": "verify"}).status_code == 403
    assert PesantrenMilestone.objects.get(pk=row.pk).status == Status.CLAIMED


@pytest.mark.parametrize("persona", ["officer", "facilitator", "manager_a", "kalsel_admin"])
def test_a_pesantren_out_of_scope_is_not_found(world, items, persona):
    """pesantren_b lies in Jombang, is not the facilitator's, is manager_b's, and not Kalsel's."""
    client = world.client(persona)
    verified(world, world.pesantren_b, items["founded"], claimer="manager_b")
    assert client.get(checklist_url(world.pesantren_b)).status_code == 404
    assert client.get(evidence_url(world.pesantren_b, items["founded"])).status_code == 404


@pytest.mark.parametrize("persona", ["admin", "officer", "auditor", "manager_b"])
def test_only_the_manager_and_the_facilitator_claim(world, items, persona):
    response = world.client(persona).post(
        claim_url(world.pesantren_a, items["chosen"]), {"note": "x"}
    )
    assert response.status_code in (403, 404)
    assert not PesantrenMilestone.objects.exists()


@pytest.mark.parametrize("persona", ["facilitator", "manager_a", "auditor", "kalsel_admin"])
def test_only_admins_and_officers_verify(world, items, persona):
    row = claimed(world, world.pesantren_a, items["founded"])
    response = world.client(persona).post(decide_url(row), {"decision": "verify"})
    assert response.status_code in (403, 404)
    assert PesantrenMilestone.objects.get(pk=row.pk).status == Status.CLAIMED


def test_an_officer_cannot_decide_outside_their_kab_kota(world, items):
    row = claimed(world, world.pesantren_b, items["founded"], persona="manager_b")
    response = world.client("officer").post(decide_url(row), {"decision": "verify"})
    assert response.status_code == 404
    assert PesantrenMilestone.objects.get(pk=row.pk).status == Status.CLAIMED


def test_a_claim_for_another_programmes_item_is_not_found(world, items):
    from opop.milestones.tests.helpers import item

    foreign = item(world.kalsel, "nib", 1)
    response = world.client("manager_a").post(claim_url(world.pesantren_a, foreign), {"note": "x"})
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["officer", "facilitator", "manager_a", "auditor"])
def test_only_programme_admins_edit_the_checklist(world, items, persona):
    client = world.client(persona)
    edit = reverse("milestones:item_edit", args=[items["nib"].pk])
    assert client.get(reverse("milestones:items")).status_code == 403
    assert client.post(edit, {"name": "changed"}).status_code == 403
    assert items["nib"].__class__.objects.get(pk=items["nib"].pk).name == "Nib"


def test_another_programmes_admin_cannot_edit_this_checklist(world, items):
    edit = reverse("milestones:item_edit", args=[items["nib"].pk])
    assert world.client("kalsel_admin").get(edit).status_code == 404


def test_pages_refuse_the_wrong_method(world, items):
    client = world.client("manager_a")
    assert client.get(claim_url(world.pesantren_a, items["chosen"])).status_code == 405
    assert client.post(checklist_url(world.pesantren_a)).status_code == 405


# --- What the pages do ------------------------------------------------------------------------


def test_the_manager_claims_with_evidence_on_their_checklist(world, items):
    client = world.client("manager_a")
    assert client.get(reverse("milestones:index"))["Location"] == checklist_url(world.pesantren_a)
    page = client.get(checklist_url(world.pesantren_a))
    assert page.status_code == 200
    assert page.context["may_claim"] and not page.context["may_verify"]
    response = client.post(
        claim_url(world.pesantren_a, items["founded"]), {"evidence": pdf(), "note": "rapat"}
    )
    assert response.status_code == 302
    row = PesantrenMilestone.objects.get(pesantren=world.pesantren_a, item=items["founded"])
    assert row.status == Status.CLAIMED and row.claimed_by == world.user("manager_a")
    download = client.get(evidence_url(world.pesantren_a, items["founded"]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_a_refused_claim_shows_why_and_saves_nothing(world, items):
    client = world.client("facilitator")
    response = client.post(
        claim_url(world.pesantren_a, items["founded"]), {"note": "no file"}, follow=True
    )
    assert response.status_code == 200
    assert not PesantrenMilestone.objects.filter(status=Status.CLAIMED).exists()
    assert [str(m) for m in response.context["messages"]]


def test_the_officer_verifies_from_the_queue(world, items):
    row = claimed(world, world.pesantren_a, items["founded"])
    claimed(world, world.pesantren_b, items["founded"], persona="manager_b")
    client = world.client("officer")
    queue = client.get(reverse("milestones:queue"))
    assert queue.status_code == 200
    assert [r.pk for r in queue.context["page"].object_list] == [row.pk]  # Jombang's not shown
    response = client.post(decide_url(row), {"decision": "verify", "next": "queue"})
    assert response["Location"] == reverse("milestones:queue")
    assert PesantrenMilestone.objects.get(pk=row.pk).status == Status.VERIFIED


def test_a_rejection_without_reason_is_refused_on_the_page(world, items):
    row = claimed(world, world.pesantren_a, items["founded"])
    world.client("admin").post(decide_url(row), {"decision": "reject", "reason": ""})
    assert PesantrenMilestone.objects.get(pk=row.pk).status == Status.CLAIMED


def test_the_facilitator_sees_the_queue_of_their_pesantren_without_buttons(world, items):
    claimed(world, world.pesantren_a, items["founded"])
    claimed(world, world.pesantren_b, items["founded"], persona="manager_b")
    page = world.client("facilitator").get(reverse("milestones:queue"))
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 1
    assert not page.context["may_verify"]


def test_progress_counts_pesantren_per_level_in_the_officers_kab_kota(world, items):
    for key in ("founded", "chosen"):
        verified(world, world.pesantren_a, items[key])
    admin = world.client("admin").get(reverse("milestones:progress"))
    rows = {row["code"]: row for row in admin.context["rows"]}
    assert rows["35.78"]["levels"][1] == 1 and rows["35.17"]["levels"][0] == 1
    officer = world.client("officer").get(reverse("milestones:progress"))
    assert [row["code"] for row in officer.context["rows"]] == ["35.78"]
    listing = world.client("officer").get(reverse("milestones:progress") + "?level=1")
    assert [p.pk for p in listing.context["listing"].object_list] == [world.pesantren_a.pk]
    # An officer asking for another kab/kota's list gets nothing of it.
    other = world.client("officer").get(reverse("milestones:progress") + "?regency=35.17")
    assert list(other.context["listing"].object_list) == []


def test_the_checklist_shows_the_level_and_the_decision(world, items):
    for key in ("founded", "chosen"):
        verified(world, world.pesantren_a, items[key])
    assert PesantrenLevel.objects.get(pesantren=world.pesantren_a).level == 1
    page = world.client("auditor").get(checklist_url(world.pesantren_a))
    assert page.status_code == 200
    assert page.context["level"] == 1
    assert not page.context["may_claim"] and not page.context["may_verify"]
    assert [g["verified"] for g in page.context["groups"]] == [2, 0, 0]


def test_the_admin_adds_an_item_and_levels_follow(world, items):
    for key in ("founded", "chosen"):
        verified(world, world.pesantren_a, items[key])
    client = world.client("admin")
    assert client.get(reverse("milestones:items")).status_code == 200
    response = client.post(
        reverse("milestones:item_new"),
        {
            "code": "bank",
            "name": "Rekening bank",
            "aspect": "financing",
            "level": 1,
            "order": 1,
            "evidence_required": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert PesantrenLevel.objects.get(pesantren=world.pesantren_a).level == 0
    duplicate = client.post(
        reverse("milestones:item_new"),
        {"code": "bank", "name": "x", "aspect": "financing", "level": 1, "order": 1},
    )
    assert duplicate.status_code == 200 and duplicate.context["form"].errors
