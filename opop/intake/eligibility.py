"""What stands between an application and its submission: missing fields and unmet rules.

Both lists speak to the applicant: each entry has a stable `code` (for the API and tests) and a
translated, specific message saying what is wrong and what to do. The rules come from the
cohort (NSPP required, not accepted before, age range, required documents) plus the
registration window; staff apply the quota later, so it is not checked here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.common.identifiers import age_on, parse_nspp
from opop.intake.models import Application, Cohort, DocumentKind
from opop.registry.models import Cooperative, Participation
from opop.registry.rules import is_minor

# Codes of unmet rules (stable: the API returns them).
COHORT_NOT_OPEN = "cohort_not_open"
WINDOW_NOT_YET_OPEN = "window_not_yet_open"
WINDOW_CLOSED = "window_closed"
NSPP_REQUIRED = "nspp_required"
EARLIER_COHORT = "earlier_cohort"
TOO_YOUNG = "too_young"
TOO_OLD = "too_old"
DOCUMENT_MISSING = "document_missing"
FIELD_MISSING = "field_missing"
GUARDIAN_REQUIRED = "guardian_required"

# Fields every complete application of a kind carries ("nik" stands for the stored NIK hash).
PESANTREN_REQUIRED = [
    "pesantren_name",
    "pesantren_kind",
    "leader_name",
    "regency",
    "district",
    "address",
    "cooperative_name",
    "cooperative_legal_status",
    "full_name",
    "nik",
    "birth_date",
    "phone",
    "email",
]
PARTICIPANT_REQUIRED = [
    "full_name",
    "nik",
    "gender",
    "birth_date",
    "phone",
    "email",
    "affiliation",
    "regency",
    "district",
    "address",
    "business_name",
    "business_sector",
    "business_description",
]


@dataclass(frozen=True)
class Unmet:
    code: str
    message: str
    # The form field or document kind to fix, when there is one.
    field: str = ""


def required_fields(application: Application) -> list[str]:
    cohort = application.cohort
    if not cohort.is_for_pesantren:
        return list(PARTICIPANT_REQUIRED)
    fields = list(PESANTREN_REQUIRED)
    if cohort.require_nspp:
        fields.insert(1, "nspp")
    if application.cooperative_legal_status == Cooperative.LegalStatus.INCORPORATED:
        fields.append("cooperative_legal_number")
    if application.business_name:  # a flagship business, when named, needs its sector
        fields.append("business_sector")
    return fields


def _label(name: str) -> str:
    if name == "nik":
        return _("NIK")
    return str(Application._meta.get_field(name).verbose_name)


def missing_fields(application: Application) -> list[Unmet]:
    """The required fields still empty, in the order of the form (the NSPP is left to its
    rule, `nspp_required`, which says why it is needed)."""
    missing = []
    for name in required_fields(application):
        if name == "nspp":
            continue
        value = application.nik_hash if name == "nik" else getattr(application, _attname(name))
        if value in (None, ""):
            missing.append(
                Unmet(FIELD_MISSING, _("Fill in: %(field)s.") % {"field": _label(name)}, name)
            )
    return missing


def _attname(name: str) -> str:
    return Application._meta.get_field(name).attname


def check_eligibility(application: Application, *, today: dt.date | None = None) -> list[Unmet]:
    """The cohort's rules this application does not meet yet, each explained."""
    today = today or timezone.localdate()
    cohort = application.cohort
    unmet = _window(cohort, today)
    if cohort.is_for_pesantren and cohort.require_nspp and not _valid_nspp(application.nspp):
        unmet.append(
            Unmet(
                NSPP_REQUIRED,
                _(
                    "This cohort is only for pesantren with an NSPP: give the pesantren's "
                    "12-digit NSPP number."
                ),
                "nspp",
            )
        )
    if cohort.exclude_earlier_cohorts:
        unmet.extend(_earlier_cohorts(application))
    unmet.extend(_age(application))
    unmet.extend(_guardian(application, today))
    unmet.extend(_documents(application))
    return unmet


def _window(cohort: Cohort, today: dt.date) -> list[Unmet]:
    if cohort.status != Cohort.Status.OPEN:
        message = _("Registration for %(cohort)s is not open.") % {"cohort": cohort.name}
        return [Unmet(COHORT_NOT_OPEN, message)]
    if today < cohort.opens_on:
        message = _("Registration for %(cohort)s opens on %(date)s.") % {
            "cohort": cohort.name,
            "date": cohort.opens_on.isoformat(),
        }
        return [Unmet(WINDOW_NOT_YET_OPEN, message)]
    if today > cohort.closes_on:
        message = _("Registration for %(cohort)s closed on %(date)s.") % {
            "cohort": cohort.name,
            "date": cohort.closes_on.isoformat(),
        }
        return [Unmet(WINDOW_CLOSED, message)]
    return []


