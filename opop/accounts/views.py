from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from opop.accounts.access import memberships_of
from opop.accounts.forms import LoginForm
from opop.accounts.middleware import SESSION_KEY
from opop.accounts.ratelimit import client_ip, login_blocked, login_failed, login_succeeded


@require_http_methods(["GET", "POST"])
def login_view(request):
    form = LoginForm(request, data=request.POST or None)
    status, error = 200, None
    if request.method == "POST":
        ip, email = client_ip(request), request.POST.get("email", "")
        if login_blocked(ip, email):
            form = LoginForm(request, initial={"email": email})
            error = _("Too many failed attempts. Wait 15 minutes and try again.")
            status = 429
        elif form.is_valid():
            login_succeeded(ip, email)
            login(request, form.user)
            next_url = request.POST.get("next") or request.GET.get("next") or ""
            if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
                next_url = "/"
            return HttpResponseRedirect(next_url)
        else:
            login_failed(ip, email)
            status = 400
    return render(request, "accounts/login.html", {"form": form, "error": error}, status=status)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("accounts:login")


@login_required
@require_POST
def switch_programme(request):
    """Choose which of one's memberships (programme and role) the next pages use."""
    wanted = request.POST.get("membership", "")
    membership_ids = {str(m.pk) for m in memberships_of(request.user)}
    if wanted in membership_ids:
        request.session[SESSION_KEY] = int(wanted)
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = "/"
    return HttpResponseRedirect(next_url)
