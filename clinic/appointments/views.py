"""Staff pages of the calendar: a therapist's week and day, the practice day, booking and changing appointments."""

from datetime import date, timedelta

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from assessments.flags import conjoint_not_advised
from clinic.accounts.decorators import reach_required, role_required
from clinic.accounts.models import Role, User
from clinic.accounts.reach import Kind, Level
from clinic.appointments import booking as rules
from clinic.appointments.calendar import mark_paused, practice_day, week_of
from clinic.appointments.forms import AttendanceForm, BookingForm, CancelForm, MoveForm, WorkingHoursForm
from clinic.appointments.models import Appointment, WorkingHours
from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.models import Case
from clinic.clients.retention import refuse_if_closed
from clinic.lib.dates import show
from clinic.lib.http import posted


def _day(value: str | None) -> date:
    """The day in the URL, or today; a day that is not one, or far outside any calendar (year 1, 9999), is 404."""
    if not value:
        return timezone.localdate()
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise Http404 from None
    if not 1900 <= day.year <= 2200:
        raise Http404
    return day


@role_required(Role.THERAPIST)
@require_safe
def week(request: HttpRequest, day: str | None = None) -> HttpResponse:
    chosen = _day(day)
    monday = rules.week_start(chosen)
    days = week_of(request.user, monday)
    context = {
        "days": days,
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "previous": monday - timedelta(days=7),
        "next": monday + timedelta(days=7),
        "today": timezone.localdate(),
        "count": sum(len(d.appointments) for d in days),
    }
    return render(request, "appointments/week.html", context)


@role_required(Role.THERAPIST)
@require_safe
def day_view(request: HttpRequest, day: str | None = None) -> HttpResponse:
    chosen = _day(day)
    (today,) = week_of(request.user, chosen, days=1)
    context = {
        "day": today,
        "previous": chosen - timedelta(days=1),
        "next": chosen + timedelta(days=1),
        "today": timezone.localdate(),
    }
    return render(request, "appointments/day.html", context)


@role_required(Role.ADMIN)
@require_safe
def practice_calendar(request: HttpRequest, day: str | None = None) -> HttpResponse:
    chosen = _day(day)
    therapists = list(User.objects.therapists().order_by("last_name", "first_name", "id"))
    context = {
        "rows": practice_day(chosen, therapists),
        "chosen": chosen,
        "previous": chosen - timedelta(days=1),
        "next": chosen + timedelta(days=1),
        "today": timezone.localdate(),
    }
    return render(request, "appointments/practice_day.html", context)


def _refused(form, refused: rules.BookingRefused) -> None:
    for problem in refused.problems:
        form.add_error("outside_hours" if problem.kind == "hours" else None, problem.message)


