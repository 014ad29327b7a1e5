from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from assessments import views as assessments
from clinic import views
from clinic.accounts import reset
from clinic.accounts import views as accounts
from clinic.audit import views as audit
from clinic.clients import contact, retention
from clinic.clients import views as clients
from intake import inquiries
from intake import views as intake

urlpatterns = [
    path("", clients.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Accounts
    path("account/", accounts.account, name="account"),
    path("account/logout/", accounts.logout, name="logout"),
    path("account/language/", accounts.account_language, name="account_language"),
    path("account/password/", accounts.password_change, name="password_change"),
    path("account/two-factor/", accounts.two_factor_verify, name="two_factor_verify"),
    path("account/two-factor/setup/", accounts.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/recovery-codes/", accounts.recovery_codes_renew, name="recovery_codes_renew"),
    # Clients' own pages: neutral paths.
    path("my/", clients.client_home, name="client_home"),
    path("my/contact/", contact.contact_choices, name="contact_choices"),
    # Therapists
    path("dashboard/", clients.dashboard, name="dashboard"),
    path("cases/", clients.case_list, name="case_list"),
    path("search/", clients.search_page, name="search"),
    path("cases/new/", clients.case_create, name="case_create"),
    path("cases/<uuid:code>/", clients.case_detail, name="case_detail"),
    path("cases/<uuid:code>/therapist/", clients.case_reassign, name="case_reassign"),
    path(
        "cases/<uuid:case_code>/clients/<uuid:client_code>/contact/",
        contact.client_contact_edit,
        name="client_contact_edit",
    ),
    path(
        "cases/<uuid:case_code>/clients/<uuid:client_code>/language/",
        contact.client_language_edit,
        name="client_language_edit",
    ),
    path("cases/<uuid:code>/discharge/", retention.case_discharge, name="case_discharge"),
    path("cases/<uuid:code>/reopen/", retention.case_reopen, name="case_reopen"),
    # Practice admin
    path("practice/", clients.practice_home, name="practice_home"),
    path("practice/staff/", accounts.staff_list, name="staff_list"),
    path("practice/staff/new/", accounts.staff_create, name="staff_create"),
    path("practice/staff/<uuid:code>/", accounts.staff_detail, name="staff_detail"),
    path(
        "practice/staff/<uuid:code>/deactivate/",
        accounts.staff_set_active,
        {"active": False},
        name="staff_deactivate",
    ),
    path(
        "practice/staff/<uuid:code>/reactivate/",
        accounts.staff_set_active,
        {"active": True},
        name="staff_reactivate",
    ),
    path("practice/audit/", audit.event_list, name="audit_log"),
    path("practice/audit/export/", audit.event_export, name="audit_export"),
    path("practice/audit/full-export/", audit.event_export_full, name="audit_export_full"),
    path("practice/retention/", retention.retention_list, name="retention_list"),
    path("practice/retention/<uuid:code>/", retention.retention_review, name="retention_review"),
    path("", include("intake.urls")),
    path("", include("intake.inquiry_urls")),
    path("", include("assessments.urls")),
    path("", include("clinic.notes.urls")),
    path("", include("clinic.reports.urls")),
    path("", include("clinic.releases.urls")),
    path("", include("clinic.plans.urls")),
    path("", include("clinic.plans.exercise_urls")),
    path("", include("clinic.plans.progress_urls")),
    path("", include("clinic.appointments.urls")),
]

# Pages anyone may open, in each of the practice's languages by address: /check/ in English, /es/check/ in
# Spanish (clinic.middleware.LanguageMiddleware). The address, not a cookie, carries the language.
urlpatterns += i18n_patterns(
    path("account/login/", accounts.login, name="login"),
    path("account/password/reset/", reset.password_reset, name="password_reset"),
    path("account/password/reset/sent/", accounts.password_reset_done, name="password_reset_done"),
    path("account/reset/<uidb64>/<token>/", accounts.password_reset_confirm, name="password_reset_confirm"),
    path("account/reset/done/", accounts.password_reset_complete, name="password_reset_complete"),
    path("welcome/<str:token>/", intake.invitation_accept, name="invitation_accept"),
    path("help/", assessments.safety_page, name="safety_page"),
    path("check/", assessments.self_check, name="self_check"),
    path("start/", inquiries.inquiry_start, name="inquiry_start"),
    path("start/thanks/", inquiries.inquiry_thanks, name="inquiry_thanks"),
    # The link sent by email or text to confirm a chosen consultation time (a secret in the path).
    path("start/confirm/<str:token>/", inquiries.consultation_confirm, name="consultation_confirm"),
    prefix_default_language=False,
)

handler400 = "clinic.views.bad_request"
handler403 = "clinic.views.permission_denied"
handler404 = "clinic.views.not_found"
handler500 = "clinic.views.server_error"
