"""Who hears about a review: the seller of a new review, the buyer of a reply or a moderation."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from opop.mart.models import Review
from opop.notifications.services import in_language_of, notify


def review_written(review: Review) -> None:
    from opop.mart.selectors_buyer import seller_users

    product = review.product
    for user in seller_users(product.enterprise):
        with in_language_of(user):
            notify(
                user=user,
                kind="mart.review",
                programme=product.programme,
                title=_("New review of %(product)s: %(rating)d/5")
                % {"product": product.name, "rating": review.rating},
                body=review.text,
                url=reverse("mart:seller_reviews"),
            )


def review_replied(review: Review) -> None:
    with in_language_of(review.buyer):
        notify(
            user=review.buyer,
            kind="mart.review_reply",
            programme=review.product.programme,
            title=_("The seller replied to your review of %(product)s")
            % {"product": review.product.name},
            body=review.reply,
            url=reverse("mart:product", args=[review.product_id]),
        )


def review_hidden(review: Review) -> None:
    with in_language_of(review.buyer):
        notify(
            user=review.buyer,
            kind="mart.review_hidden",
            programme=review.product.programme,
            title=_("Your review of %(product)s was hidden by a moderator")
            % {"product": review.product.name},
            body=review.moderation_note,
        )
