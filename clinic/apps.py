from django.apps import AppConfig


class ClinicConfig(AppConfig):
    """The project package itself: cross-app commands such as seed_demo."""

    name = "clinic"
