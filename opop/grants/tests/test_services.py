import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from opop.common.models import AuditEvent
from opop.grants import services
from opop.grants.models import (
    AccountabilityReport,
    Disbursement,
    GrantEvent,
    GrantProposal,
    LoanApplication,
)
from opop.grants.tests.helpers import (
    AMOUNT,
    LINES,
    account_for,
    agreed,
    all_ok,
    pay,
    pdf,
    proposal,
    scheme,
    today,
)

pytestmark = pytest.mark.django_db


def test_full_path_proposal_to_closure(world):
    s = scheme(world)
    admin, manager = world.user("admin"), world.user("manager_a")
    p = proposal(world, s, submit=False)
    services.attachment_add(actor=manager, proposal=p, title="Profil koperasi", upload=pdf())
    p = services.proposal_submit(actor=manager, proposal=p)
    # Needs fixing, then fixed and resubmitted.
    p = services.proposal_verify(
        actor=admin, proposal=p, decision="needs_fixing", checklist={}, note="Rincian anggaran?"
    )
    assert p.status == GrantProposal.Status.NEEDS_FIXING
    p = services.proposal_update(
        actor=manager, proposal=p, plan="Rencana diperbaiki.", amount_requested=AMOUNT, lines=LINES
    )
    p = services.proposal_submit(actor=manager, proposal=p)
    p = services.proposal_verify(actor=admin, proposal=p, decision="verified", checklist=all_ok())
    p = services.agreement_record(
        actor=admin, proposal=p, nphd_number="NPHD/1", nphd_date=today(), upload=pdf()
    )
    assert p.status == GrantProposal.Status.AGREED and p.agreed_amount == AMOUNT
    assert services.planned_tranches(p) == [35_000_000, 15_000_000]
    first = pay(world, p, 35_000_000, "k1")
    account_for(world, first, amount=34_000_000)
    second = pay(world, p, 15_000_000, "k2")
    account_for(world, second)
    assert services.money_position(p) == {
        "disbursed": AMOUNT,
        "accounted": 49_000_000,
        "unspent": 1_000_000,
    }
    p = services.proposal_close(
        actor=admin, proposal=p, remaining_returned=True, returned_amount=1_000_000, note="Sisa"
    )
    assert p.status == GrantProposal.Status.CLOSED
    kinds = list(GrantEvent.objects.filter(proposal=p).values_list("kind", flat=True))
    assert kinds == [
        "submitted",
        "submitted",
        "agreed",
        "disbursed",
        "lpj_accepted",
        "disbursed",
        "lpj_accepted",
        "closed",
    ]
    audited = AuditEvent.objects.filter(target_type="grants.grantproposal", target_id=p.pk)
    assert audited.count() >= 6


def test_amount_above_scheme_and_lines_not_adding_up_are_refused(world):
    s = scheme(world)
    with pytest.raises(ValidationError, match="At most"):
        services.proposal_create(
            actor=world.user("manager_a"),
            scheme=s,
            cooperative=world.coop_a,
            plan="x",
            amount_requested=AMOUNT + 1,
            lines=[{"description": "a", "amount": AMOUNT + 1}],
        )
    with pytest.raises(ValidationError, match="add up"):
        services.proposal_create(
            actor=world.user("manager_a"),
            scheme=s,
            cooperative=world.coop_a,
            plan="x",
            amount_requested=AMOUNT,
            lines=[{"description": "a", "amount": 1}],
        )


def test_second_live_proposal_and_closed_window_are_refused(world):
    s = scheme(world)
    proposal(world, s)
    with pytest.raises(ValidationError):
        proposal(world, s)
    s.closes_on = today() - dt.timedelta(days=1)
    s.opens_on = today() - dt.timedelta(days=5)
    s.save()
    with pytest.raises(ValidationError, match="not taking proposals"):
        proposal(world, s, coop=world.coop_b, manager="manager_b")


def test_invalid_moves_are_refused(world):
    s = scheme(world)
    admin = world.user("admin")
    p = proposal(world, s, submit=False)
    with pytest.raises(ValidationError):  # verify a draft
        services.proposal_verify(actor=admin, proposal=p, decision="verified", checklist=all_ok())
    p = services.proposal_submit(actor=world.user("manager_a"), proposal=p)
    with pytest.raises(ValidationError):  # sign before verification
        services.agreement_record(
            actor=admin, proposal=p, nphd_number="N", nphd_date=today(), upload=pdf()
        )
    with pytest.raises(ValidationError):  # pay before agreement
        pay(world, p, 1_000, "x")
    with pytest.raises(ValidationError, match="Tick every"):  # verified without checklist
        services.proposal_verify(actor=admin, proposal=p, decision="verified", checklist={})
    with pytest.raises(ValidationError):  # rejection needs a note
        services.proposal_verify(actor=admin, proposal=p, decision="rejected", checklist={})
    p = services.proposal_verify(
        actor=admin, proposal=p, decision="rejected", checklist={}, note="Tidak sesuai"
    )
    with pytest.raises(ValidationError):  # a rejected proposal cannot be resubmitted
        services.proposal_submit(actor=world.user("manager_a"), proposal=p)
    with pytest.raises(ValidationError):
        services.proposal_close(
            actor=admin, proposal=p, remaining_returned=False, returned_amount=0, note=""
        )


