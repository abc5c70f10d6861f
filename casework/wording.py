"""What the assessment, review and closure pages say when a score is missing:
one wording, used by the forms (a field left empty) and by the services
(everything a completed record needs)."""

from __future__ import annotations

from casework.models import WheelDomain

SCALING_MISSING = "Select the family's scaling score (0 to 10)"


def domain_missing(domain: WheelDomain, *, at_closure: bool = False) -> str:
    when = " at closure" if at_closure else ""
    return (
        f"Select a score for the {domain.label.lower()} part of the family wheel{when}"
    )


def person_missing(given_name: str, *, at_closure: bool = False) -> str:
    when = " at closure" if at_closure else ""
    return f"Select an overall score{when} for {given_name} (1 to 10)"
