from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from casework.models import Case


def _open_case_of(family_ids: list[int]) -> Case | None:
    """The open case intake attaches a strongly matched form to
    (``family_connect.household_cases``)."""
    from casework.models import OPEN_STATUSES, Case

    return (
        Case.objects.select_related("lead_practitioner")
        .filter(family_id__in=family_ids, status__in=OPEN_STATUSES)
        .order_by("-opened_at")
        .first()
    )


def _case_localities_of(family_ids: list[int]) -> Iterable[tuple[int, int]]:
    """The localities of the households' cases, for intake's cross-locality
    links (``family_connect.household_cases``)."""
    from casework.models import Case

    return Case.objects.filter(family_id__in=family_ids).values_list(
        "family_id", "locality_id"
    )


class CaseworkConfig(AppConfig):
    name = "casework"

    def ready(self) -> None:
        from accounts.revisit import access_revisit_register
        from casework.revisit import team_places_revisit
        from family_connect.household_cases import household_cases_register

        access_revisit_register("casework.team_places", team_places_revisit)
        household_cases_register(
            open_case_of=_open_case_of, case_localities_of=_case_localities_of
        )
