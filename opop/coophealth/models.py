"""Cooperative health (issue 5, point 6): one yearly report per cooperative, a summary row per
cooperative kept by every save, and the record of spreadsheet imports.

Money is whole Rupiah. Status (active / inactive / no report) is never stored as a word: it
depends on today's year, so the summary keeps the years it is derived from (see `status.py`).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opop.common.models import TimeStampedModel
from opop.imports.storage import private_storage

# The first year a report may be for: the programme began in 2019; older books are not asked for.
FIRST_YEAR = 2000


def rat_deadline(year: int) -> dt.date:
    """The RAT on a year's books is held in that year or soon after it closes. Cooperative law
    asks for it within six months of the book year's end; a late meeting is still recorded if
    held by the end of the following year, anything later belongs to another year's report."""
    return dt.date(year + 1, 12, 31)


class CooperativeReport(TimeStampedModel):
    class Source(models.TextChoices):
        FORM = "form", _("Typed in")
        IMPORT = "import", _("Imported")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="+"
    )
    cooperative = models.ForeignKey(
        "registry.Cooperative",
        on_delete=models.CASCADE,
        related_name="health_reports",
        verbose_name=_("cooperative"),
    )
    year = models.PositiveSmallIntegerField(_("book year"))
    members_total = models.PositiveIntegerField(_("members"))
    members_women = models.PositiveIntegerField(_("of whom women"), null=True, blank=True)
    own_capital = models.PositiveBigIntegerField(
        _("own capital (modal sendiri, Rp)"),
        help_text=_("Member savings, reserves and grants kept as equity."),
    )
    external_capital = models.PositiveBigIntegerField(
        _("external capital (modal luar, Rp)"), help_text=_("Loans and other outside funds.")
    )
    business_volume = models.PositiveBigIntegerField(_("business volume (volume usaha, Rp)"))
    surplus = models.BigIntegerField(
        _("SHU (Rp)"), help_text=_("Surplus of the year; a loss is written with a minus sign.")
    )
    rat_date = models.DateField(
        _("annual members' meeting (RAT) held on"),
        null=True,
        blank=True,
        help_text=_("Leave empty if the RAT on this year's books has not been held."),
    )
    assets = models.PositiveBigIntegerField(_("total assets (Rp)"), null=True, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.FORM)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["cooperative_id", "-year"]
        verbose_name = _("cooperative yearly report")
        verbose_name_plural = _("cooperative yearly reports")
        constraints = [
            # One report per cooperative and year: a second save updates it, a retried
            # import never doubles it.
            models.UniqueConstraint(
                fields=["cooperative", "year"], name="coophealth_one_report_per_year"
            ),
            models.CheckConstraint(
                condition=Q(members_women__isnull=True) | Q(members_women__lte=F("members_total")),
                name="coophealth_women_within_members",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR), name="coophealth_year_plausible"
            ),
        ]
        indexes = [models.Index(fields=["programme", "year"], name="coophealth_prog_year")]

    def __str__(self) -> str:
        return f"{self.cooperative_id} {self.year}"

    @property
    def rat_held(self) -> bool:
        return self.rat_date is not None

    @property
    def is_active(self) -> bool:
        """The report shows a working cooperative: its members met (RAT) and it did business."""
        return self.rat_date is not None and self.business_volume > 0

    def clean(self):
        errors = {}
        this_year = timezone.localdate().year
        if self.year is not None and not FIRST_YEAR <= self.year <= this_year:
            errors["year"] = _("The year must be between %(first)s and %(last)s.") % {
                "first": FIRST_YEAR,
                "last": this_year,
            }
        if (
            self.members_women is not None
            and self.members_total is not None
            and self.members_women > self.members_total
        ):
            errors["members_women"] = _("There cannot be more women members than members.")
        if self.rat_date and self.year and "year" not in errors:
            if self.rat_date.year < self.year:
                errors["rat_date"] = _(
                    "The RAT on the %(year)s books cannot be held before %(year)s."
                ) % {"year": self.year}
            elif self.rat_date > rat_deadline(self.year):
                errors["rat_date"] = _(
                    "An RAT held after %(deadline)s belongs to a later year's report."
                ) % {"deadline": rat_deadline(self.year).strftime("%d-%m-%Y")}
            elif self.rat_date > timezone.localdate():
                errors["rat_date"] = _("The RAT date cannot be in the future.")
        if errors:
            raise ValidationError(errors)


class CooperativeHealth(models.Model):
    """The per-cooperative summary that lists and the dashboard read, rewritten from the
    cooperative's reports on every save (never edited by hand)."""

    cooperative = models.OneToOneField(
        "registry.Cooperative", on_delete=models.CASCADE, primary_key=True, related_name="health"
    )
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    latest_report = models.ForeignKey(
        CooperativeReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    latest_year = models.PositiveSmallIntegerField(null=True, blank=True)
    # The latest year whose report shows an RAT held and business done.
    latest_active_year = models.PositiveSmallIntegerField(null=True, blank=True)
    report_count = models.PositiveSmallIntegerField(default=0)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cooperative health summary")
        indexes = [
            models.Index(
                fields=["programme", "latest_active_year", "latest_year"],
                name="coophealth_summary_status",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cooperative_id}: {self.latest_year}/{self.latest_active_year}"


def import_upload_to(instance, filename: str) -> str:
    # The stored name says nothing about the content; the original name is kept in a field.
    return f"coophealth/{instance.programme_id}/{uuid.uuid4().hex}"


class ReportImport(TimeStampedModel):
    """One uploaded file: checked (dry run), then committed once."""

    class Status(models.TextChoices):
        CHECKED = "checked", _("Checked, waiting for your decision")
        COMMITTED = "committed", _("Imported")
        REFUSED = "refused", _("File refused")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKED)
    file = models.FileField(storage=private_storage, upload_to=import_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(max_length=64, db_index=True)
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    file_error = models.TextField(blank=True)
    # [{"row": 3, "errors": [[column, message], ...], "label": "..."}] for rows with errors.
    row_errors = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name
