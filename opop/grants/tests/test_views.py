"""Pages and endpoints: who gets 200, 403 or 404, and what they see. One world per endpoint,
every persona tried against it."""

import pytest
from django.urls import reverse

from opop.grants import services
from opop.grants.models import Disbursement, GrantProposal, GrantScheme, LoanApplication
from opop.grants.tests.helpers import AMOUNT, agreed, pay, pdf, scheme, today

pytestmark = pytest.mark.django_db

READERS = {"admin", "officer", "auditor", "manager_a"}
NO_GRANTS = {"facilitator", "participant", "juror", "partner", "buyer", "outsider"}


@pytest.fixture
def grant(world):
    s = scheme(world, tranches=(70, 30))
    p = agreed(world, s)
    first = pay(world, p, 35_000_000, "k1")
    services.report_save(actor=world.user("manager_a"), disbursement=first, summary="Belanja")
    services.receipt_add(
        actor=world.user("manager_a"),
        disbursement=first,
        spent_on=today(),
        description="Nota mesin",
        amount=10_000_000,
        upload=pdf(),
    )
    loan = services.loan_create(
        actor=world.user("manager_a"),
        cooperative=world.coop_a,
        bank_name="Bank Jatim Syariah",
        product="KUR Syariah",
        amount=75_000_000,
        submitted_on=today(),
    )
    return {"scheme": s, "proposal": p, "tranche": first, "loan": loan}


def status_of(world, persona, method, url, data=None):
    client = world.client(persona)
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    return response.status_code


def check(world, method, url, expected: dict, default=None, data=None):
    personas = list(expected) + ([p for p in NO_GRANTS if p not in expected] if default else [])
    for persona in personas:
        want = expected.get(persona, default)
        got = status_of(world, persona, method, url, data)
        assert got == want, f"{persona} {method} {url}: {got} != {want}"
    anon = world.client("anonymous")
    got = anon.post(url, data or {}) if method == "post" else anon.get(url)
    assert got.status_code == 302 and "/login" in got["Location"] or "login" in got["Location"]


def test_home(world, grant):
    check(
        world,
        "get",
        reverse("grants:home"),
        dict.fromkeys(READERS | {"manager_b", "kalsel_admin"}, 200),
        default=403,
    )
    assert "Kopontren Al-Hikmah" not in world.client("manager_b").get(reverse("grants:home")).text
    assert "Kopontren Al-Hikmah" not in world.client("kalsel_admin").get("/grants/").text
    assert "Kopontren Al-Hikmah" in world.client("officer").get("/grants/").text


def test_proposal_pages_and_files(world, grant):
    p, t = grant["proposal"], grant["tranche"]
    receipt = t.report.receipts.get()
    urls = [
        reverse("grants:proposal_detail", args=[p.pk]),
        reverse("grants:agreement_document", args=[p.pk]),
        reverse("grants:report", args=[p.pk, 1]),
        reverse("grants:receipt_file", args=[p.pk, 1, receipt.pk]),
        reverse("grants:scheme_detail", args=[grant["scheme"].pk]),
    ]
    for url in urls:
        expected = {**dict.fromkeys(READERS, 200), "manager_b": 404, "kalsel_admin": 404}
        if "schemes" in url:
            expected["manager_b"] = 200
        check(world, "get", url, expected, default=403)


def test_officer_outside_kab_kota_gets_404(world, grant):
    other = agreed(world, grant["scheme"], coop=world.coop_b, manager="manager_b", number="N-B")
    url = reverse("grants:proposal_detail", args=[other.pk])
    assert status_of(world, "officer", "get", url) == 404
    assert status_of(world, "admin", "get", url) == 200


def test_manager_drafts_are_hidden_from_staff(world, grant):
    draft = services.proposal_create(
        actor=world.user("manager_b"),
        scheme=grant["scheme"],
        cooperative=world.coop_b,
        plan="Rencana",
        amount_requested=AMOUNT,
        lines=[{"description": "a", "amount": AMOUNT}],
    )
    url = reverse("grants:proposal_detail", args=[draft.pk])
    assert status_of(world, "manager_b", "get", url) == 200
    assert status_of(world, "admin", "get", url) == 404


def test_admin_actions_refused_to_others(world, grant):
    p = grant["proposal"]
    for name in ("proposal_verify", "agreement_record", "tranche_disburse", "proposal_close"):
        url = reverse(f"grants:{name}", args=[p.pk])
        check(
            world,
            "post",
            url,
            {
                "officer": 403,
                "auditor": 403,
                "manager_a": 403,
                "manager_b": 404,
                "kalsel_admin": 404,
            },
            default=403,
        )
    url = reverse("grants:report_decide", args=[p.pk, 1])
    check(
        world,
        "post",
        url,
        {"officer": 403, "auditor": 403, "manager_a": 403, "manager_b": 404, "kalsel_admin": 404},
        default=403,
    )


