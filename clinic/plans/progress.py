"""Notes follow the plan: goals in the note editor, progress on the case page, the client's own goals.

Which goals a note offers. The note editor offers the goals of the plan
version in force (the latest signed one) that belong to the session: for a
conjoint session the shared goals and each partner's own, for an individual
session the shared goals and that partner's own. A link points at one
version's goal row, so a signed note keeps pointing at the version it was
written against. A draft linked to goals of a version a review has since
replaced keeps those links: they are shown, still ticked, as "from plan
version N" beside the current version's goals, and the therapist unticks them
or ticks the current ones; nothing is moved behind their back.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods

from clinic.accounts.decorators import role_required
from clinic.accounts.models import Role
from clinic.accounts.reach import Kind
from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.models import Case, Client
from clinic.lib.charts import Mark, marks_grid
from clinic.lib.dates import show
from clinic.notes.models import Practice, SessionNote
from clinic.plans.models import PROGRESS_LEVEL, Goal, Movement, NoteGoal, PlanAcknowledgement, PlanRefused, PlanVersion
from clinic.plans.planning import acknowledge

# How a session's movement is drawn on the progress chart (-1 = a step back).
MOVEMENT_LEVEL = {Movement.SETBACK: -1, Movement.NO_CHANGE: 0, Movement.SOME: 1, Movement.CLEAR: 3}

# The four practices in the client's own plain words (the practice names are the therapist's).
PRACTICE_PLAIN = {
    Practice.NAMING_POWER: gettext_lazy("Noticing our patterns together"),
    Practice.TOLERATING_DISAGREEMENT: gettext_lazy("Staying steady when we see things differently"),
    Practice.RESTORING_AGENCY: gettext_lazy("Each having a say and a choice"),
    Practice.REPAIR: gettext_lazy("Making things right after a hurt"),
}


def version_in_force(case_id: int) -> PlanVersion | None:
    """The latest signed version of the case's plan (one query), or None."""
    return PlanVersion.objects.signed().filter(plan__case_id=case_id).order_by("-number").first()


def _owner(goal: Goal) -> str:
    return f"{goal.client.display_name}'s own" if goal.client_id else "Shared"


def goals_for_note(note: SessionNote, session) -> tuple[PlanVersion | None, list[Goal]]:
    """The version in force and the goals the note offers (three queries, once per note object).

    Each goal carries `owner` ("Shared" or a partner's own), `from_version` (the
    version number when it is an older version's goal the note is still linked
    to) and `link` (the note's NoteGoal for it, or None). The editor's form and
    its sidebar both ask for them on one page: the answer is kept on the note.
    """
    kept = getattr(note, "_goals_for_note", None)
    if kept is not None and kept[0] == session.pk:
        return kept[1]
    found = _goals_for_note(note, session)
    note._goals_for_note = (session.pk, found)
    return found


def _goals_for_note(note: SessionNote, session) -> tuple[PlanVersion | None, list[Goal]]:
    version = version_in_force(session.case_id)
    goals: list[Goal] = []
    if version is not None:
        offered = version.goals.select_related("client")
        if session.individual_client_id:
            offered = offered.filter(Q(client__isnull=True) | Q(client_id=session.individual_client_id))
        # Shared goals first, then each partner's own, each under the four practices.
        goals = sorted(offered, key=lambda g: (g.client_id is not None, g.client_id or 0, g.practice, g.position, g.pk))
    links = {
        link.goal_id: link
        for link in NoteGoal.objects.filter(note=note).select_related("goal__client", "goal__version")
    }
    known = {g.pk for g in goals}
    older = [link.goal for goal_id, link in links.items() if goal_id not in known]
    for goal in goals:
        goal.owner, goal.from_version = _owner(goal), None
    current = {g.lineage for g in goals}
    for goal in older:
        goal.owner, goal.from_version = _owner(goal), goal.version.number
        # The same goal in the version in force: the therapist may move the link there.
        goal.in_force_too = goal.lineage in current
    for goal in goals + older:
        goal.link = links.get(goal.pk)
    return version, goals + older


