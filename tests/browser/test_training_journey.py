"""A training from invitation to a certificate verified by its QR (issue 5, point 9), through the
real pages at phone width (390 px).

A partner (who `organises_training`) creates a training programme and a session and invites the
people it targets; the participant accepts on their phone and shows their check-in code; the
organiser opens the check-in page on their phone, where the camera reader is offered, and checks
the participant in by the typed code (the camera path posts the same form: headless Chromium has
no camera and no BarcodeDetector, so a second test drives that path with both stubbed). Scores
are recorded, certificates issued and the PDF downloaded; the verification URL is read from the
PDF and checked against its QR image (re-encoded with segno, the app's own QR library: no QR
decoder is installed), then opened in a fresh, anonymous browser: valid, with the participant's
name, the training and its date and nothing private. Revoked, the same URL says so; an unknown
code shows "not valid".

Only the persona world (and, for the camera test, its session) is set up through the ORM."""

import base64
import datetime as dt
import os
import re
import zlib
from pathlib import Path

import pytest
import segno
from django.utils import timezone, translation
from django.utils.translation import gettext

from opop.common.testing.personas import PASSWORD, build_world
from opop.training import services
from opop.training.models import Certificate, Enrolment, Session, Training
from opop.training.tests.helpers import make_session
from tests.browser.conftest import click_and_wait, log_in, open_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORGANISER = "partner@test.opop.id"
PARTICIPANT = "participant@test.opop.id"
TITLE = "Pembukuan koperasi untuk santri"
SHOTS = os.environ.get("OPOP_BROWSER_ARTIFACTS")


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"training-{name}.png"), full_page=True)


def _id(text: str) -> str:
    with translation.override("id"):
        return gettext(text)


# --- reading the certificate PDF ---------------------------------------------------------------


def _pdf_streams(pdf: bytes):
    """(dictionary, decoded data) of every stream of a ReportLab PDF (ASCII85 + Flate)."""
    for match in re.finditer(rb"\n\d+ 0 obj\s*(.*?)endobj", pdf, re.S):
        head, found, rest = match.group(1).partition(b"stream")
        if not found:
            continue
        data = rest.lstrip(b"\r\n").rsplit(b"endstream", 1)[0]
        for name in re.findall(rb"/(ASCII85Decode|FlateDecode)", head):
            if name == b"ASCII85Decode":
                data = base64.a85decode(data.strip().removesuffix(b"~>"))
            else:
                data = zlib.decompress(data)
        yield head, data


def _verify_url_in_text(pdf: bytes) -> str:
    urls = {
        url.decode()
        for _, data in _pdf_streams(pdf)
        for url in re.findall(rb"https?://[^\s()]+/training/verify/[^\s()/]+/", data)
    }
    assert len(urls) == 1, urls
    return urls.pop()


def _modules(pixels: bytes, width: int, height: int, size: int) -> list[list[bool]]:
    """The dark/light modules of a QR image of `size` × `size` modules, sampled at their
    centres. The top-left module is dark in every QR symbol (finder pattern): it gives the quiet
    zone; the module size follows from the symbol filling the rest of the image."""
    channels = len(pixels) // (width * height)

    def dark(x: int, y: int) -> bool:
        return pixels[(y * width + x) * channels] < 128

    offset = next(i for i in range(min(width, height)) if dark(i, i))
    module = (width - 2 * offset) / size
    return [
        [
            dark(int(offset + (c + 0.5) * module), int(offset + (r + 0.5) * module))
            for c in range(size)
        ]
        for r in range(size)
    ]


def _qr_matches(pdf: bytes, url: str) -> bool:
    """Whether one of the PDF's images is the QR symbol of `url`, compared module by module with
    segno's matrix for the URL (the settings the app uses)."""
    want = [[bool(v) for v in row] for row in segno.make(url, error="m").matrix]
    for head, pixels in _pdf_streams(pdf):
        if b"/Subtype /Image" not in head:
            continue
        width = int(re.search(rb"/Width (\d+)", head).group(1))
        height = int(re.search(rb"/Height (\d+)", head).group(1))
        if _modules(pixels, width, height, len(want)) == want:
            return True
    return False


def _download(page, link) -> bytes:
    with page.expect_download() as info:
        link.click()
    return Path(info.value.path()).read_bytes()


# --- the journey --------------------------------------------------------------------------------


