from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic.accounts.decorators import reach_required, role_required
from clinic.accounts.models import Role
from clinic.accounts.reach import Kind, Level
from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.models import Client, case_and_client
from clinic.clients.retention import refuse_if_closed
from clinic.lib import language
from clinic.lib.dates import show
from clinic.lib.http import not_a_form, posted, sent_as_form
from intake.filling import (
    AnswerTooLong,
    as_form_data,
    display_answers,
    incomplete_sections,
    intake_for,
    save_section,
    section_form,
    submit_intake,
)
from intake.forms import AcceptInvitationForm, ConsentTextForm
from intake.invitations import (
    InvitationUnusable,
    accept_invitation,
    find_invitation,
    limit_invitation,
    revoke_invitation,
    send_invitation,
    tries_used_up,
    try_invitation,
)
from intake.models import ConsentDocument, Intake, IntakeLocked
from intake.sections import SECTIONS, ConsentForm, step_of

# Client-facing pages


def _own_client(request: HttpRequest) -> Client:
    return get_object_or_404(Client.objects.visible_to(request.user).select_related("intake"), user=request.user)


def _section(step: int):
    if not 1 <= step <= len(SECTIONS):
        raise Http404
    return SECTIONS[step - 1]


def _progress(intake, current: int) -> list[dict]:
    return [
        {"step": i, "title": s.title, "done": s.slug in intake.completed, "current": i == current}
        for i, s in enumerate(SECTIONS, start=1)
    ]


@role_required(Role.CLIENT)
@require_GET
def intake_start(request: HttpRequest) -> HttpResponse:
    """Resume in the section the client last worked in, or show the copy once it is sent."""
    intake = intake_for(_own_client(request), request=request)
    if intake.is_submitted:
        return redirect("intake_copy")
    if intake.last_section:
        # Continue where they were, even if that section is already complete.
        return redirect("intake_section", step=step_of(intake.last_section))
    for step, section in enumerate(SECTIONS, start=1):
        if section.slug not in intake.completed:
            return redirect("intake_section", step=step)
    return redirect("intake_section", step=len(SECTIONS))


