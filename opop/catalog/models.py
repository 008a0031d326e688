"""Products of the programme's enterprises and their certifications (issue 3, first step).

Curation comes next; these are the records it builds on.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from opop.common import identifiers
from opop.common.models import TimeStampedModel
from opop.imports.storage import private_storage


class Category(models.Model):
    """A node of the product category tree, shared by every programme."""

    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent category"),
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class Product(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")

    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("programme"),
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("enterprise"),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("category")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    price = models.BigIntegerField(_("price (Rp)"), validators=[MinValueValidator(0)])
    unit = models.CharField(_("unit"), max_length=30, help_text=_("e.g. pack, bottle, kg"))
    weight_grams = models.PositiveIntegerField(_("weight (grams)"))
    monthly_capacity = models.PositiveIntegerField(
        _("production capacity per month"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__gte=0), name="product_price_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "status", "category"]),
            # The storefront's category pages: a category's newest active products, in order.
            models.Index(
                fields=["category", "status", "-created_at", "-id"],
                name="catalog_product_cat_new_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Certification(TimeStampedModel):
    """A product's certificate or permit; its number follows the rule of its kind (DOMAIN.md)."""

    class Kind(models.TextChoices):
        HALAL = "halal", _("Halal (BPJPH)")
        PIRT = "pirt", _("P-IRT")
        BPOM = "bpom", _("BPOM MD/ML")
        SNI = "sni", _("SNI")
        TRADEMARK = "trademark", _("Trademark (DJKI)")

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="certifications", verbose_name=_("product")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=60)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    # The certificate itself (PDF or image), outside the web root; served through a check.
    document = models.FileField(
        _("certificate document"),
        storage=private_storage,
        upload_to="certificates/%Y/",
        max_length=200,
        blank=True,
    )

    class Meta:
        ordering = ["product", "kind"]
        verbose_name = _("certification")
        constraints = [
            models.UniqueConstraint(fields=["product", "kind"], name="certification_one_per_kind"),
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(issued_on__isnull=True)
                | models.Q(expires_on__gte=models.F("issued_on")),
                name="certification_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def clean(self) -> None:
        """Normalise the number by its kind; a P-IRT's expiry year comes from its number."""
        try:
            if self.kind == self.Kind.HALAL:
                self.number = identifiers.parse_halal(self.number)
            elif self.kind == self.Kind.BPOM:
                self.number = identifiers.parse_bpom(self.number)
            elif self.kind == self.Kind.PIRT:
                self.number, year = identifiers.parse_pirt(self.number)
                if self.expires_on and self.expires_on.year != year:
                    raise ValidationError(
                        {
                            "expires_on": _("A P-IRT number ending in %(yy)s expires in %(year)s.")
                            % {"yy": self.number[-2:], "year": year}
                        }
                    )
            else:
                self.number = self.number.strip()
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                raise
            raise ValidationError({"number": exc.messages}) from None


class ProductPhoto(models.Model):
    """A product photo, re-encoded to JPEG by the service, with its thumbnail."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="photos", verbose_name=_("product")
    )
    image = models.ImageField(_("image"), upload_to="products/%Y/%m/")
    thumbnail = models.ImageField(_("thumbnail"), upload_to="products/%Y/%m/")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["product", "position", "id"]
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")

    def __str__(self) -> str:
        return f"{self.product} #{self.position}"


class Curation(TimeStampedModel):
    """A product's curation outcome: passing makes it "Produk Unggulan OPOP" until `valid_until`.

    Written only by the curation service when an assessment result is published (or changed by
    an upheld appeal); a product is curated while it has a row valid today that is not revoked.
    """

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="curations", verbose_name=_("product")
    )
    entry = models.OneToOneField(
        "assessment.Entry", on_delete=models.PROTECT, related_name="curation"
    )
    grade = models.CharField(_("grade"), max_length=2)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=3)
    valid_from = models.DateField(_("curated on"))
    valid_until = models.DateField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["product", "-valid_until"]
        verbose_name = _("curation")
        indexes = [
            models.Index(fields=["product", "valid_until"]),
            # "Curated today" for every storefront row (`curated_now()`): a small index the
            # probes answer from alone (index-only scan), without reading the curation rows.
            models.Index(
                fields=["product", "valid_until"],
                condition=models.Q(revoked_at__isnull=True),
                name="catalog_curation_valid_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="curation_valid_until_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.product} ({self.grade})"
