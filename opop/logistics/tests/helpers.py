"""Orders and tariffs for the logistics tests, built with the ORM (no checkout service needed)."""

from __future__ import annotations

import datetime as dt
import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from opop.logistics.models import PostAgent, Tariff
from opop.mart.models import Checkout, Order, OrderLine

_numbers = itertools.count(1)


def tariff(programme, origin="35.78", destination="35.17", first_kg=9000, next_kg=4000, days=2):
    return Tariff.objects.create(
        programme=programme,
        origin_id=origin,
        destination_id=destination,
        first_kg=first_kg,
        next_kg=next_kg,
        days=days,
    )


def agent(world, pesantren=None, code="AGT-001", commission_bp=1000, **extra):
    pesantren = pesantren or world.pesantren_a
    return PostAgent.objects.create(
        programme=pesantren.programme,
        pesantren=pesantren,
        regency_id=pesantren.regency_id,
        agent_code=code,
        commission_bp=commission_bp,
        **extra,
    )


def order(
    world,
    *,
    seller=None,
    status=Order.Status.PAID,
    delivery=Order.Delivery.POST,
    shipping_fee=13000,
    destination="35.17",
    buyer=None,
    weight_grams=1200,  # the line's weight (unit weight × quantity), as checkout copies it
    quantity=2,
) -> Order:
    n = next(_numbers)
    seller = seller or world.enterprise_a
    buyer = buyer or world.user("buyer")
    subtotal = 15000 * quantity
    checkout = Checkout.objects.create(
        programme=seller.programme,
        buyer=buyer,
        reference=f"CHK-T{n:06d}",
        idempotency_key=f"key-{n}",
        status=Checkout.Status.PAID,
        total=subtotal + shipping_fee,
        expires_at=timezone.now() + dt.timedelta(days=1),
        recipient="Budi Santoso",
        phone="+6281299887766",
        regency_id=destination,
        street="Jl. Rahasia No. 7",
        postal_code="61471",
    )
    made = Order.objects.create(
        programme=seller.programme,
        checkout=checkout,
        number=f"ORD-T{n:06d}",
        buyer=buyer,
        seller=seller,
        status=status,
        delivery=delivery,
        subtotal=subtotal,
        shipping_fee=shipping_fee,
        total=subtotal + shipping_fee,
        paid_at=timezone.now(),
    )
    OrderLine.objects.create(
        order=made,
        product_name="Keripik Singkong",
        unit="bungkus",
        unit_price=15000,
        quantity=quantity,
        weight_grams=weight_grams,
        line_total=15000 * quantity,
    )
    return made


def xlsx(rows, headers=("origin code", "destination code", "first kg", "next kg", "days")):
    workbook = Workbook()
    sheet = workbook.active
    if headers:
        sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(
        "tariffs.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
