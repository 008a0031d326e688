"""A certificate typed in the catalogue gets its track as soon as it is saved, so the boards and
the dashboard show it the same day; the daily `tracks_backfill` stays as the safety net for
rows written in bulk. A signal, because the tracker depends on the catalogue and never the
reverse: the catalogue's services know nothing of tracks."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from opop.catalog.models import Certification


@receiver(post_save, sender=Certification, dispatch_uid="certtracker.certificate_saved")
def certificate_saved(sender, instance: Certification, raw: bool = False, **kwargs) -> None:
    if raw:  # fixtures and loaddata: no side effects
        return
    product_id, kind = instance.product_id, instance.kind

    def ensure():
        from opop.catalog.models import Product
        from opop.certtracker.services import track_for_certificate_ensure

        product = Product.objects.select_related("enterprise").filter(pk=product_id).first()
        if product is not None:
            track_for_certificate_ensure(product=product, kind=kind)

    # After the catalogue's transaction commits: a tracker failure never undoes a certificate.
    transaction.on_commit(ensure)
