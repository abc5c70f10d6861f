"""Who may search, and how widely: the one choke point for search.

Search adds no scope of its own. Practitioners, locality managers and
requesters search what the choke points of the records already let them see
(``casework.access`` for people and cases, ``family_connect.access`` for
forms); the data protection officer searches people city-wide, as the privacy
pages already let them, and sees only a person's name,
year of birth and locality. Performance leads, administrators and auditors
have no search of identifiable data; nor has anyone without a role.
"""

from __future__ import annotations

from typing import Any

from accounts.access import active_user
from accounts.roles import Role

SEARCHING_ROLES = frozenset(
    {
        Role.PRACTITIONER,
        Role.LOCALITY_MANAGER,
        Role.REQUESTER,
        Role.DATA_PROTECTION,
    }
)


def may_search(user: Any) -> bool:
    """Whether the user has a search at all (the search page)."""
    return active_user(user) and user.role in SEARCHING_ROLES


def searches_citywide(user: Any) -> bool:
    """The data protection officer: people city-wide, by name, year of birth
    and locality only, to open who viewed and subject access — the officer
    ``privacy.access.may_answer_for_records`` lets in (search sits beside
    privacy in the layers, so the rule is stated here rather than imported)."""
    return active_user(user) and user.role == Role.DATA_PROTECTION


def may_search_people_api(user: Any) -> bool:
    """The people API answers for the roles that work with families; the data
    protection officer's city-wide search is the search page, which leads to
    who viewed and subject access."""
    return may_search(user) and not searches_citywide(user)


def searches_family_details(user: Any) -> bool:
    """Whether search may match and show people and households: the roles
    ``casework.access.person_queryset_for_user`` gives people to. Partners on
    a team (requesters) find their team's cases by the names on them."""
    return active_user(user) and user.role in (
        Role.PRACTITIONER,
        Role.LOCALITY_MANAGER,
    )