def save_goal_links(*, note: SessionNote, links: list[tuple[Goal, str]]) -> None:
    """Replace the draft's goal links (inside the note's save; the note row is locked by then)."""
    wanted = {goal.pk: movement for goal, movement in links}
    current = {link.goal_id: link for link in NoteGoal.objects.filter(note=note)}
    gone = [link.pk for goal_id, link in current.items() if goal_id not in wanted]
    if gone:
        NoteGoal.objects.filter(pk__in=gone).delete()
    changed = [link for goal_id, link in current.items() if goal_id in wanted and link.movement != wanted[goal_id]]
    for link in changed:
        link.movement = wanted[link.goal_id]
    if changed:
        NoteGoal.objects.bulk_update(changed, ["movement"])
    NoteGoal.objects.bulk_create(
        NoteGoal(note=note, goal=goal, movement=movement) for goal, movement in links if goal.pk not in current
    )


def _last_marks(case_id: int, lineages: set, *, leave_out: int | None) -> dict:
    """Per lineage, the latest movement from a signed note: (date, words). One query."""
    if not lineages:
        return {}
    rows = (
        NoteGoal.objects.filter(goal__lineage__in=lineages, note__status="signed", note__session__case_id=case_id)
        .exclude(note_id=leave_out)
        .exclude(movement="")
        .order_by("note__session__starts_at")
        .values_list("goal__lineage", "movement", "note__session__starts_at")
    )
    return {lineage: (when, Movement(movement).label) for lineage, movement, when in rows}


def note_goals_context(*, note, session, user) -> dict:
    """The sidebar beside a draft its author is writing: each goal's target, measure and last progress."""
    if note.is_signed or note.author_id != user.pk:
        # The note's own goal links are shown with its content (notes/_note_content.html).
        return {}
    version, goals = goals_for_note(note, session)
    last = _last_marks(session.case_id, {g.lineage for g in goals}, leave_out=note.pk)
    for goal in goals:
        goal.last = last.get(goal.lineage)
    return {"plan_goals": {"version": version, "goals": goals}}


# The case page


@dataclass
class GoalProgress:
    lineage: object
    statement: str
    practice: str
    owner: str
    # (when, words, level, is_review) in time order.
    marks: list = field(default_factory=list)

    def sentence(self) -> str:
        sessions = [m for m in self.marks if not m[3]]
        reviews = [m for m in self.marks if m[3]]
        parts = []
        if sessions:
            counts = {}
            for _, words, _, _ in sessions:
                counts[words.lower()] = counts.get(words.lower(), 0) + 1
            told = ", ".join(f"{word}: {n}" for word, n in counts.items())
            parts.append(f"worked on in {len(sessions)} signed session{'s' if len(sessions) != 1 else ''} ({told})")
        else:
            parts.append("not yet worked on in a signed session")
        if reviews:
            when, words, _, _ = reviews[-1]
            parts.append(f"at the review of {show(when, 'DATE_FORMAT')}: {words.lower()}")
        return f"{self.statement}: " + "; ".join(parts) + "."


def case_progress_context(*, case, user) -> dict:
    # A partner's own goals are part of their own record: left out for whoever does not reach them (a supervisor).
    return {"progress": goal_progress(case, own_goals=case.reaches(user, Kind.OWN_GOALS))}


def goal_progress(case, *, own_goals: bool = True) -> dict | None:
    """Each goal (by lineage, across signed versions) with its movements in signed notes and review marks.

    {"goals": [GoalProgress], "chart": SVG or None}, or None without a signed plan. Two queries,
    whatever the number of sessions, goals or versions. Internal: with `own_goals` it holds both partners' own
    goals; without, only the shared ones.
    """
    goals = Goal.objects.filter(version__plan__case=case, version__status="signed")
    if not own_goals:
        goals = goals.filter(client__isnull=True)
    goals = list(goals.select_related("version", "client").order_by("version__number", "practice", "position", "id"))
    if not goals:
        return None
    by_lineage: dict = {}
    for goal in goals:
        # The latest version's words name the goal; the order is the first version's.
        item = by_lineage.setdefault(goal.lineage, GoalProgress(goal.lineage, "", "", ""))
        item.statement, item.practice, item.owner = goal.statement, goal.get_practice_display(), _owner(goal)
        if goal.version.is_review and goal.progress:
            item.marks.append(
                (goal.version.signed_at, goal.get_progress_display(), PROGRESS_LEVEL[goal.progress], True)
            )
    links = (
        NoteGoal.objects.filter(note__session__case=case, note__status="signed")
        .exclude(movement="")
        .order_by("note__session__starts_at")
        .values_list("goal__lineage", "movement", "note__session__starts_at")
    )
    for lineage, movement, when in links:
        if lineage in by_lineage:
            by_lineage[lineage].marks.append((when, Movement(movement).label, MOVEMENT_LEVEL[movement], False))
    items = list(by_lineage.values())
    for item in items:
        item.marks.sort(key=lambda m: m[0])
    return {"goals": items, "chart": _progress_chart(items)}


