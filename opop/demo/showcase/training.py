"""The showcase's trainings: four sessions a year from 2016, each attended by a few of its people
(14 or older, registered before), with pre/post-test scores and certificates for most of them.
Before the programme (2019) the sessions are the cooperative office's own courses."""

from __future__ import annotations

import datetime as dt
import random

from opop.demo.showcase.context import HISTORY_FROM, Context, stamp
from opop.demo.training import KINDS as TRAINING_KINDS
from opop.demo.training import TOPICS
from opop.training.models import CODE_ALPHABET, CODE_LENGTH, Certificate, Enrolment, Session
from opop.training.models import Training as TrainingProgramme

SESSION_MONTHS = (2, 5, 8, 11)
EARLY_TRAININGS = (  # before the programme (2019), the cooperative office's own courses
    ("bimtek", "Bimtek Koperasi Pesantren", "Tata kelola koperasi"),
    ("other", "Pelatihan Kewirausahaan Santri", "Kewirausahaan santri"),
)


def write(ctx: Context) -> None:
    rng, writer = ctx.rng, ctx.writer
    existing = {
        (year, kind): pk
        for pk, year, kind in TrainingProgramme.objects.filter(
            programme=ctx.programme, year__gte=HISTORY_FROM
        )
        .order_by("pk")
        .values_list("pk", "year", "kind")
    }
    trainings, sessions, enrolments, certificates = [], [], [], []
    codes: set[str] = set()
    cutoff = ctx.today - dt.timedelta(days=14)
    for year in range(HISTORY_FROM, ctx.today.year + 1):
        for n, month in enumerate(SESSION_MONTHS):
            day = dt.date(year, month, rng.randint(3, 24))
            if day > cutoff:
                continue
            kind, name, topic = _training_kind(year, n)
            training_id = existing.get((year, kind))
            if training_id is None:
                training_id = writer.new_id(TrainingProgramme)
                existing[(year, kind)] = training_id
                trainings.append(
                    {
                        "id": training_id,
                        "programme_id": ctx.programme.pk,
                        "kind": kind,
                        "name": f"{name} {year}",
                        "year": year,
                        "organiser_name": ctx.programme.name,
                        "description": topic,
                        "created_by_id": ctx.admin_id,
                    }
                )
            starts = stamp(day, 8)
            session_id = writer.new_id(Session)
            sessions.append(
                {
                    "id": session_id,
                    "programme_id": ctx.programme.pk,
                    "training_id": training_id,
                    "title": f"{rng.choice(TOPICS)} — {name} {year}",
                    "starts_at": starts,
                    "ends_at": starts + dt.timedelta(hours=8),
                    "place": "Aula Pondok Pesantren",
                    "online_link": "",
                    "regency_id": ctx.pesantren.regency_id,
                    "capacity": 30,
                    "uses_tests": True,
                    "status": Session.Status.PLANNED,
                    "target_pillar": "",
                    "target_regency_id": ctx.pesantren.regency_id,
                    "need_tags": "",
                    "survey_after_months": 3,
                    "created_by_id": ctx.admin_id,
                    "created_at": starts - dt.timedelta(days=30),
                }
            )
            for person_id in _attendees(ctx, day):
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
                        "checked_in_by_id": ctx.admin_id,
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
                            "number": f"OPOP-{ctx.programme.code.upper()}-{year}-"
                            f"{session_id:05d}-{enrolment_id:06d}",
                            "verify_code": f"{rng.getrandbits(128):032x}",
                            "issued_at": issued,
                            "issued_by_id": ctx.admin_id,
                            "created_at": issued,
                        }
                    )
    writer.write(TrainingProgramme, trainings)
    writer.write(Session, sessions)
    writer.write(Enrolment, enrolments)
    writer.write(Certificate, certificates)
    ctx.counts.update(
        history_trainings=len(trainings),
        history_training_sessions=len(sessions),
        history_enrolments=len(enrolments),
        history_training_certificates=len(certificates),
    )


def _training_kind(year: int, n: int) -> tuple[str, str, str]:
    if year < 2019:
        return EARLY_TRAININGS[n % len(EARLY_TRAININGS)]
    kind, name, topic = TRAINING_KINDS[n % len(TRAINING_KINDS)]
    return str(kind), name, topic


def _attendees(ctx: Context, day: dt.date) -> list[int]:
    """Three to eight of its people, 14 or older and registered before the session; the demo
    participant keeps the trainings the training seed gave them."""
    people = [p for p in ctx.people if p.pk != ctx.participant_id]
    eligible = [
        p.pk
        for p in people
        if p.registered < day and (p.birth is None or p.birth.year <= day.year - 14)
    ]
    if len(eligible) < 2:
        eligible = [p.pk for p in people]
    return ctx.rng.sample(eligible, k=min(len(eligible), ctx.rng.randint(3, 8)))


def _code(rng: random.Random, taken: set[str]) -> str:
    """A check-in code no other enrolment of the history has."""
    while True:
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            taken.add(code)
            return code
