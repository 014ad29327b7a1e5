from django.urls import path

from clinic.reports import views

urlpatterns = [
    path("practice/report/", views.practice_report, name="practice_report"),
    path("practice/outcomes/", views.outcomes_report, name="outcomes_report"),
    path("cases/<uuid:case_code>/summary/", views.case_summary, name="case_summary"),
    path("cases/<uuid:case_code>/plan/pdf/", views.plan_pdf, name="plan_pdf"),
    path("reports/<uuid:code>/", views.report_job, name="report_job"),
    path("reports/<uuid:code>/download/", views.report_download, name="report_download"),
    path("reports/<uuid:code>/retry/", views.report_retry, name="report_retry"),
    # Every address that hands out a release's bytes is here, and each goes through the release gate.
    path("releases/<uuid:code>/download/", views.release_download, name="release_download"),
    path(
        "cases/<uuid:case_code>/clients/<uuid:client_code>/summary/",
        views.client_summary,
        name="client_summary",
    ),
    path(
        "cases/<uuid:case_code>/clients/<uuid:client_code>/export/",
        views.client_export,
        name="client_export",
    ),
]
