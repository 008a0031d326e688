"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against a live server.

Where Chromium is absent the browser tests skip with a message; CI sets OPOP_REQUIRE_BROWSER=1 so
that a missing browser fails instead.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(os.environ.get("OPOP_BROWSER_ARTIFACTS", "test-artifacts"))

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: apt-get install -y chromium"
        if os.environ.get("OPOP_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "id-ID"}


@pytest.fixture
def page(browser, request):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    if getattr(request.node, "rep_call", None) and request.node.rep_call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def new_phone(browser):
    """Another phone (a browser context of its own, no cookies), closed after the test."""
    contexts = []

    def make():
        contexts.append(browser.new_context(**PHONE))
        phone = contexts[-1].new_page()
        phone.set_default_timeout(60_000)
        return phone

    yield make
    for context in contexts:
        context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def log_in(page, live_server, email: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit], form button.btn-success")
    page.wait_for_load_state("networkidle")


def menu_link(page, href: str):
    """The main-menu link to `href`, ready to click. At phone width the menu is unfolded first
    (and only then: a click during Bootstrap's collapse animation is lost); a link inside one of
    the menu's groups ("Registry", "Programme", "OPOP Mart") has its dropdown opened."""
    if page.locator("button.navbar-toggler").is_visible():
        if not page.locator("#mainnav.collapse.show").count():
            page.click("button.navbar-toggler")
        page.wait_for_selector("#mainnav.collapse.show")
    link = page.locator(f"#mainnav a[href='{href}']:not([data-bs-toggle])")
    group = link.locator("xpath=ancestor::li[contains(concat(' ', @class, ' '), ' dropdown ')]")
    if group.count():
        group.locator("[data-bs-toggle=dropdown]").click()
        group.locator(".dropdown-menu.show").wait_for()
    return link


def open_menu(page, href: str) -> None:
    click_and_wait(page, menu_link(page, href))  # at 390 px: unfolds the menu and its group


def click_and_wait(page, target) -> None:
    """Click a link or a form's button (a selector or a locator; strict: exactly one element
    may match) and wait for the page it leads to, through any redirect."""
    with page.expect_navigation():
        (page.locator(target) if isinstance(target, str) else target).click()
    page.wait_for_load_state("networkidle")
