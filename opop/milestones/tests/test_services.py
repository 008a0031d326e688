"""Claims, decisions and the stored level: the rules the services keep."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from opop.common.models import AuditEvent
from opop.milestones import services
from opop.milestones.defaults import DEFAULT_ITEMS
from opop.milestones.models import LevelChange, MilestoneItem, PesantrenLevel, PesantrenMilestone
from opop.milestones.tests.helpers import checklist, claimed, item, verified
from opop.notifications.models import Notification

pytestmark = pytest.mark.django_db
Status = PesantrenMilestone.Status


@pytest.fixture
def items(world):
    return checklist(world.jatim)


def level_of(pesantren) -> int:
    row = PesantrenLevel.objects.filter(pesantren=pesantren).first()
    return row.level if row else 0


def test_a_claim_keeps_the_checked_file_privately(world, items):
    row = claimed(world, world.pesantren_a, items["founded"])
    assert row.status == Status.CLAIMED
    assert row.evidence_type == "application/pdf"
    assert row.evidence_name == "nib.pdf"
    assert row.evidence.name.startswith(f"milestones/{world.pesantren_a.pk}/")
    assert not row.evidence.name.endswith("nib.pdf")  # the uploader's name never reaches disk
    with pytest.raises(ValueError):
        _ = row.evidence.url  # private: no URL
    assert AuditEvent.objects.filter(target_id=row.pk, note="claim founded").exists()


def test_a_claim_refuses_a_file_that_is_not_a_document(world, items):
    fake = SimpleUploadedFile("nib.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.milestone_claim(
            actor=world.user("manager_a"),
            pesantren=world.pesantren_a,
            item=items["founded"],
            upload=fake,
        )
    assert "evidence" in exc.value.message_dict
    assert not PesantrenMilestone.objects.filter(status=Status.CLAIMED).exists()


def test_an_item_needing_evidence_refuses_a_note_alone(world, items):
    with pytest.raises(ValidationError) as exc:
        services.milestone_claim(
            actor=world.user("manager_a"),
            pesantren=world.pesantren_a,
            item=items["founded"],
            note="we did it",
        )
    assert "evidence" in exc.value.message_dict


def test_an_item_without_required_evidence_takes_a_note_but_not_nothing(world, items):
    args = {"actor": world.user("manager_a"), "pesantren": world.pesantren_a}
    with pytest.raises(ValidationError):
        services.milestone_claim(**args, item=items["chosen"], note="  ")
    row = services.milestone_claim(**args, item=items["chosen"], note="Keripik tempe")
    assert row.status == Status.CLAIMED and not row.evidence


def test_the_file_size_limit_is_enforced(world, items, settings):
    settings.MILESTONE_EVIDENCE_MAX_BYTES = 10
    with pytest.raises(ValidationError) as exc:
        claimed(world, world.pesantren_a, items["founded"])
    assert "too large" in " ".join(exc.value.message_dict["evidence"])


def test_another_programmes_item_cannot_be_claimed(world, items):
    foreign = item(world.kalsel, "nib", 1)
    with pytest.raises(ValidationError):
        claimed(world, world.pesantren_a, foreign)


def test_verifying_every_level_one_item_moves_the_pesantren_up(world, items):
    verified(world, world.pesantren_a, items["founded"])
    assert level_of(world.pesantren_a) == 0
    verified(world, world.pesantren_a, items["chosen"], claimer="facilitator", verifier="officer")
    assert level_of(world.pesantren_a) == 1
    change = LevelChange.objects.get(pesantren=world.pesantren_a)
    assert (change.from_level, change.to_level) == (0, 1)
    row = PesantrenLevel.objects.get(pesantren=world.pesantren_a)
    assert row.verified_count == 2 and row.reached_on is not None


def test_a_higher_item_verified_early_counts_once_the_lower_level_is_done(world, items):
    verified(world, world.pesantren_a, items["nib"])
    verified(world, world.pesantren_a, items["founded"])
    assert level_of(world.pesantren_a) == 0
    verified(world, world.pesantren_a, items["chosen"])
    assert level_of(world.pesantren_a) == 2
    change = LevelChange.objects.get(pesantren=world.pesantren_a)
    assert (change.from_level, change.to_level) == (0, 2)


def test_a_rejection_needs_a_reason_and_tells_the_manager(world, items):
    row = claimed(world, world.pesantren_a, items["founded"], persona="facilitator")
    with pytest.raises(ValidationError) as exc:
        services.milestone_decide(actor=world.user("admin"), claim=row, verify=False)
    assert "reason" in exc.value.message_dict
    services.milestone_decide(
        actor=world.user("admin"), claim=row, verify=False, reason="Akta tidak terbaca"
    )
    row.refresh_from_db()
    assert row.status == Status.REJECTED and row.reason == "Akta tidak terbaca"
    assert row.decided_by == world.user("admin")
    told = Notification.objects.filter(kind="milestones.rejected")
    assert {n.user for n in told} == {world.user("manager_a"), world.user("facilitator")}
    assert "Akta tidak terbaca" in told.get(user=world.user("manager_a")).body
    assert not Notification.objects.filter(user=world.user("manager_b")).exists()


def test_a_rejected_item_can_be_claimed_again_and_a_verified_one_cannot(world, items):
    row = claimed(world, world.pesantren_a, items["founded"])
    services.milestone_decide(actor=world.user("admin"), claim=row, verify=False, reason="x")
    row = claimed(world, world.pesantren_a, items["founded"])
    assert row.status == Status.CLAIMED and row.reason == "" and row.decided_by is None
    services.milestone_decide(actor=world.user("admin"), claim=row, verify=True)
    with pytest.raises(ValidationError):
        claimed(world, world.pesantren_a, items["founded"])


def test_a_decision_on_a_claim_no_longer_waiting_is_refused(world, items):
    row = verified(world, world.pesantren_a, items["founded"])
    with pytest.raises(ValidationError):
        services.milestone_decide(actor=world.user("admin"), claim=row, verify=False, reason="x")
    assert PesantrenMilestone.objects.get(pk=row.pk).status == Status.VERIFIED


def test_a_corrected_claim_replaces_its_file_and_keeps_a_waiting_file(world, items):
    row = claimed(world, world.pesantren_a, items["founded"])
    first = row.evidence.name
    again = services.milestone_claim(
        actor=world.user("manager_a"),
        pesantren=world.pesantren_a,
        item=items["founded"],
        note="corrected note",
    )
    assert again.evidence.name == first  # a note-only correction keeps the file
    assert again.note == "corrected note"


def test_adding_an_item_holds_back_and_retiring_it_restores(world, items):
    admin = world.user("admin")
    for key in ("founded", "chosen"):
        verified(world, world.pesantren_a, items[key])
    assert level_of(world.pesantren_a) == 1
    extra = services.milestone_item_save(
        actor=admin,
        programme=world.jatim,
        data={"code": "bank", "name": "Bank", "aspect": "financing", "level": 1, "order": 5},
    )
    assert level_of(world.pesantren_a) == 0
    down = LevelChange.objects.filter(pesantren=world.pesantren_a).latest("pk")
    assert (down.from_level, down.to_level) == (1, 0)
    services.milestone_item_save(
        actor=admin, programme=world.jatim, item=extra, data={"is_active": False}
    )
    assert level_of(world.pesantren_a) == 1


def test_an_item_code_is_unique_in_its_programme(world, items):
    with pytest.raises(ValidationError) as exc:
        services.milestone_item_save(
            actor=world.user("admin"),
            programme=world.jatim,
            data={"code": "nib", "name": "NIB", "aspect": "institutional", "level": 2},
        )
    assert "code" in exc.value.message_dict
    # Another programme may use the same code.
    services.milestone_item_save(
        actor=world.user("kalsel_admin"),
        programme=world.kalsel,
        data={"code": "nib", "name": "NIB", "aspect": "institutional", "level": 2},
    )


def test_load_milestones_adds_the_default_list_once(world):
    call_command("load_milestones", "jatim", "kalsel", stdout=io.StringIO())
    for programme in (world.jatim, world.kalsel):
        items = MilestoneItem.objects.filter(programme=programme)
        assert items.count() == len(DEFAULT_ITEMS)
        assert set(items.values_list("level", flat=True)) == {1, 2, 3, 4}
        codes = set(items.values_list("code", flat=True))
        assert {"legal_entity", "nib", "npwp", "bank_account", "rat_this_year", "bookkeeping",
                "halal_flagship", "first_mart_sale"} <= codes  # fmt: skip
    edited = MilestoneItem.objects.get(programme=world.jatim, code="nib")
    edited.name = "NIB (OSS RBA)"
    edited.save()
    call_command("load_milestones", stdout=io.StringIO())
    assert MilestoneItem.objects.filter(programme=world.jatim).count() == len(DEFAULT_ITEMS)
    assert MilestoneItem.objects.get(pk=edited.pk).name == "NIB (OSS RBA)"
