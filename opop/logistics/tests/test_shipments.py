import re
import sys
import types

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone

from opop.logistics import services
from opop.logistics.gateways import get_gateway
from opop.logistics.gateways.simulator import simulator_advance
from opop.logistics.models import Shipment, ShipmentEvent
from opop.logistics.tests.helpers import agent, order
from opop.mart.models import Order

pytestmark = pytest.mark.django_db
Status = Shipment.Status


@pytest.fixture
def transitions(monkeypatch):
    """Stand in for `order_transition` (written by another helper): record each call."""
    calls = []

    def fake(*, actor, order, to_status, note=""):
        calls.append((actor, order.pk, str(to_status), note))
        Order.objects.filter(pk=order.pk).update(status=to_status)
        return Order.objects.get(pk=order.pk)

    module = types.ModuleType("opop.mart.services.orders")
    module.order_transition = fake
    monkeypatch.setitem(sys.modules, "opop.mart.services.orders", module)
    import opop.mart.services as package

    monkeypatch.setattr(package, "orders", module, raising=False)
    return calls


def create(world, made):
    return services.shipment_create(actor=world.user("manager_a"), order=made)


def test_shipment_books_a_tracking_number_and_records_the_orders_fee(world):
    made = order(world, shipping_fee=13000, weight_grams=1200, quantity=2)
    shipment = create(world, made)
    assert re.fullmatch(r"OPOP\d{10}", shipment.tracking_number)
    assert shipment.fee == 13000
    assert shipment.weight_grams == 1200
    assert shipment.provider == "simulator"
    assert shipment.status == Status.CREATED


def test_a_second_call_returns_the_same_shipment(world):
    made = order(world)
    first = create(world, made)
    assert create(world, made).pk == first.pk
    assert Shipment.objects.count() == 1


def test_tracking_numbers_are_unique(world):
    numbers = {create(world, order(world)).tracking_number for _ in range(5)}
    assert len(numbers) == 5


@pytest.mark.parametrize("status", ["awaiting", "shipped", "delivered", "cancelled"])
def test_only_paid_or_packed_orders_are_shipped(world, status):
    with pytest.raises(ValidationError):
        create(world, order(world, status=status))
    assert not Shipment.objects.exists()


def test_pickup_orders_are_not_shipped(world):
    with pytest.raises(ValidationError):
        create(world, order(world, delivery=Order.Delivery.PICKUP))


def test_packed_order_is_shipped(world):
    assert create(world, order(world, status=Order.Status.PACKED)).pk


def test_agent_is_the_sellers_own_pesantren(world):
    other = agent(world, world.pesantren_b, code="AGT-B")
    own = agent(world, world.pesantren_a, code="AGT-A")
    assert create(world, order(world)).agent == own
    # enterprise_b's pesantren is its owner's (pesantren_b).
    assert create(world, order(world, seller=world.enterprise_b)).agent == other


def test_agent_falls_back_to_one_in_the_sellers_kab_kota_else_none(world):
    from opop.registry.models import Pesantren

    neighbour = Pesantren.objects.create(
        programme=world.jatim, name="PP Tetangga", regency_id="35.78"
    )
    near = agent(world, neighbour, code="AGT-N")
    assert create(world, order(world)).agent == near
    assert create(world, order(world, seller=world.enterprise_b)).agent is None


def test_inactive_own_agent_is_not_used(world):
    agent(world, world.pesantren_a, code="AGT-A", is_active=False)
    assert create(world, order(world)).agent is None


def record(shipment, status, external_id, **extra):
    return services.shipment_event_record(
        shipment=shipment,
        status=status,
        description=extra.pop("description", "event"),
        at=timezone.now(),
        external_id=external_id,
        **extra,
    )


def test_events_are_recorded_once_by_external_id(world, transitions):
    shipment = create(world, order(world))
    first = record(shipment, Status.PICKED_UP, "ev-1")
    again = record(shipment, Status.PICKED_UP, "ev-1")
    assert again.pk == first.pk
    assert ShipmentEvent.objects.count() == 1
    shipment.refresh_from_db()
    assert shipment.status == Status.PICKED_UP


