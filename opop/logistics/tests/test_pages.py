import io

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from opop.logistics import services
from opop.logistics.models import PostAgent, Shipment, Tariff
from opop.logistics.tests.helpers import agent, order, tariff, xlsx

pytestmark = pytest.mark.django_db

TARIFF_URLS = ["tariff_list", "tariff_create", "tariff_import", "tariff_export"]
NOT_ADMINS = ["officer", "facilitator", "manager_a", "participant", "buyer", "auditor", "outsider"]


def url(name, *args):
    return reverse(f"logistics:{name}", args=args)


def sheet(response):
    return CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)


# --- Tariffs ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", TARIFF_URLS)
@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_tariff_pages_refuse_everyone_but_the_admin(world, name, persona):
    assert world.client(persona).get(url(name)).status_code == 403


@pytest.mark.parametrize("name", TARIFF_URLS)
def test_tariff_pages_send_anonymous_visitors_to_log_in(world, name):
    assert world.client("anonymous").get(url(name)).status_code == 302


def test_admin_lists_and_filters_tariffs(world):
    jombang = tariff(world.jatim, destination="35.17")
    sidoarjo = tariff(world.jatim, destination="35.15")
    client = world.client("admin")
    page = client.get(url("tariff_list")).content.decode()
    assert url("tariff_edit", jombang.pk) in page and url("tariff_edit", sidoarjo.pk) in page
    filtered = client.get(url("tariff_list"), {"destination": "35.15"}).content.decode()
    assert url("tariff_edit", sidoarjo.pk) in filtered
    assert url("tariff_edit", jombang.pk) not in filtered


def test_another_programmes_admin_sees_and_edits_none_of_them(world):
    item = tariff(world.jatim)
    client = world.client("kalsel_admin")
    assert url("tariff_edit", item.pk) not in client.get(url("tariff_list")).content.decode()
    assert client.get(url("tariff_edit", item.pk)).status_code == 404
    assert client.post(url("tariff_edit", item.pk), {"first_kg": 1}).status_code == 404
    assert sheet(client.get(url("tariff_export"))).to_python()[1:] == []


def test_admin_adds_and_edits_a_tariff(world):
    client = world.client("admin")
    data = {"origin": "35.78", "destination": "35.17", "first_kg": 9000, "next_kg": 4000, "days": 2}
    assert client.post(url("tariff_create"), data).status_code == 302
    item = Tariff.objects.get(programme=world.jatim)
    response = client.post(url("tariff_edit", item.pk), {**data, "first_kg": 9500})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.first_kg == 9500
    # The same route again is refused at the form, not doubled.
    again = client.post(url("tariff_create"), data)
    assert again.status_code == 200
    assert Tariff.objects.count() == 1


def test_import_page_checks_then_imports(world):
    client = world.client("admin")
    bad = xlsx([("35.78", "35.17", 9000, 4000, 2), ("99.99", "35.17", 9000, 4000, 2)])
    page = client.post(url("tariff_import"), {"file": bad, "action": "import"}).content.decode()
    assert 'id="import-errors"' in page and '<td data-label="Row">3</td>' in page
    assert not Tariff.objects.exists()
    good = xlsx([("35.78", "35.17", 9000, 4000, 2)])
    client.post(url("tariff_import"), {"file": good, "action": "check"})
    assert not Tariff.objects.exists()
    good = xlsx([("35.78", "35.17", 9000, 4000, 2)])
    client.post(url("tariff_import"), {"file": good, "action": "import"})
    assert Tariff.objects.count() == 1


