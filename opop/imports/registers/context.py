"""The context an import job checks its rows in: the programme, the uploader's scope, and lookups
prepared once per job (kab/kota and kecamatan by name, pesantren by NSPP, cooperatives by NIB)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from opop.imports import cells
from opop.imports.cells import CellError
from opop.regions.selectors import district_lookup, regency_lookup
from opop.registry.models import Cooperative, Pesantren


@dataclass
class Context:
    programme: Any
    scope_regency: str | None  # an officer's kab/kota; None for programme-wide roles
    today: dt.date = field(default_factory=timezone.localdate)
    seen: dict[Any, int] = field(default_factory=dict)  # natural key -> first row number
    _regencies: dict[str, Any] = field(default_factory=dict)
    _districts: dict[tuple[str, str], Any] = field(default_factory=dict)
    _pesantren: dict[str, tuple[int, str]] | None = None
    _cooperatives: dict[str, tuple[int, int]] | None = None

    @property
    def province(self) -> str:
        return self.programme.province_id

    def regency(self, value) -> str:
        """A kab/kota of the programme's province from what was typed: code `35.17`, `Kab.
        Jombang`, `Kabupaten Jombang`, `KOTA SURABAYA`, `Jombang`; ambiguous names refused."""
        found = self._regencies.get(value)
        if found is None:
            raw = cells.text(value)
            codes = regency_lookup(self.province, raw)
            if len(codes) == 1:
                found = codes[0]
            elif not codes:
                found = CellError(
                    _("%(value)s is not a kabupaten/kota of this programme's province.")
                    % {"value": raw[:60]}
                )
            else:
                found = CellError(
                    _(
                        "%(value)s may be Kabupaten %(value)s or Kota %(value)s: write "
                        "'Kab. %(value)s' or 'Kota %(value)s'."
                    )
                    % {"value": raw[:60]}
                )
            self._regencies[value] = found
        if isinstance(found, CellError):
            raise found
        return found

    def district(self, regency_code: str, value) -> str:
        raw = cells.text(value)
        key = (regency_code, raw)
        found = self._districts.get(key)
        if found is None:
            found = district_lookup(regency_code, raw) or CellError(
                _("%(value)s is not a kecamatan of this kabupaten/kota.") % {"value": raw[:60]}
            )
            self._districts[key] = found
        if isinstance(found, CellError):
            raise found
        return found

    def pesantren(self, nspp: str) -> tuple[int, str]:
        if self._pesantren is None:
            self._pesantren = {
                code: (pk, regency)
                for code, pk, regency in Pesantren.objects.filter(
                    programme=self.programme
                ).values_list("nspp", "id", "regency_id")
                if code
            }
        found = self._pesantren.get(nspp)
        if found is None:
            raise CellError(
                _("No pesantren with NSPP %(nspp)s in this programme: import the pesantren first.")
                % {"nspp": nspp}
            )
        return found

    def cooperative(self, nib: str) -> tuple[int, int]:
        if self._cooperatives is None:
            self._cooperatives = {
                code: (pk, pesantren)
                for code, pk, pesantren in Cooperative.objects.filter(
                    programme=self.programme
                ).values_list("nib", "id", "pesantren_id")
                if code
            }
        found = self._cooperatives.get(nib)
        if found is None:
            raise CellError(_("No cooperative with NIB %(nib)s in this programme.") % {"nib": nib})
        return found

    def outside_scope(self, regency_code: str | None) -> bool:
        return self.scope_regency is not None and regency_code != self.scope_regency

    def first_seen(self, key, number: int) -> int | None:
        """The earlier row holding the same natural key, or None (and remember this one)."""
        earlier = self.seen.get(key)
        if earlier is None:
            self.seen[key] = number
        return earlier
