"""Building assessment rounds for the staff page tests, through the services (no shortcuts):
what a programme admin would have done by the time each page is looked at."""

from __future__ import annotations

from dataclasses import dataclass, field

from opop.accounts.models import Membership, Role, User
from opop.assessment import services
from opop.assessment.models import Appeal, Assignment, Criterion, Entry, Juror, Round, Stage
from opop.catalog.models import Category, Product

# Personas that must never open a staff page of the assessment engine.
REFUSED = ["juror", "manager_a", "participant", "officer", "outsider"]
GROUPS = ["academia", "business", "community", "government", "media"]


@dataclass
class Made:
    round: Round
    stage: Stage
    criteria: list[Criterion] = field(default_factory=list)
    jurors: list[Juror] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)


def build(world, *, entries=4, jurors=2, per_entry=2) -> Made:
    """A jatim curation round: a rubric of three criteria, one stage in SETUP with product
    entries (alternately of pesantren A's and B's enterprises) and a panel."""
    admin = world.user("admin")
    rnd = services.round_save(
        actor=admin,
        programme=world.jatim,
        data={"name": "Kurasi Produk 2026", "purpose": "curation", "year": 2026}
        | {"jurors_per_entry": per_entry},
    )
    criteria = [
        services.criterion_save(actor=admin, round=rnd, data={"name": name, "weight": weight})
        for name, weight in (("Rasa", 40), ("Kemasan", 30), ("Pasar", 30))
    ]
    stage = services.stage_save(
        actor=admin, round=rnd, data={"name": "Desk review", "kind": "scoring", "position": 1}
    )
    seats = []
    for number in range(jurors):
        user = world.user("juror") if number == 0 else juror_user(world, number)
        seats.append(
            services.juror_save(actor=admin, round=rnd, user=user, group=GROUPS[number % 5])
        )
    category, _ = Category.objects.get_or_create(slug="keripik", defaults={"name": "Keripik"})
    made = Made(round=rnd, stage=stage, criteria=criteria, jurors=seats)
    for number in range(entries):
        enterprise = world.enterprise_a if number % 2 == 0 else world.enterprise_b
        product = Product.objects.create(
            programme=world.jatim,
            enterprise=enterprise,
            category=category,
            name=f"Produk {number:03d}",
            price=10_000,
            unit="pack",
            weight_grams=100,
            status=Product.Status.ACTIVE,
        )
        made.entries.append(services.entry_add(actor=admin, stage=stage, product=product))
    return made


def juror_user(world, number: int) -> User:
    email = f"juror{number}@test.opop.id"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, "x", full_name=f"Juri {number}")
        Membership.objects.create(user=user, programme=world.jatim, role=Role.JUROR)
    return user


def score_and_close(world, made: Made, values=None) -> Made:
    """Open, let every juror submit (values by juror index: {criterion index: value}), close."""
    admin = world.user("admin")
    services.assignments_balance(actor=admin, stage=made.stage)
    services.stage_open(actor=admin, stage=made.stage)
    values = values or {}
    for assignment in Assignment.objects.filter(stage=made.stage).select_related("juror__user"):
        index = made.jurors.index(assignment.juror)
        given = values.get((index, assignment.entry_id), values.get(index, {}))
        services.scoresheet_save(
            actor=assignment.juror.user,
            assignment=assignment,
            values={c.pk: given.get(i, 7) for i, c in enumerate(made.criteria)},
            submit=True,
        )
    services.stage_close(actor=admin, stage=made.stage)
    made.stage.refresh_from_db()
    return made


def publish_with_appeal(world, made: Made) -> Appeal:
    services.stage_publish(actor=world.user("admin"), stage=made.stage)
    made.stage.refresh_from_db()
    entry = Entry.objects.get(pk=made.entries[0].pk)
    return services.appeal_submit(actor=entry.owner, entry=entry, reason="Rasa kami terbaik.")
