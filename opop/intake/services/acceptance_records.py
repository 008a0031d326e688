"""The registry records an accepted file becomes, written through the registry services.

Existing records are reused rather than duplicated: a pesantren by NSPP, a person by NIK hash,
a cooperative or enterprise by NIB (or a cooperative by name within its pesantren), a pillar
participation by its subject. Reused records are not changed: the registry stays what its
keepers made it, and the file is linked to it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from opop.common import pii
from opop.intake.models import Application, Cohort
from opop.programmes.models import Pillar
from opop.registry import rules
from opop.registry import services as registry
from opop.registry.models import Cooperative, Enterprise, Participation, Person, Pesantren

CONSENT_PURPOSE = "Pendaftaran dan pembinaan peserta OPOP"


def records_for(*, actor, cohort: Cohort, application: Application) -> dict:
    if cohort.is_for_pesantren:
        return _pesantren_records(actor=actor, cohort=cohort, app=application)
    return _participant_records(actor=actor, cohort=cohort, app=application)


def _pesantren_records(*, actor, cohort: Cohort, app: Application) -> dict:
    programme = cohort.programme
    pesantren = _pesantren(actor=actor, programme=programme, app=app)
    cooperative = _cooperative(actor=actor, programme=programme, app=app, pesantren=pesantren)
    person = _person(actor=actor, programme=programme, app=app, pesantren=pesantren)
    enterprise = None
    if app.business_name:
        enterprise = _enterprise(
            actor=actor,
            programme=programme,
            app=app,
            links={"pesantren": pesantren, "cooperative": cooperative, "owner": None},
        )
    participation = _participation(
        actor=actor,
        programme=programme,
        pillar=Pillar.PESANTRENPRENEUR,
        year=cohort.year,
        subject={"pesantren": pesantren, "person": None},
        enterprise=enterprise,
    )
    return {
        "pesantren": pesantren,
        "cooperative": cooperative,
        "person": person,
        "enterprise": enterprise,
        "participation": participation,
    }


def _participant_records(*, actor, cohort: Cohort, app: Application) -> dict:
    programme = cohort.programme
    person = _person(actor=actor, programme=programme, app=app, pesantren=app.origin_pesantren)
    if person is None:
        raise ValidationError(_("The file has no name of the participant."))
    enterprise = None
    if app.business_name:
        enterprise = _enterprise(
            actor=actor,
            programme=programme,
            app=app,
            links={"owner": person, "pesantren": None, "cooperative": None},
        )
    participation = _participation(
        actor=actor,
        programme=programme,
        pillar=cohort.pillar,
        year=cohort.year,
        subject={"person": person, "pesantren": None},
        enterprise=enterprise,
    )
    return {"person": person, "enterprise": enterprise, "participation": participation}


def _pesantren(*, actor, programme, app: Application) -> Pesantren:
    if app.nspp:
        existing = Pesantren.objects.filter(programme=programme, nspp=app.nspp).first()
        if existing:
            return existing
    return registry.pesantren_save(
        actor=actor,
        programme=programme,
        data={
            "name": app.pesantren_name,
            "nspp": app.nspp,
            "kind": app.pesantren_kind,
            "regency": app.regency,
            "district": app.district,
            "address": app.address,
            "leader_name": app.leader_name,
            "founded_year": app.founded_year,
        },
    )


def _cooperative(*, actor, programme, app: Application, pesantren) -> Cooperative | None:
    if not app.cooperative_name:
        return None
    existing = None
    if app.cooperative_nib:
        existing = Cooperative.objects.filter(programme=programme, nib=app.cooperative_nib).first()
    if existing is None:
        existing = Cooperative.objects.filter(
            pesantren=pesantren, name__iexact=app.cooperative_name
        ).first()
    if existing:
        return existing
    data = {
        "pesantren": pesantren,
        "name": app.cooperative_name,
        "legal_number": app.cooperative_legal_number,
        "nib": app.cooperative_nib,
        "npwp": app.cooperative_npwp,
    }
    if app.cooperative_legal_status:
        data["legal_status"] = app.cooperative_legal_status
    return registry.cooperative_save(actor=actor, programme=programme, data=data)


def _person(*, actor, programme, app: Application, pesantren) -> Person | None:
    if app.nik_hash:
        existing = Person.objects.filter(programme=programme, nik_hash=app.nik_hash).first()
        if existing:
            return existing
    if not app.full_name:
        return None
    # The NIK was checked when typed: its stored columns are copied as they are.
    gender, birth_date = app.gender, app.birth_date
    if app.nik_cipher and not (gender and birth_date):  # forms that do not ask them
        info = rules.nik_checked(pii.decrypt(app.nik_cipher))
        gender, birth_date = gender or info.gender, birth_date or info.birth_date
    return registry.person_save(
        actor=actor,
        programme=programme,
        data={
            "full_name": app.full_name,
            "nik_hash": app.nik_hash,
            "nik_cipher": app.nik_cipher,
            "nik_masked": app.nik_masked,
            "gender": gender,
            "birth_date": birth_date,
            "phone": app.phone,
            "email": app.email,
            "address": app.address,
            "regency": app.regency,
            "district": app.district,
            "pesantren": pesantren,
            "affiliation": app.affiliation,
            "consent_at": app.consent_at,
            "consent_purpose": CONSENT_PURPOSE if app.consent_at else "",
            "guardian_name": app.guardian_name,
            "guardian_relation": app.guardian_relation,
            "guardian_consent_at": app.guardian_consent_at,
        },
    )


def _enterprise(*, actor, programme, app: Application, links: dict) -> Enterprise:
    if app.business_nib:
        existing = Enterprise.objects.filter(programme=programme, nib=app.business_nib).first()
        if existing:
            return existing
    return registry.enterprise_save(
        actor=actor,
        programme=programme,
        data={
            **links,
            "name": app.business_name,
            "nib": app.business_nib,
            "sector": app.business_sector or Enterprise.Sector.OTHER,
            "description": app.business_description,
            "regency": app.regency,
            "started_year": app.business_started_year,
        },
    )


def _participation(
    *, actor, programme, pillar: str, year: int, subject: dict, enterprise
) -> Participation:
    existing = Participation.objects.filter(programme=programme, pillar=pillar, **subject).first()
    if existing:
        return existing
    return registry.participation_save(
        actor=actor,
        programme=programme,
        data={**subject, "pillar": pillar, "cohort_year": year, "enterprise": enterprise},
    )
