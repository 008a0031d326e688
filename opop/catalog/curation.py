"""Product curation: submitting a product to a curation round, and what its outcome makes of it.

The assessment engine (`opop.assessment`) runs the round; this module is the product's side:
`curation_submit` puts a product into the open round's first stage, `curation_apply` turns a
published result into a `Curation` (or revokes one), and `curation_status` tells the product
page where the product stands. A product is "Produk Unggulan OPOP" while it has a Curation
valid today (see `opop.catalog.selectors.curated_now`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from opop.assessment import services as assessment_services
from opop.assessment.models import Assignment, Entry, Round, Stage
from opop.catalog.curation_outcome import (  # noqa: F401 (the engine calls curation.*)
    add_months,
    curation_apply,
    grade_for,
)
from opop.catalog.models import Curation, Product
from opop.catalog.selectors import product_curation
from opop.common.audit import audit_record
from opop.common.models import AuditEvent

# A description shorter than this does not tell a curator what the product is.
DESCRIPTION_MIN_CHARS = 50
# A curated product may be submitted again this many days before its curation ends (renewal).
RENEWAL_DAYS = 90
OPEN_STATUSES = (Stage.Status.SETUP, Stage.Status.SCORING)


# --- Which round takes submissions ------------------------------------------------------------


def first_stages():
    """Stages that are the first of their round (no stage with a lower position)."""
    earlier = Stage.objects.filter(round=OuterRef("round"), position__lt=OuterRef("position"))
    return Stage.objects.filter(~Exists(earlier))


def curation_open_stage(programme) -> Stage | None:
    """The first stage of the programme's newest curation round still taking entries."""
    return (
        first_stages()
        .filter(
            round__programme=programme,
            round__purpose=Round.Purpose.CURATION,
            status__in=OPEN_STATUSES,
        )
        .select_related("round")
        .order_by("-round__year", "-round__created_at", "-round_id")
        .first()
    )


def curation_entries(product: Product):
    """Every entry of the product in the programme's curation rounds, newest first."""
    return (
        Entry.objects.filter(product=product, stage__round__purpose=Round.Purpose.CURATION)
        .select_related("stage", "stage__round")
        .order_by("-submitted_at", "-id")
    )


def curation_missing(product: Product) -> list[str]:
    """What the product lacks before it may be submitted, as sentences for its keeper."""
    missing = []
    if not product.photos.exists():
        missing.append(_("Add at least one photo of the product."))
    if len((product.description or "").strip()) < DESCRIPTION_MIN_CHARS:
        missing.append(
            _("Write a description of at least %(count)d characters (what it is, how it is made).")
            % {"count": DESCRIPTION_MIN_CHARS}
        )
    return missing


# --- Submission -------------------------------------------------------------------------------


@transaction.atomic
def curation_submit(*, actor, product: Product) -> Entry:
    """Enter the product into the open curation round; the caller checked `actor` keeps it.

    Refused while the product lacks a photo or a description, while no curation round takes
    entries, and while an earlier submission is still being assessed. Submitting the same
    product to the same stage twice returns the existing entry.
    """
    product = Product.objects.select_for_update(of=("self",)).get(pk=product.pk)
    missing = curation_missing(product)
    if missing:
        raise ValidationError(missing)
    stage = curation_open_stage(product.programme)
    if stage is None:
        raise ValidationError(_("No curation round is taking products at the moment."))
    existing = curation_entries(product).filter(stage=stage).first()
    if existing is not None:
        if existing.outcome == Entry.Outcome.WITHDRAWN:
            raise ValidationError(
                _("This product was withdrawn from this round; it can enter the next one.")
            )
        return existing
    refusal = curation_refusal(product)
    if refusal:
        raise ValidationError(refusal)
    entry = assessment_services.entry_add(actor=actor, stage=stage, product=product, owner=actor)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=product,
        programme_id=product.programme_id,
        changes={"curation": [None, stage.round.name]},
        note=f"submitted for curation: entry {entry.pk}",
    )
    return entry


