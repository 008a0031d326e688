"""The showcase's certification tracks on its two products: P-IRT, halal, trademark, BPOM and SNI
issued, rejected and retried, renewed, one BPOM permit expired with its renewal submitted. Each
story replaces the product's track and certificate of that kind the other seeders gave it."""

from __future__ import annotations

import datetime as dt
import random

from opop.catalog.models import Certification, Product
from opop.certtracker.models import CertificationTrack, TrackStatus, TrackStep
from opop.demo.showcase.context import Context, date_of, stamp
from opop.registry.models import Enterprise

# Stories: (product slot, kind, steps oldest first); a step is (outcome, day, expires on). Each
# step after the first supersedes the one before; an issued step after an issued one renews it.
CERTIFICATIONS = (
    (0, "pirt", (
        ("issued", (2016, 6, 14), (2021, 12, 31)),
        ("issued", (2021, 10, 11), (2026, 12, 31)),
    )),
    (0, "halal", (
        ("rejected", (2017, 8, 21), None),
        ("issued", (2018, 3, 5), (2022, 3, 4)),
        ("issued", (2022, 2, 15), None),
    )),
    (0, "trademark", (("issued", (2019, 11, 18), (2029, 11, 17)),)),
    (0, "bpom", (("issued", (2020, 7, 6), (2025, 7, 5)), ("submitted", (2025, 10, 20), None))),
    (0, "sni", (("rejected", (2023, 4, 10), None), ("issued", (2024, 1, 22), (2028, 1, 21)))),
    (1, "halal", (("issued", (2019, 9, 9), (2023, 9, 8)),)),
    (1, "pirt", (("issued", (2023, 3, 13), (2028, 12, 31)),)),
)  # fmt: skip
FOOD_CATEGORY = "makanan-minuman"  # the parent of the food categories
REJECTION_NOTES = ("Komposisi bahan belum lengkap.", "Hasil uji laboratorium belum memenuhi.")


def write(ctx: Context) -> None:
    ctx.products = _chosen_products(ctx)
    if not ctx.products:
        return
    rng, writer = ctx.rng, ctx.writer
    tracks, steps, certifications = [], [], []
    for slot, kind, story in CERTIFICATIONS:
        if slot >= len(ctx.products):
            continue
        product_id, _name, regency = ctx.products[slot]
        story = [
            (o, date_of(d), date_of(e) if e else None) for o, d, e in story if ctx.past(date_of(d))
        ]
        if not story:
            continue
        # The tracker and the catalogue keep one current row per product and kind: replace.
        CertificationTrack.objects.filter(product_id=product_id, kind=kind).delete()
        Certification.objects.filter(product_id=product_id, kind=kind).delete()
        issued = [(d, e) for o, d, e in story if o == "issued"]
        cert_id = writer.new_id(Certification) if issued else None
        if issued:
            issued_on, expires_on = issued[-1]
            certifications.append(
                {
                    "id": cert_id,
                    "product_id": product_id,
                    "kind": kind,
                    "number": _cert_number(rng, kind, expires_on),
                    "issued_on": issued_on,
                    "expires_on": expires_on,
                    "document": "",
                    "created_at": stamp(issued_on),
                    "updated_at": stamp(issued_on),
                }
            )
        previous = None
        for index, (outcome, on, _expires) in enumerate(story):
            track_id = writer.new_id(CertificationTrack)
            current = index == len(story) - 1
            renews = previous if previous and previous[1] == "issued" else None
            tracks.append(
                {
                    "id": track_id,
                    "programme_id": ctx.programme.pk,
                    "product_id": product_id,
                    "kind": kind,
                    "status": outcome,
                    "pesantren_id": ctx.pesantren.pk,
                    "regency_id": regency,
                    "certification_id": cert_id if outcome == "issued" else None,
                    "renews_id": renews[0] if renews else None,
                    "superseded": not current,
                    "status_on": on,
                    "submitted_on": on - dt.timedelta(days=30),
                    "decided_on": on if outcome != "submitted" else None,
                    "authority_reference": f"REG{on:%Y%m}{rng.randint(10_000, 99_999)}",
                    "created_by_id": ctx.manager_id,
                    "created_at": stamp(on - dt.timedelta(days=75)),
                    "updated_at": stamp(on),
                }
            )
            steps += _track_steps(ctx, track_id, outcome, on)
            previous = (track_id, outcome)
    writer.write(Certification, certifications)
    writer.write(CertificationTrack, tracks)
    writer.write(TrackStep, steps)
    ctx.counts.update(
        history_certifications=len(certifications),
        history_certification_tracks=len(tracks),
        history_track_steps=len(steps),
    )


def _chosen_products(ctx: Context) -> list[tuple[int, str, int]]:
    """The two products its certificates are for: food first (P-IRT, halal and BPOM are food
    permits), then the pesantren's own enterprises before its people's."""
    own = set(Enterprise.objects.filter(pesantren_id=ctx.pesantren.pk).values_list("pk", flat=True))
    rows = Product.objects.filter(enterprise_id__in=ctx.enterprise_ids).values_list(
        "pk", "name", "enterprise_id", "category__parent__slug", "enterprise__regency_id"
    )
    ranked = sorted(rows, key=lambda r: (r[3] != FOOD_CATEGORY, r[2] not in own, r[0]))
    return [(pk, name, regency) for pk, name, _e, _s, regency in ranked[:2]]


def _track_steps(ctx: Context, track_id: int, outcome: str, on: dt.date) -> list[dict]:
    path = [
        ("", TrackStatus.PLANNED, on - dt.timedelta(days=75), ""),
        (TrackStatus.PLANNED, TrackStatus.PREPARING, on - dt.timedelta(days=50), ""),
        (TrackStatus.PREPARING, TrackStatus.SUBMITTED, on - dt.timedelta(days=30), ""),
    ]
    if outcome != TrackStatus.SUBMITTED:
        note = ctx.rng.choice(REJECTION_NOTES) if outcome == TrackStatus.REJECTED else ""
        path.append((TrackStatus.SUBMITTED, outcome, on, note))
    return [
        {
            "id": ctx.writer.new_id(TrackStep),
            "track_id": track_id,
            "from_status": before,
            "to_status": after,
            "on": day,
            "actor_id": ctx.manager_id if after != outcome else ctx.reviewer_id,
            "note": note,
            "authority_reference": "",
            "created_at": stamp(day),
        }
        for before, after, day, note in path
    ]


def _cert_number(rng: random.Random, kind: str, expires_on: dt.date | None) -> str:
    """A number in the format of the authority that issues `kind`."""
    match kind:
        case "pirt":
            year = (expires_on or dt.date(2030, 1, 1)).year
            return f"{rng.randint(10**12, 10**13 - 1)}-{year % 100:02d}"
        case "halal":
            return f"ID{rng.randint(10**16, 10**17 - 1)}"
        case "bpom":
            return f"MD{rng.randint(10**11, 10**12 - 1)}"
        case "trademark":
            return f"IDM000{rng.randint(100_000, 999_999)}"
    return f"SPPT-SNI {rng.randint(1000, 9999)}:{rng.randint(2010, 2020)}"
