"""Reviews of received products: written by the buyer of the order line, answered once by the
seller, hidden or shown again by the programme admin."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.accounts.access import Access, memberships_of
from opop.common.audit import audit_record, audit_saved, snapshot
from opop.common.models import AuditEvent
from opop.mart import review_notices
from opop.mart.models import Order, OrderLine, Review
from opop.registry.selectors import enterprises_editable_by

# A review is of a product the buyer has received.
REVIEWABLE = (Order.Status.DELIVERED, Order.Status.COMPLETED)


def sells_for(actor, enterprise) -> bool:
    """Whether one of the actor's roles sells for this enterprise (manager or participant)."""
    for membership in memberships_of(actor):
        access = Access(membership=membership)
        if (
            access.sells
            and membership.programme_id == enterprise.programme_id
            and enterprises_editable_by(access).filter(pk=enterprise.pk).exists()
        ):
            return True
    return False


def administers(actor, programme_id: int) -> bool:
    return any(
        Access(membership=m).administers_programme and m.programme_id == programme_id
        for m in memberships_of(actor)
    )


def may_review(line: OrderLine, user) -> bool:
    return (
        line.order.buyer_id == getattr(user, "pk", None)
        and line.order.status in REVIEWABLE
        and line.product_id is not None
        and not Review.objects.filter(line=line).exists()
    )


@transaction.atomic
def review_write(*, actor, line: OrderLine, rating: int, text: str) -> Review:
    order = Order.objects.select_for_update(of=("self",)).get(pk=line.order_id)
    if order.buyer_id != actor.pk:
        raise PermissionDenied
    if order.status not in REVIEWABLE:
        raise ValidationError(_("You can review a product once you have received it."))
    if line.product_id is None:
        raise ValidationError(_("This product is no longer sold."))
    if Review.objects.filter(line=line).exists():
        raise ValidationError(_("You have already reviewed this product for this order."))
    review = Review(
        line=line, product_id=line.product_id, buyer=actor, rating=rating, text=text.strip()
    )
    review.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError as exc:  # a second tab posted the same review at the same moment
        raise ValidationError(_("You have already reviewed this product for this order.")) from exc
    audit_saved(review, actor=actor, before=None, programme_id=order.programme_id)
    review_notices.review_written(review)
    return review


@transaction.atomic
def review_reply(*, actor, review: Review, text: str) -> Review:
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related("product__enterprise")
        .get(pk=review.pk)
    )
    if not sells_for(actor, review.product.enterprise):
        raise PermissionDenied
    if review.reply:
        raise ValidationError(_("This review already has your reply."))
    if not text.strip():
        raise ValidationError({"reply": _("Write a reply.")})
    before = snapshot(review)
    review.reply = text.strip()
    review.replied_at = timezone.now()
    review.full_clean(validate_unique=False)
    review.save()
    audit_saved(review, actor=actor, before=before, programme_id=review.product.programme_id)
    review_notices.review_replied(review)
    return review


@transaction.atomic
def review_moderate(*, actor, review: Review, status: str, note: str) -> Review:
    review = (
        Review.objects.select_for_update(of=("self",)).select_related("product").get(pk=review.pk)
    )
    if not administers(actor, review.product.programme_id):
        raise PermissionDenied
    if status not in Review.Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    if status == Review.Status.HIDDEN and not note.strip():
        raise ValidationError({"moderation_note": _("Say why the review is hidden.")})
    before = snapshot(review)
    review.status = status
    review.moderation_note = note.strip()[:255]
    review.full_clean(validate_unique=False)
    review.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=review,
        programme_id=review.product.programme_id,
        changes={"status": [before["status"], status]},
        note=review.moderation_note,
    )
    if status == Review.Status.HIDDEN and before["status"] != status:
        review_notices.review_hidden(review)
    return review
