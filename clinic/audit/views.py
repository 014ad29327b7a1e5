from datetime import datetime, time

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from clinic.accounts.decorators import role_required
from clinic.accounts.models import Role
from clinic.audit.events import record
from clinic.audit.models import Action, AuditEvent
from clinic.lib.fields import WholeNumberField
from clinic.lib.widgets import DatePicker

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label="Person (username)", required=False, max_length=150)
    action = forms.ChoiceField(label="Action", required=False, choices=[("", "Any action"), *Action.choices])
    target_id = forms.CharField(label="Record reference", required=False, max_length=64)
    date_from = forms.DateField(label="From", required=False, widget=DatePicker())
    date_to = forms.DateField(label="To", required=False, widget=DatePicker())
    before = WholeNumberField(required=False, widget=forms.HiddenInput, min_value=1)

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date. Swap them or pick a later end date.")
        return data


def filtered_events(data: dict):
    events = AuditEvent.objects.all()
    if data.get("actor"):
        events = events.filter(actor_label__iexact=data["actor"].strip())
    if data.get("action"):
        events = events.filter(action=data["action"])
    if data.get("target_id"):
        events = events.filter(target_id=data["target_id"].strip())
    tz = timezone.get_current_timezone()
    if data.get("date_from"):
        events = events.filter(at__gte=datetime.combine(data["date_from"], time.min, tzinfo=tz))
    if data.get("date_to"):
        events = events.filter(at__lte=datetime.combine(data["date_to"], time.max, tzinfo=tz))
    return events


@role_required(Role.ADMIN)
@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events, older = [], None
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
    record(action=Action.AUDIT_VIEWED, request=request)
    params = request.GET.copy()
    params.pop("before", None)
    context = {"form": form, "events": events, "older": older, "params": params.urlencode()}
    return render(request, "audit/event_list.html", context)
