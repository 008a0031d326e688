"""Every write of the grants app: one transaction each, the row locked before its state moves,
audited, and refused when the move is not allowed from the current state.

The caller (a view) has checked that `actor` may act on the object through the selectors; the
services check the state and the money: a proposal asks for at most the scheme's amount, its
budget lines add up to what it asks, agreements stay within the scheme's budget, and tranches
never add up to more than the agreed amount.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opop.common.audit import audit_record, audit_saved, diff, snapshot
from opop.common.models import AuditEvent
from opop.common.uploads import CheckedDocument, document_cleaned
from opop.grants.models import (
    AccountabilityReport,
    BudgetLine,
    Disbursement,
    GrantEvent,
    GrantProposal,
    GrantScheme,
    LoanApplication,
    ProposalAttachment,
    Receipt,
)
from opop.notifications.services import in_language_of, notify

Status = GrantProposal.Status
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
# What the verifier ticks on a submitted proposal.
CHECKLIST = {
    "cooperative": gettext_lazy("Cooperative is a legal entity with NIB and bank account"),
    "plan": gettext_lazy("Plan is clear and fits the scheme"),
    "budget": gettext_lazy("Budget lines are reasonable and add up"),
    "attachments": gettext_lazy("Attachments complete and readable"),
}


def checklist_items() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in CHECKLIST.items()]


def _today():
    return timezone.localdate()


def _event(*, proposal=None, loan=None, kind: str, on, amount: int = 0, label: str = ""):
    owner = proposal or loan
    GrantEvent.objects.create(
        programme_id=owner.programme_id,
        pesantren_id=owner.cooperative.pesantren_id,
        proposal=proposal,
        loan=loan,
        kind=kind,
        on=on,
        amount=amount,
        label=label[:200],
    )


def _tell(user, *, title: str, url: str, programme=None) -> None:
    if user is None:
        return
    with in_language_of(user):
        notify(user=user, kind="grants", title=str(title), url=url, programme=programme)


def _proposal_url(proposal) -> str:
    return f"/grants/proposals/{proposal.pk}/"


# --- files ---------------------------------------------------------------------------------


def check_upload(upload, *, field: str = "file") -> CheckedDocument:
    if upload is None:
        raise ValidationError({field: _("Choose a file to upload.")})
    if not upload.size:
        raise ValidationError({field: _("The file is empty.")})
    if upload.size > DOCUMENT_MAX_BYTES:
        raise ValidationError({field: _("The file is too large; at most 5 MB is accepted.")})
    upload.seek(0)
    try:
        return document_cleaned(upload.read(DOCUMENT_MAX_BYTES + 1))
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


def _file_columns(checked: CheckedDocument, upload) -> dict:
    return {
        "original_name": PurePath(str(getattr(upload, "name", "") or "document")).name[:200],
        "content_type": checked.content_type,
        "size": len(checked.content),
        "sha256": hashlib.sha256(checked.content).hexdigest(),
    }


# --- schemes -------------------------------------------------------------------------------


def _clean_percentages(values) -> list[int]:
    try:
        cleaned = [int(v) for v in values]
    except (TypeError, ValueError):
        raise ValidationError({"tranche_percentages": _("Give whole percentages.")}) from None
    if not cleaned or any(v <= 0 for v in cleaned) or sum(cleaned) != 100:
        raise ValidationError(
            {"tranche_percentages": _("Give one or more positive percentages adding up to 100.")}
        )
    return cleaned


@transaction.atomic
def scheme_save(*, actor, programme, scheme: GrantScheme | None = None, **fields) -> GrantScheme:
    if scheme is not None:
        scheme = GrantScheme.objects.select_for_update(of=("self",)).get(pk=scheme.pk)
        before = snapshot(scheme)
    else:
        scheme, before = GrantScheme(programme=programme), None
    fields["tranche_percentages"] = _clean_percentages(fields.get("tranche_percentages") or [])
    for name, value in fields.items():
        setattr(scheme, name, value)
    if scheme.amount_per_cooperative and scheme.total_budget < scheme.amount_per_cooperative:
        raise ValidationError(
            {"total_budget": _("The total budget is less than one cooperative's amount.")}
        )
    if before is not None:
        committed = committed_amount(scheme)
        if scheme.total_budget < committed:
            raise ValidationError(
                {"total_budget": _("The total budget is less than what is already committed.")}
            )
    scheme.full_clean()
    scheme.save()
    audit_saved(scheme, actor=actor, before=before)
    return scheme


def committed_amount(scheme: GrantScheme) -> int:
    return (
        GrantProposal.objects.filter(scheme=scheme, status__in=GrantProposal.COMMITTED).aggregate(
            total=Sum("agreed_amount")
        )["total"]
        or 0
    )


# --- proposals -----------------------------------------------------------------------------


def _clean_lines(lines: list[dict], amount: int) -> list[dict]:
    cleaned = [
        {"description": str(line["description"]).strip()[:200], "amount": int(line["amount"])}
        for line in lines
        if str(line.get("description") or "").strip() and line.get("amount") is not None
    ]
    if not cleaned:
        raise ValidationError({"lines": _("Give at least one budget line.")})
    if any(line["amount"] <= 0 for line in cleaned):
        raise ValidationError({"lines": _("Every budget line needs a positive amount.")})
    if sum(line["amount"] for line in cleaned) != amount:
        raise ValidationError(
            {
                "lines": _("The budget lines add up to Rp%(sum)s, not the amount asked.")
                % {"sum": f"{sum(line['amount'] for line in cleaned):,}".replace(",", ".")}
            }
        )
    return cleaned


def _check_amount(scheme: GrantScheme, amount: int) -> None:
    if amount <= 0:
        raise ValidationError({"amount_requested": _("Ask for a positive amount.")})
    if amount > scheme.amount_per_cooperative:
        raise ValidationError(
            {
                "amount_requested": _("At most Rp%(max)s per cooperative in this scheme.")
                % {"max": f"{scheme.amount_per_cooperative:,}".replace(",", ".")}
            }
        )


@transaction.atomic
def proposal_create(
    *, actor, scheme: GrantScheme, cooperative, plan: str, amount_requested: int, lines: list
) -> GrantProposal:
    if cooperative.programme_id != scheme.programme_id:
        raise ValidationError(_("This cooperative is not in the scheme's programme."))
    if not scheme.opens_on <= _today() <= scheme.closes_on:
        raise ValidationError(_("This scheme is not taking proposals now."))
    _check_amount(scheme, amount_requested)
    cleaned = _clean_lines(lines, amount_requested)
    if (
        GrantProposal.objects.filter(scheme=scheme, cooperative=cooperative)
        .exclude(status=Status.REJECTED)
        .exists()
    ):
        raise ValidationError(_("This cooperative already has a proposal in this scheme."))
    proposal = GrantProposal(
        programme_id=scheme.programme_id,
        scheme=scheme,
        cooperative=cooperative,
        plan=plan.strip(),
        amount_requested=amount_requested,
        created_by=actor,
    )
    proposal.full_clean()
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError:
        raise ValidationError(
            _("This cooperative already has a proposal in this scheme.")
        ) from None
    BudgetLine.objects.bulk_create(
        BudgetLine(proposal=proposal, position=i, **line) for i, line in enumerate(cleaned)
    )
    audit_saved(proposal, actor=actor, before=None)
    return proposal


def _locked(proposal: GrantProposal) -> GrantProposal:
    return (
        GrantProposal.objects.select_for_update(of=("self",))
        .select_related("scheme", "cooperative")
        .get(pk=proposal.pk)
    )


def _require(proposal: GrantProposal, *allowed: str) -> None:
    if proposal.status not in allowed:
        raise ValidationError(
            _("Not possible while the proposal is %(status)s.")
            % {"status": proposal.get_status_display()}
        )


@transaction.atomic
def proposal_update(
    *, actor, proposal: GrantProposal, plan: str, amount_requested: int, lines: list
) -> GrantProposal:
    proposal = _locked(proposal)
    _require(proposal, *GrantProposal.EDITABLE)
    _check_amount(proposal.scheme, amount_requested)
    cleaned = _clean_lines(lines, amount_requested)
    before = snapshot(proposal)
    proposal.plan, proposal.amount_requested = plan.strip(), amount_requested
    proposal.full_clean()
    proposal.save()
    proposal.lines.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(proposal=proposal, position=i, **line) for i, line in enumerate(cleaned)
    )
    audit_saved(proposal, actor=actor, before=before)
    return proposal


@transaction.atomic
def attachment_add(*, actor, proposal: GrantProposal, title: str, upload) -> ProposalAttachment:
    proposal = _locked(proposal)
    _require(proposal, *GrantProposal.EDITABLE)
    checked = check_upload(upload)
    attachment = ProposalAttachment(
        proposal=proposal,
        title=(title or "").strip()[:200] or _("Attachment"),
        uploaded_by=actor,
        **_file_columns(checked, upload),
    )
    attachment.file.save(
        f"{uuid.uuid4().hex}.{checked.extension}", ContentFile(checked.content), save=False
    )
    attachment.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=attachment,
        programme_id=proposal.programme_id,
        changes={"sha256": [None, attachment.sha256]},
        note=f"grant proposal {proposal.pk}",
    )
    return attachment


@transaction.atomic
def proposal_submit(*, actor, proposal: GrantProposal) -> GrantProposal:
    proposal = _locked(proposal)
    _require(proposal, *GrantProposal.EDITABLE)
    scheme = proposal.scheme
    if proposal.status == Status.DRAFT and _today() > scheme.closes_on:
        raise ValidationError(_("The proposal window of this scheme has closed."))
    total = proposal.lines.aggregate(total=Sum("amount"))["total"] or 0
    if total != proposal.amount_requested:
        raise ValidationError(_("The budget lines do not add up to the amount asked."))
    before = snapshot(proposal)
    proposal.status, proposal.submitted_at = Status.SUBMITTED, timezone.now()
    proposal.save()
    audit_saved(proposal, actor=actor, before=before)
    _event(
        proposal=proposal,
        kind=GrantEvent.Kind.SUBMITTED,
        on=_today(),
        amount=proposal.amount_requested,
        label=str(scheme),
    )
    return proposal


VERIFY_DECISIONS = (Status.VERIFIED, Status.NEEDS_FIXING, Status.REJECTED)


@transaction.atomic
def proposal_verify(
    *, actor, proposal: GrantProposal, decision: str, checklist: dict, note: str = ""
) -> GrantProposal:
    proposal = _locked(proposal)
    _require(proposal, Status.SUBMITTED)
    if decision not in VERIFY_DECISIONS:
        raise ValidationError({"decision": _("Choose a decision.")})
    cleaned = {
        key: {"ok": bool(item.get("ok")), "note": str(item.get("note") or "")[:300]}
        for key, item in (checklist or {}).items()
        if key in CHECKLIST
    }
    note = (note or "").strip()
    if decision == Status.VERIFIED and (
        len(cleaned) < len(CHECKLIST) or not all(i["ok"] for i in cleaned.values())
    ):
        raise ValidationError({"decision": _("Tick every checklist item as OK before verifying.")})
    if decision != Status.VERIFIED and not note:
        raise ValidationError({"note": _("Say what is wrong: the manager will read it.")})
    before = snapshot(proposal)
    proposal.status = decision
    proposal.checklist, proposal.verification_note = cleaned, note
    proposal.verified_by, proposal.decided_at = actor, timezone.now()
    proposal.save()
    audit_saved(proposal, actor=actor, before=before)
    _tell(
        proposal.created_by,
        title=_("Your grant proposal: %(status)s") % {"status": proposal.get_status_display()},
        url=_proposal_url(proposal),
        programme=proposal.programme,
    )
    return proposal


@transaction.atomic
def agreement_record(
    *, actor, proposal: GrantProposal, nphd_number: str, nphd_date, upload
) -> GrantProposal:
    proposal = _locked(proposal)
    _require(proposal, Status.VERIFIED)
    # Lock the scheme too: two agreements at once must not overrun its budget together.
    scheme = GrantScheme.objects.select_for_update(of=("self",)).get(pk=proposal.scheme_id)
    nphd_number = (nphd_number or "").strip()
    if not nphd_number:
        raise ValidationError({"nphd_number": _("Give the NPHD number.")})
    if nphd_date > _today():
        raise ValidationError({"nphd_date": _("The signing date cannot be in the future.")})
    if (
        GrantProposal.objects.filter(programme_id=proposal.programme_id, nphd_number=nphd_number)
        .exclude(pk=proposal.pk)
        .exists()
    ):
        raise ValidationError({"nphd_number": _("This NPHD number is already recorded.")})
    if committed_amount(scheme) + proposal.amount_requested > scheme.total_budget:
        raise ValidationError(_("This agreement would exceed the scheme's total budget."))
    checked = check_upload(upload, field="document")
    before = snapshot(proposal)
    proposal.nphd_number, proposal.nphd_date = nphd_number, nphd_date
    proposal.agreed_amount = proposal.amount_requested
    proposal.nphd_content_type = checked.content_type
    proposal.nphd_file.save(
        f"{uuid.uuid4().hex}.{checked.extension}", ContentFile(checked.content), save=False
    )
    proposal.status = Status.AGREED
    proposal.save()
    audit_saved(proposal, actor=actor, before=before)
    _event(
        proposal=proposal,
        kind=GrantEvent.Kind.AGREED,
        on=nphd_date,
        amount=proposal.agreed_amount,
        label=str(scheme),
    )
    _tell(
        proposal.created_by,
        title=_("Grant agreement signed"),
        url=_proposal_url(proposal),
        programme=proposal.programme,
    )
    return proposal


def planned_tranches(proposal: GrantProposal) -> list[int]:
    """Each tranche's planned amount; the last takes the rounding remainder."""
    agreed = proposal.agreed_amount or 0
    percentages = proposal.scheme.tranche_percentages or [100]
    amounts = [agreed * p // 100 for p in percentages[:-1]]
    return [*amounts, agreed - sum(amounts)]


@transaction.atomic
def tranche_disburse(
    *,
    actor,
    proposal: GrantProposal,
    amount: int,
    paid_on,
    transfer_reference: str,
    client_key: str,
) -> Disbursement:
    """Pay the next tranche. Idempotent on `client_key`: the same key returns the tranche it
    already recorded. The proposal row is locked so that two payments at once are counted
    one after the other and never exceed the agreed amount together."""
    client_key = (client_key or "").strip()[:64]
    if not client_key:
        raise ValidationError(_("The form was incomplete; reload the page and try again."))
    proposal = _locked(proposal)
    existing = Disbursement.objects.filter(proposal=proposal, client_key=client_key).first()
    if existing is not None:
        return existing
    _require(proposal, Status.AGREED)
    transfer_reference = (transfer_reference or "").strip()
    if not transfer_reference:
        raise ValidationError({"transfer_reference": _("Give the bank transfer reference.")})
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("Give a positive amount.")})
    if paid_on > _today():
        raise ValidationError({"paid_on": _("The payment date cannot be in the future.")})
    paid = list(
        Disbursement.objects.filter(proposal=proposal).select_related("report").order_by("number")
    )
    if len(paid) >= proposal.scheme.tranche_count:
        raise ValidationError(_("Every tranche of this grant has been paid."))
    if paid and proposal.scheme.lpj_before_next_tranche:
        report = getattr(paid[-1], "report", None)
        if report is None or report.status != AccountabilityReport.Status.ACCEPTED:
            raise ValidationError(
                _("The previous tranche's accountability report must be accepted first.")
            )
    already = sum(d.amount for d in paid)
    if already + amount > proposal.agreed_amount:
        raise ValidationError(
            {
                "amount": _("Only Rp%(left)s of the agreed amount is left to pay.")
                % {"left": f"{proposal.agreed_amount - already:,}".replace(",", ".")}
            }
        )
    disbursement = Disbursement.objects.create(
        proposal=proposal,
        number=len(paid) + 1,
        amount=amount,
        paid_on=paid_on,
        transfer_reference=transfer_reference[:100],
        client_key=client_key,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=disbursement,
        programme_id=proposal.programme_id,
        changes={"number": [None, disbursement.number], "amount": [None, amount]},
        note=f"grant proposal {proposal.pk}",
    )
    _event(
        proposal=proposal,
        kind=GrantEvent.Kind.DISBURSED,
        on=paid_on,
        amount=amount,
        label=str(proposal.scheme),
    )
    _tell(
        proposal.created_by,
        title=_("Grant tranche %(number)s paid") % {"number": disbursement.number},
        url=_proposal_url(proposal),
        programme=proposal.programme,
    )
    return disbursement


