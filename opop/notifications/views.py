"""A user's own notifications: the list, opening one (marks it read), marking all read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from opop.notifications import services
from opop.notifications.models import Notification
from opop.notifications.whatsapp import wa_share_url

PAGE_SIZE = 20


@login_required
def notification_list(request):
    rows = Notification.objects.filter(user=request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page:
        item.wa_url = wa_share_url(item.share_text) if item.share_text else ""
    return render(request, "notifications/list.html", {"page": page})


@login_required
def notification_open(request, pk: int):
    # Only the recipient's own rows: another user's id is a 404.
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    services.notifications_mark_read(actor=request.user, ids=[notification.pk])
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_mark_read(request):
    services.notifications_mark_read(actor=request.user)
    return redirect("notifications:list")
