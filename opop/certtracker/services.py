"""Every tracker write: start a track, move it, renew it, backfill tracks for certificates the
catalogue already holds, and send expiry reminders. Callers check scope with the selectors;
these functions check the rules."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.catalog.models import Certification, Product
from opop.catalog.services import certification_save
from opop.certtracker import rules, selectors
from opop.certtracker.models import CertificationTrack, ExpiryReminder, TrackStatus, TrackStep
from opop.common.audit import audit_record, diff, snapshot
from opop.common.models import AuditEvent
from opop.notifications.services import in_language_of, notify


def _check_date(on: dt.date, *, after: dt.date | None = None) -> None:
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    if after and on < after:
        raise ValidationError(
            {"on": _("The date cannot be before the previous step (%(date)s).") % {"date": after}}
        )


def _locked_current(product_id: int, kind: str) -> CertificationTrack | None:
    return (
        CertificationTrack.objects.select_for_update(of=("self",))
        .select_related("certification")
        .filter(product_id=product_id, kind=kind, superseded=False)
        .first()
    )


@transaction.atomic
def track_start(
    *,
    actor,
    product: Product,
    kind: str,
    on: dt.date | None = None,
    note: str = "",
) -> CertificationTrack:
    """Plan a certification. Refused while a track of this kind is under way, or while its
    certificate is valid for longer than the renewal window; a rejected track may be retried."""
    on = on or timezone.localdate()
    _check_date(on)
    if kind not in Certification.Kind.values:
        raise ValidationError({"kind": _("Choose a certification kind.")})
    # Lock the product row so two starts for the same product cannot both pass the checks.
    product = (
        Product.objects.select_for_update(of=("self",))
        .select_related("enterprise", "enterprise__owner")
        .get(pk=product.pk)
    )
    track_for_certificate_ensure(product=product, kind=kind)
    previous = _locked_current(product.pk, kind)
    renews = None
    if previous is not None:
        if previous.status in rules.OPEN:
            raise ValidationError(
                _("A %(kind)s track for this product is already under way.")
                % {"kind": previous.get_kind_display()}
            )
        if previous.status == TrackStatus.ISSUED:
            expires = previous.certification.expires_on if previous.certification else None
            shown = rules.shown_status(previous.status, expires, timezone.localdate())
            if shown == TrackStatus.ISSUED:
                raise ValidationError(
                    _(
                        "This certificate is still valid; a renewal may start %(days)s days "
                        "before it expires."
                    )
                    % {"days": rules.EXPIRING_DAYS}
                )
            renews = previous
        previous.superseded = True
        previous.save(update_fields=["superseded", "updated_at"])
    track = CertificationTrack(
        programme_id=product.programme_id,
        product=product,
        kind=kind,
        status=TrackStatus.PLANNED,
        pesantren_id=selectors.pesantren_of(product),
        regency_id=product.enterprise.regency_id,
        renews=renews,
        status_on=on,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    track.full_clean()
    track.save()
    TrackStep.objects.create(
        track=track, to_status=TrackStatus.PLANNED, on=on, actor=track.created_by, note=note
    )
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, instance=track, note=note)
    return track


@transaction.atomic
def track_move(
    *,
    actor,
    track: CertificationTrack,
    to_status: str,
    on: dt.date | None = None,
    note: str = "",
    authority_reference: str = "",
    number: str = "",
    issued_on: dt.date | None = None,
    expires_on: dt.date | None = None,
) -> CertificationTrack:
    """Move a track one step. Issuing writes the catalogue's certificate (number and dates,
    checked by its own rules); a rejection needs a note saying why."""
    track = (
        CertificationTrack.objects.select_for_update(of=("self",))
        .select_related("product", "product__enterprise", "certification")
        .get(pk=track.pk)
    )
    if track.superseded:
        raise ValidationError(_("This track was replaced by a newer one and cannot move."))
    if not rules.may_move(track.status, to_status):
        raise ValidationError(
            _("A track cannot move from “%(from)s” to “%(to)s”.")
            % {
                "from": rules.SHOWN_LABELS.get(track.status, track.status),
                "to": rules.SHOWN_LABELS.get(to_status, to_status),
            }
        )
    on = on or timezone.localdate()
    _check_date(on, after=track.status_on)
    note = note.strip()
    authority_reference = authority_reference.strip()
    before = snapshot(track)
    if to_status == TrackStatus.SUBMITTED:
        track.submitted_on = on
    if to_status == TrackStatus.REJECTED:
        if not note:
            raise ValidationError({"note": _("Say why the application was rejected.")})
        track.decided_on = on
    if to_status == TrackStatus.ISSUED:
        track.certification = _certificate_write(
            actor=actor,
            track=track,
            number=number,
            issued_on=issued_on or on,
            expires_on=expires_on,
        )
        track.decided_on = on
    if authority_reference:
        track.authority_reference = authority_reference
    from_status = track.status
    track.status = to_status
    track.status_on = on
    track.full_clean()
    track.save()
    TrackStep.objects.create(
        track=track,
        from_status=from_status,
        to_status=to_status,
        on=on,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
        authority_reference=authority_reference,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=track,
        changes=diff(before, snapshot(track)),
        note=note,
    )
    if to_status in {TrackStatus.ISSUED, TrackStatus.REJECTED}:
        _tell_keepers_of_decision(track, actor=actor)
    return track


def _certificate_write(
    *, actor, track: CertificationTrack, number: str, issued_on, expires_on
) -> Certification:
    if not number.strip():
        raise ValidationError({"number": _("Enter the certificate number.")})
    if expires_on and expires_on < issued_on:
        raise ValidationError(
            {"expires_on": _("The certificate cannot expire before it is issued.")}
        )
    existing = Certification.objects.filter(product_id=track.product_id, kind=track.kind).first()
    return certification_save(
        actor=actor,
        product=track.product,
        data={
            "kind": track.kind,
            "number": number,
            "issued_on": issued_on,
            "expires_on": expires_on,
        },
        instance=existing,
    )


def _tell_keepers_of_decision(track: CertificationTrack, *, actor) -> None:
    url = reverse("certtracker:detail", args=[track.pk])
    for user in selectors.keepers_of(track.product):
        if getattr(actor, "pk", None) == user.pk:
            continue  # who recorded the decision knows it already
        with in_language_of(user):
            if track.status == TrackStatus.ISSUED:
                title = _("%(kind)s certificate issued for %(product)s")
            else:
                title = _("%(kind)s application rejected for %(product)s")
            title = title % {"kind": track.get_kind_display(), "product": track.product.name}
            notify(
                user=user,
                kind=f"certtracker.{track.status}",
                title=title,
                url=url,
                programme=track.programme,
            )


@transaction.atomic
def track_for_certificate_ensure(*, product: Product, kind: str) -> CertificationTrack | None:
    """A catalogue certificate entered without a track gets an issued track, so the boards and
    counts show it (the data step of `tracks_backfill`, for one product and kind)."""
    certification = Certification.objects.filter(product=product, kind=kind).first()
    if certification is None or certification.tracks.exists():
        return None
    if CertificationTrack.objects.filter(product=product, kind=kind, superseded=False).exists():
        return None
    return _issued_track(product, certification)


def _issued_track(product: Product, certification: Certification) -> CertificationTrack:
    on = certification.issued_on or timezone.localdate(certification.created_at)
    track = CertificationTrack.objects.create(
        programme_id=product.programme_id,
        product=product,
        kind=certification.kind,
        status=TrackStatus.ISSUED,
        pesantren_id=selectors.pesantren_of(product),
        regency_id=product.enterprise.regency_id,
        certification=certification,
        status_on=on,
        decided_on=on,
    )
    TrackStep.objects.create(
        track=track,
        to_status=TrackStatus.ISSUED,
        on=on,
        note=_("Certificate entered in the catalogue before it was tracked."),
    )
    return track


def tracks_backfill(*, programme_id: int | None = None, batch: int = 2_000) -> int:
    """Give every catalogue certificate without a track an issued track. Idempotent; run by the
    daily reminders command and the demo seed. Returns how many tracks it wrote."""
    untracked = Certification.objects.filter(tracks__isnull=True)
    if programme_id is not None:
        untracked = untracked.filter(product__programme_id=programme_id)
    written = 0
    ids = list(untracked.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        with transaction.atomic():
            chunk = Certification.objects.filter(pk__in=ids[start : start + batch]).select_related(
                "product__enterprise__owner"
            )
            for certification in chunk:
                if track_for_certificate_ensure(
                    product=certification.product, kind=certification.kind
                ):
                    written += 1
    return written


# --- Expiry reminders ----------------------------------------------------------------------


def reminders_send(*, today: dt.date | None = None) -> int:
    """Remind keepers and facilitators 90 and 30 days before a certificate expires. Each
    (certificate, threshold, expiry date) is recorded once, so running it again — or two runs
    at once — sends nothing twice. Returns the number of reminders recorded."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=max(rules.REMINDER_THRESHOLDS))
    due = (
        Certification.objects.filter(expires_on__gte=today, expires_on__lte=horizon)
        .select_related("product__enterprise__owner", "product__programme")
        .order_by("expires_on", "pk")
    )
    sent = 0
    for certification in due.iterator(chunk_size=500):
        threshold = rules.reminder_threshold(certification.expires_on, today)
        if threshold is not None and _remind(certification, threshold, today):
            sent += 1
    return sent