# --- accountability reports (LPJ) ----------------------------------------------------------


def _locked_report(disbursement: Disbursement) -> AccountabilityReport:
    report, _created = AccountabilityReport.objects.get_or_create(disbursement=disbursement)
    return (
        AccountabilityReport.objects.select_for_update(of=("self",))
        .select_related("disbursement__proposal")
        .get(pk=report.pk)
    )


@transaction.atomic
def report_save(*, actor, disbursement: Disbursement, summary: str) -> AccountabilityReport:
    _locked(disbursement.proposal)
    report = _locked_report(disbursement)
    if report.status not in AccountabilityReport.EDITABLE:
        raise ValidationError(_("This report can no longer be changed."))
    before = snapshot(report)
    report.summary = (summary or "").strip()
    report.save()
    audit_saved(report, actor=actor, before=before, programme_id=disbursement.proposal.programme_id)
    return report


@transaction.atomic
def receipt_add(
    *, actor, disbursement: Disbursement, spent_on, description: str, amount: int, upload
) -> Receipt:
    _locked(disbursement.proposal)
    report = _locked_report(disbursement)
    if report.status not in AccountabilityReport.EDITABLE:
        raise ValidationError(_("This report can no longer be changed."))
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("Give a positive amount.")})
    if spent_on > _today():
        raise ValidationError({"spent_on": _("The date cannot be in the future.")})
    total = report.receipts.aggregate(total=Sum("amount"))["total"] or 0
    if total + amount > disbursement.amount:
        raise ValidationError(
            {"amount": _("The receipts would add up to more than this tranche paid.")}
        )
    checked = check_upload(upload)
    receipt = Receipt(
        report=report,
        spent_on=spent_on,
        description=(description or "").strip()[:200],
        amount=amount,
        **_file_columns(checked, upload),
    )
    receipt.full_clean(exclude=["file", "report"])
    receipt.file.save(
        f"{uuid.uuid4().hex}.{checked.extension}", ContentFile(checked.content), save=False
    )
    receipt.save()
    audit_saved(receipt, actor=actor, before=None, programme_id=disbursement.proposal.programme_id)
    return receipt


