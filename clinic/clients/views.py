from datetime import timedelta

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments.catalogue import client_title
from assessments.checkins import case_context as checkins_case_context
from assessments.checkins import open_alerts_for
from assessments.flags import conjoint_not_advised, flag_figures, start_of_today
from assessments.models import RiskFlag, Screening, WarningSign
from assessments.own_progress import client_home_progress
from assessments.rescreening import due_for_therapist
from clinic.accounts.decorators import reach_required, role_required
from clinic.accounts.models import Role, User
from clinic.accounts.reach import Kind, Level, Relation, allows
from clinic.appointments.calendar import case_upcoming, client_upcoming, today_for
from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.cases import open_case, reassign_case
from clinic.clients.contact import latest_changes
from clinic.clients.forms import CaseForm, ClientForm, ReassignForm, case_forms_valid, case_people
from clinic.clients.models import Case, Client, Membership
from clinic.clients.retention import due_for_review
from clinic.lib.dates import show
from clinic.lib.http import posted
from clinic.notes.models import Practice, SessionNote
from clinic.notes.overdue import OVERDUE_HOURS, overdue_unsigned_notes
from clinic.notes.timeline import practice_timeline
from clinic.plans.hooks import case_context, client_tasks
from clinic.plans.reviews import plans_due_for_review
from intake.models import Inquiry, Intake
from intake.sections import SECTIONS
from intake.status import onboarding


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on its own home."""
    if request.user.role == Role.ADMIN:
        return redirect("practice_home")
    if request.user.role == Role.THERAPIST:
        return redirect("dashboard")
    return redirect("client_home")


@role_required(Role.CLIENT)
@require_safe
def client_home(request: HttpRequest) -> HttpResponse:
    profile = Client.objects.filter(user=request.user).select_related("intake").first()
    name = profile.display_name if profile else request.user.first_name
    tasks, done, progress, upcoming = [], [], [], []
    if profile is not None:
        state = onboarding(profile)
        if state.intake is None:
            tasks.append(
                {
                    "title": gettext("Fill in your forms"),
                    "url": reverse("intake_start"),
                    "note": gettext("About 20 minutes."),
                }
            )
        elif not state.intake.is_submitted:
            count = len(state.intake.completed)
            note = gettext("%(count)s of %(parts)s parts done. Everything you typed is saved.") % {
                "count": count,
                "parts": len(SECTIONS),
            }
            tasks.append({"title": gettext("Continue your forms"), "url": reverse("intake_start"), "note": note})
        else:
            sent = gettext("Sent on %(date)s.") % {"date": show(state.intake.submitted_at, "DATE_FORMAT")}
            done.append({"title": gettext("Your forms"), "url": reverse("intake_copy"), "note": sent})
        for screening in profile.screenings.open().order_by("assigned_at"):
            # The neutral name, never the clinical title: a partner may glance at this page.
            title = client_title(screening.instrument_key)
            url = reverse("questions", kwargs={"code": screening.code})
            tasks.append({"title": title, "url": url, "note": gettext("About 5 minutes.")})
        for checkin in profile.session_checkins.waiting().order_by("assigned_at"):
            url = reverse("session_checkin", kwargs={"code": checkin.code})
            until = show(checkin.expires_at, "MONTH_DAY_FORMAT")
            note = gettext("Under a minute. Open until %(date)s.") % {"date": until}
            tasks.append({"title": client_title(checkin.instrument_key), "url": url, "note": note})
        tasks += client_tasks(client=profile)
        progress = client_home_progress(client=profile)
        upcoming = client_upcoming(profile, limit=1)
    context = {"tasks": tasks, "done": done, "name": name, "progress": progress, "upcoming": upcoming}
    return render(request, "clients/client_home.html", context)


def _cases_for(user: User):
    members = Prefetch("clients", queryset=Client.objects.order_by("memberships__id"))
    return Case.objects.visible_to(user).select_related("primary_therapist").prefetch_related(members)


@role_required(Role.THERAPIST)
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    cases = _cases_for(request.user).open()
    # Open and acknowledged flags of this therapist's clients come first; urgent before elevated.
    flags = (
        RiskFlag.objects.unresolved()
        .filter(client__in=Client.objects.visible_to(request.user))
        .select_related("client")
        .prefetch_related(Prefetch("client__memberships", queryset=Membership.objects.select_related("case")))
        .order_by("status", "-severity", "raised_at")
    )
    ordered_clients = Prefetch("session__case__clients", queryset=Client.objects.order_by("memberships__id"))
    drafts = list(
        SessionNote.objects.filter(author=request.user, status=SessionNote.Status.DRAFT)
        .select_related("session__case", "returned_by")
        .prefetch_related(ordered_clients)
        .order_by("session__starts_at")
    )
    # A note a supervisor sent back is listed apart, with their comment: it is waiting for this therapist.
    returned = [note for note in drafts if note.returned_at is not None]
    unsigned = [note for note in drafts if note.returned_at is None]
    # The same definition of "overdue" as the practice report's (session over 72 hours ago).
    overdue = overdue_unsigned_notes().filter(author=request.user).count()
    supervised = []
    if request.user.is_supervisor and allows(Relation.SUPERVISOR, Kind.RISK_FLAGS):
        # Supervision is an assignment: the urgent flags of the therapists this supervisor is assigned to.
        supervised_cases = Case.objects.supervised_by(request.user).open()
        supervised = (
            RiskFlag.objects.urgent_unresolved()
            .filter(client__memberships__case__in=supervised_cases)
            .distinct()
            .select_related("client")
            .prefetch_related(
                Prefetch(
                    "client__memberships",
                    queryset=Membership.objects.filter(case__in=supervised_cases).select_related(
                        "case__primary_therapist"
                    ),
                    to_attr="supervised_memberships",
                )
            )
            .order_by("raised_at")
        )
    # Empty unless the table lets a supervisor reach the notes of the therapists they supervise.
    awaiting = (
        SessionNote.objects.awaiting_cosign_by(request.user)
        .select_related("session__case", "author")
        .prefetch_related(ordered_clients)
        .order_by("signed_at")
    )
    flags, supervised = list(flags), list(supervised)
    if flags or supervised:
        # The list of flags is clinical content: one event per page view, naming the flags (not one per row).
        record(
            action=Action.FLAGS_LISTED,
            request=request,
            detail={"count": len(flags) + len(supervised), "flags": [str(f.code) for f in [*flags, *supervised]]},
        )
    # What clients have sent in the last two weeks, each with the case it reaches the therapist through.
    since = timezone.now() - timedelta(days=14)
    mine = Client.objects.visible_to(request.user)
    own_membership = Prefetch(
        "client__memberships",
        queryset=Membership.objects.filter(case__primary_therapist=request.user).select_related("case"),
        to_attr="own_memberships",
    )
    new_intakes = (
        Intake.objects.filter(client__in=mine, submitted_at__gte=since)
        .select_related("client")
        .prefetch_related(own_membership)
    )
    new_screenings = (
        Screening.objects.submitted()
        .filter(client__in=mine, submitted_at__gte=since)
        .select_related("client")
        .prefetch_related(own_membership)
    )
    context = {
        "cases": cases,
        "flags": flags,
        "unsigned": unsigned,
        "returned": returned,
        "overdue": overdue,
        "overdue_hours": OVERDUE_HOURS,
        "awaiting": awaiting,
        "supervised": supervised,
        "new_intakes": new_intakes.order_by("-submitted_at"),
        "new_screenings": new_screenings.order_by("-submitted_at"),
        "plans_due": plans_due_for_review(therapist=request.user),
        "rescreens_due": due_for_therapist(therapist=request.user),
        "balance_alerts": list(open_alerts_for(request.user)),
        "today": today_for(request.user),
        "now": timezone.now(),
    }
    return render(request, "clients/dashboard.html", context)


@role_required(Role.ADMIN)
@require_safe
def practice_home(request: HttpRequest) -> HttpResponse:
    counts = User.objects.staff().aggregate(
        therapists=Count("id", filter=Q(role=Role.THERAPIST, is_active=True)),
        admins=Count("id", filter=Q(role=Role.ADMIN, is_active=True)),
    )
    counts["open_cases"] = Case.objects.open().count()
    # Admins see flags as numbers only: never whose, why or what was noted; and as they stood at the start
    # of today, so that no figure moves beside the audit log's row of a client's answers.
    counts |= flag_figures(at=start_of_today())
    counts["open_inquiries"] = Inquiry.objects.filter(status=Inquiry.Status.OPEN).count()
    counts["held_inquiries"] = Inquiry.objects.filter(status=Inquiry.Status.HELD).count()
    counts["retention_due"] = due_for_review().count()
    return render(request, "clients/practice_home.html", {"counts": counts})


@role_required(Role.THERAPIST, Role.ADMIN)
@require_safe
def case_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", Case.Status.OPEN)
    cases = _cases_for(request.user)
    if status in Case.Status.values:
        cases = cases.filter(status=status)
    return render(request, "clients/case_list.html", {"cases": cases, "status": status, "statuses": Case.Status})


@role_required(Role.THERAPIST, Role.ADMIN)
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    data = posted(request)
    form = CaseForm(data)
    if request.user.role == Role.THERAPIST:
        # A therapist opens cases for themselves; admins assign.
        del form.fields["primary_therapist"]
    first = ClientForm(data, prefix="first")
    second = ClientForm(data, prefix="second")
    if request.method == "POST" and case_forms_valid(form, first, second):
        therapist = form.cleaned_data.get("primary_therapist", request.user)
        people = case_people(form, first, second)
        case = open_case(
            kind=form.cleaned_data["kind"], therapist=therapist, clients=people, by=request.user, request=request
        )
        messages.success(request, "Case opened.")
        return redirect("case_detail", code=case.code)
    return render(request, "clients/case_form.html", {"form": form, "first": first, "second": second})


@reach_required(Kind.CASE)
@require_safe
def case_detail(request: HttpRequest, code) -> HttpResponse:
    """The case page. Each section shows only to those who reach its kind of record (clinic.accounts.reach):
    a supervisor reads the case without contact details or actions, an admin without its clinical sections."""
    members = Prefetch(
        "clients",
        queryset=Client.objects.select_related("intake")
        .prefetch_related("invitations", latest_changes())
        .order_by("memberships__id"),
    )
    scope = Case.objects.reaching(request.user, Kind.CASE)
    case = get_object_or_404(scope.select_related("primary_therapist").prefetch_related(members), code=code)
    relation = case.relation_of(request.user)
    supervising = relation == Relation.SUPERVISOR
    record(action=Action.SUPERVISOR_VIEWED_CASE if supervising else Action.CASE_VIEWED, request=request, target=case)
    may = {
        "act": allows(relation, Kind.CASE, Level.WRITE),
        "contact": allows(relation, Kind.CLIENT_DETAILS),
        "change_details": allows(relation, Kind.CLIENT_DETAILS, Level.WRITE),
        "intake": allows(relation, Kind.INTAKE),
        "screenings": allows(relation, Kind.SCREENINGS),
        "flags": allows(relation, Kind.RISK_FLAGS),
        "documents": allows(relation, Kind.DOCUMENTS, Level.WRITE),
        "notes": allows(relation, Kind.NOTES),
        "write_notes": allows(relation, Kind.NOTES, Level.WRITE),
        "signs": allows(relation, Kind.WARNING_SIGNS),
        "appointments": allows(relation, Kind.APPOINTMENTS, Level.WRITE),
    }
    reassign = None
    if request.user.role == Role.ADMIN:
        reassign = ReassignForm(initial={"primary_therapist": case.primary_therapist})
    people = [onboarding(client) for client in case.clients.all()]
    signs, sessions, timeline, practice = [], [], None, ""
    if may["signs"]:
        signs = WarningSign.objects.filter(client__memberships__case=case).select_related("client")
    if may["notes"]:
        sessions = case.sessions.select_related("note__author", "individual_client").prefetch_related("note__tags")
        practice = request.GET.get("practice", "")
        if practice in Practice.values:
            sessions = sessions.filter(note__tags__practice=practice)
        timeline = practice_timeline(case)
    context = {
        "case": case,
        "people": people,
        "reassign": reassign,
        "conjoint_paused": conjoint_not_advised(case),
        "signs": signs,
        "sessions": sessions,
        "timeline": timeline,
        "practice": practice,
        "practices": Practice.choices,
        "supervising": supervising,
        "may": may,
        "upcoming_appointments": case_upcoming(case, flags=may["flags"]) if may["appointments"] else [],
        **case_context(case=case, user=request.user),
        **checkins_case_context(case=case, user=request.user, request=request),
    }
    return render(request, "clients/case_detail.html", context)


@role_required(Role.ADMIN)
@require_POST
def case_reassign(request: HttpRequest, code) -> HttpResponse:
    case = get_object_or_404(Case.objects.visible_to(request.user), code=code)
    form = ReassignForm(request.POST)
    if form.is_valid():
        therapist = form.cleaned_data["primary_therapist"]
        moved = reassign_case(case=case, therapist=therapist, by=request.user, request=request)
        drafts = f" {moved} unsigned note{pluralize(moved)} moved with it." if moved else ""
        messages.success(request, f"Primary therapist changed to {therapist}.{drafts}")
    else:
        messages.error(request, "Choose an active therapist to lead this case.")
    return redirect("case_detail", code=case.code)


@role_required(Role.ADMIN, Role.THERAPIST)
@require_http_methods(["GET", "POST"])
def search_page(request: HttpRequest) -> HttpResponse:
    """Names only, posted (never in the URL); the as-you-type box gets just the results list.

    The audit event keeps how many were found, not the words typed: they may be a client's name.
    """
    from clinic.clients.search import MAX_TERM, search

    term = request.POST.get("q", "")[: MAX_TERM * 4] if request.method == "POST" else ""
    results = search(request.user, term) if term else []
    if request.method == "POST":
        record(action=Action.SEARCHED, request=request, detail={"results": len(results)})
    partial = request.headers.get("X-Search") == "1"
    template = "clients/includes/_search_results.html" if partial else "clients/search.html"
    response = render(request, template, {"results": results, "term": term, "searched": request.method == "POST"})
    response["Cache-Control"] = "no-store"
    return response
