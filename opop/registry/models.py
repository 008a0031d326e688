"""The programme's register: pesantren, their cooperatives, people, enterprises, and who takes
part in which pillar. Every record belongs to one programme; natural keys (NSPP, NIB, NIK) are
unique within it."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opop.common.models import TimeStampedModel
from opop.imports.storage import private_storage
from opop.programmes.models import Pillar


class RecordStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")


class Pesantren(TimeStampedModel):
    class Kind(models.TextChoices):
        SALAF = "salaf", _("Salaf (traditional)")
        KHALAF = "khalaf", _("Khalaf (modern)")
        COMBINED = "combined", _("Combined")

    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("programme"),
    )
    nspp = models.CharField(_("NSPP"), max_length=12, blank=True, help_text=_("12 digits."))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, blank=True)
    regency = models.ForeignKey(
        "regions.Region",
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
    leader_name = models.CharField(_("leader (pengasuh)"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    founded_year = models.PositiveSmallIntegerField(_("founded in"), null=True, blank=True)
    santri_count = models.PositiveIntegerField(_("number of santri"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.ACTIVE
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("pesantren")
        verbose_name_plural = _("pesantren")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "nspp"], condition=~Q(nspp=""), name="pesantren_nspp_unique"
            )
        ]
        indexes = [
            models.Index(fields=["programme", "regency"]),
            models.Index(fields=["programme", "name"]),
        ]

    def __str__(self) -> str:
        return self.name


class Cooperative(TimeStampedModel):
    """A koperasi pondok pesantren (koppontren)."""

    class LegalStatus(models.TextChoices):
        NOT_INCORPORATED = "none", _("Not a legal entity yet")
        IN_PROCESS = "in_process", _("Incorporation in process")
        INCORPORATED = "incorporated", _("Legal entity (berbadan hukum)")

    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("programme"),
    )
    pesantren = models.ForeignKey(
        Pesantren,
        on_delete=models.PROTECT,
        related_name="cooperatives",
        verbose_name=_("pesantren"),
    )
    name = models.CharField(_("name"), max_length=200)
    legal_status = models.CharField(
        _("legal status"),
        max_length=12,
        choices=LegalStatus.choices,
        default=LegalStatus.NOT_INCORPORATED,
    )
    legal_number = models.CharField(_("legal entity number"), max_length=100, blank=True)
    legal_date = models.DateField(_("legal entity date"), null=True, blank=True)
    nik_koperasi = models.CharField(_("NIK koperasi"), max_length=40, blank=True)
    nib = models.CharField(_("NIB"), max_length=13, blank=True, help_text=_("13 digits."))
    npwp = models.CharField(_("NPWP"), max_length=16, blank=True, help_text=_("15 or 16 digits."))
    chair_name = models.CharField(_("chair"), max_length=150, blank=True)
    members_count = models.PositiveIntegerField(_("members"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.ACTIVE
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "nib"], condition=~Q(nib=""), name="cooperative_nib_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Person(TimeStampedModel):
    """A santri, alumnus, ustadz or community member in the programme.

    The NIK is never stored in clear: see `opop.common.pii`.
    """

    class Gender(models.TextChoices):
        MALE = "L", _("Male")
        FEMALE = "P", _("Female")

    class Affiliation(models.TextChoices):
        SANTRI = "santri", _("Santri")
        ALUMNI = "alumni", _("Alumni")
        USTADZ = "ustadz", _("Ustadz/teacher")
        COMMUNITY = "community", _("Community member")

    # The people table grows to millions of rows and takes bulk imports: its foreign keys to
    # reference data get no index of their own where the composite indexes below (programme,
    # regency, name) already serve every query, since each extra index slows every insert.
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("programme"),
        db_index=False,
    )
    full_name = models.CharField(_("full name"), max_length=150)
    nik_hash = models.CharField(max_length=64, blank=True, editable=False)
    nik_cipher = models.CharField(max_length=80, blank=True, editable=False)
    nik_masked = models.CharField(_("NIK"), max_length=40, blank=True, editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_place = models.CharField(_("birth place"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    regency = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kabupaten/kota"),
        db_index=False,
    )
    district = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kecamatan"),
        db_index=False,
    )
    pesantren = models.ForeignKey(
        Pesantren,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        verbose_name=_("pesantren"),
    )
    affiliation = models.CharField(
        _("affiliation"), max_length=10, choices=Affiliation.choices, blank=True
    )
    consent_purpose = models.CharField(_("purpose of processing"), max_length=255, blank=True)
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    guardian_name = models.CharField(_("guardian's name"), max_length=150, blank=True)
    guardian_relation = models.CharField(_("guardian's relation"), max_length=50, blank=True)
    guardian_consent_at = models.DateTimeField(_("guardian's consent given"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "nik_hash"],
                condition=~Q(nik_hash=""),
                name="person_nik_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "regency", "full_name"]),
            models.Index(fields=["programme", "full_name"]),
        ]

    def __str__(self) -> str:
        return self.full_name


class Enterprise(TimeStampedModel):
    """A business run by a participant, a pesantren or its cooperative."""

    class Sector(models.TextChoices):
        FOOD = "food", _("Food and beverages")
        FASHION = "fashion", _("Fashion and textiles")
        CRAFT = "craft", _("Crafts")
        AGRI = "agri", _("Agriculture, livestock, fisheries")
        SERVICES = "services", _("Services")
        TRADE = "trade", _("Trade and retail")
        DIGITAL = "digital", _("Digital and creative")
        OTHER = "other", _("Other")

    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("programme"),
    )
    name = models.CharField(_("name"), max_length=200)
    owner = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprises",
        verbose_name=_("owner"),
    )
    pesantren = models.ForeignKey(
        Pesantren,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprises",
        verbose_name=_("pesantren"),
    )
    cooperative = models.ForeignKey(
        Cooperative,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprises",
        verbose_name=_("cooperative"),
    )
    nib = models.CharField(_("NIB"), max_length=13, blank=True)
    sector = models.CharField(_("sector"), max_length=10, choices=Sector.choices)
    description = models.TextField(_("description"), blank=True)
    regency = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kabupaten/kota"),
    )
    started_year = models.PositiveSmallIntegerField(_("started in"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    monthly_revenue = models.BigIntegerField(_("monthly revenue (Rp)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.ACTIVE
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "nib"], condition=~Q(nib=""), name="enterprise_nib_unique"
            ),
            models.CheckConstraint(
                condition=Q(monthly_revenue__isnull=True) | Q(monthly_revenue__gte=0),
                name="enterprise_revenue_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["programme", "regency"])]

    def __str__(self) -> str:
        return self.name


class Participation(TimeStampedModel):
    """Someone taking part in one pillar, from a cohort year on.

    Santripreneur and sociopreneur are people; pesantrenpreneur is a pesantren (through its
    cooperative). `regency` is copied from the subject so that counts by kab/kota need no joins.
    """

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        ACTIVE = "active", _("Active")
        GRADUATED = "graduated", _("Graduated")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    COUNTED = (Status.ACTIVE, Status.GRADUATED)

    # Served by the composite (programme, …) indexes below; see Person.
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("programme"),
        db_index=False,
    )
    pillar = models.CharField(_("pillar"), max_length=20, choices=Pillar.choices)
    cohort_year = models.PositiveSmallIntegerField(_("cohort year"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("person"),
    )
    pesantren = models.ForeignKey(
        Pesantren,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("pesantren"),
    )
    enterprise = models.ForeignKey(
        Enterprise,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participations",
        verbose_name=_("enterprise"),
    )
    regency = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kabupaten/kota"),
        db_index=False,
    )

    class Meta:
        ordering = ["-cohort_year", "pillar"]
        verbose_name = _("pillar participation")
        verbose_name_plural = _("pillar participations")
        constraints = [
            models.CheckConstraint(
                condition=(Q(pillar="pesantrenpreneur") & Q(pesantren__isnull=False))
                | (~Q(pillar="pesantrenpreneur") & Q(person__isnull=False)),
                name="participation_has_subject",
            ),
            models.UniqueConstraint(
                fields=["programme", "pillar", "person"],
                condition=Q(person__isnull=False),
                name="participation_person_once_per_pillar",
            ),
            models.UniqueConstraint(
                fields=["programme", "pillar", "pesantren"],
                condition=Q(person__isnull=True),
                name="participation_pesantren_once_per_pillar",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "pillar", "cohort_year", "status"]),
            models.Index(fields=["programme", "regency", "pillar"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_pillar_display()} {self.cohort_year}"


class RegistryExport(TimeStampedModel):
    """A large list export, written by a background task: a 100,000-row workbook takes longer
    than a request should. The reader's role is taken again from `membership` when it runs."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="registry_exports"
    )
    membership = models.ForeignKey(
        "accounts.Membership", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    register = models.CharField(_("register"), max_length=16)
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    file = models.FileField(
        storage=private_storage, upload_to="registry-exports/%Y/%m/", max_length=200, blank=True
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    # Exports carry personal data: the file goes after `REGISTRY_EXPORT_RETENTION_DAYS`.
    file_purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("registry export")
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.register} export {self.pk}"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
