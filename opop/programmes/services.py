"""Every write to a programme's settings. Each takes the acting user first, runs in a
transaction, validates fully before saving and leaves an audit row."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from opop.common.audit import audit_record, diff, snapshot
from opop.common.models import AuditEvent
from opop.programmes.models import (
    Indicator,
    Partner,
    PartnerAgreement,
    Programme,
    ProgrammeYear,
    YearlyTarget,
)

PROGRAMME_FIELDS = ("name", "legal_basis", "legal_basis_date")


def _assign(instance, data: dict[str, Any], allowed: tuple[str, ...] | None = None) -> None:
    for name, value in data.items():
        if allowed is not None and name not in allowed:
            raise ValueError(f"{name} cannot be changed here")
        setattr(instance, name, value)


def _save(instance, *, actor, programme_id: int, before: dict | None, created: bool):
    instance.full_clean()
    instance.save()
    changes = diff(before or {}, snapshot(instance))
    if created or changes:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            instance=instance,
            programme_id=programme_id,
            changes=changes,
        )
    return instance


@transaction.atomic
def programme_update(*, actor, programme: Programme, data: dict[str, Any]) -> Programme:
    """The programme's name and legal basis (Pergub number and date)."""
    before = snapshot(programme)
    _assign(programme, data, PROGRAMME_FIELDS)
    return _save(programme, actor=actor, programme_id=programme.pk, before=before, created=False)


@transaction.atomic
def programme_year_save(
    *, actor, programme: Programme, data: dict[str, Any], instance: ProgrammeYear | None = None
) -> ProgrammeYear:
    before = snapshot(instance) if instance else None
    year = instance or ProgrammeYear(programme=programme)
    _assign(year, data, ("year", "budget", "notes"))
    if year.budget is not None and year.budget < 0:
        raise ValidationError({"budget": _("The budget cannot be negative.")})
    clash = ProgrammeYear.objects.filter(programme=programme, year=year.year).exclude(pk=year.pk)
    if clash.exists():
        raise ValidationError(
            {"year": _("%(year)s is already a year of this programme.") % {"year": year.year}}
        )
    return _save(
        year, actor=actor, programme_id=programme.pk, before=before, created=instance is None
    )


@transaction.atomic
def indicator_create(*, actor, programme: Programme, data: dict[str, Any]) -> Indicator:
    indicator = Indicator(programme=programme)
    _assign(indicator, data, ("code", "name", "pillar", "unit", "overall_target", "position"))
    if Indicator.objects.filter(programme=programme, code=indicator.code).exists():
        raise ValidationError({"code": _("This code is already used by another indicator.")})
    if (
        indicator.pillar
        and Indicator.objects.filter(programme=programme, pillar=indicator.pillar).exists()
    ):
        # The dashboard counts each pillar against one indicator's targets.
        raise ValidationError({"pillar": _("This pillar already has an indicator.")})
    if not indicator.position:
        indicator.position = Indicator.objects.filter(programme=programme).count() + 1
    return _save(indicator, actor=actor, programme_id=programme.pk, before=None, created=True)


@transaction.atomic
def indicator_targets_save(
    *, actor, programme: Programme, indicators: dict[int, dict[str, Any]]
) -> list[Indicator]:
    """Names, overall targets and the yearly breakdown of the programme's indicators.

    `indicators` maps an indicator id to {"name", "overall_target", "targets": {year: n}}; a
    yearly target of None removes it. One audit row per indicator that changed.
    """
    found = {
        ind.pk: ind
        for ind in Indicator.objects.select_for_update()
        .filter(programme=programme, pk__in=list(indicators))
        .prefetch_related("targets")
    }
    if set(found) != set(indicators):
        raise ValidationError(_("An indicator is not part of this programme."))
    saved = []
    for pk, values in indicators.items():
        indicator = found[pk]
        before = snapshot(indicator, ["name", "overall_target"])
        _assign(
            indicator,
            {k: v for k, v in values.items() if k != "targets"},
            ("name", "overall_target"),
        )
        indicator.full_clean()
        changes = diff(before, snapshot(indicator, ["name", "overall_target"]))
        if changes:
            indicator.save(update_fields=["name", "overall_target"])
        changes.update(_yearly_targets_save(indicator, values.get("targets", {})))
        if changes:
            audit_record(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                instance=indicator,
                programme_id=programme.pk,
                changes=changes,
            )
        saved.append(indicator)
    return saved


def _yearly_targets_save(indicator: Indicator, targets: dict[int, int | None]) -> dict:
    existing = {t.year: t for t in indicator.targets.all()}
    changes = {}
    for year, value in sorted(targets.items()):
        current = existing.get(year)
        old = current.target if current else None
        if value == old:
            continue
        if value is None:
            current.delete()
        else:
            target = current or YearlyTarget(indicator=indicator, year=year)
            target.target = value
            target.full_clean()
            target.save()
        changes[f"target {year}"] = [old, value]
    return changes


@transaction.atomic
def partner_save(
    *, actor, programme: Programme, data: dict[str, Any], instance: Partner | None = None
) -> Partner:
    before = snapshot(instance) if instance else None
    partner = instance or Partner(programme=programme)
    _assign(
        partner,
        data,
        ("name", "kind", "contact_name", "contact_email", "contact_phone", "contribution"),
    )
    clash = Partner.objects.filter(programme=programme, name__iexact=partner.name).exclude(
        pk=partner.pk
    )
    if clash.exists():
        raise ValidationError({"name": _("A partner with this name is already registered.")})
    return _save(
        partner, actor=actor, programme_id=programme.pk, before=before, created=instance is None
    )


@transaction.atomic
def agreement_save(
    *, actor, partner: Partner, data: dict[str, Any], instance: PartnerAgreement | None = None
) -> PartnerAgreement:
    before = snapshot(instance) if instance else None
    agreement = instance or PartnerAgreement(partner=partner)
    _assign(agreement, data, ("number", "title", "scope", "signed_on", "starts_on", "ends_on"))
    if agreement.ends_on and agreement.starts_on and agreement.ends_on < agreement.starts_on:
        raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})
    return _save(
        agreement,
        actor=actor,
        programme_id=partner.programme_id,
        before=before,
        created=instance is None,
    )
