"""The invoice PDF of one order (ReportLab): seller, buyer, lines and totals in Rupiah."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from opop.common.formatting import rupiah


def invoice_pdf(order) -> bytes:
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, title=order.number
    )
    checkout = order.checkout
    seller = order.seller
    when = timezone.localtime(order.paid_at or order.created_at).strftime("%d-%m-%Y")

    def p(text, style="Normal"):
        return Paragraph(escape(str(text)), styles[style])

    rows = [[_("Product"), _("Qty"), _("Unit price"), _("Total")]]
    for line in order.lines.all():
        rows.append(
            [
                p(line.product_name),
                f"{line.quantity} {line.unit}",
                rupiah(line.unit_price),
                rupiah(line.line_total),
            ]
        )
    rows += [
        ["", "", _("Subtotal"), rupiah(order.subtotal)],
        ["", "", _("Shipping"), rupiah(order.shipping_fee)],
        ["", "", _("Total"), rupiah(order.total)],
    ]
    table = Table(rows, colWidths=[80 * mm, 25 * mm, 35 * mm, 35 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f3ec")),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.grey),
                ("LINEABOVE", (2, -3), (-1, -3), 0.5, colors.grey),
                ("FONTNAME", (2, -1), (-1, -1), "Helvetica-Bold"),
            ]
        )
    )
    address = ", ".join(
        part
        for part in (
            checkout.street,
            checkout.district.name if checkout.district_id else "",
            checkout.regency.name if checkout.regency_id else "",
            checkout.postal_code,
        )
        if part
    )
    story = [
        p(_("OPOP Mart invoice"), "Title"),
        p(_("Order %(number)s · %(date)s") % {"number": order.number, "date": when}),
        Spacer(1, 6 * mm),
        p(_("Seller"), "Heading3"),
        p(seller.name),
        p(seller.regency.name if seller.regency_id else ""),
        Spacer(1, 4 * mm),
        p(_("Buyer"), "Heading3"),
        p(checkout.recipient or order.buyer.full_name),
        p(address),
        Spacer(1, 6 * mm),
        table,
        Spacer(1, 6 * mm),
        p(_("Status: %(status)s") % {"status": order.get_status_display()}),
        p(_("Delivery: %(delivery)s") % {"delivery": order.get_delivery_display()}),
    ]
    doc.build(story)
    return buffer.getvalue()
