"""The default checklist a programme starts from (`manage.py load_milestones`, demo seed).

Names and guidance are written here in English for translation and stored in the site's
default language when loaded: once loaded they are the programme's own data, edited by its
admins. Loading again adds only the codes that are missing and never overwrites an edit.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from opop.milestones.models import Aspect, MilestoneItem, PesantrenLevel
from opop.milestones.services import levels_recompute

INST, PEOPLE, PROD, FIN = Aspect.INSTITUTIONAL, Aspect.PEOPLE, Aspect.PRODUCT, Aspect.FINANCING


@dataclass(frozen=True)
class DefaultItem:
    code: str
    aspect: str
    level: int
    name: object
    guidance: object
    evidence_required: bool = True


DEFAULT_ITEMS = (
    # Level 1: the cooperative exists and has chosen what it makes.
    DefaultItem("coop_founded", INST, 1, _("Cooperative founded"),
                _("Minutes of the founding meeting with the list of founding members.")),
    DefaultItem("board_appointed", INST, 1, _("Board and supervisors appointed"),
                _("Decision letter naming the chair, secretary, treasurer and supervisors.")),
    DefaultItem("flagship_chosen", PROD, 1, _("Flagship product chosen"),
                _("Name the product the pesantren wants to develop first and who makes it."),
                evidence_required=False),
    DefaultItem("basic_training", PEOPLE, 1, _("Managers attended basic cooperative training"),
                _("Certificate or attendance list of a cooperative basics training.")),
    # Level 2: legal and administrative footing.
    DefaultItem("legal_entity", INST, 2, _("Legal entity (badan hukum)"),
                _("Ministry of Law decree (SK AHU) approving the cooperative's deed.")),
    DefaultItem("nib", INST, 2, _("Business number (NIB)"),
                _("The cooperative's NIB from OSS (13 digits).")),
    DefaultItem("npwp", INST, 2, _("Tax number (NPWP)"),
                _("The cooperative's NPWP card or registration letter.")),
    DefaultItem("bank_account", FIN, 2, _("Bank account in the cooperative's name"),
                _("First page of the savings book or a bank letter; cover the balance.")),
    DefaultItem("bookkeeping", INST, 2, _("Bookkeeping in place"),
                _("Monthly cash book and balance sheet of the last three months.")),
    DefaultItem("pirt", PROD, 2, _("Home-industry permit (P-IRT) for the flagship product"),
                _("P-IRT certificate, or the permit that applies to the product.")),
    # Level 3: a cooperative that runs itself and sells.
    DefaultItem("rat_this_year", INST, 3, _("Annual members' meeting (RAT) held this year"),
                _("Minutes and attendance list of this year's RAT.")),
    DefaultItem("halal_flagship", PROD, 3, _("Halal certificate for the flagship product"),
                _("Halal certificate from BPJPH (number starting with ID).")),
    DefaultItem("brand_filed", PROD, 3, _("Brand (merek) filed at DJKI"),
                _("DJKI filing receipt or trademark certificate.")),
    DefaultItem("first_mart_sale", FIN, 3, _("First sale on OPOP Mart"),
                _("The order number of the first completed OPOP Mart sale."),
                evidence_required=False),
    DefaultItem("managerial_training", PEOPLE, 3, _("Managers trained in sharia finance"),
                _("Certificate of a managerial or sharia-finance training.")),
    # Level 4: a model for others.
    DefaultItem("accounts_reviewed", INST, 4, _("Financial statements audited or reviewed"),
                _("Report of a public accountant or the cooperative office's review.")),
    DefaultItem("distribution_permit", PROD, 4, _("BPOM or SNI for the flagship product"),
                _("BPOM MD permit or SNI certificate, where the product needs one.")),
    DefaultItem("financing_obtained", FIN, 4, _("Financing from a bank or partner"),
                _("Agreement of a KUR Syariah or partner loan, or an investor's agreement.")),
    DefaultItem("regular_buyers", FIN, 4, _("Regular buyers under agreement"),
                _("Supply agreement or purchase orders of a regular buyer or off-taker.")),
    DefaultItem("santri_coached", PEOPLE, 4, _("The cooperative coaches santripreneurs"),
                _("How many santri the cooperative coached this year, and in what."),
                evidence_required=False),
)  # fmt: skip


@transaction.atomic
def default_items_load(programme) -> int:
    """Add the default items the programme lacks (by code). Returns how many were added."""
    existing = set(MilestoneItem.objects.filter(programme=programme).values_list("code", flat=True))
    new = []
    with translation.override(settings.LANGUAGE_CODE):
        for order, spec in enumerate(DEFAULT_ITEMS, start=1):
            if spec.code in existing:
                continue
            new.append(
                MilestoneItem(
                    programme=programme,
                    code=spec.code,
                    name=str(spec.name),
                    guidance=str(spec.guidance),
                    aspect=spec.aspect,
                    level=spec.level,
                    order=order * 10,
                    evidence_required=spec.evidence_required,
                )
            )
    MilestoneItem.objects.bulk_create(new)
    if new and PesantrenLevel.objects.filter(programme=programme).exists():
        # New items can hold back a pesantren that had reached their level.
        levels_recompute(actor=None, programme=programme)
    return len(new)
