"""A milestone journey through the real pages at phone width (390 px): the manager claims an
item with a scanned document, the admin verifies it from the queue, the pesantren moves up."""

import os
from pathlib import Path

import pytest

from opop.common.testing.personas import PASSWORD, build_world
from opop.milestones.models import PesantrenLevel
from opop.milestones.tests.helpers import PDF, item
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("OPOP_BROWSER_ARTIFACTS")


def _shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"milestones-{name}.png"), full_page=True)


def test_manager_claims_and_admin_verifies(page, live_server, tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    page.set_default_timeout(60_000)  # a shared, busy machine
    world = build_world()
    founded = item(world.jatim, "founded", 1, guidance="Notulen rapat pendirian.")
    item(world.jatim, "nib", 2)
    scan = tmp_path / "akta.pdf"
    scan.write_bytes(PDF)

    log_in(page, live_server, "manager_a@test.opop.id", PASSWORD)
    page.goto(f"{live_server.url}/milestones/")
    row = page.locator(f"#item-{founded.pk}")
    row.locator("summary").last.click()
    row.locator("input[type=file]").set_input_files(str(scan))
    row.locator("textarea[name=note]").fill("Rapat pendirian 2024")
    row.locator("form button").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(f"#item-{founded.pk} .badge.text-bg-warning").count() == 1
    _shot(page, "checklist-manager")

    page.context.clear_cookies()
    log_in(page, live_server, "admin@test.opop.id", PASSWORD)
    page.goto(f"{live_server.url}/milestones/queue/")
    assert page.locator("[data-claim]").count() == 1
    assert "Al-Hikmah" in page.locator("[data-claim]").inner_text()
    _shot(page, "queue-admin")
    page.locator("button[name=decision][value=verify]").first.click()
    page.wait_for_load_state("networkidle")
    assert PesantrenLevel.objects.get(pesantren=world.pesantren_a).level == 1

    page.goto(f"{live_server.url}/milestones/progress/")
    assert page.locator("tr[data-regency='35.78']").count() == 1
    _shot(page, "progress-admin")
