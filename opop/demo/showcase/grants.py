"""The showcase cooperative's grants and loans: closed grants of 2020 and 2022 (NPHD, two
tranches, two accepted LPJ with receipts, closure) and a KUR Syariah loan in 2018 and 2025, with
the grant events the journey reads. Written with the ORM, as the grants seed does."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

from opop.demo.showcase.context import PDF, Context, date_of, stamp
from opop.grants.models import (
    AccountabilityReport,
    BudgetLine,
    Disbursement,
    GrantEvent,
    GrantProposal,
    GrantScheme,
    LoanApplication,
    Receipt,
)

# Grants: (scheme year, submitted, agreed, [(tranche day, LPJ accepted day)], closed).
GRANTS = (
    (2020, (2020, 2, 10), (2020, 3, 9),
     (((2020, 3, 16), (2020, 8, 14)), ((2020, 9, 1), (2021, 1, 20))), (2021, 3, 15)),
    (2022, (2022, 2, 7), (2022, 3, 7),
     (((2022, 3, 14), (2022, 8, 22)), ((2022, 9, 5), (2023, 1, 16))), (2023, 3, 13)),
)  # fmt: skip
GRANT_AMOUNT = 50_000_000
GRANT_SCHEME = "Hibah Koppontren OPOP"
# Loans: (bank, product, amount, submitted, approved, disbursed)
LOANS = (
    ("Bank Jatim Syariah", "KUR Syariah", 100_000_000, (2018, 6, 4), (2018, 6, 25), (2018, 7, 9)),
    ("Bank Jatim Syariah", "KUR Syariah", 250_000_000, (2025, 5, 12), (2025, 6, 2), (2025, 6, 16)),
)


def write(ctx: Context) -> None:
    coop = ctx.cooperative
    if coop is None:
        return
    events: list[GrantEvent] = []
    proposals = 0
    for plan in GRANTS:
        if ctx.past(date_of(plan[-1])):
            proposals += _grant(ctx, coop, plan, events)
    loans = []
    for bank, product, amount, submitted, approved, disbursed in LOANS:
        if not ctx.past(date_of(disbursed)):
            continue
        loan = LoanApplication(
            programme=ctx.programme,
            cooperative=coop,
            bank_name=bank,
            product=product,
            amount=amount,
            status=LoanApplication.Status.DISBURSED,
            submitted_on=date_of(submitted),
            decided_on=date_of(approved),
            disbursed_on=date_of(disbursed),
            recorded_by_id=ctx.admin_id,
        )
        loans.append(loan)
    LoanApplication.objects.bulk_create(loans)
    for loan in loans:
        label = f"{loan.bank_name} — {loan.product}"
        for kind, on in (
            (GrantEvent.Kind.LOAN_SUBMITTED, loan.submitted_on),
            (GrantEvent.Kind.LOAN_APPROVED, loan.decided_on),
            (GrantEvent.Kind.LOAN_DISBURSED, loan.disbursed_on),
        ):
            events.append(_grant_event(ctx, kind, on, loan.amount, label, loan=loan))
    GrantEvent.objects.bulk_create(events)
    ctx.counts.update(
        history_grant_proposals=proposals,
        history_loans=len(loans),
        history_grant_events=len(events),
    )


def _grant(ctx: Context, coop, plan, events: list) -> int:
    """One closed grant of `plan`; 0 when the cooperative has a proposal (not rejected) there."""
    year, submitted, agreed, tranches, closed = plan
    opens, closes = dt.date(year, 1, 15), dt.date(year, 3, 31)
    scheme, _created = GrantScheme.objects.get_or_create(
        programme=ctx.programme,
        year=year,
        name=GRANT_SCHEME,
        defaults={
            "amount_per_cooperative": GRANT_AMOUNT,
            "total_budget": GRANT_AMOUNT * 50,
            "tranche_percentages": [70, 30],
            "lpj_before_next_tranche": True,
            "opens_on": opens,
            "closes_on": closes,
        },
    )
    live = GrantProposal.objects.filter(scheme=scheme, cooperative=coop)
    if live.exclude(status=GrantProposal.Status.REJECTED).exists():
        return 0
    label, signed = str(scheme), date_of(agreed)
    proposal = GrantProposal.objects.create(
        programme=ctx.programme,
        scheme=scheme,
        cooperative=coop,
        status=GrantProposal.Status.CLOSED,
        plan="Menambah mesin produksi dan kemasan produk unggulan koperasi.",
        amount_requested=GRANT_AMOUNT,
        created_by_id=ctx.manager_id,
        submitted_at=stamp(date_of(submitted)),
        checklist=dict.fromkeys(
            ("cooperative", "plan", "budget", "attachments"), {"ok": True, "note": ""}
        ),
        verified_by_id=ctx.admin_id,
        decided_at=stamp(date_of(submitted) + dt.timedelta(days=14)),
        nphd_number=f"NPHD/{year}/H/{ctx.pesantren.pk}",
        nphd_date=signed,
        agreed_amount=GRANT_AMOUNT,
        nphd_file=ctx.file(),
        nphd_content_type="application/pdf",
        closed_on=date_of(closed),
        remaining_returned=False,
        returned_amount=0,
        closure_note="Dana digunakan seluruhnya sesuai rencana.",
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(proposal=proposal, position=i, description=text, amount=value)
        for i, (text, value) in enumerate(
            (("Mesin produksi", 30_000_000), ("Kemasan dan label", 12_000_000),
             ("Pemasaran digital", 8_000_000))
        )
    )  # fmt: skip

    def add(kind, on, amount):
        events.append(_grant_event(ctx, kind, on, amount, label, proposal=proposal))

    add(GrantEvent.Kind.SUBMITTED, date_of(submitted), GRANT_AMOUNT)
    add(GrantEvent.Kind.AGREED, signed, GRANT_AMOUNT)
    first = GRANT_AMOUNT * 70 // 100
    for number, ((paid, accepted), amount) in enumerate(
        zip(tranches, (first, GRANT_AMOUNT - first), strict=True), start=1
    ):
        paid_on, accepted_on = date_of(paid), date_of(accepted)
        disbursement = Disbursement.objects.create(
            proposal=proposal,
            number=number,
            amount=amount,
            paid_on=paid_on,
            transfer_reference=f"TRF{paid_on:%Y%m%d}{coop.pk:05d}{number}",
            client_key=uuid.UUID(int=ctx.rng.getrandbits(128)).hex,
            recorded_by_id=ctx.admin_id,
        )
        report = AccountabilityReport.objects.create(
            disbursement=disbursement,
            status=AccountabilityReport.Status.ACCEPTED,
            summary="Dana tahap ini digunakan sesuai rencana anggaran.",
            submitted_at=stamp(accepted_on - dt.timedelta(days=10)),
            decided_at=stamp(accepted_on),
            decided_by_id=ctx.admin_id,
        )
        Receipt.objects.bulk_create(_receipts(ctx, report, amount, paid_on))
        add(GrantEvent.Kind.DISBURSED, paid_on, amount)
        add(GrantEvent.Kind.LPJ_ACCEPTED, accepted_on, amount)
    add(GrantEvent.Kind.CLOSED, date_of(closed), GRANT_AMOUNT)
    return 1


def _grant_event(ctx: Context, kind, on, amount, label, *, proposal=None, loan=None) -> GrantEvent:
    return GrantEvent(
        programme=ctx.programme,
        pesantren_id=ctx.pesantren.pk,
        proposal=proposal,
        loan=loan,
        kind=kind,
        on=on,
        amount=amount,
        label=label,
    )


def _receipts(ctx: Context, report, total: int, paid_on: dt.date) -> list[Receipt]:
    """Three receipts adding up to the tranche, all pointing at the one demo PDF."""
    parts = [total // 3] * 3
    parts[-1] += total - sum(parts)
    digest = hashlib.sha256(PDF).hexdigest()
    return [
        Receipt(
            report=report,
            spent_on=paid_on + dt.timedelta(days=5 + 20 * i),
            description=f"Nota pembelian {i + 1}",
            amount=amount,
            file=ctx.file(),
            original_name=f"nota-{i + 1}.pdf",
            content_type="application/pdf",
            size=len(PDF),
            sha256=digest,
        )
        for i, amount in enumerate(parts)
    ]
