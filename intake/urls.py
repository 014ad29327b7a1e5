from django.urls import path

from intake import views

urlpatterns = [
    # Client pages: neutral paths, no clinical words.
    path("welcome/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("exit/", views.quick_exit, name="quick_exit"),
    path("my/forms/", views.intake_start, name="intake_start"),
    path("my/forms/<int:step>/", views.intake_section, name="intake_section"),
    path("my/forms/<int:step>/save/", views.intake_autosave, name="intake_autosave"),
    path("my/forms/token/", views.form_token, name="form_token"),
    path("my/forms/copy/", views.intake_copy, name="intake_copy"),
    # Staff
    path("cases/<uuid:case_code>/clients/<uuid:client_code>/invite/", views.invite_client, name="invite_client"),
    path(
        "cases/<uuid:case_code>/clients/<uuid:client_code>/invite/revoke/",
        views.revoke_client_invitation,
        name="revoke_client_invitation",
    ),
    path("cases/<uuid:case_code>/clients/<uuid:client_code>/intake/", views.intake_read, name="intake_read"),
    path("practice/consent/", views.consent_texts, name="consent_texts"),
]
