"""Discharge and retention: a case closes on a date; its records are kept, then reviewed — never deleted by the app.

"Last service" is the later of the last attended session and the discharge
date. RETENTION_YEARS after it, the case is listed for an admin, who records
how long the records are kept now and why. Nothing here deletes a record:
disposal, when the practice decides on it, is a separate, deliberate act
outside this app.
"""

from datetime import date

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clinic.accounts.decorators import role_required
from clinic.accounts.models import Role
from clinic.appointments.booking import cancel_future_on_discharge
from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.models import Case
from clinic.lib.dates import show
from clinic.lib.http import posted
from clinic.lib.widgets import DatePicker
from clinic.plans.exercises import withdraw
from clinic.plans.models import Assignment


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def with_last_service(cases):
    """Annotate `last_service`: the later of the last attended session's date and the discharge date."""
    last_session = Max(TruncDate("sessions__starts_at"), filter=Q(sessions__attendance="attended"))
    return cases.annotate(
        last_session=last_session,
        last_service=Greatest(Coalesce(last_session, F("discharged_on")), F("discharged_on")),
    )


def due_for_review(today: date | None = None):
    """Closed cases whose retention period has ended and that no current review keeps, oldest first."""
    today = today or timezone.localdate()
    cutoff = years_after(today, -settings.RETENTION_YEARS)
    closed = Case.objects.filter(status=Case.Status.CLOSED)
    return (
        with_last_service(closed)
        .filter(last_service__lte=cutoff)
        .filter(Q(keep_until__isnull=True) | Q(keep_until__lt=today))
        .order_by("last_service", "id")
    )


class DischargeForm(forms.Form):
    discharged_on = forms.DateField(label="Date of discharge", widget=DatePicker())
    note = forms.CharField(
        label="Reason and summary",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: goals met, referred on, ended by the clients. Kept with the case.",
        error_messages={"required": "Say briefly why the case is closing."},
    )

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.case = case

    def clean_discharged_on(self) -> date:
        day = self.cleaned_data["discharged_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The discharge date cannot be in the future.")
        if day < self.case.opened_on:
            raise forms.ValidationError(f"The case opened on {show(self.case.opened_on)}; choose that day or later.")
        return day


class KeepForm(forms.Form):
    keep_until = forms.DateField(label="Keep the records until", widget=DatePicker())
    note = forms.CharField(
        label="Why",
        max_length=500,
        error_messages={"required": "Record why the records are kept (for example: open complaint, legal hold)."},
    )

    def clean_keep_until(self) -> date:
        day = self.cleaned_data["keep_until"]
        if day <= timezone.localdate():
            raise forms.ValidationError("Choose a date after today.")
        return day


@role_required(Role.THERAPIST, Role.ADMIN)
@require_http_methods(["GET", "POST"])
def case_discharge(request: HttpRequest, code) -> HttpResponse:
    case = get_object_or_404(Case.objects.visible_to(request.user), code=code)
    if case.is_closed:
        messages.info(request, f"This case was closed on {show(case.discharged_on)}.")
        return redirect("case_detail", code=case.code)
    form = DischargeForm(posted(request), case=case, initial={"discharged_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            Case.objects.filter(pk=case.pk, status=Case.Status.OPEN).update(
                status=Case.Status.CLOSED,
                discharged_on=form.cleaned_data["discharged_on"],
                discharge_note=form.cleaned_data["note"],
            )
            record(
                action=Action.CASE_DISCHARGED,
                request=request,
                target=case,
                detail={"discharged_on": form.cleaned_data["discharged_on"].isoformat()},
            )
            # Nothing is left for the clients to do for a closed case: exercises in progress stop showing.
            withdrawn = withdraw(
                assignments=Assignment.objects.filter(case=case), by=request.user, request=request, reason="discharge"
            )
            cancelled = cancel_future_on_discharge(case=case, by=request.user)
        ended = f" {withdrawn} exercise{pluralize(withdrawn)} in progress withdrawn." if withdrawn else ""
        if cancelled:
            ended += f" {cancelled} appointment{pluralize(cancelled)} to come cancelled."
        messages.success(request, f"Case closed. Its records are kept; nothing was deleted.{ended}")
        return redirect("case_detail", code=case.code)
    return render(request, "clients/discharge.html", {"case": case, "form": form})


@role_required(Role.ADMIN)
@require_POST
def case_reopen(request: HttpRequest, code) -> HttpResponse:
    case = get_object_or_404(Case.objects.visible_to(request.user), code=code)
    if case.is_closed:
        with transaction.atomic():
            Case.objects.filter(pk=case.pk).update(status=Case.Status.OPEN, discharged_on=None)
            record(
                action=Action.CASE_REOPENED,
                request=request,
                target=case,
                detail={"was_discharged_on": case.discharged_on.isoformat()},
            )
        messages.success(request, "Case reopened.")
    return redirect("case_detail", code=case.code)


@role_required(Role.ADMIN)
@require_safe
def retention_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    due = list(due_for_review(today).select_related("primary_therapist")[:200])
    for case in due:
        case.due_since = years_after(case.last_service, settings.RETENTION_YEARS)
    context = {"due": due, "years": settings.RETENTION_YEARS, "form": KeepForm()}
    return render(request, "clients/retention.html", context)


@role_required(Role.ADMIN)
@require_POST
def retention_review(request: HttpRequest, code) -> HttpResponse:
    case = get_object_or_404(Case.objects.filter(status=Case.Status.CLOSED), code=code)
    form = KeepForm(request.POST)
    if not form.is_valid():
        problems = " ".join(e for errors in form.errors.values() for e in errors)
        messages.error(request, f"Not recorded: {problems}")
        return redirect("retention_list")
    Case.objects.filter(pk=case.pk).update(
        keep_until=form.cleaned_data["keep_until"], keep_note=form.cleaned_data["note"]
    )
    record(
        action=Action.RETENTION_REVIEWED,
        request=request,
        target=case,
        detail={"keep_until": form.cleaned_data["keep_until"].isoformat(), "note": form.cleaned_data["note"]},
    )
    messages.success(request, f"Recorded: kept until {show(form.cleaned_data['keep_until'])}.")
    return redirect("retention_list")


def refuse_if_closed(request: HttpRequest, case: Case) -> HttpResponse | None:
    """For actions that only make sense in an open case (sessions, invitations, questionnaires)."""
    if case.is_closed:
        messages.error(request, "This case is closed. An admin can reopen it if work resumes.")
        return redirect("case_detail", code=case.code)
    return None
