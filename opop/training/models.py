"""Trainings (issue 5, point 2): programmes run by partners, their sessions, who was invited and
enrolled, attendance by QR check-in, pre/post-test scores, certificates and the follow-up survey.

An invitation and an enrolment are one row (`Enrolment`) moving through its statuses, so a person
appears at most once per session and the capacity count is one indexed query.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opop.common.models import TimeStampedModel
from opop.programmes.models import Pillar

# Check-in codes are typed on a phone when the camera fails: no 0/O, 1/I/L look-alikes.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # 31**12 ≈ 8e17: not guessable, still typeable in three groups of four


def new_checkin_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_verify_code() -> str:
    return secrets.token_urlsafe(18)


def normalise_code(typed: str) -> str:
    return "".join(ch for ch in (typed or "").upper() if ch.isalnum())


class Training(TimeStampedModel):
    """A training programme (e.g. Santri OPOP Camp 2025), run by a partner, held in sessions."""

    class Kind(models.TextChoices):
        TRAINING_CENTER = "otc", _("OPOP Training Center")
        BAKTI_SMK = "bakti_smk", _("Bakti SMK OPOP")
        SANTRI_CAMP = "camp", _("Santri OPOP Camp")
        BERDAYA = "berdaya", _("OPOP Berdaya")
        BIMTEK = "bimtek", _("Technical guidance (bimtek)")
        OTHER = "other", _("Other")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("programme year"))
    partner = models.ForeignKey(
        "programmes.Partner",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("partner"),
    )
    organiser_name = models.CharField(_("organising partner"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")
        indexes = [models.Index(fields=["programme", "year"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class Session(TimeStampedModel):
    """One run of a training: when, where, how many, and whom it is for."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CANCELLED = "cancelled", _("Cancelled")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="+"
    )
    training = models.ForeignKey(
        Training, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("training")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    # Where the session is held, for officers' scope and counts by kab/kota; empty = online or
    # province-wide (programme admins and partners organise those).
    regency = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kabupaten/kota"),
        limit_choices_to={"level": 2},
    )
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    uses_tests = models.BooleanField(_("pre- and post-test"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    # Targeting (see `targeting.eligible_people`): every criterion given narrows the set.
    target_pillar = models.CharField(
        _("target pillar"), max_length=20, choices=Pillar.choices, blank=True
    )
    target_regency = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("target kabupaten/kota"),
        limit_choices_to={"level": 2},
    )
    target_level_min = models.PositiveSmallIntegerField(
        _("lowest pesantren level"), null=True, blank=True
    )
    target_level_max = models.PositiveSmallIntegerField(
        _("highest pesantren level"), null=True, blank=True
    )
    need_tags = models.CharField(
        _("needs addressed"),
        max_length=255,
        blank=True,
        help_text=_("Comma-separated, e.g. bookkeeping, halal, packaging."),
    )
    survey_after_months = models.PositiveSmallIntegerField(
        _("follow-up survey after (months)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        indexes = [
            models.Index(fields=["programme", "starts_at"]),
            models.Index(fields=["programme", "regency", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(target_level_min__isnull=True)
                | Q(target_level_max__isnull=True)
                | Q(target_level_max__gte=models.F("target_level_min")),
                name="session_level_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def need_tag_list(self) -> list[str]:
        return [t.strip().lower() for t in self.need_tags.split(",") if t.strip()]


class Enrolment(TimeStampedModel):
    """A person's place in a session: invited → enrolled (or waiting list) → attended."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ENROLLED = "enrolled", _("Enrolled")
        WAITLISTED = "waitlisted", _("Waiting list")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey(
        "registry.Person", on_delete=models.CASCADE, related_name="training_enrolments"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    enrolled_at = models.DateTimeField(_("enrolled"), null=True, blank=True)
    # Shown as a QR on the participant's page; the organiser's phone reads it at the door.
    checkin_code = models.CharField(max_length=CODE_LENGTH, unique=True, default=new_checkin_code)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pre_score = models.PositiveSmallIntegerField(
        _("pre-test"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    post_score = models.PositiveSmallIntegerField(
        _("post-test"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["session", "created_at"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="enrolment_once_per_session")
        ]
        indexes = [models.Index(fields=["session", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.session} — {self.person_id}"

    @property
    def code_display(self) -> str:
        c = self.checkin_code
        return "-".join(c[i : i + 4] for i in range(0, len(c), 4))


class Certificate(TimeStampedModel):
    """Proof of attendance, verifiable by anyone at /training/verify/<verify_code>/."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="certificate"
    )
    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    verify_code = models.CharField(max_length=32, unique=True, default=new_verify_code)
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoke_reason = models.CharField(_("reason for revoking"), max_length=255, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class SurveyAnswer(TimeStampedModel):
    """The follow-up survey some months after the session: was the training of use?"""

    class Revenue(models.TextChoices):
        UP = "up", _("Increased")
        SAME = "same", _("About the same")
        DOWN = "down", _("Decreased")
        NO_BUSINESS = "none", _("I have no business yet")

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="survey_answer"
    )
    applied_skill = models.BooleanField(_("I have applied what I learnt"))
    revenue_change = models.CharField(
        _("my business revenue since the training"), max_length=5, choices=Revenue.choices
    )
    comments = models.TextField(_("comments"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("follow-up survey answer")
        verbose_name_plural = _("follow-up survey answers")