@transaction.atomic
def receipt_delete(*, actor, receipt: Receipt) -> None:
    report = _locked_report(receipt.report.disbursement)
    if report.status not in AccountabilityReport.EDITABLE:
        raise ValidationError(_("This report can no longer be changed."))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        instance=receipt,
        programme_id=report.disbursement.proposal.programme_id,
        changes={"amount": [receipt.amount, None]},
    )
    name, storage = receipt.file.name, receipt.file.storage
    receipt.delete()
    transaction.on_commit(lambda: storage.delete(name))


def receipts_total(report: AccountabilityReport) -> int:
    return report.receipts.aggregate(total=Sum("amount"))["total"] or 0


@transaction.atomic
def report_submit(*, actor, disbursement: Disbursement) -> AccountabilityReport:
    _locked(disbursement.proposal)
    report = _locked_report(disbursement)
    if report.status not in AccountabilityReport.EDITABLE:
        raise ValidationError(_("This report is not open for submission."))
    total = receipts_total(report)
    if total <= 0:
        raise ValidationError(_("Add the receipts before submitting."))
    if total > disbursement.amount:
        raise ValidationError(_("The receipts add up to more than this tranche paid."))
    if not report.summary:
        raise ValidationError({"summary": _("Summarise what the money was spent on.")})
    before = snapshot(report)
    report.status, report.submitted_at = AccountabilityReport.Status.SUBMITTED, timezone.now()
    report.save()
    audit_saved(report, actor=actor, before=before, programme_id=disbursement.proposal.programme_id)
    return report


