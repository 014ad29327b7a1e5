"""The practice library, assigning exercises, and the client's check-ins.

Staff: the library (therapists and admins), assigning and withdrawing (the
case's primary therapist only), and each partner's sent check-ins on the case
page and beside the note. Clients: their own assignments only, reached through
`Assignment.objects.of_client_user`, so a partner's assignment answers 404 like
one that does not exist. Drafts of check-ins stay the client's until sent.
"""

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clinic.accounts.decorators import reach_required, role_required
from clinic.accounts.models import Role
from clinic.accounts.reach import Kind, Level
from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.models import Case
from clinic.clients.notices import notify_something_new
from clinic.clients.retention import refuse_if_closed
from clinic.lib.dates import show
from clinic.lib.http import not_a_form, posted, sent_as_form, storable
from clinic.lib.language import base_language
from clinic.lib.language import name_of as language_name
from clinic.lib.numbers import NotANumber, whole_number
from clinic.notes.models import Practice, TherapySession
from clinic.plans.exercise_forms import CHECKIN_TEXT_MAX, AssignmentForm, CheckInForm, ExerciseForm, text_forms
from clinic.plans.exercises import (
    CheckInRefused,
    StaleCheckIn,
    assign,
    draft_of,
    save_checkin,
    send_checkin,
    withdraw,
)
from clinic.plans.models import Assignment, CheckIn, Exercise, ExerciseText, TreatmentPlan, Tried

# The one title a client's home shows for an assignment, whatever the exercise: a partner may glance at it.
HOME_TITLE = gettext_noop("Something to try this week")
# The exercise whose check-in was just sent: the page that answers the send is not an opening of it.
JUST_SENT_KEY = "fulcrum_exercise_just_sent"

# Library (staff)


@role_required(Role.THERAPIST, Role.ADMIN)
@require_safe
def exercise_library(request: HttpRequest) -> HttpResponse:
    exercises = list(Exercise.objects.prefetch_related("texts").order_by("-is_active", "title"))
    groups = [
        {"practice": label, "key": key, "exercises": [e for e in exercises if e.practice == key]}
        for key, label in Practice.choices
    ]
    return render(request, "plans/exercise_library.html", {"groups": groups})


def _exercise_page(request: HttpRequest, exercise: Exercise | None) -> HttpResponse:
    form = ExerciseForm(posted(request), instance=exercise)
    texts = text_forms(posted(request), exercise)
    if request.method == "POST" and form.is_valid() and all(t.is_valid() for t in texts):
        with transaction.atomic():
            saved = form.save(commit=False)
            saved.updated_at = timezone.now()
            saved.save()
            for text in texts:
                if text.is_empty:
                    ExerciseText.objects.filter(exercise=saved, language=text.language).delete()
                else:
                    words = {k: text.cleaned_data[k] for k in ("title", "instructions", "suggested_length")}
                    ExerciseText.objects.update_or_create(
                        exercise=saved, language=text.language, defaults={**words, "updated_at": timezone.now()}
                    )
            record(
                action=Action.EXERCISE_SAVED,
                request=request,
                target=saved,
                detail={
                    "new": exercise is None,
                    "practice": saved.practice,
                    "active": saved.is_active,
                    "languages": sorted(t.language for t in texts if not t.is_empty),
                },
            )
        messages.success(request, f"“{saved.title}” is saved in the library.")
        return redirect("exercise_library")
    context = {"form": form, "texts": texts, "exercise": exercise, "previews": _as_clients_read(exercise)}
    return render(request, "plans/exercise_form.html", context)


def _as_clients_read(exercise: Exercise | None) -> list[Assignment]:
    """The saved exercise as a client assigned it reads it, once per language it has words in (unsaved rows)."""
    if exercise is None:
        return []
    languages = dict.fromkeys([base_language(), *(t.language for t in exercise.texts.all())])
    return [
        Assignment(
            title=found.title,
            instructions=found.instructions,
            suggested_length=found.suggested_length,
            language=found.language,
        )
        for found in (exercise.words_in(code) for code in languages)
    ]


@role_required(Role.THERAPIST, Role.ADMIN)
@require_http_methods(["GET", "POST"])
def exercise_new(request: HttpRequest) -> HttpResponse:
    return _exercise_page(request, None)


