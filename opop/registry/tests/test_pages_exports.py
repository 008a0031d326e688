"""Export .xlsx: the filtered rows, masked by the reader's role, formula-safe."""

import pytest

from opop.common.models import AuditEvent
from opop.registry.tests.pages import REGISTERS, url, xlsx_rows

pytestmark = pytest.mark.django_db


def column(rows, header):
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def test_manager_export_masks_nik_but_keeps_contact(world):
    rows = xlsx_rows(world.client("manager_a").get(url("person_export")))
    assert column(rows, "NIK") == ["3578••••••••0001"]
    # safe_cell prefixes every cell starting with "+" (E.164 phones too) with an apostrophe
    assert column(rows, "Phone") == ["'+6281234567890"]
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT_PII).exists()


def test_auditor_export_has_no_contact_columns(world):
    rows = xlsx_rows(world.client("auditor").get(url("person_export")))
    assert "Phone" not in rows[0] and "Address" not in rows[0] and "Birth date" not in rows[0]
    assert sorted(column(rows, "NIK")) == ["3517••••••••0002", "3578••••••••0001"]


def test_admin_export_has_clear_nik_and_is_audited(world):
    rows = xlsx_rows(world.client("admin").get(url("person_export"), {"regency": "35.78"}))
    assert column(rows, "NIK") == ["3578011508950001"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT_PII)
    assert event.actor == world.user("admin") and "regency=35.78" in event.note


def test_export_is_formula_safe(world):
    world.person_a.full_name = '=HYPERLINK("http://evil.example","x")'
    world.person_a.save()
    rows = xlsx_rows(world.client("manager_a").get(url("person_export")))
    assert column(rows, "Full name") == ['\'=HYPERLINK("http://evil.example","x")']


def test_export_follows_the_list_filters(world):
    rows = xlsx_rows(world.client("admin").get(url("enterprise_export"), {"q": "batik"}))
    assert column(rows, "Name") == ["Batik Darul Ulum"]


@pytest.mark.parametrize("register", REGISTERS)
def test_officer_export_holds_only_own_regency(world, register):
    rows = xlsx_rows(world.client("officer").get(url(f"{register}_export")))
    flat = " ".join(str(v) for row in rows for v in row)
    assert "Darul Ulum" not in flat and "Siti Aminah" not in flat
    assert len(rows) == 2


def test_list_links_to_export_with_same_filters(world):
    page = world.client("admin").get(url("person_list"), {"q": "ahmad"}).content.decode()
    assert f"{url('person_export')}?q=ahmad" in page
