"""What the assessment engine tells people, in each recipient's language.

Called by `services` inside their transaction. Texts never carry another juror's scores, and a
result notice carries only the panel's means per criterion, never who gave what.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from opop.accounts.models import Membership, Role
from opop.assessment.models import Appeal, Entry, Stage
from opop.notifications.services import in_language_of, notify
from opop.notifications.whatsapp import wa_share_url

# Pages written alongside the engine; a missing name leaves the notice without a link.
JUROR_QUEUE_URL = "assessment:juror_queue"
SCORESHEET_URL = "assessment:scoresheet"
OWNER_RESULT_URL = "assessment:my_result"
RANKING_URL = "assessment:ranking"
STAFF_APPEAL_URL = "assessment:appeal_decide"


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _number(value) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def jurors_scoring_opened(*, stage: Stage, loads: dict) -> None:
    """`loads`: {juror: number of entries assigned}."""
    rnd = stage.round
    for juror, count in loads.items():
        with in_language_of(juror.user):
            notify(
                user=juror.user,
                kind="assessment.assigned",
                title=_("Scoring is open: %(stage)s") % {"stage": stage},
                body=_("You have %(count)d entries to score in %(round)s.")
                % {"count": count, "round": rnd.name},
                url=_url(JUROR_QUEUE_URL),
                programme=rnd.programme,
            )


def chairs_outliers(*, stage: Stage, chairs, outliers: int) -> None:
    """Chairs are told; the link to the ranking page goes only to those who may open it."""
    runners = set(
        Membership.objects.filter(
            programme_id=stage.round.programme_id, role=Role.ADMIN, is_active=True
        ).values_list("user_id", flat=True)
    )
    for juror in chairs:
        with in_language_of(juror.user):
            notify(
                user=juror.user,
                kind="assessment.outliers",
                title=_("%(count)d scoresheets flagged in %(stage)s")
                % {"count": outliers, "stage": stage},
                body=_(
                    "Some jurors' totals differ strongly from the rest of their panel. "
                    "Review them on the ranking page before the results are published."
                ),
                url=_url(RANKING_URL, stage.pk) if juror.user_id in runners else "",
                programme=stage.round.programme,
            )


def juror_sheet_reopened(*, assignment, reason: str) -> None:
    user = assignment.juror.user
    with in_language_of(user):
        notify(
            user=user,
            kind="assessment.reopened",
            title=_("Please review your scores for %(entry)s") % {"entry": assignment.entry.title},
            body=_("The chair sent your scoresheet back: %(reason)s") % {"reason": reason},
            url=_url(SCORESHEET_URL, assignment.pk),
            programme=assignment.stage.round.programme,
        )


def owner_result(*, entry: Entry, criteria: dict) -> None:
    """`criteria`: {criterion id: Criterion} of the round."""
    user, stage = entry.owner, entry.stage
    rnd = stage.round
    with in_language_of(user):
        lines = [
            _("%(name)s: %(mean)s of %(max)s")
            % {
                "name": criteria[int(cid)].name,
                "mean": _number(result["mean"]),
                "max": rnd.scale_max,
            }
            for cid, result in entry.criterion_results.items()
            if int(cid) in criteria
        ]
        outcome = str(Entry.Outcome(entry.outcome).label)
        body = "\n".join(
            [_("Result: %(outcome)s") % {"outcome": outcome}]
            + ([_("Panel's average per criterion:")] + lines if lines else [])
        )
        share = ""
        if entry.outcome == Entry.Outcome.PASSED:
            share = _("Alhamdulillah, %(entry)s passed %(stage)s of %(programme)s!") % {
                "entry": entry.title,
                "stage": stage,
                "programme": rnd.programme,
            }
            body += "\n" + _("Share the news: %(link)s") % {"link": wa_share_url(share)}
        notify(
            user=user,
            kind="assessment.result",
            title=_("Result of %(stage)s: %(entry)s") % {"stage": stage, "entry": entry.title},
            body=body,
            url=_url(OWNER_RESULT_URL, entry.pk),
            programme=rnd.programme,
            share_text=share,
        )


def admins_appeal_received(*, appeal: Appeal, admins) -> None:
    for user in admins:
        with in_language_of(user):
            notify(
                user=user,
                kind="assessment.appeal",
                title=_("New appeal: %(entry)s") % {"entry": appeal.entry.title},
                body=_("An applicant appealed the result of %(stage)s.")
                % {"stage": appeal.entry.stage},
                url=_url(STAFF_APPEAL_URL, appeal.pk),
                programme=appeal.entry.stage.round.programme,
            )


def owner_appeal_decided(*, appeal: Appeal) -> None:
    entry = appeal.entry
    with in_language_of(entry.owner):
        body = [
            _("Decision: %(decision)s") % {"decision": Appeal.Decision(appeal.decision).label},
            appeal.decision_note,
        ]
        if appeal.outcome_after and appeal.outcome_after != appeal.outcome_before:
            body.append(
                _("Your result is now: %(outcome)s")
                % {"outcome": Entry.Outcome(appeal.outcome_after).label}
            )
        notify(
            user=entry.owner,
            kind="assessment.appeal_decided",
            title=_("Your appeal on %(entry)s was decided") % {"entry": entry.title},
            body="\n".join(body),
            url=_url(OWNER_RESULT_URL, entry.pk),
            programme=entry.stage.round.programme,
        )