def _valid_nspp(value: str) -> bool:
    try:
        parse_nspp(value)
    except ValidationError:
        return False
    return bool(value)


def _earlier_cohorts(application: Application) -> list[Unmet]:
    cohort = application.cohort
    accepted = Application.objects.filter(
        programme_id=application.programme_id,
        status=Application.Status.ACCEPTED,
        cohort__pillar=cohort.pillar,
        cohort__year__lt=cohort.year,
    ).exclude(pk=application.pk)
    participations = Participation.objects.filter(
        programme_id=application.programme_id,
        pillar=cohort.pillar,
        cohort_year__lt=cohort.year,
    ).exclude(status=Participation.Status.CANDIDATE)
    if cohort.is_for_pesantren:
        if not application.nspp:
            return []
        accepted = accepted.filter(nspp=application.nspp)
        participations = participations.filter(pesantren__nspp=application.nspp)
        who = _("The pesantren with NSPP %(nspp)s") % {"nspp": application.nspp}
    else:
        if not application.nik_hash:
            return []
        accepted = accepted.filter(nik_hash=application.nik_hash)
        participations = participations.filter(person__nik_hash=application.nik_hash)
        who = _("The person with this NIK")
    unmet = []
    earlier = accepted.select_related("cohort").order_by("cohort__year").first()
    if earlier:
        message = _(
            "%(who)s was already accepted in the %(year)s cohort (%(cohort)s); this cohort is "
            "only for those not accepted in an earlier one."
        ) % {"who": who, "year": earlier.cohort.year, "cohort": earlier.cohort.name}
        unmet.append(Unmet(EARLIER_COHORT, message))
    years = sorted(set(participations.values_list("cohort_year", flat=True)))
    if years and not earlier:
        message = _(
            "%(who)s is already in the programme's registry as a %(pillar)s participant of the "
            "%(year)s cohort; this cohort is only for those not accepted in an earlier one."
        ) % {"who": who, "pillar": cohort.get_pillar_display(), "year": years[0]}
        unmet.append(Unmet(EARLIER_COHORT, message))
    return unmet


def _guardian(application: Application, today: dt.date) -> list[Unmet]:
    """A minor applicant's data needs a parent's or guardian's name and consent (UU PDP)."""
    cohort = application.cohort
    if cohort.is_for_pesantren or application.birth_date is None:
        return []
    # A cohort for adults only says so through its age rule (counted on the closing date).
    if cohort.min_age is not None and cohort.min_age >= 18:
        return []
    if not is_minor(application.birth_date, on=today):
        return []
    if application.guardian_name and application.guardian_consent_at:
        return []
    message = _(
        "The applicant is under 18: give a parent's or guardian's name and tick their consent."
    )
    return [Unmet(GUARDIAN_REQUIRED, message, "guardian_name")]


def _age(application: Application) -> list[Unmet]:
    cohort = application.cohort
    birth = application.birth_date
    if birth is None or (cohort.min_age is None and cohort.max_age is None):
        return []
    age = age_on(birth, cohort.closes_on)
    low, high = cohort.min_age, cohort.max_age
    if (low is None or age >= low) and (high is None or age <= high):
        return []
    values = {
        "who": _("The representative") if cohort.is_for_pesantren else _("The applicant"),
        "min": low,
        "max": high,
        "closes": cohort.closes_on.isoformat(),
        "born": birth.isoformat(),
        "age": age,
    }
    # Whole sentences, so that each can be translated as one.
    if low is not None and high is not None:
        message = _(
            "%(who)s must be %(min)s to %(max)s years old on the closing date (%(closes)s); "
            "born %(born)s makes them %(age)s."
        )
    elif low is not None:
        message = _(
            "%(who)s must be at least %(min)s years old on the closing date (%(closes)s); "
            "born %(born)s makes them %(age)s."
        )
    else:
        message = _(
            "%(who)s must be at most %(max)s years old on the closing date (%(closes)s); "
            "born %(born)s makes them %(age)s."
        )
    message = message % values
    code = TOO_YOUNG if low is not None and age < low else TOO_OLD
    return [Unmet(code, message, "birth_date")]


def _documents(application: Application) -> list[Unmet]:
    required = [kind for kind in application.cohort.required_documents if kind in DocumentKind]
    if not required:
        return []
    present = {doc.kind for doc in application.documents.all()}
    return [
        Unmet(
            DOCUMENT_MISSING,
            _("Upload the %(document)s: this cohort requires it.")
            % {"document": DocumentKind(kind).label},
            kind,
        )
        for kind in required
        if kind not in present
    ]


def submission_blockers(application: Application, *, today: dt.date | None = None) -> list[Unmet]:
    """Everything that refuses a submission: missing fields first, then unmet rules."""
    return missing_fields(application) + check_eligibility(application, today=today)
