"""Grants and financing (issue 5, point 5): schemes, proposals, agreements (NPHD), tranches,
accountability reports (LPJ) with receipts, closure; and loan applications to partner banks.

Money is whole Rupiah. The state of a proposal moves only through `opop.grants.services`; each
move writes a `GrantEvent`, which the journey page and the transparency page read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opop.common.models import TimeStampedModel
from opop.imports.storage import private_storage


def grant_upload_to(instance, filename: str) -> str:
    # The uploader's file name never reaches the disk: services pass a random name.
    return f"grants/{filename}"


class StoredFile(models.Model):
    """A checked upload (see `opop.common.uploads`) in private storage."""

    file = models.FileField(storage=private_storage, upload_to=grant_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)

    class Meta:
        abstract = True


class GrantScheme(TimeStampedModel):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("programme year"))
    name = models.CharField(_("name"), max_length=200)
    amount_per_cooperative = models.PositiveBigIntegerField(_("amount per cooperative (Rp)"))
    total_budget = models.PositiveBigIntegerField(_("total budget (Rp)"))
    # Percent of the agreed amount per tranche, in order; they add up to 100.
    tranche_percentages = models.JSONField(_("tranches (%)"), default=list)
    lpj_before_next_tranche = models.BooleanField(
        _("next tranche only after the previous tranche's report is accepted"), default=True
    )
    opens_on = models.DateField(_("proposals from"))
    closes_on = models.DateField(_("proposals until"))

    class Meta:
        ordering = ["-year", "name", "id"]
        verbose_name = _("grant scheme")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "name"], name="grant_scheme_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="grant_scheme_window"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"

    @property
    def tranche_count(self) -> int:
        return len(self.tranche_percentages or [])


class GrantProposal(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        NEEDS_FIXING = "needs_fixing", _("needs fixing")
        REJECTED = "rejected", _("rejected")
        VERIFIED = "verified", _("verified")
        AGREED = "agreed", _("agreement signed")
        CLOSED = "closed", _("closed")

    EDITABLE = (Status.DRAFT, Status.NEEDS_FIXING)
    COMMITTED = (Status.AGREED, Status.CLOSED)

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="+"
    )
    scheme = models.ForeignKey(GrantScheme, on_delete=models.PROTECT, related_name="proposals")
    cooperative = models.ForeignKey(
        "registry.Cooperative", on_delete=models.PROTECT, related_name="grant_proposals"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    plan = models.TextField(_("plan"))
    amount_requested = models.PositiveBigIntegerField(_("amount asked (Rp)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Verification: {"item": {"ok": bool, "note": str}} and the verifier's note to the manager.
    checklist = models.JSONField(default=dict, blank=True)
    verification_note = models.TextField(_("verifier's note"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Grant agreement (NPHD).
    nphd_number = models.CharField(_("NPHD number"), max_length=100, blank=True)
    nphd_date = models.DateField(_("NPHD date"), null=True, blank=True)
    agreed_amount = models.PositiveBigIntegerField(_("agreed amount (Rp)"), null=True, blank=True)
    nphd_file = models.FileField(
        storage=private_storage, upload_to=grant_upload_to, max_length=200, blank=True
    )
    nphd_content_type = models.CharField(max_length=40, blank=True)
    # Closure.
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    remaining_returned = models.BooleanField(_("remaining funds returned"), null=True, blank=True)
    returned_amount = models.PositiveBigIntegerField(_("returned (Rp)"), default=0)
    closure_note = models.TextField(_("closure note"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("grant proposal")
        constraints = [
            # One live proposal per cooperative and scheme; a rejected one may be followed.
            models.UniqueConstraint(
                fields=["scheme", "cooperative"],
                condition=~Q(status="rejected"),
                name="grant_proposal_one_live",
            ),
            models.UniqueConstraint(
                fields=["programme", "nphd_number"],
                condition=~Q(nphd_number=""),
                name="grant_proposal_nphd_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} — {self.cooperative}"


class BudgetLine(models.Model):
    proposal = models.ForeignKey(GrantProposal, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(_("item"), max_length=200)
    amount = models.PositiveBigIntegerField(_("amount (Rp)"))

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.description


class ProposalAttachment(StoredFile):
    proposal = models.ForeignKey(
        GrantProposal, on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class Disbursement(models.Model):
    """One tranche paid: number 1..n of the scheme's tranches."""

    proposal = models.ForeignKey(
        GrantProposal, on_delete=models.PROTECT, related_name="disbursements"
    )
    number = models.PositiveSmallIntegerField(_("tranche"))
    amount = models.PositiveBigIntegerField(_("amount (Rp)"))
    paid_on = models.DateField(_("paid on"))
    transfer_reference = models.CharField(_("bank transfer reference"), max_length=100)
    # Sent by the form; the same key twice is the same payment (a retried submit).
    client_key = models.CharField(max_length=64)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="disbursement_number"),
            models.UniqueConstraint(fields=["proposal", "client_key"], name="disbursement_key"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_positive"),
        ]

    def __str__(self) -> str:
        return f"#{self.number} Rp{self.amount}"