def test_manager_actions_refused_to_others(world, grant):
    p = grant["proposal"]
    receipt = grant["tranche"].report.receipts.get()
    urls = [
        reverse("grants:proposal_submit", args=[p.pk]),
        reverse("grants:attachment_upload", args=[p.pk]),
        reverse("grants:receipt_add", args=[p.pk, 1]),
        reverse("grants:receipt_delete", args=[p.pk, 1, receipt.pk]),
    ]
    for url in urls:
        check(
            world,
            "post",
            url,
            {"admin": 403, "officer": 403, "auditor": 403, "manager_b": 404, "kalsel_admin": 403},
            default=403,
        )
    check(
        world,
        "post",
        reverse("grants:report", args=[p.pk, 1]),
        {"admin": 403, "officer": 403, "auditor": 403, "manager_b": 404, "kalsel_admin": 404},
        default=403,
        data={"summary": "x"},
    )
    for url in (
        reverse("grants:proposal_edit", args=[p.pk]),
        reverse("grants:proposal_create", args=[grant["scheme"].pk]),
    ):
        check(world, "get", url, {"admin": 403, "officer": 403, "auditor": 403}, default=403)
    assert status_of(world, "manager_b", "get", reverse("grants:proposal_edit", args=[p.pk])) == 404


def test_scheme_pages_for_admins_only(world, grant):
    for url in (
        reverse("grants:scheme_create"),
        reverse("grants:scheme_edit", args=[grant["scheme"].pk]),
    ):
        expected = {"admin": 200, "officer": 403, "auditor": 403, "manager_a": 403}
        if "edit" in url:
            expected["kalsel_admin"] = 404
        check(world, "get", url, expected, default=403)


def test_loans(world, grant):
    url = reverse("grants:loan_list")
    check(
        world,
        "get",
        url,
        dict.fromkeys(READERS | {"manager_b", "kalsel_admin"}, 200),
        default=403,
    )
    assert "Bank Jatim Syariah" not in world.client("manager_b").get(url).text
    data = {
        "cooperative": world.coop_a.pk,
        "bank_name": "BSI",
        "product": "KUR Syariah",
        "amount": 1_000_000,
        "submitted_on": today().isoformat(),
    }
    assert status_of(world, "auditor", "post", url, data) == 403
    # manager_b cannot pick another cooperative: the form refuses it.
    assert status_of(world, "manager_b", "post", url, data) == 400
    assert status_of(world, "manager_a", "post", url, data) == 302
    move = reverse("grants:loan_move", args=[grant["loan"].pk])
    move_data = {"status": "approved", "on": today().isoformat()}
    check(
        world,
        "post",
        move,
        {"auditor": 403, "manager_b": 404, "kalsel_admin": 404},
        default=403,
        data=move_data,
    )
    assert status_of(world, "officer", "post", move, move_data) == 302
    assert LoanApplication.objects.get(pk=grant["loan"].pk).status == "approved"


def test_full_path_through_the_pages(world, settings):
    """Proposal → verification → NPHD → tranche → LPJ → closure, through the views."""
    s = scheme(world, tranches=(100,))
    manager, admin = world.client("manager_a"), world.client("admin")
    lines = {
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-description": "Mesin",
        "lines-0-amount": "50000000",
        "lines-1-description": "",
        "lines-1-amount": "",
    }
    response = manager.post(
        reverse("grants:proposal_create", args=[s.pk]),
        {"plan": "Rencana", "amount_requested": "50000000", **lines},
    )
    assert response.status_code == 302, response.text[-2000:]
    p = GrantProposal.objects.get(scheme=s)
    assert manager.get(reverse("grants:proposal_create", args=[s.pk])).status_code == 200
    assert manager.get(reverse("grants:proposal_edit", args=[p.pk])).status_code == 200
    assert "Write a proposal" not in manager.get(reverse("grants:home")).text
    assert (
        manager.post(
            reverse("grants:attachment_upload", args=[p.pk]), {"title": "Profil", "file": pdf()}
        ).status_code
        == 302
    )
    assert manager.post(reverse("grants:proposal_submit", args=[p.pk])).status_code == 302
    ticks = {f"ok_{k}": "on" for k in services.CHECKLIST}
    assert (
        admin.post(
            reverse("grants:proposal_verify", args=[p.pk]), {"decision": "verified", **ticks}
        ).status_code
        == 302
    )
    assert (
        admin.post(
            reverse("grants:agreement_record", args=[p.pk]),
            {"nphd_number": "NPHD/9", "nphd_date": today().isoformat(), "document": pdf()},
        ).status_code
        == 302
    )
    pay_data = {
        "amount": "50000000",
        "paid_on": today().isoformat(),
        "transfer_reference": "TRF1",
        "client_key": "abc",
    }
    assert admin.post(reverse("grants:tranche_disburse", args=[p.pk]), pay_data).status_code == 302
    # The same form sent again (a retry) pays nothing more.
    assert admin.post(reverse("grants:tranche_disburse", args=[p.pk]), pay_data).status_code == 302
    assert Disbursement.objects.filter(proposal=p).count() == 1
    report_url = reverse("grants:report", args=[p.pk, 1])
    assert "Add a receipt" in manager.get(report_url).text
    assert (
        manager.post(
            reverse("grants:receipt_add", args=[p.pk, 1]),
            {
                "spent_on": today().isoformat(),
                "description": "Nota",
                "amount": "50000000",
                "file": pdf(),
            },
        ).status_code
        == 302
    )
    assert manager.post(report_url, {"summary": "Mesin dibeli", "submit": "1"}).status_code == 302
    assert (
        admin.post(
            reverse("grants:report_decide", args=[p.pk, 1]), {"decision": "accept"}
        ).status_code
        == 302
    )
    assert (
        admin.post(reverse("grants:proposal_close", args=[p.pk]), {"note": "Selesai"}).status_code
        == 302
    )
    p.refresh_from_db()
    assert p.status == GrantProposal.Status.CLOSED
    assert admin.get(reverse("grants:proposal_detail", args=[p.pk])).status_code == 200