def test_export_is_a_workbook_the_import_reads_back(world):
    tariff(world.jatim)
    response = world.client("admin").get(url("tariff_export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = sheet(response).to_python()
    assert rows[0][:5] == ["origin code", "destination code", "first kg", "next kg", "days"]
    assert rows[1][:2] == ["35.78", "35.17"]


# --- Post agents ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["facilitator", "participant", "buyer", "auditor", "outsider"])
def test_agent_list_refuses_roles_without_a_need(world, persona):
    assert world.client(persona).get(url("agent_list")).status_code == 403


@pytest.mark.parametrize("persona", ["officer", "manager_a", "buyer", "outsider"])
def test_only_the_admin_registers_agents(world, persona):
    client = world.client(persona)
    assert client.get(url("agent_create")).status_code == 403
    item = agent(world)
    assert client.post(url("agent_edit", item.pk), {"agent_code": "X"}).status_code == 403


def test_admin_registers_an_agent_with_the_pesantrens_kab_kota(world):
    client = world.client("admin")
    data = {"pesantren": world.pesantren_b.pk, "agent_code": "POS-611", "commission_bp": 1500}
    assert client.post(url("agent_create"), data).status_code == 302
    made = PostAgent.objects.get()
    assert (made.regency_id, made.commission_bp, made.is_active) == ("35.17", 1500, False)
    assert "POS-611" in client.get(url("agent_list")).content.decode()


def test_officer_reads_only_their_kab_kota(world):
    agent(world, world.pesantren_a, code="AGT-SBY")
    agent(world, world.pesantren_b, code="AGT-JBG")
    page = world.client("officer").get(url("agent_list")).content.decode()
    assert "AGT-SBY" in page and "AGT-JBG" not in page
    assert url("agent_create") not in page


def test_another_programmes_admin_sees_no_agent_of_ours(world):
    item = agent(world)
    client = world.client("kalsel_admin")
    assert item.agent_code not in client.get(url("agent_list")).content.decode()
    assert client.get(url("agent_edit", item.pk)).status_code == 404


# --- Commissions ------------------------------------------------------------------------------


@pytest.fixture
def shipped(world):
    """Agent A (10 %) with two shipments this month; agent B (15 %) with one."""
    agent(world, world.pesantren_a, code="AGT-A", commission_bp=1000)
    agent(world, world.pesantren_b, code="AGT-B", commission_bp=1500)
    for seller, fee in (
        (world.enterprise_a, 13000),
        (world.enterprise_a, 9000),
        (world.enterprise_b, 20001),
    ):
        services.shipment_create(actor=None, order=order(world, seller=seller, shipping_fee=fee))
    return timezone.localdate().strftime("%Y-%m")


def test_admin_sees_every_agents_commission(world, shipped):
    page = world.client("admin").get(url("commissions"), {"period": shipped}).content.decode()
    assert "AGT-A" in page and "AGT-B" in page
    assert "Rp22.000" in page and "Rp2.200" in page  # A: fees and 10 %
    assert "Rp3.000" in page  # B: 20,001 × 15 % = 3,000.15


def test_an_agent_manager_sees_only_their_own(world, shipped):
    page = world.client("manager_a").get(url("commissions"), {"period": shipped}).content.decode()
    assert "AGT-A" in page and "AGT-B" not in page


def test_another_month_counts_nothing(world, shipped):
    page = world.client("admin").get(url("commissions"), {"period": "2001-01"}).content.decode()
    assert "Rp22.000" not in page


def test_commission_export(world, shipped):
    response = world.client("admin").get(url("commissions"), {"period": shipped, "format": "xlsx"})
    rows = sheet(response).to_python()
    # Ordered by kab/kota code: Jombang (35.17) before Surabaya (35.78).
    assert [r[0] for r in rows[1:]] == ["AGT-B", "AGT-A"]
    assert [r[3:] for r in rows[1:]] == [[1, 20001, 1500, 3000], [2, 22000, 1000, 2200]]


@pytest.mark.parametrize(
    "persona", ["officer", "facilitator", "participant", "buyer", "auditor", "outsider"]
)
def test_commissions_refuse_other_roles(world, shipped, persona):
    assert world.client(persona).get(url("commissions")).status_code == 403


def test_a_manager_whose_pesantren_is_no_agent_is_refused(world):
    agent(world, world.pesantren_a)
    assert world.client("manager_b").get(url("commissions")).status_code == 403
    assert world.client("anonymous").get(url("commissions")).status_code == 302


def test_another_programmes_admin_sees_none_of_our_agents(world, shipped):
    page = world.client("kalsel_admin").get(url("commissions")).content.decode()
    assert "AGT-A" not in page


# --- Tracking ---------------------------------------------------------------------------------


@pytest.fixture
def parcel(world):
    return services.shipment_create(actor=None, order=order(world))


def test_tracking_is_public_and_shows_no_personal_data(world, parcel):
    response = world.client("anonymous").get(url("track", parcel.tracking_number))
    page = response.content.decode()
    assert response.status_code == 200
    assert "SIMULATOR" in page and "Kota Surabaya" in page and "Kabupaten Jombang" in page
    for secret in (
        "Budi Santoso",
        "+6281299887766",
        "Rahasia",
        "61471",
        parcel.order.number,
        world.user("buyer").email,
    ):
        assert secret not in page
    assert "advance" not in page


def test_unknown_tracking_number_is_404(world, parcel):
    assert world.client("anonymous").get(url("track", "OPOP0000000000")).status_code in (404,)


@pytest.mark.parametrize("persona", ["admin", "manager_a"])
def test_staff_and_seller_see_the_simulator_button(world, parcel, persona):
    page = world.client(persona).get(url("track", parcel.tracking_number)).content.decode()
    assert url("track_advance", parcel.tracking_number) in page


@pytest.mark.parametrize("persona", ["buyer", "manager_b", "officer", "kalsel_admin", "outsider"])
def test_others_cannot_advance_the_simulator(world, parcel, persona):
    client = world.client(persona)
    page = client.get(url("track", parcel.tracking_number)).content.decode()
    assert url("track_advance", parcel.tracking_number) not in page
    assert client.post(url("track_advance", parcel.tracking_number)).status_code == 403
    assert not parcel.events.exists()


def test_anonymous_cannot_advance(world, parcel):
    response = world.client("anonymous").post(url("track_advance", parcel.tracking_number))
    assert response.status_code == 302
    assert not parcel.events.exists()


def test_seller_advances_the_simulated_parcel(world, parcel):
    client = world.client("manager_a")
    response = client.post(url("track_advance", parcel.tracking_number), follow=True)
    assert response.status_code == 200
    parcel.refresh_from_db()
    assert parcel.status == Shipment.Status.PICKED_UP
    assert "Parcel handed to the post agent" in response.content.decode()
