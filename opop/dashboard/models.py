"""Summary tables behind the programme dashboard (ARCHITECTURE.md, scale plan).

Counting a million participations on every page view is too slow, so `services.dashboard_refresh`
recounts the registry into these small tables (a few thousand rows per programme) and the
dashboard reads them. Each table keeps the dimensions the dashboard filters on, including the
kab/kota, so a regional officer's figures are the same rows filtered by regency. Nobody edits
these rows by hand: a refresh replaces all rows of a programme in one transaction.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PillarCount(models.Model):
    """Participations of one programme grouped by kab/kota, pillar, cohort year and status."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    # Null when the participant's kab/kota is unknown; such rows still count in the totals.
    regency = models.ForeignKey(
        "regions.Region", null=True, on_delete=models.DO_NOTHING, related_name="+"
    )
    pillar = models.CharField(max_length=20)
    cohort_year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["programme", "regency"])]
        verbose_name = _("pillar count")

    def __str__(self) -> str:
        return f"{self.pillar} {self.cohort_year} {self.regency_id}: {self.count}"


class CooperativeCount(models.Model):
    """Cooperatives grouped by the kab/kota of their pesantren, legal status and status."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    regency = models.ForeignKey(
        "regions.Region", null=True, on_delete=models.DO_NOTHING, related_name="+"
    )
    legal_status = models.CharField(max_length=12)
    status = models.CharField(max_length=10)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["programme", "regency"])]
        verbose_name = _("cooperative count")

    def __str__(self) -> str:
        return f"{self.legal_status} {self.regency_id}: {self.count}"


class PesantrenCount(models.Model):
    """Pesantren grouped by kab/kota and status."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    regency = models.ForeignKey(
        "regions.Region", null=True, on_delete=models.DO_NOTHING, related_name="+"
    )
    status = models.CharField(max_length=10)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["programme", "regency"])]
        verbose_name = _("pesantren count")

    def __str__(self) -> str:
        return f"{self.regency_id}: {self.count}"


class DashboardState(models.Model):
    """How fresh a programme's summary rows are.

    `dirty_version` goes up after every committed registry change that moves a figure
    (`services.dashboard_mark_stale`); a refresh records the version it started from in
    `refreshed_version`. Figures are current when the two are equal. Bumping only after commit
    means a refresh that has read version N has also seen every change counted in N.
    """

    programme = models.OneToOneField(
        "programmes.Programme",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="dashboard_state",
    )
    dirty_version = models.BigIntegerField(default=0)
    refreshed_version = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(_("figures as of"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("dashboard state")

    def __str__(self) -> str:
        return f"{self.programme_id}: v{self.refreshed_version}/{self.dirty_version}"

    @property
    def is_pending(self) -> bool:
        return self.refreshed_at is None or self.dirty_version > self.refreshed_version


class CurationCount(models.Model):
    """The curation backlog of one programme by the kab/kota of the entries' products.

    One row per kab/kota with the backlog as it stands (`year` null: submitted, in review,
    curated now), and one per kab/kota and decision year with the decisions of that year and
    how many days each took (`days`: {whole days: number of decisions}, so a median over any
    set of rows is exact to the day).
    """

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    regency = models.ForeignKey(
        "regions.Region", null=True, on_delete=models.DO_NOTHING, related_name="+"
    )
    year = models.PositiveSmallIntegerField(null=True)
    submitted = models.PositiveIntegerField(default=0)
    in_review = models.PositiveIntegerField(default=0)
    curated_now = models.PositiveIntegerField(default=0)
    passed = models.PositiveIntegerField(default=0)
    not_passed = models.PositiveIntegerField(default=0)
    days = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["programme", "year", "regency"])]
        verbose_name = _("curation count")

    def __str__(self) -> str:
        return f"{self.year} {self.regency_id}: {self.passed}/{self.not_passed}"
