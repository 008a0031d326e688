"""The certificate PDF (ReportLab, like opop/mart/invoice.py) with a QR code to the public
verification page, and the QR as inline SVG for pages."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer


def qr_svg(payload: str) -> str:
    if not payload:
        return ""
    return segno.make(payload, error="m").svg_inline(scale=5, border=2, omitsize=True)


def verify_url(certificate) -> str:
    path = reverse("training:verify", args=[certificate.verify_code])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def session_dates(session) -> str:
    start = timezone.localtime(session.starts_at).date()
    end = timezone.localtime(session.ends_at).date()
    fmt = "%d-%m-%Y"
    return start.strftime(fmt) if start == end else f"{start.strftime(fmt)} – {end.strftime(fmt)}"


def certificate_pdf(certificate) -> bytes:
    enrolment = certificate.enrolment
    session = enrolment.session
    training = session.training
    styles = getSampleStyleSheet()
    centred = ParagraphStyle(
        "centred", parent=styles["Normal"], alignment=1, fontSize=12, leading=16
    )
    big = ParagraphStyle("big", parent=styles["Title"], fontSize=26, leading=32)
    name = ParagraphStyle("name", parent=styles["Title"], fontSize=22, leading=28)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        topMargin=20 * mm,
        bottomMargin=15 * mm,
        title=certificate.number,
    )

    def p(text, style=centred):
        return Paragraph(escape(str(text)), style)

    qr = io.BytesIO()
    segno.make(verify_url(certificate), error="m").save(qr, kind="png", scale=6, border=2)
    qr.seek(0)
    story = [
        p(_("CERTIFICATE"), big),
        p(_("No. %(number)s") % {"number": certificate.number}),
        Spacer(1, 8 * mm),
        p(_("is awarded to")),
        p(enrolment.person.full_name, name),
        p(_("for taking part in")),
        p(f"{session.title}", styles["Heading2"]),
        p(f"{training.get_kind_display()} · {training.name}"),
        p(_("Organised by %(org)s") % {"org": training.organiser_name or training.programme.name}),
        p(session_dates(session)),
        Spacer(1, 6 * mm),
        Image(qr, width=32 * mm, height=32 * mm),
        p(_("Check this certificate: %(url)s") % {"url": verify_url(certificate)}),
    ]
    if certificate.revoked_at:
        story.insert(0, p(_("REVOKED"), big))
    doc.build(story)
    return buffer.getvalue()