@role_required(Role.THERAPIST, Role.ADMIN)
@require_http_methods(["GET", "POST"])
def exercise_edit(request: HttpRequest, code) -> HttpResponse:
    return _exercise_page(request, get_object_or_404(Exercise, code=code))


# Assigning (the case's primary therapist)


def _own_case(request: HttpRequest, code) -> Case:
    """A case where the user assigns exercises (clinic.accounts.reach): its therapist; a supervisor or colleague
    gets 404."""
    return get_object_or_404(Case.objects.reaching(request.user, Kind.EXERCISES, Level.WRITE), code=code)


def plan_goals(case: Case) -> list:
    """The goals of the plan in force (shared and each partner's own), or none."""
    plan = TreatmentPlan.objects.filter(case=case).first()
    version = plan.in_force() if plan is not None else None
    return list(version.goals.select_related("client")) if version is not None else []


@reach_required(Kind.EXERCISES, Level.WRITE)
@require_http_methods(["GET", "POST"])
def assignment_new(request: HttpRequest, code) -> HttpResponse:
    case = _own_case(request, code)
    if refused := refuse_if_closed(request, case):
        return refused
    partners = list(case.clients.order_by("memberships__id"))
    form = AssignmentForm(posted(request), case=case, partners=partners, goals=plan_goals(case))
    if request.method == "POST" and form.is_valid():
        # The words go to the client as typed: show them as they will read them when asked, and before a note
        # that names a partner beside a score leaves, say so and let the therapist change it or confirm it.
        warnings = form.word_warnings()
        confirmed = request.POST.get("words_confirmed") == "yes"
        if request.POST.get("go") == "preview" or (warnings and not confirmed):
            context = {
                "case": case,
                "form": form,
                "partners": partners,
                "previews": form.assignments(),
                "word_warnings": warnings,
            }
            return render(request, "plans/assignment_form.html", context)
        data = form.cleaned_data
        made = assign(
            case=case,
            clients=data["clients"],
            exercise=data["exercise"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            by=request.user,
            personal_note=data["personal_note"].strip(),
            goal=data["goal"],
            request=request,
        )
        for assignment in made:
            notify_something_new(client=assignment.client, request=request)
        names = " and ".join(a.client.display_name for a in made)
        messages.success(request, f"“{data['exercise'].title}” assigned to {names}, each privately.")
        for a in made:
            if a.language != a.client.language:
                # The library has no words in this client's language yet: they read the practice's own.
                messages.warning(
                    request,
                    f"{a.client.display_name} reads it in {language_name(a.language)}: the library has no"
                    f" {language_name(a.client.language)} words for this exercise yet.",
                )
        return redirect(reverse("case_detail", kwargs={"code": case.code}) + "#practice-h")
    context = {"case": case, "form": form, "partners": partners, "previews": [], "word_warnings": []}
    return render(request, "plans/assignment_form.html", context)


@reach_required(Kind.EXERCISES, Level.WRITE)
@require_POST
def assignment_withdraw(request: HttpRequest, code) -> HttpResponse:
    assignment = get_object_or_404(
        Assignment.objects.visible_to(request.user, Level.WRITE).select_related("case", "client"), code=code
    )
    if not withdraw(assignments=Assignment.objects.filter(pk=assignment.pk), by=request.user, request=request):
        messages.info(request, "That exercise was already withdrawn.")
    else:
        messages.success(request, f"Withdrawn: {assignment.client.display_name} no longer sees “{assignment.title}”.")
    return redirect(reverse("case_detail", kwargs={"code": assignment.case.code}) + "#practice-h")


# What the therapist sees: sent check-ins only (a draft is the client's until they send it).


def _sent_checkins() -> Prefetch:
    return Prefetch(
        "checkins", queryset=CheckIn.objects.filter(sent_at__isnull=False).order_by("sent_at"), to_attr="sent"
    )


def _by_partner(partners, assignments) -> list[dict]:
    today = timezone.localdate()
    rows = []
    for partner in partners:
        own = [a for a in assignments if a.client_id == partner.pk]
        current = [a for a in own if a.withdrawn_at is None and a.ends_on >= today]
        rows.append(
            {
                "client": partner,
                "current": current,
                "past": [a for a in own if a not in current],
                "checkins": sum(len(a.sent) for a in own),
                "worse": any(c.made_things_worse for a in own for c in a.sent),
            }
        )
    return rows


def _record_checkins_viewed(request_or_none, *, user, case, rows, where: str) -> None:
    for row in rows:
        if row["checkins"]:
            record(
                action=Action.CHECKINS_VIEWED,
                request=request_or_none,
                actor=user,
                target=case,
                client=row["client"],
                detail={"where": where, "checkins": row["checkins"]},
            )


def case_practice_context(*, case, user) -> dict:
    """The case page's section: each partner's assignments with their sent check-ins (primary therapist only)."""
    if not case.reaches(user, Kind.EXERCISES):
        return {}
    # The case page has its partners prefetched in membership order.
    partners = list(case.clients.all())
    assignments = list(Assignment.objects.filter(case=case).select_related("goal").prefetch_related(_sent_checkins()))
    rows = _by_partner(partners, assignments)
    _record_checkins_viewed(None, user=user, case=case, rows=rows, where="case")
    return {"practice_partners": rows, "practice_may_assign": not case.is_closed}


def note_checkins_context(*, note, session, user) -> dict:
    """The note editor's sidebar: each partner's assignments and check-ins since the case's previous session held."""
    case = session.case
    if not case.reaches(user, Kind.EXERCISES):
        return {}
    previous = (
        # The last session held (a missed one did not hear about the week).
        TherapySession.objects.filter(
            case=case, starts_at__lt=session.starts_at, attendance=TherapySession.Attendance.ATTENDED
        )
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    checkins = CheckIn.objects.filter(sent_at__isnull=False).order_by("sent_at")
    assignments = Assignment.objects.filter(case=case).select_related("client")
    if previous is not None:
        checkins = checkins.filter(sent_at__gt=previous)
        assignments = assignments.filter(ends_on__gte=timezone.localdate(previous))
    assignments = list(assignments.prefetch_related(Prefetch("checkins", queryset=checkins, to_attr="sent")))
    partners = list(case.clients.order_by("memberships__id"))
    rows = _by_partner(partners, assignments)
    for row in rows:
        row["assignments"] = row["current"] + row["past"]
    _record_checkins_viewed(None, user=user, case=case, rows=rows, where="note")
    return {"checkin_partners": rows, "checkins_since": previous}


# The client's side


def client_home_tasks(*, client) -> list[dict]:
    """One item per current assignment, all under the same neutral title: nothing says what it is about."""
    current = Assignment.objects.filter(client=client).current().order_by("ends_on", "id")
    return [
        {
            "title": gettext(HOME_TITLE),
            "url": reverse("my_practice", kwargs={"code": a.code}),
            "note": gettext("Until %(date)s.") % {"date": show(a.ends_on, "DATE_FORMAT")},
        }
        for a in current.only("code", "ends_on")
    ]


def _own_assignment(request: HttpRequest, code) -> Assignment:
    """The client's own assignment, not withdrawn; anyone else's (a partner's) answers 404, as a missing one does."""
    own = Assignment.objects.of_client_user(request.user).filter(withdrawn_at__isnull=True)
    return get_object_or_404(own.select_related("client"), code=code)


def _checkin_page(request, assignment, *, draft, values=None, form=None, problem="", status=200) -> HttpResponse:
    values = values or {"tried": draft.tried, "text": draft.text, "made_things_worse": draft.made_things_worse}
    context = {
        "assignment": assignment,
        "draft": draft,
        "values": values,
        "tried_choices": Tried.choices,
        "sent": list(assignment.checkins.filter(sent_at__isnull=False).order_by("-sent_at")),
        "form": form,
        "problem": problem,
        "text_max": CHECKIN_TEXT_MAX,
        "autosave_url": reverse("checkin_autosave", kwargs={"code": assignment.code}),
    }
    return render(request, "plans/my_practice.html", context, status=status)


@role_required(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def my_practice(request: HttpRequest, code) -> HttpResponse:
    """The exercise, the therapist's words to this client, and the check-in; "Send" posts here."""
    assignment = _own_assignment(request, code)
    if request.method == "POST" and not sent_as_form(request):
        # Not the page's form: answered without touching the draft (nor making one).
        draft = assignment.checkins.filter(sent_at__isnull=True).first() or CheckIn(assignment=assignment)
        problem = gettext("The page sent something unexpected.")
        return _checkin_page(request, assignment, draft=draft, problem=problem, status=400)
    draft = draft_of(assignment)
    if request.method == "GET":
        # Not after a send: a send that said it made things worse ends on the help page instead, so an
        # "opened" row after some sends and not others would tell the audit log which answer was sent.
        if request.session.pop(JUST_SENT_KEY, None) != str(assignment.code):
            record(action=Action.EXERCISE_OPENED, request=request, target=assignment, client=assignment.client)
        return _checkin_page(request, assignment, draft=draft)
    form = CheckInForm(request.POST)
    typed = {
        "tried": request.POST.get("tried", "") if request.POST.get("tried", "") in Tried.values else "",
        "text": storable(request.POST.get("text", ""))[: CHECKIN_TEXT_MAX * 2],
        "made_things_worse": bool(request.POST.get("made_things_worse")),
    }
    expected = form.cleaned_data.get("version") if form.is_valid() else _version(request)
    try:
        if not form.is_valid():
            if len(typed["text"]) <= CHECKIN_TEXT_MAX:
                # Not sent yet, but kept: nothing typed is lost to a missing choice.
                draft = save_checkin(checkin=draft, expected_revision=expected, **typed)
            return _checkin_page(request, assignment, draft=draft, values=typed, form=form)
        data = form.cleaned_data
        draft = save_checkin(
            checkin=draft,
            tried=data["tried"],
            text=storable(data["text"]),
            made_things_worse=data["made_things_worse"],
            expected_revision=expected,
        )
    except StaleCheckIn as stale:
        problem = gettext(
            "This check-in was changed in another window since this page opened, so nothing was sent. "
            "What you typed here is below: press Send again to send it."
        )
        return _checkin_page(request, assignment, draft=stale.current, values=typed, problem=problem, status=409)
    except CheckInRefused as refused:
        return _checkin_page(request, assignment, draft=draft_of(assignment), values=typed, problem=str(refused))
    sent = send_checkin(checkin=draft, request=request)
    if sent.made_things_worse:
        messages.info(
            request,
            gettext(
                "Thank you for telling us. Your therapist will see what you sent. Please stop this one for now. "
                "If you would like to talk to someone, the people below are there for you, any time."
            ),
        )
        return redirect("safety_page")
    messages.success(request, gettext("Thank you. Your check-in has reached your therapist."))
    request.session[JUST_SENT_KEY] = str(assignment.code)
    return redirect("my_practice", code=assignment.code)


def _version(request: HttpRequest) -> int | None:
    try:
        return whole_number(request.POST.get("version"), minimum=1)
    except NotANumber:
        return None


@role_required(Role.CLIENT)
@require_POST
def checkin_autosave(request: HttpRequest, code) -> JsonResponse:
    """Keep what is typed; a save from another window since answers 409 and overwrites nothing."""
    assignment = _own_assignment(request, code)
    if not sent_as_form(request):
        return not_a_form()
    tried = request.POST.get("tried", "")
    text = storable(request.POST.get("text", ""))
    if tried not in ("", *Tried.values):
        return JsonResponse(
            {"error": "invalid", "message": gettext("Not saved: choose yes, partly or not yet again.")}, status=400
        )
    if len(text) > CHECKIN_TEXT_MAX:
        return JsonResponse(
            {"error": "too_long", "message": gettext("Not saved: please shorten your lines a little.")}, status=400
        )
    try:
        saved = save_checkin(
            checkin=draft_of(assignment),
            tried=tried,
            text=text,
            made_things_worse=bool(request.POST.get("made_things_worse")),
            expected_revision=_version(request),
        )
    except (StaleCheckIn, CheckInRefused):
        message = gettext("Not saved: this check-in was changed in another window. Open the page again to see it.")
        return JsonResponse({"error": "conflict", "message": message}, status=409)
    return JsonResponse({"saved": True, "saved_at": show(saved.updated_at, "TIME_FORMAT"), "version": saved.revision})
