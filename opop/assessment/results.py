"""A stage's results from its submitted scoresheets: one pass over the rows, written in bulk.

`stage_results_compute` reads the rubric, every submitted score and every entry of the stage
with a handful of queries (no query per entry), runs `aggregation` in memory, and writes back
only the rows whose results changed (one prepared UPDATE run over many rows, see
`bulk.update_rows`). 5,000 entries × 5 jurors × 5 criteria take a few seconds, most of it reading
the 125,000 scores.

Unsubmitted scoresheets (never submitted, or sent back to their juror) are ignored; withdrawn
entries keep their outcome and get no score or rank.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import connection

from opop.assessment import aggregation as agg
from opop.assessment.bulk import update_rows
from opop.assessment.models import Assignment, Entry, Score, Stage

MEAN_PLACES = Decimal("0.01")  # per-criterion means shown to applicants


def _rubric(stage: Stage):
    rows = list(stage.round.criteria.values_list("id", "weight", "position"))
    weights = {cid: weight for cid, weight, _ in rows}
    order = agg.criteria_heaviest_first(weights, {cid: pos for cid, _, pos in rows})
    return weights, order


def _raw(queryset):
    """The queryset's rows without Django's per-value converters (the SQLite decimal converter
    alone costs seconds over 125,000 scores); decimals are rebuilt by `_decimal`."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(10_000):
            yield from rows


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))  # SQLite hands back 7.25 as a float; its repr is exact here


def _sheets(stage: Stage):
    """Submitted sheets: {assignment id: {criterion id: value}} and comments by assignment."""
    sheets: dict[int, dict[int, Decimal]] = defaultdict(dict)
    comments: dict[int, dict[int, str]] = defaultdict(dict)
    rows = Score.objects.filter(
        assignment__stage=stage, assignment__submitted_at__isnull=False
    ).values_list("assignment_id", "criterion_id", "value", "comment")
    for assignment_id, criterion_id, value, comment in _raw(rows):
        sheets[assignment_id][criterion_id] = _decimal(value)
        if comment and comment.strip():
            comments[assignment_id][criterion_id] = comment.strip()
    return sheets, comments


def _assignment_results(stage, weights, sheets):
    """Totals and outlier flags; returns (by entry: [(assignment id, total)], changed rows)."""
    rnd = stage.round
    rows = [
        (assignment_id, entry_id, submitted_at, _decimal(total), bool(flag))
        for assignment_id, entry_id, submitted_at, total, flag in _raw(
            Assignment.objects.filter(stage=stage).values_list(
                "id", "entry_id", "submitted_at", "total", "is_outlier"
            )
        )
    ]
    totals: dict[int, Decimal] = {}
    by_entry: dict[int, list[int]] = defaultdict(list)
    for assignment_id, entry_id, submitted_at, _total, _flag in rows:
        sheet = sheets.get(assignment_id)
        if submitted_at is None or not sheet or any(c not in sheet for c in weights):
            continue  # an incomplete sheet cannot happen (the rubric is frozen); never count one
        totals[assignment_id] = agg.rounded(agg.weighted_total(sheet, weights))
        by_entry[entry_id].append(assignment_id)
    flagged: set[int] = set()
    for assignment_ids in by_entry.values():
        flagged |= agg.flag_outliers(
            {a: totals[a] for a in assignment_ids}, rnd.scale_min, rnd.scale_max, rnd.outlier_share
        )
    changed = []
    for assignment_id, _entry_id, submitted_at, total, flag in rows:
        new_total = totals.get(assignment_id, total if submitted_at is None else None)
        new_flag = assignment_id in flagged
        if new_total != total or new_flag != flag:
            changed.append((new_total, new_flag, assignment_id))
    return by_entry, totals, len(flagged), changed


def _feedback(assignment_ids, sheets, comments, order):
    means = agg.criterion_means(sheets[a] for a in assignment_ids)
    feedback = {}
    for cid in order:
        if cid not in means:
            continue
        said = [comments[a][cid] for a in sorted(assignment_ids) if cid in comments.get(a, {})]
        feedback[str(cid)] = {
            "mean": float(agg.rounded(means[cid], MEAN_PLACES)),
            "comments": said,
        }
    return {cid: agg.rounded(mean) for cid, mean in means.items()}, feedback


def stage_results_compute(stage: Stage) -> dict[str, int]:
    """Compute and store totals, outlier flags, scores, ranks, feedback and (provisional)
    outcomes of every entry of the stage. Returns counts for the audit trail and the page."""
    weights, order = _rubric(stage)
    sheets, comments = _sheets(stage)
    by_entry, totals, outliers, changed_assignments = _assignment_results(stage, weights, sheets)
    update_rows(Assignment, ["total", "is_outlier"], changed_assignments)

    entries = list(
        Entry.objects.filter(stage=stage).values_list(
            "id", "submitted_at", "outcome", "final_score", "rank", "criterion_results"
        )
    )
    items, feedback_of = [], {}
    for entry_id, submitted_at, outcome, *_stored in entries:
        if outcome == Entry.Outcome.WITHDRAWN:
            continue
        assignment_ids = by_entry.get(entry_id, [])
        score = agg.rounded(
            agg.entry_score([totals[a] for a in assignment_ids], stage.round.trim_from)
        )
        means, feedback_of[entry_id] = _feedback(assignment_ids, sheets, comments, order)
        items.append(agg.RankItem(id=entry_id, score=score, submitted_at=submitted_at, means=means))
    ranked = agg.rank(items, order)
    passed = agg.apply_cutoff(ranked, stage.cutoff_score, stage.quota)

    new = {
        r.item.id: (
            r.item.score,
            r.rank,
            feedback_of[r.item.id],
            Entry.Outcome.PASSED if r.item.id in passed else Entry.Outcome.NOT_PASSED,
        )
        for r in ranked
    }
    changed = []
    for entry_id, _submitted, outcome, score, place, feedback in entries:
        if entry_id in new and new[entry_id] != (score, place, feedback, outcome):
            changed.append((*new[entry_id], entry_id))
    update_rows(Entry, ["final_score", "rank", "criterion_results", "outcome"], changed)
    return {
        "entries": len(items),
        "scored": sum(1 for r in ranked if r.rank is not None),
        "passed": len(passed),
        "outliers": outliers,
        "unsubmitted": Assignment.objects.filter(stage=stage, submitted_at__isnull=True).count(),
    }
