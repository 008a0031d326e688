import logging

from django.test import RequestFactory

from opop.common.error_reports import PersonalDataReporterFilter


def test_error_reports_hide_personal_fields():
    request = RequestFactory().post("/x", {"nik": "3578014508950001", "phone": "0812", "name": "A"})
    params = PersonalDataReporterFilter().get_post_parameters(request)
    assert params["nik"] != "3578014508950001" and params["phone"] != "0812"
    assert params["name"] == "A"


def test_configured_log_handler_masks_nik_and_phone():
    handler = next(h for h in logging.getLogger().handlers if h.filters)
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "NIK %s HP %s", ("3578014508950001", "0812-3456-7890"), None
    )
    assert handler.filter(record)
    text = record.getMessage()
    assert "3578014508950001" not in text and "0812-3456-7890" not in text
