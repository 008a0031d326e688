"""An import job: one uploaded spreadsheet, its dry run, its commit and its row report."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opop.common.models import TimeStampedModel
from opop.imports.storage import private_storage


def upload_to(instance, filename: str) -> str:
    # The stored name says nothing about the content; the original name is kept in a field.
    return f"imports/{instance.programme_id}/{uuid.uuid4().hex}.xlsx"


class ImportJob(TimeStampedModel):
    class Register(models.TextChoices):
        PESANTREN = "pesantren", _("Pesantren")
        COOPERATIVES = "cooperatives", _("Cooperatives")
        PEOPLE = "people", _("People")
        ENTERPRISES = "enterprises", _("Enterprises")

    class Mode(models.TextChoices):
        DRY_RUN = "dry_run", _("Dry run")
        VALID_ONLY = "valid_only", _("Valid rows only")
        ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        VALIDATING = "validating", _("Checking rows")
        VALIDATED = "validated", _("Checked, waiting for your decision")
        COMMITTING = "committing", _("Importing")
        DONE = "done", _("Imported")
        REJECTED = "rejected", _("Nothing imported")
        FAILED = "failed", _("File refused")

    RUNNING = (Status.QUEUED, Status.VALIDATING, Status.COMMITTING)

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    register = models.CharField(_("register"), max_length=16, choices=Register.choices)
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices, default=Mode.DRY_RUN)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    file = models.FileField(storage=private_storage, upload_to=upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(max_length=64, db_index=True)
    # An officer's job only touches rows of their kab/kota, whoever presses "commit".
    scope_regency = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(max_length=8, default="id")
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    refused_count = models.PositiveIntegerField(_("refused"), default=0)
    warning_count = models.PositiveIntegerField(_("rows with warnings"), default=0)
    file_error = models.TextField(_("why the file was refused"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    commit_requested_at = models.DateTimeField(null=True, blank=True)
    # The uploaded spreadsheet holds personal data (NIK, phones): it is deleted once the job has
    # been finished for `IMPORT_FILE_RETENTION_DAYS` (`import_files_purge`); the row report stays.
    file_purged_at = models.DateTimeField(_("file deleted"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        indexes = [models.Index(fields=["programme", "created_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_register_display()} — {self.original_name}"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def may_commit(self) -> bool:
        return self.status == self.Status.VALIDATED and self.file_purged_at is None

    @property
    def is_commit(self) -> bool:
        return self.mode != self.Mode.DRY_RUN

    @property
    def valid_rows(self) -> int:
        return self.created_count + self.updated_count + self.unchanged_count

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0 if self.is_running else 100
        return min(100, round(100 * self.processed_rows / self.total_rows))


class ImportIssue(models.Model):
    """One problem found in one cell (or row, or the whole file when `row` is 0)."""

    class Level(models.TextChoices):
        ERROR = "error", _("Error")
        WARNING = "warning", _("Warning")

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="issues")
    row = models.PositiveIntegerField(_("row"))
    column = models.CharField(_("column"), max_length=60, blank=True)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    message = models.CharField(_("message"), max_length=500)

    class Meta:
        ordering = ["job", "level", "row", "id"]  # "error" sorts before "warning"
        indexes = [models.Index(fields=["job", "level", "row"])]
        verbose_name = _("import issue")

    def __str__(self) -> str:
        return f"{self.row} {self.column}: {self.message}"
