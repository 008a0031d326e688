"""A file's typed data as the verifier reads it, grouped like the checklist's field groups.

The NIK is only ever shown masked; contact data is masked for readers without
`access.sees_contact` (the auditor).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from opop.common import pii
from opop.common.identifiers import age_on
from opop.intake.models import Application
from opop.intake.services.verification import FIELD_GROUPS, field_groups_for
from opop.registry.views.display import MISSING, display

GROUP_FIELDS = {
    "location": ["regency", "district", "address"],
    "pesantren": ["pesantren_name", "nspp", "pesantren_kind", "leader_name", "founded_year"],
    "cooperative": [
        "cooperative_name",
        "cooperative_legal_status",
        "cooperative_legal_number",
        "cooperative_nib",
        "cooperative_npwp",
    ],
    "person": [
        "full_name",
        "nik_masked",
        "gender",
        "birth_date",
        "phone",
        "email",
        "affiliation",
        "origin_pesantren",
        "guardian_name",
        "guardian_relation",
        "guardian_consent_at",
        "consent_at",
    ],
    "business": [
        "business_name",
        "business_sector",
        "business_nib",
        "business_started_year",
        "business_description",
    ],
}
PARTICIPANT_ONLY = {
    "affiliation",
    "origin_pesantren",
    "guardian_name",
    "guardian_relation",
    "guardian_consent_at",
}
CONTACT_MASKS = {
    "phone": pii.mask_phone,
    "email": pii.mask_email,
    "address": pii.mask_text,
    "birth_date": lambda _value: pii.MASK * 8,
}


def _value(application: Application, name: str, *, masked: bool) -> str:
    field = application._meta.get_field(name)
    raw = getattr(application, field.attname)
    if raw in (None, ""):
        return MISSING
    if masked and name in CONTACT_MASKS:
        return CONTACT_MASKS[name](raw)
    if field.is_relation:
        return str(getattr(application, name))
    text = display(field, raw)
    if name == "birth_date":
        age = age_on(raw, timezone.localdate())
        return _("%(date)s (aged %(age)d)") % {"date": text, "age": age}
    return text


def application_sections(application: Application, *, access) -> list[dict]:
    masked = not access.sees_contact
    # A pesantren's representative has no pesantren of origin nor a guardian.
    skipped = PARTICIPANT_ONLY if application.cohort.is_for_pesantren else set()
    return [
        {
            "key": group,
            "title": FIELD_GROUPS[group],
            "rows": [
                (
                    application._meta.get_field(name).verbose_name,
                    _value(application, name, masked=masked),
                )
                for name in GROUP_FIELDS[group]
                if name not in skipped
            ],
        }
        for group in field_groups_for(application)
    ]
