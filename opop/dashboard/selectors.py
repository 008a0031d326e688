"""The dashboard's figures for whoever is asking, scoped like the registry pages.

Where the figures come from:

- Programme-wide roles (admin, auditor, partner) and regional officers read the summary tables
  (`opop.dashboard.models`), which `services.dashboard_refresh` keeps equal to the registry. An
  officer's rows are filtered by their kab/kota: the summaries carry the same regency the
  registry selectors filter on (participation, cooperative's pesantren, pesantren), so the
  figures equal counting `opop.registry.selectors.*_visible_to(access)`.
- A partner has no registry scope (`reads_registry` is false, so the registry selectors give
  nothing), yet DOMAIN.md gives partners "the aggregates they need". They read the
  programme-wide summary rows: counts only, never a record, which is why this module and no
  other may read registry figures programme-wide for a role outside the registry.
- Facilitators, cooperative managers and participants see a few pesantren or one person; no
  summary row is that narrow, so their figures are counted live from the registry selectors'
  querysets (small by construction).

Each figure is one grouped query (`values(...).annotate(...)`), never one query per kab/kota.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.accounts.access import Access
from opop.accounts.models import Role
from opop.catalog.backlog import CurationBacklog, backlog_from_summary, curation_backlog
from opop.catalog.selectors import products_visible_to
from opop.common.formatting import percent
from opop.dashboard.models import (
    CooperativeCount,
    CurationCount,
    DashboardState,
    PesantrenCount,
    PillarCount,
)
from opop.programmes.models import Indicator, Pillar, ProgrammeYear, YearlyTarget
from opop.regions.models import Region
from opop.regions.selectors import regencies_of
from opop.registry import selectors as registry
from opop.registry.models import Cooperative, Participation, RecordStatus

PILLARS = [Pillar.SANTRIPRENEUR, Pillar.PESANTRENPRENEUR, Pillar.SOCIOPRENEUR]
# The pesantrenpreneur indicator: 1,000 flagship products (produk unggulan) in East Java. Its
# code is stable (the demo and the persona world use the pillar's value); names are edited.
FLAGSHIP_INDICATOR = Pillar.PESANTRENPRENEUR.value
COUNTED = [str(status) for status in Participation.COUNTED]
MIN_YEAR, MAX_YEAR = 2000, 2100


class Scope:
    PROGRAMME = "programme"  # the whole programme
    REGENCY = "regency"  # one kab/kota (regional officer)
    OWN = "own"  # the caller's pesantren or own record


@dataclass(frozen=True)
class Progress:
    count: int
    target: int | None

    @property
    def percent(self) -> float | None:
        return percent(self.count, self.target) if self.target else None

    @property
    def bar(self) -> float:
        """Width of the progress bar, 0–100."""
        return min(100.0, self.percent or 0.0)


@dataclass(frozen=True)
class PillarFigure:
    pillar: str
    label: str
    year: Progress
    cumulative: Progress
    # Pesantrenpreneur only: products curated today (Produk Unggulan OPOP) against the overall
    # target of the flagship-product indicator.
    flagship: Progress | None = None


@dataclass(frozen=True)
class LegalStatusFigure:
    legal_status: str
    label: str
    count: int
    share: float | None


@dataclass
class RegencyRow:
    code: str | None
    name: str
    pillars: dict[str, int] = field(default_factory=lambda: {p.value: 0 for p in PILLARS})
    cooperatives: int = 0
    pesantren: int = 0

    @property
    def label(self) -> str:
        """The name as tables print it: "Kab. Jombang", "Kota Surabaya"."""
        return self.name.replace("Kabupaten ", "Kab. ", 1)

    @property
    def santripreneur(self) -> int:
        return self.pillars[Pillar.SANTRIPRENEUR]

    @property
    def pesantrenpreneur(self) -> int:
        return self.pillars[Pillar.PESANTRENPRENEUR]

    @property
    def sociopreneur(self) -> int:
        return self.pillars[Pillar.SOCIOPRENEUR]


@dataclass
class Dashboard:
    year: int
    scope: str
    regency_name: str | None
    pillars: list[PillarFigure]
    cooperatives: list[LegalStatusFigure]
    cooperatives_total: int
    regencies: list[RegencyRow]
    totals: RegencyRow
    as_of: datetime | None
    pending: bool
    curation: CurationBacklog | None = None


def dashboard_default_year() -> int:
    return timezone.localdate().year


def dashboard_years(access: Access, *, year: int | None = None) -> list[int]:
    """Years worth choosing: the programme's years, target years and cohort years, newest first.

    Years are not figures, so every dashboard reader gets the programme's full list.
    """
    if not access or not access.reads_dashboard:
        return []
    pid = access.programme_id
    years = set(
        ProgrammeYear.objects.filter(programme_id=pid)
        .order_by()
        .values_list("year", flat=True)
        .union(
            YearlyTarget.objects.filter(indicator__programme_id=pid)
            .order_by()
            .values_list("year", flat=True),
            PillarCount.objects.filter(programme_id=pid)
            .order_by()
            .values_list("cohort_year", flat=True),
        )
    )
    years.add(dashboard_default_year())
    if year:
        years.add(year)
    return sorted(years, reverse=True)


def dashboard_for(access: Access, *, year: int, state: DashboardState | None = None) -> Dashboard:
    """All figures of the dashboard for `year`, within what `access` may see.

    `state` is the programme's summary state (from `services.dashboard_ensure_computed`); it is
    only read for roles that use the summaries.
    """
    if not access or not access.reads_dashboard:
        raise PermissionError("no dashboard for this access")
    summary_regency = _summary_scope(access)
    if summary_regency is not None:
        pillar_rows, coop_rows, pesantren_rows = _summary_counts(
            access.programme_id, year=year, regency=summary_regency or None
        )
        scope = Scope.PROGRAMME if summary_regency == "" else Scope.REGENCY
        as_of = state.refreshed_at if state else None
        pending = state.is_pending if state else True
    else:
        pillar_rows, coop_rows, pesantren_rows = _live_counts(access, year=year)
        scope, as_of, pending = Scope.OWN, timezone.now(), False

    rows = _regency_rows(access, scope, pillar_rows, coop_rows, pesantren_rows)
    totals = RegencyRow(code=None, name=_("Total"))
    yearly = {p.value: 0 for p in PILLARS}
    for regency, pillar, cohort_year, n in pillar_rows:
        rows[regency].pillars[pillar] += n
        totals.pillars[pillar] += n
        if cohort_year == year:
            yearly[pillar] += n
    by_legal_status = dict.fromkeys(Cooperative.LegalStatus.values, 0)
    for regency, legal_status, n in coop_rows:
        rows[regency].cooperatives += n
        totals.cooperatives += n
        by_legal_status[legal_status] = by_legal_status.get(legal_status, 0) + n
    for regency, n in pesantren_rows:
        rows[regency].pesantren += n
        totals.pesantren += n

    targets, flagship_target = _targets(access.programme_id, year=year)
    curation = _curation(access, scope=scope, year=year)
    return Dashboard(
        year=year,
        scope=scope,
        regency_name=rows[access.regency_code].name if scope == Scope.REGENCY else None,
        pillars=[
            PillarFigure(
                pillar=p.value,
                label=str(p.label),
                year=Progress(yearly[p.value], targets.get(p.value, (None, None))[0]),
                cumulative=Progress(totals.pillars[p.value], targets.get(p.value, (None, None))[1]),
                flagship=Progress(curation.curated_now, flagship_target)
                if p == Pillar.PESANTRENPRENEUR
                else None,
            )
            for p in PILLARS
        ],
        cooperatives=[
            LegalStatusFigure(
                legal_status=code,
                label=str(Cooperative.LegalStatus(code).label)
                if code in Cooperative.LegalStatus.values
                else code,
                count=n,
                share=percent(n, totals.cooperatives),
            )
            for code, n in by_legal_status.items()
        ],
        cooperatives_total=totals.cooperatives,
        regencies=list(rows.values()),
        totals=totals,
        as_of=as_of,
        pending=pending,
        curation=curation,
    )


def uses_summary(access: Access) -> bool:
    """Whether this caller's figures come from the summary tables (else counted live)."""
    return bool(access) and access.reads_dashboard and _summary_scope(access) is not None


