"""Deterministic demo data at a stated scale (QUALITY.md): the same seed gives the same rows.

`demo_seed` creates the two programmes (if missing), then pesantren, cooperatives, people,
enterprises and pillar participations over every kab/kota and kecamatan of Jawa Timur and
Kalimantan Selatan, then the demo accounts (`opop.demo.accounts`). Rows are written in batches
(`opop.demo.writer`: COPY on PostgreSQL, `bulk_create` elsewhere) inside one transaction: a
crash leaves nothing half-seeded.

The writes bypass `registry.services` for speed (a million people), so the invariants those
services keep are kept here by construction: a participation's regency is its subject's, a
kecamatan lies in the record's kab/kota, NIK columns come from `registry.rules.nik_columns`,
minors carry a guardian's consent, natural keys (NSPP, NIB, NIK) are unique per programme.

Randomness only ever comes from `random.Random` objects seeded from the seed and the programme
code, and regions are read in code order, so nothing depends on the database or the process.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from opop.assessment.models import Assignment, Round
from opop.catalog.models import Certification, Curation, Product
from opop.common.audit import audit_record
from opop.common.identifiers import NikInfo
from opop.common.models import AuditEvent
from opop.dashboard.services import dashboard_mark_stale
from opop.demo import accounts, names
from opop.demo.assessment import seed_assessment
from opop.demo.catalog import seed_products
from opop.demo.coaching import coaching_reset, seed_coaching
from opop.demo.curation import seed_curations
from opop.demo.intake import demo_intake_reset, seed_intake
from opop.demo.mart import seed_mart
from opop.demo.mart_history import history_buyers, seed_mart_history
from opop.demo.programmes import COHORT_YEARS, PROGRAMMES, YEARS, ProgrammeSpec
from opop.demo.writer import RowWriter
from opop.logistics.models import PostAgent, Shipment, Tariff
from opop.mart.models import (
    Checkout,
    Order,
    OrderEvent,
    OrderLine,
    Payment,
    PaymentEvent,
    Review,
)
from opop.mart.sales import sales_recount
from opop.programmes.models import (
    Indicator,
    Partner,
    PartnerAgreement,
    Pillar,
    Programme,
    ProgrammeYear,
    YearlyTarget,
)
from opop.regions.models import Region
from opop.registry import rules
from opop.registry.models import Cooperative, Enterprise, Participation, Person, Pesantren

DEFAULT_SEED = 2019
WIB = ZoneInfo("Asia/Jakarta")
# Everyone born from this day on gets a guardian's consent: that covers every minor for any
# run date from 2024 on while keeping the data independent of the day it is seeded.
GUARDIAN_FROM = dt.date(2006, 1, 1)
# Mobile prefixes of the Indonesian operators (08xx -> +628xx).
MOBILE_PREFIXES = names.word_list(
    "811, 812, 813, 821, 822, 823, 851, 852, 853, 814, 815, 816, 855, 856, 857, 858, 817, 818, "
    "819, 859, 877, 878, 831, 832, 833, 838, 895, 896, 897, 898, 899, 881, 882, 883, 887, 888"
)


@dataclass(frozen=True)
class Scale:
    pesantren: int
    people: int
    batch: int  # people per flush; each flush also writes their enterprises and participations
    products: int
    orders: int  # past OPOP Mart orders (opop.demo.mart_history)


SCALES = {
    # `tiny` keeps the tests fast while still touching every kab/kota of both provinces.
    "tiny": Scale(pesantren=100, people=600, batch=1_000, products=150, orders=200),
    "small": Scale(pesantren=200, people=2_000, batch=2_000, products=1_000, orders=2_000),
    "medium": Scale(pesantren=2_000, people=100_000, batch=5_000, products=20_000, orders=100_000),
    "large": Scale(
        pesantren=10_000, people=1_000_000, batch=10_000, products=100_000, orders=1_000_000
    ),
}
PUBLIC_SCALES = ("small", "medium", "large")
# From this many people on, the load drops and rebuilds the registry's indexes (PostgreSQL).
BIG_LOAD_PEOPLE = 100_000


def demo_is_seeded(programme_code: str = "jatim") -> bool:
    return Pesantren.objects.filter(programme__code=programme_code).exists()


def demo_people_count(programme_code: str | None = None) -> int:
    codes = [programme_code] if programme_code else [spec.code for spec in PROGRAMMES]
    # The seeded registry only: people who came in through demo intake files are extra.
    return Person.objects.filter(programme__code__in=codes, applications__isnull=True).count()


def demo_seed(
    *, scale: str = "small", seed: int = DEFAULT_SEED, log: Callable[[str], None] | None = None
) -> Counter:
    """Seed both demo programmes at `scale`. Returns the number of rows written per kind."""
    size = SCALES[scale]
    log = log or (lambda _message: None)
    counts: Counter = Counter()
    writer = RowWriter(now=timezone.now())
    with transaction.atomic():
        programmes = {spec.code: programme_ensure(spec) for spec in PROGRAMMES}
        anchors = None
        left_pesantren, left_people = size.pesantren, size.people
        registry_models = (Pesantren, Cooperative, Person, Enterprise, Participation)
        big_load = (
            writer.indexes_deferred(registry_models, log=log)
            if size.people >= BIG_LOAD_PEOPLE
            else None
        )
        with big_load or contextlib.nullcontext():
            for index, spec in enumerate(PROGRAMMES):
                last = index == len(PROGRAMMES) - 1
                n_pesantren = left_pesantren if last else round(size.pesantren * spec.share)
                n_people = left_people if last else round(size.people * spec.share)
                left_pesantren -= n_pesantren
                left_people -= n_people
                generator = _Generator(
                    rng=random.Random(f"{seed}:{spec.code}"),
                    programme=programmes[spec.code],
                    spec=spec,
                    pesantren=n_pesantren,
                    people=n_people,
                    batch=size.batch,
                    writer=writer,
                )
                generator.run(log)
                counts.update(generator.counts)
                if spec.code == "jatim":
                    anchors = generator.anchors
        left_products = size.products
        for index, spec in enumerate(PROGRAMMES):
            n_products = (
                left_products if index == len(PROGRAMMES) - 1 else round(size.products * spec.share)
            )
            left_products -= n_products
            counts.update(
                seed_products(
                    programme=programmes[spec.code],
                    count=n_products,
                    rng=random.Random(f"{seed}:{spec.code}:catalog"),
                    writer=writer,
                )
            )
        accounts.demo_accounts_ensure(programmes=programmes, anchors=anchors)
        # Intake and curation go through the services, so they need the demo accounts.
        this_year = timezone.localdate().year
        for code, programme in programmes.items():
            counts.update(
                seed_intake(programme, year=this_year, rng=random.Random(f"{seed}:intake:{code}"))
            )
            counts["curations"] += seed_curations(
                programme, rng=random.Random(f"{seed}:{code}:curation")
            )
            counts.update(
                seed_assessment(
                    programme, year=this_year, rng=random.Random(f"{seed}:{code}:assessment")
                )
            )
            counts.update(
                seed_mart(programme, rng=random.Random(f"{seed}:{code}:mart"), writer=writer)
            )
            counts.update(seed_coaching(programme, seed=seed, writer=writer))
        # Two years of past sales, after the shop exists (tariffs, curated products, admins).
        counts.update(
            seed_mart_history(
                programmes=programmes, orders=size.orders, seed=seed, writer=writer, log=log
            )
        )
        for programme in programmes.values():
            # The past orders were written in bulk: count them into the sales summary.
            counts["sales cells"] += sales_recount(programme_id=programme.pk)
            audit_record(
                actor=None,
                action=AuditEvent.Action.IMPORT,
                instance=programme,
                programme_id=programme.pk,
                note=f"Demo data seeded: scale {scale}, seed {seed}.",
            )
            # The rows bypassed the registry services, so ask for the recount they would.
            dashboard_mark_stale(programme_id=programme.pk)
    writer.analyze(registry_models + (Product, Certification))
    return counts


def demo_reset(*, log: Callable[[str], None] | None = None) -> None:
    """Delete the registry of the demo programmes and the demo accounts (development only)."""
    log = log or (lambda _message: None)
    codes = [spec.code for spec in PROGRAMMES]
    with transaction.atomic():
        _mart_reset(codes, log)
        log(f"Deleted {coaching_reset(codes):,} coaching rows.")
        # Curations point at assessment entries, entries at products and applications, files
        # at their applicants' accounts: remove them in that order.
        Curation.objects.filter(product__programme__code__in=codes).delete()
        # Scoresheets protect jurors and criteria, so they go before their rounds.
        Assignment.objects.filter(stage__round__programme__code__in=codes).delete()
        Round.objects.filter(programme__code__in=codes).delete()
        demo_intake_reset(codes)
        accounts.demo_accounts_delete()
        for model in (Product, Participation, Enterprise, Person, Cooperative, Pesantren):
            deleted = _delete_in_chunks(model.objects.filter(programme__code__in=codes))
            log(f"Deleted {deleted:,} {model._meta.verbose_name_plural}.")


def _mart_reset(codes: list[str], log: Callable[[str], None]) -> None:
    """OPOP Mart rows protect products, enterprises, pesantren and users: they go first.

    Orders, their lines and events, payments and checkouts (a million of each with the past
    orders of `large`) go one DELETE per table: the ORM would load every row first, to look
    for what points at it. What may point at them (reviews, shipments, payment events) is
    deleted before through the ORM, and the database's foreign keys still refuse anything
    else that does."""
    checkouts = Checkout.objects.filter(programme__code__in=codes)
    orders = Order.objects.filter(programme__code__in=codes)
    Review.objects.filter(product__programme__code__in=codes).delete()
    Shipment.objects.filter(order__programme__code__in=codes).delete()
    PaymentEvent.objects.filter(payment__checkout__in=checkouts).delete()
    for queryset in (
        OrderEvent.objects.filter(order__in=orders),
        OrderLine.objects.filter(order__in=orders),
        orders,
        Payment.objects.filter(checkout__in=checkouts),
        checkouts,
    ):
        deleted = _delete_rows(queryset)
        log(f"Deleted {deleted:,} {queryset.model._meta.verbose_name_plural}.")
    # The past orders' buyers (their addresses and carts go with them).
    deleted = _delete_in_chunks(history_buyers())
    log(f"Deleted {deleted:,} demo buyers.")
    PostAgent.objects.filter(programme__code__in=codes).delete()
    Tariff.objects.filter(programme__code__in=codes).delete()


def _delete_rows(queryset) -> int:
    """One `DELETE … WHERE id IN (<the queryset>)`, without loading the rows."""
    model = queryset.model
    select, params = queryset.order_by().values("pk").query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({select})", params)  # noqa: S608
        return cursor.rowcount


def _delete_in_chunks(queryset, chunk: int = 5_000) -> int:
    """ORM deletes (so every cascade and SET NULL of other apps still runs), a chunk at a time
    so that a million rows never sit in memory at once."""
    total = 0
    model = queryset.model
    while ids := list(queryset.order_by().values_list("pk", flat=True)[:chunk]):
        model.objects.filter(pk__in=ids).delete()
        total += len(ids)
    return total


# --- Programmes, targets, partners ---------------------------------------------------------


def programme_ensure(spec: ProgrammeSpec) -> Programme:
    """The programme with its years, indicators, yearly targets and partners. Idempotent."""
    programme, _ = Programme.objects.get_or_create(
        code=spec.code,
        defaults={
            "name": spec.name,
            "province_id": spec.province,
            "legal_basis": spec.legal_basis,
            "legal_basis_date": spec.legal_basis_date,
            "started_year": spec.started_year,
        },
    )
    for year in YEARS:
        ProgrammeYear.objects.get_or_create(
            programme=programme,
            year=year,
            defaults={"budget": spec.budgets.get(year), "notes": "Data demo."},
        )
    for position, pillar in enumerate(Pillar):
        yearly = spec.targets[pillar.value]
        indicator, _ = Indicator.objects.get_or_create(
            programme=programme,
            code=pillar.value,
            defaults={
                "name": pillar.value.capitalize(),
                "pillar": pillar.value,
                "unit": "pesantren" if pillar == Pillar.PESANTRENPRENEUR else "orang",
                "overall_target": sum(yearly.values()),
                "position": position,
            },
        )
        for year, target in yearly.items():
            YearlyTarget.objects.get_or_create(
                indicator=indicator, year=year, defaults={"target": target}
            )
    rng = random.Random(f"partners:{spec.code}")
    for partner_spec in spec.partners:
        contact = names.person_name(rng, gender=rng.choice("LP"), province=spec.province)
        partner, _ = Partner.objects.get_or_create(
            programme=programme,
            name=partner_spec.name,
            defaults={
                "kind": partner_spec.kind,
                "contact_name": contact,
                "contact_email": f"{names.email_local(contact)}@example.com",
                "contact_phone": _mobile(rng),
                "contribution": partner_spec.contribution,
            },
        )
        for number, title, starts_on, ends_on in partner_spec.agreements:
            PartnerAgreement.objects.get_or_create(
                partner=partner,
                number=number,
                defaults={
                    "title": title,
                    "scope": partner_spec.contribution,
                    "signed_on": starts_on - dt.timedelta(days=14),
                    "starts_on": starts_on,
                    "ends_on": ends_on,
                },
            )
    return programme


def _mobile(rng: random.Random) -> str:
    return f"+62{rng.choice(MOBILE_PREFIXES)}{rng.randint(10_000_000, 99_999_999)}"


def _moment(rng: random.Random, year: int) -> dt.datetime:
    day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
    return dt.datetime(day.year, day.month, day.day, rng.randint(8, 16), 0, tzinfo=WIB)


def _money(rng: random.Random, *, mu: float, sigma: float = 1.0) -> int:
    """Whole Rupiah, log-normal, rounded to Rp50.000 the way people report revenue."""
    return int(rng.lognormvariate(mu, sigma) // 50_000) * 50_000


# --- Registry rows -------------------------------------------------------------------------


@dataclass
class _Regency:
    code: str
    name: str
    districts: list[tuple[str, str]]  # (code, name), code order
    weight: float


@dataclass
class Anchors:
    """Primary keys of the jatim records the demo accounts are scoped to."""

    manager_a: int
    manager_b: int
    facilitator: list[int]
    participant: int


# First pesantren of these kab/kota go to the facilitator (Surabaya, Sidoarjo, Gresik, …).
FACILITATOR_REGENCIES = ("35.78", "35.15", "35.25", "35.16", "35.24")
MANAGER_A_REGENCY, MANAGER_B_REGENCY = "35.78", "35.17"  # Kota Surabaya, Kabupaten Jombang
ANCHOR_PEOPLE = 12  # people given to each manager's pesantren before the random draw


class _Generator:
    """One programme's registry as rows ({attname: value}). Draws happen in a fixed order;
    keys come from the writer, so writing never changes what is drawn."""

    def __init__(self, *, rng, programme, spec: ProgrammeSpec, pesantren, people, batch, writer):
        self.rng = rng
        self.programme_id = programme.pk
        self.spec = spec
        self.n_pesantren = pesantren
        self.n_people = people
        self.batch = batch
        self.writer = writer
        self.counts: Counter = Counter()
        self.regencies = self._regencies()
        if self.n_pesantren < len(self.regencies):
            raise ValueError(f"{spec.code}: at least one pesantren per kab/kota is needed.")
        self.regency_of = {r.code: r for r in self.regencies}
        self.nibs: set[str] = set()
        self.nik_serials: dict[str, int] = {}
        self.pesantren: list[dict] = []
        self.by_regency: dict[str, list[dict]] = {}
        self.anchors: Anchors | None = None
        self._buffers: dict[type, list[dict]] = {Person: [], Enterprise: [], Participation: []}

    def _regencies(self) -> list[_Regency]:
        districts: dict[str, list[tuple[str, str]]] = {}
        for code, name, parent in (
            Region.objects.filter(level=Region.Level.DISTRICT, parent__parent_id=self.spec.province)
            .order_by("code")
            .values_list("code", "name", "parent_id")
        ):
            districts.setdefault(parent, []).append((code, name))
        regencies = []
        for code, name, kind in (
            Region.objects.filter(level=Region.Level.REGENCY, parent_id=self.spec.province)
            .order_by("code")
            .values_list("code", "name", "kind")
        ):
            weight = len(districts.get(code, ())) or 1
            if code in self.spec.dense_regencies:
                weight *= 2.5
            elif kind == "kota":
                weight *= 0.6
            regencies.append(_Regency(code, name, districts.get(code, []), weight))
        if not regencies or not all(r.districts for r in regencies):
            raise ValueError("Regions are missing: run `manage.py load_regions` first.")
        return regencies

    def run(self, log: Callable[[str], None]) -> None:
        started = time.perf_counter()
        self._make_pesantren()
        self._make_cooperatives()
        self._make_people(log)
        self.log_counts(log, time.perf_counter() - started)

    def log_counts(self, log, elapsed: float) -> None:
        c = self.counts
        log(
            f"{self.spec.code}: {c['pesantren']:,} pesantren, {c['cooperatives']:,} cooperatives, "
            f"{c['people']:,} people, {c['enterprises']:,} enterprises, "
            f"{c['participations']:,} participations in {elapsed:.1f} s."
        )

    def _row(self, model, **values) -> dict:
        return {"id": self.writer.new_id(model), "programme_id": self.programme_id, **values}

    def _write(self, model, rows: list[dict], counter: str) -> None:
        self.writer.write(model, rows)
        self.counts[counter] += len(rows)

    # Pesantren --------------------------------------------------------------------------------

    def _make_pesantren(self) -> None:
        per_regency = [1] * len(self.regencies)
        extra = self.rng.choices(
            range(len(self.regencies)),
            weights=[r.weight for r in self.regencies],
            k=self.n_pesantren - len(self.regencies),
        )
        for index in extra:
            per_regency[index] += 1
        for regency, count in zip(self.regencies, per_regency, strict=True):
            for serial in range(1, count + 1):
                row = self._one_pesantren(regency, serial)
                self.pesantren.append(row)
                self.by_regency.setdefault(regency.code, []).append(row)
        self._write(Pesantren, self.pesantren, "pesantren")

    def _one_pesantren(self, regency: _Regency, serial: int) -> dict:
        rng = self.rng
        district_code, district_name = rng.choice(regency.districts)
        core = names.pesantren_core(rng, province=self.spec.province)
        female = rng.random() < 0.12
        kind = rng.choices(list(Pesantren.Kind), weights=(35, 30, 35))[0]
        has_nspp = rng.random() < 0.85
        # NSPP: 12 opaque digits; built from a per-kab/kota serial so they never collide.
        nspp = f"5{rng.randint(1, 3)}00{regency.code.replace('.', '')}{serial:04d}"
        founded = max(1850, min(2022, int(2023 - rng.expovariate(1 / 35))))
        return self._row(
            Pesantren,
            nspp=nspp if has_nspp else "",
            name=names.pesantren_name(rng, core=core, place=district_name, female=female),
            kind=kind.value,
            regency_id=regency.code,
            district_id=district_code,
            address=names.address(rng, district_name=district_name),
            leader_name=names.leader_name(rng, province=self.spec.province, female=female),
            phone=_mobile(rng) if rng.random() < 0.8 else "",
            email=(
                f"{names.email_local(core).replace('.', '')}{serial}@example.com"
                if rng.random() < 0.3
                else ""
            ),
            founded_year=founded,
            santri_count=max(20, min(15_000, int(rng.lognormvariate(5.3, 1.0)))),
            status="inactive" if rng.random() < 0.04 else "active",
        )

    # Cooperatives, their flagship enterprises, pesantrenpreneur -------------------------------

    def _make_cooperatives(self) -> None:
        rng = self.rng
        forced = self._forced_cooperatives()
        cooperatives, enterprises, participations = [], [], []
        for pesantren in self.pesantren:
            status = forced.get(pesantren["id"])
            if status is None and rng.random() >= 0.35:
                if rng.random() < 0.15:  # a pesantren business without a cooperative
                    enterprises.append(self._pesantren_enterprise(pesantren, None))
                continue
            cooperative = self._one_cooperative(pesantren, status)
            cooperatives.append(cooperative)
            flagship = self._pesantren_enterprise(pesantren, cooperative)
            enterprises.append(flagship)
            if rng.random() < 0.3:
                enterprises.append(self._pesantren_enterprise(pesantren, cooperative))
            if status or rng.random() < 0.8:
                year = self._cohort_year()
                participations.append(
                    self._row(
                        Participation,
                        pillar=Pillar.PESANTRENPRENEUR.value,
                        cohort_year=year,
                        status=self._status(year),
                        person_id=None,
                        pesantren_id=pesantren["id"],
                        enterprise_id=flagship["id"],
                        regency_id=pesantren["regency_id"],
                    )
                )
        self._write(Cooperative, cooperatives, "cooperatives")
        self._write(Enterprise, enterprises, "enterprises")
        self._write(Participation, participations, "participations")

    def _forced_cooperatives(self) -> dict[int, str]:
        """The managers' pesantren always have a cooperative (and a pesantrenpreneur entry)."""
        if self.spec.code != "jatim":
            return {}
        status = Cooperative.LegalStatus
        return {
            self.by_regency[MANAGER_A_REGENCY][0]["id"]: status.INCORPORATED.value,
            self.by_regency[MANAGER_B_REGENCY][0]["id"]: status.IN_PROCESS.value,
        }

    def _one_cooperative(self, pesantren: dict, status: str | None) -> dict:
        rng = self.rng
        legal = Cooperative.LegalStatus
        status = (
            status
            or rng.choices(
                (legal.INCORPORATED, legal.IN_PROCESS, legal.NOT_INCORPORATED), weights=(55, 20, 25)
            )[0].value
        )
        legal_year = rng.randint(2005, 2024)
        incorporated = status == legal.INCORPORATED
        nib_chance = {legal.INCORPORATED: 0.9, legal.IN_PROCESS: 0.5}.get(status, 0.2)
        return self._row(
            Cooperative,
            pesantren_id=pesantren["id"],
            name=names.cooperative_name(rng, core=names.pesantren_core_of(pesantren["name"])),
            legal_status=status,
            legal_number=(
                f"AHU-{rng.randint(1, 99_999):07d}.AH.01.26.TAHUN {legal_year}"
                if incorporated
                else ""
            ),
            legal_date=(
                dt.date(legal_year, 1, 1) + dt.timedelta(days=rng.randrange(360))
                if incorporated
                else None
            ),
            nik_koperasi=(
                f"{pesantren['regency_id'].replace('.', '')}{rng.randint(10**11, 10**12 - 1)}"
                if incorporated
                else ""
            ),
            nib=self._nib() if rng.random() < nib_chance else "",
            npwp=f"0{rng.randint(10**14, 10**15 - 1)}" if incorporated else "",
            chair_name=names.person_name(
                rng, gender=rng.choice("LLLP"), province=self.spec.province
            ),
            members_count=max(20, min(5_000, int(rng.lognormvariate(4.6, 0.9)))),
            status="inactive" if rng.random() < 0.08 else "active",
        )

    def _pesantren_enterprise(self, pesantren: dict, cooperative: dict | None) -> dict:
        rng = self.rng
        sector = self._sector()
        label = names.pesantren_core_of(pesantren["name"])
        name, description = names.enterprise(rng, sector=sector, label=label)
        return self._row(
            Enterprise,
            name=name,
            owner_id=None,
            pesantren_id=pesantren["id"],
            cooperative_id=cooperative["id"] if cooperative else None,
            sector=sector,
            description=description,
            regency_id=pesantren["regency_id"],
            nib=self._nib() if rng.random() < 0.7 else "",
            started_year=rng.randint(2012, 2025),
            employees=rng.randint(2, 40),
            monthly_revenue=_money(rng, mu=17.0),
        )

    # People, their enterprises and pillar participations --------------------------------------

    def _make_people(self, log: Callable[[str], None]) -> None:
        rng = self.rng
        cum_weights, total = [], 0
        for pesantren in self.pesantren:
            total += pesantren["santri_count"]
            cum_weights.append(total)
        regency_weights = [r.weight for r in self.regencies]
        placements = self._reserved_placements()
        participant = None
        started = time.perf_counter()
        for index in range(self.n_people):
            forced = None
            if index < len(placements):
                pesantren, forced = placements[index]
                regency = self.regency_of[pesantren["regency_id"]]
            elif rng.random() < 0.85:
                pesantren = rng.choices(self.pesantren, cum_weights=cum_weights)[0]
                regency = self.regency_of[pesantren["regency_id"]]
                if rng.random() < 0.15:  # santri often come from another kab/kota
                    regency = rng.choices(self.regencies, weights=regency_weights)[0]
            else:
                pesantren = None
                regency = rng.choices(self.regencies, weights=regency_weights)[0]
            person = self._one_person(pesantren, regency, forced)
            if forced == "participant":
                participant = person["id"]
            if len(self._buffers[Person]) >= self.batch:
                self._flush()
                rate = (index + 1) / (time.perf_counter() - started)
                log(f"{self.spec.code}: {index + 1:,} / {self.n_people:,} people ({rate:,.0f}/s)")
        self._flush()
        if self.spec.code == "jatim":
            self.anchors = Anchors(
                manager_a=self.by_regency[MANAGER_A_REGENCY][0]["id"],
                manager_b=self.by_regency[MANAGER_B_REGENCY][0]["id"],
                facilitator=[self.by_regency[code][0]["id"] for code in FACILITATOR_REGENCIES],
                participant=participant,
            )

    def _reserved_placements(self) -> list[tuple[dict, str | None]]:
        """People placed before the random draw: the managers' pesantren get a dozen each (the
        first one is the demo participant), and every kab/kota gets at least one person."""
        placements: list[tuple[dict, str | None]] = []
        if self.spec.code == "jatim":
            for code in (MANAGER_A_REGENCY, MANAGER_B_REGENCY):
                placements += [(self.by_regency[code][0], None)] * ANCHOR_PEOPLE
            placements[0] = (placements[0][0], "participant")
        placements += [(self.by_regency[r.code][0], None) for r in self.regencies]
        return placements

    def _one_person(self, pesantren: dict | None, regency: _Regency, forced: str | None) -> dict:
        rng = self.rng
        province = self.spec.province
        affiliation = (
            rng.choices(AFFILIATIONS, weights=AFFILIATION_WEIGHTS)[0] if pesantren else "community"
        )
        gender = "L" if rng.random() < 0.55 else "P"
        birth_from, birth_to = BIRTH_YEARS[affiliation]
        birth = dt.date(rng.randint(birth_from, birth_to), 1, 1) + dt.timedelta(
            days=rng.randrange(365)
        )
        if forced == "participant":
            affiliation, gender, birth = "alumni", "L", dt.date(1996, 5, 17)
        district_code, district_name = rng.choice(regency.districts)
        full_name = names.person_name(rng, gender=gender, province=province)
        minor = birth >= GUARDIAN_FROM
        guardian, relation = names.guardian_name(rng, province=province) if minor else ("", "")
        consent_at = _moment(rng, rng.randint(2019, 2025))
        person = self._row(
            Person,
            full_name=full_name,
            gender=gender,
            birth_date=birth,
            birth_place=names.place_name(regency.name),
            phone=_mobile(rng) if rng.random() < (0.4 if minor else 0.8) else "",
            email=(
                f"{names.email_local(full_name)}{rng.randint(1, 999)}@example.com"
                if not minor and rng.random() < 0.2
                else ""
            ),
            address=names.address(rng, district_name=district_name),
            regency_id=regency.code,
            district_id=district_code,
            pesantren_id=pesantren["id"] if pesantren else None,
            affiliation=affiliation,
            consent_purpose="Pendataan dan pembinaan peserta OPOP",
            consent_at=consent_at,
            guardian_name=guardian,
            guardian_relation=relation,
            guardian_consent_at=consent_at if minor else None,
            **rules.nik_columns(self._nik(district_code, gender, birth)),
        )
        self._buffers[Person].append(person)
        self._plan_participation(person, minor=minor, forced=forced)
        return person

    def _nik(self, district_code: str, gender: str, birth: dt.date) -> NikInfo:
        day = birth.day + (40 if gender == "P" else 0)
        stem = f"{district_code.replace('.', '')}{day:02d}{birth:%m%y}"
        # Serials of one kecamatan and birth date start anywhere and then count up.
        serial = self.nik_serials.get(stem) or self.rng.randint(1, 2_500)
        self.nik_serials[stem] = serial + 1
        return NikInfo(
            nik=f"{stem}{serial:04d}", gender=gender, birth_date=birth, region_code=district_code
        )

    def _plan_participation(self, person: dict, *, minor: bool, forced: str | None) -> None:
        rng = self.rng
        affiliation = person["affiliation"]
        pillars = []
        if forced == "participant" or rng.random() < SANTRIPRENEUR_CHANCE.get(affiliation, 0):
            pillars.append(Pillar.SANTRIPRENEUR.value)
        if rng.random() < SOCIOPRENEUR_CHANCE.get(affiliation, 0):
            pillars.append(Pillar.SOCIOPRENEUR.value)
        earliest = person["birth_date"].year + 14  # nobody joins as a child under 14
        if not pillars or earliest > COHORT_YEARS[-1]:
            return
        enterprise_id = None
        chance = 0.85 if Pillar.SOCIOPRENEUR in pillars else (0.15 if minor else 0.45)
        if forced == "participant" or rng.random() < chance:
            enterprise_id = self._person_enterprise(person)["id"]
        for pillar in pillars:
            year = 2022 if forced == "participant" else max(self._cohort_year(), earliest)
            self._buffers[Participation].append(
                self._row(
                    Participation,
                    pillar=pillar,
                    cohort_year=year,
                    status="active" if forced else self._status(year),
                    person_id=person["id"],
                    pesantren_id=None,
                    enterprise_id=enterprise_id,
                    regency_id=person["regency_id"],
                )
            )

    def _person_enterprise(self, person: dict) -> dict:
        rng = self.rng
        sector = self._sector()
        first_name = person["full_name"].split()[0]
        name, description = names.enterprise(rng, sector=sector, label=first_name)
        enterprise = self._row(
            Enterprise,
            name=name,
            owner_id=person["id"],
            pesantren_id=None,
            cooperative_id=None,
            sector=sector,
            description=description,
            regency_id=person["regency_id"],
            nib=self._nib() if rng.random() < 0.35 else "",
            started_year=rng.randint(max(2010, person["birth_date"].year + 14), 2025),
            employees=rng.randint(1, 12),
            monthly_revenue=_money(rng, mu=15.3),
        )
        self._buffers[Enterprise].append(enterprise)
        return enterprise

    def _flush(self) -> None:
        """Write the buffered people, then their enterprises, then their participations."""
        for model, counter in (
            (Person, "people"),
            (Enterprise, "enterprises"),
            (Participation, "participations"),
        ):
            self._write(model, self._buffers[model], counter)
            self._buffers[model] = []

    # Draws shared by the above ----------------------------------------------------------------

    def _cohort_year(self) -> int:
        return self.rng.choices(COHORT_YEARS, weights=self.spec.cohort_weights)[0]

    def _status(self, cohort_year: int) -> str:
        if cohort_year >= 2025:
            options, weights = ("active", "candidate", "withdrawn"), (80, 15, 5)
        elif cohort_year >= 2023:
            options, weights = ("active", "graduated", "withdrawn"), (75, 15, 10)
        else:
            options, weights = ("graduated", "active", "withdrawn"), (60, 30, 10)
        return self.rng.choices(options, weights=weights)[0]

    def _sector(self) -> str:
        return self.rng.choices(SECTORS, weights=SECTOR_WEIGHTS)[0]

    def _nib(self) -> str:
        while True:
            nib = str(self.rng.randint(10**12, 10**13 - 1))
            if nib not in self.nibs:
                self.nibs.add(nib)
                return nib


AFFILIATIONS = ("santri", "alumni", "ustadz")
AFFILIATION_WEIGHTS = (50, 38, 12)
BIRTH_YEARS = {
    "santri": (2002, 2012),
    "alumni": (1975, 2004),
    "ustadz": (1960, 1998),
    "community": (1958, 2004),
}
SANTRIPRENEUR_CHANCE = {"santri": 0.6, "alumni": 0.6, "ustadz": 0.15}
SOCIOPRENEUR_CHANCE = {"alumni": 0.04, "ustadz": 0.05, "community": 0.08}
SECTORS = tuple(names.SECTOR_WEIGHTS)
SECTOR_WEIGHTS = tuple(names.SECTOR_WEIGHTS.values())