@role_required(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def intake_section(request: HttpRequest, step: int) -> HttpResponse:
    section = _section(step)
    intake = intake_for(_own_client(request), request=request)
    if intake.is_submitted:
        return redirect("intake_copy")
    missing = []
    if request.method == "POST" and not sent_as_form(request):
        # Not from this page: an empty form would clear the section.
        form = section_form(section, intake, as_form_data(intake.section_answers(section.slug)))
        form.is_valid()
        form.add_error(None, gettext("The page sent something unexpected; nothing was saved. Please try again."))
    elif request.method == "POST":
        try:
            form = save_section(intake=intake, section=section, data=request.POST, request=request)
        except AnswerTooLong:
            form = section_form(section, intake, request.POST)
            form.is_valid()
            form.add_error(None, gettext("One answer is far too long to save. Please shorten it."))
        else:
            going_back = request.POST.get("go") == "back"
            if going_back:
                return redirect("intake_section", step=max(1, step - 1))
            if form.is_valid():
                if isinstance(form, ConsentForm):
                    missing = incomplete_sections(intake)
                    if not missing:
                        submit_intake(intake=intake, signature=form.cleaned_data["signature"], request=request)
                        messages.success(request, gettext("Thank you. Your forms have been sent to your practice."))
                        return redirect("intake_copy")
                else:
                    return redirect("intake_section", step=step + 1)
    else:
        form = section_form(section, intake)
    context = {
        "intake": intake,
        "section": section,
        "step": step,
        "steps": len(SECTIONS),
        "progress": _progress(intake, step),
        "form": form,
        "missing": [(step_of(s.slug), s) for s in missing],
        "autosave_url": reverse("intake_autosave", kwargs={"step": step}),
    }
    if isinstance(form, ConsentForm):
        reading = language.current()
        context["consent"] = ConsentDocument.objects.current(ConsentDocument.Kind.INFORMED_CONSENT, reading)
        context["privacy"] = ConsentDocument.objects.current(ConsentDocument.Kind.PRIVACY_NOTICE, reading)
        context["today"] = timezone.localdate()
    return render(request, "intake/section.html", context)


@role_required(Role.CLIENT)
@require_POST
def intake_autosave(request: HttpRequest, step: int) -> JsonResponse:
    """Save a section as typed, without validating it. Called by the page while the client types."""
    section = _section(step)
    intake = intake_for(_own_client(request), request=request)
    if not sent_as_form(request):
        return not_a_form()
    try:
        save_section(intake=intake, section=section, data=request.POST, request=request)
    except IntakeLocked:
        return JsonResponse({"error": "submitted", "message": gettext("These forms were already sent.")}, status=409)
    except AnswerTooLong:
        return JsonResponse(
            {"error": "too_long", "message": gettext("Not saved: one answer is far too long. Please shorten it.")},
            status=400,
        )
    saved_at = timezone.localtime(intake.updated_at)
    return JsonResponse({"saved": True, "saved_at": show(saved_at, "TIME_FORMAT")})


@require_GET
def form_token(request: HttpRequest) -> JsonResponse:
    """A fresh form token, so a page left open across a new sign-in can save again (any signed-in user)."""
    return JsonResponse({"csrf": get_token(request)})


@role_required(Role.CLIENT)
@require_GET
def intake_copy(request: HttpRequest) -> HttpResponse:
    intake = intake_for(_own_client(request), request=request)
    if not intake.is_submitted:
        return redirect("intake_start")
    return render(request, "intake/copy.html", {"intake": intake, "answers": display_answers(intake)})


# Quick exit: public, so that it works whatever state the session is in.


@csrf_exempt  # Ending one's own session must always work; the worst a forged request does is sign out.
@login_not_required
@require_POST
def quick_exit(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record(action=Action.QUICK_EXIT, request=request)
        logout(request)
    return HttpResponse(status=204)


# Invitations: the link a client opens.


def _invitation_problem(request: HttpRequest, state: str) -> HttpResponse:
    record(action=Action.INVITATION_REFUSED, request=request, detail={"state": state})
    return render(
        request, "intake/invitation_problem.html", {"state": state}, status=410 if state != "unknown" else 404
    )


def _invitation_limited(request: HttpRequest) -> HttpResponse:
    """After too many tries: a calm page, the same whichever names were tried (audited in limit_invitation)."""
    return render(request, "intake/invitation_problem.html", {"state": "limited"}, status=410)


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation, state = find_invitation(token)
    if state != "open":
        return _invitation_problem(request, state)
    if request.user.is_authenticated:
        # A shared device: never attach this link to whoever is signed in.
        logout(request)
    form = AcceptInvitationForm(posted(request))
    if request.method == "POST" and not try_invitation(invitation, request=request):
        return _invitation_limited(request)
    if request.method == "POST" and form.is_valid():
        try:
            user = accept_invitation(
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                request=request,
            )
        except InvitationUnusable as refused:
            return _invitation_problem(request, refused.state)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("intake_start")
    if request.method == "POST" and tries_used_up(invitation):
        limit_invitation(invitation, request=request)
        return _invitation_limited(request)
    return render(request, "intake/invitation_accept.html", {"form": form})


# Staff: invitations and reading intakes, from a case page.


@reach_required(Kind.CLIENT_DETAILS, Level.WRITE)
@require_POST
def invite_client(request: HttpRequest, case_code, client_code) -> HttpResponse:
    case, client = case_and_client(request.user, case_code, client_code, kind=Kind.CLIENT_DETAILS, level=Level.WRITE)
    if refused := refuse_if_closed(request, case):
        return refused
    if client.user_id is not None:
        messages.info(request, f"{client.display_name} already has an account; no invitation is needed.")
        return redirect("case_detail", code=case.code)
    sent = send_invitation(client=client, by=request.user, request=request)
    return render(request, "intake/invitation_created.html", {"client": client, "sent": sent, "case": case})


@reach_required(Kind.CLIENT_DETAILS, Level.WRITE)
@require_POST
def revoke_client_invitation(request: HttpRequest, case_code, client_code) -> HttpResponse:
    case, client = case_and_client(request.user, case_code, client_code, kind=Kind.CLIENT_DETAILS, level=Level.WRITE)
    invitation = client.invitations.open().first()
    if invitation is not None and revoke_invitation(invitation=invitation, by=request.user, request=request):
        messages.success(request, f"The link for {client.display_name} no longer works.")
    else:
        messages.info(request, "There was no working link to revoke.")
    return redirect("case_detail", code=case.code)


@reach_required(Kind.INTAKE)
@require_GET
def intake_read(request: HttpRequest, case_code, client_code) -> HttpResponse:
    """The treating therapist reads a submitted intake. Admins do not browse clinical content:
    theirs is the client summary, made with a recorded purpose."""
    case, client = case_and_client(request.user, case_code, client_code, kind=Kind.INTAKE)
    intake = get_object_or_404(Intake.objects.filter(status=Intake.Status.SUBMITTED), client=client)
    record(action=Action.INTAKE_VIEWED, request=request, target=intake, client=client)
    context = {"case": case, "client": client, "intake": intake, "answers": display_answers(intake)}
    return render(request, "intake/read.html", context)


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def consent_texts(request: HttpRequest) -> HttpResponse:
    """Publish a new version of a consent text. Old versions stay as they were signed."""
    # One set of texts per language (?language=es), each with its own versions.
    editing = language.editing(request)
    form = ConsentTextForm(posted(request))
    if request.method == "POST" and form.is_valid():
        document = form.publish(by=request.user, language=editing)
        record(
            action=Action.CONSENT_TEXT_CHANGED,
            request=request,
            target=document,
            detail={"kind": document.kind, "version": document.version, "language": editing},
        )
        messages.success(
            request,
            f"{document.get_kind_display()} ({language.name_of(editing)}) version {document.version} is now in use.",
        )
        return redirect(language.editing_address(reverse("consent_texts"), editing))
    current = [ConsentDocument.objects.current(kind, editing) for kind in ConsentDocument.Kind.values]
    context = {"form": form, "current": [c for c in current if c], "editing": editing}
    return render(request, "intake/consent_texts.html", context)
