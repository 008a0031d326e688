"""Needs shown by assessment results, for fitting training to them (issue 5, point 2).

A pesantren needs what a criterion measures when, in its latest published entry of a round that
has the criterion, the jurors' mean on it was below `WEAK_SHARE` of the round's scale. A need tag
names criteria by a word of their name ("packaging" matches "Packaging and labelling").
"""

from __future__ import annotations

from opop.assessment.models import Criterion, Entry, Stage

# Below 60 % of the scale is weak: the same bar as grade C in the default grade bands.
WEAK_SHARE = 0.6


def _criterion_matches(name: str, tags: list[str]) -> bool:
    words = {word.strip(",.()/").lower() for word in name.split()}
    return any(tag in words for tag in tags)


def pesantren_weak_in(programme_id: int, tags: list[str]) -> set[int]:
    """Ids of pesantren whose latest published result was weak on a criterion matching a tag."""
    criteria = [
        c
        for c in Criterion.objects.filter(round__programme_id=programme_id).select_related("round")
        if _criterion_matches(c.name, tags)
    ]
    if not criteria:
        return set()
    by_round: dict[int, list[Criterion]] = {}
    for criterion in criteria:
        by_round.setdefault(criterion.round_id, []).append(criterion)
    entries = (
        Entry.objects.filter(
            stage__round_id__in=list(by_round),
            stage__status=Stage.Status.PUBLISHED,
            pesantren__isnull=False,
        )
        .order_by("pesantren_id", "-submitted_at")
        .values_list("pesantren_id", "stage__round_id", "criterion_results")
    )
    weak, seen = set(), set()
    for pesantren_id, round_id, results in entries:
        if pesantren_id in seen:
            continue  # only the latest entry counts: a later, better result closes the need
        seen.add(pesantren_id)
        for criterion in by_round[round_id]:
            mean = (results or {}).get(str(criterion.pk), {}).get("mean")
            rnd = criterion.round
            bar = rnd.scale_min + WEAK_SHARE * (rnd.scale_max - rnd.scale_min)
            if mean is not None and mean < bar:
                weak.add(pesantren_id)
    return weak
