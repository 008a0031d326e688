"""Whom a session is for: `eligible_people(session)` turns the session's target criteria into a
queryset of people of its programme. Each criterion is one rule in `RULES`; add a rule (a
function `(session, people) -> people`) to target by something new.

Stage and need (issue 5, point 2): the pesantren's level comes from the milestones
(`opop.milestones.targeting`); a need is a due checklist item not yet verified, or a criterion
on which the pesantren's latest assessment result was weak (`opop.assessment.needs`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q, QuerySet

from opop.assessment.needs import pesantren_weak_in
from opop.milestones.targeting import pesantren_at_level, pesantren_needing
from opop.programmes.models import Pillar
from opop.registry.models import Participation, Person
from opop.training.models import Session

Rule = Callable[[Session, QuerySet[Person]], QuerySet[Person]]


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
    ids = pesantren_at_level(
        session.programme_id, session.target_level_min, session.target_level_max
    )
    return people.filter(pesantren_id__in=ids)


def by_need(session: Session, people: QuerySet[Person]) -> QuerySet[Person]:
    tags = session.need_tag_list
    if not tags:
        return people
    in_need = Q(pesantren_id__in=pesantren_needing(session.programme_id, tags))
    weak = pesantren_weak_in(session.programme_id, tags)
    if weak:
        in_need |= Q(pesantren_id__in=weak)
    return people.filter(in_need)


RULES: list[Rule] = [by_regency, by_pillar, by_level, by_need]


def eligible_people(session: Session) -> QuerySet[Person]:
    """Everyone of the session's programme its criteria select, not anonymised."""
    people = Person.objects.filter(programme_id=session.programme_id, anonymised_at__isnull=True)
    for rule in RULES:
        people = rule(session, people)
    return people


def invitable(session: Session, *, scope: QuerySet[Person] | None = None) -> QuerySet[Person]:
    """Eligible people not yet in the session (any status), within the organiser's scope."""
    people = eligible_people(session).exclude(Q(training_enrolments__session=session))
    if scope is not None:
        people = people.filter(id__in=scope.values("id"))
    return people
