from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "clinic.releases"
    label = "releases"
