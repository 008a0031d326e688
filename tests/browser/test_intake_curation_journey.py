"""The issue's journey, through the real pages at phone width: a pesantren registers → the
regional officer asks for a fix → it is fixed, verified and accepted into the cohort → its new
manager submits a product for curation → two jurors score → the results are published → the
product carries the "Produk Unggulan OPOP" badge.

Only what has no page is set up through the ORM/services: the persona world, an open cohort, the
product categories, and a curation round with its rubric, a first stage in SETUP and two jurors.
"""

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from PIL import Image

from opop.accounts.models import Membership, Role, User
from opop.assessment import services as assessment
from opop.assessment.models import Assignment, Entry, Stage
from opop.catalog.categories import categories_ensure
from opop.catalog.models import Category, Curation, Product
from opop.common.testing.personas import PASSWORD, SURABAYA, SURABAYA_KEC, build_world
from opop.intake.models import Application, Cohort
from opop.programmes.models import Partner, Pillar
from opop.registry.models import Enterprise, Pesantren
from tests.browser.conftest import log_in, menu_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APPLICANT = "pengurus@pp-nurul-huda.id"
PESANTREN = "Pondok Pesantren Nurul Huda"
NSPP = "510035781234"
NIK = "3578011508950009"  # Kota Surabaya, kecamatan 35.78.01, born 15-08-1995, male
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
UNGGULAN = re.compile("Produk Unggulan OPOP")


def _setup():
    world = build_world()
    admin = world.users["admin"]
    today = timezone.localdate()
    categories_ensure()
    cohort = Cohort.objects.create(
        programme=world.jatim,
        year=today.year,
        pillar=Pillar.PESANTRENPRENEUR,
        name=f"Pesantrenpreneur {today.year}",
        status=Cohort.Status.OPEN,
        opens_on=today - dt.timedelta(days=7),
        closes_on=today + dt.timedelta(days=30),
        min_age=18,
        max_age=55,
        required_documents=["nib"],
    )
    rnd = assessment.round_save(
        actor=admin,
        programme=world.jatim,
        data={
            "name": f"Kurasi Produk {today.year}",
            "purpose": "curation",
            "year": today.year,
            "scale_min": 1,
            "scale_max": 10,
            "jurors_per_entry": 2,
            "appeal_days": 7,
        },
    )
    for position, (name, weight) in enumerate((("Mutu", 40), ("Kemasan", 30), ("Pasar", 30))):
        assessment.criterion_save(
            actor=admin, round=rnd, data={"name": name, "weight": weight, "position": position}
        )
    stage = assessment.stage_save(
        actor=admin, round=rnd, data={"name": "Kurasi", "position": 1, "cutoff_score": 6}
    )
    second = User.objects.create_user("juror2@test.opop.id", PASSWORD, full_name="Juror Dua")
    Membership.objects.create(user=second, programme=world.jatim, role=Role.JUROR)
    for user, group in (
        (world.users["juror"], Partner.Kind.ACADEMIA),
        (second, Partner.Kind.MEDIA),
    ):
        assessment.juror_save(actor=admin, round=rnd, user=user, group=group)
    return world, cohort, rnd, stage


def _go(page, selector: str) -> None:
    """Click something that loads a new page, and wait for it."""
    with page.expect_navigation():
        page.click(selector)


def _unfold_menu(page) -> None:
    """390 px: the menu is folded. Wait until it has finished unfolding (Bootstrap's collapse
    animates its height; a click during it may land on the wrong item)."""
    page.click("button.navbar-toggler")
    page.wait_for_selector("#mainnav.collapse.show")


def _open_menu(page, href: str) -> None:
    link = menu_link(page, href)  # unfolds the menu and opens the link's group
    with page.expect_navigation():
        link.click()


def _log_out(page) -> None:
    _unfold_menu(page)
    _go(page, "#mainnav form[action='/accounts/logout/'] button")
    assert "/accounts/login/" in page.url


def _shot(page, name: str) -> None:
    page.screenshot(path=f"/tmp/journey-{name}.png", full_page=True)


def _jpeg(path) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 120, 40)).save(buffer, "JPEG", quality=80)
    path.write_bytes(buffer.getvalue())
    return str(path)


def _status_badge(page):
    return page.locator("h1 + span.badge")