@transaction.atomic
def report_decide(
    *, actor, disbursement: Disbursement, accept: bool, note: str = ""
) -> AccountabilityReport:
    proposal = _locked(disbursement.proposal)
    report = _locked_report(disbursement)
    if report.status != AccountabilityReport.Status.SUBMITTED:
        raise ValidationError(_("This report is not waiting for a decision."))
    note = (note or "").strip()
    if not accept and not note:
        raise ValidationError({"note": _("Say what must be fixed: the manager will read it.")})
    before = snapshot(report)
    report.status = (
        AccountabilityReport.Status.ACCEPTED if accept else AccountabilityReport.Status.RETURNED
    )
    report.decided_at, report.decided_by, report.decision_note = timezone.now(), actor, note
    report.save()
    audit_saved(report, actor=actor, before=before, programme_id=proposal.programme_id)
    if accept:
        _event(
            proposal=proposal,
            kind=GrantEvent.Kind.LPJ_ACCEPTED,
            on=_today(),
            amount=receipts_total(report),
            label=str(proposal.scheme),
        )
    _tell(
        proposal.created_by,
        title=_("Accountability report: %(status)s") % {"status": report.get_status_display()},
        url=_proposal_url(proposal),
        programme=proposal.programme,
    )
    return report


# --- closure -------------------------------------------------------------------------------


