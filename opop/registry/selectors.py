"""Every registry read that depends on who is asking. Views and the API start here.

Scope by role (DOMAIN.md): admin and auditor see the whole programme; a regional officer one
kab/kota; a facilitator their assigned pesantren; a cooperative manager their own pesantren; a
participant their own record. Other roles see nothing of the registry.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from opop.accounts.access import Access
from opop.accounts.models import Role
from opop.regions.selectors import regencies_of
from opop.registry.models import Cooperative, Enterprise, Participation, Person, Pesantren


def _none(model) -> QuerySet:
    return model.objects.none()


def pesantren_visible_to(access: Access) -> QuerySet[Pesantren]:
    if not access or not access.reads_registry:
        return _none(Pesantren)
    qs = Pesantren.objects.filter(programme_id=access.programme_id)
    match access.role:
        case Role.ADMIN | Role.AUDITOR:
            return qs
        case Role.OFFICER:
            return qs.filter(regency_id=access.regency_code)
        case Role.FACILITATOR:
            return qs.filter(id__in=access.assigned_pesantren_ids)
        case Role.MANAGER:
            return qs.filter(id=access.membership.pesantren_id)
        case Role.PARTICIPANT:
            person = access.membership.person
            return (
                qs.filter(id=person.pesantren_id) if person and person.pesantren_id else qs.none()
            )
    return qs.none()


def cooperatives_visible_to(access: Access) -> QuerySet[Cooperative]:
    if not access or not access.reads_registry or access.role == Role.PARTICIPANT:
        return _none(Cooperative)
    qs = Cooperative.objects.filter(programme_id=access.programme_id)
    match access.role:
        case Role.ADMIN | Role.AUDITOR:
            return qs
        case Role.OFFICER:
            return qs.filter(pesantren__regency_id=access.regency_code)
        case Role.FACILITATOR:
            return qs.filter(pesantren_id__in=access.assigned_pesantren_ids)
        case Role.MANAGER:
            return qs.filter(pesantren_id=access.membership.pesantren_id)
    return qs.none()


def people_visible_to(access: Access) -> QuerySet[Person]:
    if not access or not access.reads_registry:
        return _none(Person)
    qs = Person.objects.filter(programme_id=access.programme_id)
    match access.role:
        case Role.ADMIN | Role.AUDITOR:
            return qs
        case Role.OFFICER:
            return qs.filter(regency_id=access.regency_code)
        case Role.FACILITATOR:
            return qs.filter(pesantren_id__in=access.assigned_pesantren_ids)
        case Role.MANAGER:
            return qs.filter(pesantren_id=access.membership.pesantren_id)
        case Role.PARTICIPANT:
            return qs.filter(id=access.membership.person_id)
    return qs.none()


def enterprises_visible_to(access: Access) -> QuerySet[Enterprise]:
    if not access or not access.reads_registry:
        return _none(Enterprise)
    qs = Enterprise.objects.filter(programme_id=access.programme_id)
    match access.role:
        case Role.ADMIN | Role.AUDITOR:
            return qs
        case Role.OFFICER:
            return qs.filter(regency_id=access.regency_code)
        case Role.FACILITATOR:
            return qs.filter(pk__in=_enterprises_of_pesantren(qs, access.assigned_pesantren_ids))
        case Role.MANAGER:
            return qs.filter(pk__in=_enterprises_of_pesantren(qs, [access.membership.pesantren_id]))
        case Role.PARTICIPANT:
            return qs.filter(owner_id=access.membership.person_id)
    return qs.none()


def _enterprises_of_pesantren(qs: QuerySet[Enterprise], pesantren_ids) -> QuerySet:
    """Ids of the pesantren's own enterprises and of those its people own. A UNION of two
    indexed lookups: an OR across the owner join would scan every enterprise of the programme."""
    ids = list(pesantren_ids)
    own = qs.filter(pesantren_id__in=ids).order_by().values("pk")
    of_people = qs.filter(owner__pesantren_id__in=ids).order_by().values("pk")
    return own.union(of_people)


def participations_visible_to(access: Access) -> QuerySet[Participation]:
    if not access or not access.reads_registry:
        return _none(Participation)
    qs = Participation.objects.filter(programme_id=access.programme_id)
    match access.role:
        case Role.ADMIN | Role.AUDITOR:
            return qs
        case Role.OFFICER:
            return qs.filter(regency_id=access.regency_code)
        case Role.FACILITATOR:
            ids = access.assigned_pesantren_ids
            return qs.filter(Q(pesantren_id__in=ids) | Q(person__pesantren_id__in=ids))
        case Role.MANAGER:
            pid = access.membership.pesantren_id
            return qs.filter(Q(pesantren_id=pid) | Q(person__pesantren_id=pid))
        case Role.PARTICIPANT:
            return qs.filter(person_id=access.membership.person_id)
    return qs.none()


def _editable(access: Access, visible: QuerySet) -> QuerySet:
    """Writers edit what they see; auditors and read-only roles edit nothing."""
    if not access or not access.writes_registry:
        return visible.none()
    return visible


def pesantren_editable_by(access: Access) -> QuerySet[Pesantren]:
    if access and access.role == Role.PARTICIPANT:
        return Pesantren.objects.none()
    return _editable(access, pesantren_visible_to(access))


def cooperatives_editable_by(access: Access) -> QuerySet[Cooperative]:
    return _editable(access, cooperatives_visible_to(access))


def people_editable_by(access: Access) -> QuerySet[Person]:
    return _editable(access, people_visible_to(access))


def enterprises_editable_by(access: Access) -> QuerySet[Enterprise]:
    return _editable(access, enterprises_visible_to(access))


def may_reveal_nik(access: Access, person: Person) -> bool:
    """A NIK is shown unmasked only to roles that need it, and only for records in scope."""
    if not access or not access.may_reveal_nik or not person.nik_cipher:
        return False
    return people_visible_to(access).filter(pk=person.pk).exists()


# --- What the registry pages may offer (create, personal-data actions, list filters) ----------


def regencies_for_filter(access: Access):
    """Kab/kota a list or form may offer: the programme's province; an officer's own only."""
    if not access or not access.reads_registry:
        return regencies_of("").none()
    regencies = regencies_of(access.programme.province_id)
    if access.role == Role.OFFICER:
        return regencies.filter(code=access.regency_code)
    return regencies


def may_create_pesantren(access: Access) -> bool:
    """New pesantren are registered by the secretariat or a kab/kota office."""
    return bool(access) and access.role in {Role.ADMIN, Role.OFFICER}


def may_create_in_scope(access: Access) -> bool:
    """Cooperatives, people: staff who write the registry (not participants, not auditors)."""
    return bool(access) and access.writes_registry and access.role != Role.PARTICIPANT


def may_create_enterprise(access: Access) -> bool:
    """Staff, and a participant for a business of their own."""
    return bool(access) and access.writes_registry


def may_edit_participations(access: Access) -> bool:
    """Pillar participation counts towards targets: staff set it, participants do not."""
    return may_create_in_scope(access)


def may_export_person_data(access: Access, person: Person) -> bool:
    """UU PDP access request: the programme admin, or the data subject for their own record."""
    if not access or not access.reads_registry:
        return False
    if access.role == Role.PARTICIPANT:
        return access.membership.person_id == person.pk
    return access.administers_programme and people_visible_to(access).filter(pk=person.pk).exists()


def may_anonymise_person(access: Access, person: Person) -> bool:
    """UU PDP deletion request: only the programme admin, for a record in their programme."""
    if not access or not access.administers_programme or person.anonymised_at:
        return False
    return people_visible_to(access).filter(pk=person.pk).exists()
