from django.urls import path

from clinic.releases import views

urlpatterns = [
    # The client's own page, under a neutral path and title.
    path("my/sharing/", views.sharing_home, name="sharing_home"),
    path("my/sharing/new/", views.sharing_new, name="sharing_new"),
    path("my/sharing/<uuid:code>/", views.sharing_revoke, name="sharing_revoke"),
    # Staff
    path(
        "cases/<uuid:case_code>/clients/<uuid:client_code>/authorizations/",
        views.authorization_list,
        name="authorization_list",
    ),
    path("authorizations/<uuid:code>/revoke/", views.authorization_revoke, name="authorization_revoke"),
    path("releases/", views.release_list, name="release_list"),
    path("releases/<uuid:code>/", views.release_detail, name="release_detail"),
    path("releases/<uuid:code>/redact/", views.release_redact, name="release_redact"),
    path("releases/<uuid:code>/withhold/", views.release_withhold, name="release_withhold"),
    path("releases/<uuid:code>/confirm/", views.release_confirm, name="release_confirm"),
    path("releases/<uuid:code>/cancel/", views.release_cancel, name="release_cancel"),
]
