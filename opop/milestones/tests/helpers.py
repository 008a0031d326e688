"""Shared set-up for milestone tests: a small checklist on the `world`'s programmes."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from opop.milestones import services
from opop.milestones.models import MilestoneItem

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "nib.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def item(programme, code: str, level: int, *, evidence: bool = True, **extra) -> MilestoneItem:
    return MilestoneItem.objects.create(
        programme=programme,
        code=code,
        name=code.replace("_", " ").title(),
        aspect=extra.pop("aspect", "institutional"),
        level=level,
        evidence_required=evidence,
        **extra,
    )


def checklist(programme) -> dict[str, MilestoneItem]:
    """Two items at level 1, one at 2, one at 3 (with a note allowed at level 1)."""
    return {
        "founded": item(programme, "founded", 1),
        "chosen": item(programme, "chosen", 1, evidence=False),
        "nib": item(programme, "nib", 2),
        "rat": item(programme, "rat", 3),
    }


def claimed(world, pesantren, it, *, persona="manager_a"):
    return services.milestone_claim(
        actor=world.user(persona),
        pesantren=pesantren,
        item=it,
        note="done",
        upload=pdf() if it.evidence_required else None,
    )


def verified(world, pesantren, it, *, claimer="manager_a", verifier="admin"):
    row = claimed(world, pesantren, it, persona=claimer)
    return services.milestone_decide(actor=world.user(verifier), claim=row, verify=True)
