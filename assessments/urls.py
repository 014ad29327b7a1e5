from django.urls import path

from assessments import views

urlpatterns = [
    path("help/", views.safety_page, name="safety_page"),
    path("practice/safety/", views.safety_edit, name="safety_edit"),
    path("cases/<uuid:case_code>/clients/<uuid:client_code>/", views.client_record, name="client_record"),
    path(
        "cases/<uuid:case_code>/clients/<uuid:client_code>/warning-signs/new/",
        views.warning_sign_new,
        name="warning_sign_new",
    ),
    path("flags/<uuid:code>/acknowledge/", views.flag_step, {"step": "acknowledge"}, name="flag_acknowledge"),
    path("flags/<uuid:code>/resolve/", views.flag_step, {"step": "resolve"}, name="flag_resolve"),
]
