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

from accounts.access import Viewer, active_user, answers_for_records
from accounts.roles import Role
from casework.access import may_see_family_records

SEARCHING_ROLES = frozenset(
    {
        Role.PRACTITIONER,
        Role.LOCALITY_MANAGER,
        Role.REQUESTER,
        Role.DATA_PROTECTION,
    }
)


def may_search(user: Viewer) -> bool:
    """Whether the user has a search at all (the search page)."""
    return active_user(user) and user.role in SEARCHING_ROLES


def searches_citywide(user: Viewer) -> bool:
    """The data protection officer: people city-wide, by name, year of birth
    and locality only, to open who viewed and subject access."""
    return answers_for_records(user)


def may_search_people_api(user: Viewer) -> bool:
    """The people API answers for the roles that work with families; the data
    protection officer's city-wide search is the search page, which leads to
    who viewed and subject access."""
    return may_search(user) and not searches_citywide(user)


def searches_family_details(user: Viewer) -> bool:
    """Whether search may match and show people and households: the users
    who may see families' records. Partners on a team (requesters) find their
    team's cases by the names on them."""
    return may_see_family_records(user)
