"""Treatment plan pages (staff): the plan in force, the editor of its draft, signing, reviews and old versions.

Who reaches a plan is stated in clinic.accounts.reach: the case's primary
therapist writes, signs and starts reviews; their supervisor reads the signed
versions (audited as a supervisor's reading), without each partner's own
goals, which are part of that partner's record; anyone else, admins and
clients included, gets 404 (admins make the plan PDF for a recorded purpose).
"""

import uuid

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch, ProtectedError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic.accounts.decorators import reach_required
from clinic.accounts.reach import Kind, Level
from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients import words
from clinic.clients.models import Case
from clinic.clients.retention import refuse_if_closed
from clinic.lib.dates import show
from clinic.lib.http import not_a_form, sent_as_form
from clinic.lib.language import name_of as language_name
from clinic.lib.numbers import NotANumber, whole_number
from clinic.notes.models import Practice
from clinic.plans.forms import GoalForm, PlanForm, measure_label
from clinic.plans.models import PlanAcknowledgement, PlanLocked, PlanRefused, PlanVersion, TreatmentPlan
from clinic.plans.planning import StalePlan, add_goal, remove_goal, save_draft, sign_version, start_plan, start_review
from clinic.plans.progress import PRACTICE_PLAIN

STALE = (
    "This plan was saved in another tab or window since you opened this page, so nothing here was saved. "
    "Copy what you typed, then reload the page to continue from the latest version."
)


def _case_for(request: HttpRequest, code, *, write: bool) -> tuple[Case, bool]:
    """The case, if the user reaches its plan (to write it, with `write`), and whether they only read it."""
    level = Level.WRITE if write else Level.READ
    case = get_object_or_404(
        Case.objects.reaching(request.user, Kind.PLAN, level).select_related("primary_therapist"), code=code
    )
    return case, not case.reaches(request.user, Kind.PLAN, Level.WRITE)


def _clients(case: Case) -> list:
    return list(case.clients.order_by("memberships__id"))


def _versions(case: Case):
    return PlanVersion.objects.filter(plan__case=case).select_related("plan", "reviews", "signed_by")


def _draft_of(case: Case) -> PlanVersion | None:
    return _versions(case).filter(status=PlanVersion.Status.DRAFT).first()


def group_goals(goals: list, clients: list, *, couple: bool) -> list[dict]:
    """Goals under the four practices: the shared ones, then each partner's own (couples), labelled by name."""
    groups = []
    for value, label in Practice.choices:
        under = [g for g in goals if g.practice == value]
        partners = (
            [{"client": c, "goals": [g for g in under if g.client_id == c.pk]} for c in clients] if couple else []
        )
        groups.append(
            {
                "practice": value,
                "label": label,
                "shared": [g for g in under if g.client_id is None],
                "partners": partners,
                "count": len(under),
            }
        )
    return groups


def _goals(version: PlanVersion, *, own_goals: bool = True) -> list:
    """The version's goals; without `own_goals`, only the shared ones (a partner's own are part of their record)."""
    goals = version.goals.select_related("client")
    goals = list(goals if own_goals else goals.filter(client__isnull=True))
    for goal in goals:
        goal.measure_words = measure_label(goal)
    return goals


def _client_view(version: PlanVersion, goals: list, clients: list) -> list[str]:
    """What the editor shows under each goal of the words clients will read: who reads them, what the
    check found (`words_to_check`) and a preview drawn with the client page's own include, in each
    reader's language (`previews`). Returns every warning, each naming its goal, for the sign button."""
    for goal in goals:
        goal.words_to_check = goal.word_warnings(clients)
        readers = words.readers(goal, "statement", partners=clients) or []
        goal.readers_names = " and ".join(c.display_name for c in readers)
        group = {
            "heading": PRACTICE_PLAIN[goal.practice],
            "shared": [] if goal.client_id else [goal],
            "own": [goal] if goal.client_id else [],
        }
        languages = dict.fromkeys(c.language for c in readers)
        goal.previews = [
            {
                "language": code,
                "language_name": language_name(code),
                "names": " and ".join(c.display_name for c in readers if c.language == code),
                "group": group,
            }
            for code in languages
        ]
    return version.word_warnings(clients, goals)


