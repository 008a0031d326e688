"""The staff's queue, file page, decision and document download: who sees and does what."""

import pytest
from django.urls import reverse

from opop.common.models import AuditEvent
from opop.intake.models import Application
from opop.intake.tests.factories import make_application, make_cohort, make_document
from opop.notifications.models import Notification

S = Application.Status
QUEUE = reverse("intake:staff_queue")
NO_INTAKE = ["facilitator", "manager_a", "manager_b", "participant", "juror", "partner", "buyer"]


@pytest.fixture
def files(world):
    cohort = make_cohort(world.jatim)
    return {
        "surabaya": make_application(cohort, regency="35.78", submitted_days_ago=2),
        "jombang": make_application(cohort, regency="35.17", submitted_days_ago=12),
        "draft": make_application(cohort, status=S.DRAFT, regency="35.78"),
    }


def _page(application):
    return reverse("intake:staff_application", args=[application.reference])


def _decide_url(application):
    return reverse("intake:staff_decide", args=[application.reference])


# --- The queue -------------------------------------------------------------------------------


def test_the_admin_sees_every_waiting_file_longest_waiting_first(world, files):
    page = world.client("admin").get(QUEUE)
    assert page.status_code == 200
    rows = [a.reference for a in page.context["page"].object_list]
    assert rows == [files["jombang"].reference, files["surabaya"].reference]


def test_the_officer_sees_only_files_of_their_kab_kota(world, files):
    page = world.client("officer").get(QUEUE + "?status=all")
    rows = [a.reference for a in page.context["page"].object_list]
    assert rows == [files["surabaya"].reference]
    assert files["jombang"].reference not in page.content.decode()


def test_another_programmes_admin_sees_none_of_these_files(world, files):
    page = world.client("kalsel_admin").get(QUEUE + "?status=all")
    assert page.status_code == 200
    assert list(page.context["page"].object_list) == []


def test_drafts_are_not_in_the_staff_queue(world, files):
    page = world.client("admin").get(QUEUE + "?status=all")
    assert files["draft"].reference not in page.content.decode()


def test_the_queue_shows_how_long_each_file_waited_and_highlights_overdue_ones(world, files):
    page = world.client("admin").get(QUEUE)
    html = page.content.decode()
    assert "12 days" in html
    assert "2 days" in html
    overdue = {a.reference: a.overdue for a in page.context["page"].object_list}
    assert overdue == {files["jombang"].reference: True, files["surabaya"].reference: False}
    assert page.context["counts"] == {"waiting": 2, "overdue": 1}


def test_the_queue_filters_by_search_status_and_kab_kota(world, files):
    client = world.client("admin")
    found = client.get(QUEUE, {"q": files["surabaya"].reference})
    assert [a.pk for a in found.context["page"].object_list] == [files["surabaya"].pk]
    by_name = client.get(QUEUE, {"q": files["jombang"].pesantren_name})
    assert [a.pk for a in by_name.context["page"].object_list] == [files["jombang"].pk]
    by_regency = client.get(QUEUE, {"regency": "35.17"})
    assert [a.pk for a in by_regency.context["page"].object_list] == [files["jombang"].pk]
    verified = client.get(QUEUE, {"status": S.VERIFIED})
    assert list(verified.context["page"].object_list) == []


def test_the_officer_has_no_kab_kota_filter(world, files):
    page = world.client("officer").get(QUEUE)
    assert "regency" not in page.context["filters"].fields


def test_the_queue_issues_no_query_per_row(world, files, django_assert_max_num_queries):
    cohort = files["surabaya"].cohort
    client = world.client("admin")
    client.get(QUEUE)  # warm the session and caches
    with django_assert_max_num_queries(12) as few:
        client.get(QUEUE)
    for _ in range(15):
        make_application(cohort, regency="35.17")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(QUEUE)


@pytest.mark.parametrize("persona", NO_INTAKE + ["outsider"])
def test_roles_without_intake_cannot_open_the_queue(world, files, persona):
    assert world.client(persona).get(QUEUE).status_code == 403


def test_the_queue_sends_anonymous_visitors_to_log_in(world):
    response = world.client("anonymous").get(QUEUE)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


# --- One file --------------------------------------------------------------------------------


def test_the_file_page_shows_typed_data_with_the_nik_masked(world, files):
    application = files["surabaya"]
    page = world.client("admin").get(_page(application))
    html = page.content.decode()
    assert page.status_code == 200
    assert application.pesantren_name in html
    assert application.nik_masked in html
    assert page.context["form"] is not None  # the admin may decide
    assert application.phone in html


def test_the_auditor_reads_the_file_without_contact_data_or_decision(world, files):
    application = files["surabaya"]
    page = world.client("auditor").get(_page(application))
    html = page.content.decode()
    assert page.status_code == 200
    assert page.context["form"] is None
    assert application.phone not in html
    assert application.email not in html
    assert not page.context["may_download"]


def test_the_officer_cannot_open_another_regencys_file(world, files):
    assert world.client("officer").get(_page(files["jombang"])).status_code == 404
    assert world.client("officer").get(_page(files["surabaya"])).status_code == 200


