"""Every registry write. Each takes the acting user first, runs in a transaction, validates
fully before saving, and leaves an audit row saying who changed what."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.common import pii
from opop.common.audit import audit_record, audit_saved, history_for, snapshot
from opop.common.models import AuditEvent
from opop.dashboard.services import dashboard_mark_stale
from opop.registry import rules
from opop.registry.models import Cooperative, Enterprise, Participation, Person, Pesantren


class DuplicateRecord(ValidationError):
    """The natural key is already taken in the programme; `existing` is the record holding it."""

    def __init__(self, message: str, *, field: str, existing):
        super().__init__({field: message})
        self.field = field
        self.existing = existing

    @property
    def existing_url(self) -> str:
        return reverse(f"registry:{self.existing._meta.model_name}_detail", args=[self.existing.pk])


def _check_unique(model, *, programme_id: int, field: str, value: str, label: str, exclude_pk=None):
    if not value:
        return
    clash = model.objects.filter(programme_id=programme_id, **{field: value})
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    existing = clash.first()
    if existing:
        raise DuplicateRecord(
            _("%(label)s is already registered in this programme: %(name)s.")
            % {"label": label, "name": existing},
            field="nik" if field == "nik_hash" else field,
            existing=existing,
        )


def _save(instance, *, actor, created: bool, before: dict | None = None):
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:  # a concurrent insert won the race for the natural key
        raise ValidationError(_("This record was just registered by someone else.")) from exc
    audit_saved(instance, actor=actor, before=None if created else (before or {}))
    if isinstance(instance, (Pesantren, Cooperative, Participation)):
        dashboard_mark_stale(programme_id=instance.programme_id)  # recount after commit
    return instance


def _assign(instance, data: dict[str, Any]) -> None:
    for name, value in data.items():
        setattr(instance, name, value)


# --- Pesantren -------------------------------------------------------------------------------


@transaction.atomic
def pesantren_save(*, actor, programme, data: dict[str, Any], instance: Pesantren | None = None):
    before = snapshot(instance) if instance else None
    pesantren = instance or Pesantren(programme=programme)
    _assign(pesantren, data)
    rules.regency_in_programme(pesantren.regency, programme)
    rules.district_in_regency(pesantren.district, pesantren.regency)
    _check_unique(
        Pesantren,
        programme_id=programme.pk,
        field="nspp",
        value=pesantren.nspp,
        label="NSPP",
        exclude_pk=pesantren.pk,
    )
    return _save(pesantren, actor=actor, created=instance is None, before=before)


# --- Cooperative -----------------------------------------------------------------------------


@transaction.atomic
def cooperative_save(
    *, actor, programme, data: dict[str, Any], instance: Cooperative | None = None
):
    before = snapshot(instance) if instance else None
    cooperative = instance or Cooperative(programme=programme)
    _assign(cooperative, data)
    if cooperative.pesantren.programme_id != programme.pk:
        raise ValidationError({"pesantren": _("The pesantren is not in this programme.")})
    _check_unique(
        Cooperative,
        programme_id=programme.pk,
        field="nib",
        value=cooperative.nib,
        label="NIB",
        exclude_pk=cooperative.pk,
    )
    return _save(cooperative, actor=actor, created=instance is None, before=before)


# --- Person ----------------------------------------------------------------------------------


@transaction.atomic
def person_save(
    *,
    actor,
    programme,
    data: dict[str, Any],
    nik: str | None = None,
    instance: Person | None = None,
) -> Person:
    """Create or change a person. `nik` is the typed NIK (None keeps the stored one).

    Gender and birth date come from the NIK when left empty and must match it when typed.
    """
    before = snapshot(instance) if instance else None
    person = instance or Person(programme=programme)
    _assign(person, data)
    if person.anonymised_at:
        raise ValidationError(_("This person's data was deleted on request and cannot be edited."))
    if nik:
        info = rules.nik_checked(nik, gender=person.gender, birth_date=person.birth_date)
        person.gender = person.gender or info.gender
        person.birth_date = person.birth_date or info.birth_date
        for name, value in rules.nik_columns(info).items():
            setattr(person, name, value)
    _check_unique(
        Person,
        programme_id=programme.pk,
        field="nik_hash",
        value=person.nik_hash,
        label="NIK",
        exclude_pk=person.pk,
    )
    rules.regency_in_programme(person.regency, programme)
    rules.district_in_regency(person.district, person.regency)
    rules.guardian_consent_required(
        birth_date=person.birth_date,
        guardian_name=person.guardian_name,
        guardian_consent_at=person.guardian_consent_at,
    )
    if person.pesantren_id and person.pesantren.programme_id != programme.pk:
        raise ValidationError({"pesantren": _("The pesantren is not in this programme.")})
    return _save(person, actor=actor, created=instance is None, before=before)


def person_reveal_nik(*, actor, person: Person) -> str:
    """The clear NIK, for a caller who has checked `selectors.may_reveal_nik`. Always audited."""
    audit_record(actor=actor, action=AuditEvent.Action.VIEW_PII, instance=person, note="NIK")
    return pii.decrypt(person.nik_cipher)


@transaction.atomic
def person_anonymise(*, actor, person: Person, reason: str) -> Person:
    """Delete a person's personal data on request (UU PDP) while keeping programme totals right:
    the row, its pillar participations, gender and kab/kota stay; identity and contact go."""
    if person.anonymised_at:
        return person
    person.full_name = _("Anonymised person #%(id)s") % {"id": person.pk}
    for name in (
        "nik_hash",
        "nik_cipher",
        "nik_masked",
        "birth_place",
        "phone",
        "email",
        "address",
        "guardian_name",
        "guardian_relation",
        "consent_purpose",
    ):
        setattr(person, name, "")
    person.birth_date = None
    person.district = None
    person.consent_at = None
    person.guardian_consent_at = None
    person.anonymised_at = timezone.now()
    person.save()
    # Earlier history rows may hold old names or contact values: blank them too.
    AuditEvent.objects.filter(target_type=person._meta.label_lower, target_id=person.pk).update(
        changes={}
    )
    audit_record(
        actor=actor, action=AuditEvent.Action.ANONYMISE, instance=person, note=reason[:255]
    )
    return person


# --- Enterprise ------------------------------------------------------------------------------


@transaction.atomic
def enterprise_save(*, actor, programme, data: dict[str, Any], instance: Enterprise | None = None):
    before = snapshot(instance) if instance else None
    enterprise = instance or Enterprise(programme=programme)
    _assign(enterprise, data)
    rules.regency_in_programme(enterprise.regency, programme)
    for related in ("owner", "pesantren", "cooperative"):
        obj = getattr(enterprise, related)
        if obj is not None and obj.programme_id != programme.pk:
            raise ValidationError({related: _("This record is not in this programme.")})
    _check_unique(
        Enterprise,
        programme_id=programme.pk,
        field="nib",
        value=enterprise.nib,
        label="NIB",
        exclude_pk=enterprise.pk,
    )
    return _save(enterprise, actor=actor, created=instance is None, before=before)


# --- Pillar participation --------------------------------------------------------------------


@transaction.atomic
def participation_save(
    *, actor, programme, data: dict[str, Any], instance: Participation | None = None
) -> Participation:
    before = snapshot(instance) if instance else None
    participation = instance or Participation(programme=programme)
    _assign(participation, data)
    subject = (
        participation.pesantren
        if participation.pillar == "pesantrenpreneur"
        else participation.person
    )
    if subject is None:
        field = "pesantren" if participation.pillar == "pesantrenpreneur" else "person"
        message = (
            _("Pesantrenpreneur needs a pesantren.")
            if field == "pesantren"
            else _("This pillar needs a person.")
        )
        raise ValidationError({field: message})
    if subject.programme_id != programme.pk:
        raise ValidationError(_("This record is not in this programme."))
    if participation.pillar == "pesantrenpreneur":
        participation.person = None
    participation.regency_id = subject.regency_id
    clash = (
        Participation.objects.filter(
            programme=programme,
            pillar=participation.pillar,
            **(
                {"pesantren": subject, "person": None}
                if participation.pillar == "pesantrenpreneur"
                else {"person": subject}
            ),
        )
        .exclude(pk=participation.pk)
        .first()
    )
    if clash:
        raise ValidationError(
            {
                "pillar": _("Already a participant of this pillar since %(year)s.")
                % {"year": clash.cohort_year}
            }
        )
    return _save(participation, actor=actor, created=instance is None, before=before)


# --- Personal data requests and exports (UU PDP) ---------------------------------------------


def person_data_export(*, actor, person: Person) -> dict[str, Any]:
    """Everything held about a person, NIK in clear, for a caller who has checked
    `selectors.may_export_person_data`. Audited as an export of personal data."""
    audit_record(actor=actor, action=AuditEvent.Action.EXPORT_PII, instance=person, note="JSON")
    fields = snapshot(person)
    for name in ("nik_hash", "nik_cipher"):
        fields.pop(name, None)
    fields["nik"] = pii.decrypt(person.nik_cipher) if person.nik_cipher else ""
    return {
        "person": fields,
        "participations": [snapshot(p) for p in person.participations.all()],
        "enterprises": [snapshot(e) for e in person.enterprises.all()],
        "history": [
            {
                "at": event.at.isoformat(),
                "action": event.action,
                "by": str(event.actor) if event.actor else "",
                "changes": event.changes,
                "note": event.note,
            }
            for event in history_for(person)
        ],
    }


def registry_export_record(*, actor, programme, what: str, note: str = "") -> None:
    """Leave an `export_pii` audit row for a list export that carries clear NIKs."""
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT_PII,
        instance=programme,
        programme_id=programme.pk,
        note=f"{what} {note}".strip(),
    )
