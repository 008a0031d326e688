"""Demo grants: a Rp50,000,000-per-koppontren scheme for each of the last three programme years,
proposals from up to forty cooperatives a year, and a few KUR Syariah loans.

Past years' grants are mostly closed (two tranches, 70/30, each with an accepted accountability
report); this year's are spread over every step, from draft to the second tranche. Rows are
written with the ORM in a few bulk inserts, with the `GrantEvent` steps the services would have
written; receipts and agreements share one small demo PDF. Nothing is written when the
programme already has a scheme.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import uuid
from collections import Counter

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from opop.accounts.models import Membership, Role
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
from opop.registry.models import Cooperative

AMOUNT = 50_000_000
PER_YEAR = 40
PDF = b"%PDF-1.4\n%Dokumen demo hibah OPOP\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BUDGET_ITEMS = [
    ("Mesin produksi", 0.4),
    ("Bahan baku", 0.25),
    ("Kemasan dan label", 0.15),
    ("Pelatihan pengelola", 0.1),
    ("Pemasaran digital", 0.1),
]
PLANS = [
    "Meningkatkan kapasitas produksi unit usaha koperasi dan memperluas pemasaran.",
    "Membangun gerai koperasi dan sistem pembukuan digital.",
    "Membeli mesin pengemas agar produk memenuhi standar kurasi OPOP.",
]
# This year's proposals, spread over the steps (weights).
STAGES = {
    "draft": 2,
    "submitted": 4,
    "needs_fixing": 2,
    "rejected": 1,
    "verified": 3,
    "agreed": 3,
    "tranche1": 6,
    "lpj1": 4,
    "tranche2": 3,
}
Status = GrantProposal.Status


def seed_grants(programme, *, rng: random.Random, writer=None) -> Counter:
    counts: Counter = Counter()
    if GrantScheme.objects.filter(programme=programme).exists():
        return counts
    coops = list(
        Cooperative.objects.filter(programme=programme)
        .order_by("id")
        .values_list("id", "pesantren_id")
    )
    if not coops:
        return counts
    admin = (
        Membership.objects.filter(programme=programme, role=Role.ADMIN, is_active=True)
        .order_by("id")
        .values_list("user_id", flat=True)
        .first()
    )
    today = timezone.localdate()
    with transaction.atomic():
        plan = _Plan(programme=programme, admin_id=admin, rng=rng)
        for year in (today.year - 2, today.year - 1, today.year):
            chosen = rng.sample(coops, min(PER_YEAR, len(coops)))
            plan.year(year, chosen, today)
        plan.loans(coops, today)
        counts.update(plan.write())
    return counts


class _Plan:
    def __init__(self, *, programme, admin_id, rng):
        self.programme, self.admin_id, self.rng = programme, admin_id, rng
        self.proposals, self.lines, self.disbursements = [], [], []
        self.reports, self.receipts, self.events, self.loan_rows = [], [], [], []
        self.file_name = None

    def _file(self) -> str:
        if self.file_name is None:
            field = Receipt._meta.get_field("file")
            self.file_name = field.storage.save(
                f"grants/demo-{uuid.uuid4().hex}.pdf", ContentFile(PDF)
            )
        return self.file_name

    def _event(self, pesantren_id, proposal, kind, on, amount, label):
        self.events.append(
            GrantEvent(
                programme=self.programme,
                pesantren_id=pesantren_id,
                proposal=proposal,
                kind=kind,
                on=on,
                amount=amount,
                label=label,
            )
        )

    def year(self, year: int, chosen, today: dt.date) -> None:
        current = year == today.year
        opens = today - dt.timedelta(days=60) if current else dt.date(year, 1, 15)
        closes = today + dt.timedelta(days=30) if current else dt.date(year, 3, 31)
        scheme = GrantScheme.objects.create(
            programme=self.programme,
            year=year,
            name="Hibah Koppontren OPOP",
            amount_per_cooperative=AMOUNT,
            total_budget=AMOUNT * (PER_YEAR + 10),
            tranche_percentages=[70, 30],
            lpj_before_next_tranche=True,
            opens_on=opens,
            closes_on=closes,
        )
        stages = list(STAGES)
        weights = list(STAGES.values())
        for index, (coop_id, pesantren_id) in enumerate(chosen):
            if current:
                stage = self.rng.choices(stages, weights=weights)[0]
                start = today - dt.timedelta(days=55)
            else:
                stage = "rejected" if self.rng.random() < 0.1 else "closed"
                start = dt.date(year, 2, 1)
            self._proposal(scheme, coop_id, pesantren_id, stage, start, index, today)

    def _proposal(self, scheme, coop_id, pesantren_id, stage, start, index, today):
        rng = self.rng
        amount = AMOUNT if rng.random() < 0.8 else rng.randrange(30, 50) * 1_000_000
        submitted = start + dt.timedelta(days=rng.randrange(0, 10))
        status = {
            "draft": Status.DRAFT,
            "submitted": Status.SUBMITTED,
            "needs_fixing": Status.NEEDS_FIXING,
            "rejected": Status.REJECTED,
            "verified": Status.VERIFIED,
            "closed": Status.CLOSED,
        }.get(stage, Status.AGREED)
        step = list(STAGES).index(stage) if stage in STAGES else 99
        proposal = GrantProposal(
            programme=self.programme,
            scheme=scheme,
            cooperative_id=coop_id,
            status=status,
            plan=rng.choice(PLANS),
            amount_requested=amount,
            submitted_at=None if stage == "draft" else _at(submitted),
        )
        label = str(scheme)
        if stage != "draft":
            self._event(pesantren_id, proposal, GrantEvent.Kind.SUBMITTED, submitted, amount, label)
        if stage in ("needs_fixing", "rejected"):
            proposal.verification_note = "Rincian anggaran belum lengkap; lengkapi nota harga."
            proposal.verified_by_id, proposal.decided_at = self.admin_id, _at(submitted, 7)
        ok = {"ok": True, "note": ""}
        if step >= list(STAGES).index("verified"):
            proposal.checklist = dict.fromkeys(("cooperative", "plan", "budget", "attachments"), ok)
            proposal.verified_by_id, proposal.decided_at = self.admin_id, _at(submitted, 7)
        paid_days = []
        if step >= list(STAGES).index("agreed"):
            signed = submitted + dt.timedelta(days=12)
            proposal.nphd_number = f"NPHD/{scheme.year}/{index + 1:03d}/{coop_id}"
            proposal.nphd_date, proposal.agreed_amount = signed, amount
            proposal.nphd_file, proposal.nphd_content_type = self._file(), "application/pdf"
            self._event(pesantren_id, proposal, GrantEvent.Kind.AGREED, signed, amount, label)
            first = amount * 70 // 100
            tranches = [(first, signed + dt.timedelta(days=7))]
            if stage in ("tranche2", "closed"):
                days = 20 if stage == "tranche2" else 150
                tranches.append((amount - first, signed + dt.timedelta(days=days)))
            if stage in ("tranche1", "lpj1", "tranche2", "closed"):
                paid_days = tranches
        self.proposals.append(proposal)
        share = [int(amount * part) for _item, part in BUDGET_ITEMS]
        share[-1] = amount - sum(share[:-1])
        self.lines += [
            BudgetLine(proposal=proposal, position=i, description=item, amount=value)
            for i, ((item, _part), value) in enumerate(zip(BUDGET_ITEMS, share, strict=True))
        ]
        spent_total = 0
        for number, (value, paid_on) in enumerate(paid_days, start=1):
            disbursement = Disbursement(
                proposal=proposal,
                number=number,
                amount=value,
                paid_on=paid_on,
                transfer_reference=f"TRF{paid_on:%Y%m%d}{coop_id:05d}{number}",
                client_key=uuid.UUID(int=rng.getrandbits(128)).hex,
                recorded_by_id=self.admin_id,
            )
            self.disbursements.append(disbursement)
            self._event(pesantren_id, proposal, GrantEvent.Kind.DISBURSED, paid_on, value, label)
            accepted = stage == "closed" or (number == 1 and stage in ("lpj1", "tranche2"))
            if not accepted:
                continue
            # Accepted before the next tranche was paid (the scheme's rule).
            decided = min(paid_on + dt.timedelta(days=30 if stage == "closed" else 5), today)
            report = AccountabilityReport(
                disbursement=disbursement,
                status=AccountabilityReport.Status.ACCEPTED,
                summary="Dana digunakan sesuai rencana anggaran.",
                submitted_at=_at(decided, -3),
                decided_at=_at(decided),
                decided_by_id=self.admin_id,
            )
            self.reports.append(report)
            spent = value - (rng.randrange(0, 5) * 100_000 if number == 2 else 0)
            spent_total += spent
            self.receipts += self._receipts(report, spent, paid_on)
            self._event(pesantren_id, proposal, GrantEvent.Kind.LPJ_ACCEPTED, decided, spent, label)
        if stage == "closed":
            unspent = amount - spent_total
            proposal.closed_on = paid_days[-1][1] + dt.timedelta(days=75)
            proposal.remaining_returned = bool(unspent)
            proposal.returned_amount = unspent
            self._event(
                pesantren_id,
                proposal,
                GrantEvent.Kind.CLOSED,
                proposal.closed_on,
                spent_total,
                label,
            )

    def _receipts(self, report, total, paid_on):
        count = self.rng.randrange(2, 5)
        parts = [total // count] * count
        parts[-1] += total - sum(parts)
        digest = hashlib.sha256(PDF).hexdigest()
        return [
            Receipt(
                report=report,
                spent_on=paid_on + dt.timedelta(days=3 + i),
                description=f"Nota pembelian {i + 1}",
                amount=amount,
                file=self._file(),
                original_name=f"nota-{i + 1}.pdf",
                content_type="application/pdf",
                size=len(PDF),
                sha256=digest,
            )
            for i, amount in enumerate(parts)
        ]

    def loans(self, coops, today) -> None:
        rng = self.rng
        for coop_id, pesantren_id in rng.sample(coops, max(1, len(coops) // 10)):
            submitted = today - dt.timedelta(days=rng.randrange(20, 400))
            status = rng.choice(list(LoanApplication.Status))
            loan = LoanApplication(
                programme=self.programme,
                cooperative_id=coop_id,
                bank_name=rng.choice(["Bank Jatim Syariah", "BSI", "BPRS Bhakti Sumekar"]),
                product="KUR Syariah",
                amount=rng.randrange(5, 50) * 10_000_000,
                status=status,
                submitted_on=submitted,
            )
            later = min(submitted + dt.timedelta(days=14), today)
            if status != LoanApplication.Status.SUBMITTED:
                loan.decided_on = later
            if status == LoanApplication.Status.DISBURSED:
                loan.disbursed_on = min(later + dt.timedelta(days=7), today)
            self.loan_rows.append((loan, pesantren_id))

    def write(self) -> Counter:
        GrantProposal.objects.bulk_create(self.proposals)
        for line in self.lines:
            line.proposal_id = line.proposal.pk
        BudgetLine.objects.bulk_create(self.lines)
        for row in self.disbursements:
            row.proposal_id = row.proposal.pk
        Disbursement.objects.bulk_create(self.disbursements)
        for report in self.reports:
            report.disbursement_id = report.disbursement.pk
        AccountabilityReport.objects.bulk_create(self.reports)
        for receipt in self.receipts:
            receipt.report_id = receipt.report.pk
        Receipt.objects.bulk_create(self.receipts)
        LoanApplication.objects.bulk_create([loan for loan, _p in self.loan_rows])
        kinds = {
            LoanApplication.Status.APPROVED: [GrantEvent.Kind.LOAN_APPROVED],
            LoanApplication.Status.REJECTED: [GrantEvent.Kind.LOAN_REJECTED],
            LoanApplication.Status.DISBURSED: [
                GrantEvent.Kind.LOAN_APPROVED,
                GrantEvent.Kind.LOAN_DISBURSED,
            ],
        }
        for loan, pesantren_id in self.loan_rows:
            label = f"{loan.bank_name} — {loan.product}"
            steps = [(GrantEvent.Kind.LOAN_SUBMITTED, loan.submitted_on)]
            for kind in kinds.get(loan.status, []):
                on = (
                    loan.disbursed_on if kind == GrantEvent.Kind.LOAN_DISBURSED else loan.decided_on
                )
                steps.append((kind, on))
            for kind, on in steps:
                self.events.append(
                    GrantEvent(
                        programme=self.programme,
                        pesantren_id=pesantren_id,
                        loan=loan,
                        kind=kind,
                        on=on,
                        amount=loan.amount,
                        label=label,
                    )
                )
        for event in self.events:
            event.proposal_id = event.proposal.pk if event.proposal else None
            event.loan_id = event.loan.pk if event.loan else None
        GrantEvent.objects.bulk_create(self.events)
        return Counter(
            grant_schemes=GrantScheme.objects.filter(programme=self.programme).count(),
            grant_proposals=len(self.proposals),
            grant_disbursements=len(self.disbursements),
            grant_reports=len(self.reports),
            grant_receipts=len(self.receipts),
            loan_applications=len(self.loan_rows),
            grant_events=len(self.events),
        )


def _at(day: dt.date, days: int = 0) -> dt.datetime:
    moment = dt.datetime.combine(day + dt.timedelta(days=days), dt.time(10, 0))
    return timezone.make_aware(moment)
