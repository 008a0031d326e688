"""Demo trainings: last year's and this year's programmes (Training Center, Santri Camp, OPOP
Berdaya, bimtek) with sessions in the kab/kota where the demo people live, invitations,
attendance, pre/post-test scores, certificates and some follow-up survey answers. Upcoming
sessions have invitations and enrolments only. The demo participant account gets one attended
session (with a certificate and a due survey) and one upcoming place.

Deterministic for a given `rng`, idempotent (nothing is written when the programme already has
trainings), bulk through `RowWriter`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from opop.accounts.models import Membership, Role
from opop.demo.writer import RowWriter
from opop.programmes.models import Partner, Pillar
from opop.registry.models import Person
from opop.training.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Certificate,
    Enrolment,
    Session,
    SurveyAnswer,
    Training,
)

KINDS = [
    (Training.Kind.TRAINING_CENTER, "OPOP Training Center", "Manajemen koperasi pesantren"),
    (Training.Kind.SANTRI_CAMP, "Santri OPOP Camp", "Kewirausahaan santri"),
    (Training.Kind.BERDAYA, "OPOP Berdaya", "Pelatihan keterampilan kerja"),
    (Training.Kind.BIMTEK, "Bimtek Halal & PIRT", "Sertifikasi halal self-declare"),
]
TOPICS = ["Pembukuan sederhana", "Pemasaran digital", "Kemasan produk", "Keuangan syariah"]
REGENCIES_PER_PROGRAMME = 6
PEOPLE_PER_REGENCY = 300


def _code(rng: random.Random) -> str:
    return "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def seed_training(programme, *, rng: random.Random, writer: RowWriter | None = None) -> Counter:
    counts: Counter = Counter()
    if Training.objects.filter(programme=programme).exists():
        return counts
    writer = writer or RowWriter(now=timezone.now())
    now = timezone.now()
    this_year = timezone.localdate().year
    partners = list(Partner.objects.filter(programme=programme).order_by("pk")[:4])
    regencies = [
        row["regency_id"]
        for row in Person.objects.filter(programme=programme, regency__isnull=False)
        .values("regency_id")
        .annotate(n=Count("id"))
        .order_by("-n", "regency_id")[:REGENCIES_PER_PROGRAMME]
    ]
    if not regencies:
        return counts
    pool = {
        code: list(
            Person.objects.filter(programme=programme, regency_id=code, anonymised_at__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:PEOPLE_PER_REGENCY]
        )
        for code in regencies
    }
    demo_person = (
        Membership.objects.filter(programme=programme, role=Role.PARTICIPANT, person__isnull=False)
        .order_by("pk")
        .values_list("person_id", flat=True)
        .first()
    )
    trainings, sessions, enrolments, certificates, answers = [], [], [], [], []
    codes: set[str] = set()
    for year in (this_year - 1, this_year):
        for n, (kind, name, _) in enumerate(KINDS):
            partner = partners[n % len(partners)] if partners else None
            trainings.append(
                {
                    "id": writer.new_id(Training),
                    "programme_id": programme.pk,
                    "kind": kind,
                    "name": f"{name} {year}",
                    "year": year,
                    "partner_id": partner.pk if partner else None,
                    "organiser_name": partner.name if partner else programme.name,
                    "description": "",
                }
            )
    for training in trainings:
        for code in rng.sample(regencies, k=min(2, len(regencies))):
            year = training["year"]
            if year < this_year:
                start_day = dt.date(year, rng.randint(2, 11), rng.randint(1, 28))
            else:  # this year: half already held, half still to come
                offset = rng.randint(-150, -20) if rng.random() < 0.5 else rng.randint(10, 60)
                start_day = timezone.localdate() + dt.timedelta(days=offset)
            starts = timezone.make_aware(dt.datetime.combine(start_day, dt.time(8, 0)))
            capacity = rng.choice([20, 25, 30])
            session = {
                "id": writer.new_id(Session),
                "programme_id": programme.pk,
                "training_id": training["id"],
                "title": f"{rng.choice(TOPICS)} — {training['name']}",
                "starts_at": starts,
                "ends_at": starts + dt.timedelta(hours=rng.choice([6, 8, 30])),
                "place": "Aula Pondok Pesantren",
                "online_link": "",
                "regency_id": code,
                "capacity": capacity,
                "uses_tests": True,
                "status": Session.Status.PLANNED,
                "target_pillar": rng.choice(["", Pillar.SANTRIPRENEUR]),
                "target_regency_id": code,
                "need_tags": "",
                "survey_after_months": 3,
            }
            sessions.append(session)
            held = session["ends_at"] < now
            people = rng.sample(pool[code], k=min(len(pool[code]), capacity + 5))
            if demo_person and demo_person not in people and rng.random() < 0.3:
                people[0:0] = [demo_person]
            for i, person_id in enumerate(people):
                status = (
                    Enrolment.Status.ENROLLED
                    if i < capacity
                    else rng.choice([Enrolment.Status.WAITLISTED, Enrolment.Status.DECLINED])
                )
                if not held and i % 3 == 2 and status == Enrolment.Status.ENROLLED:
                    status = Enrolment.Status.INVITED
                code_ = _code(rng)
                while code_ in codes:
                    code_ = _code(rng)
                codes.add(code_)
                attended = held and status == Enrolment.Status.ENROLLED and rng.random() < 0.85
                pre = rng.randint(30, 70) if attended else None
                row = {
                    "id": writer.new_id(Enrolment),
                    "session_id": session["id"],
                    "person_id": person_id,
                    "status": status,
                    "invited_at": starts - dt.timedelta(days=14),
                    "enrolled_at": starts - dt.timedelta(days=10)
                    if status == Enrolment.Status.ENROLLED
                    else None,
                    "checkin_code": code_,
                    "checked_in_at": starts + dt.timedelta(minutes=rng.randint(0, 45))
                    if attended
                    else None,
                    "pre_score": pre,
                    "post_score": min(100, pre + rng.randint(5, 30)) if attended else None,
                }
                enrolments.append(row)
                if not attended:
                    continue
                issued = session["ends_at"] + dt.timedelta(days=rng.randint(1, 14))
                certificates.append(
                    {
                        "id": writer.new_id(Certificate),
                        "enrolment_id": row["id"],
                        "number": f"OPOP-{programme.code.upper()}-{starts.year}-"
                        f"{session['id']:05d}-{row['id']:06d}",
                        "verify_code": f"{rng.getrandbits(128):032x}",
                        "issued_at": min(issued, now),
                        "revoked_at": None,
                        "revoke_reason": "",
                    }
                )
                due = session["ends_at"] + relativedelta(months=3)
                if due < now and person_id != demo_person and rng.random() < 0.5:
                    answers.append(
                        {
                            "id": writer.new_id(SurveyAnswer),
                            "enrolment_id": row["id"],
                            "applied_skill": rng.random() < 0.7,
                            "revenue_change": rng.choice(["up", "up", "same", "down", "none"]),
                            "comments": rng.choice(
                                ["", "", "Sangat bermanfaat.", "Perlu pendampingan lanjutan."]
                            ),
                        }
                    )
    with transaction.atomic():
        writer.write(Training, trainings)
        writer.write(Session, sessions)
        writer.write(Enrolment, enrolments)
        writer.write(Certificate, certificates)
        writer.write(SurveyAnswer, answers)
    counts.update(
        trainings=len(trainings),
        training_sessions=len(sessions),
        training_enrolments=len(enrolments),
        training_certificates=len(certificates),
        training_survey_answers=len(answers),
    )
    return counts
