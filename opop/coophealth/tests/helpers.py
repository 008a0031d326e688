import datetime as dt

from opop.coophealth.services import report_save
from opop.coophealth.status import this_year


def figures(year: int | None = None, **changes) -> dict:
    year = year or this_year() - 1
    data = {
        "members_total": 120,
        "members_women": 45,
        "own_capital": 150_000_000,
        "external_capital": 50_000_000,
        "business_volume": 900_000_000,
        "surplus": 35_000_000,
        "rat_date": dt.date(year + 1, 3, 15) if year < this_year() else dt.date(year, 1, 20),
        "assets": 260_000_000,
    }
    data.update(changes)
    return data


def file_report(world, coop=None, *, year: int | None = None, actor="admin", **changes):
    year = year or this_year() - 1
    return report_save(
        actor=world.user(actor),
        cooperative=coop or world.coop_a,
        year=year,
        data=figures(year, **changes),
    )
