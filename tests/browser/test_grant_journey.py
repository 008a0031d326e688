"""A grant from proposal to closure (issue 5, point 9), through the real pages at phone width
(390 px), with two phones side by side: the programme admin's (`manages_grants`) and the
cooperative manager's.

The admin opens a scheme (East Java: Rp50,000,000 per koppontren, two tranches, 70/30, each
accounted for before the next); the manager writes a proposal with budget lines, attaches a
document and submits it; the admin verifies it against the checklist, records the signed NPHD
agreement and pays the first tranche; the manager reports on it (LPJ) with a photographed
receipt; the admin opens the receipt, accepts the report and pays the second tranche, which is
accounted for the same way; the admin closes the grant. The public transparency page then lists
the cooperative with its amounts (a visitor reaches it from the footer link on every page and
the programme list behind it), and nothing personal: not the chair's name, nor anyone's phone,
NIK or e-mail, nor the bank transfer references.

Only the persona world (and the chair's name, which has no part in this journey) is set up
through the ORM."""

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from PIL import Image

from opop.common.formatting import rupiah
from opop.common.testing.personas import PASSWORD, build_world
from opop.grants.models import AccountabilityReport, GrantProposal, GrantScheme
from tests.browser.conftest import click_and_wait, log_in, open_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN = "admin@test.opop.id"
MANAGER = "manager_a@test.opop.id"
CHAIR = "KH. Abdul Karim Mansur"
AMOUNT = 50_000_000
TRANCHES = (35_000_000, 15_000_000)  # 70 % and 30 %
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SHOTS = os.environ.get("OPOP_BROWSER_ARTIFACTS")


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"grants-{name}.png"), full_page=True)


