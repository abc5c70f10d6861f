from django.apps import AppConfig


class FamilyConnectConfig(AppConfig):
    name = "family_connect"

    def ready(self) -> None:
        from family_connect import schema  # noqa: F401  (registers the extension)
