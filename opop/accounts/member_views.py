"""Programme admins manage who has which role in their programme."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from opop.accounts import services
from opop.accounts.decorators import require_access
from opop.accounts.member_forms import MemberEditForm, MemberGrantForm
from opop.accounts.models import Role
from opop.accounts.selectors import memberships_managed_by
from opop.common.audit import history_for
from opop.common.forms import form_saved


@require_access("administers_programme")
def member_list(request):
    memberships = memberships_managed_by(request.access).order_by("user__full_name", "role")
    role = request.GET.get("role", "")
    if role in Role.values:
        memberships = memberships.filter(role=role)
    query = request.GET.get("q", "").strip()
    if query:
        memberships = memberships.filter(user__full_name__icontains=query) | memberships.filter(
            user__email__icontains=query
        )
    page = Paginator(memberships, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/member_list.html",
        {"page": page, "roles": Role.choices, "role": role, "q": query},
    )


@require_access("administers_programme")
@require_http_methods(["GET", "POST"])
def member_grant(request):
    programme = request.access.programme
    form = MemberGrantForm(request.POST or None, programme=programme)
    granted = form_saved(
        request,
        form,
        lambda: services.membership_grant(
            actor=request.user,
            programme=programme,
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            role=form.cleaned_data["role"],
            scope=form.scope(),
            assigned_pesantren=form.cleaned_data.get("assigned") or [],
            request=request,
        ),
        success=_("Role granted to %(email)s.") % {"email": request.POST.get("email", "")},
    )
    if granted:
        return redirect("accounts:member_list")
    return render(request, "accounts/member_form.html", {"form": form, "membership": None})


@require_access("administers_programme")
@require_http_methods(["GET", "POST"])
def member_edit(request, pk: int):
    membership = get_object_or_404(memberships_managed_by(request.access), pk=pk)
    initial = {
        "regency": membership.regency_id,
        "is_active": membership.is_active,
        "pesantren": membership.pesantren_id or "",
        "person": membership.person_id,
        "partner": membership.partner_id,
        "assigned": " ".join(
            str(p) for p in membership.assigned_pesantren.values_list("pk", flat=True)
        ),
    }
    form = MemberEditForm(
        request.POST or None, initial=initial, programme=membership.programme, role=membership.role
    )
    updated = form_saved(
        request,
        form,
        lambda: services.membership_update(
            actor=request.user,
            membership=membership,
            scope=form.scope(),
            is_active=form.cleaned_data["is_active"],
            assigned_pesantren=form.cleaned_data.get("assigned"),
        ),
        success=_("Role updated."),
    )
    if updated:
        return redirect("accounts:member_list")
    return render(
        request,
        "accounts/member_form.html",
        {"form": form, "membership": membership, "history": history_for(membership)[:50]},
    )
