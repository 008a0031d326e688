import pytest

from opop.common.testing.personas import PASSWORD, build_world
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_reads_the_dashboard_chart_and_switches_year(page, live_server):
    build_world().jatim.years.create(year=2024)
    log_in(page, live_server, "officer@test.opop.id", PASSWORD)
    page.goto(f"{live_server.url}/dashboard/?year=2025")
    # Chart.js drew the kab/kota chart from the json_script data.
    assert page.evaluate("Chart.getChart('regency-chart').data.labels") == ["Kota Surabaya"]
    assert page.locator("#year-submit").is_hidden()  # the select submits by itself
    with page.expect_navigation():  # the select submits itself on change
        page.select_option("#year", "2024")
    assert "year=2024" in page.url
    assert page.locator('[data-pillar="santripreneur"] [data-figure="year"]').inner_text() == "0"
    page.select_option("#chart-series", "4")  # pesantren
    assert page.evaluate("Chart.getChart('regency-chart').data.datasets[0].data") == [1]
