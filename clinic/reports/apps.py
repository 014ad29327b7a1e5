from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "clinic.reports"
    label = "reports"

    def ready(self) -> None:
        from clinic.releases.signals import stored_copies_void
        from clinic.reports.receivers import void_release_files

        stored_copies_void.connect(void_release_files, dispatch_uid="reports.void_release_files")
