"""Demo facilitator visits, so that a facilitator, an officer and the dashboard see reports.

`seed_visits(programme, rng=…, writer=…)` writes, for every facilitator of the programme, two to
five visits to each assigned pesantren (at most 12 pesantren per facilitator) over the last two
years, with zero to three action items each: older reports reviewed, recent ones waiting for
review, one returned for changes; older action items mostly done, a few left overdue. No photos
(demo data has no pictures worth storing) and a location near the kab/kota's centre is left out:
the demo's pesantren have no coordinates. Idempotent: nothing is written when the programme
already has visits.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import Counter

from django.utils import timezone

from opop.accounts.models import Membership, Role
from opop.demo.writer import RowWriter
from opop.visits.models import ActionItem, Purpose, Visit

MAX_PESANTREN = 12
HISTORY_DAYS = 730
NOTES = (
    "Pengurus koperasi hadir lengkap; pembukuan sudah mulai rapi.",
    "Produk sudah dikemas ulang; label halal masih dalam proses.",
    "Rapat anggota tahunan direncanakan bulan depan.",
    "Pendampingan pencatatan stok dan penjualan harian.",
    "Diskusi rencana ikut OPOP Expo dan pendaftaran di OPOP Mart.",
)
ITEMS = (
    "Lengkapi dokumen NIB di OSS",
    "Daftarkan sertifikasi halal self-declare",
    "Siapkan laporan keuangan untuk RAT",
    "Foto produk untuk katalog OPOP Mart",
    "Buka rekening atas nama koperasi",
    "Perbaiki label kemasan (komposisi, berat bersih)",
)
WHO = ("Pengurus koperasi", "Bendahara", "Pengasuh", "Pendamping")
REVIEW_NOTES = ("Baik, lanjutkan.", "Sudah sesuai.", "")


def seed_visits(programme, *, rng: random.Random, writer: RowWriter | None = None) -> Counter:
    counts = Counter()
    if Visit.objects.filter(programme=programme).exists():
        return counts
    writer = writer or RowWriter(now=timezone.now())
    now = writer.now
    today = timezone.localdate(now)
    members = Membership.objects.filter(programme=programme, is_active=True)
    facilitators = list(
        members.filter(role=Role.FACILITATOR).prefetch_related("assigned_pesantren").order_by("pk")
    )
    reviewers = dict(
        members.filter(role=Role.OFFICER).values_list("regency_id", "user_id").order_by("pk")
    )
    admin = members.filter(role=Role.ADMIN).order_by("pk").values_list("user_id", flat=True).first()
    visits, items = [], []
    returned_one = False
    for membership in facilitators:
        assigned = sorted(membership.assigned_pesantren.all(), key=lambda p: p.pk)[:MAX_PESANTREN]
        for pesantren in assigned:
            days = sorted(rng.sample(range(1, HISTORY_DAYS), rng.randint(2, 5)), reverse=True)
            for ago in days:
                visited_on = today - dt.timedelta(days=ago)
                submitted = timezone.make_aware(
                    dt.datetime.combine(visited_on, dt.time(15, rng.randint(0, 59)))
                )
                reviewer = reviewers.get(pesantren.regency_id) or admin
                status = Visit.Status.REVIEWED if ago > 21 and reviewer else Visit.Status.SUBMITTED
                if status == Visit.Status.SUBMITTED and not returned_one and reviewer:
                    status, returned_one = Visit.Status.RETURNED, True
                purpose = rng.choice([p for p in Purpose.values if p != Purpose.OTHER])
                visit_id = writer.new_id(Visit)
                decided = status != Visit.Status.SUBMITTED
                visits.append(
                    {
                        "id": visit_id,
                        "programme_id": programme.pk,
                        "pesantren_id": pesantren.pk,
                        "facilitator_id": membership.user_id,
                        "client_uuid": uuid.UUID(int=rng.getrandbits(128), version=4),
                        "visited_on": visited_on,
                        "purpose": purpose,
                        "purpose_other": "",
                        "notes": rng.choice(NOTES),
                        "status": status,
                        "submitted_at": submitted,
                        "reviewed_at": submitted + dt.timedelta(days=rng.randint(1, 7))
                        if decided
                        else None,
                        "reviewed_by_id": reviewer if decided else None,
                        "review_note": "Lengkapi foto kegiatan."
                        if status == Visit.Status.RETURNED
                        else (rng.choice(REVIEW_NOTES) if decided else ""),
                        "created_at": submitted,
                        "updated_at": submitted,
                    }
                )
                for text in rng.sample(ITEMS, rng.randint(0, 3)):
                    due_on = visited_on + dt.timedelta(days=rng.choice((14, 30, 60)))
                    done = due_on < today and rng.random() < 0.8
                    done_at = (
                        timezone.make_aware(
                            dt.datetime.combine(
                                min(due_on, today) - dt.timedelta(days=rng.randint(0, 10)),
                                dt.time(10),
                            )
                        )
                        if done
                        else None
                    )
                    items.append(
                        {
                            "id": writer.new_id(ActionItem),
                            "visit_id": visit_id,
                            "text": text,
                            "due_on": due_on,
                            "responsible": rng.choice(WHO),
                            "done_at": done_at,
                            "done_by_id": membership.user_id if done else None,
                        }
                    )
    writer.write(Visit, visits)
    writer.write(ActionItem, items)
    counts["visits"] += len(visits)
    counts["visit_action_items"] += len(items)
    return counts