def _summary_scope(access: Access) -> str | None:
    """ "" for programme-wide summary rows, a regency code for an officer, None to count live."""
    if access.is_programme_wide:
        return ""
    if access.role == Role.OFFICER:
        return access.regency_code
    return None


def _summary_counts(programme_id: int, *, year: int, regency: str | None):
    def scoped(model) -> QuerySet:
        qs = model.objects.filter(programme_id=programme_id)
        return qs.filter(regency_id=regency) if regency else qs

    pillars = (
        scoped(PillarCount)
        .filter(status__in=COUNTED, cohort_year__lte=year)
        .values_list("regency_id", "pillar", "cohort_year")
        .annotate(n=Sum("count"))
        .order_by()
    )
    coops = (
        scoped(CooperativeCount)
        .filter(status=RecordStatus.ACTIVE)
        .values_list("regency_id", "legal_status")
        .annotate(n=Sum("count"))
        .order_by()
    )
    pesantren = (
        scoped(PesantrenCount)
        .filter(status=RecordStatus.ACTIVE)
        .values_list("regency_id")
        .annotate(n=Sum("count"))
        .order_by()
    )
    return list(pillars), list(coops), list(pesantren)


def _live_counts(access: Access, *, year: int):
    def grouped(participations: QuerySet) -> QuerySet:
        return (
            participations.filter(status__in=COUNTED, cohort_year__lte=year)
            .values_list("regency_id", "pillar", "cohort_year")
            .annotate(n=Count("id"))
            .order_by()
        )

    visible = registry.participations_visible_to(access)
    if access.role in (Role.FACILITATOR, Role.MANAGER):
        # The registry scopes these roles by "pesantren in P, or the person's pesantren in P".
        # Asked in one go, PostgreSQL answers that OR across a join by hashing every person
        # (0.5 s at a million rows). Split into two disjoint halves of the same visible
        # queryset, each half is an index look-up; their union is exactly the visible rows.
        # The halves name their candidate rows by id so that SQLite, too, starts from the
        # pesantren index instead of every row of the programme.
        home = list(registry.pesantren_visible_to(access).values_list("id", flat=True))
        of_pesantren = Participation.objects.filter(pesantren_id__in=home).values("id")
        of_people = Participation.objects.filter(person__pesantren_id__in=home).values("id")
        pillars = grouped(visible.filter(id__in=of_pesantren)).union(
            grouped(visible.filter(id__in=of_people).exclude(pesantren_id__in=home)),
            all=True,
        )
    else:
        pillars = grouped(visible)
    coops = (
        registry.cooperatives_visible_to(access)
        .filter(status=RecordStatus.ACTIVE)
        .values_list("pesantren__regency_id", "legal_status")
        .annotate(n=Count("id"))
        .order_by()
    )
    pesantren = (
        registry.pesantren_visible_to(access)
        .filter(status=RecordStatus.ACTIVE)
        .values_list("regency_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return list(pillars), list(coops), list(pesantren)


def _regency_rows(access, scope, pillar_rows, coop_rows, pesantren_rows) -> dict:
    """One row per kab/kota to show, keyed by code, in Kemendagri order.

    The whole programme lists every kab/kota of the province, zeros included; an officer their
    own; the narrow roles the kab/kota their records are in. A record whose kab/kota is unknown
    (or, through old data, outside the province) gets a row of its own, so rows add up to totals.
    """
    present = {r[0] for r in pillar_rows} | {r[0] for r in coop_rows}
    present |= {r[0] for r in pesantren_rows}
    if scope == Scope.PROGRAMME:
        regions = list(regencies_of(access.programme.province_id).values_list("code", "name"))
    elif scope == Scope.REGENCY:
        present.add(access.regency_code)
        regions = []
    else:
        regions = []
    known = {code for code, _name in regions}
    missing = sorted(code for code in present - known if code)
    if missing:
        regions += list(
            Region.objects.filter(code__in=missing).order_by("code").values_list("code", "name")
        )
    rows = {code: RegencyRow(code=code, name=name) for code, name in regions}
    if None in present:
        rows[None] = RegencyRow(code=None, name=_("Kab/kota unknown"))
    return rows


def _targets(
    programme_id: int, *, year: int
) -> tuple[dict[str, tuple[int | None, int | None]], int | None]:
    """{pillar: (target of the year, overall target)} from the first indicator of each pillar,
    and the overall target of the flagship-product indicator (by its code, FLAGSHIP_INDICATOR).
    """
    indicators = (
        Indicator.objects.filter(programme_id=programme_id, pillar__in=PILLARS)
        .annotate(
            year_target=Subquery(
                YearlyTarget.objects.filter(indicator=OuterRef("pk"), year=year).values("target")[
                    :1
                ]
            )
        )
        .order_by("position", "code")
        .values_list("pillar", "code", "year_target", "overall_target")
    )
    targets: dict[str, tuple[int | None, int | None]] = {}
    flagship = None
    for pillar, code, year_target, overall in indicators:
        targets.setdefault(pillar, (year_target, overall))
        if code == FLAGSHIP_INDICATOR:
            flagship = overall
    return targets, flagship


def _curation(access: Access, *, scope: str, year: int) -> CurationBacklog:
    """The curation backlog in the caller's scope: summary rows for the programme or a kab/kota
    (entries counted by their product's kab/kota), a live count of their own products else."""
    if scope == Scope.OWN:
        ids = list(products_visible_to(access).values_list("pk", flat=True))
        return curation_backlog(programme_id=access.programme_id, year=year, product_ids=ids)
    rows = CurationCount.objects.filter(programme_id=access.programme_id)
    if scope == Scope.REGENCY:
        rows = rows.filter(regency_id=access.regency_code)
    return backlog_from_summary(rows.filter(year__in=[year]) | rows.filter(year=None), year=year)