def _word_fragments(version: PlanVersion, clients: list, *, couple: bool) -> dict[str, str]:
    """The editor's parts that follow the saved words (autosave replaces them): each goal's warnings and preview."""
    goals = _goals(version)
    found = _client_view(version, goals, clients)
    fragments = {"word-warnings": render_to_string("plans/includes/_word_warnings.html", {"word_warnings": found})}
    for goal in goals:
        context = {"goal": goal, "couple": couple}
        fragments[f"goal-warnings-{goal.code}"] = render_to_string("plans/includes/_goal_warnings.html", context)
        fragments[f"goal-preview-{goal.code}"] = render_to_string("plans/includes/_goal_preview.html", context)
    return fragments


def plan_gaps(version: PlanVersion, goals: list | None = None) -> list[str]:
    """What signing still needs, in words: the model's list, and a statement for every goal."""
    goals = goals if goals is not None else list(version.goals.all())
    unnamed = sum(1 for g in goals if not g.statement.strip())
    gaps = version.sign_gaps()
    if unnamed:
        gaps.insert(0, "Write what each goal is, or remove the empty ones" + f" ({unnamed} without words).")
    return gaps


def _read_context(version: PlanVersion, case: Case, clients: list, *, own_goals: bool = True) -> dict:
    """What a read-only page shows of one version (without `own_goals`: none of a partner's own goals)."""
    goals = _goals(version, own_goals=own_goals)
    acknowledgements = list(version.acknowledgements.select_related("client").order_by("acknowledged_at"))
    acknowledged = {a.client_id for a in acknowledgements}
    return {
        "version": version,
        "groups": group_goals(goals, clients, couple=case.kind == Case.Kind.COUPLE),
        "goal_count": len(goals),
        "verified": version.verify() if version.is_signed else None,
        "acknowledgements": acknowledgements,
        "waiting": [c for c in clients if c.pk not in acknowledged and c.user_id]
        if version.ask_acknowledgement
        else [],
        "own_goals_withheld": not own_goals and case.kind == Case.Kind.COUPLE,
    }


def _viewed(request: HttpRequest, version: PlanVersion, supervising: bool) -> None:
    detail = {"as": str(version.plan.case.relation_of(request.user))} if supervising else {"number": version.number}
    record(action=Action.PLAN_VIEWED, request=request, target=version, detail=detail)


@reach_required(Kind.PLAN)
@require_GET
def plan_detail(request: HttpRequest, code) -> HttpResponse:
    """The version in force, read-only, with its history, acknowledgements and when a review is due."""
    case, supervising = _case_for(request, code, write=False)
    acknowledgements = Prefetch(
        "acknowledgements", queryset=PlanAcknowledgement.objects.select_related("client").order_by("acknowledged_at")
    )
    versions = list(_versions(case).prefetch_related(acknowledgements).order_by("-number"))
    in_force = next((v for v in versions if v.is_signed), None)
    draft = None if supervising else next((v for v in versions if not v.is_signed), None)
    clients = _clients(case)
    context = {
        "case": case,
        "supervising": supervising,
        "versions": versions if not supervising else [v for v in versions if v.is_signed],
        "in_force": in_force,
        "draft": draft,
        "may_edit": not supervising and not case.is_closed,
        "staff_page_title": "Treatment plan",
    }
    if in_force is not None:
        context |= _read_context(in_force, case, clients, own_goals=case.reaches(request.user, Kind.OWN_GOALS))
        context["review_due"] = in_force.review_due()
        context["next_review_on"] = in_force.next_review_on()
        context["review_sessions"] = settings.PLAN_REVIEW_SESSIONS
        context["safety_reasons"] = in_force.safety_reasons()
        _viewed(request, in_force, supervising)
    return render(request, "plans/plan_detail.html", context)


@reach_required(Kind.PLAN)
@require_GET
def plan_version(request: HttpRequest, code, number: int) -> HttpResponse:
    """Any signed version as it was signed (the draft opens in the editor)."""
    case, supervising = _case_for(request, code, write=False)
    version = get_object_or_404(_versions(case), number=number)
    if not version.is_signed:
        if supervising:
            raise Http404
        return redirect("plan_edit", code=case.code)
    newest = _versions(case).filter(status=PlanVersion.Status.SIGNED).order_by("-number").values("number").first()
    context = {
        "case": case,
        "supervising": supervising,
        "in_force_number": newest["number"] if newest else None,
        "staff_page_title": f"Treatment plan, version {version.number}",
        **_read_context(version, case, _clients(case), own_goals=case.reaches(request.user, Kind.OWN_GOALS)),
    }
    _viewed(request, version, supervising)
    return render(request, "plans/plan_version.html", context)


