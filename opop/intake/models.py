"""Intake: yearly cohorts with their rules and quotas, applications with documents, verification.

An application is typed once by the applicant; on acceptance into a cohort it becomes registry
records (pesantren, cooperative, person, enterprise, participation) without retyping.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from opop.common.models import TimeStampedModel
from opop.imports.storage import private_storage
from opop.programmes.models import Pillar
from opop.registry.models import Cooperative, Enterprise, Person, Pesantren


class DocumentKind(models.TextChoices):
    NIB = "nib", _("NIB (business registration)")
    NPWP = "npwp", _("NPWP (tax number)")
    BANK = "bank", _("Bank account (first page of the passbook)")
    PESANTREN_PROFILE = "pesantren_profile", _("Pesantren profile")
    COOPERATIVE_PROFILE = "cooperative_profile", _("Cooperative profile")
    BUSINESS_PROFILE = "business_profile", _("Business profile")
    IDENTITY = "identity", _("Identity card (KTP)")
    LEGAL = "legal", _("Cooperative legal entity deed")
    OTHER = "other", _("Other document")


class Cohort(TimeStampedModel):
    """A yearly intake (angkatan) of one pillar, with its eligibility rules and quotas."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for registration")
        CLOSED = "closed", _("Closed")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="cohorts"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    pillar = models.CharField(_("pillar"), max_length=20, choices=Pillar.choices)
    name = models.CharField(_("name"), max_length=150)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    opens_on = models.DateField(_("registration opens"))
    closes_on = models.DateField(_("registration closes"))
    total_quota = models.PositiveIntegerField(
        _("total quota"), null=True, blank=True, help_text=_("Empty: no overall limit.")
    )
    # Eligibility rules, explained to the applicant when unmet (see intake/eligibility.py).
    require_nspp = models.BooleanField(_("NSPP required"), default=True)
    exclude_earlier_cohorts = models.BooleanField(
        _("not accepted in an earlier cohort"), default=True
    )
    min_age = models.PositiveSmallIntegerField(
        _("youngest age of the representative"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    max_age = models.PositiveSmallIntegerField(
        _("oldest age of the representative"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    # Document kinds (DocumentKind values) an application must carry before it can be submitted.
    required_documents = models.JSONField(_("required documents"), default=list, blank=True)
    notes = models.TextField(_("information for applicants"), blank=True)

    class Meta:
        ordering = ["-year", "pillar"]
        verbose_name = _("cohort")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "pillar"], name="cohort_one_per_pillar_year"
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="cohort_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True)
                | models.Q(max_age__isnull=True)
                | models.Q(max_age__gte=models.F("min_age")),
                name="cohort_age_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_for_pesantren(self) -> bool:
        return self.pillar == Pillar.PESANTRENPRENEUR


class CohortQuota(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="quotas")
    regency = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("kab/kota")
    )
    quota = models.PositiveIntegerField(_("quota"))

    class Meta:
        ordering = ["regency_id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "regency"], name="cohort_quota_per_regency")
        ]

    def __str__(self) -> str:
        return f"{self.regency_id}: {self.quota}"


class Application(TimeStampedModel):
    """One applicant's file for one cohort: typed fields for every registry record it becomes.

    Pesantren cohorts use the pesantren and cooperative fields with the representative as the
    person; santripreneur and sociopreneur cohorts use the person and business fields.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted, waiting for verification")
        NEEDS_FIXING = "needs_fixing", _("Needs fixing")
        VERIFIED = "verified", _("Complete")
        ACCEPTED = "accepted", _("Accepted into the cohort")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Statuses staff are waiting to act on (the verification queue).
    WAITING = (Status.SUBMITTED,)
    # Statuses in which the applicant may still change the file.
    EDITABLE = (Status.DRAFT, Status.NEEDS_FIXING)

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="applications"
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="applications", verbose_name=_("cohort")
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    # Shown to the applicant and staff, e.g. "JATIM-2026-P-000123"; never personal data.
    reference = models.CharField(_("reference"), max_length=30, unique=True)
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.DRAFT
    )
    regency = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kabupaten/kota"),
    )
    district = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kecamatan"),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)

    # Pesantren and cooperative (pesantrenpreneur cohorts).
    pesantren_name = models.CharField(_("pesantren name"), max_length=200, blank=True)
    nspp = models.CharField(_("NSPP"), max_length=12, blank=True)
    pesantren_kind = models.CharField(
        _("pesantren type"), max_length=10, choices=Pesantren.Kind.choices, blank=True
    )
    leader_name = models.CharField(_("leader (pengasuh)"), max_length=150, blank=True)
    founded_year = models.PositiveSmallIntegerField(_("founded in"), null=True, blank=True)
    cooperative_name = models.CharField(_("cooperative name"), max_length=200, blank=True)
    cooperative_legal_status = models.CharField(
        _("cooperative legal status"),
        max_length=15,
        choices=Cooperative.LegalStatus.choices,
        blank=True,
    )
    cooperative_legal_number = models.CharField(
        _("legal entity number"), max_length=100, blank=True
    )
    cooperative_nib = models.CharField(_("cooperative NIB"), max_length=13, blank=True)
    cooperative_npwp = models.CharField(_("cooperative NPWP"), max_length=16, blank=True)

    # The person: the representative of a pesantren, or the santri/alumnus applying.
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    nik_hash = models.CharField(max_length=64, blank=True, editable=False)
    nik_cipher = models.CharField(max_length=80, blank=True, editable=False)
    nik_masked = models.CharField(_("NIK"), max_length=40, blank=True, editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Person.Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    affiliation = models.CharField(
        _("relation to the pesantren"),
        max_length=12,
        choices=Person.Affiliation.choices,
        blank=True,
    )
    # The pesantren a santri or alumnus comes from, when it is already in the registry.
    origin_pesantren = models.ForeignKey(
        Pesantren,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("pesantren of origin"),
    )
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    # Santri are often minors: their data needs a parent's or guardian's consent (UU PDP).
    guardian_name = models.CharField(_("parent's or guardian's name"), max_length=150, blank=True)
    guardian_relation = models.CharField(_("relation to the applicant"), max_length=50, blank=True)
    guardian_consent_at = models.DateTimeField(_("guardian's consent given"), null=True, blank=True)

    # The business (santripreneur/sociopreneur; a pesantren's flagship business optional).
    business_name = models.CharField(_("business name"), max_length=200, blank=True)
    business_sector = models.CharField(
        _("sector"), max_length=10, choices=Enterprise.Sector.choices, blank=True
    )
    business_nib = models.CharField(_("business NIB"), max_length=13, blank=True)
    business_started_year = models.PositiveSmallIntegerField(
        _("business started in"), null=True, blank=True
    )
    business_description = models.TextField(_("business description"), blank=True)

    # Staff side.
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reasons"), blank=True)

    # What the application became on acceptance.
    pesantren = models.ForeignKey(
        Pesantren, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )
    cooperative = models.ForeignKey(
        Cooperative, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )
    enterprise = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    participation = models.ForeignKey(
        "registry.Participation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("application")
        indexes = [
            models.Index(fields=["programme", "status", "submitted_at"]),
            models.Index(fields=["programme", "regency", "status"]),
            models.Index(fields=["cohort", "status"]),
        ]
        constraints = [
            # One live file per applicant per cohort; a withdrawn or rejected one may be redone.
            models.UniqueConstraint(
                fields=["cohort", "applicant"],
                condition=~models.Q(status__in=["withdrawn", "rejected"]),
                name="application_one_live_per_cohort",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def display_name(self) -> str:
        if self.cohort.is_for_pesantren:
            return self.pesantren_name or self.reference
        return self.business_name or self.full_name or self.reference


def document_upload_to(instance: ApplicationDocument, filename: str) -> str:
    # The applicant's file name is never used on disk (kept only as `original_name`).
    return f"intake/{instance.application_id}/{instance.kind}-{instance.sha256[:16]}"


class ApplicationDocument(models.Model):
    """A document attached to an application; stored outside the web root, served by a check."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(storage=private_storage, upload_to=document_upload_to, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="one_document_per_kind")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class ApplicationEvent(models.Model):
    """The application's history: every submission and decision, with reasons and checklist."""

    class Action(models.TextChoices):
        CREATED = "created", _("Draft started")
        SUBMITTED = "submitted", _("Submitted")
        RESUBMITTED = "resubmitted", _("Resubmitted after fixing")
        NEEDS_FIXING = "needs_fixing", _("Asked to fix")
        VERIFIED = "verified", _("Verified complete")
        REJECTED = "rejected", _("Rejected")
        ACCEPTED = "accepted", _("Accepted into the cohort")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=15, choices=Action.choices)
    at = models.DateTimeField(auto_now_add=True)
    reasons = models.TextField(blank=True)
    # {key: {"ok": bool, "note": str}} as ticked by the verifier; a key is a document kind
    # (DocumentKind) or a field group (`services.verification.FIELD_GROUPS`).
    checklist = models.JSONField(default=dict, blank=True)
    # Seconds the file waited for this decision (from its latest submission), for reporting.
    waited_seconds = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.action}"
