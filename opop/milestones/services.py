"""Every milestone write: the checklist (admins), claims (managers, facilitators), decisions
(admins, officers), and the derived level kept beside them.

Views check who may act through `selectors` and pass only pesantren from the actor's scope;
the services check the state of the rows under a lock. Every decision recomputes the
pesantren's level in the same transaction, with the `PesantrenLevel` row locked first, so two
verifiers deciding at once on the same pesantren cannot both write a stale level.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.accounts.models import Membership, Role
from opop.common.audit import audit_record, audit_saved, snapshot
from opop.common.models import AuditEvent
from opop.common.uploads import document_cleaned
from opop.milestones.levels import level_from_counts
from opop.milestones.models import (
    Level,
    LevelChange,
    MilestoneItem,
    PesantrenLevel,
    PesantrenMilestone,
)
from opop.notifications.services import in_language_of, notify
from opop.registry.models import Pesantren

EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
TEXT_MAX = 1000
Status = PesantrenMilestone.Status


def evidence_max_bytes() -> int:
    return getattr(settings, "MILESTONE_EVIDENCE_MAX_BYTES", EVIDENCE_MAX_BYTES)


def today():
    return timezone.localdate()


# --- The checklist ----------------------------------------------------------------------------


ITEM_FIELDS = ("code", "name", "aspect", "level", "order", "evidence_required", "guidance",
               "is_active")  # fmt: skip


@transaction.atomic
def milestone_item_save(
    *, actor, programme, data: dict, item: MilestoneItem | None = None
) -> MilestoneItem:
    """Create or change one checklist item; every pesantren's level follows the new list."""
    if item is not None:
        item = MilestoneItem.objects.select_for_update().get(pk=item.pk, programme=programme)
        before = snapshot(item)
    else:
        item = MilestoneItem(programme=programme)
        before = None
    for name in ITEM_FIELDS:
        if name in data:
            setattr(item, name, data[name])
    if (
        MilestoneItem.objects.filter(programme=programme, code=item.code)
        .exclude(pk=item.pk)
        .exists()
    ):
        raise ValidationError({"code": _("Another item of this programme has this code.")})
    item.full_clean()
    item.save()
    audit_saved(item, actor=actor, before=before)
    changed = before is None or any(
        before.get(name) != getattr(item, name) for name in ("level", "is_active")
    )
    if changed:
        levels_recompute(actor=actor, programme=programme)
    return item


def levels_recompute(*, actor, programme) -> int:
    """Bring every pesantren's level of the programme in line with the checklist (after an
    item was added, moved to another level or retired). Two grouped queries, then writes only
    for the pesantren whose level changed. Returns how many changed."""
    with transaction.atomic():
        rows = {
            row.pesantren_id: row
            for row in PesantrenLevel.objects.select_for_update()
            .filter(programme=programme)
            .order_by("pk")
        }
        items = dict(
            MilestoneItem.objects.filter(programme=programme, is_active=True)
            .values("level")
            .annotate(n=Count("pk"))
            .values_list("level", "n")
            .order_by()
        )
        verified: dict[int, dict[int, int]] = {}
        for pid, level, n in (
            PesantrenMilestone.objects.filter(
                programme=programme, status=Status.VERIFIED, item__is_active=True
            )
            .values("pesantren_id", "item__level")
            .annotate(n=Count("pk"))
            .values_list("pesantren_id", "item__level", "n")
            .order_by()
        ):
            verified.setdefault(pid, {})[level] = n
        changed = 0
        on = today()
        for pid in set(rows) | set(verified):
            counts = verified.get(pid, {})
            level = level_from_counts(items, counts)
            row = rows.get(pid)
            current = row.level if row else 0
            if row is None:
                row = PesantrenLevel(pesantren_id=pid, programme=programme)
            if row.pk and level == current and row.verified_count == sum(counts.values()):
                continue
            row.verified_count = sum(counts.values())
            if level != current:
                row.level = level
                row.reached_on = on
                LevelChange.objects.create(
                    programme=programme,
                    pesantren_id=pid,
                    from_level=current,
                    to_level=level,
                    on=on,
                    actor=_user(actor),
                )
                changed += 1
            row.save()
        return changed