def test_disburse_form_errors_show_on_the_page(world, grant):
    url = reverse("grants:tranche_disburse", args=[grant["proposal"].pk])
    response = world.client("admin").post(
        url,
        {
            "amount": "999",
            "paid_on": today().isoformat(),
            "transfer_reference": "T",
            "client_key": "zz",
        },
    )
    assert response.status_code == 400
    assert "accountability report" in response.text


def test_transparency_is_public_and_has_no_personal_data(world, grant):
    coop = world.coop_a
    coop.chair_name = "Kyai Haji Abdullah Chair"
    coop.save()
    world.pesantren_a.leader_name = "Kyai Leader Pengasuh"
    world.pesantren_a.phone = "+6281299998888"
    world.pesantren_a.save()
    response = world.client("anonymous").get("/grants/transparency/?programme=jatim")
    assert response.status_code == 200
    text = response.text
    assert "Kopontren Al-Hikmah" in text and "Surabaya" in text
    assert "Rp50.000.000" in text and "Rp35.000.000" in text
    for secret in (
        "Kyai Haji Abdullah Chair",
        "Kyai Leader Pengasuh",
        "+6281299998888",
        "6281299998888",
        world.person_a.full_name,
        "3578011508950001",
        "TRF-k1",
        "Manager A",
        world.user("manager_a").email,
    ):
        assert secret not in text, secret
    assert world.client("anonymous").get("/grants/transparency/?programme=nope").status_code == 404
    chooser = world.client("anonymous").get("/grants/transparency/")
    assert chooser.status_code == 200
    assert "/grants/transparency/?programme=jatim" in chooser.text
    assert "/grants/transparency/?programme=kalsel" in chooser.text
    # Kalsel's page does not show Jawa Timur's grants.
    kalsel = world.client("anonymous").get("/grants/transparency/?programme=kalsel")
    assert "Kopontren Al-Hikmah" not in kalsel.text


def test_transparency_lists_only_signed_grants(world, grant):
    services.proposal_create(
        actor=world.user("manager_b"),
        scheme=grant["scheme"],
        cooperative=world.coop_b,
        plan="Rencana",
        amount_requested=AMOUNT,
        lines=[{"description": "a", "amount": AMOUNT}],
    )
    text = world.client("anonymous").get("/grants/transparency/?programme=jatim").text
    assert "Kopontren Darul Ulum" not in text


def test_admin_creates_a_scheme_through_the_page(world):
    admin = world.client("admin")
    data = {
        "year": "2026",
        "name": "Hibah Koppontren",
        "amount_per_cooperative": "50000000",
        "total_budget": "1000000000",
        "tranche_percentages": "70, 30",
        "lpj_before_next_tranche": "on",
        "opens_on": "2026-01-01",
        "closes_on": "2026-03-31",
    }
    bad = admin.post(reverse("grants:scheme_create"), {**data, "tranche_percentages": "70, 20"})
    assert bad.status_code == 200 and "adding up to 100" in bad.text
    assert admin.post(reverse("grants:scheme_create"), data).status_code == 302
    scheme = GrantScheme.objects.get(programme=world.jatim)
    assert scheme.tranche_percentages == [70, 30]
    assert world.client("manager_a").get(reverse("grants:home")).status_code == 200
