"""The ranking page of a closed stage: fast (constant queries), cut-off, outliers, export."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from opop.assessment import services
from opop.assessment.models import Assignment, Entry, Stage
from opop.assessment.tests.factories import make_round, score_all, stage_of
from opop.assessment.tests.staff_setup import build, score_and_close

pytestmark = pytest.mark.django_db

# Queries of one ranking page, whatever the number of rows: session, user, memberships (the
# middleware); the stage with its round; the rubric; the page's count and ids, then the page's
# rows (the ranking selector); the flagged sheets of the page's entries; the unsubmitted-sheet
# count; the unread-notification badge of the layout.
RANKING_QUERIES = 11


def _harsh(stage):
    """The last juror scores 4 where the others give 8: 4 lies more than 0.30 of the 1–10 scale
    from the others' median, while each 8 is only 2 from the median of 8 and 4, so that juror
    alone is flagged on every entry."""
    harsh = stage.round.jurors.order_by("pk").last()
    return lambda assignment, criterion: 4 if assignment.juror_id == harsh.pk else 8


def _closed_by_factory(world, entries: int):
    rnd = make_round(world.jatim, purpose="curation", jurors=3, entries=entries)
    stage = stage_of(rnd)
    score_all(stage, values=_harsh(stage))
    return services.stage_close(actor=world.user("admin"), stage=stage)


def _ranking_queries(client, stage) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("assessment:ranking", args=[stage.pk]))
    assert response.status_code == 200
    return len(queries)


def test_ranking_page_runs_a_fixed_number_of_queries_whatever_the_rows(world):
    client = world.client("admin")
    small = _closed_by_factory(world, entries=2)
    assert _ranking_queries(client, small) == RANKING_QUERIES
    # Ten more entries on the page, every one with a flagged sheet, cost no query more.
    larger = _closed_by_factory(world, entries=12)
    assert Assignment.objects.filter(stage=larger, is_outlier=True).count() == 12
    assert _ranking_queries(client, larger) == RANKING_QUERIES


def test_ranking_shows_rank_score_sheets_means_and_result(world):
    made = score_and_close(world, build(world, entries=2), {0: {0: 9, 1: 9, 2: 9}})
    page = world.client("auditor").get(reverse("assessment:ranking", args=[made.stage.pk]))
    text = page.content.decode()
    first = Entry.objects.get(stage=made.stage, rank=1)
    assert first.title in text and "Kabupaten/kota" in text
    assert f"{first.final_score:.2f}" in text
    assert "Rasa" in text and "passes" in text
    assert "Change the cut-off" not in text  # the auditor reads only


def test_ranking_waits_for_the_stage_to_close(world):
    made = build(world, entries=1)
    url = reverse("assessment:ranking", args=[made.stage.pk])
    response = world.client("admin").get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "assessment:stage_detail", args=[made.stage.pk]
    )
    assert b"shown once the stage is closed" in response.content
    export = world.client("admin").get(reverse("assessment:ranking_export", args=[made.stage.pk]))
    assert export.status_code == 302


def test_ranking_is_paginated_by_fifty(world):
    made = build(world, entries=52, jurors=2)
    admin = world.user("admin")
    services.assignments_balance(actor=admin, stage=made.stage)
    services.stage_open(actor=admin, stage=made.stage)
    services.stage_close(actor=admin, stage=made.stage)  # nobody scored: all unranked
    url = reverse("assessment:ranking", args=[made.stage.pk])
    client = world.client("admin")
    assert client.get(url).content.decode().count('data-label="Rank"') == 50
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('data-label="Rank"') == 2
    assert "104 scoresheets were not submitted" in second


def test_changing_the_cut_off_recomputes_the_results(world):
    made = score_and_close(world, build(world, entries=4))
    assert Entry.objects.filter(stage=made.stage, outcome="passed").count() == 4
    client = world.client("admin")
    url = reverse("assessment:stage_cutoff", args=[made.stage.pk])
    response = client.post(url, {"cutoff_score": "", "quota": 1})
    assert response.status_code == 302
    made.stage.refresh_from_db()
    assert made.stage.quota == 1
    outcomes = dict(Entry.objects.filter(stage=made.stage).values_list("rank", "outcome"))
    assert outcomes == {1: "passed", 2: "not_passed", 3: "not_passed", 4: "not_passed"}
    page = client.get(reverse("assessment:ranking", args=[made.stage.pk])).content.decode()
    assert page.count("below the cut-off") == 3
    client.post(url, {"cutoff_score": "6", "quota": ""})
    assert Entry.objects.filter(stage=made.stage, outcome="passed").count() == 4


def test_a_cut_off_off_the_scale_is_refused_at_the_field(world):
    made = score_and_close(world, build(world, entries=1))
    url = reverse("assessment:stage_cutoff", args=[made.stage.pk])
    response = world.client("admin").post(url, {"cutoff_score": "50", "quota": ""})
    assert response.status_code == 400
    assert b"The pass mark must lie on the scale" in response.content
    assert Stage.objects.get(pk=made.stage.pk).cutoff_score is None


def test_chair_sees_the_flagged_juror_and_sends_the_sheet_back(world):
    stage = _closed_by_factory(world, entries=1)
    entry = stage.entries.get()
    flagged = Assignment.objects.select_related("juror__user").get(entry=entry, is_outlier=True)
    client = world.client("admin")
    page = client.get(reverse("assessment:ranking", args=[stage.pk])).content.decode()
    assert f"{flagged.juror.user}: 4.00 (others' median 8.00)" in page
    assert "Send back to juror" in page
    response = client.post(
        reverse("assessment:scoresheet_reopen", args=[flagged.pk]),
        {"reason": "Skor terlalu jauh dari juri lain."},
    )
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert flagged.submitted_at is None and flagged.reopened_at is not None
    # Recomputed without the sheet sent back: (8 + 8) / 2 instead of (8 + 8 + 4) / 3.
    assert Entry.objects.get(pk=entry.pk).final_score == Decimal("8.000")


def test_sending_back_needs_a_reason(world):
    _closed_by_factory(world, entries=1)
    flagged = Assignment.objects.get(is_outlier=True)
    url = reverse("assessment:scoresheet_reopen", args=[flagged.pk])
    response = world.client("admin").post(url, {"reason": " "}, follow=True)
    assert b"Say why the scoresheet goes back" in response.content
    flagged.refresh_from_db()
    assert flagged.submitted_at is not None


def test_export_is_a_formula_safe_spreadsheet_of_every_entry(world):
    made = build(world, entries=2, jurors=3, per_entry=3)
    product = made.entries[0].product
    product.name = '=HYPERLINK("http://evil")'
    product.save()
    Entry.objects.filter(pk=made.entries[0].pk).update(title=product.name)
    score_and_close(world, made)
    response = world.client("auditor").get(
        reverse("assessment:ranking_export", args=[made.stage.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Rank", "Entry", "Kabupaten/kota", "Final score", "Scoresheets")
    assert len(rows) == 3
    titles = {row[1] for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil")' in titles
    assert all(row[4] == 3 for row in rows[1:])


def test_ranking_pages_list_entries_in_rank_order_across_pages(world, monkeypatch):
    from opop.assessment.views import staff_results

    monkeypatch.setattr(staff_results, "PAGE_SIZE", 4)
    rnd = make_round(world.jatim, jurors=2, entries=10)
    stage = stage_of(rnd)
    # Every entry gets a different score, so the rank order differs from the id order.
    score_all(stage, values=lambda assignment, criterion: 1 + (assignment.entry_id * 7) % 10)
    services.stage_close(actor=world.user("admin"), stage=stage)
    client = world.client("admin")
    seen = []
    for number in (1, 2, 3):
        response = client.get(reverse("assessment:ranking", args=[stage.pk]), {"page": number})
        seen += [row["entry"].pk for row in response.context["table"]]
    expected = list(
        Entry.objects.filter(stage=stage).order_by("rank", "id").values_list("pk", flat=True)
    )
    assert seen == expected
    assert expected != sorted(expected)
