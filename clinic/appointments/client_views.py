"""A client's own appointments, in neutral words: never a partner's own appointments, nor that they exist."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from clinic.accounts.decorators import role_required
from clinic.accounts.models import Role
from clinic.appointments.calendar import client_upcoming
from clinic.appointments.feeds import client_calendar
from clinic.appointments.models import Appointment, AppointmentStatus
from clinic.clients.models import Client


@role_required(Role.CLIENT)
@require_safe
def my_appointments(request: HttpRequest) -> HttpResponse:
    client = get_object_or_404(Client.objects.visible_to(request.user), user=request.user)
    return render(request, "appointments/my_appointments.html", {"appointments": client_upcoming(client)})


@role_required(Role.CLIENT)
@require_safe
def my_appointment_ics(request: HttpRequest, code) -> HttpResponse:
    """One booked appointment of the client's own as a calendar file titled "Appointment"."""
    rows = Appointment.objects.visible_to(request.user).filter(
        status=AppointmentStatus.BOOKED, ends_at__gt=timezone.now()
    )
    appointment = get_object_or_404(rows, code=code)
    response = HttpResponse(client_calendar(appointment), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="appointment.ics"'
    return response
