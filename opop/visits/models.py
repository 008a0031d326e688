"""Facilitator visits (issue 5, point 3): a facilitator's report of a visit to one of their
pesantren, with photos, the phone's location and action items; a supervisor reviews it.

A report is written on the phone, possibly offline: the page keeps a draft with a UUID made on
the phone, and the (facilitator, client_uuid) unique constraint makes a resend return the first
report instead of a second one.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opop.common.models import TimeStampedModel
from opop.imports.storage import private_storage


class Purpose(models.TextChoices):
    COACHING = "coaching", _("Coaching (pendampingan)")
    MONITORING = "monitoring", _("Monitoring and evaluation")
    INSTITUTIONAL = "institutional", _("Cooperative and legal matters")
    PRODUCT = "product", _("Product quality and packaging")
    CERTIFICATION = "certification", _("Certification (halal, P-IRT, BPOM)")
    FINANCE = "finance", _("Financing, grants and bookkeeping")
    MARKETING = "marketing", _("Marketing and OPOP Mart")
    TRAINING = "training", _("Training follow-up")
    OTHER = "other", _("Other")


class Visit(TimeStampedModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("waiting for review")
        RETURNED = "returned", _("returned for changes")
        REVIEWED = "reviewed", _("reviewed")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="visits"
    )
    pesantren = models.ForeignKey(
        "registry.Pesantren",
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("pesantren"),
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("facilitator"),
    )
    # Made by the phone when the draft is started; the key of an idempotent resend.
    client_uuid = models.UUIDField(default=uuid.uuid4, editable=False)
    visited_on = models.DateField(_("date of visit"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    purpose_other = models.CharField(_("other purpose"), max_length=150, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    # The phone's position (browser Geolocation API), when the facilitator allowed it.
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    location_accuracy_m = models.PositiveIntegerField(
        _("location accuracy (m)"), null=True, blank=True
    )
    location_read_at = models.DateTimeField(_("location read at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted"))
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    review_note = models.TextField(_("review note"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.UniqueConstraint(
                fields=["facilitator", "client_uuid"], name="visit_unique_client_uuid"
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (
                    Q(latitude__gte=-90)
                    & Q(latitude__lte=90)
                    & Q(longitude__gte=-180)
                    & Q(longitude__lte=180)
                    & Q(location_read_at__isnull=False)
                ),
                name="visit_location_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["pesantren", "visited_on"], name="visit_pesantren_day"),
            models.Index(fields=["programme", "status"], name="visit_programme_status"),
            models.Index(fields=["facilitator", "-visited_on"], name="visit_facilitator_day"),
        ]

    def __str__(self) -> str:
        return f"{self.pesantren} {self.visited_on}"

    @property
    def purpose_label(self) -> str:
        if self.purpose == Purpose.OTHER and self.purpose_other:
            return self.purpose_other
        return self.get_purpose_display()

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def photo_upload_to(instance, filename: str) -> str:
    # The name is already random (CheckedDocument.as_file); the folder spreads them by month.
    return f"visits/{instance.visit.submitted_at:%Y/%m}/{filename}"


class VisitPhoto(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(storage=private_storage, upload_to=photo_upload_to, max_length=200)
    content_type = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("visit photo")

    def __str__(self) -> str:
        return f"photo {self.pk} of visit {self.visit_id}"


class ActionItem(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="action_items")
    text = models.CharField(_("what is to be done"), max_length=300)
    due_on = models.DateField(_("due"))
    # Who does it: a role or a name as the facilitator writes it ("pengurus koperasi").
    responsible = models.CharField(_("who"), max_length=120, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("action item")
        indexes = [models.Index(fields=["due_on"], name="visit_item_open_due",
                                condition=Q(done_at__isnull=True))]  # fmt: skip

    def __str__(self) -> str:
        return self.text

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
