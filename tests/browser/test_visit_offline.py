"""A facilitator's visit report written with no connection and sent later (issue 5, point 9),
through the real page at phone width: the report is kept on the phone (IndexedDB) while offline;
back online it is sent by itself; an answer lost on the way back leaves the report on the phone,
and "Send now" resends it without making a second visit; the list shows it once.

Only the persona world is set up through the ORM."""

import io
import time

import pytest
from PIL import Image

from opop.common.testing.personas import PASSWORD, build_world
from opop.visits.models import Visit
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FACILITATOR = "facilitator@test.opop.id"
NOTES = "Kemasan keripik perlu label halal; pengurus siap mendaftar."


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (30, 140, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def phone(browser, request):
    """A phone that allows the page to read its position (Surabaya)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="id-ID",
        permissions=["geolocation"],
        geolocation={"latitude": -7.2504, "longitude": 112.7688, "accuracy": 15},
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield context, page
    if getattr(request.node, "rep_call", None) and request.node.rep_call.failed:
        page.screenshot(path=f"/tmp/visit-{request.node.name}.png", full_page=True)
    context.close()


def _drafts_in_indexeddb(page) -> int:
    return page.evaluate(
        """() => new Promise((resolve, reject) => {
            const open = indexedDB.open("opop-visits", 1);
            open.onsuccess = () => {
                const req = open.result.transaction("drafts").objectStore("drafts").count();
                req.onsuccess = () => resolve(req.result);
                req.onerror = () => reject(req.error);
            };
            open.onerror = () => reject(open.error);
        })"""
    )


def _wait_for_visits(page, count: int, timeout: float = 10.0) -> None:
    # Waiting through Playwright, not time.sleep: route handlers run only while it has control.
    deadline = time.monotonic() + timeout
    while Visit.objects.count() != count:
        assert time.monotonic() < deadline, f"expected {count} visits"
        page.wait_for_timeout(100)


def test_visit_written_offline_is_sent_once_when_back_online(live_server, phone):
    world = build_world()
    context, page = phone
    log_in(page, live_server, FACILITATOR, PASSWORD)
    page.goto(f"{live_server.url}/visits/new/")
    page.wait_for_selector("#net-status[data-online='1']")

    # The signal goes: the page is already open and keeps working.
    context.set_offline(True)
    page.wait_for_selector("#net-status[data-online='0']")
    page.select_option("#pesantren", str(world.pesantren_a.pk))
    assert page.input_value("#visited_on")  # today, filled in by the page
    page.select_option("#purpose", "product")
    page.fill("#notes", NOTES)
    page.click("#read-location")
    page.wait_for_function("document.getElementById('latitude').value !== ''")
    assert "-7.25040" in page.text_content("#location-text")
    page.fill("#item-0-text", "Daftar sertifikasi halal self-declare")
    page.fill("#item-0-due_on", "2030-01-31")
    page.fill("#item-0-responsible", "Pengurus koperasi")
    page.set_input_files(
        "#photos", files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}]
    )
    page.click("#save-visit")
    page.wait_for_selector("#draft-list li")
    assert page.locator("#draft-list li").count() == 1
    assert world.pesantren_a.name in page.text_content("#draft-list li")
    assert _drafts_in_indexeddb(page) == 1
    page.screenshot(path="/tmp/visit-offline-draft.png", full_page=True)
    # The form is empty again, ready for the next report.
    assert page.input_value("#notes") == ""
    page.wait_for_timeout(300)
    assert Visit.objects.count() == 0

    # Back online, the report goes by itself; but its answer is lost on the way back.
    def lose_the_answer(route):
        route.fetch()  # the server receives the report...
        route.abort()  # ...the phone never hears back

    page.route("**/visits/new/", lose_the_answer)
    context.set_offline(False)
    _wait_for_visits(page, 1)
    page.wait_for_selector("#net-status[data-online='1']")
    page.unroute("**/visits/new/")
    assert page.locator("#draft-list li").count() == 1  # kept: the phone did not know
    assert _drafts_in_indexeddb(page) == 1

    # "Send now": the server answers with the report it already has; no second visit.
    page.click("#send-now")
    page.wait_for_selector("#sent-list li")
    page.wait_for_selector("#drafts-section", state="hidden")
    assert _drafts_in_indexeddb(page) == 0
    assert Visit.objects.count() == 1
    visit = Visit.objects.get()
    assert visit.pesantren == world.pesantren_a and visit.notes == NOTES
    assert visit.purpose == "product" and visit.status == Visit.Status.SUBMITTED
    assert visit.has_location and abs(float(visit.latitude) + 7.2504) < 0.0001
    assert visit.location_accuracy_m == 15 and visit.location_read_at is not None
    assert visit.photos.count() == 1
    assert [i.text for i in visit.action_items.all()] == ["Daftar sertifikasi halal self-declare"]

    # The list shows it once; its page shows the photo through the permission check.
    with page.expect_navigation():
        page.click("#sent-list li a")
    assert page.url.endswith(f"/visits/{visit.pk}/")
    assert page.locator("#visit-photos img").count() == 1
    # The photo loads (a broken image never reaches a width): wait for it rather than race it.
    page.wait_for_function("document.querySelector('#visit-photos img').naturalWidth > 0")
    page.goto(f"{live_server.url}/visits/")
    assert page.locator("#visit-list li").count() == 1
    assert world.pesantren_a.name in page.text_content("#visit-list")