def _receipt_photo(path: Path) -> Path:
    buffer = io.BytesIO()
    Image.new("RGB", (480, 640), (250, 250, 245)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def _proposal_page(page, proposal) -> None:
    """From the grants home, through the proposals list, to the proposal."""
    open_menu(page, "/grants/")
    click_and_wait(page, f"table a[href='/grants/proposals/{proposal.pk}/']")


def _pay_tranche(page, proposal, number: int, amount: int) -> None:
    pay = page.locator(f"form[action='/grants/proposals/{proposal.pk}/disburse/']")
    assert pay.locator("input[name=amount]").input_value() == str(amount)  # the plan's share
    assert pay.locator("input[name=paid_on]").input_value() == timezone.localdate().isoformat()
    pay.locator("input[name=transfer_reference]").fill(f"TRF-BJTM-{number:04d}")
    click_and_wait(page, pay.locator("button"))
    assert proposal.disbursements.filter(number=number, amount=amount).count() == 1


def _account_for_tranche(phone, proposal, number: int, amount: int, photo: Path) -> None:
    """The manager's LPJ for one tranche: a receipt photo, a summary, submitted."""
    _proposal_page(phone, proposal)
    click_and_wait(phone, f"a[href='/grants/proposals/{proposal.pk}/tranches/{number}/report/']")
    receipt = phone.locator(f"form[action$='/tranches/{number}/receipts/']")
    receipt.locator("input[name=spent_on]").fill(timezone.localdate().isoformat())
    receipt.locator("input[name=description]").fill(f"Nota pembelian tahap {number}")
    receipt.locator("input[name=amount]").fill(str(amount))
    receipt.locator("input[name=file]").set_input_files(str(photo))
    click_and_wait(phone, receipt.locator("button"))
    assert (
        phone.locator(
            f"a[href^='/grants/proposals/{proposal.pk}/tranches/{number}/receipts/']"
        ).count()
        == 1
    )
    phone.fill("textarea[name=summary]", f"Dana tahap {number} dibelanjakan sesuai rencana.")
    click_and_wait(phone, "button[name=submit]")
    report = AccountabilityReport.objects.get(
        disbursement__proposal=proposal, disbursement__number=number
    )
    assert report.status == AccountabilityReport.Status.SUBMITTED


def _accept_report(page, proposal, number: int) -> None:
    """The admin, on the proposal's page, opens the report, looks at the receipt, accepts."""
    assert page.url.endswith(f"/grants/proposals/{proposal.pk}/")
    click_and_wait(page, f"a[href='/grants/proposals/{proposal.pk}/tranches/{number}/report/']")
    with page.expect_download() as download:
        page.locator(
            f"a[href^='/grants/proposals/{proposal.pk}/tranches/{number}/receipts/']"
        ).click()
    assert Path(download.value.path()).read_bytes()[:3] == b"\xff\xd8\xff"  # the JPEG
    decide = page.locator(f"form[action$='/tranches/{number}/decide/']")
    decide.locator("input[name=decision][value=accept]").check()
    click_and_wait(page, decide.locator("button"))
    report = AccountabilityReport.objects.get(
        disbursement__proposal=proposal, disbursement__number=number
    )
    assert report.status == AccountabilityReport.Status.ACCEPTED
    click_and_wait(page, f"nav a[href='/grants/proposals/{proposal.pk}/']")  # the breadcrumb back


def test_grant_from_proposal_to_closure_and_public_transparency(
    page, new_phone, live_server, tmp_path
):
    page.set_default_timeout(60_000)  # a shared, busy machine
    world = build_world()
    world.coop_a.chair_name = CHAIR
    world.coop_a.save(update_fields=["chair_name"])
    today = timezone.localdate()
    document = tmp_path / "proposal.pdf"
    document.write_bytes(PDF)
    nphd = tmp_path / "nphd-signed.pdf"
    nphd.write_bytes(PDF)
    photo = _receipt_photo(tmp_path / "nota.jpg")

    # The admin opens a scheme for this year.
    log_in(page, live_server, ADMIN, PASSWORD)
    open_menu(page, "/grants/")
    click_and_wait(page, "a[href='/grants/schemes/new/']")
    page.fill("input[name=year]", str(today.year))
    page.fill("input[name=name]", "Hibah Koppontren")
    page.fill("input[name=amount_per_cooperative]", str(AMOUNT))
    page.fill("input[name=total_budget]", "500000000")
    page.fill("input[name=tranche_percentages]", "70, 30")
    page.check("input[name=lpj_before_next_tranche]")
    page.fill("input[name=opens_on]", (today - dt.timedelta(days=10)).isoformat())
    page.fill("input[name=closes_on]", (today + dt.timedelta(days=20)).isoformat())
    click_and_wait(page, "main form button.btn-success")
    scheme = GrantScheme.objects.get(name="Hibah Koppontren")
    assert page.url.endswith(f"/grants/schemes/{scheme.pk}/")

    # The manager, on their phone, finds it open and writes a proposal.
    phone = new_phone()
    log_in(phone, live_server, MANAGER, PASSWORD)
    open_menu(phone, "/grants/")
    click_and_wait(phone, f"a[href='/grants/schemes/{scheme.pk}/propose/']")
    phone.fill("textarea[name=plan]", "Membeli mesin pengemas dan bahan baku keripik.")
    phone.fill("input[name=amount_requested]", str(AMOUNT))
    phone.fill("input[name='lines-0-description']", "Mesin pengemas")
    phone.fill("input[name='lines-0-amount']", "30000000")
    phone.fill("input[name='lines-1-description']", "Bahan baku")
    phone.fill("input[name='lines-1-amount']", "20000000")
    click_and_wait(phone, "main form button.btn-success")
    proposal = GrantProposal.objects.get(scheme=scheme, cooperative=world.coop_a)
    assert proposal.status == GrantProposal.Status.DRAFT
    assert proposal.lines.count() == 2
    upload = phone.locator(f"form[action='/grants/proposals/{proposal.pk}/attachments/']")
    upload.locator("input[name=title]").fill("Rencana usaha")
    upload.locator("input[name=file]").set_input_files(str(document))
    click_and_wait(phone, upload.locator("button"))
    assert proposal.attachments.count() == 1
    click_and_wait(phone, f"form[action='/grants/proposals/{proposal.pk}/submit/'] button")
    proposal.refresh_from_db()
    assert proposal.status == GrantProposal.Status.SUBMITTED

    # The admin verifies it, records the signed agreement and pays the first tranche.
    _proposal_page(page, proposal)
    verify = page.locator(f"form[action='/grants/proposals/{proposal.pk}/verify/']")
    for box in verify.locator("input[type=checkbox][name^=ok_]").all():
        box.check()
    verify.locator("input[name=decision][value=verified]").check()
    verify.locator("textarea[name=note]").fill("Lengkap.")
    click_and_wait(page, verify.locator("button"))
    proposal.refresh_from_db()
    assert proposal.status == GrantProposal.Status.VERIFIED
    agreement = page.locator(f"form[action='/grants/proposals/{proposal.pk}/agreement/']")
    agreement.locator("input[name=nphd_number]").fill("NPHD/027/OPOP/2025")
    agreement.locator("input[name=nphd_date]").fill(today.isoformat())
    agreement.locator("input[name=document]").set_input_files(str(nphd))
    click_and_wait(page, agreement.locator("button"))
    proposal.refresh_from_db()
    assert proposal.status == GrantProposal.Status.AGREED
    assert proposal.agreed_amount == AMOUNT
    _pay_tranche(page, proposal, 1, TRANCHES[0])
    _shot(page, "admin-tranche-1")

    # Tranche by tranche: the manager accounts for it, the admin accepts, then pays the next.
    _account_for_tranche(phone, proposal, 1, TRANCHES[0], photo)
    _shot(phone, "manager-lpj-1")
    _accept_report(page, proposal, 1)
    _pay_tranche(page, proposal, 2, TRANCHES[1])
    _account_for_tranche(phone, proposal, 2, TRANCHES[1], photo)
    _accept_report(page, proposal, 2)

    # Everything paid is accounted for: the admin closes the grant.
    close = page.locator(f"form[action='/grants/proposals/{proposal.pk}/close/']")
    close.locator("textarea[name=note]").fill("Seluruh dana dipertanggungjawabkan.")
    click_and_wait(page, close.locator("button"))
    proposal.refresh_from_db()
    assert proposal.status == GrantProposal.Status.CLOSED
    assert proposal.returned_amount == 0
    _shot(page, "admin-closed")

    # The public page, in a fresh browser with no session.
    anonymous = new_phone()
    anonymous.goto(f"{live_server.url}/")
    click_and_wait(anonymous, "#site-footer a[href='/grants/transparency/']")  # on every page
    jatim = "/grants/transparency/?programme=jatim"
    click_and_wait(anonymous, f"#transparency-programmes a[href='{jatim}']")
    assert anonymous.url == f"{live_server.url}/grants/transparency/?programme=jatim"
    row = anonymous.locator("table tbody tr", has_text="Kopontren Al-Hikmah")
    assert row.count() == 1
    cells = row.locator("td")
    assert "Pondok Pesantren Al-Hikmah" in cells.nth(0).inner_text()
    assert "Hibah Koppontren" in cells.nth(1).inner_text()
    assert cells.nth(2).inner_text().strip() == rupiah(AMOUNT)  # committed
    assert cells.nth(3).inner_text().strip() == rupiah(AMOUNT)  # disbursed
    with translation.override("id"):
        assert cells.nth(4).inner_text().strip() == gettext("closed")
    heading = row.locator("xpath=ancestor::section").locator("h2").inner_text()
    assert "Surabaya" in heading
    assert "Darul Ulum" not in anonymous.locator("main").inner_text()  # no grant signed
    _shot(anonymous, "transparency")

    html = anonymous.content()
    person = world.person_a
    for private in (
        CHAIR,
        person.full_name,
        person.phone,
        person.phone.removeprefix("+62"),
        person.email,
        "3578011508950001",
        world.user("manager_a").full_name,
        MANAGER,
        "TRF-BJTM-0001",
        "TRF-BJTM-0002",
    ):
        assert private not in html, private
