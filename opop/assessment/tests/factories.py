"""Assessment rounds for tests, built through the services so they are valid by construction.

    rnd = make_round(world.jatim, criteria=3, jurors=2, entries=4)
    stage = stage_of(rnd)                       # its one stage, in SCORING, entries assigned
    score_all(stage)                            # every juror submits every sheet
    services.stage_close(actor=chair_of(rnd), stage=stage)

Each entry has its own pesantren (so no juror is conflicted unless a test makes them), an
enterprise (or a product, for curation rounds) and an owner with a participant account.
Jurors are users with a JUROR membership, seated in Penta Helix groups in turn.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from opop.accounts.models import Membership, Role, User
from opop.assessment import services
from opop.assessment.models import Assignment, Criterion, Round, Stage
from opop.catalog.models import Category, Product
from opop.programmes.models import Partner
from opop.regions.models import Region
from opop.registry.models import Enterprise, Pesantren

PASSWORD = "opop-test-pass"
_serial = itertools.count(1)


def _user(prefix: str, programme, role: str, **scope) -> User:
    user = User.objects.create_user(
        f"{prefix}-{next(_serial)}@test.opop.id", PASSWORD, full_name=prefix.title(), language="en"
    )
    Membership.objects.create(user=user, programme=programme, role=role, **scope)
    return user


def chair_of(rnd: Round) -> User:
    """A programme admin to act as the chair (the first admin, or a new one)."""
    admin = Membership.objects.filter(programme_id=rnd.programme_id, role=Role.ADMIN).first()
    return admin.user if admin else _user("chair", rnd.programme, Role.ADMIN)


def stage_of(rnd: Round) -> Stage:
    return rnd.stages.order_by("position").first()


def _regency(programme) -> str:
    return (
        Region.objects.filter(level=Region.Level.REGENCY, parent_id=programme.province_id)
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )


def make_subject(programme, *, purpose: str, index: int = 0) -> dict[str, Any]:
    """A fresh pesantren with an enterprise (and a product for curation): entry_add's kwargs."""
    regency = _regency(programme)
    serial = next(_serial)
    pesantren = Pesantren.objects.create(
        programme=programme, name=f"Pesantren Uji {serial}", regency_id=regency
    )
    enterprise = Enterprise.objects.create(
        programme=programme,
        name=f"Usaha Uji {serial}",
        pesantren=pesantren,
        sector=Enterprise.Sector.FOOD,
        regency_id=regency,
    )
    if purpose != Round.Purpose.CURATION:
        return {"enterprise": enterprise}
    category, _ = Category.objects.get_or_create(slug="uji", defaults={"name": "Uji"})
    product = Product.objects.create(
        programme=programme,
        enterprise=enterprise,
        category=category,
        name=f"Produk Uji {serial}",
        price=10_000 + index,
        unit="pack",
        weight_grams=250,
        status=Product.Status.ACTIVE,
    )
    return {"product": product}


def make_round(
    programme,
    *,
    criteria: int = 3,
    jurors: int = 2,
    entries: int = 4,
    purpose: str = "audition",
    jurors_per_entry: int | None = None,
    open: bool = True,
    actor: User | None = None,
    **round_data,
) -> Round:
    """A round with one stage: rubric (weights criteria..1 ×10, scale 1–10), `jurors` seated,
    `entries` owned by their own users, balanced assignments (every juror on every entry by
    default), and the stage opened for scoring unless `open=False` (then it is in SETUP)."""
    actor = actor or chair_of(Round(programme=programme))
    data = {
        "name": f"Round {next(_serial)}",
        "purpose": purpose,
        "year": 2025,
        "scale_min": 1,
        "scale_max": 10,
        "jurors_per_entry": jurors_per_entry or max(jurors, 1),
        "appeal_days": 7,
        **round_data,
    }
    rnd = services.round_save(actor=actor, programme=programme, data=data)
    for i in range(criteria):
        services.criterion_save(
            actor=actor,
            round=rnd,
            data={"name": f"Criterion {i + 1}", "weight": (criteria - i) * 10, "position": i},
        )
    stage = services.stage_save(actor=actor, round=rnd, data={"name": "Stage 1", "position": 1})
    groups = itertools.cycle(Partner.Kind.values)
    for _i in range(jurors):
        user = _user("juror", programme, Role.JUROR)
        services.juror_save(actor=actor, round=rnd, user=user, group=next(groups))
    for i in range(entries):
        owner = _user("owner", programme, Role.PARTICIPANT)
        subject = make_subject(programme, purpose=purpose, index=i)
        services.entry_add(actor=actor, stage=stage, owner=owner, **subject)
    services.assignments_balance(actor=actor, stage=stage)
    if open:
        services.stage_open(actor=actor, stage=stage)
    return rnd


def _value_for(assignment: Assignment, criterion: Criterion, rnd: Round) -> Decimal:
    """A spread of scores that differs by entry and juror, the same on every run."""
    span = rnd.scale_max - rnd.scale_min + 1
    return Decimal(
        rnd.scale_min
        + (assignment.entry_id * 7 + assignment.juror_id * 3 + criterion.position) % span
    )


def score_all(
    stage: Stage,
    values: Decimal | int | dict | Callable[[Assignment, Criterion], Any] | None = None,
    *,
    submit: bool = True,
) -> int:
    """Every unsubmitted sheet of the stage is scored by its juror (through the service).

    `values`: one number for every criterion, {criterion id: value}, a function
    (assignment, criterion) -> value, or None for a deterministic spread. Returns the count."""
    rnd = stage.round
    criteria = list(rnd.criteria.all())
    done = 0
    sheets = Assignment.objects.filter(stage=stage, submitted_at__isnull=True).select_related(
        "juror__user"
    )
    for assignment in sheets.order_by("id"):
        sheet = {}
        for criterion in criteria:
            if values is None:
                sheet[criterion.pk] = _value_for(assignment, criterion, rnd)
            elif callable(values):
                sheet[criterion.pk] = values(assignment, criterion)
            elif isinstance(values, dict):
                sheet[criterion.pk] = values[criterion.pk]
            else:
                sheet[criterion.pk] = values
        services.scoresheet_save(
            actor=assignment.juror.user,
            assignment=assignment,
            values=sheet,
            submit=submit,
            visited_on=timezone.localdate() if stage.kind == Stage.Kind.FIELD_VISIT else None,
        )
        done += 1
    return done
