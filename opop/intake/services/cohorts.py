"""Cohort writes: the yearly intake with its eligibility rules, and its quotas per kab/kota."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from opop.common.audit import audit_record, audit_saved, snapshot
from opop.common.models import AuditEvent
from opop.intake.models import Application, Cohort, CohortQuota, DocumentKind
from opop.regions.selectors import regencies_of

# Changing these once files exist would move them to another pillar or year under their feet.
FIXED_ONCE_USED = ("year", "pillar")


@transaction.atomic
def cohort_save(*, actor, programme, data: dict[str, Any], instance: Cohort | None = None):
    before = snapshot(instance) if instance else None
    cohort = instance or Cohort(programme=programme)
    for name, value in data.items():
        setattr(cohort, name, value)
    if cohort.programme_id != programme.pk:
        raise ValidationError(_("This cohort is not in this programme."))
    unknown = set(cohort.required_documents or []) - set(DocumentKind.values)
    if unknown:
        raise ValidationError({"required_documents": _("Unknown document kind.")})
    cohort.required_documents = [k for k in DocumentKind.values if k in cohort.required_documents]
    if instance is not None and cohort.applications.exists():
        errors = {
            name: _("Files were already sent to this cohort: this cannot change any more.")
            for name in FIXED_ONCE_USED
            if str(before[name]) != str(getattr(cohort, name))
        }
        if errors:
            raise ValidationError(errors)
    cohort.full_clean()
    cohort.save()
    audit_saved(cohort, actor=actor, before=before, programme_id=programme.pk)
    return cohort


@transaction.atomic
def cohort_quotas_save(*, actor, cohort: Cohort, quotas: dict[str, int | None]) -> Cohort:
    """Set the quota of each kab/kota given (`None`: no quota). Kab/kota not given keep theirs.

    A quota may not fall below the files already accepted in that kab/kota.
    """
    cohort = (
        Cohort.objects.select_for_update(of=("self",)).select_related("programme").get(pk=cohort.pk)
    )
    regencies = dict(regencies_of(cohort.programme.province_id).values_list("code", "name"))
    unknown = set(quotas) - set(regencies)
    if unknown:
        raise ValidationError(_("A kab/kota is not in this programme's province."))
    current = {q.regency_id: q for q in CohortQuota.objects.filter(cohort=cohort)}
    accepted = dict(
        cohort.applications.filter(status=Application.Status.ACCEPTED)
        .values_list("regency_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    errors, changes = {}, {}
    for code, quota in quotas.items():
        old = current.get(code)
        old_value = old.quota if old else None
        if quota == old_value:
            continue
        if quota is not None and quota < accepted.get(code, 0):
            errors[f"quota_{code}"] = _(
                "%(regency)s already has %(count)d accepted: the quota cannot be lower."
            ) % {"regency": regencies[code], "count": accepted[code]}
            continue
        changes[code] = [old_value, quota]
        if quota is None:
            old.delete()
            continue
        row = old or CohortQuota(cohort=cohort, regency_id=code)
        row.quota = quota
        row.full_clean()
        row.save()
    if errors:
        raise ValidationError(errors)
    if changes:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=cohort,
            programme_id=cohort.programme_id,
            changes={f"quota {code}": values for code, values in changes.items()},
            note="quotas",
        )
    return cohort