def test_another_programmes_admin_cannot_open_the_file(world, files):
    assert world.client("kalsel_admin").get(_page(files["surabaya"])).status_code == 404


def test_a_draft_cannot_be_opened_by_staff(world, files):
    assert world.client("admin").get(_page(files["draft"])).status_code == 404


@pytest.mark.parametrize("persona", NO_INTAKE + ["outsider"])
def test_roles_without_intake_cannot_open_a_file(world, files, persona):
    assert world.client(persona).get(_page(files["surabaya"])).status_code == 403


def test_the_applicant_cannot_open_the_staff_page_of_their_own_file(world, files):
    application = files["surabaya"]
    client = world.client("anonymous")
    client.force_login(application.applicant)
    assert client.get(_page(application)).status_code == 403
    assert client.post(_decide_url(application), {"decision": S.VERIFIED}).status_code == 403


def test_the_history_shows_decisions_with_actor_and_reasons(world, files):
    application = files["surabaya"]
    world.client("admin").post(
        _decide_url(application),
        {"decision": S.NEEDS_FIXING, "reasons": "Upload the NPWP.", "check_nib": "not_ok"},
    )
    html = world.client("auditor").get(_page(application)).content.decode()
    assert "Upload the NPWP." in html
    assert world.user("admin").full_name in html
    assert "Asked to fix" in html


# --- Deciding --------------------------------------------------------------------------------


def test_the_officer_decides_a_file_of_their_kab_kota(world, files):
    application = files["surabaya"]
    response = world.client("officer").post(
        _decide_url(application),
        {"decision": S.VERIFIED, "check_nib": "ok", "check_person": "ok", "note_person": "ok"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.VERIFIED
    event = application.events.get(action="verified")
    assert event.checklist == {
        "nib": {"ok": True, "note": ""},
        "person": {"ok": True, "note": "ok"},
    }


def test_asking_for_a_fix_without_reasons_shows_the_error_and_changes_nothing(world, files):
    application = files["surabaya"]
    response = world.client("admin").post(_decide_url(application), {"decision": S.NEEDS_FIXING})
    assert response.status_code == 200
    assert "Give the reasons" in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert not Notification.objects.exists()


def test_the_officer_cannot_decide_outside_their_kab_kota(world, files):
    response = world.client("officer").post(
        _decide_url(files["jombang"]), {"decision": S.REJECTED, "reasons": "x"}
    )
    assert response.status_code == 404
    files["jombang"].refresh_from_db()
    assert files["jombang"].status == S.SUBMITTED


@pytest.mark.parametrize("persona", ["auditor", *NO_INTAKE, "outsider"])
def test_roles_that_do_not_verify_cannot_decide(world, files, persona):
    response = world.client(persona).post(
        _decide_url(files["surabaya"]), {"decision": S.REJECTED, "reasons": "x"}
    )
    assert response.status_code == 403
    files["surabaya"].refresh_from_db()
    assert files["surabaya"].status == S.SUBMITTED


def test_another_programmes_admin_cannot_decide(world, files):
    response = world.client("kalsel_admin").post(
        _decide_url(files["surabaya"]), {"decision": S.REJECTED, "reasons": "x"}
    )
    assert response.status_code == 404


def test_deciding_needs_a_post(world, files):
    assert world.client("admin").get(_decide_url(files["surabaya"])).status_code == 405


# --- Documents -------------------------------------------------------------------------------


def _doc_url(application, document):
    return reverse("intake:staff_document", args=[application.reference, document.pk])


def test_the_verifier_downloads_a_document_as_an_attachment(world, files):
    application = files["surabaya"]
    document = make_document(application)
    response = world.client("officer").get(_doc_url(application, document))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert f"{application.reference}-nib.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW_PII, target_id=application.pk
    ).exists()


def test_the_file_page_links_each_document(world, files):
    application = files["surabaya"]
    document = make_document(application)
    html = world.client("admin").get(_page(application)).content.decode()
    assert _doc_url(application, document) in html


def test_the_officer_cannot_download_another_regencys_document(world, files):
    document = make_document(files["jombang"])
    url = _doc_url(files["jombang"], document)
    assert world.client("officer").get(url).status_code == 404
    assert world.client("kalsel_admin").get(url).status_code == 404


def test_a_document_is_only_served_under_its_own_file(world, files):
    document = make_document(files["jombang"])
    url = _doc_url(files["surabaya"], document)  # right document, wrong file
    assert world.client("admin").get(url).status_code == 404


@pytest.mark.parametrize("persona", ["auditor", *NO_INTAKE, "outsider"])
def test_roles_that_do_not_verify_cannot_download_documents(world, files, persona):
    document = make_document(files["surabaya"])
    response = world.client(persona).get(_doc_url(files["surabaya"], document))
    assert response.status_code == 403


def test_the_applicant_cannot_download_through_the_staff_link(world, files):
    application = files["surabaya"]
    document = make_document(application)
    client = world.client("anonymous")
    assert client.get(_doc_url(application, document)).status_code == 302
    client.force_login(application.applicant)
    assert client.get(_doc_url(application, document)).status_code == 403
