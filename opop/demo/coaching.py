"""Demo data of coaching (issue 5): milestones, trainings, visits, certification tracks, grants
and cooperative health, seeded per programme after the registry, the catalogue and the demo
accounts exist; and their removal before the registry's on `demo_reset`."""

from __future__ import annotations

import random
from collections import Counter, deque

from django.apps import apps

from opop.demo.certtracker import seed_certtracker
from opop.demo.coophealth import seed_coophealth
from opop.demo.grants import seed_grants
from opop.demo.milestones import seed_milestones
from opop.demo.showcase import history_ensure
from opop.demo.training import seed_training
from opop.demo.visits import seed_visits

SEEDERS = (
    ("milestones", seed_milestones),
    ("coophealth", seed_coophealth),
    ("certtracker", seed_certtracker),
    ("training", seed_training),
    ("visits", seed_visits),
    ("grants", seed_grants),
)
# Deleted in this order, each app's models from the last defined to the first (children first).
RESET_APPS = ("grants", "visits", "training", "certtracker", "coophealth", "milestones")


def seed_coaching(programme, *, seed: int, writer) -> Counter:
    counts: Counter = Counter()
    for name, seeder in SEEDERS:
        rng = random.Random(f"{seed}:{programme.code}:{name}")
        counts.update(seeder(programme, rng=rng, writer=writer))
    # The showcase pesantren's ten years (its journey page), over what the seeders gave it.
    rng = random.Random(f"{seed}:{programme.code}:journey_history")
    counts.update(history_ensure(programme, rng=rng, writer=writer))
    return counts


def coaching_reset(codes: list[str]) -> int:
    """Delete the coaching rows of the programmes `codes`; returns how many went."""
    deleted = 0
    for label in RESET_APPS:
        for model in reversed(list(apps.get_app_config(label).get_models())):
            path = _programme_path(model)
            if path is None:
                continue
            deleted += model.objects.filter(**{f"{path}code__in": codes}).delete()[0]
    return deleted


def _programme_path(model) -> str | None:
    """The lookup from `model` to its programme (`programme__`, `session__programme__` …)."""
    queue = deque([(model, "", 0)])
    while queue:
        current, prefix, depth = queue.popleft()
        names = {field.name for field in current._meta.concrete_fields}
        if "programme" in names:
            return f"{prefix}programme__"
        if depth == 3:
            continue
        for field in current._meta.concrete_fields:
            if field.many_to_one or field.one_to_one:
                if field.related_model._meta.app_label in ("accounts", "auth"):
                    continue
                queue.append((field.related_model, f"{prefix}{field.name}__", depth + 1))
    return None
