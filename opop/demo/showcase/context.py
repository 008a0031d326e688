"""What every aspect of the showcase history shares: the programme and pesantren, the draw, the
writer, the counts, the people who act in the story, and what one aspect leaves for the next
(the people's registration days, the enterprises, the products); and `run`, the aspects in order.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile

from opop.accounts.models import Membership, Role
from opop.demo.writer import RowWriter
from opop.grants.models import Receipt
from opop.registry.models import Cooperative, Pesantren

WIB = ZoneInfo("Asia/Jakarta")
HISTORY_FROM = 2016
DEMO_NOTE = "Demo: riwayat sepuluh tahun."
PDF = b"%PDF-1.4\n%Dokumen demo riwayat OPOP\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def date_of(parts: tuple[int, int, int]) -> dt.date:
    return dt.date(*parts)


def stamp(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """`day` at that time of day in Asia/Jakarta, where the story happens."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=WIB)


@dataclass
class PersonRecord:
    """One of the pesantren's people, with the day the history says they were registered."""

    pk: int
    birth: dt.date | None
    registered: dt.date = dt.date(HISTORY_FROM, 1, 1)


@dataclass
class Context:
    programme: object
    pesantren: Pesantren
    rng: random.Random
    today: dt.date
    writer: RowWriter
    counts: Counter = field(default_factory=Counter)
    # The accounts that act in the story (`load` finds them).
    admin_id: int | None = None
    manager_id: int | None = None
    facilitator_id: int | None = None
    reviewer_id: int | None = None
    participant_id: int | None = None  # a person, not a user: the demo participant's record
    cooperative: Cooperative | None = None
    # Left by one aspect for the ones after it.
    people: list[PersonRecord] = field(default_factory=list)  # registry, for the trainings
    enterprise_ids: list[int] = field(default_factory=list)  # registry, for the products
    flagship_id: int | None = None  # registry, for the auditions and awards
    products: list[tuple[int, str, int]] = field(default_factory=list)  # (pk, name, regency)
    file_name: str | None = None  # the one demo PDF, saved on first use

    @classmethod
    def load(
        cls, programme, pesantren: Pesantren, *, rng: random.Random, today: dt.date, writer
    ) -> Context:
        members = Membership.objects.filter(programme=programme, is_active=True)
        admin_id = (
            members.filter(role=Role.ADMIN).order_by("pk").values_list("user_id", flat=True).first()
        )
        facilitators = members.filter(role=Role.FACILITATOR).order_by("pk")
        return cls(
            programme=programme,
            pesantren=pesantren,
            rng=rng,
            today=today,
            writer=writer,
            admin_id=admin_id,
            manager_id=(
                members.filter(role=Role.MANAGER, pesantren=pesantren)
                .order_by("pk")
                .values_list("user_id", flat=True)
                .first()
            ),
            # Its own facilitator when it has one, else the programme's first.
            facilitator_id=(
                facilitators.filter(assigned_pesantren=pesantren)
                .values_list("user_id", flat=True)
                .first()
                or facilitators.values_list("user_id", flat=True).first()
            ),
            # The officer of its kab/kota decides its claims and reviews its visits.
            reviewer_id=(
                members.filter(role=Role.OFFICER, regency_id=pesantren.regency_id)
                .order_by("pk")
                .values_list("user_id", flat=True)
                .first()
                or admin_id
            ),
            participant_id=(
                members.filter(role=Role.PARTICIPANT, person__pesantren=pesantren)
                .values_list("person_id", flat=True)
                .first()
            ),
            cooperative=Cooperative.objects.filter(pesantren=pesantren).order_by("pk").first(),
        )

    def past(self, day: dt.date) -> bool:
        return day <= self.today

    def file(self) -> str:
        """The stored demo PDF every attachment of the history points at. Saved on first use
        only: its name takes a draw, so saving it earlier would shift every draw after it."""
        if self.file_name is None:
            storage = Receipt._meta.get_field("file").storage
            name = f"grants/demo-history-{uuid.UUID(int=self.rng.getrandbits(128)).hex}.pdf"
            self.file_name = storage.save(name, ContentFile(PDF))
        return self.file_name


def run(ctx: Context) -> None:
    """Every aspect, in this order: each draws from the one `rng`, so the order is what makes a
    seed give the same history; and later aspects read what earlier ones left in `ctx` (the
    trainings the people's registration days, the certifications the enterprises, the
    assessment the products)."""
    # Imported here: the aspect modules import this one for `Context` and its helpers.
    from opop.demo.showcase import (
        assessment,
        certifications,
        coophealth,
        grants,
        milestones,
        registry,
        training,
        visits,
    )

    registry.write(ctx)
    milestones.write(ctx)
    training.write(ctx)
    visits.write(ctx)
    certifications.write(ctx)
    grants.write(ctx)
    coophealth.write(ctx)
    assessment.write(ctx)
