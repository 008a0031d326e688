"""Ten years of history for one showcase pesantren per programme (issue 5, point 10), so that its
journey page has something to tell and the journey benchmark measures a long history.

The showcase is the pesantren of the demo cooperative manager (`manager.a@demo.opop.id`, whose
membership is scoped to it); a programme without that manager (Kalimantan Selatan) gets nothing.
`history_ensure` gives it, from 2016 to today:

- registry: the pesantren and its cooperative registered in January–February 2016, the
  cooperative incorporated in 2017 (legal date and AHU number), its people's registrations
  spread over the years (at least one a year, the oldest first), their enterprises and pillar
  participations dated after them and in their cohort year;
- milestones: the checklist verified item by item from 2016 to 2025, levels 0 → 1 (2017) → 2
  (2019) → 3 (2021), back to 2 when the year's RAT was missing (January 2023) and up to 3 again
  (June 2023); two level-4 items claimed and waiting, so the verification queue still has work;
- trainings: four sessions a year attended by a few of its people (14 or older, registered
  before), pre/post-test scores and certificates for most of them;
- visits: a facilitator's visit in almost every month (≈120 reports) with action items, most of
  them done;
- certifications: P-IRT, halal, trademark, BPOM and SNI tracks on its products — issued,
  rejected and retried, renewed, one BPOM permit expired with its renewal submitted;
- grants: a KUR Syariah loan in 2018 and 2025, closed grants of 2020 and 2022 (NPHD, two
  tranches, two accepted LPJ with receipts, closure);
- cooperative health: yearly reports on the books of 2015 (filed at registration) to last year,
  each with its RAT;
- assessment: an audition (2019), product curations (2020, 2022, 2024, with the curations the
  passes give) and OPOP Awards (2021, 2023, 2025) with published results.

It replaces what the other demo seeders gave that pesantren where they would contradict the
history (its milestone rows, its cooperative's yearly reports, the certificates and tracks of
the products it uses). Rows go in bulk: `RowWriter` for the tables the demo seeders write with
it (pass the seed's own writer: on SQLite it hands out keys in blocks) and the ORM's
`bulk_create` for grants and assessment, as their seeders do. One transaction; deterministic for
a given `rng` and `today`; idempotent: the marker is the pesantren's registration date in 2016,
so a second call writes nothing. Everything written here is removed by `demo_reset` (coaching
rows by `coaching_reset`, assessment rounds, curations, products and registry rows by the
registry's reset).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from opop.accounts.models import Membership, Role
from opop.assessment.models import Criterion, Entry, Round, Stage
from opop.catalog.curation import add_months, grade_for
from opop.catalog.models import Certification, Curation, Product
from opop.certtracker.models import CertificationTrack, TrackStatus, TrackStep
from opop.coophealth.models import CooperativeHealth, CooperativeReport
from opop.demo.assessment import AWARD_CRITERIA, CURATION_CRITERIA
from opop.demo.training import KINDS as TRAINING_KINDS
from opop.demo.training import TOPICS
from opop.demo.visits import ITEMS as VISIT_ITEMS
from opop.demo.visits import NOTES as VISIT_NOTES
from opop.demo.visits import WHO as VISIT_WHO
from opop.demo.writer import RowWriter
from opop.grants.models import (
    AccountabilityReport,
    BudgetLine,
    Disbursement,
    GrantEvent,
    GrantProposal,
    GrantScheme,
    LoanApplication,
    Receipt,
)
from opop.milestones.levels import level_from_items
from opop.milestones.models import LevelChange, MilestoneItem, PesantrenLevel, PesantrenMilestone
from opop.programmes.models import Pillar
from opop.registry.models import Cooperative, Enterprise, Participation, Person, Pesantren
from opop.training.models import CODE_ALPHABET, CODE_LENGTH, Certificate, Enrolment, Session
from opop.training.models import Training as TrainingProgramme
from opop.visits.models import ActionItem, Purpose, Visit

WIB = ZoneInfo("Asia/Jakarta")
HISTORY_FROM = 2016
SHOWCASE_MANAGER = "manager.a@demo.opop.id"
DEMO_NOTE = "Demo: riwayat sepuluh tahun."
PDF = b"%PDF-1.4\n%Dokumen demo riwayat OPOP\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Milestones: item code -> (status, day verified or claimed). `rat_this_year` was first verified
# in May 2020 (that date reaches level 3), then asked again: back to level 2 in January 2023,
# verified again in June 2023.
MILESTONES = {
    "coop_founded": ("verified", (2016, 3, 10)),
    "board_appointed": ("verified", (2016, 4, 5)),
    "flagship_chosen": ("verified", (2016, 9, 20)),
    "basic_training": ("verified", (2017, 2, 14)),
    "legal_entity": ("verified", (2017, 8, 28)),
    "nib": ("verified", (2018, 3, 12)),
    "npwp": ("verified", (2018, 5, 7)),
    "bank_account": ("verified", (2018, 10, 15)),
    "pirt": ("verified", (2018, 12, 3)),
    "bookkeeping": ("verified", (2019, 4, 8)),
    "brand_filed": ("verified", (2020, 1, 20)),
    "halal_flagship": ("verified", (2020, 2, 24)),
    "rat_this_year": ("verified", (2023, 6, 19)),
    "managerial_training": ("verified", (2021, 3, 22)),
    "first_mart_sale": ("verified", (2021, 6, 17)),
    "distribution_permit": ("verified", (2022, 3, 14)),
    "santri_coached": ("verified", (2024, 8, 12)),
    "accounts_reviewed": ("verified", (2025, 5, 19)),
    "financing_obtained": ("claimed", None),
    "regular_buyers": ("claimed", None),
}
FIRST_VERIFIED = {"rat_this_year": (2020, 5, 20)}
LEVEL_DIP = ((2023, 1, 16), "rat_this_year")  # back one level until this item is verified again

SESSION_MONTHS = (2, 5, 8, 11)
EARLY_TRAININGS = (  # before the programme (2019), the cooperative office's own courses
    ("bimtek", "Bimtek Koperasi Pesantren", "Tata kelola koperasi"),
    ("other", "Pelatihan Kewirausahaan Santri", "Kewirausahaan santri"),
)

# Certification stories: (product slot, kind, steps oldest first); a step is (outcome, day,
# expires on). Each step after the first supersedes the one before; an issued step after an
# issued one renews it.
CERTIFICATIONS = (
    (0, "pirt", (
        ("issued", (2016, 6, 14), (2021, 12, 31)),
        ("issued", (2021, 10, 11), (2026, 12, 31)),
    )),
    (0, "halal", (
        ("rejected", (2017, 8, 21), None),
        ("issued", (2018, 3, 5), (2022, 3, 4)),
        ("issued", (2022, 2, 15), None),
    )),
    (0, "trademark", (("issued", (2019, 11, 18), (2029, 11, 17)),)),
    (0, "bpom", (("issued", (2020, 7, 6), (2025, 7, 5)), ("submitted", (2025, 10, 20), None))),
    (0, "sni", (("rejected", (2023, 4, 10), None), ("issued", (2024, 1, 22), (2028, 1, 21)))),
    (1, "halal", (("issued", (2019, 9, 9), (2023, 9, 8)),)),
    (1, "pirt", (("issued", (2023, 3, 13), (2028, 12, 31)),)),
)  # fmt: skip
FOOD_CATEGORY = "makanan-minuman"  # the parent of the food categories
REJECTION_NOTES = ("Komposisi bahan belum lengkap.", "Hasil uji laboratorium belum memenuhi.")

# Grants: (scheme year, submitted, agreed, [(tranche day, LPJ accepted day)], closed).
GRANTS = (
    (2020, (2020, 2, 10), (2020, 3, 9),
     (((2020, 3, 16), (2020, 8, 14)), ((2020, 9, 1), (2021, 1, 20))), (2021, 3, 15)),
    (2022, (2022, 2, 7), (2022, 3, 7),
     (((2022, 3, 14), (2022, 8, 22)), ((2022, 9, 5), (2023, 1, 16))), (2023, 3, 13)),
)  # fmt: skip
GRANT_AMOUNT = 50_000_000
GRANT_SCHEME = "Hibah Koppontren OPOP"
# Loans: (bank, product, amount, submitted, approved, disbursed)
LOANS = (
    ("Bank Jatim Syariah", "KUR Syariah", 100_000_000, (2018, 6, 4), (2018, 6, 25), (2018, 7, 9)),
    ("Bank Jatim Syariah", "KUR Syariah", 250_000_000, (2025, 5, 12), (2025, 6, 2), (2025, 6, 16)),
)

# Assessment rounds: (year, purpose, name, subject, outcomes of the showcase stage by stage).
# Subjects: "enterprise" (the flagship), "product" (product slot 0; slot 1 enters too when the
# outcomes are a pair).
PASS, FAIL = "passed", "not_passed"
ROUNDS = (
    (2019, Round.Purpose.AUDITION, "Audisi Pesantrenpreneur 2019", "enterprise", (PASS,)),
    (2020, Round.Purpose.CURATION, "Kurasi Produk Unggulan 2020", "product", (PASS,)),
    (2021, Round.Purpose.AWARD, "OPOP Award 2021", "enterprise", (FAIL,)),
    (2022, Round.Purpose.CURATION, "Kurasi Produk Unggulan 2022", "product", (PASS, FAIL)),
    (2023, Round.Purpose.AWARD, "OPOP Award 2023", "enterprise", (PASS, PASS, FAIL)),
    (2024, Round.Purpose.CURATION, "Kurasi Produk Unggulan 2024", "product", (PASS, PASS)),
    (2025, Round.Purpose.AWARD, "OPOP Award 2025", "enterprise", (PASS, PASS, PASS)),
)
AWARD_STAGES = (
    ("Seleksi administrasi dan eliminasi", Stage.Kind.SCORING),
    ("Verifikasi lapangan", Stage.Kind.FIELD_VISIT),
    ("Penjurian final", Stage.Kind.SCORING),
)
PASS_MARK = Decimal("7.00")
RIVALS = 4  # other pesantren or products in each round


def showcase_pesantren(programme) -> Pesantren | None:
    membership = (
        Membership.objects.filter(
            programme=programme, role=Role.MANAGER, user__email=SHOWCASE_MANAGER
        )
        .select_related("pesantren", "user")
        .first()
    )
    if membership is None or membership.pesantren is None:
        return None
    return membership.pesantren


def history_ensure(
    programme, *, rng: random.Random, today: dt.date | None = None, writer: RowWriter | None = None
) -> Counter:
    """Give the programme's showcase pesantren its ten years (see the module's docstring).
    Returns the rows written per kind; nothing when it has them already or has no showcase."""
    pesantren = showcase_pesantren(programme)
    if pesantren is None or timezone.localtime(pesantren.created_at).year <= HISTORY_FROM:
        return Counter()
    today = today or timezone.localdate()
    writer = writer or RowWriter(now=timezone.now())
    with transaction.atomic():
        history = _History(programme, pesantren, rng=rng, today=today, writer=writer)
        history.run()
    return history.counts


def showcase_events(programme) -> Counter:
    """The showcase's journey events per aspect, as the programme admin reads them (aspects whose
    `journey` module is missing are left out)."""
    from opop.accounts.access import access_for

    pesantren = showcase_pesantren(programme)
    admin = (
        Membership.objects.filter(programme=programme, role=Role.ADMIN, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if pesantren is None or admin is None:
        return Counter()
    access = access_for(admin.user, programme_code=programme.code)
    counts: Counter = Counter()
    for aspect, source in _aspect_sources():
        try:
            module = import_module(source)
        except ImportError:
            continue
        counts[aspect] = len(module.journey_events(pesantren.pk, access))
    return counts


def _aspect_sources() -> list[tuple[str, str]]:
    try:
        from opop.journey.selectors import ASPECTS
    except ImportError:
        return [
            ("registry", "opop.registry.journey"),
            ("assessment", "opop.assessment.journey"),
            ("milestones", "opop.milestones.journey"),
            ("training", "opop.training.journey"),
            ("visits", "opop.visits.journey"),
            ("certifications", "opop.certtracker.journey"),
            ("grants", "opop.grants.journey"),
            ("coophealth", "opop.coophealth.journey"),
        ]
    return [(aspect.code, aspect.source) for aspect in ASPECTS]


def _day(parts: tuple[int, int, int]) -> dt.date:
    return dt.date(*parts)


def _at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=WIB)


@dataclass
class _Person:
    pk: int
    birth: dt.date | None
    registered: dt.date = dt.date(HISTORY_FROM, 1, 1)


@dataclass
class _History:
    programme: object
    pesantren: Pesantren
    rng: random.Random
    today: dt.date
    writer: RowWriter
    counts: Counter = field(default_factory=Counter)

    def __post_init__(self):
        members = Membership.objects.filter(programme=self.programme, is_active=True)
        self.admin_id = (
            members.filter(role=Role.ADMIN).order_by("pk").values_list("user_id", flat=True).first()
        )
        self.manager_id = (
            members.filter(role=Role.MANAGER, pesantren=self.pesantren)
            .order_by("pk")
            .values_list("user_id", flat=True)
            .first()
        )
        facilitators = members.filter(role=Role.FACILITATOR).order_by("pk")
        self.facilitator_id = (
            facilitators.filter(assigned_pesantren=self.pesantren)
            .values_list("user_id", flat=True)
            .first()
            or facilitators.values_list("user_id", flat=True).first()
        )
        self.reviewer_id = (
            members.filter(role=Role.OFFICER, regency_id=self.pesantren.regency_id)
            .order_by("pk")
            .values_list("user_id", flat=True)
            .first()
            or self.admin_id
        )
        self.participant_id = (
            members.filter(role=Role.PARTICIPANT, person__pesantren=self.pesantren)
            .values_list("person_id", flat=True)
            .first()
        )
        self.cooperative = (
            Cooperative.objects.filter(pesantren=self.pesantren).order_by("pk").first()
        )
        self.people: list[_Person] = []
        self.enterprise_ids: list[int] = []
        self.flagship_id: int | None = None
        self.products: list[tuple[int, str, int]] = []  # (pk, name, regency) by slot
        self.file_name: str | None = None

    def run(self) -> None:
        self._registry()
        self._milestones()
        self._trainings()
        self._visits()
        self._certifications()
        self._grants()
        self._coophealth()
        self._assessments()

    def _past(self, day: dt.date) -> bool:
        return day <= self.today

    # Registry ---------------------------------------------------------------------------------

    def _registry(self) -> None:
        rng, pk = self.rng, self.pesantren.pk
        Pesantren.objects.filter(pk=pk).update(created_at=_at(dt.date(HISTORY_FROM, 1, 18), 9))
        coops = list(Cooperative.objects.filter(pesantren_id=pk).order_by("pk"))
        for index, coop in enumerate(coops):
            values = {"created_at": _at(dt.date(HISTORY_FROM, 2, 22 + index % 6), 10)}
            if index == 0:
                values.update(_incorporated(coop, rng))
            Cooperative.objects.filter(pk=coop.pk).update(**values)
        self.counts["history_cooperatives"] += len(coops)
        self._people()
        self._enterprises()
        self._participations()

    def _people(self) -> None:
        rng = self.rng
        rows = Person.objects.filter(pesantren_id=self.pesantren.pk).values_list("pk", "birth_date")
        # The oldest first: they were the pesantren's first records.
        people = sorted(
            (_Person(pk, birth) for pk, birth in rows),
            key=lambda p: (p.birth or dt.date.min, p.pk),
        )
        years = list(range(HISTORY_FROM, self.today.year + 1))
        last = self.today - dt.timedelta(days=30)
        for index, person in enumerate(people):
            if index < len(years):  # at least one registration a year
                year = years[index]
            elif rng.random() < 0.4:  # the first data collection brought many
                year = HISTORY_FROM
            else:
                year = rng.choice(years)
            if year == HISTORY_FROM:
                day = dt.date(year, 1, 18) + dt.timedelta(days=rng.randrange(14))
            else:
                day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
            person.registered = min(day, last)
        self.people = people
        Person.objects.bulk_update(
            [Person(pk=p.pk, created_at=_at(p.registered, 9 + p.pk % 7)) for p in people],
            ["created_at"],
            batch_size=500,
        )
        self.counts["history_people"] += len(people)

    def _enterprises(self) -> None:
        rng = self.rng
        registered = {p.pk: p.registered for p in self.people}
        last = self.today - dt.timedelta(days=7)
        own = list(
            Enterprise.objects.filter(pesantren_id=self.pesantren.pk)
            .order_by("pk")
            .values_list("pk", "cooperative_id")
        )
        flagship = next((pk for pk, coop in own if coop), own[0][0] if own else None)
        updates = []
        for pk, _coop in own:
            if pk == flagship:
                day = dt.date(HISTORY_FROM, 2, 25)
            else:
                day = dt.date(rng.randint(HISTORY_FROM + 1, self.today.year - 1), 1, 1)
                day += dt.timedelta(days=rng.randrange(365))
            updates.append(Enterprise(pk=pk, created_at=_at(min(day, last), 11)))
        owned = list(
            Enterprise.objects.filter(owner__pesantren_id=self.pesantren.pk)
            .order_by("pk")
            .values_list("pk", "owner_id")
        )
        for pk, owner in owned:
            start = registered.get(owner, dt.date(HISTORY_FROM, 1, 18))
            day = start + dt.timedelta(days=rng.randrange(30, 400))
            updates.append(Enterprise(pk=pk, created_at=_at(min(day, last), 13)))
        Enterprise.objects.bulk_update(updates, ["created_at"], batch_size=500)
        self.flagship_id = flagship
        self.enterprise_ids = [pk for pk, _c in own] + [pk for pk, _o in owned]
        self.counts["history_enterprises"] += len(updates)

    def _participations(self) -> None:
        rng = self.rng
        registered = {p.pk: p.registered for p in self.people}
        last = self.today - dt.timedelta(days=7)
        updates = []
        rows = Participation.objects.filter(
            pesantren_id=self.pesantren.pk, person__isnull=True
        ).values_list("pk", "cohort_year")
        for pk, cohort in rows:
            day = dt.date(cohort, 3, 1) + dt.timedelta(days=rng.randrange(45))
            updates.append(Participation(pk=pk, created_at=_at(min(day, last), 10)))
        rows = Participation.objects.filter(person__pesantren_id=self.pesantren.pk).values_list(
            "pk", "person_id", "cohort_year"
        )
        for pk, person_id, cohort in rows:
            day = dt.date(cohort, 2, 1) + dt.timedelta(days=rng.randrange(90))
            after = registered.get(person_id, dt.date(HISTORY_FROM, 1, 18)) + dt.timedelta(days=3)
            updates.append(Participation(pk=pk, created_at=_at(min(max(day, after), last), 14)))
        Participation.objects.bulk_update(updates, ["created_at"], batch_size=500)
        self.counts["history_participations"] += len(updates)

    # Milestones -------------------------------------------------------------------------------

    def _milestones(self) -> None:
        items = list(
            MilestoneItem.objects.filter(programme=self.programme, is_active=True).values_list(
                "pk", "code", "level"
            )
        )
        if not items:
            return
        pk, writer = self.pesantren.pk, self.writer
        for model in (PesantrenMilestone, LevelChange, PesantrenLevel):
            model.objects.filter(pesantren_id=pk).delete()
        rows, reached_by = [], {}
        for item_id, code, _level in items:
            status, parts = MILESTONES.get(code, (None, None))
            if status is None:
                continue
            day = _day(parts) if parts else self.today - dt.timedelta(days=20)
            if not self._past(day):
                continue
            decided = _at(day, 11) if status == "verified" else None
            rows.append(
                {
                    "id": writer.new_id(PesantrenMilestone),
                    "programme_id": self.programme.pk,
                    "pesantren_id": pk,
                    "item_id": item_id,
                    "status": status,
                    "note": DEMO_NOTE,
                    "claimed_by_id": self.manager_id,
                    "claimed_at": _at(day - dt.timedelta(days=12), 9),
                    "decided_by_id": self.reviewer_id if decided else None,
                    "decided_at": decided,
                    "created_at": _at(day - dt.timedelta(days=12), 9),
                }
            )
            if status == "verified":
                reached_by[item_id] = _day(FIRST_VERIFIED.get(code, parts))
        level = level_from_items((lvl, item_id in reached_by) for item_id, _c, lvl in items)
        changes = self._level_changes(items, reached_by, level)
        writer.write(PesantrenMilestone, rows)
        writer.write(
            LevelChange,
            [
                {
                    "id": writer.new_id(LevelChange),
                    "programme_id": self.programme.pk,
                    "pesantren_id": pk,
                    "from_level": before,
                    "to_level": after,
                    "on": on,
                    "actor_id": self.reviewer_id,
                }
                for before, after, on in changes
            ],
        )
        if level:
            writer.write(
                PesantrenLevel,
                [
                    {
                        "id": writer.new_id(PesantrenLevel),
                        "pesantren_id": pk,
                        "programme_id": self.programme.pk,
                        "level": level,
                        "reached_on": changes[-1][2] if changes else None,
                        "verified_count": len(reached_by),
                    }
                ],
            )
        self.counts["history_milestones"] += len(rows)
        self.counts["history_level_changes"] += len(changes)

    def _level_changes(self, items, reached_by, level) -> list[tuple[int, int, dt.date]]:
        """Up one level on the day the last item of that level (and below) was verified; the dip
        of LEVEL_DIP where the history had reached the level of its item."""
        days = {}
        for step in range(1, level + 1):
            wanted = [i for i, _c, lvl in items if lvl <= step]
            if wanted and all(i in reached_by for i in wanted):
                days[step] = max(reached_by[i] for i in wanted)
        changes, previous = [], 0
        for step in sorted(days):
            on = max(days[step], changes[-1][2]) if changes else days[step]
            changes.append((previous, step, on))
            previous = step
        dip_day, dip_code = _day(LEVEL_DIP[0]), LEVEL_DIP[1]
        dip_item = next(((i, lvl) for i, c, lvl in items if c == dip_code), None)
        again = _day(MILESTONES[dip_code][1])
        if dip_item and dip_item[0] in reached_by and self._past(again):
            lvl = dip_item[1]
            at_dip = max((to for _f, to, on in changes if on <= dip_day), default=0)
            if at_dip == lvl and level >= lvl:
                changes += [(lvl, lvl - 1, dip_day), (lvl - 1, lvl, again)]
                changes.sort(key=lambda change: change[2])
        return changes

    # Trainings --------------------------------------------------------------------------------

    def _trainings(self) -> None:
        rng, writer = self.rng, self.writer
        existing = {
            (year, kind): pk
            for pk, year, kind in TrainingProgramme.objects.filter(
                programme=self.programme, year__gte=HISTORY_FROM
            )
            .order_by("pk")
            .values_list("pk", "year", "kind")
        }
        trainings, sessions, enrolments, certificates = [], [], [], []
        codes: set[str] = set()
        cutoff = self.today - dt.timedelta(days=14)
        for year in range(HISTORY_FROM, self.today.year + 1):
            for n, month in enumerate(SESSION_MONTHS):
                day = dt.date(year, month, rng.randint(3, 24))
                if day > cutoff:
                    continue
                kind, name, topic = self._training_kind(year, n)
                training_id = existing.get((year, kind))
                if training_id is None:
                    training_id = writer.new_id(TrainingProgramme)
                    existing[(year, kind)] = training_id
                    trainings.append(
                        {
                            "id": training_id,
                            "programme_id": self.programme.pk,
                            "kind": kind,
                            "name": f"{name} {year}",
                            "year": year,
                            "organiser_name": self.programme.name,
                            "description": topic,
                            "created_by_id": self.admin_id,
                        }
                    )
                starts = _at(day, 8)
                session_id = writer.new_id(Session)
                sessions.append(
                    {
                        "id": session_id,
                        "programme_id": self.programme.pk,
                        "training_id": training_id,
                        "title": f"{rng.choice(TOPICS)} — {name} {year}",
                        "starts_at": starts,
                        "ends_at": starts + dt.timedelta(hours=8),
                        "place": "Aula Pondok Pesantren",
                        "online_link": "",
                        "regency_id": self.pesantren.regency_id,
                        "capacity": 30,
                        "uses_tests": True,
                        "status": Session.Status.PLANNED,
                        "target_pillar": "",
                        "target_regency_id": self.pesantren.regency_id,
                        "need_tags": "",
                        "survey_after_months": 3,
                        "created_by_id": self.admin_id,
                        "created_at": starts - dt.timedelta(days=30),
                    }
                )
                for person_id in self._attendees(day):
                    code = _code(rng, codes)
                    enrolment_id = writer.new_id(Enrolment)
                    pre = rng.randint(30, 70)
                    enrolments.append(
                        {
                            "id": enrolment_id,
                            "session_id": session_id,
                            "person_id": person_id,
                            "status": Enrolment.Status.ENROLLED,
                            "invited_at": starts - dt.timedelta(days=14),
                            "enrolled_at": starts - dt.timedelta(days=10),
                            "checkin_code": code,
                            "checked_in_at": starts + dt.timedelta(minutes=rng.randint(0, 40)),
                            "checked_in_by_id": self.admin_id,
                            "pre_score": pre,
                            "post_score": min(100, pre + rng.randint(5, 30)),
                            "created_at": starts - dt.timedelta(days=14),
                        }
                    )
                    if rng.random() < 0.9:
                        issued = starts + dt.timedelta(days=rng.randint(2, 14))
                        certificates.append(
                            {
                                "id": writer.new_id(Certificate),
                                "enrolment_id": enrolment_id,
                                "number": f"OPOP-{self.programme.code.upper()}-{year}-"
                                f"{session_id:05d}-{enrolment_id:06d}",
                                "verify_code": f"{rng.getrandbits(128):032x}",
                                "issued_at": issued,
                                "issued_by_id": self.admin_id,
                                "created_at": issued,
                            }
                        )
        writer.write(TrainingProgramme, trainings)
        writer.write(Session, sessions)
        writer.write(Enrolment, enrolments)
        writer.write(Certificate, certificates)
        self.counts.update(
            history_trainings=len(trainings),
            history_training_sessions=len(sessions),
            history_enrolments=len(enrolments),
            history_training_certificates=len(certificates),
        )

    @staticmethod
    def _training_kind(year: int, n: int) -> tuple[str, str, str]:
        if year < 2019:
            return EARLY_TRAININGS[n % len(EARLY_TRAININGS)]
        kind, name, topic = TRAINING_KINDS[n % len(TRAINING_KINDS)]
        return str(kind), name, topic

    def _attendees(self, day: dt.date) -> list[int]:
        """Three to eight of its people, 14 or older and registered before the session; the demo
        participant keeps the trainings the training seed gave them."""
        people = [p for p in self.people if p.pk != self.participant_id]
        eligible = [
            p.pk
            for p in people
            if p.registered < day and (p.birth is None or p.birth.year <= day.year - 14)
        ]
        if len(eligible) < 2:
            eligible = [p.pk for p in people]
        return self.rng.sample(eligible, k=min(len(eligible), self.rng.randint(3, 8)))

    # Visits -----------------------------------------------------------------------------------

    def _visits(self) -> None:
        if not self.facilitator_id:
            return
        rng, writer, pk = self.rng, self.writer, self.pesantren.pk
        visited = {
            (day.year, day.month)
            for day in Visit.objects.filter(pesantren_id=pk).values_list("visited_on", flat=True)
        }
        visits, items = [], []
        purposes = [p for p in Purpose.values if p != Purpose.OTHER]
        year, month = HISTORY_FROM, 2  # from the month after its registration
        last = self.today - dt.timedelta(days=21)
        while (year, month) <= (last.year, last.month):
            day = dt.date(year, month, rng.randint(3, 27))
            if (year, month) not in visited and day <= last and rng.random() < 0.93:
                visit_id = writer.new_id(Visit)
                submitted = _at(day, 15, rng.randint(0, 59))
                reviewed = submitted + dt.timedelta(days=rng.randint(1, 7))
                visits.append(
                    {
                        "id": visit_id,
                        "programme_id": self.programme.pk,
                        "pesantren_id": pk,
                        "facilitator_id": self.facilitator_id,
                        "client_uuid": uuid.UUID(int=rng.getrandbits(128), version=4),
                        "visited_on": day,
                        "purpose": rng.choice(purposes),
                        "purpose_other": "",
                        "notes": rng.choice(VISIT_NOTES),
                        "status": Visit.Status.REVIEWED if self.reviewer_id else "submitted",
                        "submitted_at": submitted,
                        "reviewed_at": reviewed if self.reviewer_id else None,
                        "reviewed_by_id": self.reviewer_id,
                        "review_note": "",
                        "created_at": submitted,
                        "updated_at": reviewed,
                    }
                )
                items += self._action_items(visit_id, day)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        writer.write(Visit, visits)
        writer.write(ActionItem, items)
        self.counts.update(history_visits=len(visits), history_visit_action_items=len(items))

    def _action_items(self, visit_id: int, day: dt.date) -> list[dict]:
        rng, rows = self.rng, []
        for text in rng.sample(VISIT_ITEMS, rng.choice((0, 1, 1, 2, 2, 3))):
            due = day + dt.timedelta(days=rng.choice((14, 30, 60)))
            done = due < self.today and rng.random() < 0.85
            done_on = due - dt.timedelta(days=rng.randint(0, 10))
            rows.append(
                {
                    "id": self.writer.new_id(ActionItem),
                    "visit_id": visit_id,
                    "text": text,
                    "due_on": due,
                    "responsible": rng.choice(VISIT_WHO),
                    "done_at": _at(max(done_on, day), 10) if done else None,
                    "done_by_id": self.manager_id if done else None,
                }
            )
        return rows

    # Certifications ---------------------------------------------------------------------------

    def _certifications(self) -> None:
        self.products = self._chosen_products()
        if not self.products:
            return
        rng, writer = self.rng, self.writer
        tracks, steps, certifications = [], [], []
        for slot, kind, story in CERTIFICATIONS:
            if slot >= len(self.products):
                continue
            product_id, _name, regency = self.products[slot]
            story = [
                (o, _day(d), _day(e) if e else None) for o, d, e in story if self._past(_day(d))
            ]
            if not story:
                continue
            # The tracker and the catalogue keep one current row per product and kind: replace.
            CertificationTrack.objects.filter(product_id=product_id, kind=kind).delete()
            Certification.objects.filter(product_id=product_id, kind=kind).delete()
            issued = [(d, e) for o, d, e in story if o == "issued"]
            cert_id = writer.new_id(Certification) if issued else None
            if issued:
                issued_on, expires_on = issued[-1]
                certifications.append(
                    {
                        "id": cert_id,
                        "product_id": product_id,
                        "kind": kind,
                        "number": _cert_number(rng, kind, expires_on),
                        "issued_on": issued_on,
                        "expires_on": expires_on,
                        "document": "",
                        "created_at": _at(issued_on),
                        "updated_at": _at(issued_on),
                    }
                )
            previous = None
            for index, (outcome, on, _expires) in enumerate(story):
                track_id = writer.new_id(CertificationTrack)
                current = index == len(story) - 1
                renews = previous if previous and previous[1] == "issued" else None
                tracks.append(
                    {
                        "id": track_id,
                        "programme_id": self.programme.pk,
                        "product_id": product_id,
                        "kind": kind,
                        "status": outcome,
                        "pesantren_id": self.pesantren.pk,
                        "regency_id": regency,
                        "certification_id": cert_id if outcome == "issued" else None,
                        "renews_id": renews[0] if renews else None,
                        "superseded": not current,
                        "status_on": on,
                        "submitted_on": on - dt.timedelta(days=30),
                        "decided_on": on if outcome != "submitted" else None,
                        "authority_reference": f"REG{on:%Y%m}{rng.randint(10_000, 99_999)}",
                        "created_by_id": self.manager_id,
                        "created_at": _at(on - dt.timedelta(days=75)),
                        "updated_at": _at(on),
                    }
                )
                steps += self._track_steps(track_id, outcome, on)
                previous = (track_id, outcome)
        writer.write(Certification, certifications)
        writer.write(CertificationTrack, tracks)
        writer.write(TrackStep, steps)
        self.counts.update(
            history_certifications=len(certifications),
            history_certification_tracks=len(tracks),
            history_track_steps=len(steps),
        )

    def _chosen_products(self) -> list[tuple[int, str, int]]:
        """The two products its certificates are for: food first (P-IRT, halal and BPOM are
        food permits), then the pesantren's own enterprises before its people's."""
        own = set(
            Enterprise.objects.filter(pesantren_id=self.pesantren.pk).values_list("pk", flat=True)
        )
        rows = Product.objects.filter(enterprise_id__in=self.enterprise_ids).values_list(
            "pk", "name", "enterprise_id", "category__parent__slug", "enterprise__regency_id"
        )
        ranked = sorted(rows, key=lambda r: (r[3] != FOOD_CATEGORY, r[2] not in own, r[0]))
        return [(pk, name, regency) for pk, name, _e, _s, regency in ranked[:2]]

    def _track_steps(self, track_id: int, outcome: str, on: dt.date) -> list[dict]:
        path = [
            ("", TrackStatus.PLANNED, on - dt.timedelta(days=75), ""),
            (TrackStatus.PLANNED, TrackStatus.PREPARING, on - dt.timedelta(days=50), ""),
            (TrackStatus.PREPARING, TrackStatus.SUBMITTED, on - dt.timedelta(days=30), ""),
        ]
        if outcome != TrackStatus.SUBMITTED:
            note = self.rng.choice(REJECTION_NOTES) if outcome == TrackStatus.REJECTED else ""
            path.append((TrackStatus.SUBMITTED, outcome, on, note))
        return [
            {
                "id": self.writer.new_id(TrackStep),
                "track_id": track_id,
                "from_status": before,
                "to_status": after,
                "on": day,
                "actor_id": self.manager_id if after != outcome else self.reviewer_id,
                "note": note,
                "authority_reference": "",
                "created_at": _at(day),
            }
            for before, after, day, note in path
        ]

    # Grants and loans -------------------------------------------------------------------------

    def _grants(self) -> None:
        coop = self.cooperative
        if coop is None:
            return
        events: list[GrantEvent] = []
        proposals = 0
        for plan in GRANTS:
            if self._past(_day(plan[-1])):
                proposals += self._grant(coop, plan, events)
        loans = []
        for bank, product, amount, submitted, approved, disbursed in LOANS:
            if not self._past(_day(disbursed)):
                continue
            loan = LoanApplication(
                programme=self.programme,
                cooperative=coop,
                bank_name=bank,
                product=product,
                amount=amount,
                status=LoanApplication.Status.DISBURSED,
                submitted_on=_day(submitted),
                decided_on=_day(approved),
                disbursed_on=_day(disbursed),
                recorded_by_id=self.admin_id,
            )
            loans.append(loan)
        LoanApplication.objects.bulk_create(loans)
        for loan in loans:
            label = f"{loan.bank_name} — {loan.product}"
            for kind, on in (
                (GrantEvent.Kind.LOAN_SUBMITTED, loan.submitted_on),
                (GrantEvent.Kind.LOAN_APPROVED, loan.decided_on),
                (GrantEvent.Kind.LOAN_DISBURSED, loan.disbursed_on),
            ):
                events.append(self._grant_event(kind, on, loan.amount, label, loan=loan))
        GrantEvent.objects.bulk_create(events)
        self.counts.update(
            history_grant_proposals=proposals,
            history_loans=len(loans),
            history_grant_events=len(events),
        )

    def _grant(self, coop, plan, events: list) -> int:
        year, submitted, agreed, tranches, closed = plan
        opens, closes = dt.date(year, 1, 15), dt.date(year, 3, 31)
        scheme, _created = GrantScheme.objects.get_or_create(
            programme=self.programme,
            year=year,
            name=GRANT_SCHEME,
            defaults={
                "amount_per_cooperative": GRANT_AMOUNT,
                "total_budget": GRANT_AMOUNT * 50,
                "tranche_percentages": [70, 30],
                "lpj_before_next_tranche": True,
                "opens_on": opens,
                "closes_on": closes,
            },
        )
        live = GrantProposal.objects.filter(scheme=scheme, cooperative=coop)
        if live.exclude(status=GrantProposal.Status.REJECTED).exists():
            return 0
        label, signed = str(scheme), _day(agreed)
        proposal = GrantProposal.objects.create(
            programme=self.programme,
            scheme=scheme,
            cooperative=coop,
            status=GrantProposal.Status.CLOSED,
            plan="Menambah mesin produksi dan kemasan produk unggulan koperasi.",
            amount_requested=GRANT_AMOUNT,
            created_by_id=self.manager_id,
            submitted_at=_at(_day(submitted)),
            checklist=dict.fromkeys(
                ("cooperative", "plan", "budget", "attachments"), {"ok": True, "note": ""}
            ),
            verified_by_id=self.admin_id,
            decided_at=_at(_day(submitted) + dt.timedelta(days=14)),
            nphd_number=f"NPHD/{year}/H/{self.pesantren.pk}",
            nphd_date=signed,
            agreed_amount=GRANT_AMOUNT,
            nphd_file=self._file(),
            nphd_content_type="application/pdf",
            closed_on=_day(closed),
            remaining_returned=False,
            returned_amount=0,
            closure_note="Dana digunakan seluruhnya sesuai rencana.",
        )
        BudgetLine.objects.bulk_create(
            BudgetLine(proposal=proposal, position=i, description=text, amount=value)
            for i, (text, value) in enumerate(
                (("Mesin produksi", 30_000_000), ("Kemasan dan label", 12_000_000),
                 ("Pemasaran digital", 8_000_000))
            )
        )  # fmt: skip

        def add(kind, on, amount):
            events.append(self._grant_event(kind, on, amount, label, proposal=proposal))

        add(GrantEvent.Kind.SUBMITTED, _day(submitted), GRANT_AMOUNT)
        add(GrantEvent.Kind.AGREED, signed, GRANT_AMOUNT)
        first = GRANT_AMOUNT * 70 // 100
        for number, ((paid, accepted), amount) in enumerate(
            zip(tranches, (first, GRANT_AMOUNT - first), strict=True), start=1
        ):
            paid_on, accepted_on = _day(paid), _day(accepted)
            disbursement = Disbursement.objects.create(
                proposal=proposal,
                number=number,
                amount=amount,
                paid_on=paid_on,
                transfer_reference=f"TRF{paid_on:%Y%m%d}{coop.pk:05d}{number}",
                client_key=uuid.UUID(int=self.rng.getrandbits(128)).hex,
                recorded_by_id=self.admin_id,
            )
            report = AccountabilityReport.objects.create(
                disbursement=disbursement,
                status=AccountabilityReport.Status.ACCEPTED,
                summary="Dana tahap ini digunakan sesuai rencana anggaran.",
                submitted_at=_at(accepted_on - dt.timedelta(days=10)),
                decided_at=_at(accepted_on),
                decided_by_id=self.admin_id,
            )
            Receipt.objects.bulk_create(self._receipts(report, amount, paid_on))
            add(GrantEvent.Kind.DISBURSED, paid_on, amount)
            add(GrantEvent.Kind.LPJ_ACCEPTED, accepted_on, amount)
        add(GrantEvent.Kind.CLOSED, _day(closed), GRANT_AMOUNT)
        return 1

    def _grant_event(self, kind, on, amount, label, *, proposal=None, loan=None) -> GrantEvent:
        return GrantEvent(
            programme=self.programme,
            pesantren_id=self.pesantren.pk,
            proposal=proposal,
            loan=loan,
            kind=kind,
            on=on,
            amount=amount,
            label=label,
        )

    def _receipts(self, report, total: int, paid_on: dt.date) -> list[Receipt]:
        parts = [total // 3] * 3
        parts[-1] += total - sum(parts)
        digest = hashlib.sha256(PDF).hexdigest()
        return [
            Receipt(
                report=report,
                spent_on=paid_on + dt.timedelta(days=5 + 20 * i),
                description=f"Nota pembelian {i + 1}",
                amount=amount,
                file=self._file(),
                original_name=f"nota-{i + 1}.pdf",
                content_type="application/pdf",
                size=len(PDF),
                sha256=digest,
            )
            for i, amount in enumerate(parts)
        ]

    def _file(self) -> str:
        if self.file_name is None:
            storage = Receipt._meta.get_field("file").storage
            name = f"grants/demo-history-{uuid.UUID(int=self.rng.getrandbits(128)).hex}.pdf"
            self.file_name = storage.save(name, ContentFile(PDF))
        return self.file_name

    # Cooperative health -----------------------------------------------------------------------

    def _coophealth(self) -> None:
        coop = self.cooperative
        if coop is None:
            return
        rng, writer = self.rng, self.writer
        CooperativeHealth.objects.filter(cooperative=coop).delete()
        CooperativeReport.objects.filter(cooperative=coop).delete()
        members, own, volume = 32, 45_000_000, 180_000_000
        rows = []
        for year in range(HISTORY_FROM - 1, self.today.year):
            members = int(members * rng.uniform(1.05, 1.25))
            own = int(own * rng.uniform(1.05, 1.18)) // 1_000 * 1_000
            volume = int(volume * rng.uniform(1.02, 1.3)) // 1_000 * 1_000
            rat = dt.date(year + 1, rng.randint(2, 4), rng.randint(1, 28))
            filed = rat + dt.timedelta(days=rng.randint(7, 30))
            if year == HISTORY_FROM - 1:  # last year's books, brought at registration
                rat = dt.date(HISTORY_FROM, 1, 30)
                filed = dt.date(HISTORY_FROM, 2, 24)
            if not self._past(filed):
                continue
            external = int(own * rng.uniform(0.1, 0.6)) // 1_000 * 1_000
            rows.append(
                {
                    "id": writer.new_id(CooperativeReport),
                    "programme_id": self.programme.pk,
                    "cooperative_id": coop.pk,
                    "year": year,
                    "members_total": members,
                    "members_women": int(members * rng.uniform(0.3, 0.5)),
                    "own_capital": own,
                    "external_capital": external,
                    "business_volume": volume,
                    "surplus": int(volume * rng.uniform(0.02, 0.08)) // 1_000 * 1_000,
                    "rat_date": rat,
                    "assets": own + external + volume // 10,
                    "source": CooperativeReport.Source.FORM,
                    "created_by_id": self.manager_id,
                    "created_at": _at(filed),
                    "updated_at": _at(filed),
                }
            )
        if not rows:
            return
        latest = rows[-1]
        writer.write(CooperativeReport, rows)
        writer.write(
            CooperativeHealth,
            [
                {
                    "cooperative_id": coop.pk,
                    "programme_id": self.programme.pk,
                    "latest_report_id": latest["id"],
                    "latest_year": latest["year"],
                    "latest_active_year": latest["year"],
                    "report_count": len(rows),
                }
            ],
        )
        self.counts["history_coophealth_reports"] += len(rows)

    # Assessment -------------------------------------------------------------------------------

    def _assessments(self) -> None:
        rivals = self._rivals()
        for year, purpose, name, subject, outcomes in ROUNDS:
            if (
                year >= self.today.year
                or Round.objects.filter(programme=self.programme, name=name).exists()
            ):
                continue  # this year's rounds are the assessment seed's
            if subject == "product" and not self.products:
                continue
            self._round(year, purpose, name, subject, outcomes, rivals)

    def _rivals(self) -> dict[str, list[dict]]:
        """Other pesantren (for auditions and awards) and products (for curations) in the
        rounds, so that ranks mean something. Rival products never pass: curating them would
        change what OPOP Mart sells."""
        pesantren = list(
            Pesantren.objects.filter(programme=self.programme)
            .exclude(pk=self.pesantren.pk)
            .order_by("pk")
            .values("pk", "name", "regency_id")[:200]
        )
        showcase = [pk for pk, _n, _r in self.products]
        products = list(
            Product.objects.filter(programme=self.programme, status=Product.Status.ACTIVE)
            .exclude(pk__in=showcase)
            .order_by("pk")
            .values("pk", "name", "enterprise__pesantren_id", "enterprise__regency_id")[:200]
        )
        return {"pesantren": pesantren, "products": products}

    def _round(self, year, purpose, name, subject, outcomes, rivals) -> None:
        rng = self.rng
        award = purpose == Round.Purpose.AWARD
        published = _at(dt.date(year, 6 if not award else 11, rng.randint(5, 25)), 14)
        round_ = Round.objects.create(
            programme=self.programme,
            year=year,
            purpose=purpose,
            pillar=Pillar.PESANTRENPRENEUR,
            name=name,
            description=DEMO_NOTE,
            scale_min=1,
            scale_max=10,
            validity_months=24,
        )
        criteria = AWARD_CRITERIA if award else CURATION_CRITERIA
        Criterion.objects.bulk_create(
            Criterion(round=round_, position=i, name=text, weight=weight, guidance=guidance)
            for i, (text, weight, guidance) in enumerate(criteria)
        )
        stages = AWARD_STAGES if award else (("Penilaian", Stage.Kind.SCORING),)
        ours = self._subjects(subject, outcomes)
        others = self._rival_subjects(subject, rivals)
        carried: dict[str, Entry] = {}
        for position, (stage_name, kind) in enumerate(stages, start=1):
            at = published - dt.timedelta(days=(len(stages) - position) * 30)
            stage = Stage.objects.create(
                round=round_,
                position=position,
                name=stage_name,
                kind=kind,
                status=Stage.Status.PUBLISHED,
                cutoff_score=PASS_MARK,
                closed_at=at - dt.timedelta(days=3),
                published_at=at,
                appeal_until=at + dt.timedelta(days=round_.appeal_days),
            )
            entries = []
            for key, values, path in ours + others:
                if position > len(path) or (position > 1 and key not in carried):
                    continue
                passed = path[position - 1] == "passed"
                entries.append(
                    (
                        key,
                        Entry(
                            stage=stage,
                            **values,
                            previous=carried.get(key),
                            submitted_at=at - dt.timedelta(days=rng.randint(20, 60)),
                            final_score=_score(rng, passed),
                            outcome=Entry.Outcome.PASSED if passed else Entry.Outcome.NOT_PASSED,
                            decided_at=at,
                        ),
                    )
                )
            ranked = sorted(entries, key=lambda pair: -pair[1].final_score)
            for rank, (_key, entry) in enumerate(ranked, start=1):
                entry.rank = rank
            Entry.objects.bulk_create([entry for _key, entry in entries])
            carried = {key: e for key, e in entries if e.outcome == Entry.Outcome.PASSED}
            self.counts["history_assessment_entries"] += len(entries)
            if purpose == Round.Purpose.CURATION:
                self._curations(round_, [e for key, e in entries if key.startswith("ours")], at)
        self.counts["history_assessment_rounds"] += 1

    def _subjects(self, subject, outcomes) -> list[tuple[str, dict, tuple]]:
        base = {
            "pesantren_id": self.pesantren.pk,
            "regency_id": self.pesantren.regency_id,
            "owner_id": self.manager_id,
        }
        if subject == "enterprise":
            values = {**base, "title": self.pesantren.name[:200], "enterprise_id": self.flagship_id}
            return [("ours", values, outcomes)]
        subjects = []
        for slot, outcome in enumerate(outcomes[: len(self.products)]):
            product_id, name, _regency = self.products[slot]
            values = {**base, "title": name[:200], "product_id": product_id}
            subjects.append((f"ours{slot}", values, (outcome,)))
        return subjects

    def _rival_subjects(self, subject, rivals) -> list[tuple[str, dict, tuple]]:
        rng = self.rng
        if subject == "product":
            chosen = rng.sample(rivals["products"], k=min(RIVALS, len(rivals["products"])))
            return [
                (
                    f"rival{row['pk']}",
                    {
                        "title": row["name"][:200],
                        "product_id": row["pk"],
                        "pesantren_id": row["enterprise__pesantren_id"],
                        "regency_id": row["enterprise__regency_id"],
                    },
                    ("not_passed",),
                )
                for row in chosen
            ]
        chosen = rng.sample(rivals["pesantren"], k=min(RIVALS, len(rivals["pesantren"])))
        subjects = []
        for row in chosen:
            path = tuple("passed" if rng.random() < 0.5 else "not_passed" for _ in range(3))
            cut = path.index("not_passed") + 1 if "not_passed" in path else 3
            subjects.append(
                (
                    f"rival{row['pk']}",
                    {
                        "title": row["name"][:200],
                        "pesantren_id": row["pk"],
                        "regency_id": row["regency_id"],
                    },
                    path[:cut],
                )
            )
        return subjects

    def _curations(self, round_, entries, at) -> None:
        day = timezone.localtime(at).date()
        rows = [
            Curation(
                product_id=entry.product_id,
                entry=entry,
                grade=grade_for(round_, entry.final_score),
                score=entry.final_score,
                valid_from=day,
                valid_until=add_months(day, round_.validity_months),
            )
            for entry in entries
            if entry.outcome == Entry.Outcome.PASSED
        ]
        Curation.objects.bulk_create(rows)
        self.counts["history_curations"] += len(rows)


def _incorporated(coop: Cooperative, rng: random.Random) -> dict:
    """The cooperative became a legal entity in 2017: its AHU number says so too."""
    number = coop.legal_number or f"AHU-{rng.randint(1, 99_999):07d}.AH.01.26.TAHUN 2017"
    return {
        "legal_status": Cooperative.LegalStatus.INCORPORATED,
        "legal_date": dt.date(2017, 7, 12),
        "legal_number": re.sub(r"TAHUN \d{4}$", "TAHUN 2017", number),
    }


def _code(rng: random.Random, taken: set[str]) -> str:
    while True:
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            taken.add(code)
            return code


def _cert_number(rng: random.Random, kind: str, expires_on: dt.date | None) -> str:
    match kind:
        case "pirt":
            year = (expires_on or dt.date(2030, 1, 1)).year
            return f"{rng.randint(10**12, 10**13 - 1)}-{year % 100:02d}"
        case "halal":
            return f"ID{rng.randint(10**16, 10**17 - 1)}"
        case "bpom":
            return f"MD{rng.randint(10**11, 10**12 - 1)}"
        case "trademark":
            return f"IDM000{rng.randint(100_000, 999_999)}"
    return f"SPPT-SNI {rng.randint(1000, 9999)}:{rng.randint(2010, 2020)}"


def _score(rng: random.Random, passed: bool) -> Decimal:
    value = rng.uniform(7.2, 9.6) if passed else rng.uniform(4.0, 6.9)
    return Decimal(str(round(value, 3)))
