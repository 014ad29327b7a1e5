from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.checkins import answers_for_session, offer_after_session
from assessments.flags import conjoint_not_advised
from clinic.accounts.decorators import reach_required
from clinic.accounts.reach import Kind, Level
from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.models import Case
from clinic.clients.retention import refuse_if_closed
from clinic.lib.dates import show
from clinic.lib.http import posted
from clinic.lib.numbers import NotANumber, whole_number
from clinic.notes.forms import NoteForm, PrivateNoteForm, SessionForm, TextForm
from clinic.notes.models import NoteLocked, PsychotherapyNote, SessionNote, SignRefused, StaleDraft, TherapySession
from clinic.notes.writing import add_addendum, note_for, save_note, save_private_note, sign_note
from clinic.plans.hooks import note_context
from clinic.plans.models import NoteGoal
from clinic.plans.progress import goals_for_note


@reach_required(Kind.NOTES, Level.WRITE)
@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest, case_code) -> HttpResponse:
    case = get_object_or_404(Case.objects.reaching(request.user, Kind.NOTES, Level.WRITE), code=case_code)
    if refused := refuse_if_closed(request, case):
        return refused
    paused = conjoint_not_advised(case)
    form = SessionForm(posted(request), case=case, conjoint_paused=paused)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            session = form.save(commit=False)
            session.case, session.created_by = case, request.user
            session.save()
            record(action=Action.SESSION_CREATED, request=request, target=session, client=session.individual_client)
            # Each client who was there is asked how it went (assessments/checkins.py says when).
            offer_after_session(session=session, request=request)
            if form.overridden:
                # That it happened, not why: the reason stays on the session, out of the audit log.
                record(action=Action.CONJOINT_OVERRIDE, request=request, target=session)
        return redirect("note_page", code=session.code)
    return render(request, "notes/session_form.html", {"case": case, "form": form, "conjoint_paused": paused})


def _session_for(request: HttpRequest, code) -> TherapySession:
    """The case's own therapist, or the author's supervisor for a note waiting for their co-signature.

    A supervisor's reach to notes (clinic.accounts.reach) is narrower than their reach to the case:
    only the notes that wait for them (`awaiting_cosign_by`, empty when the table says none).
    """
    scope = Q(case__in=Case.objects.reaching(request.user, Kind.NOTES, Level.WRITE))
    if request.user.is_supervisor:
        scope |= Q(note__in=SessionNote.objects.awaiting_cosign_by(request.user))
    readable = TherapySession.objects.filter(scope)
    return get_object_or_404(readable.select_related("case__primary_therapist", "individual_client"), code=code)


def _page(request: HttpRequest, session: TherapySession, *, form=None, conflict=None, status=200) -> HttpResponse:
    own_case = session.case.reaches(request.user, Kind.NOTES, Level.WRITE)
    goal_links = Prefetch("goal_links", queryset=NoteGoal.objects.select_related("goal__version", "goal__client"))
    note = SessionNote.objects.filter(session=session).prefetch_related("tags", "addenda__author", goal_links).first()
    if note is None and own_case:
        note = note_for(session, author=request.user)
    if note is None:
        raise Http404
    editable = not note.is_signed and note.author_id == request.user.pk
    if editable and form is None:
        _, goals = goals_for_note(note, session)
        form = NoteForm(initial=NoteForm.initial_for(note, goals), note_format=note.format, goals=goals)
    # The last note's next steps: another note, so only for whoever reaches every note of the case.
    previous = None
    if own_case:
        previous = (
            SessionNote.objects.filter(
                session__case=session.case, session__starts_at__lt=session.starts_at, status="signed"
            )
            .order_by("-session__starts_at")
            .first()
        )
    private = PsychotherapyNote.objects.filter(session=session, author=request.user).first()
    checkins = answers_for_session(session) if session.case.reaches(request.user, Kind.SESSION_CHECKINS) else []
    if any(a.rows for a in checkins):
        record(action=Action.SESSION_CHECKINS_VIEWED, request=request, target=session)
    record(action=Action.NOTE_VIEWED, request=request, target=note, client=session.individual_client)
    context = {
        "session": session,
        "case": session.case,
        "note": note,
        "form": form if editable else None,
        "conflict": conflict,
        "previous": previous,
        "addendum_form": TextForm(),
        "private_form": PrivateNoteForm(initial={"text": private.text if private else ""})
        if session.case.reaches(request.user, Kind.PRIVATE_NOTES, Level.WRITE)
        else None,
        "session_checkins": checkins,
        "now": timezone.now(),
        "may_cosign": SessionNote.objects.awaiting_cosign_by(request.user).filter(pk=note.pk).exists(),
        **note_context(note=note, session=session, user=request.user),
    }
    return render(request, "notes/note.html", context, status=status)


@reach_required(Kind.NOTES)
@require_GET
def note_page(request: HttpRequest, code) -> HttpResponse:
    return _page(request, _session_for(request, code))


@reach_required(Kind.NOTES, Level.WRITE)
@require_POST
def note_save(request: HttpRequest, code) -> HttpResponse:
    """Save the draft (and sign it, if asked). A newer save elsewhere is never overwritten."""
    session = _session_for(request, code)
    note = get_object_or_404(SessionNote.objects.filter(author=request.user), session=session)
    # The fields posted are those of the format the page showed; a new format in the select is applied on save.
    _, goals = goals_for_note(note, session)
    form = NoteForm(request.POST, note_format=note.format, goals=goals)
    if not form.is_valid():
        return _page(request, session, form=form)
    try:
        save_note(note=note, form=form, by=request.user, request=request)
    except NoteLocked:
        messages.info(request, "This note is signed: add an addendum instead.")
        return redirect("note_page", code=session.code)
    except StaleDraft as stale:
        fresh = NoteForm(request.POST.copy(), note_format=form.note_format, goals=goals)
        fresh.data["version"] = stale.current.version
        fresh.is_valid()
        return _page(request, session, form=fresh, conflict=stale.current, status=409)
    if request.POST.get("go") == "sign":
        # Signing is asked once, on a page that shows what will be locked (works without script).
        return redirect("note_sign", code=session.code)
    messages.success(request, "Draft saved.")
    return redirect("note_page", code=session.code)


