"""The entry owner's pages: `/assessment/results/` (my published results) and one result with
its per-criterion feedback and the appeal.

Only the logged-in user's own entries of published stages (`selectors.entries_owned_by`);
another user's entry, or one not yet published, is a 404. Jurors' comments are shown without
names: the owner learns what the panel thought, not who thought it.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opop.assessment import selectors, services
from opop.assessment.forms_juror import AppealForm
from opop.assessment.models import Appeal, Entry, Stage
from opop.common.forms import form_saved
from opop.notifications.whatsapp import wa_share_url

PAGE_SIZE = 20
RESULT_RELATED = ("stage__round__programme", "product", "application__cohort", "enterprise")


def owned_results(user):
    # The selector gives published results only; the status filter keeps that true here even
    # if a stage is later taken back.
    return selectors.entries_owned_by(user).filter(stage__status=Stage.Status.PUBLISHED)


@login_required
def my_results(request):
    rows = (
        owned_results(request.user)
        .select_related(*RESULT_RELATED)
        .order_by("-stage__published_at", "-id")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        entry.share_url = share_url(entry)
    return render(request, "assessment/my_results.html", {"page": page})


def _result_or_404(request, pk: int) -> Entry:
    return get_object_or_404(owned_results(request.user).select_related(*RESULT_RELATED), pk=pk)


@login_required
def my_result(request, pk: int):
    entry = _result_or_404(request, pk)
    return _render_result(request, entry, AppealForm())


@login_required
@require_POST
def appeal(request, pk: int):
    entry = _result_or_404(request, pk)
    form = AppealForm(request.POST)
    if not may_appeal(entry, list(entry.appeals.all())):
        messages.error(request, _("This result cannot be appealed now."))
        return redirect("assessment:my_result", entry.pk)
    saved = form_saved(
        request,
        form,
        lambda: services.appeal_submit(
            actor=request.user, entry=entry, reason=form.cleaned_data["reason"]
        ),
        success=_("Your appeal is sent. You will be told of the decision."),
    )
    if saved:
        return redirect("assessment:my_result", entry.pk)
    return _render_result(request, entry, form, status=400)


def may_appeal(entry: Entry, appeals: list[Appeal]) -> bool:
    until = entry.stage.appeal_until
    pending = any(a.decision == Appeal.Decision.PENDING for a in appeals)
    return bool(until and until > timezone.now() and not pending)


def share_url(entry: Entry) -> str:
    if entry.outcome != Entry.Outcome.PASSED:
        return ""
    text = _("%(entry)s passed “%(stage)s” of %(round)s (%(programme)s).") % {
        "entry": entry.title,
        "stage": entry.stage.name,
        "round": entry.stage.round.name,
        "programme": entry.stage.round.programme.name,
    }
    return wa_share_url(text)


def feedback(entry: Entry, criteria) -> list[dict]:
    """Per criterion, in rubric order: the panel's mean and its comments, without names.

    `criterion_results` is stored as JSON, so its keys are strings.
    """
    results = entry.criterion_results or {}
    rows = []
    for criterion in criteria:
        result = results.get(str(criterion.pk)) or results.get(criterion.pk) or {}
        mean = result.get("mean")
        rows.append(
            {
                "criterion": criterion,
                "mean": Decimal(str(mean)).quantize(Decimal("0.01")) if mean is not None else None,
                "comments": [c for c in result.get("comments", []) if c],
            }
        )
    return rows


def _render_result(request, entry: Entry, form: AppealForm, *, status: int = 200):
    round_ = entry.stage.round
    appeals = list(entry.appeals.all())
    context = {
        "entry": entry,
        "stage": entry.stage,
        "round": round_,
        "feedback": feedback(entry, round_.criteria.all()),
        "entries_in_stage": entry.stage.entries.filter(rank__isnull=False).count(),
        "appeals": appeals,
        "appeal_form": form if may_appeal(entry, appeals) else None,
        "share_url": share_url(entry),
    }
    return render(request, "assessment/results_detail.html", context, status=status)
