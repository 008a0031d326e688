"""The verifier's decision on a submitted file: complete, needs fixing, or rejected.

The checklist ticked by the verifier is kept on the decision's `ApplicationEvent`, keyed by
document kind (`DocumentKind` values) or by field group (`FIELD_GROUPS` keys), each
`{"ok": bool, "note": str}`. The applicant is told the reasons and the checklist's notes.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opop.common.audit import audit_saved, snapshot
from opop.intake.models import Application, ApplicationEvent, DocumentKind
from opop.notifications.services import in_language_of, notify

# Typed data the verifier checks as a whole, beside each document.
FIELD_GROUPS = {
    "location": gettext_lazy("Location (kab/kota, kecamatan, address)"),
    "pesantren": gettext_lazy("Pesantren data"),
    "cooperative": gettext_lazy("Cooperative data"),
    "person": gettext_lazy("Personal data"),
    "business": gettext_lazy("Business data"),
}
DECISIONS = (
    Application.Status.VERIFIED,
    Application.Status.NEEDS_FIXING,
    Application.Status.REJECTED,
)
NOTE_MAX = 500


def field_groups_for(application: Application) -> list[str]:
    """The field groups a file of this cohort carries, in the order they are checked."""
    if application.cohort.is_for_pesantren:
        groups = ["location", "pesantren", "cooperative", "person"]
        return groups + (["business"] if application.business_name else [])
    return ["location", "person", "business"]


def checklist_label(key: str) -> str:
    if key in FIELD_GROUPS:
        return str(FIELD_GROUPS[key])
    if key in DocumentKind.values:
        return str(DocumentKind(key).label)
    return key


def checklist_rows(checklist: dict) -> list[dict]:
    """The checklist as the applicant or the history reads it: label, ok, note."""
    return [
        {"key": key, "label": checklist_label(key), "ok": item.get("ok"), "note": item.get("note")}
        for key, item in (checklist or {}).items()
    ]


def _clean_checklist(checklist: dict | None) -> dict:
    cleaned = {}
    for key, item in (checklist or {}).items():
        if key not in FIELD_GROUPS and key not in DocumentKind.values:
            raise ValidationError(_("Unknown checklist item: %(key)s.") % {"key": key})
        if item.get("ok") is None:
            continue  # not ticked either way
        cleaned[key] = {"ok": bool(item["ok"]), "note": str(item.get("note") or "")[:NOTE_MAX]}
    return cleaned


def applicant_url(application: Application) -> str:
    """The applicant's page of the file (built by hand until the applicant pages exist)."""
    try:
        return reverse("intake:application_detail", kwargs={"reference": application.reference})
    except NoReverseMatch:
        return f"/intake/applications/{application.reference}/"


@transaction.atomic
def application_decide(
    *,
    actor,
    application: Application,
    decision: str,
    reasons: str = "",
    checklist: dict | None = None,
) -> Application:
    """Decide on a SUBMITTED file. The caller has checked that `actor` may verify it."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("cohort", "applicant")
        .get(pk=application.pk)
    )
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError(
            _("This file is not waiting for verification (it is: %(status)s).")
            % {"status": application.get_status_display()}
        )
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("Choose a decision.")})
    reasons = (reasons or "").strip()
    if decision != Application.Status.VERIFIED and not reasons:
        raise ValidationError({"reasons": _("Give the reasons: the applicant will read them.")})
    checklist = _clean_checklist(checklist)
    if decision == Application.Status.VERIFIED and any(not i["ok"] for i in checklist.values()):
        raise ValidationError(
            {
                "decision": _(
                    "Some items are marked not OK: ask for a fix or reject, or correct the "
                    "checklist."
                )
            }
        )
    now = timezone.now()
    before = snapshot(application)
    waited = None
    if application.submitted_at:
        waited = max(int((now - application.submitted_at).total_seconds()), 0)
    application.status = decision
    application.decided_at = now
    application.decision_reason = reasons
    application.full_clean()
    application.save()
    ApplicationEvent.objects.create(
        application=application,
        actor=actor if getattr(actor, "pk", None) else None,
        action=decision,
        reasons=reasons,
        checklist=checklist,
        waited_seconds=waited,
    )
    audit_saved(application, actor=actor, before=before)
    _notify_decision(application, checklist)
    return application


def _notify_decision(application: Application, checklist: dict) -> None:
    user = application.applicant
    with in_language_of(user):
        values = {"reference": application.reference, "cohort": application.cohort.name}
        status = application.status
        if status == Application.Status.VERIFIED:
            title = _("Your file %(reference)s is complete") % values
            body = (
                _(
                    "Your registration for %(cohort)s has been verified as complete. You will be "
                    "told when the cohort's participants are chosen."
                )
                % values
            )
        elif status == Application.Status.NEEDS_FIXING:
            title = _("Your file %(reference)s needs fixing") % values
            body = _("Please fix your registration for %(cohort)s and submit it again.") % values
        else:
            title = _("Your file %(reference)s was not accepted") % values
            body = _("Your registration for %(cohort)s was rejected.") % values
        lines = [body]
        if application.decision_reason:
            lines.append(_("Reasons: %(reasons)s") % {"reasons": application.decision_reason})
        notes = [
            f"- {row['label']}: {row['note'] or (_('OK') if row['ok'] else _('not OK'))}"
            for row in checklist_rows(checklist)
            if not row["ok"] or row["note"]
        ]
        if notes:
            lines.append(_("Checklist notes:") + "\n" + "\n".join(notes))
        notify(
            user=user,
            kind=f"intake.{status}",
            title=title,
            body="\n\n".join(lines),
            url=applicant_url(application),
            programme=application.programme,
        )
