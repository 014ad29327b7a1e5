from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "clinic.accounts"
    label = "accounts"

    def ready(self) -> None:
        from clinic.accounts import signals  # noqa: F401
