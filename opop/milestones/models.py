"""Institutional milestones (issue 5, point 1): a checklist per programme, each pesantren's
progress on it, and the level ("kelas") derived from that progress.

- `MilestoneItem`: one step of the programme's checklist (NIB, NPWP, RAT held …), belonging to a
  level. Programme admins edit the list; items are retired (`is_active`), never deleted, so that
  history stays readable.
- `PesantrenMilestone`: a pesantren's status on one item (absent = not started), with the claim's
  evidence and the verifier's decision.
- `PesantrenLevel`: the derived level of one pesantren, kept up to date in the same transaction
  as every decision, so lists and dashboards read it instead of recomputing it.
- `LevelChange`: every change of that level, for the pesantren's journey ("naik kelas").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opop.common.models import TimeStampedModel
from opop.imports.storage import private_storage


class Level(models.IntegerChoices):
    # Translators: the programme's levels are Rintisan / Berkembang / Mandiri / Unggul.
    NONE = 0, _("Not yet levelled")
    EMERGING = 1, _("Emerging")
    DEVELOPING = 2, _("Developing")
    SELF_RELIANT = 3, _("Self-reliant")
    LEADING = 4, _("Leading")


ITEM_LEVELS = [choice for choice in Level.choices if choice[0] > 0]


class Aspect(models.TextChoices):
    INSTITUTIONAL = "institutional", _("Institutional (kelembagaan)")
    PEOPLE = "people", _("People (SDM)")
    PRODUCT = "product", _("Product")
    FINANCING = "financing", _("Financing and marketing")


class MilestoneItem(TimeStampedModel):
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="milestone_items",
        verbose_name=_("programme"),
    )
    code = models.SlugField(
        _("code"), max_length=40, help_text=_("Short, unique in the programme, e.g. nib.")
    )
    name = models.CharField(_("name"), max_length=200)
    aspect = models.CharField(_("aspect"), max_length=16, choices=Aspect.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=ITEM_LEVELS)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    evidence_required = models.BooleanField(
        _("evidence file required"),
        default=True,
        help_text=_("Without it, a note is enough to claim the item."),
    )
    guidance = models.TextField(
        _("guidance"), blank=True, help_text=_("How to reach this step and what counts as proof.")
    )
    is_active = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_("Retired items stay in history but no longer count towards a level."),
    )

    class Meta:
        verbose_name = _("milestone item")
        verbose_name_plural = _("milestone items")
        ordering = ["programme", "level", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"], name="milestone_item_code_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="milestone_item_level_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


def evidence_upload_to(instance: PesantrenMilestone, filename: str) -> str:
    # The name is random (uploads.CheckedDocument); the folder keeps a pesantren's files together.
    return f"milestones/{instance.pesantren_id}/{filename}"


class PesantrenMilestone(TimeStampedModel):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        CLAIMED = "claimed", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    # Statuses from which the manager or facilitator may (re)send a claim.
    CLAIMABLE = (Status.NOT_STARTED, Status.CLAIMED, Status.REJECTED)

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    pesantren = models.ForeignKey(
        "registry.Pesantren",
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("pesantren"),
    )
    item = models.ForeignKey(
        MilestoneItem, on_delete=models.CASCADE, related_name="statuses", verbose_name=_("item")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    evidence = models.FileField(
        _("evidence"),
        storage=private_storage,
        upload_to=evidence_upload_to,
        max_length=200,
        blank=True,
    )
    evidence_type = models.CharField(max_length=40, blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_size = models.PositiveIntegerField(null=True, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=1000)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verified by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason for rejection"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("pesantren milestone")
        verbose_name_plural = _("pesantren milestones")
        constraints = [
            models.UniqueConstraint(
                fields=["pesantren", "item"], name="pesantren_milestone_unique"
            ),
        ]
        indexes = [
            # The verification queue: a programme's claims, oldest first.
            models.Index(fields=["programme", "status", "claimed_at"], name="milestone_queue_idx"),
            # The journey: a pesantren's verified items by date.
            models.Index(
                fields=["pesantren", "status", "decided_at"], name="milestone_journey_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pesantren_id}/{self.item_id}: {self.status}"


class PesantrenLevel(models.Model):
    """The derived level of one pesantren (absent row = level 0, nothing verified)."""

    pesantren = models.OneToOneField(
        "registry.Pesantren", on_delete=models.CASCADE, related_name="milestone_level"
    )
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, default=0)
    reached_on = models.DateField(_("reached on"), null=True, blank=True)
    verified_count = models.PositiveIntegerField(_("verified items"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pesantren level")
        verbose_name_plural = _("pesantren levels")
        indexes = [models.Index(fields=["programme", "level"], name="milestone_level_idx")]

    def __str__(self) -> str:
        return f"{self.pesantren_id}: {self.level}"


class LevelChange(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    pesantren = models.ForeignKey(
        "registry.Pesantren", on_delete=models.CASCADE, related_name="level_changes"
    )
    from_level = models.PositiveSmallIntegerField(choices=Level.choices)
    to_level = models.PositiveSmallIntegerField(choices=Level.choices)
    on = models.DateField(_("date"))
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("level change")
        verbose_name_plural = _("level changes")
        indexes = [
            models.Index(fields=["pesantren", "on"], name="milestone_change_idx"),
            models.Index(fields=["programme", "on"], name="milestone_change_prog_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.pesantren_id}: {self.from_level} -> {self.to_level} ({self.on})"

    @property
    def is_up(self) -> bool:
        return self.to_level > self.from_level