@reach_required(Kind.NOTES, Level.WRITE)
@require_http_methods(["GET", "POST"])
def note_sign(request: HttpRequest, code) -> HttpResponse:
    """Confirm, then sign: the page lists what will be locked; the POST signs only the version shown."""
    session = _session_for(request, code)
    goal_links = Prefetch("goal_links", queryset=NoteGoal.objects.select_related("goal__version", "goal__client"))
    note = get_object_or_404(
        SessionNote.objects.filter(author=request.user).prefetch_related("tags", goal_links), session=session
    )
    if note.is_signed:
        messages.info(request, "This note is signed: add an addendum instead.")
        return redirect("note_page", code=session.code)
    if request.method == "POST":
        try:
            version = whole_number(request.POST.get("version"), minimum=1)
        except NotANumber:
            messages.error(request, "Not signed: confirm from this page.")
            return redirect("note_sign", code=session.code)
        try:
            sign_note(note=note, by=request.user, request=request, expected_version=version)
        except NoteLocked:
            messages.info(request, "This note is signed: add an addendum instead.")
        except SignRefused as refused:
            messages.error(request, f"Not signed: {refused}")
            return redirect("note_sign", code=session.code)
        else:
            messages.success(request, "Signed. The note is now locked; add an addendum if something changes.")
        return redirect("note_page", code=session.code)
    record(action=Action.NOTE_VIEWED, request=request, target=note, client=session.individual_client)
    return render(request, "notes/sign_confirm.html", {"session": session, "case": session.case, "note": note})


@reach_required(Kind.NOTES, Level.WRITE)
@require_POST
def note_autosave(request: HttpRequest, code) -> JsonResponse:
    """The editor saves while the therapist types; a newer save elsewhere answers 409 and nothing is overwritten."""
    session = _session_for(request, code)
    note = get_object_or_404(SessionNote.objects.filter(author=request.user), session=session)
    _, goals = goals_for_note(note, session)
    form = NoteForm(request.POST, note_format=note.format, goals=goals)
    if not form.is_valid():
        problems = " ".join(e for errors in form.errors.values() for e in errors)
        return JsonResponse({"error": "invalid", "message": f"Not saved yet: {problems}"}, status=400)
    try:
        save_note(note=note, form=form, by=request.user, request=request)
    except NoteLocked:
        return JsonResponse({"error": "signed", "message": "This note is signed."}, status=409)
    except StaleDraft:
        message = "Saved elsewhere since you opened it. Press Save draft to compare both versions; nothing is lost."
        return JsonResponse({"error": "conflict", "message": message}, status=409)
    saved_at = show(note.updated_at, "TIME_FORMAT")
    return JsonResponse(
        {
            "saved": True,
            "saved_at": saved_at,
            "version": note.version,
            "format": note.format,
            "sign_needs": note.sign_gaps(),
        }
    )


@reach_required(Kind.NOTES, Level.WRITE)
@require_POST
def note_addendum(request: HttpRequest, code) -> HttpResponse:
    session = _session_for(request, code)
    note = get_object_or_404(SessionNote.objects.filter(author=request.user), session=session)
    form = TextForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write the addendum first; nothing was added.")
    else:
        try:
            add_addendum(note=note, by=request.user, text=form.cleaned_data["text"], request=request)
        except SignRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, "Addendum added and signed.")
    return redirect("note_page", code=session.code)


@reach_required(Kind.PRIVATE_NOTES, Level.WRITE)
@require_POST
def private_note(request: HttpRequest, code) -> HttpResponse:
    """A process note of the treating therapist's own (a supervisor co-signing does not write one)."""
    session = _session_for(request, code)
    if not session.case.reaches(request.user, Kind.PRIVATE_NOTES, Level.WRITE):
        raise Http404
    form = PrivateNoteForm(request.POST)
    if form.is_valid():
        save_private_note(session=session, by=request.user, text=form.cleaned_data["text"], request=request)
        messages.success(request, "Private note saved. Only you can see it.")
    else:
        messages.error(request, "The private note is too long to save; shorten it.")
    return redirect("note_page", code=session.code)


@reach_required(Kind.NOTES)
@require_POST
def note_cosign(request: HttpRequest, code, decision: str) -> HttpResponse:
    """Co-sign or return a supervisee's note, then confirm it on the dashboard.

    Acting ends the supervisor's access to the note (it no longer awaits them),
    so the answer is the dashboard with a message naming what was done, never
    the note page (which would now be a 404).
    """
    session = _session_for(request, code)
    note = get_object_or_404(SessionNote.objects.select_related("author"), session=session)
    which = f"{note.author}'s note for {session.case.label}, session of {show(session.starts_at, 'DATE_FORMAT')}"
    try:
        if decision == "cosign":
            note.cosign(by=request.user)
            record(action=Action.NOTE_COSIGNED, request=request, target=note, client=session.individual_client)
            messages.success(request, f"Co-signed {which}.")
        else:
            note.return_to_author(by=request.user, comment=request.POST.get("comment", "")[:2000])
            record(action=Action.NOTE_RETURNED, request=request, target=note, client=session.individual_client)
            messages.success(request, f"Returned {which} to its author with your comment.")
    except SignRefused as refused:
        messages.error(request, str(refused))
        return redirect("note_page", code=session.code)
    return redirect("dashboard")
