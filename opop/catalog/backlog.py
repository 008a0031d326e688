"""The curation backlog and the count of curated products, for the dashboard.

Per entry of the programme's curation rounds (withdrawn ones aside):

- submitted: awaiting a result in its round's first stage, no juror has submitted a score;
- in review: awaiting a result with at least one submitted scoresheet, or in a later stage, or
  passed a stage that is not the last and not yet carried on;
- decided: its stage is published and the result is final (did not pass, or passed the last
  stage); counted for the year of the decision, as is the median number of days from the
  product's entry into the round to the decision.

Programme-wide and kab/kota figures come from the dashboard's summary rows (`CurationCount`,
written by `curation_summary_rows` during a dashboard refresh); small scopes (a facilitator's
pesantren, a manager's products) are counted live from their own product ids.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone

from opop.assessment.models import Assignment, Entry, Round, Stage
from opop.catalog.models import Product
from opop.catalog.selectors import curated_now

SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class CurationBacklog:
    submitted: int
    in_review: int
    passed: int
    not_passed: int
    median_days: float | None
    curated_now: int

    @property
    def decided(self) -> int:
        return self.passed + self.not_passed


@dataclass(frozen=True)
class _Fact:
    regency_id: str | None
    state: str  # "submitted", "in_review", "passed", "not_passed" or "" (carried on)
    decided_year: int | None = None
    days: int | None = None


def _facts(programme_id: int, product_ids: Iterable[int] | None = None) -> list[_Fact]:
    """One fact per curation entry: its state and, once decided, the year and days it took."""
    entries = Entry.objects.filter(
        stage__round__programme_id=programme_id,
        stage__round__purpose=Round.Purpose.CURATION,
        product__isnull=False,
    ).exclude(outcome=Entry.Outcome.WITHDRAWN)
    if product_ids is not None:
        entries = entries.filter(product_id__in=list(product_ids))
    same_round = Stage.objects.filter(round_id=OuterRef("stage__round_id"))
    rows = entries.annotate(
        round_id=F("stage__round_id"),
        position=F("stage__position"),
        stage_status=F("stage__status"),
        has_later=Exists(same_round.filter(position__gt=OuterRef("stage__position"))),
        has_earlier=Exists(same_round.filter(position__lt=OuterRef("stage__position"))),
        scored=Exists(Assignment.objects.filter(entry=OuterRef("pk"), submitted_at__isnull=False)),
        carried=Exists(Entry.objects.filter(previous=OuterRef("pk"))),
        decided_when=Coalesce("decided_at", "stage__published_at"),
    ).values_list(
        "regency_id",
        "round_id",
        "product_id",
        "position",
        "submitted_at",
        "stage_status",
        "outcome",
        "has_later",
        "has_earlier",
        "scored",
        "carried",
        "decided_when",
    )
    rows = list(rows.order_by())
    first_stage = {}
    entered = {}
    for _reg, round_id, product_id, position, submitted_at, *_rest in rows:
        key = (round_id, product_id)
        if key not in first_stage or position < first_stage[key]:
            first_stage[key] = position
            entered[key] = submitted_at
    zone = timezone.get_current_timezone()
    facts = []
    for row in rows:
        regency, round_id, product_id, position, _submitted, status, outcome = row[:7]
        has_later, has_earlier, scored, carried, decided_when = row[7:]
        published = status == Stage.Status.PUBLISHED
        if not published or outcome == Entry.Outcome.PENDING:
            state = "in_review" if scored or has_earlier else "submitted"
            facts.append(_Fact(regency, state))
        elif outcome == Entry.Outcome.PASSED and has_later:
            facts.append(_Fact(regency, "" if carried else "in_review"))
        elif decided_when is not None:
            start = entered.get((round_id, product_id)) or decided_when
            days = max(0, int((decided_when - start).total_seconds() // SECONDS_PER_DAY))
            year = decided_when.astimezone(zone).year
            facts.append(_Fact(regency, str(outcome), year, days))
    return facts


def _median_of_histogram(days: Counter) -> float | None:
    total = sum(days.values())
    if not total:
        return None
    middle = [(total - 1) // 2, total // 2]
    values, seen = [], 0
    for day in sorted(days):
        for index in middle:
            if seen <= index < seen + days[day]:
                values.append(day)
        seen += days[day]
    return round(sum(values) / len(values), 1)


def _backlog(facts: list[_Fact], *, year: int, curated: int) -> CurationBacklog:
    states = Counter(f.state for f in facts if f.decided_year in (None, year))
    days = Counter(f.days for f in facts if f.decided_year == year)
    return CurationBacklog(
        submitted=states["submitted"],
        in_review=states["in_review"],
        passed=states[Entry.Outcome.PASSED],
        not_passed=states[Entry.Outcome.NOT_PASSED],
        median_days=_median_of_histogram(days),
        curated_now=curated,
    )


def curation_backlog(
    *, programme_id: int, year: int, product_ids: Iterable[int] | None = None
) -> CurationBacklog:
    """Counted live: for the whole programme (tests, the refresh) or a small scope's products."""
    ids = None if product_ids is None else list(product_ids)
    curated = Product.objects.filter(programme_id=programme_id).filter(curated_now())
    if ids is not None:
        curated = curated.filter(pk__in=ids)
    return _backlog(_facts(programme_id, ids), year=year, curated=curated.count())


def curation_summary_rows(programme_id: int) -> list[dict]:
    """The rows of `dashboard.CurationCount` for a programme (see that model)."""
    now_rows: dict[str | None, Counter] = defaultdict(Counter)
    decided: dict[tuple[str | None, int], Counter] = defaultdict(Counter)
    days: dict[tuple[str | None, int], Counter] = defaultdict(Counter)
    for fact in _facts(programme_id):
        if fact.decided_year is None:
            if fact.state:
                now_rows[fact.regency_id][fact.state] += 1
        else:
            decided[(fact.regency_id, fact.decided_year)][fact.state] += 1
            days[(fact.regency_id, fact.decided_year)][fact.days] += 1
    for regency, n in (
        Product.objects.filter(programme_id=programme_id)
        .filter(curated_now())
        .values_list("enterprise__regency_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        now_rows[regency]["curated_now"] += n
    rows = [
        {"regency_id": regency, "year": None, **{k: c[k] for k in NOW_FIELDS}}
        for regency, c in now_rows.items()
    ]
    rows += [
        {
            "regency_id": regency,
            "year": year,
            "passed": c[Entry.Outcome.PASSED],
            "not_passed": c[Entry.Outcome.NOT_PASSED],
            "days": {str(day): n for day, n in days[(regency, year)].items()},
        }
        for (regency, year), c in decided.items()
    ]
    return rows


NOW_FIELDS = ("submitted", "in_review", "curated_now")


def backlog_from_summary(rows: Iterable, *, year: int) -> CurationBacklog:
    """Add up summary rows (already filtered to the programme, and the kab/kota if any)."""
    totals: Counter = Counter()
    days: Counter = Counter()
    for row in rows:
        if row.year is None:
            for name in NOW_FIELDS:
                totals[name] += getattr(row, name)
        elif row.year == year:
            totals["passed"] += row.passed
            totals["not_passed"] += row.not_passed
            days.update({int(day): n for day, n in row.days.items()})
    return CurationBacklog(
        submitted=totals["submitted"],
        in_review=totals["in_review"],
        passed=totals["passed"],
        not_passed=totals["not_passed"],
        median_days=_median_of_histogram(days),
        curated_now=totals["curated_now"],
    )
