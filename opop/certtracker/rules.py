"""The tracker's rules, free of the database: which moves are allowed, how a track's shown status
is derived from its certificate's expiry, and the halal self-declare eligibility check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, CharField, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

from opop.certtracker.models import TrackStatus

EXPIRING_DAYS = 90
REMINDER_THRESHOLDS = (90, 30)

# The only moves a track may make; anything else is refused.
MOVES: dict[str, tuple[str, ...]] = {
    TrackStatus.PLANNED: (TrackStatus.PREPARING,),
    TrackStatus.PREPARING: (TrackStatus.SUBMITTED,),
    TrackStatus.SUBMITTED: (TrackStatus.ISSUED, TrackStatus.REJECTED),
    TrackStatus.ISSUED: (),
    TrackStatus.REJECTED: (),
}
OPEN = (TrackStatus.PLANNED, TrackStatus.PREPARING, TrackStatus.SUBMITTED)

# Shown statuses: the stored ones plus the two derived from the certificate's expiry.
EXPIRING, EXPIRED = "expiring", "expired"
SHOWN_STATUSES: list[tuple[str, str]] = [
    (TrackStatus.PLANNED, TrackStatus.PLANNED.label),
    (TrackStatus.PREPARING, TrackStatus.PREPARING.label),
    (TrackStatus.SUBMITTED, TrackStatus.SUBMITTED.label),
    (TrackStatus.ISSUED, TrackStatus.ISSUED.label),
    (EXPIRING, _("Expiring")),
    (EXPIRED, _("Expired")),
    (TrackStatus.REJECTED, TrackStatus.REJECTED.label),
]
SHOWN_LABELS = dict(SHOWN_STATUSES)


def may_move(from_status: str, to_status: str) -> bool:
    return to_status in MOVES.get(from_status, ())


def shown_status(status: str, expires_on: dt.date | None, today: dt.date) -> str:
    """An issued track is expiring within 90 days of its certificate's expiry, expired after."""
    if status != TrackStatus.ISSUED or expires_on is None:
        return status
    if expires_on < today:
        return EXPIRED
    if expires_on <= today + dt.timedelta(days=EXPIRING_DAYS):
        return EXPIRING
    return TrackStatus.ISSUED


def shown_status_expression(today: dt.date, prefix: str = "") -> Case:
    """The same derivation in SQL, for grouping and filtering (`prefix` for related lookups)."""
    expires = f"{prefix}certification__expires_on"
    status = f"{prefix}status"
    issued = Q(**{status: TrackStatus.ISSUED})
    return Case(
        When(issued & Q(**{f"{expires}__lt": today}), then=Value(EXPIRED)),
        When(
            issued & Q(**{f"{expires}__lte": today + dt.timedelta(days=EXPIRING_DAYS)}),
            then=Value(EXPIRING),
        ),
        default=F(status),
        output_field=CharField(),
    )


def shown_status_filter(shown: str, today: dt.date) -> Q:
    limit = today + dt.timedelta(days=EXPIRING_DAYS)
    issued = Q(status=TrackStatus.ISSUED)
    if shown == EXPIRED:
        return issued & Q(certification__expires_on__lt=today)
    if shown == EXPIRING:
        return issued & Q(
            certification__expires_on__gte=today, certification__expires_on__lte=limit
        )
    if shown == TrackStatus.ISSUED:
        return issued & (
            Q(certification__isnull=True)
            | Q(certification__expires_on__isnull=True)
            | Q(certification__expires_on__gt=limit)
        )
    return Q(status=shown)


def reminder_threshold(expires_on: dt.date, today: dt.date) -> int | None:
    """The reminder due today: the smallest threshold the days left have reached (so a run
    that starts late sends the 30-day one, not both). None when nothing is due or it expired."""
    days_left = (expires_on - today).days
    if days_left < 0:
        return None
    due = [t for t in REMINDER_THRESHOLDS if days_left <= t]
    return min(due) if due else None


# --- Halal self-declare (BPJPH "pernyataan pelaku usaha") ---------------------------------------

# PP 7/2021: a small business sells at most Rp15 billion a year (micro: Rp2 billion).
SMALL_BUSINESS_MAX_ANNUAL_SALES = 15_000_000_000


@dataclass(frozen=True)
class RuleOutcome:
    code: str
    met: bool | None  # None: unknown (not answered and not in the registry)
    text: str  # what the rule asks, or why it is not met, in words


@dataclass(frozen=True)
class Eligibility:
    outcomes: tuple[RuleOutcome, ...]

    @property
    def eligible(self) -> bool:
        return all(outcome.met for outcome in self.outcomes)

    @property
    def unmet(self) -> list[RuleOutcome]:
        return [outcome for outcome in self.outcomes if not outcome.met]


def halal_self_declare(
    *,
    nib: str | None = None,
    monthly_revenue: int | None = None,
    small_business: bool | None = None,
    simple_process: bool | None = None,
    low_risk_ingredients: bool | None = None,
    slaughtering: bool | None = None,
) -> Eligibility:
    """Check the self-declare route's rules. What the registry knows (NIB, monthly revenue)
    wins over an answer; each rule not met carries a sentence saying why and what to do."""
    outcomes = []
    if monthly_revenue is not None:
        annual = monthly_revenue * 12
        met = annual <= SMALL_BUSINESS_MAX_ANNUAL_SALES
        text = (
            _("Micro or small business: yearly sales in the registry are within Rp15 billion.")
            if met
            else _(
                "Yearly sales in the registry exceed Rp15 billion, the limit of a small business: "
                "use the regular halal certification route."
            )
        )
        outcomes.append(RuleOutcome("size", met, str(text)))
    else:
        outcomes.append(
            _answer(
                "size",
                small_business,
                _("Micro or small business (yearly sales up to Rp15 billion)."),
                _(
                    "Only micro and small businesses (yearly sales up to Rp15 billion) may "
                    "self-declare."
                ),
            )
        )
    if nib is None:
        outcomes.append(
            RuleOutcome(
                "nib", None, str(_("Choose the business: its NIB is read from the registry."))
            )
        )
    elif nib.strip():
        outcomes.append(RuleOutcome("nib", True, str(_("The business has an NIB."))))
    else:
        outcomes.append(
            RuleOutcome(
                "nib",
                False,
                str(
                    _(
                        "The registry has no NIB for this business: register it on OSS "
                        "(oss.go.id) and enter the NIB first."
                    )
                ),
            )
        )
    outcomes.append(
        _answer(
            "process",
            simple_process,
            _("The production process is simple (no special technology or treatment)."),
            _(
                "The production process is not simple; self-declare needs a simple process, "
                "so the regular route (with an auditor) applies."
            ),
        )
    )
    outcomes.append(
        _answer(
            "ingredients",
            low_risk_ingredients,
            _("All ingredients are low-risk or already certified halal."),
            _(
                "Some ingredients are not low-risk or not certified halal; replace them with "
                "certified ones or use the regular route."
            ),
        )
    )
    no_slaughter = None if slaughtering is None else not slaughtering
    outcomes.append(
        _answer(
            "slaughter",
            no_slaughter,
            _("No slaughtering in the process."),
            _(
                "Products involving slaughtering cannot be self-declared; they need the "
                "regular route."
            ),
        )
    )
    return Eligibility(tuple(outcomes))


def _answer(code: str, met: bool | None, rule, refusal) -> RuleOutcome:
    if met is None:
        return RuleOutcome(code, None, str(_("Not answered: %(rule)s") % {"rule": rule}))
    return RuleOutcome(code, met, str(rule if met else refusal))
