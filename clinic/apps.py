from django.apps import AppConfig


class ClinicConfig(AppConfig):
    """The project package itself: cross-app commands such as seed_demo."""

    name = "clinic"

    def ready(self) -> None:
        from clinic import checks  # noqa: F401  (registers the start-up checks)
