"""The coaching dashboard (issue 5, point 8): trainings, certifications, grants, cooperatives,
levels, cooperative health and visits for one year, as one structure, plus one table by
kab/kota.

Each coaching app counts its own figures, scoped, in its `figures.py`; this module only calls
them, normalises their shapes and merges their by-kab/kota rows by regency code. The one count
made here is the cooperatives by legal status (one grouped query over the registry's
`cooperatives_visible_to`), plus the product certifications issued in the year by kab/kota (one
grouped query over the tracker's own scope, `tracks_in_scope`).

Which sections a reader gets follows each app's own rule (deny by default), so a section the
role may not read is left out (`None`), never an error:

- trainings: every dashboard reader; `opop.training.figures` scopes each role itself
  (partners organise trainings and see the programme's figures);
- product certifications: readers of the certification tracker (`reads_coaching`), and
  partners, who get the programme-wide counts as on `/dashboard/`;
- grants: the grants app's readers (`opop.grants.selectors.reads_any_grants`: admins,
  auditors, officers, cooperative managers);
- cooperatives by legal status and cooperative health: roles the registry shows cooperatives
  to (`cooperatives_visible_to`: not participants, not partners);
- levels: the milestones app's readers (`reads_milestones`), and partners, whom the milestones
  figures count programme-wide on purpose;
- visits: the visits app's readers (facilitators, supervisors, auditors).

Every figure is a grouped query or a count, so the number of queries does not depend on the
number of kab/kota.
"""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opop.accounts.access import Access
from opop.accounts.models import Role
from opop.certtracker import figures as certtracker_figures
from opop.certtracker.models import TrackStatus
from opop.coophealth import figures as coophealth_figures
from opop.dashboard.selectors import Scope
from opop.grants import figures as grants_figures
from opop.grants.selectors import reads_any_grants
from opop.milestones import figures as milestones_figures
from opop.milestones.models import Level
from opop.milestones.selectors import reads_milestones
from opop.regions.models import Region
from opop.regions.selectors import regencies_of
from opop.registry.models import Cooperative, RecordStatus
from opop.registry.selectors import cooperatives_visible_to
from opop.training import figures as training_figures
from opop.visits import figures as visits_figures

SECTIONS = ("training", "certifications", "grants", "cooperatives", "levels", "health", "visits")
# The level from which a pesantren counts in the table's "level 3+" column (self-reliant).
HIGH_LEVEL = Level.SELF_RELIANT
# The by-kab/kota table: (key, section it comes from, heading, whether it is Rupiah).
COLUMNS = [
    ("sessions", "training", gettext_lazy("Training sessions"), False),
    ("attendees", "training", gettext_lazy("Attendees"), False),
    ("training_certificates", "training", gettext_lazy("Training certificates"), False),
    ("certifications_issued", "certifications", gettext_lazy("Certifications issued"), False),
    ("grants_committed", "grants", gettext_lazy("Grants committed"), True),
    ("grants_disbursed", "grants", gettext_lazy("Grants disbursed"), True),
    ("cooperatives_incorporated", "cooperatives", gettext_lazy("Incorporated cooperatives"), False),
    ("pesantren_level_3_up", "levels", gettext_lazy("Pesantren at level 3+"), False),
    ("visits", "visits", gettext_lazy("Visits"), False),
]


def sections_for(access: Access) -> set[str]:
    """The sections `access` may read (see the module's docstring)."""
    if not access or not access.reads_dashboard:
        return set()
    partner = access.role == Role.PARTNER
    sees_cooperatives = access.reads_registry and access.role != Role.PARTICIPANT
    shown = {
        "training": True,
        "certifications": access.reads_coaching or partner,
        "grants": reads_any_grants(access),
        "cooperatives": sees_cooperatives,
        "levels": reads_milestones(access) or partner,
        "health": sees_cooperatives and access.reads_coaching,
        "visits": access.writes_visits or access.supervises_visits or access.role == Role.AUDITOR,
    }
    return {name for name, allowed in shown.items() if allowed}


def scope_of(access: Access) -> str:
    if access.is_programme_wide:
        return Scope.PROGRAMME
    if access.role == Role.OFFICER:
        return Scope.REGENCY
    return Scope.OWN


def coaching_figures(access: Access, *, year: int) -> dict:
    """Everything the coaching dashboard shows for `year`, within what `access` may see.

    Sections the role may not read are `None`; `columns` lists the table's columns that are
    filled (the others are `None` in every row). Plain values only, so the API returns it as
    JSON unchanged.
    """
    if not access or not access.reads_dashboard:
        raise PermissionError("no coaching dashboard for this access")
    allowed = sections_for(access)
    cells: dict[str | None, dict] = {}

    def add(code, key, value) -> None:
        row = cells.setdefault(code or None, {})  # "" (grants' unknown kab/kota) is None too
        row[key] = row.get(key, 0) + (value or 0)

    data: dict = {"year": year, "scope": scope_of(access)}
    for section in SECTIONS:
        data[section] = _SECTION_FIGURES[section](access, year, add) if section in allowed else None

    columns = [key for key, section, _label, _money in COLUMNS if section in allowed]
    rows = _rows(access, data["scope"], cells, columns)
    data["columns"] = columns
    data["regencies"] = rows
    data["totals"] = {
        "code": None,
        "name": _("Total"),
        "label": _("Total"),
        **{
            key: sum(row[key] for row in rows) if key in columns else None
            for key, *_rest in COLUMNS
        },
    }
    data["regency_name"] = (
        next((row["name"] for row in rows if row["code"] == access.regency_code), None)
        if data["scope"] == Scope.REGENCY
        else None
    )
    return data


