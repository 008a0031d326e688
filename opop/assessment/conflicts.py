"""Conflicts of interest: which pesantren a juror may not assess, and why.

A juror is conflicted with a pesantren they declared a tie to (taught there, alumni, family:
`Juror.affiliations`) and with any pesantren their own account is tied to in the round's
programme: the pesantren they manage (cooperative manager), the pesantren their person record
belongs to (participant), the pesantren they facilitate (facilitator). Memberships count even
when inactive: having managed a pesantren last year is still a tie, and a false "conflicted" only
costs the balancer one candidate while a missed one costs an applicant a fair hearing.

Everything here reads in a fixed number of queries for any number of jurors, so the balancer
can load the whole panel at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.utils.translation import gettext as _

from opop.accounts.models import Membership, Role
from opop.assessment.models import Juror

# Reasons, most specific first: when a juror has several ties to one pesantren, the first one
# found in this order is the one shown.
DECLARED = "declared"
MANAGER = "manager"
PARTICIPANT = "participant"
FACILITATOR = "facilitator"


def reason_text(code: str) -> str:
    return {
        DECLARED: _("declared an affiliation with it"),
        MANAGER: _("manages its cooperative"),
        PARTICIPANT: _("belongs to it as a participant"),
        FACILITATOR: _("is its facilitator"),
    }[code]


def conflicts_of(jurors: Iterable[Juror], *, programme_id: int) -> dict[int, dict[int, str]]:
    """{juror id: {pesantren id: reason code}} for jurors of rounds of one programme."""
    jurors = list(jurors)
    result: dict[int, dict[int, str]] = {juror.pk: {} for juror in jurors}
    if not jurors:
        return result
    by_user: dict[int, list[int]] = defaultdict(list)
    for juror in jurors:
        by_user[juror.user_id].append(juror.pk)

    def add(juror_ids, pesantren_id, code):
        if pesantren_id is None:
            return
        for juror_id in juror_ids:
            result[juror_id].setdefault(pesantren_id, code)

    through = Juror.affiliations.through
    for juror_id, pesantren_id in through.objects.filter(juror_id__in=list(result)).values_list(
        "juror_id", "pesantren_id"
    ):
        add([juror_id], pesantren_id, DECLARED)

    memberships = Membership.objects.filter(
        user_id__in=list(by_user),
        programme_id=programme_id,
        role__in=[Role.MANAGER, Role.PARTICIPANT, Role.FACILITATOR],
    ).values_list("id", "user_id", "role", "pesantren_id", "person__pesantren_id")
    facilitator_users: dict[int, int] = {}
    for membership_id, user_id, role, pesantren_id, person_pesantren_id in memberships:
        if role == Role.MANAGER:
            add(by_user[user_id], pesantren_id, MANAGER)
        elif role == Role.PARTICIPANT:
            add(by_user[user_id], person_pesantren_id, PARTICIPANT)
        else:
            facilitator_users[membership_id] = user_id
    if facilitator_users:
        assigned = Membership.assigned_pesantren.through.objects.filter(
            membership_id__in=list(facilitator_users)
        ).values_list("membership_id", "pesantren_id")
        for membership_id, pesantren_id in assigned:
            add(by_user[facilitator_users[membership_id]], pesantren_id, FACILITATOR)
    return result
