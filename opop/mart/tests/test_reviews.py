"""Reviews: by the buyer of a received order line only, once; one reply by the seller;
moderation by the programme admin; hidden reviews vanish from the product."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from opop.mart.models import Order, Review
from opop.mart.selectors_seller import product_reviews
from opop.mart.services.reviews import review_moderate, review_reply, review_write
from opop.mart.tests.helpers import sellable_product
from opop.mart.tests.test_seller_pages import make_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def line(world):
    chips = sellable_product(world)
    return make_order(world, [(chips, 2)], status=Order.Status.DELIVERED).lines.get()


def _review(world, line):
    return review_write(actor=world.user("buyer"), line=line, rating=5, text="Renyah, enak")


def test_the_buyer_reviews_a_received_line(world, line):
    review = _review(world, line)
    assert (review.product_id, review.rating, review.status) == (line.product_id, 5, "visible")
    assert list(product_reviews(line.product)) == [review]


@pytest.mark.parametrize("status", ["paid", "packed", "shipped", "cancelled"])
def test_not_received_is_refused(world, line, status):
    Order.objects.filter(pk=line.order_id).update(status=status)
    with pytest.raises(ValidationError):
        _review(world, line)
    assert not Review.objects.exists()


def test_another_buyer_is_refused(world, line):
    with pytest.raises(PermissionDenied):
        review_write(actor=world.user("outsider"), line=line, rating=1, text="")
    response = world.client("outsider").get(reverse("mart:review_write", args=[line.pk]))
    assert response.status_code == 404


def test_twice_is_refused(world, line):
    _review(world, line)
    with pytest.raises(ValidationError):
        _review(world, line)
    assert Review.objects.count() == 1


def test_the_review_page_publishes_once(world, line):
    client = world.client("buyer")
    url = reverse("mart:review_write", args=[line.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"rating": 4, "text": "Mantap"})
    assert Review.objects.get().rating == 4
    response = client.get(url)
    assert "already reviewed" in response.content.decode()
    client.post(url, {"rating": 1, "text": "again"})
    assert Review.objects.get().rating == 4


def test_the_review_page_refuses_an_undelivered_order(world, line):
    Order.objects.filter(pk=line.order_id).update(status="shipped")
    client = world.client("buyer")
    client.post(reverse("mart:review_write", args=[line.pk]), {"rating": 4})
    assert not Review.objects.exists()


def test_the_review_page_needs_a_login(world, line):
    response = world.client("anonymous").get(reverse("mart:review_write", args=[line.pk]))
    assert response.status_code == 302


def test_only_the_seller_replies_and_only_once(world, line):
    review = _review(world, line)
    for persona in ("manager_b", "buyer", "admin"):
        with pytest.raises(PermissionDenied):
            review_reply(actor=world.user(persona), review=review, text="Terima kasih")
    review_reply(actor=world.user("manager_a"), review=review, text="Terima kasih")
    with pytest.raises(ValidationError):
        review_reply(actor=world.user("manager_a"), review=review, text="Lagi")
    review.refresh_from_db()
    assert review.reply == "Terima kasih" and review.replied_at


def test_the_seller_replies_from_the_reviews_page(world, line):
    review = _review(world, line)
    world.client("manager_b").post(
        reverse("mart:seller_review_reply", args=[review.pk]), {"reply": "x"}
    )
    review.refresh_from_db()
    assert review.reply == ""
    assert world.client("manager_a").get(reverse("mart:seller_reviews")).status_code == 200
    world.client("manager_a").post(
        reverse("mart:seller_review_reply", args=[review.pk]), {"reply": "Matur nuwun"}
    )
    review.refresh_from_db()
    assert review.reply == "Matur nuwun"


def test_only_the_admin_moderates_and_hidden_reviews_vanish(world, line):
    review = _review(world, line)
    for persona in ("manager_a", "officer", "kalsel_admin", "buyer"):
        with pytest.raises(PermissionDenied):
            review_moderate(actor=world.user(persona), review=review, status="hidden", note="x")
    with pytest.raises(ValidationError):
        review_moderate(actor=world.user("admin"), review=review, status="hidden", note="")
    review_moderate(actor=world.user("admin"), review=review, status="hidden", note="Spam")
    assert list(product_reviews(line.product)) == []
    review_moderate(actor=world.user("admin"), review=review, status="visible", note="")
    assert list(product_reviews(line.product)) == [review]


@pytest.mark.parametrize("persona", ["buyer", "manager_a", "officer", "auditor", "outsider"])
def test_moderation_pages_refuse_others(world, line, persona):
    review = _review(world, line)
    client = world.client(persona)
    assert client.get(reverse("mart:review_moderation")).status_code == 403
    response = client.post(
        reverse("mart:review_moderate", args=[review.pk]),
        {"status": "hidden", "moderation_note": "x"},
    )
    assert response.status_code == 403
    review.refresh_from_db()
    assert review.status == "visible"


def test_another_programmes_admin_neither_sees_nor_hides_it(world, line):
    review = _review(world, line)
    client = world.client("kalsel_admin")
    assert "Renyah, enak" not in client.get(reverse("mart:review_moderation")).content.decode()
    response = client.post(
        reverse("mart:review_moderate", args=[review.pk]),
        {"status": "hidden", "moderation_note": "x"},
    )
    assert response.status_code == 404
    review.refresh_from_db()
    assert review.status == "visible"


def test_the_admin_hides_from_the_moderation_page(world, line):
    review = _review(world, line)
    client = world.client("admin")
    assert "Renyah, enak" in client.get(reverse("mart:review_moderation")).content.decode()
    client.post(
        reverse("mart:review_moderate", args=[review.pk]),
        {"status": "hidden", "moderation_note": "Kata kasar"},
    )
    review.refresh_from_db()
    assert (review.status, review.moderation_note) == ("hidden", "Kata kasar")


def test_the_seller_hears_of_a_review_and_the_buyer_of_the_reply_and_hiding(world, line):
    from opop.notifications.models import Notification

    review = _review(world, line)
    seller_news = Notification.objects.filter(kind="mart.review")
    # enterprise_a: pesantren_a's (manager_a) and owned by person_a (the participant)
    assert set(seller_news.values_list("user__email", flat=True)) == {
        "manager_a@test.opop.id",
        "participant@test.opop.id",
    }
    review_reply(actor=world.user("manager_a"), review=review, text="Terima kasih")
    review_moderate(actor=world.user("admin"), review=review, status="hidden", note="Spam link")
    buyer_news = Notification.objects.filter(user=world.user("buyer")).values_list(
        "kind", flat=True
    )
    assert sorted(buyer_news.filter(kind__startswith="mart.review")) == [
        "mart.review_hidden",
        "mart.review_reply",
    ]
    assert not Notification.objects.filter(user=world.user("manager_b"), kind="mart.review")
