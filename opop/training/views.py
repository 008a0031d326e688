"""Training pages: organisers (programmes, sessions, invitations, check-in, scores,
certificates, report), participants (their invitations, QR, certificates, survey) and the public
certificate verification page. Thin: selectors read with scope, services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opop.accounts.decorators import require_access
from opop.accounts.models import Role
from opop.common.forms import apply_service_errors
from opop.training import selectors, services
from opop.training.certificate import certificate_pdf, qr_svg, verify_url
from opop.training.forms import CheckInForm, RevokeForm, SessionForm, SurveyForm, TrainingForm
from opop.training.models import Certificate, Enrolment, Session
from opop.training.targeting import eligible_people, invitable

PREVIEW = 50


def _learner(request):
    access = request.access
    if not access or access.role not in selectors.LEARNERS:
        raise PermissionDenied
    return access


@login_required
@require_GET
def home(request):
    access = request.access
    if access and access.organises_training:
        return redirect("training:sessions")
    _learner(request)
    return redirect("training:my")


# --- Organisers --------------------------------------------------------------------------------


@require_access("organises_training")
@require_GET
def sessions(request):
    access = request.access
    rows = (
        selectors.sessions_visible_to(access)
        .select_related("training", "regency")
        .order_by("-starts_at")[:200]
    )
    trainings = selectors.trainings_visible_to(access)[:100]
    return render(request, "training/sessions.html", {"sessions": rows, "trainings": trainings})


@require_access("organises_training")
def training_new(request):
    access = request.access
    is_partner = access.role == Role.PARTNER
    form = TrainingForm(
        request.POST or None, programme=access.programme, partner_chooses=not is_partner
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if is_partner:
            data["partner"] = access.membership.partner
        try:
            services.training_create(actor=request.user, programme=access.programme, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Training programme saved."))
            return redirect("training:sessions")
    return render(
        request, "training/form.html", {"form": form, "title": _("New training programme")}
    )


def _session(request, pk: int) -> Session:
    return get_object_or_404(
        selectors.sessions_visible_to(request.access).select_related(
            "training", "regency", "target_regency", "programme"
        ),
        pk=pk,
    )


@require_access("organises_training")
def session_edit(request, pk: int | None = None):
    access = request.access
    session = _session(request, pk) if pk else Session()
    form = SessionForm(
        request.POST or None,
        instance=session,
        access=access,
        trainings=selectors.trainings_visible_to(access),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.session_save(actor=request.user, session=form.instance)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Session saved."))
            return redirect("training:session", pk=saved.pk)
    title = _("Edit session") if pk else _("New training session")
    return render(request, "training/form.html", {"form": form, "title": title})


@require_access("organises_training")
@require_GET
def session_detail(request, pk: int):
    session = _session(request, pk)
    enrolments = session.enrolments.select_related("person", "person__pesantren", "certificate")
    return render(
        request,
        "training/session.html",
        {
            "session": session,
            "enrolments": enrolments.order_by("status", "person__full_name"),
            "counts": selectors.session_counts(session),
            "report": selectors.session_report(session),
            "revoke_form": RevokeForm(),
        },
    )


@require_access("organises_training")
def invite(request, pk: int):
    session = _session(request, pk)
    people = invitable(session, scope=selectors.people_in_reach(request.access))
    if request.method == "POST":
        try:
            n = services.invitations_create(actor=request.user, session=session, people=people)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(n)d people invited.") % {"n": n})
        return redirect("training:session", pk=session.pk)
    return render(
        request,
        "training/invite.html",
        {
            "session": session,
            "total": people.count(),
            "eligible_total": eligible_people(session).count(),
            "preview": people.select_related("pesantren", "regency").order_by("full_name")[
                :PREVIEW
            ],
        },
    )


@require_access("organises_training")
@require_POST
def enrol(request, pk: int):
    session = _session(request, pk)
    scope = selectors.people_in_reach(request.access)
    people = eligible_people(session)
    if scope is not None:
        people = people.filter(id__in=scope.values("id"))
    try:
        person = people.get(pk=int(request.POST.get("person", "0")))
    except (ValueError, people.model.DoesNotExist):
        raise Http404 from None
    try:
        enrolment = services.organiser_enrol(actor=request.user, session=session, person=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(name)s: %(status)s.")
            % {"name": person.full_name, "status": enrolment.get_status_display()},
        )
    return redirect("training:session", pk=session.pk)


def _enrolment_of_organiser(request, pk: int) -> Enrolment:
    return get_object_or_404(
        Enrolment.objects.filter(session__in=selectors.sessions_visible_to(request.access)),
        pk=pk,
    )


@require_access("organises_training")
@require_POST
def enrolment_cancel(request, pk: int):
    enrolment = _enrolment_of_organiser(request, pk)
    try:
        services.enrolment_cancel(actor=request.user, enrolment=enrolment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Enrolment cancelled."))
    return redirect("training:session", pk=enrolment.session_id)


@require_access("organises_training")
def checkin(request, pk: int):
    session = _session(request, pk)
    form = CheckInForm(request.POST or None)
    result, status = None, 200
    if request.method == "POST" and form.is_valid():
        try:
            result = services.check_in(
                actor=request.user, session=session, code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            status = 400
        else:
            form = CheckInForm()
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "training/checkin.html",
        {
            "session": session,
            "form": form,
            "result": result,
            "attended": session.enrolments.filter(checked_in_at__isnull=False).count(),
            "enrolled": session.enrolments.filter(status=Enrolment.Status.ENROLLED).count(),
        },
        status=status,
    )


@require_access("organises_training")
@require_POST
def scores(request, pk: int):
    session = _session(request, pk)
    values: dict[int, tuple[int | None, int | None]] = {}
    try:
        for key in request.POST:
            if key.startswith("pre_"):
                eid = int(key[4:])
                values[eid] = (
                    _score(request.POST.get(key)),
                    _score(request.POST.get(f"post_{eid}")),
                )
        n = services.scores_save(actor=request.user, session=session, scores=values)
    except (ValueError, ValidationError) as exc:
        text = (
            " ".join(exc.messages)
            if isinstance(exc, ValidationError)
            else _("Scores are whole numbers from 0 to 100.")
        )
        messages.error(request, text)
    else:
        messages.success(request, _("%(n)d scores saved.") % {"n": n})
    return redirect("training:session", pk=session.pk)


def _score(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw else None


@require_access("organises_training")
@require_POST
def certificates_issue(request, pk: int):
    session = _session(request, pk)
    n = services.certificates_issue(actor=request.user, session=session)
    messages.success(request, _("%(n)d certificates issued.") % {"n": n})
    return redirect("training:session", pk=session.pk)


@require_access("organises_training")
@require_POST
def certificate_revoke(request, pk: int):
    certificate = get_object_or_404(
        Certificate.objects.filter(
            enrolment__session__in=selectors.sessions_visible_to(request.access)
        ),
        pk=pk,
    )
    form = RevokeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why the certificate is revoked."))
        services.certificate_revoke(
            actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Certificate revoked."))
    return redirect("training:session", pk=certificate.enrolment.session_id)


# --- Participants -----------------------------------------------------------------------------


@login_required
@require_GET
def my(request):
    access = _learner(request)
    enrolments = list(selectors.own_enrolments(access).order_by("-session__starts_at"))
    for e in enrolments:
        e.survey_due = selectors.survey_is_due(e)
        e.cert = selectors.certificate_of(e)
    return render(
        request,
        "training/my.html",
        {
            "enrolments": enrolments,
            "due": [e for e in enrolments if e.survey_due],
            "linked": bool(access.membership.person_id),
        },
    )


def _own(request, pk: int) -> Enrolment:
    return get_object_or_404(selectors.own_enrolments(_learner(request)), pk=pk)


@login_required
def my_enrolment(request, pk: int):
    enrolment = _own(request, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                enrolment = services.invitation_accept(actor=request.user, enrolment=enrolment)
                messages.success(request, enrolment.get_status_display())
            elif action == "decline":
                services.invitation_decline(actor=request.user, enrolment=enrolment)
                messages.success(request, _("Invitation declined."))
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("training:my_enrolment", pk=pk)
    enrolment = _own(request, pk)
    show_qr = enrolment.status == Enrolment.Status.ENROLLED and not enrolment.checked_in_at
    cert = selectors.certificate_of(enrolment)
    return render(
        request,
        "training/my_enrolment.html",
        {
            "e": enrolment,
            "session": enrolment.session,
            "qr_svg": qr_svg(enrolment.checkin_code) if show_qr else "",
            "cert": cert,
            "survey_due": selectors.survey_is_due(enrolment),
            "survey_on": selectors.survey_due_on(enrolment.session),
        },
    )


@login_required
def survey(request, pk: int):
    enrolment = _own(request, pk)
    if not selectors.survey_is_due(enrolment):
        raise Http404
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(actor=request.user, enrolment=enrolment, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you for your answers."))
            return redirect("training:my")
    return render(request, "training/survey.html", {"form": form, "e": enrolment})


@login_required
@require_GET
def certificate_download(request, pk: int):
    """The PDF, for its holder or for an organiser of the session."""
    access = request.access
    qs = Certificate.objects.select_related(
        "enrolment__person",
        "enrolment__session__training__programme",
        "enrolment__session__programme",
    )
    if access and access.organises_training:
        qs = qs.filter(enrolment__session__in=selectors.sessions_visible_to(access))
    elif access and access.role in selectors.LEARNERS:
        qs = qs.filter(enrolment__in=selectors.own_enrolments(access))
    else:
        raise PermissionDenied
    certificate = get_object_or_404(qs, pk=pk)
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.pdf"'
    return response


# --- Public -----------------------------------------------------------------------------------


@require_GET
def verify(request, code: str):
    """Public: anyone holding the QR may check the certificate. Name only, no other data. An
    unknown code (forged, mistyped) gets the same page saying it is not valid, as a 404."""
    certificates = Certificate.objects.select_related(
        "enrolment__person", "enrolment__session__training"
    ).only(
        "number",
        "issued_at",
        "revoked_at",
        "verify_code",
        "enrolment__person__full_name",
        "enrolment__session__title",
        "enrolment__session__starts_at",
        "enrolment__session__ends_at",
        "enrolment__session__training__name",
        "enrolment__session__training__kind",
        "enrolment__session__training__organiser_name",
    )
    try:
        certificate = certificates.get(verify_code=code)
    except Certificate.DoesNotExist:
        return render(request, "training/verify.html", {"certificate": None}, status=404)
    from opop.training.certificate import session_dates

    session = certificate.enrolment.session
    return render(
        request,
        "training/verify.html",
        {
            "certificate": certificate,
            "name": certificate.enrolment.person.full_name,
            "session": session,
            "training": session.training,
            "dates": session_dates(session),
            "url": verify_url(certificate),
        },
    )
