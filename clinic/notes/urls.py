from django.urls import path

from clinic.notes import views

urlpatterns = [
    path("cases/<uuid:case_code>/sessions/new/", views.session_new, name="session_new"),
    path("sessions/<uuid:code>/note/", views.note_page, name="note_page"),
    path("sessions/<uuid:code>/note/save/", views.note_save, name="note_save"),
    path("sessions/<uuid:code>/note/sign/", views.note_sign, name="note_sign"),
    path("sessions/<uuid:code>/note/autosave/", views.note_autosave, name="note_autosave"),
    path("sessions/<uuid:code>/note/addendum/", views.note_addendum, name="note_addendum"),
    path("sessions/<uuid:code>/note/private/", views.private_note, name="private_note"),
    path("sessions/<uuid:code>/note/cosign/", views.note_cosign, {"decision": "cosign"}, name="note_cosign"),
    path("sessions/<uuid:code>/note/return/", views.note_cosign, {"decision": "return"}, name="note_return"),
]