@reach_required(Kind.APPOINTMENTS, Level.WRITE)
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, case_code) -> HttpResponse:
    """The case's therapist, or an admin (who sees no flag: only "individual appointments only")."""
    case = get_object_or_404(
        Case.objects.reaching(request.user, Kind.APPOINTMENTS, Level.WRITE).prefetch_related("clients"), code=case_code
    )
    if refused := refuse_if_closed(request, case):
        return refused
    paused = conjoint_not_advised(case)
    initial = {}
    if request.method == "GET" and request.GET.get("at"):
        initial["starts_at"] = request.GET["at"][:16]
    therapist = request.user.role == Role.THERAPIST
    form = BookingForm(posted(request), case=case, conjoint_paused=paused, may_override=therapist, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            made = rules.book(case=case, booking=form.booking(), by=request.user, request=request)
        except rules.BookingRefused as refused:
            _refused(form, refused)
        else:
            first = made[0]
            when = f"{show(first.starts_at, 'DATE_FORMAT')} at {show(first.starts_at, 'TIME_FORMAT')}"
            more = (
                f" and {len(made) - 1} more, every {'week' if first.series.every_weeks == 1 else 'two weeks'}"
                if len(made) > 1
                else ""
            )
            messages.success(request, f"Booked: {when}{more}.")
            if not therapist:
                return redirect("case_detail", code=case.code)
            return redirect("calendar_week_of", day=timezone.localdate(first.starts_at).isoformat())
    context = {
        "case": case,
        "form": form,
        "conjoint_paused": paused and therapist,
        "individual_only": paused and not therapist,
    }
    return render(request, "appointments/book.html", context)


def _appointment_for(request: HttpRequest, code) -> Appointment:
    rows = Appointment.objects.visible_to(request.user).select_related(
        "case", "individual_client", "therapist", "series", "session"
    )
    return get_object_or_404(rows, code=code)


@reach_required(Kind.APPOINTMENTS)
@require_safe
def appointment_detail(request: HttpRequest, code) -> HttpResponse:
    """The appointment, and what can be done with it; an attended one opens its note (the treating therapist)."""
    appointment = _appointment_for(request, code)
    if appointment.session_id and appointment.case.primary_therapist_id == request.user.pk:
        return redirect("note_page", code=appointment.session.code)
    return _detail_page(request, appointment)


def _needs_override(appointment: Appointment) -> bool:
    return (
        appointment.format == Appointment.Format.CONJOINT
        and not appointment.conjoint_override_reason
        and conjoint_not_advised(appointment.case)
    )


STALE = "This appointment was changed elsewhere after this page was opened. Nothing was changed; check it below."


def _own(request: HttpRequest, code, *, kind: Kind) -> Appointment:
    """The appointment, for whoever writes `kind` in its case (clinic.accounts.reach): moving and cancelling
    change the appointment (its therapist, an admin); recording attendance makes a session (the notes' writer)."""
    appointment = _appointment_for(request, code)
    if not appointment.case.reaches(request.user, kind, Level.WRITE):
        raise Http404
    return appointment


def _detail_page(request, appointment, *, form=None, name: str = "", status: int = 200) -> HttpResponse:
    """The appointment's page; after a refused change, with that form as sent (its errors, every value typed)."""
    own = appointment.case.primary_therapist_id == request.user.pk
    # Admins see flags as numbers only: no "not advised" mark on their pages.
    mark_paused([appointment], flags=own)
    version = {"version": appointment.version}
    forms = {
        "move_form": MoveForm(
            appointment=appointment,
            initial={
                "starts_at": timezone.localtime(appointment.starts_at),
                "minutes": appointment.duration_minutes,
                "modality": appointment.modality,
                "video_link": appointment.video_link,
                **version,
            },
        ),
        "cancel_form": CancelForm(
            appointment=appointment, initial={"status": rules.suggested_cancellation(appointment), **version}
        ),
        "attendance_form": AttendanceForm(needs_override=_needs_override(appointment), initial=version),
    }
    if form is not None:
        forms[name] = form
    context = {
        "appointment": appointment,
        "case": appointment.case,
        "own": own,
        "may_change": own or request.user.role == Role.ADMIN,
        "series": appointment.series.appointments.order_by("sequence") if appointment.series_id else None,
        "open_form": name,
        **forms,
    }
    return render(request, "appointments/detail.html", context, status=status)


def _act(request, appointment, form, name: str, change) -> HttpResponse:
    """Apply `change(cleaned_data)` (which returns the answer) for a valid form; else the page again with
    the form, its errors and everything typed. A change made elsewhere meanwhile answers 409, changing nothing."""
    if form.is_valid():
        try:
            return change(form.cleaned_data)
        except rules.Stale:
            form.add_error(None, STALE)
            appointment.refresh_from_db()
            return _detail_page(request, appointment, form=form, name=name, status=409)
        except rules.BookingRefused as refused:
            _refused(form, refused)
    return _detail_page(request, appointment, form=form, name=name)


@reach_required(Kind.APPOINTMENTS, Level.WRITE)
@require_http_methods(["POST"])
def appointment_move(request: HttpRequest, code) -> HttpResponse:
    appointment = _own(request, code, kind=Kind.APPOINTMENTS)

    def change(data) -> HttpResponse:
        moved = rules.move(
            appointment=appointment,
            starts_at=data["starts_at"],
            minutes=data["minutes"],
            scope=data.get("scope", "one"),
            version=data["version"],
            by=request.user,
            outside_hours=data["outside_hours"],
            modality=data["modality"],
            video_link=data["video_link"],
            request=request,
        )
        first = moved[0]
        messages.success(
            request,
            f"Moved {len(moved)} appointment{pluralize(len(moved))}; "
            f"{'the first is' if len(moved) > 1 else 'it is'} now {show(first.starts_at, 'DATETIME_FORMAT')}.",
        )
        return redirect("appointment_detail", code=first.code)

    return _act(request, appointment, MoveForm(request.POST, appointment=appointment), "move_form", change)


@reach_required(Kind.APPOINTMENTS, Level.WRITE)
@require_http_methods(["POST"])
def appointment_cancel(request: HttpRequest, code) -> HttpResponse:
    appointment = _own(request, code, kind=Kind.APPOINTMENTS)

    def change(data) -> HttpResponse:
        cancelled = rules.cancel(
            appointment=appointment,
            status=data["status"],
            reason=data["reason"],
            scope=data.get("scope", "one"),
            version=data["version"],
            by=request.user,
            request=request,
        )
        messages.success(request, f"Cancelled {len(cancelled)} appointment{pluralize(len(cancelled))}.")
        return redirect("appointment_detail", code=appointment.code)

    return _act(request, appointment, CancelForm(request.POST, appointment=appointment), "cancel_form", change)


@reach_required(Kind.NOTES, Level.WRITE)
@require_http_methods(["POST"])
def appointment_attendance(request: HttpRequest, code) -> HttpResponse:
    appointment = _own(request, code, kind=Kind.NOTES)

    def change(data) -> HttpResponse:
        done = rules.record_attendance(
            appointment=appointment,
            status=data["status"],
            reason=data.get("reason", ""),
            version=data["version"],
            by=request.user,
            override_reason=(data.get("override_reason") or "").strip(),
            request=request,
        )
        if done.session_id:
            messages.success(request, "Recorded as attended. Write the note here.")
            return redirect("note_page", code=done.session.code)
        messages.success(request, "Recorded as did not attend.")
        return redirect("appointment_detail", code=done.code)

    form = AttendanceForm(request.POST, needs_override=_needs_override(appointment))
    return _act(request, appointment, form, "attendance_form", change)


@role_required(Role.THERAPIST)
@require_http_methods(["GET", "POST"])
def working_hours(request: HttpRequest) -> HttpResponse:
    form = WorkingHoursForm(posted(request), hours=rules.hours_of(request.user))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            WorkingHours.objects.filter(therapist=request.user).delete()
            WorkingHours.objects.bulk_create(form.rows(request.user))
            record(action=Action.WORKING_HOURS_CHANGED, request=request, target=request.user)
        messages.success(request, "Working hours saved. Appointments outside them now need a tick to book.")
        return redirect("calendar_week")
    custom = WorkingHours.objects.filter(therapist=request.user).exists()
    return render(request, "appointments/working_hours.html", {"form": form, "custom": custom})
