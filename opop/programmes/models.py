from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from opop.common.models import TimeStampedModel


class Pillar(models.TextChoices):
    SANTRIPRENEUR = "santripreneur", _("Santripreneur")
    PESANTRENPRENEUR = "pesantrenpreneur", _("Pesantrenpreneur")
    SOCIOPRENEUR = "sociopreneur", _("Sociopreneur")


class Programme(TimeStampedModel):
    """A province's OPOP programme. Every record in the platform belongs to exactly one."""

    code = models.SlugField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[a-z][a-z0-9-]*$", _("Lower-case letters, digits, dashes."))],
    )
    name = models.CharField(_("name"), max_length=120)
    province = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("province"),
        limit_choices_to={"level": 1},
    )
    legal_basis = models.CharField(
        _("legal basis (Pergub)"),
        max_length=200,
        blank=True,
        help_text=_(
            "The governor regulation that sets up the programme, e.g. Pergub Jatim No. 62/2020."
        ),
    )
    legal_basis_date = models.DateField(_("date of the legal basis"), null=True, blank=True)
    started_year = models.PositiveSmallIntegerField(
        _("first year"), validators=[MinValueValidator(2000)]
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name


class ProgrammeYear(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    budget = models.BigIntegerField(_("budget (Rp)"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["programme", "year"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="programme_year_unique")
        ]
        verbose_name = _("programme year")

    def __str__(self) -> str:
        return f"{self.programme.code} {self.year}"


class Indicator(models.Model):
    """What the programme counts against a target; pillar indicators count registry records."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    pillar = models.CharField(_("pillar"), max_length=20, choices=Pillar.choices, blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    overall_target = models.PositiveIntegerField(_("overall target"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["programme", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="indicator_code_unique")
        ]
        verbose_name = _("indicator")

    def __str__(self) -> str:
        return self.name


class YearlyTarget(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    target = models.PositiveIntegerField(_("target"))

    class Meta:
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="yearly_target_unique")
        ]
        verbose_name = _("yearly target")

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.target}"


class Partner(TimeStampedModel):
    """A Penta Helix (ABCGM) partner of the programme."""

    class Kind(models.TextChoices):
        ACADEMIA = "academia", _("Academia")
        BUSINESS = "business", _("Business")
        COMMUNITY = "community", _("Community")
        GOVERNMENT = "government", _("Government")
        MEDIA = "media", _("Media")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("Penta Helix group"), max_length=12, choices=Kind.choices)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    contribution = models.TextField(_("contribution"), blank=True)

    class Meta:
        ordering = ["programme", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="partner_name_unique")
        ]
        verbose_name = _("partner")

    def __str__(self) -> str:
        return self.name


class PartnerAgreement(TimeStampedModel):
    """A cooperation agreement (PKS/MoU) with a partner."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="agreements")
    number = models.CharField(_("agreement number"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    scope = models.TextField(_("scope"), blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("valid from"))
    ends_on = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["partner", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="agreement_ends_after_start",
            )
        ]
        verbose_name = _("partner agreement")

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"
