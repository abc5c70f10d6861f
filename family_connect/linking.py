"""When linking a form to a household we already know crosses localities.

Confirming a match links the form to the household; allocating the form then
opens the household's people, address and history to the locality that
allocates it. Inside a locality that is ordinary triage. Across localities it is
how a family that has moved is picked up again — and how a manager could reach
any family in the city with a made-up form. So a link is *cross-locality*, and
needs a written reason that the data protection officer reviews, when

- the household lives, as far as we know, in another locality than the form's
  queue (or the form is still in the city-wide unresolved queue), or
- the household has had cases, and none of them in the form's locality.

A household in the form's locality (or whose locality is not known) with no
case anywhere — known only from a form stepped up at triage, say — links
without a reason: there is no other locality's work to open.

A genuine move is one step: the manager confirms the household with the reason
("moved from Ladywood in October"), and allocation moves the household's
address to the form's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from families.models import Family
from family_connect.household_cases import household_case_localities
from family_connect.models import CrossLocalityLink, MatchCandidate


def candidate_household(candidate: MatchCandidate) -> Family | None:
    """The household a match would link the form to: the household itself, or
    the household of the person."""
    if candidate.member_id is None:
        return candidate.family
    return candidate.person.family if candidate.person is not None else None


def cross_locality_concerns(
    *, form_locality_id: int | None, families: Iterable[Family]
) -> dict[int, str]:
    """For each household whose link to a form in ``form_locality_id``'s queue
    would cross localities, why (in words); households that would not are left
    out. One query, whatever the number of households."""
    families = list({f.pk: f for f in families}.values())
    case_localities: dict[int, set[int]] = defaultdict(set)
    for family_id, locality_id in household_case_localities(
        family_ids=[f.pk for f in families]
    ):
        case_localities[family_id].add(locality_id)
    concerns: dict[int, str] = {}
    for family in families:
        if form_locality_id is None:
            concerns[family.pk] = "The form is not yet in a locality's queue."
        elif family.locality_id not in (None, form_locality_id):
            concerns[family.pk] = "The household lives in another locality."
        elif case_localities[family.pk] and (
            form_locality_id not in case_localities[family.pk]
        ):
            concerns[family.pk] = "The household's cases are in another locality."
    return concerns


def cross_locality_concern(*, form_locality_id: int | None, family: Family) -> str:
    """Why linking this household to a form in that queue crosses localities,
    or "" when it does not."""
    return cross_locality_concerns(
        form_locality_id=form_locality_id, families=[family]
    ).get(family.pk, "")


def cross_locality_linked(*, form_id: int, family_id: int) -> bool:
    """Whether a manager has already linked this form to this household with a
    reason (one reason covers the household and each of its people)."""
    return CrossLocalityLink.objects.filter(
        form_id=form_id, family_id=family_id
    ).exists()
