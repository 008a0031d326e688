"""Curation rounds feed the dashboard's curation backlog: writes that move it ask for a recount."""

from opop.assessment.models import Round, Stage
from opop.dashboard.services import dashboard_mark_stale


def curation_figures_changed(stage: Stage) -> None:
    """Call inside the write's transaction; coalesces with other recounts of the programme."""
    if stage.round.purpose == Round.Purpose.CURATION:
        dashboard_mark_stale(programme_id=stage.round.programme_id)