def curation_refusal(product: Product) -> str | None:
    """Why the product may not be submitted now (its state, not its data), or None."""
    valid = product_curation(product)
    if valid is not None:
        renew_from = valid.valid_until - dt.timedelta(days=RENEWAL_DAYS)
        if timezone.localdate() < renew_from:
            return _(
                "This product is Produk Unggulan OPOP until %(until)s; it can be submitted "
                "again from %(from)s."
            ) % {
                "until": date_format(valid.valid_until, "SHORT_DATE_FORMAT"),
                "from": date_format(renew_from, "SHORT_DATE_FORMAT"),
            }
    if _in_progress(product):
        return _("This product is already being assessed in a curation round.")
    return None


def _in_progress(product: Product) -> bool:
    """Whether an entry of the product awaits a result, or passed a stage before the last."""
    for entry in curation_entries(product)[:5]:
        if entry.outcome == Entry.Outcome.WITHDRAWN:
            continue
        if entry.stage.status != Stage.Status.PUBLISHED or entry.outcome == Entry.Outcome.PENDING:
            return True
        return entry.outcome == Entry.Outcome.PASSED and not _is_last_stage(entry.stage)
    return False


def _is_last_stage(stage: Stage) -> bool:
    return not Stage.objects.filter(round_id=stage.round_id, position__gt=stage.position).exists()


# --- Where a product stands (product page) ----------------------------------------------------


@dataclass(frozen=True)
class CurationStatus:
    NONE = "none"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    PASSED = "passed"
    NOT_PASSED = "not_passed"
    EXPIRED = "expired"

    state: str
    round_name: str = ""
    submitted_at: datetime | None = None
    decided_at: datetime | None = None
    grade: str = ""
    valid_until: date | None = None


def curation_status(product: Product) -> CurationStatus:
    """Where the product stands in curation, as its page shows it; results only once published."""
    valid = product_curation(product)
    if valid is not None:
        return CurationStatus(
            CurationStatus.PASSED,
            grade=valid.grade,
            valid_until=valid.valid_until,
            decided_at=valid.created_at,
        )
    entries = [e for e in curation_entries(product)[:5] if e.outcome != Entry.Outcome.WITHDRAWN]
    if not entries:
        return CurationStatus(CurationStatus.NONE)
    entry = entries[0]
    stage, name = entry.stage, entry.stage.round.name
    first = _first_submission(entry)
    if stage.status != Stage.Status.PUBLISHED or entry.outcome == Entry.Outcome.PENDING:
        scored = Assignment.objects.filter(entry=entry, submitted_at__isnull=False).exists()
        is_first = not Stage.objects.filter(
            round_id=stage.round_id, position__lt=stage.position
        ).exists()
        state = CurationStatus.IN_REVIEW if scored or not is_first else CurationStatus.SUBMITTED
        return CurationStatus(state, round_name=name, submitted_at=first)
    if entry.outcome == Entry.Outcome.NOT_PASSED:
        return CurationStatus(
            CurationStatus.NOT_PASSED,
            round_name=name,
            submitted_at=first,
            decided_at=entry.decided_at or stage.published_at,
        )
    if not _is_last_stage(stage):
        return CurationStatus(CurationStatus.IN_REVIEW, round_name=name, submitted_at=first)
    ended = Curation.objects.filter(product=product).order_by("-valid_until").first()
    return CurationStatus(
        CurationStatus.EXPIRED if ended else CurationStatus.PASSED,
        round_name=name,
        submitted_at=first,
        grade=ended.grade if ended else "",
        valid_until=ended.valid_until if ended else None,
    )


def _first_submission(entry: Entry) -> datetime:
    """When the product entered the round (its entry in the round's first stage)."""
    root = (
        Entry.objects.filter(stage__round_id=entry.stage.round_id, product_id=entry.product_id)
        .order_by("stage__position")
        .values_list("submitted_at", flat=True)
        .first()
    )
    return root or entry.submitted_at
