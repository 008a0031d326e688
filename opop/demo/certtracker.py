"""Demo certification tracks: every seeded catalogue certificate gets its issued track (the
tracker's data step, see docs/certtracker.md), and some uncertified food products get a track
under way — planned, preparing, submitted or rejected — with their history.

Bulk through `RowWriter`, so `large` stays quick; deterministic for a given `rng`; writes
nothing when the programme already has tracks.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.utils import timezone

from opop.catalog.models import Certification, Product
from opop.certtracker.models import CertificationTrack, TrackStatus, TrackStep
from opop.demo.writer import RowWriter

# Share of food products without a certificate that have a track under way.
UNDER_WAY_SHARE = 0.15
UNDER_WAY = [
    (TrackStatus.PLANNED, 30),
    (TrackStatus.PREPARING, 30),
    (TrackStatus.SUBMITTED, 25),
    (TrackStatus.REJECTED, 15),
]
PATH = [TrackStatus.PLANNED, TrackStatus.PREPARING, TrackStatus.SUBMITTED]
KINDS_UNDER_WAY = [(Certification.Kind.HALAL, 60), (Certification.Kind.PIRT, 30), ("bpom", 10)]
REJECTION_NOTES = [
    "Komposisi bahan belum lengkap.",
    "Label kemasan belum sesuai ketentuan.",
    "Dokumen NIB tidak sesuai dengan nama usaha.",
]


def seed_certtracker(programme, *, rng: random.Random, writer: RowWriter | None = None) -> Counter:
    counts: Counter = Counter()
    if CertificationTrack.objects.filter(programme=programme).exists():
        return counts
    writer = writer or RowWriter(now=timezone.now())
    today = timezone.localdate()
    tracks, steps = [], []
    issued = (
        Certification.objects.filter(product__programme=programme, tracks__isnull=True)
        .order_by("pk")
        .values_list(
            "pk",
            "product_id",
            "kind",
            "issued_on",
            "product__enterprise__regency_id",
            "product__enterprise__pesantren_id",
            "product__enterprise__owner__pesantren_id",
        )
    )
    certified = set()
    for cert_id, product_id, kind, issued_on, regency, pesantren, owner_pesantren in issued:
        certified.add(product_id)
        on = issued_on or today
        track_id = writer.new_id(CertificationTrack)
        tracks.append(
            _track(programme, track_id, product_id, kind, TrackStatus.ISSUED, on, regency)
            | {
                "pesantren_id": pesantren or owner_pesantren,
                "certification_id": cert_id,
                "decided_on": on,
                "submitted_on": on - dt.timedelta(days=rng.randint(14, 60)),
            }
        )
        steps.append(_step(writer, track_id, "", TrackStatus.ISSUED, on, "Data awal katalog."))
    counts["issued_tracks"] = len(tracks)
    food = (
        Product.objects.filter(programme=programme, enterprise__sector="food")
        .order_by("pk")
        .values_list(
            "pk",
            "enterprise__regency_id",
            "enterprise__pesantren_id",
            "enterprise__owner__pesantren_id",
        )
    )
    for product_id, regency, pesantren, owner_pesantren in food:
        if product_id in certified or rng.random() >= UNDER_WAY_SHARE:
            continue
        status = rng.choices([s for s, _w in UNDER_WAY], weights=[w for _s, w in UNDER_WAY])[0]
        kind = rng.choices([k for k, _w in KINDS_UNDER_WAY], [w for _k, w in KINDS_UNDER_WAY])[0]
        track_id = writer.new_id(CertificationTrack)
        on = today - dt.timedelta(days=rng.randint(60, 200))
        reached = PATH if status == TrackStatus.REJECTED else PATH[: PATH.index(status) + 1]
        row = _track(programme, track_id, product_id, kind, status, on, regency)
        row["pesantren_id"] = pesantren or owner_pesantren
        previous = ""
        for step_status in reached:
            on = min(on, today)
            steps.append(_step(writer, track_id, previous, step_status, on, ""))
            row["status_on"] = on
            if step_status == TrackStatus.SUBMITTED:
                row["submitted_on"] = on
                row["authority_reference"] = f"SH{on:%Y%m}{rng.randint(10_000, 99_999)}"
            previous = step_status
            on += dt.timedelta(days=rng.randint(5, 25))
        if status == TrackStatus.REJECTED:
            on = min(on, today)
            steps.append(_step(writer, track_id, previous, status, on, rng.choice(REJECTION_NOTES)))
            row.update(status_on=on, decided_on=on)
        tracks.append(row)
        counts[f"{status}_tracks"] += 1
    writer.write(CertificationTrack, tracks)
    writer.write(TrackStep, steps)
    counts["track_steps"] = len(steps)
    return counts


def _track(programme, track_id, product_id, kind, status, on, regency) -> dict:
    return {
        "id": track_id,
        "programme_id": programme.pk,
        "product_id": product_id,
        "kind": kind,
        "status": status,
        "regency_id": regency,
        "status_on": on,
        "superseded": False,
        "authority_reference": "",
    }


def _step(writer, track_id, from_status, to_status, on, note) -> dict:
    return {
        "id": writer.new_id(TrackStep),
        "track_id": track_id,
        "from_status": from_status,
        "to_status": to_status,
        "on": on,
        "note": note,
        "authority_reference": "",
    }
