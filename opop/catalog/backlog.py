"""The curation backlog and the count of curated products, for the dashboard.

Per entry of the programme's curation rounds (withdrawn ones aside):

- submitted: awaiting a result in its round's first stage, no juror has submitted a score;
- in review: awaiting a result with at least one submitted scoresheet, or in a later stage, or
  passed a stage that is not the last and not yet carried on;
- decided: its stage is published and the result is final (did not pass, or passed the last
  stage); counted for the year of the decision, as is the median number of days from the
  product's entry into the round to the decision.

Three queries whatever the data: one conditional aggregate, the decided entries' two dates,
and the count of curated products. Scope: `products` (a scoped Product queryset) narrows every
figure to those products; None means the whole programme.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
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


def _entries(programme_id: int, products: QuerySet | None) -> QuerySet[Entry]:
    entries = Entry.objects.filter(
        stage__round__programme_id=programme_id,
        stage__round__purpose=Round.Purpose.CURATION,
        product__isnull=False,
    ).exclude(outcome=Entry.Outcome.WITHDRAWN)
    if products is not None:
        entries = entries.filter(product__in=products.values("pk"))
    same_round = Stage.objects.filter(round_id=OuterRef("stage__round_id"))
    return entries.annotate(
        has_later=Exists(same_round.filter(position__gt=OuterRef("stage__position"))),
        has_earlier=Exists(same_round.filter(position__lt=OuterRef("stage__position"))),
        scored=Exists(Assignment.objects.filter(entry=OuterRef("pk"), submitted_at__isnull=False)),
        carried=Exists(Entry.objects.filter(previous=OuterRef("pk"))),
        decided_when=Coalesce("decided_at", "stage__published_at"),
    )


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    return (
        dt.datetime(year, 1, 1, tzinfo=zone),
        dt.datetime(year + 1, 1, 1, tzinfo=zone),
    )


def curation_backlog(
    *, programme_id: int, year: int, products: QuerySet | None = None
) -> CurationBacklog:
    entries = _entries(programme_id, products)
    published = Q(stage__status=Stage.Status.PUBLISHED)
    awaiting = ~published | Q(outcome=Entry.Outcome.PENDING)
    start, end = _year_bounds(year)
    decided = (
        published
        & (Q(outcome=Entry.Outcome.NOT_PASSED) | Q(outcome=Entry.Outcome.PASSED, has_later=False))
        & Q(decided_when__gte=start, decided_when__lt=end)
    )
    counts = entries.aggregate(
        submitted=Count("pk", filter=awaiting & Q(scored=False, has_earlier=False)),
        in_review=Count(
            "pk",
            filter=(awaiting & (Q(scored=True) | Q(has_earlier=True)))
            | (published & Q(outcome=Entry.Outcome.PASSED, has_later=True, carried=False)),
        ),
        passed=Count("pk", filter=decided & Q(outcome=Entry.Outcome.PASSED)),
        not_passed=Count("pk", filter=decided & Q(outcome=Entry.Outcome.NOT_PASSED)),
    )
    first_entry = Entry.objects.filter(
        stage__round_id=OuterRef("stage__round_id"), product_id=OuterRef("product_id")
    ).order_by("stage__position", "id")
    spans = (
        entries.filter(decided)
        .annotate(entered=Subquery(first_entry.values("submitted_at")[:1]))
        .values_list("entered", "decided_when")
        .order_by()
    )
    days = [
        max(0.0, (decided_at - entered).total_seconds() / SECONDS_PER_DAY)
        for entered, decided_at in spans
        if entered and decided_at
    ]
    curated = Product.objects.filter(programme_id=programme_id).filter(curated_now())
    if products is not None:
        curated = curated.filter(pk__in=products.values("pk"))
    return CurationBacklog(
        submitted=counts["submitted"],
        in_review=counts["in_review"],
        passed=counts["passed"],
        not_passed=counts["not_passed"],
        median_days=round(statistics.median(days), 1) if days else None,
        curated_now=curated.count(),
    )
