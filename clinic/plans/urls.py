from django.urls import path

from clinic.plans import views

urlpatterns = [
    path("cases/<uuid:code>/plan/", views.plan_detail, name="plan_detail"),
    path("cases/<uuid:code>/plan/edit/", views.plan_edit, name="plan_edit"),
    path("cases/<uuid:code>/plan/autosave/", views.plan_autosave, name="plan_autosave"),
    path("cases/<uuid:code>/plan/sign/", views.plan_sign, name="plan_sign"),
    path("cases/<uuid:code>/plan/review/", views.plan_review_start, name="plan_review_start"),
    path("cases/<uuid:code>/plan/v/<int:number>/", views.plan_version, name="plan_version"),
]
