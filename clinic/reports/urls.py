from django.urls import path

from clinic.reports import views

urlpatterns = [
    path("practice/report/", views.practice_report, name="practice_report"),
    path(
        "cases/<uuid:case_code>/clients/<uuid:client_code>/summary/",
        views.client_summary,
        name="client_summary",
    ),
]