# --- Claims -----------------------------------------------------------------------------------


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


def check_evidence(upload):
    """The upload as it will be stored, or a ValidationError on `evidence`."""
    limit = evidence_max_bytes()
    if not upload.size:
        raise _refuse("evidence", _("The file is empty."))
    if upload.size > limit:
        raise _refuse(
            "evidence",
            _("The file is too large: %(size)s MB; at most %(limit)d MB is accepted.")
            % {"size": f"{upload.size / (1024 * 1024):.1f}", "limit": limit // (1024 * 1024)},
        )
    upload.seek(0)
    try:
        return document_cleaned(upload.read(limit + 1))
    except ValidationError as exc:
        raise _refuse("evidence", " ".join(exc.messages)) from None


def _locked_status(pesantren: Pesantren, item: MilestoneItem) -> PesantrenMilestone:
    row, _created = PesantrenMilestone.objects.get_or_create(
        pesantren=pesantren, item=item, defaults={"programme_id": pesantren.programme_id}
    )
    return PesantrenMilestone.objects.select_for_update(of=("self",)).get(pk=row.pk)


@transaction.atomic
def milestone_claim(
    *, actor, pesantren: Pesantren, item: MilestoneItem, note: str = "", upload=None
) -> PesantrenMilestone:
    """Send (or resend) a claim that `pesantren` reached `item`, with evidence or a note.

    The caller has checked that `actor` may claim for this pesantren. A claim still waiting may
    be corrected (its file replaced); a verified item cannot be claimed again."""
    if item.programme_id != pesantren.programme_id or not item.is_active:
        raise _refuse("item", _("This item is not on the pesantren's checklist."))
    row = _locked_status(pesantren, item)
    if row.status not in PesantrenMilestone.CLAIMABLE:
        raise _refuse("item", _("This item is already verified."))
    note = (note or "").strip()
    if len(note) > TEXT_MAX:
        raise _refuse("note", _("Keep the note under %(n)d characters.") % {"n": TEXT_MAX})
    checked = check_evidence(upload) if upload is not None else None
    has_file = checked is not None or (row.status == Status.CLAIMED and bool(row.evidence))
    if item.evidence_required and not has_file:
        raise _refuse("evidence", _("This item needs an evidence file (PDF, JPEG or PNG)."))
    if not has_file and not note:
        raise _refuse("note", _("Upload an evidence file or write a note."))
    before = snapshot(row, ["status", "evidence_sha256", "note"])
    old_file = row.evidence.name if checked is not None else ""
    new_file = ""
    if checked is not None:
        row.evidence.save(checked.as_file().name, ContentFile(checked.content), save=False)
        new_file = row.evidence.name
        row.evidence_type = checked.content_type
        row.evidence_name = PurePath(str(getattr(upload, "name", "") or "evidence")).name[:200]
        row.evidence_size = len(checked.content)
        row.evidence_sha256 = hashlib.sha256(checked.content).hexdigest()
    storage = row.evidence.storage
    row.status = Status.CLAIMED
    row.note = note
    row.claimed_by = _user(actor)
    row.claimed_at = timezone.now()
    row.decided_by = None
    row.decided_at = None
    row.reason = ""
    try:
        row.full_clean()
        row.save()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=row,
            changes={
                name: [before[name], getattr(row, name)]
                for name in before
                if before[name] != getattr(row, name)
            },
            note=f"claim {item.code}",
        )
    except Exception:
        if new_file:
            storage.delete(new_file)
        raise
    if old_file and old_file != new_file:
        transaction.on_commit(lambda: storage.delete(old_file))
    return row


# --- Decisions --------------------------------------------------------------------------------


def _locked_level(pesantren: Pesantren) -> PesantrenLevel:
    row, _created = PesantrenLevel.objects.get_or_create(
        pesantren=pesantren, defaults={"programme_id": pesantren.programme_id}
    )
    return PesantrenLevel.objects.select_for_update(of=("self",)).get(pk=row.pk)