def money_position(proposal: GrantProposal) -> dict:
    """Disbursed, accounted for (accepted receipts) and left unaccounted."""
    disbursed = proposal.disbursements.aggregate(total=Sum("amount"))["total"] or 0
    accounted = (
        Receipt.objects.filter(
            report__disbursement__proposal=proposal,
            report__status=AccountabilityReport.Status.ACCEPTED,
        ).aggregate(total=Sum("amount"))["total"]
        or 0
    )
    return {"disbursed": disbursed, "accounted": accounted, "unspent": disbursed - accounted}


@transaction.atomic
def proposal_close(
    *, actor, proposal: GrantProposal, remaining_returned: bool, returned_amount: int, note: str
) -> GrantProposal:
    proposal = _locked(proposal)
    _require(proposal, Status.AGREED)
    disbursements = list(proposal.disbursements.select_related("report"))
    if not disbursements:
        raise ValidationError(_("Nothing has been paid: a grant closes after its tranches."))
    if any(
        getattr(d, "report", None) is None
        or d.report.status != AccountabilityReport.Status.ACCEPTED
        for d in disbursements
    ):
        raise ValidationError(_("Every paid tranche needs an accepted accountability report."))
    position = money_position(proposal)
    returned_amount = returned_amount or 0
    if returned_amount < 0 or returned_amount > position["unspent"]:
        raise ValidationError(
            {"returned_amount": _("More than the unspent amount cannot be returned.")}
        )
    if remaining_returned and position["unspent"] and returned_amount != position["unspent"]:
        raise ValidationError(
            {"returned_amount": _("Give the amount returned: all of the unspent funds.")}
        )
    if not remaining_returned and returned_amount:
        raise ValidationError(
            {"returned_amount": _("Tick 'returned' when an amount was returned.")}
        )
    before = snapshot(proposal)
    proposal.status, proposal.closed_on = Status.CLOSED, _today()
    proposal.remaining_returned = remaining_returned
    proposal.returned_amount = returned_amount
    proposal.closure_note = (note or "").strip()
    proposal.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=proposal,
        changes=diff(before, snapshot(proposal)),
        note="closed",
    )
    _event(
        proposal=proposal,
        kind=GrantEvent.Kind.CLOSED,
        on=proposal.closed_on,
        amount=position["accounted"],
        label=str(proposal.scheme),
    )
    return proposal


