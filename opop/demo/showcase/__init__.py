"""Ten years of history for one showcase pesantren per programme (issue 5, point 10), so that its
journey page has something to tell and the journey benchmark measures a long history.

The showcase is the pesantren of the demo cooperative manager (`manager.a@demo.opop.id`, whose
membership is scoped to it); a programme without that manager (Kalimantan Selatan) gets nothing.
`history_ensure` gives it, from 2016 to today:

- registry: the pesantren and its cooperative registered in January–February 2016, the
  cooperative incorporated in 2017 (legal date and AHU number), its people's registrations
  spread over the years (at least one a year, the oldest first), their enterprises and pillar
  participations dated after them and in their cohort year;
- milestones: the checklist verified item by item from 2016 to 2025, levels 0 → 1 (2017) → 2
  (2019) → 3 (2021), back to 2 when the year's RAT was missing (January 2023) and up to 3 again
  (June 2023); two level-4 items claimed and waiting, so the verification queue still has work;
- trainings: four sessions a year attended by a few of its people (14 or older, registered
  before), pre/post-test scores and certificates for most of them;
- visits: a facilitator's visit in almost every month (≈120 reports) with action items, most of
  them done;
- certifications: P-IRT, halal, trademark, BPOM and SNI tracks on its products — issued,
  rejected and retried, renewed, one BPOM permit expired with its renewal submitted;
- grants: a KUR Syariah loan in 2018 and 2025, closed grants of 2020 and 2022 (NPHD, two
  tranches, two accepted LPJ with receipts, closure);
- cooperative health: yearly reports on the books of 2015 (filed at registration) to last year,
  each with its RAT;
- assessment: an audition (2019), product curations (2020, 2022, 2024, with the curations the
  passes give) and OPOP Awards (2021, 2023, 2025) with published results.

It replaces what the other demo seeders gave that pesantren where they would contradict the
history (its milestone rows, its cooperative's yearly reports, the certificates and tracks of
the products it uses). Rows go in bulk: `RowWriter` for the tables the demo seeders write with
it (pass the seed's own writer: on SQLite it hands out keys in blocks) and the ORM's
`bulk_create` for grants and assessment, as their seeders do. One transaction; deterministic for
a given `rng` and `today`; idempotent: the marker is the pesantren's registration date in 2016,
so a second call writes nothing. Everything written here is removed by `demo_reset` (coaching
rows by `coaching_reset`, assessment rounds, curations, products and registry rows by the
registry's reset).

One module per aspect (`registry`, `milestones`, `training`, `visits`, `certifications`,
`grants`, `coophealth`, `assessment`), each writing from the shared `context.Context`;
`context.run` calls them in the order the draws depend on.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from importlib import import_module

from django.db import transaction
from django.utils import timezone

from opop.accounts.models import Membership, Role
from opop.demo.showcase.context import HISTORY_FROM, Context, run
from opop.demo.writer import RowWriter
from opop.journey.selectors import ASPECTS
from opop.registry.models import Pesantren

__all__ = [
    "HISTORY_FROM",
    "SHOWCASE_MANAGER",
    "history_ensure",
    "showcase_events",
    "showcase_pesantren",
]

SHOWCASE_MANAGER = "manager.a@demo.opop.id"


def showcase_pesantren(programme) -> Pesantren | None:
    membership = (
        Membership.objects.filter(
            programme=programme, role=Role.MANAGER, user__email=SHOWCASE_MANAGER
        )
        .select_related("pesantren", "user")
        .first()
    )
    if membership is None or membership.pesantren is None:
        return None
    return membership.pesantren


def history_ensure(
    programme, *, rng: random.Random, today: dt.date | None = None, writer: RowWriter | None = None
) -> Counter:
    """Give the programme's showcase pesantren its ten years (see the module's docstring).
    Returns the rows written per kind; nothing when it has them already or has no showcase."""
    pesantren = showcase_pesantren(programme)
    if pesantren is None or timezone.localtime(pesantren.created_at).year <= HISTORY_FROM:
        return Counter()
    today = today or timezone.localdate()
    writer = writer or RowWriter(now=timezone.now())
    with transaction.atomic():
        ctx = Context.load(programme, pesantren, rng=rng, today=today, writer=writer)
        run(ctx)
    return ctx.counts


def showcase_events(programme) -> Counter:
    """The showcase's journey events per aspect, as the programme admin reads them."""
    from opop.accounts.access import access_for

    pesantren = showcase_pesantren(programme)
    admin = (
        Membership.objects.filter(programme=programme, role=Role.ADMIN, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if pesantren is None or admin is None:
        return Counter()
    access = access_for(admin.user, programme_code=programme.code)
    counts: Counter = Counter()
    for aspect, source in _aspect_sources():
        counts[aspect] = len(import_module(source).journey_events(pesantren.pk, access))
    return counts


def _aspect_sources() -> list[tuple[str, str]]:
    return [(aspect.code, aspect.source) for aspect in ASPECTS]
