"""Whom a session is for: `eligible_people(session)` turns the session's target criteria into a
queryset of people of its programme. Each criterion is one rule in `RULES`; add a rule (a
function `(session, people) -> people`) to target by something new.

Pesantren level and needs come from the milestones app (issue 5, point 1), built in parallel.
Until it offers `opop.milestones.selectors.pesantren_ids_at_level(programme_id, low, high)` and
`pesantren_ids_needing(programme_id, tags)`, those two criteria cannot narrow the set: they are
skipped and `unapplied_criteria(session)` names them so the organiser page can say so.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from opop.programmes.models import Pillar
from opop.registry.models import Participation, Person
from opop.training.models import Session

Rule = Callable[[Session, QuerySet[Person]], QuerySet[Person]]


def _milestones_hook(name: str):
    try:
        module = importlib.import_module("opop.milestones.selectors")
    except ImportError:
        return None
    return getattr(module, name, None)


def by_regency(session: Session, people: QuerySet[Person]) -> QuerySet[Person]:
    if not session.target_regency_id:
        return people
    return people.filter(regency_id=session.target_regency_id)


def by_pillar(session: Session, people: QuerySet[Person]) -> QuerySet[Person]:
    """People in the pillar; for pesantrenpreneur, the people of pesantren in that pillar."""
    if not session.target_pillar:
        return people
    counted = Participation.objects.filter(
        programme_id=session.programme_id,
        pillar=session.target_pillar,
        status__in=Participation.COUNTED,
    )
    if session.target_pillar == Pillar.PESANTRENPRENEUR:
        return people.filter(pesantren_id__in=counted.values("pesantren_id"))
    return people.filter(id__in=counted.values("person_id"))


def by_level(session: Session, people: QuerySet[Person]) -> QuerySet[Person]:
    if session.target_level_min is None and session.target_level_max is None:
        return people
    hook = _milestones_hook("pesantren_ids_at_level")
    if hook is None:
        return people
    ids = hook(session.programme_id, session.target_level_min, session.target_level_max)
    return people.filter(pesantren_id__in=ids)


def by_need(session: Session, people: QuerySet[Person]) -> QuerySet[Person]:
    tags = session.need_tag_list
    if not tags:
        return people
    hook = _milestones_hook("pesantren_ids_needing")
    if hook is None:
        return people
    return people.filter(pesantren_id__in=hook(session.programme_id, tags))


RULES: list[Rule] = [by_regency, by_pillar, by_level, by_need]


def eligible_people(session: Session) -> QuerySet[Person]:
    """Everyone of the session's programme its criteria select, not anonymised."""
    people = Person.objects.filter(programme_id=session.programme_id, anonymised_at__isnull=True)
    for rule in RULES:
        people = rule(session, people)
    return people


def unapplied_criteria(session: Session) -> list[str]:
    """Criteria set on the session that the installed apps cannot evaluate yet."""
    missing = []
    level_set = session.target_level_min is not None or session.target_level_max is not None
    if level_set and _milestones_hook("pesantren_ids_at_level") is None:
        missing.append(str(_("pesantren level")))
    if session.need_tag_list and _milestones_hook("pesantren_ids_needing") is None:
        missing.append(str(_("needs")))
    return missing


def invitable(session: Session, *, scope: QuerySet[Person] | None = None) -> QuerySet[Person]:
    """Eligible people not yet in the session (any status), within the organiser's scope."""
    people = eligible_people(session).exclude(Q(training_enrolments__session=session))
    if scope is not None:
        people = people.filter(id__in=scope.values("id"))
    return people
