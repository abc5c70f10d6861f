from __future__ import annotations

from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"

    def ready(self) -> None:
        # Apps beneath casework ask for what only casework knows through the
        # registries they own: revisiting access when a role changes, and a
        # household's cases for intake's matching and cross-locality links.
        from accounts.revisit import access_revisit_register
        from casework.revisit import team_places_revisit
        from casework.selectors.cases import (
            household_case_localities,
            household_closed_cases,
            household_open_case,
        )
        from family_connect.household_cases import household_cases_register

        access_revisit_register("casework.team_places", team_places_revisit)
        household_cases_register(
            open_case_of=household_open_case,
            case_localities_of=household_case_localities,
            closed_cases_of=household_closed_cases,
        )
