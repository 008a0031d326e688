"""The shared cast of tests (QUALITY.md): one user per role in two programmes, plus an outsider.

Jawa Timur (`jatim`) holds two pesantren in different kab/kota (A in Kota Surabaya, B in
Kabupaten Jombang), each with a cooperative, a person and an enterprise; Kalimantan Selatan
(`kalsel`) holds one pesantren and its own admin. Refusal tests use them to prove that a role
never sees or changes what lies outside its scope.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.test import Client
from django.utils import timezone

from opop.accounts.models import Membership, Role, User
from opop.programmes.models import Indicator, Pillar, Programme, YearlyTarget
from opop.registry import rules
from opop.registry.models import Cooperative, Enterprise, Participation, Person, Pesantren

PASSWORD = "opop-test-pass"
SURABAYA, SURABAYA_KEC = "35.78", "35.78.01"
JOMBANG, JOMBANG_KEC = "35.17", "35.17.01"
BANJARMASIN = "63.71"


@dataclass
class World:
    jatim: Programme
    kalsel: Programme
    users: dict[str, User] = field(default_factory=dict)
    pesantren_a: Pesantren | None = None
    pesantren_b: Pesantren | None = None
    pesantren_kalsel: Pesantren | None = None
    coop_a: Cooperative | None = None
    coop_b: Cooperative | None = None
    person_a: Person | None = None
    person_b: Person | None = None
    person_kalsel: Person | None = None
    enterprise_a: Enterprise | None = None
    enterprise_b: Enterprise | None = None

    def user(self, persona: str) -> User:
        return self.users[persona]

    def client(self, persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(self.users[persona])
        return client


# Persona names, used as `world.client("officer")`. All belong to jatim except `kalsel_admin`.
PERSONAS = [
    "admin",
    "officer",
    "facilitator",
    "manager_a",
    "manager_b",
    "participant",
    "juror",
    "partner",
    "buyer",
    "auditor",
    "kalsel_admin",
    "outsider",
]


def programme(code: str, name: str, province: str) -> Programme:
    prog, _ = Programme.objects.get_or_create(
        code=code, defaults={"name": name, "province_id": province, "started_year": 2019}
    )
    for pillar, target in (
        (Pillar.SANTRIPRENEUR, 1_000_000),
        (Pillar.PESANTRENPRENEUR, 1_000),
        (Pillar.SOCIOPRENEUR, 1_000),
    ):
        ind, _ = Indicator.objects.get_or_create(
            programme=prog,
            code=pillar,
            defaults={"name": pillar.label, "pillar": pillar, "overall_target": target},
        )
        YearlyTarget.objects.get_or_create(
            indicator=ind, year=2025, defaults={"target": target // 4}
        )
    return prog


def _person(prog, name, nik, regency, pesantren) -> Person:
    info = rules.nik_checked(nik)
    return Person.objects.create(
        programme=prog,
        full_name=name,
        gender=info.gender,
        birth_date=info.birth_date,
        phone="+6281234567890",
        email=f"{name.split()[0].lower()}@example.id",
        address="Jl. Pesantren No. 1",
        regency_id=regency,
        pesantren=pesantren,
        affiliation=Person.Affiliation.ALUMNI,
        consent_at=timezone.now(),
        consent_purpose="OPOP",
        **rules.nik_columns(info),
    )


def build_world() -> World:
    jatim = programme("jatim", "OPOP Jawa Timur", "35")
    kalsel = programme("kalsel", "OPOP Kalimantan Selatan", "63")
    world = World(jatim=jatim, kalsel=kalsel)
    world.pesantren_a = Pesantren.objects.create(
        programme=jatim,
        nspp="510035780001",
        name="Pondok Pesantren Al-Hikmah",
        regency_id=SURABAYA,
        district_id=SURABAYA_KEC,
    )
    world.pesantren_b = Pesantren.objects.create(
        programme=jatim,
        nspp="510035170002",
        name="Pondok Pesantren Darul Ulum",
        regency_id=JOMBANG,
        district_id=JOMBANG_KEC,
    )
    world.pesantren_kalsel = Pesantren.objects.create(
        programme=kalsel,
        nspp="510063710003",
        name="Pondok Pesantren Al-Falah",
        regency_id=BANJARMASIN,
    )
    world.coop_a = Cooperative.objects.create(
        programme=jatim,
        pesantren=world.pesantren_a,
        name="Kopontren Al-Hikmah",
        legal_status=Cooperative.LegalStatus.INCORPORATED,
        nib="1234567890123",
    )
    world.coop_b = Cooperative.objects.create(
        programme=jatim,
        pesantren=world.pesantren_b,
        name="Kopontren Darul Ulum",
    )
    world.person_a = _person(jatim, "Ahmad Fauzi", "3578011508950001", SURABAYA, world.pesantren_a)
    world.person_b = _person(jatim, "Siti Aminah", "3517015208970002", JOMBANG, world.pesantren_b)
    world.person_kalsel = _person(
        kalsel, "Muhammad Rizki", "6371010101990003", BANJARMASIN, world.pesantren_kalsel
    )
    world.enterprise_a = Enterprise.objects.create(
        programme=jatim,
        name="Keripik Al-Hikmah",
        owner=world.person_a,
        pesantren=world.pesantren_a,
        sector=Enterprise.Sector.FOOD,
        regency_id=SURABAYA,
        nib="2234567890123",
    )
    world.enterprise_b = Enterprise.objects.create(
        programme=jatim,
        name="Batik Darul Ulum",
        owner=world.person_b,
        sector=Enterprise.Sector.FASHION,
        regency_id=JOMBANG,
    )
    for person in (world.person_a, world.person_b):
        Participation.objects.create(
            programme=jatim,
            pillar=Pillar.SANTRIPRENEUR,
            cohort_year=2025,
            person=person,
            regency_id=person.regency_id,
        )
    Participation.objects.create(
        programme=jatim,
        pillar=Pillar.PESANTRENPRENEUR,
        cohort_year=2025,
        pesantren=world.pesantren_a,
        regency_id=SURABAYA,
    )

    def member(persona, prog, role, **scope):
        user = world.users.get(persona) or User.objects.create_user(
            f"{persona}@test.opop.id", PASSWORD, full_name=persona.replace("_", " ").title()
        )
        world.users[persona] = user
        return Membership.objects.create(user=user, programme=prog, role=role, **scope)

    member("admin", jatim, Role.ADMIN)
    member("officer", jatim, Role.OFFICER, regency_id=SURABAYA)
    member("facilitator", jatim, Role.FACILITATOR).assigned_pesantren.add(world.pesantren_a)
    member("manager_a", jatim, Role.MANAGER, pesantren=world.pesantren_a)
    member("manager_b", jatim, Role.MANAGER, pesantren=world.pesantren_b)
    member("participant", jatim, Role.PARTICIPANT, person=world.person_a)
    member("juror", jatim, Role.JUROR)
    member("partner", jatim, Role.PARTNER)
    member("buyer", jatim, Role.BUYER)
    member("auditor", jatim, Role.AUDITOR)
    member("kalsel_admin", kalsel, Role.ADMIN)
    world.users["outsider"] = User.objects.create_user(
        "outsider@test.opop.id", PASSWORD, full_name="Outsider"
    )
    return world


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)