def _bind(request: HttpRequest, version: PlanVersion, goals: list) -> tuple[PlanForm, dict, dict]:
    """Forms bound to what was posted; (plan form, version fields to save, goal fields to save by code)."""
    data = request.POST
    plan_form = PlanForm(data, version=version)
    plan_form.is_valid()
    fields = {
        name: plan_form.cleaned_data[name]
        for name in plan_form.fields
        if name != "revision" and name in plan_form.cleaned_data
    }
    changes = {}
    for goal in goals:
        # Only goals that were on the page: one added in another tab is not emptied by this one.
        if f"goal-{goal.code}-statement" in data:
            goal.form = GoalForm(data, goal=goal)
            goal.form.is_valid()
            changes[goal.code] = goal.form.changes()
        else:
            goal.form = GoalForm(initial=GoalForm.initial_for(goal), goal=goal)
    return plan_form, fields, changes


def _problems(plan_form: PlanForm, goals: list) -> list[str]:
    problems = [
        f"{plan_form.fields[name].label}: {' '.join(errors)}"
        for name, errors in plan_form.errors.items()
        if name in plan_form.fields and name != "revision"
    ]
    for goal in goals:
        if goal.form.is_bound:
            name = f"“{goal.form.cleaned_data.get('statement', '')[:40]}”" if goal.statement else "a new goal"
            for field, errors in goal.form.errors.items():
                label = goal.form.fields[field].label if field in goal.form.fields else ""
                problems.append(f"Not saved for {name}: {label}: {' '.join(errors)}")
    return problems


def _save(request: HttpRequest, version: PlanVersion, goals: list) -> tuple[PlanVersion, PlanForm, list[str]]:
    """Save every valid field posted (an invalid one keeps what was stored and is named in the problems)."""
    plan_form, fields, changes = _bind(request, version, goals)
    reasons = version.safety_reasons()
    planning_words = fields.get("safety_planning", version.safety_planning)
    fields["safety_included"] = bool(
        reasons
        or fields.get("safety_individual_first")
        or fields.get("safety_conjoint_paused")
        or planning_words.strip()
    )
    # A page without a valid revision cannot prove it saw the latest draft: never matches.
    expected = plan_form.cleaned_data.get("revision") or 0
    saved = save_draft(
        version=version, fields=fields, goals=changes, expected_revision=expected, by=request.user, request=request
    )
    return saved, plan_form, _problems(plan_form, goals)


def _editor(
    request: HttpRequest,
    case: Case,
    version: PlanVersion,
    *,
    plan_form: PlanForm | None = None,
    goals: list | None = None,
    conflict: PlanVersion | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    if goals is None:
        goals = _goals(version)
        for goal in goals:
            goal.form = GoalForm(initial=GoalForm.initial_for(goal), goal=goal)
    else:
        for goal in goals:
            goal.measure_words = measure_label(goal)
    if plan_form is None:
        plan_form = PlanForm(initial=PlanForm.initial_for(version), version=version)
    clients = _clients(case)
    couple = case.kind == Case.Kind.COUPLE
    context = {
        "case": case,
        "version": version,
        "form": plan_form,
        "groups": group_goals(goals, clients, couple=couple),
        "couple": couple,
        "word_warnings": _client_view(version, goals, clients),
        "safety_reasons": version.safety_reasons(),
        "gaps": plan_gaps(version, goals),
        "problems": problems or [],
        "conflict": conflict,
        "staff_page_title": "Treatment plan review" if version.is_review else "Treatment plan",
    }
    record(action=Action.PLAN_VIEWED, request=request, target=version, detail={"number": version.number})
    return render(request, "plans/plan_edit.html", context, status=status)


@reach_required(Kind.PLAN, Level.WRITE)
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, code) -> HttpResponse:
    """The draft: started here if the case has no plan; a signed plan without a draft offers a review."""
    case, _ = _case_for(request, code, write=True)
    if refused := refuse_if_closed(request, case):
        return refused
    draft = _draft_of(case)
    if draft is None:
        plan = TreatmentPlan.objects.filter(case=case).first()
        if plan is not None and plan.versions.exists():
            # A page left open while the draft was signed elsewhere: nothing is saved, but its words are shown back.
            unsaved = _typed_words(request) if request.method == "POST" else []
            context = {
                "case": case,
                "in_force": plan.in_force(),
                "unsaved": unsaved,
                "staff_page_title": "Treatment plan",
            }
            return render(request, "plans/plan_locked.html", context, status=409 if request.method == "POST" else 200)
        draft = start_plan(case=case, by=request.user, request=request)
        draft = _versions(case).get(pk=draft.pk)
    if request.method == "GET":
        return _editor(request, case, draft)
    return _save_from_page(request, case, draft)