# --- loans ---------------------------------------------------------------------------------


@transaction.atomic
def loan_create(
    *, actor, cooperative, bank_name: str, product: str, amount: int, submitted_on, note: str = ""
) -> LoanApplication:
    if submitted_on > _today():
        raise ValidationError({"submitted_on": _("The date cannot be in the future.")})
    loan = LoanApplication(
        programme_id=cooperative.programme_id,
        cooperative=cooperative,
        bank_name=bank_name.strip(),
        product=product.strip(),
        amount=amount,
        submitted_on=submitted_on,
        note=(note or "").strip(),
        recorded_by=actor,
    )
    loan.full_clean()
    loan.save()
    audit_saved(loan, actor=actor, before=None)
    _event(
        loan=loan,
        kind=GrantEvent.Kind.LOAN_SUBMITTED,
        on=submitted_on,
        amount=amount,
        label=f"{loan.bank_name} — {loan.product}",
    )
    return loan


LOAN_EVENTS = {
    LoanApplication.Status.APPROVED: GrantEvent.Kind.LOAN_APPROVED,
    LoanApplication.Status.REJECTED: GrantEvent.Kind.LOAN_REJECTED,
    LoanApplication.Status.DISBURSED: GrantEvent.Kind.LOAN_DISBURSED,
}


@transaction.atomic
def loan_move(*, actor, loan: LoanApplication, status: str, on, note: str = "") -> LoanApplication:
    loan = (
        LoanApplication.objects.select_for_update(of=("self",))
        .select_related("cooperative")
        .get(pk=loan.pk)
    )
    if status not in LoanApplication.MOVES.get(loan.status, ()):
        raise ValidationError(
            _("A loan cannot move from %(old)s to %(new)s.")
            % {"old": loan.get_status_display(), "new": status}
        )
    if on > _today() or on < loan.submitted_on:
        raise ValidationError({"on": _("The date must lie between submission and today.")})
    before = snapshot(loan)
    loan.status = status
    if status == LoanApplication.Status.DISBURSED:
        loan.disbursed_on = on
    else:
        loan.decided_on = on
    if note:
        loan.note = note.strip()[:255]
    loan.save()
    audit_saved(loan, actor=actor, before=before)
    _event(
        loan=loan,
        kind=LOAN_EVENTS[status],
        on=on,
        amount=loan.amount,
        label=f"{loan.bank_name} — {loan.product}",
    )
    return loan