def _training(access, year, add) -> dict:
    figures = training_figures.dashboard_figures(access, year=year)
    for row in figures["by_regency"]:
        add(row["code"], "sessions", row["sessions"])
        add(row["code"], "attendees", row["attendees"])
        add(row["code"], "training_certificates", row["certificates"])
    return {
        "sessions": figures["sessions"],
        "attendees": figures["attendees"],
        "certificates": figures["certificates"],
    }


def _certifications(access, year, add) -> dict:
    figures = certtracker_figures.dashboard_figures(access, year=year)
    # The tracker gives the year's issued certificates as one total; by kab/kota from the same
    # scope and the same filter, so the table adds up to the headline.
    issued = (
        certtracker_figures.tracks_in_scope(access)
        .filter(status=TrackStatus.ISSUED, decided_on__year=year)
        .values_list("regency_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for code, n in issued:
        add(code, "certifications_issued", n)
    return {
        "issued_in_year": figures["issued_in_year"],
        "expiring_90_days": figures["expiring_90_days"],
        "current": figures["total"],
    }


def _grants(access, year, add) -> dict:
    figures = grants_figures.dashboard_figures(access, year=year)
    for row in figures["by_regency"]:
        add(row["code"], "grants_committed", row["committed_amount"])
        add(row["code"], "grants_disbursed", row["disbursed_amount"])
    return {
        "committed_count": figures["committed"]["count"],
        "committed_amount": figures["committed"]["amount"],
        "disbursed_count": figures["disbursed"]["count"],
        "disbursed_amount": figures["disbursed"]["amount"],
    }


def _cooperatives(access, year, add) -> dict:
    """Active cooperatives by legal status today (whatever the year), overall and by kab/kota:
    one grouped query."""
    by_status = dict.fromkeys(Cooperative.LegalStatus.values, 0)
    rows = (
        cooperatives_visible_to(access)
        .filter(status=RecordStatus.ACTIVE)
        .values_list("pesantren__regency_id", "legal_status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for code, legal_status, n in rows:
        by_status[legal_status] = by_status.get(legal_status, 0) + n
        add(code, "cooperatives_incorporated", 0)  # the kab/kota has cooperatives: a row
        if legal_status == Cooperative.LegalStatus.INCORPORATED:
            add(code, "cooperatives_incorporated", n)
    labels = dict(Cooperative.LegalStatus.choices)
    return {
        "total": sum(by_status.values()),
        "by_legal_status": [
            {"legal_status": code, "label": str(labels.get(code, code)), "count": n}
            for code, n in by_status.items()
        ],
    }


def _levels(access, year, add) -> dict:
    figures = milestones_figures.dashboard_figures(access, year=year)
    for row in figures["by_regency"]:
        high = sum(n for level, n in row["levels"].items() if int(level) >= HIGH_LEVEL)
        add(row["regency_code"], "pesantren_level_3_up", high)
    by_level = [
        {"level": row["level"], "label": row["name"], "pesantren": row["pesantren"]}
        for row in figures["levels"]
    ]
    return {
        "pesantren": figures["pesantren"],
        "level_3_up": sum(row["pesantren"] for row in by_level if row["level"] >= HIGH_LEVEL),
        "by_level": by_level,
        "level_ups_in_year": figures["level_ups_in_year"],
    }


def _health(access, year, add) -> dict:
    """Active / inactive / no report as of `year` (no table column: the table stays narrow)."""
    return dict(coophealth_figures.dashboard_figures(access, year=year)["cooperatives"])


def _visits(access, year, add) -> dict:
    figures = visits_figures.dashboard_figures(access, year=year)
    for cell in figures["visits_by_regency_month"]:
        add(cell["regency_code"], "visits", cell["visits"])
    return {
        "visits": figures["visits"],
        "waiting_review": figures["waiting_review"],
        "overdue_action_items": figures["overdue_action_items"],
    }


# Each section's figures: (access, year, add) -> the section's headline dict, its by-kab/kota
# cells passed to `add(code, column, value)`.
_SECTION_FIGURES = {
    "training": _training,
    "certifications": _certifications,
    "grants": _grants,
    "cooperatives": _cooperatives,
    "levels": _levels,
    "health": _health,
    "visits": _visits,
}


def _rows(access, scope: str, cells: dict, columns: list[str]) -> list[dict]:
    """One row per kab/kota, in Kemendagri order: the whole province for programme-wide
    readers (zeros included, as on `/dashboard/`), an officer's own kab/kota, otherwise the
    kab/kota the figures fall in. Figures without a kab/kota (online trainings, records whose
    kab/kota is unknown) get a row of their own last, so rows add up to the totals."""
    present = {code for code in cells if code}
    regions: list[tuple[str, str]] = []
    if scope == Scope.PROGRAMME:
        regions = list(regencies_of(access.programme.province_id).values_list("code", "name"))
    elif scope == Scope.REGENCY and access.regency_code:
        present.add(access.regency_code)
    missing = sorted(present - {code for code, _name in regions})
    if missing:
        regions += list(
            Region.objects.filter(code__in=missing).order_by("code").values_list("code", "name")
        )
        regions += [(code, code) for code in missing if code not in {c for c, _n in regions}]
    ordered = [(code, name, name.replace("Kabupaten ", "Kab. ", 1)) for code, name in regions]
    if None in cells:
        label = _("Online or kab/kota unknown")
        ordered.append((None, label, label))
    rows = []
    for code, name, label in ordered:
        figures = cells.get(code, {})
        rows.append(
            {
                "code": code,
                "name": name,
                "label": label,
                **{key: figures.get(key, 0) if key in columns else None for key, *_rest in COLUMNS},
            }
        )
    return rows
