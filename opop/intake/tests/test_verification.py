"""The verifier's decisions: complete, needs fixing, rejected; what the applicant is told."""

import pytest
from django.core.exceptions import ValidationError

from opop.common.models import AuditEvent
from opop.intake.models import Application, ApplicationEvent
from opop.intake.services.verification import application_decide, checklist_rows
from opop.intake.tests.factories import make_application, make_cohort
from opop.notifications.models import Notification

S = Application.Status


@pytest.fixture
def cohort(world):
    return make_cohort(world.jatim)


def _decide(world, application, decision, **kwargs):
    return application_decide(
        actor=world.user("admin"), application=application, decision=decision, **kwargs
    )


def test_complete_marks_the_file_verified_and_tells_the_applicant(world, cohort):
    application = make_application(cohort)
    _decide(world, application, S.VERIFIED, checklist={"nib": {"ok": True, "note": ""}})
    application.refresh_from_db()
    assert application.status == S.VERIFIED
    assert application.decided_at is not None
    event = application.events.get(action=ApplicationEvent.Action.VERIFIED)
    assert event.actor == world.user("admin")
    assert event.checklist == {"nib": {"ok": True, "note": ""}}
    note = Notification.objects.get(user=application.applicant)
    assert note.kind == "intake.verified"
    assert application.reference in note.title


def test_needs_fixing_tells_the_applicant_the_reasons_and_checklist_notes(world, cohort):
    application = make_application(cohort)
    _decide(
        world,
        application,
        S.NEEDS_FIXING,
        reasons="The NIB scan is unreadable.",
        checklist={
            "nib": {"ok": False, "note": "Blurred, please scan again"},
            "person": {"ok": True, "note": ""},
        },
    )
    application.refresh_from_db()
    assert application.status == S.NEEDS_FIXING
    assert application.decision_reason == "The NIB scan is unreadable."
    note = Notification.objects.get(user=application.applicant, kind="intake.needs_fixing")
    assert "The NIB scan is unreadable." in note.body
    assert "Blurred, please scan again" in note.body
    assert application.reference in note.url


def test_needs_fixing_without_reasons_is_refused_and_changes_nothing(world, cohort):
    application = make_application(cohort)
    with pytest.raises(ValidationError) as refused:
        _decide(world, application, S.NEEDS_FIXING, reasons="  ")
    assert "reasons" in refused.value.message_dict
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert not Notification.objects.exists()


def test_rejection_needs_reasons_and_is_recorded_with_them(world, cohort):
    application = make_application(cohort)
    with pytest.raises(ValidationError):
        _decide(world, application, S.REJECTED)
    _decide(world, application, S.REJECTED, reasons="Not a pesantren of this province.")
    event = application.events.get(action=ApplicationEvent.Action.REJECTED)
    assert event.reasons == "Not a pesantren of this province."
    assert Notification.objects.get(user=application.applicant).kind == "intake.rejected"


@pytest.mark.parametrize("status", [S.DRAFT, S.NEEDS_FIXING, S.VERIFIED, S.ACCEPTED, S.REJECTED])
def test_only_a_submitted_file_can_be_decided(world, cohort, status):
    application = make_application(cohort, status=status)
    with pytest.raises(ValidationError):
        _decide(world, application, S.VERIFIED)
    application.refresh_from_db()
    assert application.status == status


def test_a_file_cannot_be_declared_complete_with_items_marked_not_ok(world, cohort):
    application = make_application(cohort)
    with pytest.raises(ValidationError) as refused:
        _decide(world, application, S.VERIFIED, checklist={"nib": {"ok": False, "note": "x"}})
    assert "decision" in refused.value.message_dict


def test_unknown_checklist_items_and_decisions_are_refused(world, cohort):
    application = make_application(cohort)
    with pytest.raises(ValidationError):
        _decide(world, application, S.VERIFIED, checklist={"passport": {"ok": True}})
    with pytest.raises(ValidationError):
        _decide(world, application, S.ACCEPTED)


def test_the_decision_records_how_long_the_file_waited(world, cohort):
    application = make_application(cohort, submitted_days_ago=3)
    _decide(world, application, S.VERIFIED)
    event = application.events.get(action=ApplicationEvent.Action.VERIFIED)
    assert 3 * 86400 - 60 <= event.waited_seconds <= 3 * 86400 + 60


def test_the_decision_is_audited(world, cohort):
    application = make_application(cohort)
    _decide(world, application, S.REJECTED, reasons="Duplicate file.")
    row = AuditEvent.objects.get(target_type="intake.application", target_id=application.pk)
    assert row.actor == world.user("admin")
    assert row.changes["status"] == ["submitted", "rejected"]


def test_a_fixed_and_resubmitted_file_can_be_decided_again(world, cohort):
    application = make_application(cohort)
    _decide(world, application, S.NEEDS_FIXING, reasons="Upload the NPWP.")
    Application.objects.filter(pk=application.pk).update(status=S.SUBMITTED)  # resubmitted
    _decide(world, application, S.VERIFIED)
    actions = list(application.events.values_list("action", flat=True))
    assert actions == ["submitted", "needs_fixing", "verified"]


def test_checklist_rows_name_documents_and_field_groups():
    rows = checklist_rows({"nib": {"ok": False, "note": "n"}, "person": {"ok": True, "note": ""}})
    assert [r["label"] for r in rows] == ["NIB (business registration)", "Personal data"]
