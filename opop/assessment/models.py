"""One assessment engine for auditions, product curation and the OPOP Award.

A round has a rubric (criteria with weights on one scale), a panel of jurors, and ordered
stages. Each stage is scored on its own: entries are assigned to jurors, jurors score
independently, the stage closes, scores are aggregated, ranked and cut off, results are
published with feedback, appeals are heard, and those who pass are carried into the next
stage as new entries (so every stage keeps its own history).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from opop.common.models import TimeStampedModel
from opop.programmes.models import Partner, Pillar


def default_grade_bands() -> dict[str, int]:
    return {"A": 85, "B": 70, "C": 0}


class Round(TimeStampedModel):
    class Purpose(models.TextChoices):
        AUDITION = "audition", _("Audition (intake selection)")
        CURATION = "curation", _("Product curation")
        AWARD = "award", _("OPOP Award")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="assessment_rounds"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    pillar = models.CharField(_("pillar"), max_length=20, choices=Pillar.choices, blank=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=10)
    jurors_per_entry = models.PositiveSmallIntegerField(
        _("jurors per entry"), default=2, validators=[MinValueValidator(1)]
    )
    # Drop each entry's highest and lowest total before averaging, when it has this many
    # scores or more (0 = never trim).
    trim_from = models.PositiveSmallIntegerField(
        _("trim extremes from this many jurors"), default=0
    )
    # A score differing from the median of the other jurors' totals by more than this share of
    # the scale is flagged for the chair.
    outlier_share = models.DecimalField(
        _("outlier threshold (share of the scale)"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.30"),
    )
    # For curation: how long a pass keeps a product "Produk Unggulan OPOP".
    validity_months = models.PositiveSmallIntegerField(_("validity (months)"), default=24)
    appeal_days = models.PositiveSmallIntegerField(_("appeal window (days)"), default=7)
    # For curation: the grade a passing product gets, by its final score as a percentage of the
    # scale ({"A": 85, "B": 70, "C": 0}: 85 % and above is A, and so on).
    grade_bands = models.JSONField(_("grades"), default=default_grade_bands, blank=True)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("assessment round")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min")),
                name="round_scale_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("criterion"), max_length=150)
    guidance = models.TextField(_("guidance for jurors"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), validators=[MinValueValidator(1)], help_text=_("Relative weight, e.g. 30.")
    )

    class Meta:
        ordering = ["round", "position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.name


class Stage(TimeStampedModel):
    class Kind(models.TextChoices):
        SCORING = "scoring", _("Scoring")
        FIELD_VISIT = "field_visit", _("Field verification visit")

    class Status(models.TextChoices):
        SETUP = "setup", _("Being set up")
        SCORING = "scoring", _("Jurors scoring")
        CLOSED = "closed", _("Closed, results being reviewed")
        PUBLISHED = "published", _("Results published")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SCORING)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SETUP
    )
    # Cut-off: entries pass with a final score at or above `cutoff_score`, and/or within the
    # best `quota` (both may be set; both must then hold).
    cutoff_score = models.DecimalField(
        _("pass mark"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    quota = models.PositiveIntegerField(_("number who pass"), null=True, blank=True)
    scoring_closes_on = models.DateField(_("scoring deadline"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    appeal_until = models.DateTimeField(_("appeals until"), null=True, blank=True)

    class Meta:
        ordering = ["round", "position"]
        verbose_name = _("stage")
        constraints = [
            models.UniqueConstraint(fields=["round", "position"], name="stage_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.round} — {self.name}"


class Juror(models.Model):
    """A panel member of one round, tagged with their Penta Helix group."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="jurors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="juror_seats"
    )
    group = models.CharField(_("Penta Helix group"), max_length=12, choices=Partner.Kind.choices)
    partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_chair = models.BooleanField(_("chair of the panel"), default=False)
    # Declared ties to pesantren (taught there, alumni, family); never assigned their entries.
    affiliations = models.ManyToManyField(
        "registry.Pesantren", blank=True, related_name="+", verbose_name=_("affiliated pesantren")
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["round", "id"]
        verbose_name = _("juror")
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="juror_once_per_round")
        ]

    def __str__(self) -> str:
        return str(self.user)


class Entry(TimeStampedModel):
    """What is assessed in one stage: a product, an application, or a registry record."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        PASSED = "passed", _("Passed")
        NOT_PASSED = "not_passed", _("Did not pass")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="entries")
    title = models.CharField(_("entry"), max_length=200)
    # Exactly one of the subjects below is set (products for curation, applications for
    # auditions, enterprises or pesantren for awards).
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    application = models.ForeignKey(
        "intake.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The pesantren behind the entry, for conflict-of-interest checks and display.
    pesantren = models.ForeignKey(
        "registry.Pesantren", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    regency = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Who is told the result and may appeal.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessment_entries",
    )
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_entry"
    )
    submitted_at = models.DateTimeField(_("submitted"))
    # Results, computed when the stage closes (and again after an upheld appeal).
    final_score = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    # {criterion id: {"mean": float, "comments": [str, ...]}}: the applicant's feedback.
    criterion_results = models.JSONField(default=dict, blank=True)
    outcome = models.CharField(
        max_length=12, choices=Outcome.choices, default=Outcome.PENDING, db_index=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["stage", "rank", "id"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        indexes = [
            models.Index(fields=["stage", "outcome"]),
            models.Index(fields=["stage", "final_score"]),
            models.Index(fields=["stage", "rank", "id"], name="entry_ranking_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "product"],
                condition=models.Q(product__isnull=False),
                name="entry_product_once_per_stage",
            ),
            models.UniqueConstraint(
                fields=["stage", "application"],
                condition=models.Q(application__isnull=False),
                name="entry_application_once_per_stage",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Assignment(models.Model):
    """A juror's duty to score one entry; the scoresheet is sealed once submitted."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="assignments")
    juror = models.ForeignKey(Juror, on_delete=models.PROTECT, related_name="assignments")
    # Denormalised for the juror's queue and progress counts without joining entries.
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="assignments")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # When the juror last saved (draft or submission): the chair's progress page.
    saved_at = models.DateTimeField(null=True, blank=True)
    # When the chair last sent the submitted sheet back: the juror may score it again while the
    # stage is CLOSED, until they resubmit.
    reopened_at = models.DateTimeField(null=True, blank=True)
    total = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)
    is_outlier = models.BooleanField(default=False)
    # Field verification stages: when and what the juror saw on site.
    visited_on = models.DateField(_("visit date"), null=True, blank=True)
    visit_notes = models.TextField(_("visit findings"), blank=True)

    class Meta:
        ordering = ["stage", "entry", "id"]
        indexes = [
            models.Index(fields=["juror", "stage", "submitted_at"]),
            models.Index(fields=["stage", "submitted_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["entry", "juror"], name="assignment_once_per_juror")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} → {self.juror_id}"


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("feedback"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="score_once_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"


class Appeal(TimeStampedModel):
    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="appeals")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason for the appeal"))
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decision_note = models.TextField(_("explanation of the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome_before = models.CharField(max_length=12, blank=True)
    outcome_after = models.CharField(max_length=12, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry"],
                condition=models.Q(decision="pending"),
                name="appeal_one_pending_per_entry",
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} ({self.decision})"