def test_a_late_event_does_not_move_the_shipment_back(world, transitions):
    shipment = create(world, order(world))
    record(shipment, Status.IN_TRANSIT, "ev-2")
    record(shipment, Status.PICKED_UP, "ev-1")
    shipment.refresh_from_db()
    assert shipment.status == Status.IN_TRANSIT
    assert shipment.events.count() == 2


def test_an_external_id_of_another_shipment_is_refused(world, transitions):
    one, two = create(world, order(world)), create(world, order(world))
    record(one, Status.PICKED_UP, "ev-1")
    with pytest.raises(ValidationError):
        record(two, Status.PICKED_UP, "ev-1")


def test_delivered_moves_a_shipped_order_to_delivered_once(world, transitions):
    made = order(world)
    shipment = create(world, made)
    Order.objects.filter(pk=made.pk).update(status=Order.Status.SHIPPED)
    record(shipment, Status.DELIVERED, "ev-3")
    record(shipment, Status.DELIVERED, "ev-3")
    assert len(transitions) == 1
    actor, order_pk, to_status, note = transitions[0]
    assert (actor, order_pk, to_status) == (None, made.pk, "delivered")
    assert shipment.tracking_number in note


def test_delivered_leaves_an_order_already_received_alone(world, transitions):
    made = order(world)
    shipment = create(world, made)
    Order.objects.filter(pk=made.pk).update(status=Order.Status.COMPLETED)
    record(shipment, Status.DELIVERED, "ev-3")
    assert transitions == []


def test_simulator_walks_picked_up_in_transit_delivered(world, transitions):
    made = order(world)
    shipment = create(world, made)
    Order.objects.filter(pk=made.pk).update(status=Order.Status.SHIPPED)
    seen = []
    while (event := simulator_advance(shipment)) is not None:
        seen.append(event.status)
        shipment.refresh_from_db()
    assert seen == [Status.PICKED_UP, Status.IN_TRANSIT, Status.DELIVERED]
    assert [e.external_id for e in shipment.events.all()] == [
        f"SIM-{shipment.tracking_number}-{n}" for n in (1, 2, 3)
    ]
    assert shipment.events.last().location == "Kabupaten Jombang"
    assert len(transitions) == 1
    tracked = get_gateway().track(shipment.tracking_number)
    assert [e.status for e in tracked] == seen
    assert services.shipment_sync(shipment=shipment) == 0


def test_simulator_double_click_records_one_step(world, transitions):
    shipment = create(world, order(world))
    stale = Shipment.objects.get(pk=shipment.pk)
    simulator_advance(shipment)
    simulator_advance(stale)  # a second click from a page loaded before the first
    assert shipment.events.count() == 1


def test_unknown_gateway_setting_is_refused(settings):
    settings.POST_GATEWAY = "pos-indonesia"
    with pytest.raises(ImproperlyConfigured):
        get_gateway()


def test_the_post_picking_up_a_packed_order_ships_it(world, transitions):
    made = order(world, status=Order.Status.PACKED)
    shipment = create(world, made)
    record(shipment, Status.PICKED_UP, "ev-1")
    record(shipment, Status.IN_TRANSIT, "ev-2")
    assert [t[2] for t in transitions] == ["shipped"]
    record(shipment, Status.DELIVERED, "ev-3")
    assert [(t[0], t[2]) for t in transitions] == [(None, "shipped"), (None, "delivered")]


def test_a_paid_order_is_left_for_the_seller_to_pack(world, transitions):
    shipment = create(world, order(world, status=Order.Status.PAID))
    record(shipment, Status.PICKED_UP, "ev-1")
    assert transitions == []


def test_delivered_through_the_real_order_state_machine(world):
    from opop.mart.models import OrderEvent

    made = order(world, status=Order.Status.PACKED)
    shipment = create(world, made)
    while simulator_advance(shipment) is not None:
        shipment.refresh_from_db()
    made.refresh_from_db()
    assert made.status == Order.Status.DELIVERED
    assert list(OrderEvent.objects.filter(order=made).values_list("status", "actor")) == [
        ("shipped", None),
        ("delivered", None),
    ]
