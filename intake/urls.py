from django.urls import path

from intake import inquiries, views

urlpatterns = [
    # Client pages: neutral paths, no clinical words.
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
    # The triage of the public "Get started" form (the form itself is in clinic/urls.py, by language).
    path("practice/inquiries/", inquiries.inquiry_list, name="inquiry_list"),
    path("practice/inquiries/<uuid:code>/", inquiries.inquiry_detail, name="inquiry_detail"),
    path("practice/inquiries/<uuid:code>/convert/", inquiries.inquiry_convert, name="inquiry_convert"),
    path("practice/inquiries/<uuid:code>/close/", inquiries.inquiry_close, name="inquiry_close"),
    path("practice/inquiries/<uuid:code>/accept/", inquiries.inquiry_release, name="inquiry_release"),
]