TEXT_FIELDS = ("concerns", "safety_planning", "review_summary")
GOAL_TEXT_FIELDS = ("-statement", "-progress_shows", "-progress_evidence")


def _typed_words(request: HttpRequest) -> list[str]:
    """The text a posted editor page held, in page order, to show back when it could not be saved."""
    return [
        value.strip()
        for name, value in request.POST.items()
        if value.strip() and (name in TEXT_FIELDS or (name.startswith("goal-") and name.endswith(GOAL_TEXT_FIELDS)))
    ]


def _save_from_page(request: HttpRequest, case: Case, draft: PlanVersion) -> HttpResponse:
    """The editor's own POST (works without script): save everything, then add, remove, sign or stay."""
    goals = _goals(draft)
    try:
        saved, plan_form, problems = _save(request, draft, goals)
    except PlanLocked:
        messages.info(request, "This version is signed and locked; start a review to change the plan.")
        return redirect("plan_detail", code=case.code)
    except StalePlan as stale:
        data = request.POST.copy()
        data["revision"] = stale.current.revision
        plan_form = PlanForm(data, version=stale.current)
        plan_form.is_valid()
        return _editor(request, case, draft, plan_form=plan_form, goals=goals, conflict=stale.current, status=409)
    if problems:
        data = request.POST.copy()
        data["revision"] = saved.revision
        plan_form = PlanForm(data, version=saved)
        plan_form.is_valid()
        for goal in goals:
            if goal.form.is_bound:
                goal.form = GoalForm(data, goal=goal)
                goal.form.is_valid()
        messages.warning(request, "Saved, except the fields marked below: correct them and save again.")
        return _editor(request, case, saved, plan_form=plan_form, goals=goals, problems=problems)
    if to_add := request.POST.get("add"):
        return _add_goal(request, case, saved, to_add)
    if to_remove := request.POST.get("remove"):
        return _remove_goal(request, case, saved, to_remove)
    if request.POST.get("go") == "sign":
        return redirect("plan_sign", code=case.code)
    messages.success(request, "Draft saved.")
    return redirect("plan_edit", code=case.code)


def _add_goal(request: HttpRequest, case: Case, draft: PlanVersion, value: str) -> HttpResponse:
    """`value` is a practice ("repair") or a practice and a partner's code ("repair:<code>")."""
    practice, _, client_code = value.partition(":")
    client = None
    if client_code and case.kind == Case.Kind.COUPLE:
        try:
            client = case.clients.filter(code=uuid.UUID(client_code)).first()
        except ValueError:
            client = None
        if client is None:
            messages.error(request, "Choose one of the partners in this case; nothing was added.")
            return redirect("plan_edit", code=case.code)
    if practice not in Practice.values:
        messages.error(request, "Choose one of the four practices; nothing was added.")
        return redirect("plan_edit", code=case.code)
    goal = add_goal(version=draft, practice=practice, client=client, by=request.user, request=request)
    messages.success(request, "Draft saved. A new goal is ready below: write what it is.")
    return redirect(reverse("plan_edit", kwargs={"code": case.code}) + f"#goal-{goal.code}")


def _remove_goal(request: HttpRequest, case: Case, draft: PlanVersion, value: str) -> HttpResponse:
    try:
        goal_code = uuid.UUID(value)
    except ValueError:
        goal_code = None
    try:
        removed = goal_code is not None and remove_goal(
            version=draft, goal_code=goal_code, by=request.user, request=request
        )
    except ProtectedError:
        messages.error(request, "This goal is linked to an exercise; withdraw the exercise first, then remove it.")
        return redirect("plan_edit", code=case.code)
    if removed:
        messages.success(request, "Draft saved. The goal was removed from this draft.")
    else:
        messages.error(request, "That goal is not in this draft; nothing was removed.")
    return redirect("plan_edit", code=case.code)


