from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"

    def ready(self) -> None:
        from accounts.revisit import access_revisit_register
        from casework.revisit import team_places_revisit

        access_revisit_register("casework.team_places", team_places_revisit)
