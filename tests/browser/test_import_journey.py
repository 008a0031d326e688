"""The issue's journey: the admin imports a pesantren spreadsheet with one bad row, fixes the
file, imports it, and sees the dashboard change."""

import pytest
from openpyxl import Workbook

from opop.common.testing.personas import JOMBANG, PASSWORD, build_world
from tests.browser.conftest import log_in, menu_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADERS = ["NSPP", "Nama Pesantren", "Jenis", "Kabupaten/Kota", "Kecamatan", "Alamat"]


def _sheet(path, third_nspp: str):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append(["510035170101", "PP Bahrul Ulum", "salaf", "Kab. Jombang", "Jombang", "Jl. A"])
    sheet.append(["5100-3517-0102", "PP Tebuireng Putri", "khalaf", "KABUPATEN JOMBANG", "", ""])
    sheet.append([third_nspp, "PP Mambaul Ma'arif", "", "Jombang", "", ""])
    workbook.save(path)
    return str(path)


def _jombang_pesantren(page) -> str:
    return page.locator(f'tr[data-regency="{JOMBANG}"] td').last.inner_text()


def _open_menu(page, name: str) -> None:
    menu_link(page, name).click()  # 390 px: unfolds the menu and the link's group first
    page.wait_for_load_state("networkidle")


def test_admin_imports_fixes_a_bad_row_and_sees_the_dashboard_change(page, live_server, tmp_path):
    build_world()
    log_in(page, live_server, "admin@test.opop.id", PASSWORD)
    page.goto(f"{live_server.url}/dashboard/?year=2025")
    assert _jombang_pesantren(page) == "1"

    _open_menu(page, "/imports/")
    page.select_option("select[name=register]", "pesantren")
    page.set_input_files("input[name=file]", _sheet(tmp_path / "bad.xlsx", "12345"))
    page.click("form[action$='/upload/'] button")
    page.wait_for_selector(".import-issues")
    problem = page.locator(".import-issues tbody tr")
    assert problem.count() == 1
    assert problem.locator("td").nth(0).inner_text() == "4"
    assert problem.locator("td").nth(1).inner_text() == "NSPP"
    # One bad row: "all or nothing" is not offered until it is fixed.
    assert page.locator("button[value=all_or_nothing]").is_disabled()

    _open_menu(page, "/imports/")
    page.select_option("select[name=register]", "pesantren")
    page.set_input_files("input[name=file]", _sheet(tmp_path / "fixed.xlsx", "510035170103"))
    page.click("form[action$='/upload/'] button")
    page.wait_for_selector("button[value=all_or_nothing]:not([disabled])")
    assert page.locator(".import-issues").count() == 0
    page.click("button[value=all_or_nothing]")
    page.wait_for_selector(".alert-success")

    _open_menu(page, "/dashboard/")
    page.goto(f"{live_server.url}/dashboard/?year=2025")
    assert _jombang_pesantren(page) == "4"
