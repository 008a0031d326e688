"""The seller's sales report (with its spreadsheet) and monthly settlement statement."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from opop.accounts.decorators import require_access
from opop.common.spreadsheets import write_xlsx
from opop.mart import selectors_seller as selectors
from opop.mart.forms_seller import DateRangeForm, parse_period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_access("sells")
def seller_sales(request):
    form = DateRangeForm(request.GET)
    dates = form.cleaned_data if form.is_valid() else {}
    report = selectors.sales(request.access, dates.get("date_from"), dates.get("date_to"))
    if request.GET.get("format") == "xlsx":
        return _sales_xlsx(report)
    return render(request, "mart/seller_sales.html", {"form": form, "report": report})


def _sales_xlsx(report) -> HttpResponse:
    rows = [
        [_("Month"), row["month"].strftime("%Y-%m"), "", row["orders"], row["value"]]
        for row in report["by_month"]
    ] + [
        [_("Product"), row["product_name"], row["quantity"], row["orders"], row["value"]]
        for row in report["by_product"]
    ]
    content = write_xlsx(
        [_("Grouped by"), _("Month or product"), _("Units"), _("Orders"), _("Sales (Rp)")],
        rows,
        sheet_title=_("Sales"),
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="opop-mart-sales.xlsx"'
    return response


@require_access("sells")
def seller_settlement(request):
    period = parse_period(request.GET.get("period"))
    statement = selectors.settlement(request.access, period)
    context = {
        "statement": statement,
        "period_value": period.strftime("%Y-%m"),
        "sellers": selectors.enterprises_editable_by(request.access).order_by("name"),
    }
    return render(request, "mart/seller_settlement.html", context)
