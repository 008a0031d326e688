"""Writing visit reports: submit (idempotent on the phone's UUID), review or return, edit and
resubmit a returned report, and mark action items done. Supervisors and facilitators are told
through notifications."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.accounts.models import Membership, Role
from opop.common.audit import audit_record, diff, snapshot
from opop.common.models import AuditEvent
from opop.common.uploads import CheckedDocument
from opop.notifications.services import in_language_of, notify
from opop.visits.models import ActionItem, Purpose, Visit, VisitPhoto
from opop.visits.photos import MAX_PHOTOS

MAX_ACTION_ITEMS = 20
REPORT_FIELDS = ["visited_on", "purpose", "purpose_other", "notes"]


def visit_submit(
    *,
    actor,
    access,
    pesantren,
    client_uuid: uuid.UUID,
    visited_on: dt.date,
    purpose: str,
    purpose_other: str = "",
    notes: str = "",
    location: dict | None = None,
    items: list[dict] = (),
    photos: list[CheckedDocument] = (),
) -> tuple[Visit, bool]:
    """The report, and whether it was written now (False: a resend of one already received)."""
    if not access or not access.writes_visits or access.user.pk != actor.pk:
        raise PermissionDenied(_("Only facilitators write visit reports."))
    first = _sent_before(actor, client_uuid)
    if first is not None:
        return first, False
    if pesantren.pk not in access.assigned_pesantren_ids:
        raise PermissionDenied(_("This pesantren is not assigned to you."))
    try:
        with transaction.atomic():
            visit = _create(
                actor, access, pesantren, client_uuid, visited_on, purpose, purpose_other,
                notes, location, items, photos,
            )  # fmt: skip
    except IntegrityError:
        # Two sends of the same draft raced: the other one won, return its report.
        first = _sent_before(actor, client_uuid)
        if first is None:
            raise
        return first, False
    return visit, True


def _sent_before(actor, client_uuid) -> Visit | None:
    return Visit.objects.filter(facilitator=actor, client_uuid=client_uuid).first()


def _create(actor, access, pesantren, client_uuid, visited_on, purpose, purpose_other, notes,
            location, items, photos) -> Visit:  # fmt: skip
    visit = Visit(
        programme_id=access.programme_id,
        pesantren=pesantren,
        facilitator=actor,
        client_uuid=client_uuid,
        visited_on=visited_on,
        purpose=purpose,
        purpose_other=purpose_other if purpose == Purpose.OTHER else "",
        notes=notes,
        submitted_at=timezone.now(),
        **_location_fields(location),
    )
    _validate(visit, items, photos)
    # Checked above; the unique constraint is left to the database, where a racing resend is
    # caught as an IntegrityError.
    visit.full_clean(validate_constraints=False)
    visit.save()
    _add_items(visit, items)
    _add_photos(visit, photos)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, instance=visit)
    _notify_supervisors(visit, resubmitted=False)
    return visit


def _location_fields(location: dict | None) -> dict:
    if not location:
        return {}
    return {
        "latitude": location.get("latitude"),
        "longitude": location.get("longitude"),
        "location_accuracy_m": location.get("accuracy"),
        "location_read_at": location.get("read_at"),
    }


def _validate(visit: Visit, items, photos, *, photo_count: int = 0) -> None:
    errors = {}
    today = timezone.localdate()
    if visit.visited_on and visit.visited_on > today:
        errors["visited_on"] = _("The date of the visit cannot be in the future.")
    if visit.purpose == Purpose.OTHER and not visit.purpose_other.strip():
        errors["purpose_other"] = _("Say what the visit was for.")
    if len(items) > MAX_ACTION_ITEMS:
        errors["action_items"] = _("At most %(n)d action items.") % {"n": MAX_ACTION_ITEMS}
    if len(photos) + photo_count > MAX_PHOTOS:
        errors["photos"] = _("At most %(n)d photos per visit.") % {"n": MAX_PHOTOS}
    if visit.latitude is not None or visit.longitude is not None:
        if visit.latitude is None or visit.longitude is None or not visit.location_read_at:
            errors["latitude"] = _("The location needs latitude, longitude and when it was read.")
        elif not (-90 <= visit.latitude <= 90 and -180 <= visit.longitude <= 180):
            errors["latitude"] = _("This is not a position on Earth.")
        elif visit.location_read_at > timezone.now() + dt.timedelta(minutes=10):
            errors["latitude"] = _("The location was read in the future; check the phone's clock.")
    if errors:
        raise ValidationError(errors)


def _add_items(visit: Visit, items) -> None:
    rows = [
        ActionItem(
            visit=visit,
            text=item["text"],
            due_on=item["due_on"],
            responsible=item.get("responsible", ""),
        )
        for item in items
    ]
    for row in rows:
        row.full_clean(exclude=["visit"])
    ActionItem.objects.bulk_create(rows)


def _add_photos(visit: Visit, photos) -> None:
    for photo in photos:
        VisitPhoto.objects.create(
            visit=visit, file=photo.as_file(), content_type=photo.content_type
        )


@transaction.atomic
def visit_review(*, actor, access, visit: Visit, decision: str, note: str = "") -> Visit:
    """A supervisor marks a waiting report reviewed, or returns it with what to change."""
    if not access or not access.supervises_visits:
        raise PermissionDenied(_("Only supervisors review visit reports."))
    from opop.visits.selectors import visits_reviewable_by

    visit = (
        visits_reviewable_by(access)
        .select_for_update(of=("self",))
        .select_related("pesantren", "facilitator")
        .filter(pk=visit.pk)
        .first()
    )
    if visit is None:
        raise PermissionDenied(_("This report is not yours to review."))
    if visit.status != Visit.Status.SUBMITTED:
        raise ValidationError(_("This report is not waiting for review."))
    note = (note or "").strip()
    if decision not in (Visit.Status.REVIEWED, Visit.Status.RETURNED):
        raise ValidationError(_("Choose whether the report is reviewed or returned."))
    if decision == Visit.Status.RETURNED and not note:
        raise ValidationError({"review_note": _("Say what the facilitator should change.")})
    before = snapshot(visit, ["status", "review_note"])
    visit.status = decision
    visit.review_note = note
    visit.reviewed_at = timezone.now()
    visit.reviewed_by = actor
    visit.full_clean(validate_constraints=False)
    visit.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=visit,
        changes=diff(before, snapshot(visit, ["status", "review_note"])),
        note=f"review {decision}",
    )
    user = visit.facilitator
    with in_language_of(user):
        if decision == Visit.Status.REVIEWED:
            title = _("Your visit report for %(pesantren)s was reviewed") % {
                "pesantren": visit.pesantren.name
            }
        else:
            title = _("Your visit report for %(pesantren)s needs changes") % {
                "pesantren": visit.pesantren.name
            }
        notify(
            user=user,
            kind=f"visits.{decision}",
            title=title,
            body=note,
            url=reverse("visits:detail", args=[visit.pk]),
            programme=visit.programme,
        )
    return visit


@transaction.atomic
def visit_resubmit(
    *,
    actor,
    access,
    visit: Visit,
    visited_on: dt.date,
    purpose: str,
    purpose_other: str = "",
    notes: str = "",
    items: list[dict] = (),
    photos: list[CheckedDocument] = (),
    remove_photo_ids: list[int] = (),
) -> Visit:
    """The facilitator corrects a returned report; its action items are replaced by `items`
    (those already done keep their done mark when their text is unchanged)."""
    from opop.visits.selectors import visits_editable_by

    visit = (
        visits_editable_by(access)
        .select_for_update(of=("self",))
        .select_related("pesantren")
        .filter(pk=visit.pk, facilitator=actor)
        .first()
    )
    if visit is None:
        raise PermissionDenied(_("This report cannot be changed now."))
    before = snapshot(visit, REPORT_FIELDS)
    visit.visited_on = visited_on
    visit.purpose = purpose
    visit.purpose_other = purpose_other if purpose == Purpose.OTHER else ""
    visit.notes = notes
    kept = visit.photos.exclude(pk__in=list(remove_photo_ids))
    _validate(visit, items, photos, photo_count=kept.count())
    visit.status = Visit.Status.SUBMITTED
    visit.submitted_at = timezone.now()
    visit.full_clean(validate_constraints=False)
    visit.save()
    for photo in visit.photos.filter(pk__in=list(remove_photo_ids)):
        photo.file.delete(save=False)
        photo.delete()
    done = {
        i.text: (i.done_at, i.done_by_id) for i in visit.action_items.filter(done_at__isnull=False)
    }
    visit.action_items.all().delete()
    _add_items(visit, items)
    for text, (done_at, done_by_id) in done.items():
        visit.action_items.filter(text=text).update(done_at=done_at, done_by_id=done_by_id)
    _add_photos(visit, photos)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=visit,
        changes=diff(before, snapshot(visit, REPORT_FIELDS)),
        note="resubmitted",
    )
    _notify_supervisors(visit, resubmitted=True)
    return visit


@transaction.atomic
def action_item_set_done(*, actor, access, item: ActionItem, done: bool) -> ActionItem:
    from opop.visits.selectors import items_changeable_by

    item = items_changeable_by(access).select_for_update(of=("self",)).filter(pk=item.pk).first()
    if item is None:
        raise PermissionDenied(_("This action item is not yours to change."))
    if done == item.is_done:
        return item
    item.done_at = timezone.now() if done else None
    item.done_by = actor if done else None
    item.save(update_fields=["done_at", "done_by"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=item,
        programme_id=access.programme_id,
        changes={"done": [not done, done]},
    )
    return item


def supervisors_of(visit: Visit):
    """Officers of the pesantren's kab/kota; the programme's admins where there is none."""
    members = Membership.objects.filter(
        programme_id=visit.programme_id, is_active=True, user__is_active=True
    ).select_related("user")
    officers = [
        m.user for m in members.filter(role=Role.OFFICER, regency_id=visit.pesantren.regency_id)
    ]
    if officers:
        return officers
    return [m.user for m in members.filter(role=Role.ADMIN)]


def _notify_supervisors(visit: Visit, *, resubmitted: bool) -> None:
    url = reverse("visits:detail", args=[visit.pk])
    for user in {u.pk: u for u in supervisors_of(visit)}.values():
        with in_language_of(user):
            if resubmitted:
                title = _("A corrected visit report for %(pesantren)s waits for review")
            else:
                title = _("A visit report for %(pesantren)s waits for review")
            notify(
                user=user,
                kind="visits.submitted",
                title=title % {"pesantren": visit.pesantren.name},
                url=url,
                programme=visit.programme,
            )
