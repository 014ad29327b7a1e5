from django.urls import path, register_converter

from clinic.appointments import client_views, consultations, feeds, views


class IsoDate:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


register_converter(IsoDate, "isodate")

urlpatterns = [
    # Therapists
    path("calendar/", views.week, name="calendar_week"),
    path("calendar/week/<isodate:day>/", views.week, name="calendar_week_of"),
    path("calendar/day/", views.day_view, name="calendar_day"),
    path("calendar/day/<isodate:day>/", views.day_view, name="calendar_day_of"),
    path("calendar/hours/", views.working_hours, name="working_hours"),
    path("calendar/subscription/", feeds.feed_settings, name="calendar_feed"),
    path("calendar/consultations/", consultations.slot_list, name="consultation_slots"),
    path("calendar/consultations/<uuid:code>/withdraw/", consultations.slot_withdraw, name="consultation_withdraw"),
    path("cases/<uuid:case_code>/appointments/new/", views.book, name="appointment_book"),
    path("appointments/<uuid:code>/", views.appointment_detail, name="appointment_detail"),
    path("appointments/<uuid:code>/move/", views.appointment_move, name="appointment_move"),
    path("appointments/<uuid:code>/cancel/", views.appointment_cancel, name="appointment_cancel"),
    path("appointments/<uuid:code>/attendance/", views.appointment_attendance, name="appointment_attendance"),
    # Practice admins
    path("practice/calendar/", views.practice_calendar, name="practice_calendar"),
    path("practice/calendar/<isodate:day>/", views.practice_calendar, name="practice_calendar_of"),
    path("practice/inquiries/<uuid:code>/consultation/", consultations.consultation_decide, name="consultation_decide"),
    # Subscription feeds: no sign-in, a long random token instead.
    path("feeds/calendar/<str:token>.ics", feeds.feed, name="calendar_feed_ics"),
    # Clients: neutral paths.
    path("my/appointments/", client_views.my_appointments, name="my_appointments"),
    path("my/appointments/<uuid:code>.ics", client_views.my_appointment_ics, name="my_appointment_ics"),
]
