import pytest

from opop.common.testing.personas import PASSWORD, build_world
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_logs_in_and_switches_language(page, live_server):
    build_world()
    log_in(page, live_server, "admin@test.opop.id", PASSWORD)
    assert "OPOP Jawa Timur" in page.inner_text("nav")
    page.click("button.navbar-toggler")  # at phone width the menu is folded
    # The select submits its form on change: wait for that navigation, not just for idleness.
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("html").get_attribute("lang") == "en"


def test_wrong_password_is_refused(page, live_server):
    build_world()
    log_in(page, live_server, "admin@test.opop.id", "wrong-password")
    assert "/accounts/login/" in page.url
    assert page.locator(".alert-danger").count() == 1