def _register_and_submit(page, live_server, cohort, tmp_path) -> Application:
    page.goto(f"{live_server.url}/intake/")
    assert page.locator(f"#cohort-{cohort.pk}").is_visible()
    _go(page, f"#cohort-{cohort.pk} a[href='/intake/register/?cohort={cohort.pk}']")
    page.fill("input[name=full_name]", "Hasan Basri")
    page.fill("input[name=email]", APPLICANT)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.check("input[name=consent]")
    _go(page, "form[method=post] button[type=submit]")
    assert page.url.endswith(f"/intake/cohorts/{cohort.pk}/start/")
    page.check("input[name=consent]")
    _go(page, "form[method=post] button[type=submit]")
    application = Application.objects.get(applicant__email=APPLICANT)
    assert page.url.endswith(f"/intake/applications/{application.reference}/edit/")

    page.fill("[name=pesantren_name]", PESANTREN)
    page.fill("[name=nspp]", NSPP)
    page.select_option("[name=pesantren_kind]", "salaf")
    page.fill("[name=leader_name]", "KH. Abdullah Faqih")
    with page.expect_response(lambda r: "/regions/options/" in r.url and SURABAYA in r.url):
        page.select_option("select[name=regency]", SURABAYA)
    page.locator(f"select[name=district] option[value='{SURABAYA_KEC}']").wait_for(state="attached")
    page.select_option("select[name=district]", SURABAYA_KEC)
    page.fill("[name=address]", "Jl. Nurul Huda No. 7")
    page.fill("[name=cooperative_name]", "Kopontren Nurul Huda")
    page.select_option("[name=cooperative_legal_status]", "in_process")
    page.fill("[name=full_name]", "Hasan Basri")
    page.fill("[name=nik]", NIK)
    page.fill("[name=phone]", "0812-3456-7890")
    page.fill("[name=email]", APPLICANT)
    # The upload swaps the documents panel in place (HTMX): the typed form stays.
    (tmp_path / "nib.pdf").write_bytes(PDF)
    page.set_input_files("#document-nib input[type=file]", str(tmp_path / "nib.pdf"))
    page.click("#document-nib button")
    page.locator("#document-nib a[href$='/documents/nib/']").wait_for()
    _shot(page, "1-application-form")
    _go(page, "#application-form button[value=save]")
    assert page.locator("#eligibility-panel.border-success").count() == 1  # ready to submit
    _go(page, "#application-form button[value=submit]")
    assert page.url.endswith(f"/intake/applications/{application.reference}/")
    assert "text-bg-primary" in _status_badge(page).get_attribute("class")
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    return application


def _officer_decides(page, live_server, reference: str, *, fix: bool) -> None:
    log_in(page, live_server, "officer@test.opop.id", PASSWORD)
    _open_menu(page, "/intake/staff/")
    _go(page, f"a[href='/intake/staff/applications/{reference}/']")
    if fix:
        page.check("input[name=check_nib][value=not_ok]")
        page.fill("input[name=note_nib]", "Scan NIB terpotong, unggah ulang halaman penuh.")
        page.check("input[name=decision][value=needs_fixing]")
        page.fill("textarea[name=reasons]", "Dokumen NIB tidak terbaca; alamat kurang lengkap.")
        _shot(page, "2-officer-decision")
    else:
        page.check("input[name=check_nib][value=ok]")
        page.check("input[name=decision][value=verified]")
    _go(page, "#decision button.btn-success")
    assert page.url.endswith("/intake/staff/")
    assert page.locator(f"a[href='/intake/staff/applications/{reference}/']").count() == 0
    _log_out(page)


def _applicant_fixes(page, live_server, application: Application, tmp_path) -> None:
    log_in(page, live_server, APPLICANT, PASSWORD)
    _open_menu(page, "/notifications/")
    assert page.locator("ul.list-group li.list-group-item-success").count() >= 1  # unread
    _open_menu(page, "/intake/mine/")
    _go(page, f"a[href='/intake/applications/{application.reference}/']")
    assert "text-bg-warning" in _status_badge(page).get_attribute("class")
    assert "Dokumen NIB tidak terbaca" in page.inner_text("#timeline")
    assert "Scan NIB terpotong" in page.inner_text("#timeline")
    _shot(page, "3-status-needs-fixing")
    _go(page, f"a.btn-warning[href$='/applications/{application.reference}/edit/']")
    (tmp_path / "nib-full.pdf").write_bytes(PDF.replace(b"Catalog", b"Catalog /Lang (id)"))
    page.set_input_files("#document-nib input[type=file]", str(tmp_path / "nib-full.pdf"))
    page.click("#document-nib button")
    page.locator("#document-nib a:text('nib-full.pdf')").wait_for()
    page.fill("[name=address]", "Jl. Nurul Huda No. 7, RT 02 RW 05")
    _go(page, "#application-form button[value=submit]")
    assert "text-bg-primary" in _status_badge(page).get_attribute("class")
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.address.endswith("RW 05")
    _log_out(page)