def _remind(certification: Certification, threshold: int, today: dt.date) -> bool:
    try:
        with transaction.atomic():
            reminder, created = ExpiryReminder.objects.get_or_create(
                certification=certification,
                threshold_days=threshold,
                expires_on=certification.expires_on,
            )
            if not created:
                return False
            product = certification.product
            track = certification.tracks.filter(superseded=False).first()
            url = reverse("certtracker:detail", args=[track.pk]) if track else ""
            recipients = set(selectors.keepers_of(product))
            recipients |= set(
                selectors.facilitators_of(
                    programme_id=product.programme_id,
                    pesantren_id=selectors.pesantren_of(product),
                )
            )
            days = (certification.expires_on - today).days
            for user in sorted(recipients, key=lambda u: u.pk):
                with in_language_of(user):
                    notify(
                        user=user,
                        kind=f"certtracker.expiry_{threshold}",
                        title=_("%(kind)s certificate of %(product)s expires in %(days)s days")
                        % {
                            "kind": certification.get_kind_display(),
                            "product": product.name,
                            "days": days,
                        },
                        body=_(
                            "Certificate %(number)s is valid until %(date)s. Start the renewal "
                            "now so the product can stay on sale."
                        )
                        % {"number": certification.number, "date": certification.expires_on},
                        url=url,
                        programme=product.programme,
                    )
            reminder.recipients = len(recipients)
            reminder.save(update_fields=["recipients"])
            return True
    except IntegrityError:
        # Another run recorded the same reminder between our read and our insert.
        return False
