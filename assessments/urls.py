from django.urls import path

from assessments import own_progress, views

urlpatterns = [
    path("practice/safety/", views.safety_edit, name="safety_edit"),
    path("cases/<uuid:case_code>/clients/<uuid:client_code>/", views.client_record, name="client_record"),
    path(
        "cases/<uuid:case_code>/clients/<uuid:client_code>/warning-signs/new/",
        views.warning_sign_new,
        name="warning_sign_new",
    ),
    path("my/progress/", own_progress.my_progress, name="my_progress"),
    path(
        "cases/<uuid:case_code>/clients/<uuid:client_code>/progress-view/",
        own_progress.progress_switch,
        name="progress_switch",
    ),
    path("my/questions/<uuid:code>/", views.questions, name="questions"),
    path("my/questions/<uuid:code>/save/", views.questions_save, name="questions_save"),
    path("my/after-appointment/<uuid:code>/", views.session_checkin, name="session_checkin"),
    path("my/after-appointment/<uuid:code>/save/", views.session_checkin_save, name="session_checkin_save"),
    path("balance-alerts/<uuid:code>/resolve/", views.balance_alert_resolve, name="balance_alert_resolve"),
    path("cases/<uuid:case_code>/comparison/", views.comparison, name="comparison"),
    path(
        "cases/<uuid:case_code>/clients/<uuid:client_code>/results/<uuid:code>/",
        views.screening_result,
        name="screening_result",
    ),
    path(
        "cases/<uuid:case_code>/clients/<uuid:client_code>/rescreen/<str:key>/",
        views.rescreen,
        name="rescreen",
    ),
    path("flags/<uuid:code>/acknowledge/", views.flag_step, {"step": "acknowledge"}, name="flag_acknowledge"),
    path("flags/<uuid:code>/resolve/", views.flag_step, {"step": "resolve"}, name="flag_resolve"),
]
