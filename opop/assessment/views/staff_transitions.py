"""Moving a stage on: open, close, publish, carry forward. GET asks for confirmation (works
without JavaScript), POST does it through the service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from opop.accounts.decorators import require_access
from opop.assessment import services
from opop.assessment.models import Stage
from opop.assessment.views import staff
from opop.assessment.views.staff_stages import short_entries

TRANSITIONS = {
    "open": (services.stage_open, Stage.Status.SETUP),
    "close": (services.stage_close, Stage.Status.SCORING),
    "publish": (services.stage_publish, Stage.Status.CLOSED),
    "advance": (services.stage_advance, Stage.Status.PUBLISHED),
}


def _transition_done(action: str, result) -> str:
    if action == "advance":
        return ngettext(
            "%(n)d entry carried into the next stage.",
            "%(n)d entries carried into the next stage.",
            result,
        ) % {"n": result}
    return {
        "open": _("The stage is open: jurors may score."),
        "close": _("The stage is closed and the results are computed."),
        "publish": _("The results are published and the applicants told."),
    }[action]


@require_access("runs_assessment")
@require_http_methods(["GET", "POST"])
def stage_transition(request, pk: int, action: str):
    """GET asks for confirmation (works without JavaScript); POST does it."""
    if action not in TRANSITIONS:
        raise Http404
    stage = staff.stage_or_404(request, pk)
    service, _from = TRANSITIONS[action]
    if request.method == "POST":
        try:
            result = service(actor=request.user, stage=stage)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _transition_done(action, result))
        return redirect("assessment:stage_detail", stage.pk)
    context = {
        "stage": stage,
        "round": stage.round,
        "action": action,
        "short_count": short_entries(stage).count(),
        "unsubmitted": stage.assignments.filter(submitted_at__isnull=True).count(),
        "entry_count": stage.entries.count(),
    }
    return render(request, "assessment/stage_confirm.html", context)