def _admin_accepts(page, live_server, cohort, application: Application) -> Pesantren:
    log_in(page, live_server, "admin@test.opop.id", PASSWORD)
    _open_menu(page, "/intake/staff/")
    _go(page, "a[href='/intake/staff/cohorts/']")
    _go(page, f"a[href='/intake/staff/cohorts/{cohort.pk}/']")
    _go(page, f"#accept-form button[name=one][value='{application.pk}']")
    assert page.locator(".alert-success").count() == 1
    assert page.locator(f"tr[data-regency='{SURABAYA}'] td").nth(1).inner_text() == "1"
    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED
    _open_menu(page, "/registry/pesantren/")
    assert PESANTREN in page.locator("table tbody td:first-child a").all_inner_texts()
    _log_out(page)
    return application.pesantren


def _manager_submits_product(page, live_server, pesantren: Pesantren, tmp_path) -> Product:
    log_in(page, live_server, APPLICANT, PASSWORD)  # now the pesantren's manager
    _open_menu(page, "/registry/enterprises/")
    _go(page, "a[href='/registry/enterprises/new/']")
    page.fill("[name=name]", "Keripik Nurul Huda")
    page.select_option("[name=sector]", "food")
    page.select_option("[name=pesantren]", str(pesantren.pk))
    page.select_option("[name=regency]", SURABAYA)
    _go(page, "form[method=post] button.btn-success")
    enterprise = Enterprise.objects.get(name="Keripik Nurul Huda")
    assert page.url.endswith(f"/registry/enterprises/{enterprise.pk}/")

    _open_menu(page, "/catalog/products/")
    _go(page, "a[href='/catalog/products/new/']")
    page.select_option("[name=enterprise]", str(enterprise.pk))
    page.select_option("[name=category]", str(Category.objects.get(slug="keripik-camilan").pk))
    page.fill("[name=name]", "Keripik Tempe Nurul Huda")
    page.fill(
        "[name=description]",
        "Keripik tempe renyah dari kedelai lokal, digoreng santri dengan minyak baru setiap hari.",
    )
    page.fill("[name=price]", "15000")
    page.fill("[name=unit]", "pak")
    page.fill("[name=weight_grams]", "200")
    page.select_option("[name=status]", "active")
    _go(page, "form[method=post] button.btn-success")
    product = Product.objects.get(name="Keripik Tempe Nurul Huda")
    assert page.url.endswith(f"/catalog/products/{product.pk}/")
    assert page.locator("#curation .alert-warning").count() == 1  # no photo yet

    page.set_input_files("#photos input[name=image]", _jpeg(tmp_path / "keripik.jpg"))
    _go(page, "#photos form[action$='/photos/new/'] button")
    assert page.locator("#photos img").count() == 1
    _go(page, "#curation form[action$='/curation/submit/'] button")
    assert page.locator("#curation[data-curation-state=submitted]").count() == 1
    _shot(page, "5-product-submitted")
    _log_out(page)
    return product


def _admin_opens_scoring(page, live_server, rnd, stage) -> None:
    log_in(page, live_server, "admin@test.opop.id", PASSWORD)
    _open_menu(page, "/assessment/rounds/")
    _go(page, f"a[href='/assessment/rounds/{rnd.pk}/']")
    _go(page, f"a[href='/assessment/stages/{stage.pk}/']")
    assert page.locator("#entries tbody tr").count() == 1
    _go(page, f"form[action='/assessment/stages/{stage.pk}/assign-automatically/'] button")
    assert page.locator("#progress-table tbody tr").count() == 2
    _go(page, f"a[href='/assessment/stages/{stage.pk}/open/']")
    _go(page, "form[method=post] button.btn-success")
    assert "text-bg-warning" in page.get_attribute("#stage-status", "class")  # scoring
    _log_out(page)


