import csv
from datetime import datetime, time

from django import forms
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from clinic.accounts.decorators import role_required
from clinic.accounts.models import Role, User
from clinic.audit.events import record
from clinic.audit.models import Action, AuditEvent
from clinic.audit.reading import describe
from clinic.clients.models import Case, Client
from clinic.lib.fields import WholeNumberField
from clinic.lib.widgets import DatePicker

PAGE_SIZE = 50
EXPORT_CHUNK = 500
DATE_ERROR = "Enter a date as month/day/year, or pick one from the calendar."


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label="Person (name or username)", required=False, max_length=150)
    client = forms.CharField(label="Client (name)", required=False, max_length=200)
    action = forms.ChoiceField(label="Action", required=False, choices=[("", "Any action"), *Action.choices])
    date_from = forms.DateField(
        label="From", required=False, widget=DatePicker(), error_messages={"invalid": DATE_ERROR}
    )
    date_to = forms.DateField(label="To", required=False, widget=DatePicker(), error_messages={"invalid": DATE_ERROR})
    before = WholeNumberField(required=False, widget=forms.HiddenInput, min_value=1)

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date. Swap them or pick a later end date.")
        return data


def _name_matches(prefix: str, words: str) -> Q:
    """Every word typed appears in the person's names (or is their username)."""
    query = Q()
    for word in words.split():
        query &= Q(**{f"{prefix}first_name__icontains": word}) | Q(**{f"{prefix}last_name__icontains": word})
    return query


def filtered_events(data: dict):
    events = AuditEvent.objects.all()
    if person := (data.get("actor") or "").strip():
        people = User.objects.filter(Q(username__iexact=person) | _name_matches("", person))
        events = events.filter(Q(actor__in=people) | Q(actor_label__iexact=person))
    if name := (data.get("client") or "").strip():
        words = Q()
        for word in name.split():
            words &= Q(full_name__icontains=word) | Q(preferred_name__icontains=word)
        clients = Client.objects.filter(words)
        # Events about one of their cases count too (a case opened, read, moved).
        cases = [str(code) for code in Case.objects.filter(clients__in=clients).values_list("code", flat=True)]
        events = events.filter(Q(client__in=clients) | Q(target_type="clients.case", target_id__in=cases))
    if data.get("action"):
        events = events.filter(action=data["action"])
    tz = timezone.get_current_timezone()
    if data.get("date_from"):
        events = events.filter(at__gte=datetime.combine(data["date_from"], time.min, tzinfo=tz))
    if data.get("date_to"):
        events = events.filter(at__lte=datetime.combine(data["date_to"], time.max, tzinfo=tz))
    return events.select_related("actor", "client")


def _filters_in_words(data: dict) -> list[str]:
    """What the filters were, for the export's own audit event (names typed by an admin, no content)."""
    return [f"{key}={value}" for key, value in data.items() if value not in ("", None) and key != "before"]


@role_required(Role.ADMIN)
@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    rows, older = [], None
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        query = filtered_events(data)
        if data.get("before"):
            query = query.filter(id__lt=data["before"])
        # Keyset paging ("older" link) stays fast however long the log grows.
        events = list(query.order_by("-id")[: PAGE_SIZE + 1])
        if len(events) > PAGE_SIZE:
            events = events[:PAGE_SIZE]
            older = events[-1].id
        rows = describe(events)
    record(action=Action.AUDIT_VIEWED, request=request)
    params = request.GET.copy()
    params.pop("before", None)
    context = {
        "form": form,
        "rows": rows,
        "events": [row.event for row in rows],
        "older": older,
        "params": params.urlencode(),
    }
    return render(request, "audit/event_list.html", context)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


CSV_HEADER = ["When", "Who", "Role", "Action", "Record", "Client", "IP address", "Browser", "Details"]


def _csv_lines(query):
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    last = None
    while True:
        # Keyset chunks: a fixed number of queries per chunk, however long the log.
        chunk = query if last is None else query.filter(id__lt=last)
        events = list(chunk.order_by("-id")[:EXPORT_CHUNK])
        if not events:
            return
        for row in describe(events):
            cells = [row.when, row.who, row.role, row.did, row.record, row.client, row.ip, row.agent, row.details]
            yield writer.writerow([safe_cell(cell) for cell in cells])
        last = events[-1].id


@role_required(Role.ADMIN)
@require_safe
def event_export(request: HttpRequest) -> HttpResponse:
    """The filtered rows as CSV, for a compliance review. The export is itself audited."""
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        record(action=Action.AUDIT_VIEWED, request=request)
        return render(request, "audit/event_list.html", {"form": form, "rows": [], "events": []}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    query = filtered_events(data)
    record(
        action=Action.AUDIT_EXPORTED,
        request=request,
        detail={"filters": _filters_in_words(data), "rows": query.count()},
    )
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response = StreamingHttpResponse(_csv_lines(query), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response