def test_training_checkin_certificate_and_public_verification(
    page, new_phone, live_server, settings
):
    settings.SITE_URL = live_server.url  # the URL printed in the PDF and its QR
    page.set_default_timeout(60_000)  # a shared, busy machine
    world = build_world()
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)

    # The organiser (a partner) sets up a training programme and a session, from the menu.
    log_in(page, live_server, ORGANISER, PASSWORD)
    open_menu(page, "/training/organise/")
    click_and_wait(page, "a[href='/training/organise/trainings/new/']")
    page.select_option("select[name=kind]", Training.Kind.SANTRI_CAMP)
    page.fill("input[name=name]", "Santri OPOP Camp")
    page.fill("input[name=year]", str(today.year))
    page.fill("input[name=organiser_name]", "Universitas Airlangga")
    click_and_wait(page, "main form button.btn-success")
    training = Training.objects.get(name="Santri OPOP Camp")
    click_and_wait(page, "a[href='/training/organise/sessions/new/']")
    page.select_option("select[name=training]", str(training.pk))
    page.fill("input[name=title]", TITLE)
    page.fill("input[name=starts_at]", f"{today.isoformat()}T08:00")
    page.fill("input[name=ends_at]", f"{tomorrow.isoformat()}T15:00")  # a two-day camp
    page.fill("input[name=place]", "Aula Pondok Pesantren Al-Hikmah")
    page.fill("input[name=capacity]", "30")
    assert page.is_checked("input[name=uses_tests]")
    click_and_wait(page, "main form button.btn-success")
    session = Session.objects.get(title=TITLE)
    assert page.url.endswith(f"/training/organise/sessions/{session.pk}/")

    # ... and invites everyone the session targets (no criteria: the programme's people).
    click_and_wait(page, f"a[href='/training/organise/sessions/{session.pk}/invite/']")
    click_and_wait(page, "main form[method=post]:not([action]) button")
    assert session.enrolments.filter(status=Enrolment.Status.INVITED).count() == 2

    # The participant accepts on their own phone and shows the code at the door.
    phone = new_phone()
    log_in(phone, live_server, PARTICIPANT, PASSWORD)
    open_menu(phone, "/training/my/")
    enrolment = Enrolment.objects.get(session=session, person=world.person_a)
    click_and_wait(phone, f"a[href='/training/my/{enrolment.pk}/']")
    click_and_wait(phone, "button[name=action][value=accept]")
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED
    assert phone.locator("#checkin-qr svg").count() == 1
    shown = phone.locator("#checkin-qr + p.font-monospace").inner_text().strip()
    assert shown.replace("-", "") == enrolment.checkin_code
    _shot(phone, "participant-code")

    # The organiser checks them in on a phone: the camera reader is offered; the code is typed.
    open_menu(page, "/training/organise/")
    click_and_wait(page, f".list-group a[href='/training/organise/sessions/{session.pk}/']")
    click_and_wait(page, f"a[href='/training/organise/sessions/{session.pk}/checkin/']")
    assert page.viewport_size["width"] == 390
    assert page.locator("video#camera-video[playsinline]").count() == 1
    # Headless Chromium has no BarcodeDetector: the page says so and leaves the typed code.
    page.wait_for_selector("#camera-unavailable:not([hidden]), #camera:not([hidden])")
    page.fill("input[name=code]", shown.lower())  # as typed: lower case, with the dashes
    click_and_wait(page, "#checkin-form button")
    result = page.locator("#checkin-result")
    assert "alert-success" in result.get_attribute("class")
    assert "Ahmad Fauzi" in result.inner_text()
    assert page.locator("#checkin-count").inner_text().startswith("1 ")
    _shot(page, "checkin")
    page.fill("input[name=code]", shown)  # a second reading changes nothing
    click_and_wait(page, "#checkin-form button")
    assert "alert-info" in page.locator("#checkin-result").get_attribute("class")
    first = Enrolment.objects.get(pk=enrolment.pk).checked_in_at
    assert first is not None

    # Back on the session: pre/post-test scores, then the certificates.
    click_and_wait(page, f"a[href='/training/organise/sessions/{session.pk}/']")
    page.fill(f"input[name=pre_{enrolment.pk}]", "45")
    page.fill(f"input[name=post_{enrolment.pk}]", "88")
    click_and_wait(page, f"form[action$='/sessions/{session.pk}/scores/'] > button")
    enrolment.refresh_from_db()
    assert (enrolment.pre_score, enrolment.post_score, enrolment.checked_in_at) == (45, 88, first)
    click_and_wait(page, f"form[action$='/sessions/{session.pk}/certificates/'] button")
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert (
        Enrolment.objects.get(session=session, person=world.person_b).status
        == Enrolment.Status.INVITED
    )
    _shot(page, "session")
    pdf = _download(page, page.locator(f"a[href='/training/certificates/{certificate.pk}.pdf']"))
    assert pdf.startswith(b"%PDF") and len(pdf) > 3_000

    # The holder downloads it too, from their own page.
    phone.reload()
    phone.wait_for_load_state("networkidle")
    own = _download(phone, phone.locator(f"a[href='/training/certificates/{certificate.pk}.pdf']"))
    assert own.startswith(b"%PDF") and len(own) > 3_000

    # The QR's target, read from the PDF: printed under the QR, and the QR image encodes it.
    url = _verify_url_in_text(pdf)
    assert url == f"{live_server.url}/training/verify/{certificate.verify_code}/"
    assert _qr_matches(pdf, url)

    # Anyone scanning it, in a fresh browser with no session: valid, name, training, date.
    anonymous = new_phone()
    response = anonymous.goto(url)
    assert response.status == 200
    status = anonymous.locator("#verify-status")
    assert status.get_attribute("data-valid") == "1"
    assert status.inner_text().strip() == _id("This certificate is VALID.")
    _shot(anonymous, "verify-valid")
    text = anonymous.locator("main").inner_text()
    for shown_publicly in (
        "Ahmad Fauzi",
        TITLE,
        "Santri OPOP Camp",
        f"{today:%d-%m-%Y} – {tomorrow:%d-%m-%Y}",
        certificate.number,
    ):
        assert shown_publicly in text
    html = anonymous.content()
    person = world.person_a
    for private in (person.phone, person.email, person.address, "3578011508950001"):
        assert private not in html
    assert anonymous.locator("a[href='/accounts/logout/'], form[action$='/logout/']").count() == 0

    # The organiser revokes it; the same URL now says so.
    page.locator(
        f"details:has(form[action$='/certificates/{certificate.pk}/revoke/']) summary"
    ).click()
    page.fill(
        f"form[action$='/certificates/{certificate.pk}/revoke/'] input[name=reason]",
        "Data salah",
    )
    click_and_wait(page, f"form[action$='/certificates/{certificate.pk}/revoke/'] button")
    assert Certificate.objects.get(pk=certificate.pk).revoked_at is not None
    anonymous.reload()
    status = anonymous.locator("#verify-status")
    assert status.get_attribute("data-valid") == "0"
    assert status.inner_text().strip() == _id("This certificate has been REVOKED.")

    # A code that belongs to no certificate (forged, mistyped) is not valid either.
    response = anonymous.goto(f"{live_server.url}/training/verify/{certificate.verify_code}x/")
    assert response.status == 404
    status = anonymous.locator("#verify-status")
    assert status.get_attribute("data-valid") == "0"
    assert status.inner_text().strip() == _id("No certificate has this code: it is NOT VALID.")
    assert "Ahmad Fauzi" not in anonymous.content()
    _shot(anonymous, "verify-unknown")


