"""Who is asking, in which programme, with which role: the one place that says what a role may do.

Views and the API get an `Access` for the request (see middleware and `access_for`) and pass it
to selectors, which turn it into querysets. Nothing else decides scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from opop.accounts.models import Membership, Role

# Roles that read the registry at all (their scope narrows what they see).
REGISTRY_READERS = {
    Role.ADMIN,
    Role.OFFICER,
    Role.FACILITATOR,
    Role.MANAGER,
    Role.PARTICIPANT,
    Role.AUDITOR,
}
REGISTRY_WRITERS = {Role.ADMIN, Role.OFFICER, Role.FACILITATOR, Role.MANAGER, Role.PARTICIPANT}
# Roles that may see a NIK unmasked (each view is audited).
NIK_REVEALERS = {Role.ADMIN, Role.OFFICER, Role.FACILITATOR, Role.PARTICIPANT}
# Roles that see contact data (phone, e-mail, address, birth date) of records in their scope.
CONTACT_READERS = {Role.ADMIN, Role.OFFICER, Role.FACILITATOR, Role.MANAGER, Role.PARTICIPANT}
IMPORTERS = {Role.ADMIN, Role.OFFICER}
DASHBOARD_READERS = REGISTRY_READERS | {Role.PARTNER}
PROGRAMME_ADMINS = {Role.ADMIN}
# Intake: who verifies files (officers only in their kab/kota) and who may read the queue.
INTAKE_VERIFIERS = {Role.ADMIN, Role.OFFICER}
INTAKE_READERS = INTAKE_VERIFIERS | {Role.AUDITOR}
# Assessment rounds: set up and run by programme admins, read by auditors. Jurors are not a
# flag: a user scores what their `Juror` seats in this programme's rounds are assigned.
ASSESSMENT_RUNNERS = {Role.ADMIN}
ASSESSMENT_READERS = ASSESSMENT_RUNNERS | {Role.AUDITOR}
# Coaching (pembinaan, issue 5): staff in scope keep milestones, invitations and certification
# tracks; facilitators write visit reports for their pesantren, supervisors review them;
# training sessions are organised by staff and by partners (the Penta Helix organisers);
# grants are managed by programme admins and read by officers and auditors; cooperative
# managers propose grants and report their cooperative's health.
COACHES = {Role.ADMIN, Role.OFFICER, Role.FACILITATOR}
COACHING_READERS = REGISTRY_READERS
VISIT_SUPERVISORS = {Role.ADMIN, Role.OFFICER}
TRAINING_ORGANISERS = {Role.ADMIN, Role.OFFICER, Role.PARTNER}
GRANT_MANAGERS = {Role.ADMIN}
GRANT_READERS = {Role.ADMIN, Role.OFFICER, Role.AUDITOR}
# Order used to pick a default membership when a user holds several.
ROLE_PRIORITY = [
    Role.ADMIN,
    Role.AUDITOR,
    Role.OFFICER,
    Role.FACILITATOR,
    Role.MANAGER,
    Role.PARTNER,
    Role.JUROR,
    Role.PARTICIPANT,
    Role.BUYER,
]


@dataclass(frozen=True)
class Access:
    membership: Membership
    memberships: tuple[Membership, ...] = field(default=(), compare=False)

    @property
    def user(self):
        return self.membership.user

    @property
    def programme(self):
        return self.membership.programme

    @property
    def programme_id(self) -> int:
        return self.membership.programme_id

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def regency_code(self) -> str | None:
        return self.membership.regency_id

    @cached_property
    def assigned_pesantren_ids(self) -> frozenset[int]:
        if self.role != Role.FACILITATOR:
            return frozenset()
        return frozenset(self.membership.assigned_pesantren.values_list("id", flat=True))

    @property
    def reads_registry(self) -> bool:
        return self.role in REGISTRY_READERS

    @property
    def writes_registry(self) -> bool:
        return self.role in REGISTRY_WRITERS

    @property
    def may_reveal_nik(self) -> bool:
        return self.role in NIK_REVEALERS

    @property
    def sees_contact(self) -> bool:
        return self.role in CONTACT_READERS

    @property
    def imports(self) -> bool:
        return self.role in IMPORTERS

    @property
    def reads_dashboard(self) -> bool:
        return self.role in DASHBOARD_READERS

    @property
    def administers_programme(self) -> bool:
        return self.role in PROGRAMME_ADMINS

    @property
    def verifies_intake(self) -> bool:
        return self.role in INTAKE_VERIFIERS

    @property
    def reads_intake(self) -> bool:
        return self.role in INTAKE_READERS

    @property
    def runs_assessment(self) -> bool:
        return self.role in ASSESSMENT_RUNNERS

    @property
    def reads_assessment(self) -> bool:
        return self.role in ASSESSMENT_READERS

    @property
    def sells(self) -> bool:
        """Cooperative managers and participants sell their own enterprises' products."""
        return self.role in {Role.MANAGER, Role.PARTICIPANT}

    @property
    def coaches(self) -> bool:
        return self.role in COACHES

    @property
    def reads_coaching(self) -> bool:
        return self.role in COACHING_READERS

    @property
    def writes_visits(self) -> bool:
        return self.role == Role.FACILITATOR

    @property
    def supervises_visits(self) -> bool:
        return self.role in VISIT_SUPERVISORS

    @property
    def organises_training(self) -> bool:
        return self.role in TRAINING_ORGANISERS

    @property
    def manages_grants(self) -> bool:
        return self.role in GRANT_MANAGERS

    @property
    def reads_grants(self) -> bool:
        return self.role in GRANT_READERS

    @property
    def manages_cooperative(self) -> bool:
        """A cooperative manager: proposes grants and reports the cooperative's health."""
        return self.role == Role.MANAGER

    @property
    def is_juror(self) -> bool:
        return self.role == Role.JUROR

    @property
    def is_programme_wide(self) -> bool:
        return self.role in {Role.ADMIN, Role.AUDITOR, Role.PARTNER}


def memberships_of(user) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    memberships = list(
        Membership.objects.filter(
            user=user, is_active=True, programme__is_active=True
        ).select_related(
            "programme", "programme__province", "regency", "pesantren", "person", "user"
        )
    )
    memberships.sort(key=lambda m: (m.programme.name, ROLE_PRIORITY.index(m.role)))
    return memberships


def access_for(
    user, *, membership_id: int | None = None, programme_code: str | None = None
) -> Access | None:
    """The user's access for the chosen membership, or for the chosen programme's main role."""
    memberships = memberships_of(user)
    if not memberships:
        return None
    chosen = None
    if membership_id is not None:
        chosen = next((m for m in memberships if m.pk == membership_id), None)
    if chosen is None and programme_code:
        in_programme = [m for m in memberships if m.programme.code == programme_code]
        if not in_programme:
            return None
        chosen = min(in_programme, key=lambda m: ROLE_PRIORITY.index(m.role))
    if chosen is None:
        chosen = min(memberships, key=lambda m: ROLE_PRIORITY.index(m.role))
    return Access(membership=chosen, memberships=tuple(memberships))
