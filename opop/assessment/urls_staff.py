"""Staff pages of the assessment engine: programme admins run rounds, auditors read them."""

from django.urls import path

from opop.assessment.views import (
    staff_entries,
    staff_results,
    staff_rounds,
    staff_stages,
    staff_transitions,
)

urlpatterns = [
    # Rounds, rubric, stages and panel.
    path("rounds/", staff_rounds.round_list, name="round_list"),
    path("rounds/new/", staff_rounds.round_create, name="round_create"),
    path("rounds/<int:pk>/", staff_rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", staff_rounds.round_edit, name="round_edit"),
    path("rounds/<int:pk>/criteria/new/", staff_rounds.criterion_add, name="criterion_add"),
    path("criteria/<int:pk>/edit/", staff_rounds.criterion_edit, name="criterion_edit"),
    path("criteria/<int:pk>/delete/", staff_rounds.criterion_delete, name="criterion_delete"),
    path("rounds/<int:pk>/stages/new/", staff_rounds.stage_create, name="stage_create"),
    path("stages/<int:pk>/edit/", staff_rounds.stage_edit, name="stage_edit"),
    path("rounds/<int:pk>/jurors/new/", staff_rounds.juror_add, name="juror_add"),
    path("jurors/<int:pk>/edit/", staff_rounds.juror_edit, name="juror_edit"),
    # A stage: entries, assignment, progress, moving it on.
    path("stages/<int:pk>/", staff_stages.stage_detail, name="stage_detail"),
    path("stages/<int:pk>/progress/", staff_stages.stage_progress, name="stage_progress"),
    path("stages/<int:pk>/entries/new/", staff_stages.entry_add, name="entry_add"),
    path(
        "stages/<int:pk>/entries/candidates/",
        staff_stages.entry_candidates,
        name="entry_candidates",
    ),
    path(
        "stages/<int:pk>/assign-automatically/",
        staff_stages.assignments_balance,
        name="assignments_balance",
    ),
    path("stages/<int:pk>/assignments/new/", staff_stages.assignment_add, name="assignment_add"),
    path("assignments/<int:pk>/remove/", staff_stages.assignment_remove, name="assignment_remove"),
    *[
        path(
            f"stages/<int:pk>/{action}/",
            staff_transitions.stage_transition,
            {"action": action},
            name=f"stage_{action}",
        )
        for action in staff_transitions.TRANSITIONS
    ],
    # Results.
    path("stages/<int:pk>/ranking/", staff_results.ranking, name="ranking"),
    path("stages/<int:pk>/ranking.xlsx", staff_results.ranking_export, name="ranking_export"),
    path("stages/<int:pk>/cutoff/", staff_results.stage_cutoff, name="stage_cutoff"),
    path("assignments/<int:pk>/reopen/", staff_results.scoresheet_reopen, name="scoresheet_reopen"),
    # Appeals and one entry.
    path("stages/<int:pk>/appeals/", staff_entries.appeal_list, name="appeal_list"),
    path("appeals/<int:pk>/decide/", staff_entries.appeal_decide, name="appeal_decide"),
    path("entries/<int:pk>/", staff_entries.entry_staff, name="entry_staff"),
]