# --- the camera path, with the camera and the QR reader stubbed ---------------------------------

# A canvas stream stands in for the camera; a BarcodeDetector stand-in "reads" the code the test
# puts in `window.__qr` (what a real detector returns as rawValue), so checkin.js's own camera
# branch runs: it shows the video, scans, fills the form and sends it.
CAMERA_STUB = """
(() => {
  class FakeDetector {
    constructor(options) { this.formats = (options || {}).formats || []; }
    static getSupportedFormats() { return Promise.resolve(["qr_code"]); }
    detect() {
      return Promise.resolve(window.__qr ? [{ rawValue: window.__qr, format: "qr_code" }] : []);
    }
  }
  window.BarcodeDetector = FakeDetector;
  const media = navigator.mediaDevices || {};
  media.getUserMedia = () => {
    const canvas = document.createElement("canvas");
    canvas.width = 64; canvas.height = 48;
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#888"; ctx.fillRect(0, 0, 64, 48);
    window.__cameraAsked = (window.__cameraAsked || 0) + 1;
    return Promise.resolve(canvas.captureStream(5));
  };
  if (!navigator.mediaDevices) {
    Object.defineProperty(navigator, "mediaDevices", { value: media });
  }
})();
"""


def test_checkin_camera_path_sends_the_code_it_reads(new_phone, live_server):
    world = build_world()
    session = make_session(world, regency="35.78")
    enrolment = services.organiser_enrol(
        actor=world.user("admin"), session=session, person=world.person_b
    )
    page = new_phone()
    page.add_init_script(CAMERA_STUB)
    log_in(page, live_server, "admin@test.opop.id", PASSWORD)
    page.goto(f"{live_server.url}/training/organise/sessions/{session.pk}/checkin/")
    page.wait_for_selector("#camera:not([hidden])")  # the camera view is shown
    assert page.locator("#camera-unavailable").is_hidden()
    assert page.evaluate("window.__cameraAsked") == 1
    with page.expect_navigation():
        page.evaluate("code => { window.__qr = code; }", enrolment.checkin_code)
    page.wait_for_load_state("networkidle")
    result = page.locator("#checkin-result")
    assert "alert-success" in result.get_attribute("class")
    assert "Siti Aminah" in result.inner_text()
    enrolment.refresh_from_db()
    assert enrolment.checked_in_at is not None