def test_agreement_within_scheme_budget(world):
    s = scheme(world, total=AMOUNT)
    agreed(world, s)
    p = proposal(world, s, coop=world.coop_b, manager="manager_b")
    p = services.proposal_verify(
        actor=world.user("admin"), proposal=p, decision="verified", checklist=all_ok()
    )
    with pytest.raises(ValidationError, match="budget"):
        services.agreement_record(
            actor=world.user("admin"), proposal=p, nphd_number="N2", nphd_date=today(), upload=pdf()
        )


def test_agreement_document_is_checked_by_content(world):
    s = scheme(world)
    p = proposal(world, s)
    p = services.proposal_verify(
        actor=world.user("admin"), proposal=p, decision="verified", checklist=all_ok()
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("nphd.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.agreement_record(
            actor=world.user("admin"), proposal=p, nphd_number="N", nphd_date=today(), upload=fake
        )
    assert "document" in exc.value.message_dict


def test_tranches_never_exceed_agreed_amount_and_wait_for_lpj(world):
    p = agreed(world)
    with pytest.raises(ValidationError, match="left to pay"):
        pay(world, p, AMOUNT + 1, "big")
    first = pay(world, p, 35_000_000, "k1")
    with pytest.raises(ValidationError, match="accountability report"):
        pay(world, p, 15_000_000, "k2")
    account_for(world, first)
    with pytest.raises(ValidationError, match="left to pay"):
        pay(world, p, 15_000_001, "k2")
    pay(world, p, 15_000_000, "k2")
    with pytest.raises(ValidationError, match="Every tranche"):
        pay(world, p, 1, "k3")
    assert sum(Disbursement.objects.filter(proposal=p).values_list("amount", flat=True)) == AMOUNT


def test_retried_disbursement_with_the_same_key_pays_once(world):
    p = agreed(world)
    one = pay(world, p, 35_000_000, "same-key")
    again = pay(world, p, 35_000_000, "same-key")
    assert one.pk == again.pk
    assert Disbursement.objects.filter(proposal=p).count() == 1


def test_without_lpj_rule_next_tranche_may_follow(world):
    p = agreed(world, scheme(world, lpj_first=False))
    pay(world, p, 35_000_000, "a")
    pay(world, p, 15_000_000, "b")
    assert p.disbursements.count() == 2


def test_receipts_cannot_exceed_the_tranche_and_returned_report_is_fixed(world):
    p = agreed(world)
    first = pay(world, p, 35_000_000, "k1")
    manager = world.user("manager_a")
    with pytest.raises(ValidationError, match="more than this tranche"):
        services.receipt_add(
            actor=manager,
            disbursement=first,
            spent_on=today(),
            description="Terlalu besar",
            amount=35_000_001,
            upload=pdf(),
        )
    with pytest.raises(ValidationError, match="receipts"):
        services.report_submit(actor=manager, disbursement=first)
    report = account_for(world, first, accept=False)
    assert report.status == AccountabilityReport.Status.RETURNED
    services.report_submit(actor=manager, disbursement=first)
    report = services.report_decide(actor=world.user("admin"), disbursement=first, accept=True)
    assert report.status == AccountabilityReport.Status.ACCEPTED
    with pytest.raises(ValidationError):  # accepted reports are final
        services.report_decide(actor=world.user("admin"), disbursement=first, accept=True)


def test_close_refused_while_a_report_is_not_accepted(world):
    p = agreed(world, scheme(world, lpj_first=False))
    pay(world, p, 35_000_000, "a")
    with pytest.raises(ValidationError, match="accepted accountability report"):
        services.proposal_close(
            actor=world.user("admin"),
            proposal=p,
            remaining_returned=False,
            returned_amount=0,
            note="",
        )


def test_scheme_tranches_must_add_up_to_100(world):
    with pytest.raises(ValidationError):
        scheme(world, tranches=(50, 40))


def test_loan_moves(world):
    loan = services.loan_create(
        actor=world.user("manager_a"),
        cooperative=world.coop_a,
        bank_name="Bank Jatim Syariah",
        product="KUR Syariah",
        amount=100_000_000,
        submitted_on=today(),
    )
    with pytest.raises(ValidationError):  # disbursed before approval
        services.loan_move(actor=world.user("admin"), loan=loan, status="disbursed", on=today())
    loan = services.loan_move(actor=world.user("admin"), loan=loan, status="approved", on=today())
    loan = services.loan_move(actor=world.user("admin"), loan=loan, status="disbursed", on=today())
    assert loan.status == LoanApplication.Status.DISBURSED
    with pytest.raises(ValidationError):  # final
        services.loan_move(actor=world.user("admin"), loan=loan, status="rejected", on=today())
    assert GrantEvent.objects.filter(loan=loan).count() == 3
