"""Certification tracks (issue 5, point 4): a product's way to a certificate of one kind.

A track moves planned → preparing → submitted → issued or rejected; each move is a `TrackStep`
(date, who, note, the authority's reference). Once issued the track points at the catalogue's
`Certification`, whose `expires_on` decides whether it is "expiring" (within 90 days) or
"expired" — derived on reading, never stored, so it cannot go stale.

Per (product, kind) one track is current; starting a new one (a renewal, or a retry after a
rejection) marks the previous one superseded, which keeps it as history.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opop.catalog.models import Certification
from opop.common.models import TimeStampedModel


class TrackStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    PREPARING = "preparing", _("Preparing")
    SUBMITTED = "submitted", _("Submitted")
    ISSUED = "issued", _("Issued")
    REJECTED = "rejected", _("Rejected")


class CertificationTrack(TimeStampedModel):
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("programme"),
    )
    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.CASCADE,
        related_name="certification_tracks",
        verbose_name=_("product"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Certification.Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=TrackStatus.choices, default=TrackStatus.PLANNED
    )
    # Copied from the product's enterprise when the track starts, so the journey page and the
    # kab/kota figures read one indexed table instead of joining product → enterprise → owner.
    pesantren = models.ForeignKey(
        "registry.Pesantren",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("pesantren"),
    )
    regency = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kabupaten/kota"),
    )
    certification = models.ForeignKey(
        Certification,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tracks",
        verbose_name=_("certificate"),
    )
    renews = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="renewals",
        verbose_name=_("renews"),
    )
    superseded = models.BooleanField(_("superseded"), default=False)
    status_on = models.DateField(_("status since"))
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    authority_reference = models.CharField(
        _("authority's reference"),
        max_length=80,
        blank=True,
        help_text=_("The registration or application number given by BPJPH, BPOM, DJKI …"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )

    class Meta:
        ordering = ["-status_on", "-id"]
        verbose_name = _("certification track")
        verbose_name_plural = _("certification tracks")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "kind"],
                condition=Q(superseded=False),
                name="certtrack_one_current_per_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "superseded", "status", "kind"]),
            models.Index(fields=["programme", "regency", "superseded"]),
            models.Index(fields=["pesantren", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.product_id}"


class TrackStep(models.Model):
    """One move of a track, as it was recorded: the history shown on the track's page."""

    track = models.ForeignKey(
        CertificationTrack, on_delete=models.CASCADE, related_name="steps", verbose_name=_("track")
    )
    from_status = models.CharField(
        _("from"), max_length=10, choices=TrackStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=10, choices=TrackStatus.choices)
    on = models.DateField(_("date"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("who"),
    )
    note = models.TextField(_("note"), blank=True)
    authority_reference = models.CharField(_("authority's reference"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("track step")
        verbose_name_plural = _("track steps")

    def __str__(self) -> str:
        return f"{self.to_status} {self.on}"


class ExpiryReminder(models.Model):
    """A reminder sent for one certificate, threshold and expiry date: sent once, never again.

    The expiry date is part of the key so that a renewed certificate (same catalogue row, new
    `expires_on`) gets its own reminders.
    """

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="+", verbose_name=_("certificate")
    )
    threshold_days = models.PositiveSmallIntegerField(_("days before expiry"))
    expires_on = models.DateField(_("valid until"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("expiry reminder")
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "threshold_days", "expires_on"],
                name="certtrack_reminder_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.certification_id} −{self.threshold_days}d"
