"""A client's own progress page ("Your progress"), shown only while their treating therapist keeps it on.

Off by default. The therapist turns it on for one client (refused while that client has an urgent flag not
yet resolved) and off again; each change is audited. It shows only while no flag stands in the way: an
urgent flag not yet resolved, or any flag raised since it was turned on and not yet resolved, hides it at
once, whatever raised the flag. What it shows: the client's own power-questionnaire answers over time, in
plain words, and their own answers after each appointment (session check-ins) — never a partner's answers
or whether a partner answered, never the safety questionnaire, never a balance alert.
"""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from assessments.checkins import own_trend
from assessments.models import ProgressView, RiskFlag
from clinic.accounts.decorators import reach_required, role_required
from clinic.accounts.models import Role
from clinic.accounts.reach import Kind, Level
from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.models import Client, case_and_client
from clinic.lib.charts import line_chart

REFUSED_WHILE_FLAGGED = (
    "This client has an urgent flag that is not resolved yet. Resolve it first; then you can turn on their "
    "progress page."
)

# Index points (0-100) that count as a change worth putting in words on the client's page.
NOTICEABLE = 5.0


class ProgressRefused(Exception):
    pass


def _blocking_flags(client: Client, view: ProgressView):
    return RiskFlag.objects.unresolved().filter(
        Q(severity=RiskFlag.Severity.URGENT) | Q(raised_at__gte=view.turned_on_at), client=client
    )


def progress_view_of(client: Client) -> ProgressView | None:
    """The client's switch if it is on (whether or not a flag hides it now)."""
    return ProgressView.objects.filter(client=client).select_related("turned_on_by").first()


def progress_shown(client: Client) -> bool:
    """True when the client may see "Your progress" now: turned on, and no flag in the way."""
    view = ProgressView.objects.filter(client=client).first()
    return view is not None and not _blocking_flags(client, view).exists()


def turn_progress(*, client: Client, on: bool, by, request: HttpRequest | None = None) -> bool:
    """Turn the client's progress page on or off; True if it changed. Raises ProgressRefused while flagged."""
    with transaction.atomic():
        if not on:
            deleted, _ = ProgressView.objects.filter(client=client).delete()
            if deleted:
                record(action=Action.PROGRESS_VIEW_OFF, request=request, actor=by, target=client, client=client)
            return bool(deleted)
        if RiskFlag.objects.urgent_unresolved().filter(client=client).exists():
            raise ProgressRefused(REFUSED_WHILE_FLAGGED)
        try:
            with transaction.atomic():
                ProgressView.objects.create(client=client, turned_on_by=by)
        except IntegrityError:
            return False  # already on (a second tab)
        record(action=Action.PROGRESS_VIEW_ON, request=request, actor=by, target=client, client=client)
    return True


def client_home_progress(*, client: Client) -> list[dict]:
    """The "Your progress" item of the client's home, when it is shown."""
    if not progress_shown(client):
        return []
    return [
        {
            "title": gettext("Your progress"),
            "url": reverse("my_progress"),
            "note": gettext("How your answers have changed."),
        }
    ]


@reach_required(Kind.SCREENINGS, Level.WRITE)
@require_POST
def progress_switch(request: HttpRequest, case_code, client_code) -> HttpResponse:
    case, client = case_and_client(request.user, case_code, client_code, kind=Kind.SCREENINGS, level=Level.WRITE)
    on = request.POST.get("on") == "1"
    try:
        turn_progress(client=client, on=on, by=request.user, request=request)
    except ProgressRefused as refused:
        messages.error(request, str(refused))
    else:
        if on:
            messages.success(request, f"{client.display_name} now sees “Your progress” on their home page.")
        else:
            messages.success(request, f"{client.display_name} no longer sees “Your progress”.")
    return redirect("client_record", case_code=case.code, client_code=client.code)


def _words(first: float, last: float, count: int) -> str:
    if count < 2:
        return gettext(
            "You have answered these questions once so far. When you answer them again, you will see here "
            "how your answers have changed."
        )
    change = last - first
    if change <= -NOTICEABLE:
        return gettext(
            "Since you first answered, your answers describe things between you as more even. "
            "Lower on the chart means more even."
        )
    if change >= NOTICEABLE:
        return gettext(
            "Since you first answered, your answers describe things between you as less even. Answers go up and "
            "down over time; it can help to talk about it at your next appointment. Lower on the chart means more even."
        )
    return gettext("Your answers are about the same as when you first answered. Lower on the chart means more even.")


def _clear_changes(answered: list) -> list[str]:
    """Reliable change since the first answers, in plain words for the client (never a band or a score name)."""
    from assessments.change import BETTER, OVERALL, WORSE
    from assessments.reliable import own_change

    found = own_change(answered)
    if found is None:
        return []
    lines = []
    for item in found["change"].reliable_since_first:
        topic = gettext("your answers as a whole") if item.key == OVERALL else f"“{item.title}”"
        if item.verdict == BETTER:
            lines.append(
                gettext("A clear change in %(topic)s: they describe things as more even than when you first answered.")
                % {"topic": topic}
            )
        elif item.verdict == WORSE:
            lines.append(
                gettext(
                    "A clear change in %(topic)s: they describe things as less even than when you first answered. "
                    "It can help to talk about it at your next appointment."
                )
                % {"topic": topic}
            )
    return lines


@role_required(Role.CLIENT)
@require_safe
def my_progress(request: HttpRequest) -> HttpResponse:
    client = get_object_or_404(Client.objects.filter(user=request.user))
    if not progress_shown(client):
        # Off, or hidden by a flag: as if the page did not exist.
        raise Http404
    answered = list(client.screenings.submitted().filter(instrument_key="power").order_by("submitted_at", "id"))
    trend = [(timezone.localdate(s.submitted_at), s.scores["index"]) for s in answered]
    after = own_trend(client)
    record(action=Action.PROGRESS_SEEN_BY_CLIENT, request=request, target=client, client=client)
    context = {
        "after_chart": line_chart(
            {gettext("Your answers"): after}, title=gettext("After your appointments"), maximum=10
        )
        if after
        else None,
        "after": after,
        "chart": line_chart({gettext("Your answers"): trend}, title=gettext("How your answers have changed"))
        if trend
        else None,
        "words": _words(trend[0][1], trend[-1][1], len(trend)) if trend else "",
        "answered": answered,
        "clear_changes": _clear_changes(answered),
    }
    return render(request, "assessments/my_progress.html", context)