def _level_update(*, actor, level_row: PesantrenLevel) -> tuple[int, int]:
    """Recompute one pesantren's level from its rows; returns (before, after)."""
    pesantren_id, programme_id = level_row.pesantren_id, level_row.programme_id
    items = dict(
        MilestoneItem.objects.filter(programme_id=programme_id, is_active=True)
        .values("level")
        .annotate(n=Count("pk"))
        .values_list("level", "n")
        .order_by()
    )
    verified = dict(
        PesantrenMilestone.objects.filter(
            pesantren_id=pesantren_id, status=Status.VERIFIED, item__is_active=True
        )
        .values("item__level")
        .annotate(n=Count("pk"))
        .values_list("item__level", "n")
        .order_by()
    )
    before = level_row.level
    after = level_from_counts(items, verified)
    level_row.verified_count = sum(verified.values())
    if after != before:
        level_row.level = after
        level_row.reached_on = today()
        LevelChange.objects.create(
            programme_id=programme_id,
            pesantren_id=pesantren_id,
            from_level=before,
            to_level=after,
            on=level_row.reached_on,
            actor=_user(actor),
        )
    level_row.save()
    return before, after


@transaction.atomic
def milestone_decide(
    *, actor, claim: PesantrenMilestone, verify: bool, reason: str = ""
) -> PesantrenMilestone:
    """Verify or reject a waiting claim. The caller has checked that `actor` may verify for the
    claim's pesantren. A rejection needs a reason: the manager reads it."""
    pesantren = Pesantren.objects.get(pk=claim.pesantren_id)
    level_row = _locked_level(pesantren)
    row = (
        PesantrenMilestone.objects.select_for_update(of=("self",))
        .select_related("item", "claimed_by")
        .get(pk=claim.pk)
    )
    if row.status != Status.CLAIMED:
        raise _refuse(
            "decision",
            _("This item is not waiting for verification (it is: %(status)s).")
            % {"status": row.get_status_display()},
        )
    reason = (reason or "").strip()
    if not verify and not reason:
        raise _refuse("reason", _("Give the reason: the cooperative manager will read it."))
    if len(reason) > TEXT_MAX:
        raise _refuse("reason", _("Keep the reason under %(n)d characters.") % {"n": TEXT_MAX})
    before = snapshot(row, ["status", "reason"])
    row.status = Status.VERIFIED if verify else Status.REJECTED
    row.reason = "" if verify else reason
    row.decided_by = _user(actor)
    row.decided_at = timezone.now()
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=row,
        changes={"status": [before["status"], row.status]},
        note=f"{row.status} {row.item.code}",
    )
    was, now = _level_update(actor=actor, level_row=level_row)
    _notify_decision(row, pesantren, was=was, now=now)
    return row


def _recipients(row: PesantrenMilestone, pesantren: Pesantren) -> list:
    managers = [
        m.user
        for m in Membership.objects.filter(
            programme_id=pesantren.programme_id,
            role=Role.MANAGER,
            pesantren=pesantren,
            is_active=True,
        ).select_related("user")
    ]
    people = {user.pk: user for user in managers}
    if row.claimed_by_id and row.claimed_by_id not in people:
        people[row.claimed_by_id] = row.claimed_by
    return list(people.values())


def _notify_decision(row: PesantrenMilestone, pesantren: Pesantren, *, was: int, now: int):
    url = reverse("milestones:checklist", args=[pesantren.pk])
    for user in _recipients(row, pesantren):
        with in_language_of(user):
            values = {"item": row.item.name, "pesantren": pesantren.name}
            if row.status == Status.VERIFIED:
                title = _("Milestone verified: %(item)s") % values
                body = _("%(item)s is verified for %(pesantren)s.") % values
                if now > was:
                    body += " " + _("The pesantren moved up to level %(level)s.") % {
                        "level": Level(now).label
                    }
            else:
                title = _("Milestone not accepted: %(item)s") % values
                body = _("The claim for %(item)s (%(pesantren)s) was rejected: %(reason)s") % {
                    **values,
                    "reason": row.reason,
                }
                body += " " + _("Correct it and send the claim again.")
            notify(
                user=user,
                kind=f"milestones.{row.status}",
                title=title,
                body=body,
                url=url,
                programme=pesantren.programme,
            )


def _user(actor):
    return actor if getattr(actor, "pk", None) else None