class AccountabilityReport(TimeStampedModel):
    """The LPJ for one tranche: what the money was spent on, with receipts."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for fixing")
        ACCEPTED = "accepted", _("accepted")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    disbursement = models.OneToOneField(
        Disbursement, on_delete=models.PROTECT, related_name="report"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    summary = models.TextField(_("summary of what was done"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.TextField(_("reviewer's note"), blank=True)


class Receipt(StoredFile):
    report = models.ForeignKey(
        AccountabilityReport, on_delete=models.CASCADE, related_name="receipts"
    )
    spent_on = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=200)
    amount = models.PositiveBigIntegerField(_("amount (Rp)"))

    class Meta:
        ordering = ["spent_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="receipt_positive"),
        ]

    def __str__(self) -> str:
        return self.description


class LoanApplication(TimeStampedModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        DISBURSED = "disbursed", _("disbursed")

    # Allowed moves; anything else is refused.
    MOVES = {
        Status.SUBMITTED: (Status.APPROVED, Status.REJECTED),
        Status.APPROVED: (Status.DISBURSED, Status.REJECTED),
    }

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="+"
    )
    cooperative = models.ForeignKey(
        "registry.Cooperative", on_delete=models.PROTECT, related_name="loan_applications"
    )
    bank_name = models.CharField(_("bank"), max_length=120)
    product = models.CharField(_("product"), max_length=120)
    amount = models.PositiveBigIntegerField(_("amount (Rp)"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_on = models.DateField(_("submitted on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    disbursed_on = models.DateField(_("disbursed on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="loan_positive"),
        ]


class GrantEvent(models.Model):
    """A step in a cooperative's grants and loans, kept for the pesantren's journey (one indexed
    read). Written by the services only; `amount` carries no personal data."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Grant proposal submitted")
        AGREED = "agreed", _("Grant agreement (NPHD) signed")
        DISBURSED = "disbursed", _("Grant tranche disbursed")
        LPJ_ACCEPTED = "lpj_accepted", _("Accountability report accepted")
        CLOSED = "closed", _("Grant closed")
        LOAN_SUBMITTED = "loan_submitted", _("Loan application submitted")
        LOAN_APPROVED = "loan_approved", _("Loan approved")
        LOAN_REJECTED = "loan_rejected", _("Loan rejected")
        LOAN_DISBURSED = "loan_disbursed", _("Loan disbursed")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    pesantren = models.ForeignKey("registry.Pesantren", on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey(
        GrantProposal, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    loan = models.ForeignKey(
        LoanApplication, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    on = models.DateField()
    amount = models.PositiveBigIntegerField(default=0)
    label = models.CharField(max_length=200, blank=True)  # scheme name or bank and product

    class Meta:
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["pesantren", "on"], name="grant_event_pesantren_on")]

    def __str__(self) -> str:
        return f"{self.on} {self.kind}"
