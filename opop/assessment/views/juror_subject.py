"""What a juror is shown of an entry: its subject without personal data, and, once the stage is
closed, the panel's scores without names.

A juror needs the product, the application's business and pesantren facts, or the enterprise,
to judge them; never anyone's NIK, phone, address, birth date or name beyond the application's
display name. The fields shown are listed here, explicitly, so that a new personal field on a
model never appears on a scoresheet by accident.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from opop.assessment import selectors
from opop.catalog.models import Product
from opop.common.formatting import rupiah, thousands
from opop.intake.models import Application
from opop.registry.models import Enterprise

# (field, how to show it) per subject model: nothing personal.
PRODUCT_FIELDS = ("category", "enterprise", "price", "unit", "weight_grams", "monthly_capacity")
APPLICATION_FIELDS = (
    "reference",
    "cohort",
    "regency",
    "pesantren_name",
    "nspp",
    "pesantren_kind",
    "founded_year",
    "cooperative_name",
    "cooperative_legal_status",
    "business_name",
    "business_sector",
    "business_started_year",
)
ENTERPRISE_FIELDS = ("sector", "pesantren", "started_year", "employees")


def _rows(instance, names) -> list[dict]:
    rows = []
    for name in names:
        field = instance._meta.get_field(name)
        if field.choices:
            value = getattr(instance, f"get_{name}_display")()
        elif name == "price":
            value = rupiah(instance.price)
        elif name in ("weight_grams", "monthly_capacity", "employees"):
            raw = getattr(instance, name)
            value = thousands(raw) if raw is not None else ""
        else:
            value = getattr(instance, name)
        if value not in (None, ""):
            rows.append({"label": field.verbose_name, "value": value})
    return rows


def subject_of(entry) -> dict:
    """The entry's subject as display rows: one query for the subject (two more, photos and
    certifications, for a product)."""
    subject = {
        "kind": "other",
        "name": entry.title,
        "rows": [],
        "description": "",
        "photos": [],
        "certifications": [],
        "pesantren": entry.pesantren.name if entry.pesantren_id else "",
        "regency": entry.regency.name if entry.regency_id else "",
    }
    if entry.product_id:
        product = Product.objects.select_related("enterprise", "category").get(pk=entry.product_id)
        subject.update(
            kind="product",
            name=product.name,
            rows=_rows(product, PRODUCT_FIELDS),
            description=product.description,
            photos=list(product.photos.all()),
            certifications=list(product.certifications.all()),
        )
    elif entry.application_id:
        application = Application.objects.select_related("cohort", "regency").get(
            pk=entry.application_id
        )
        subject.update(
            kind="application",
            name=application.display_name,
            rows=_rows(application, APPLICATION_FIELDS),
            description=application.business_description,
        )
    elif entry.enterprise_id:
        enterprise = Enterprise.objects.select_related("pesantren").get(pk=entry.enterprise_id)
        subject.update(
            kind="enterprise",
            name=enterprise.name,
            rows=_rows(enterprise, ENTERPRISE_FIELDS),
            description=enterprise.description,
        )
    return subject


def panel_scores(assignment, criteria, own_scores) -> dict | None:
    """The panel's scores of this entry, per criterion: yours first, then the others' labelled
    Juror 1, 2… in a fixed order (never by name); None while the selector keeps them sealed."""
    others = list(selectors.scores_visible_to_juror(assignment.juror, assignment.entry))
    if not others:
        return None
    sheets: dict[int, dict[int, Decimal]] = {}
    if assignment.submitted_at:
        sheets[assignment.pk] = {s.criterion_id: s.value for s in own_scores}
    for score in others:
        sheets.setdefault(score.assignment_id, {})[score.criterion_id] = score.value
    order = sorted(sheets, key=lambda pk: (pk != assignment.pk, pk))
    labels = []
    for pk in order:
        if pk == assignment.pk:
            labels.append(_("You"))
        else:
            labels.append(_("Juror %(n)s") % {"n": len(labels) + (assignment.pk not in sheets)})
    rows = []
    for criterion in criteria:
        values = [sheets[pk].get(criterion.pk) for pk in order]
        given = [v for v in values if v is not None]
        mean = sum(given, Decimal(0)) / len(given) if given else None
        rows.append({"criterion": criterion, "values": values, "mean": mean})
    return {"labels": labels, "rows": rows}