def _progress_chart(items: list[GoalProgress], *, last: int = 16):
    """One row per goal, one column per signed session or review that marked any goal (the last `last`)."""
    moments = sorted({(m[0], m[3]) for item in items for m in item.marks})[-last:]
    if not moments:
        return None
    index = {moment: c for c, moment in enumerate(moments)}
    cells = {}
    for r, item in enumerate(items):
        for when, words, level, is_review in item.marks:
            if (when, is_review) in index:
                cells[(r, index[(when, is_review)])] = Mark(level, words.lower())
    columns = [
        ("Review\n" if is_review else "") + show(timezone.localtime(when), "MONTH_DAY_FORMAT")
        for when, is_review in moments
    ]
    spoken = [
        ("the review of " if is_review else "") + show(timezone.localtime(when), "DATE_FORMAT")
        for when, is_review in moments
    ]
    shaded = [c for c, (_, is_review) in enumerate(moments) if is_review]
    rows = [f"{item.statement} ({item.owner.lower()})" if item.owner != "Shared" else item.statement for item in items]
    return marks_grid(rows, columns, cells, title="Goals across sessions and reviews", shaded=shaded, spoken=spoken)


# The client's own goals


def _versions_for(client: Client) -> list[PlanVersion]:
    """The signed version in force of each plan of the client's cases (one query)."""
    signed = (
        PlanVersion.objects.signed()
        .filter(plan__case__memberships__client=client)
        .select_related("plan__case")
        .order_by("plan_id", "-number")
    )
    latest: dict[int, PlanVersion] = {}
    for version in signed:
        latest.setdefault(version.plan_id, version)
    return list(latest.values())


def client_home_goals(*, client) -> list[dict]:
    """One home item, "What we are working on", when a signed plan holds goals this client may see."""
    versions = _versions_for(client)
    if not versions:
        return []
    seen = Goal.objects.filter(version__in=versions).seen_by_client(client)
    if not seen.exists():
        return []
    asked = [v.pk for v in versions if v.ask_acknowledgement]
    pending = bool(asked) and (
        len(asked) > PlanAcknowledgement.objects.filter(version_id__in=asked, client=client).count()
    )
    note = gettext("Please read and confirm.") if pending else gettext("What you and your practice agreed on.")
    return [{"title": gettext("What we are working on"), "url": reverse("my_goals"), "note": note}]


@role_required(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def my_goals(request: HttpRequest) -> HttpResponse:
    """The client's view of their plan: the shared goals and their own, never a partner's, and the acknowledgement."""
    client = get_object_or_404(Client.objects.filter(user=request.user))
    versions = _versions_for(client)
    problem, status = "", 200
    if request.method == "POST":
        version = next((v for v in versions if str(v.code) == request.POST.get("version", "")), None)
        if version is None:
            raise Http404
        try:
            ack = acknowledge(
                version=version, client=client, typed_name=request.POST.get("typed_name", "")[:200], request=request
            )
        except PlanRefused as refused:
            problem, status = str(refused), 400
        else:
            messages.success(
                request,
                gettext("Thank you. You confirmed on %(day)s.") % {"day": show(ack.acknowledged_at, "DATE_FORMAT")},
            )
            return redirect("my_goals")
    goals = list(
        Goal.objects.filter(version__in=versions).seen_by_client(client).order_by("practice", "position", "id")
    )
    acks = {a.version_id: a for a in PlanAcknowledgement.objects.filter(version__in=versions, client=client)}
    plans = []
    for version in versions:
        mine = [g for g in goals if g.version_id == version.pk]
        groups = [
            {
                "heading": PRACTICE_PLAIN[value],
                "shared": [g for g in mine if g.practice == value and g.client_id is None],
                "own": [g for g in mine if g.practice == value and g.client_id == client.pk],
            }
            for value in Practice.values
        ]
        plans.append(
            {
                "version": version,
                "couple": version.plan.case.kind == Case.Kind.COUPLE,
                "groups": [g for g in groups if g["shared"] or g["own"]],
                "ask": version.ask_acknowledgement,
                "ack": acks.get(version.pk),
            }
        )
        if request.method == "GET":
            record(action=Action.PLAN_SEEN_BY_CLIENT, request=request, target=version, client=client)
    context = {"plans": plans, "client": client, "problem": problem}
    return render(request, "plans/my_goals.html", context, status=status)
