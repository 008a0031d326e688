from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def healthz(request):
    """Liveness for load balancers: 200 with whether the database answers (503 if not)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure means "not answering"
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "degraded", "database": database}, status=status
    )


@login_required
def home(request):
    access = request.access
    for check, name in (
        ("reads_dashboard", "dashboard:programme"),
        ("reads_registry", "registry:person_list"),
        ("is_juror", "assessment:juror_queue"),
    ):
        if access and getattr(access, check):
            try:
                return redirect(reverse(name))
            except NoReverseMatch:
                continue
    return render(request, "common/home.html", {})
