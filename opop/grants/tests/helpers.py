"""Building grants for tests through the services, so every row went through the rules."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from opop.grants import services
from opop.grants.models import GrantScheme

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
AMOUNT = 50_000_000


def pdf(name: str = "doc.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def today() -> dt.date:
    return timezone.localdate()


def scheme(world, *, total=500_000_000, tranches=(70, 30), lpj_first=True) -> GrantScheme:
    return services.scheme_save(
        actor=world.user("admin"),
        programme=world.jatim,
        year=today().year,
        name="Hibah Koppontren",
        amount_per_cooperative=AMOUNT,
        total_budget=total,
        tranche_percentages=list(tranches),
        lpj_before_next_tranche=lpj_first,
        opens_on=today() - dt.timedelta(days=10),
        closes_on=today() + dt.timedelta(days=20),
    )


LINES = [
    {"description": "Mesin pengemas", "amount": 30_000_000},
    {"description": "Bahan baku", "amount": 20_000_000},
]


def proposal(world, the_scheme, *, coop=None, manager="manager_a", submit=True):
    p = services.proposal_create(
        actor=world.user(manager),
        scheme=the_scheme,
        cooperative=coop or world.coop_a,
        plan="Memperluas produksi keripik.",
        amount_requested=AMOUNT,
        lines=LINES,
    )
    if submit:
        p = services.proposal_submit(actor=world.user(manager), proposal=p)
    return p


def all_ok() -> dict:
    return {key: {"ok": True} for key in services.CHECKLIST}


def agreed(world, the_scheme=None, *, coop=None, manager="manager_a", number="NPHD/001"):
    the_scheme = the_scheme or scheme(world)
    p = proposal(world, the_scheme, coop=coop, manager=manager)
    admin = world.user("admin")
    p = services.proposal_verify(actor=admin, proposal=p, decision="verified", checklist=all_ok())
    return services.agreement_record(
        actor=admin, proposal=p, nphd_number=number, nphd_date=today(), upload=pdf()
    )


def pay(world, p, amount, key):
    return services.tranche_disburse(
        actor=world.user("admin"),
        proposal=p,
        amount=amount,
        paid_on=today(),
        transfer_reference=f"TRF-{key}",
        client_key=key,
    )


def account_for(world, disbursement, *, amount=None, accept=True):
    manager = world.user("manager_a")
    services.report_save(actor=manager, disbursement=disbursement, summary="Dibelanjakan.")
    services.receipt_add(
        actor=manager,
        disbursement=disbursement,
        spent_on=today(),
        description="Nota pembelian",
        amount=amount or disbursement.amount,
        upload=pdf(),
    )
    services.report_submit(actor=manager, disbursement=disbursement)
    return services.report_decide(
        actor=world.user("admin"),
        disbursement=disbursement,
        accept=accept,
        note="" if accept else "Kurang nota",
    )
