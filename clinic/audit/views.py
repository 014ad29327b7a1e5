import csv
from datetime import UTC, datetime, time

from django import forms
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from clinic.accounts.decorators import role_required
from clinic.accounts.models import Role, User
from clinic.audit.events import record
from clinic.audit.models import ALWAYS_OUTCOMES, Action, AuditEvent
from clinic.audit.reading import describe
from clinic.clients.models import Case, Client
from clinic.lib.fields import AsciiDateTimeField
from clinic.lib.http import posted
from clinic.lib.widgets import DatePicker

PAGE_SIZE = 50
EXPORT_CHUNK = 500
DATE_ERROR = "Enter a date as month/day/year, or pick one from the calendar."


class AuditFilterForm(forms.Form):
    """The filters of an admin's view of the log: the outcomes of a client's answers are not among its actions."""

    actor = forms.CharField(label="Person (name or username)", required=False, max_length=150)
    client = forms.CharField(label="Client (name)", required=False, max_length=200)
    action = forms.ChoiceField(
        label="Action",
        required=False,
        choices=[
            ("", "Any action"),
            *[(value, label) for value, label in Action.choices if value not in ALWAYS_OUTCOMES],
        ],
    )
    date_from = forms.DateField(
        label="From", required=False, widget=DatePicker(), error_messages={"invalid": DATE_ERROR}
    )
    date_to = forms.DateField(label="To", required=False, widget=DatePicker(), error_messages={"invalid": DATE_ERROR})
    # The older page starts before the time of the last row shown: a row's id is not handed out, since the
    # gaps between the ids of two rows shown would count the rows an admin does not see.
    before = AsciiDateTimeField(required=False, widget=forms.HiddenInput)

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


COMPLIANCE_PURPOSES = [
    ("compliance_review", "Compliance review"),
    ("complaint", "Looking into a complaint or an incident"),
    ("legal", "A legal request"),
    ("other", "Other (say what)"),
]


class FullExportForm(AuditFilterForm):
    """The compliance export: every action, for a purpose the admin states (recorded with the export)."""

    action = forms.ChoiceField(label="Action", required=False, choices=[("", "Any action"), *Action.choices])
    purpose = forms.ChoiceField(label="Purpose", choices=[("", "Choose the purpose"), *COMPLIANCE_PURPOSES])
    purpose_other = forms.CharField(label="Other purpose", required=False, max_length=200)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("purpose") == "other" and not data.get("purpose_other", "").strip():
            self.add_error("purpose_other", "Say what the purpose is.")
        return data

    def purpose_text(self) -> str:
        data = self.cleaned_data
        return (
            data["purpose_other"].strip() if data["purpose"] == "other" else dict(COMPLIANCE_PURPOSES)[data["purpose"]]
        )


def filtered_events(data: dict, *, full: bool = False):
    """The rows the filters in `data` match: an admin's view of them, or (`full`) the whole record."""
    events = AuditEvent.objects.all() if full else AuditEvent.objects.seen_by_admins()
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


FILTERS = ("actor", "client", "action", "date_from", "date_to")


def _filters_in_words(data: dict) -> list[str]:
    """What the filters were, for the export's own audit event (names typed by an admin, no content)."""
    return [f"{key}={data[key]}" for key in FILTERS if data.get(key) not in ("", None)]


def one_page(query, before=None) -> tuple[list[AuditEvent], object]:
    """The newest PAGE_SIZE rows of `query` older than `before`, and the time the next page starts before.

    Keyset paging on the time (the "older" link) stays fast however long the log grows. Rows that share
    the page's last instant (only under a stopped clock) all go on this page, so that none is skipped.
    """
    if before is not None:
        query = query.filter(at__lt=before)
    events = list(query.order_by("-at", "-id")[: PAGE_SIZE + 1])
    if len(events) <= PAGE_SIZE:
        return events, None
    last = events[PAGE_SIZE - 1].at
    if events[PAGE_SIZE].at != last:
        return events[:PAGE_SIZE], last
    events = [e for e in events if e.at > last] + list(query.filter(at=last).order_by("-id"))
    return events, (last if query.filter(at__lt=last).exists() else None)


def _log_page(request: HttpRequest, form: AuditFilterForm, full_form: FullExportForm, status: int = 200):
    rows, older = [], None
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        events, older = one_page(filtered_events(data), data.get("before"))
        rows = describe(events)
    record(action=Action.AUDIT_VIEWED, request=request)
    params = request.GET.copy()
    params.pop("before", None)
    older_params = None
    if older is not None:
        older_params = params.copy()
        older_params["before"] = older.astimezone(UTC).isoformat()
    context = {
        "form": form,
        "full_form": full_form,
        "full_filters": [full_form[name] for name in FILTERS],
        "rows": rows,
        "events": [row.event for row in rows],
        "older": older_params.urlencode() if older_params else "",
    }
    return render(request, "audit/event_list.html", context, status=status)


@role_required(Role.ADMIN)
@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = {key: request.GET[key] for key in FILTERS if key in request.GET}
    return _log_page(request, form, FullExportForm(initial=filters, auto_id="full_%s"))


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


CSV_HEADER = ["When", "Who", "Role", "Action", "Record", "Client", "IP address", "Browser", "Details"]


def _csv_lines(query, *, full: bool = False):
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    last = None
    while True:
        # Keyset chunks: a fixed number of queries per chunk, however long the log. (The ids stay on the server.)
        chunk = query if last is None else query.filter(id__lt=last)
        events = list(chunk.order_by("-id")[:EXPORT_CHUNK])
        if not events:
            return
        for row in describe(events, full=full):
            cells = [row.when, row.who, row.role, row.did, row.record, row.client, row.ip, row.agent, row.details]
            yield writer.writerow([safe_cell(cell) for cell in cells])
        last = events[-1].id


def up_to_now(query):
    """`query` as it stands now: the rows an export counts, and then writes, whatever is recorded meanwhile
    (its own audit event included)."""
    newest = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    return query.filter(id__lte=newest or 0)


def _csv_response(lines, name: str) -> StreamingHttpResponse:
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    return response


@role_required(Role.ADMIN)
@require_safe
def event_export(request: HttpRequest) -> HttpResponse:
    """The filtered rows of an admin's view as CSV. The export is itself audited, with how many rows it held."""
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return _log_page(request, form, FullExportForm(auto_id="full_%s"), status=400)
    data = form.cleaned_data if form.is_bound else {}
    query = up_to_now(filtered_events(data))
    record(
        action=Action.AUDIT_EXPORTED,
        request=request,
        detail={"filters": _filters_in_words(data), "rows": query.count()},
    )
    return _csv_response(_csv_lines(query), "audit-log")


@role_required(Role.ADMIN)
@require_POST
def event_export_full(request: HttpRequest) -> HttpResponse:
    """The compliance export: every row the filters match, outcomes included, for a stated purpose.

    The purpose and the filters are recorded first. The number of rows goes into a detail that only the
    full record reads: beside an admin's own count of the same filters, it would count what they do not see.
    """
    full_form = FullExportForm(posted(request), auto_id="full_%s")
    if not full_form.is_valid():
        filters = {key: request.POST[key] for key in FILTERS if key in request.POST}
        form = AuditFilterForm(filters or None)
        return _log_page(request, form, full_form)
    data = full_form.cleaned_data
    query = up_to_now(filtered_events(data, full=True))
    record(
        action=Action.AUDIT_FULL_EXPORTED,
        request=request,
        detail={"purpose": full_form.purpose_text(), "filters": _filters_in_words(data), "all_rows": query.count()},
    )
    return _csv_response(_csv_lines(query, full=True), "audit-log-full")