@reach_required(Kind.PLAN, Level.WRITE)
@require_POST
def plan_autosave(request: HttpRequest, code) -> JsonResponse:
    """The editor saves while the therapist types; a save from an older page answers 409 and changes nothing."""
    case, _ = _case_for(request, code, write=True)
    if not sent_as_form(request):
        return not_a_form()
    if case.is_closed:
        return JsonResponse({"error": "closed", "message": "This case is closed; nothing was saved."}, status=409)
    draft = _draft_of(case)
    if draft is None:
        message = "This plan is signed and locked; start a review to change it."
        return JsonResponse({"error": "signed", "message": message}, status=409)
    goals = _goals(draft)
    try:
        saved, _, problems = _save(request, draft, goals)
    except PlanLocked:
        return JsonResponse({"error": "signed", "message": "This version is signed and locked."}, status=409)
    except StalePlan:
        return JsonResponse({"error": "conflict", "message": STALE}, status=409)
    return JsonResponse(
        {
            "saved": True,
            "saved_at": show(saved.updated_at, "TIME_FORMAT"),
            "revision": saved.revision,
            "sign_needs": [*problems, *plan_gaps(saved)],
            "fragments": _word_fragments(saved, _clients(case), couple=case.kind == Case.Kind.COUPLE),
        }
    )


@reach_required(Kind.PLAN, Level.WRITE)
@require_http_methods(["GET", "POST"])
def plan_sign(request: HttpRequest, code) -> HttpResponse:
    """Confirm, then sign: the page lists what will be locked; the POST signs only the revision shown."""
    case, _ = _case_for(request, code, write=True)
    if refused := refuse_if_closed(request, case):
        return refused
    draft = _draft_of(case)
    if draft is None:
        messages.info(request, "There is no draft to sign. To change a signed plan, start a review.")
        return redirect("plan_detail", code=case.code)
    if request.method == "POST":
        try:
            revision = whole_number(request.POST.get("revision"), minimum=1)
        except NotANumber:
            messages.error(request, "Not signed: confirm from this page.")
            return redirect("plan_sign", code=case.code)
        if gaps := plan_gaps(draft):
            messages.error(request, "Not signed: " + " ".join(gaps))
            return redirect("plan_sign", code=case.code)
        confirmed = request.POST.get("words_confirmed") == "yes"
        try:
            sign_version(
                version=draft, by=request.user, request=request, expected_revision=revision, words_confirmed=confirmed
            )
        except PlanLocked:
            messages.info(request, "This version is already signed.")
        except PlanRefused as refusal:
            messages.error(request, f"Not signed: {refusal}")
            return redirect("plan_sign", code=case.code)
        else:
            messages.success(request, f"Signed. Version {draft.number} is now the plan in force, and locked.")
        return redirect("plan_detail", code=case.code)
    clients = _clients(case)
    context = {
        "case": case,
        "gaps": plan_gaps(draft),
        "word_warnings": draft.word_warnings(clients),
        "safety_reasons": draft.safety_reasons(),
        "staff_page_title": "Sign the treatment plan",
        **_read_context(draft, case, clients),
    }
    _viewed(request, draft, False)
    return render(request, "plans/sign_confirm.html", context)


@reach_required(Kind.PLAN, Level.WRITE)
@require_POST
def plan_review_start(request: HttpRequest, code) -> HttpResponse:
    """A new draft version from the plan in force (a second click finds the same draft)."""
    case, _ = _case_for(request, code, write=True)
    if refused := refuse_if_closed(request, case):
        return refused
    plan = TreatmentPlan.objects.filter(case=case).first()
    if plan is None:
        messages.error(request, "There is no plan to review yet: write one and sign it first.")
        return redirect("plan_detail", code=case.code)
    try:
        start_review(plan=plan, by=request.user, request=request)
    except PlanRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("plan_detail", code=case.code)
    messages.success(request, "Review started: mark each goal's progress, with a line of evidence, then sign.")
    return redirect("plan_edit", code=case.code)


def case_plan_context(*, case, user) -> dict:
    """The case page's plan card: no plan, a draft to continue, or the version in force. Three queries at most."""
    latest = list(PlanVersion.objects.filter(plan__case=case).select_related("plan").order_by("-number")[:2])
    signed = next((v for v in latest if v.is_signed), None)
    supervising = not case.reaches(user, Kind.PLAN, Level.WRITE)
    draft = None if supervising else next((v for v in latest if not v.is_signed), None)
    return {
        "plan_card": {
            "signed": signed,
            "draft": draft,
            "review_due": signed.review_due() if signed else [],
            "next_review_on": signed.next_review_on() if signed else None,
            "may_edit": not supervising and not case.is_closed,
            "supervising": supervising,
        }
    }