def _juror_scores(page, live_server, email: str, values: list[str]) -> None:
    log_in(page, live_server, email, PASSWORD)
    _open_menu(page, "/assessment/my/")
    sheets = page.locator("#assignments a.list-group-item")
    assert sheets.count() == 1
    _go(page, "#assignments a.list-group-item")
    scores = page.locator("#scoresheet-form input[name^=score_]")
    assert scores.count() == len(values)
    for i, value in enumerate(values):
        scores.nth(i).fill(value)
    _shot(page, f"7-scoresheet-{email.split('@')[0]}")
    _go(page, "#scoresheet-form button[value=submit]")  # the confirm() is accepted
    assert "text-bg-success" in page.get_attribute("#sheet-state", "class")
    _log_out(page)


def _admin_publishes(page, live_server, rnd, stage) -> None:
    log_in(page, live_server, "admin@test.opop.id", PASSWORD)
    _open_menu(page, "/assessment/rounds/")
    _go(page, f"a[href='/assessment/rounds/{rnd.pk}/']")
    _go(page, f"a[href='/assessment/stages/{stage.pk}/']")
    _go(page, f"a[href='/assessment/stages/{stage.pk}/close/']")
    _go(page, "form[method=post] button.btn-success")
    assert "text-bg-info" in page.get_attribute("#stage-status", "class")  # closed
    _go(page, f"a[href='/assessment/stages/{stage.pk}/ranking/']")
    rows = page.locator("#ranking tbody tr")
    assert rows.count() == 1
    assert rows.first.locator(".badge.text-bg-success").count() == 1  # passes the cut-off
    _shot(page, "8-ranking")
    _go(page, f"a[href='/assessment/stages/{stage.pk}/publish/']")
    _go(page, "form[method=post] button.btn-success")
    assert "text-bg-success" in page.get_attribute("#stage-status", "class")  # published
    _log_out(page)


def test_pesantren_registers_is_fixed_accepted_and_its_product_becomes_unggulan(
    page, live_server, tmp_path
):
    world, cohort, rnd, stage = _setup()
    page.on("dialog", lambda dialog: dialog.accept())

    application = _register_and_submit(page, live_server, cohort, tmp_path)
    _log_out(page)
    _officer_decides(page, live_server, application.reference, fix=True)
    assert Application.objects.get(pk=application.pk).status == Application.Status.NEEDS_FIXING
    _applicant_fixes(page, live_server, application, tmp_path)
    _officer_decides(page, live_server, application.reference, fix=False)
    assert Application.objects.get(pk=application.pk).status == Application.Status.VERIFIED
    pesantren = _admin_accepts(page, live_server, cohort, application)
    assert pesantren.nspp == NSPP
    assert Membership.objects.filter(
        user__email=APPLICANT, role=Role.MANAGER, pesantren=pesantren
    ).exists()

    product = _manager_submits_product(page, live_server, pesantren, tmp_path)
    assert Entry.objects.filter(stage=stage, product=product).count() == 1
    _admin_opens_scoring(page, live_server, rnd, stage)
    _juror_scores(page, live_server, "juror@test.opop.id", ["8", "7", "9"])
    _juror_scores(page, live_server, "juror2@test.opop.id", ["9", "8", "8"])
    assert Assignment.objects.filter(stage=stage, submitted_at__isnull=False).count() == 2
    _admin_publishes(page, live_server, rnd, stage)
    assert Stage.objects.get(pk=stage.pk).status == Stage.Status.PUBLISHED
    assert Curation.objects.filter(product=product, revoked_at__isnull=True).count() == 1

    log_in(page, live_server, APPLICANT, PASSWORD)
    _open_menu(page, "/catalog/products/")
    _go(page, f"a[href='/catalog/products/{product.pk}/']")
    badge = page.locator("[data-testid=badge-unggulan]")
    assert badge.is_visible()
    assert UNGGULAN.search(badge.inner_text())
    assert page.locator("#curation[data-curation-state=passed]").count() == 1
    _shot(page, "9-product-unggulan")
    _open_menu(page, "/assessment/results/")
    results = page.locator("#results .list-group-item")
    assert results.count() == 1
    assert product.name in results.first.inner_text()
