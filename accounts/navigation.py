"""The service navigation: each role's places, and breadcrumbs.

``PLACES`` is the whole of it, one line a place: what it says, the URL name it
opens, the roles that may use it, and the path prefix that marks it current
(None: only its own address). When several places match a path, the one with
the longest prefix is current, so a place inside another's prefix (a page
under ``/cases/``, say) can be added without touching the others.

Places link by URL name only: nothing here imports the apps it links to, so
the navigation sits in ``accounts`` beneath them all. Whether a role may use a
place is what the access matrix (``tests/test_access_matrix.py``) says the
place's page answers to it; the page itself still decides, through its own
``access.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from accounts.roles import Role
from accounts.two_factor import needs_two_factor

# Short names for the roles, so that each place stays on one line.
ANY = tuple(Role)
REQ, PRAC, MGR = Role.REQUESTER, Role.PRACTITIONER, Role.LOCALITY_MANAGER
AUD, PERF = Role.AUDITOR, Role.PERFORMANCE_LEAD
ADMIN, DPO = Role.ADMINISTRATOR, Role.DATA_PROTECTION


@dataclass(frozen=True)
class Place:
    text: str
    url_name: str
    roles: frozenset[Role]
    prefix: str | None = None


def place(text: str, url_name: str, prefix: str | None, *roles: Role) -> Place:
    return Place(text, url_name, frozenset(roles), prefix)


PLACES: tuple[Place, ...] = (
    place("Home", "accounts:home", None, *ANY),
    place("My work", "casework:my_work", "/cases/my-work/", PRAC, MGR, REQ),
    place("Cases", "casework:caseload", "/cases/", PRAC, MGR, REQ),
    place("Triage", "triage:index", "/triage/", MGR),
    place("Forms", "family_connect:my_forms", "/family-connect/", REQ, PRAC, MGR),
    place("Search", "search:results", "/search/", REQ, PRAC, MGR, DPO),
    place("Audits", "audits:index", "/audits/", AUD, PERF, MGR, PRAC),
    place("Scorecard", "scorecard:dashboard", "/scorecard/", MGR, PERF),
    place("Privacy", "privacy:who_viewed", "/privacy/", DPO),
    place("Admin", "admin:index", "/admin/", ADMIN),
)


@dataclass(frozen=True)
class NavigationItem:
    text: str
    href: str
    # "page" on the place's own address, "true" anywhere else inside it, else "".
    current: str


def places_for(user: Any) -> list[Place]:
    """The places the user's role may use (none for a user without a role)."""
    if not getattr(user, "is_authenticated", False) or not user.role:
        return []
    return [p for p in PLACES if user.role in p.roles]


def may_visit(user: Any, url_name: str) -> bool:
    """Whether the user's navigation holds the place with this URL name (for
    breadcrumbs, which link only to places the user may open)."""
    return any(p.url_name == url_name for p in places_for(user))


def navigation_items(user: Any, path: str) -> list[NavigationItem]:
    places = [(p, reverse(p.url_name)) for p in places_for(user)]

    def depth(place: Place, href: str) -> int:
        if path == href:
            return len(href) + 1
        if place.prefix is not None and path.startswith(place.prefix):
            return len(place.prefix)
        return 0

    deepest = max((depth(p, href) for p, href in places), default=0)
    return [
        NavigationItem(
            text=p.text,
            href=href,
            current=(
                ("page" if path == href else "true")
                if deepest and depth(p, href) == deepest
                else ""
            ),
        )
        for p, href in places
    ]


def service_navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the signed-in user's places. Staff who have not
    passed two-factor yet see only the home page, where they are sent to."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    items = navigation_items(user, request.path)
    if needs_two_factor(request, user):
        items = [i for i in items if i.href == reverse("accounts:home")]
    # The search box goes with the Search place: for the roles that have one.
    search = reverse("search:results")
    return {
        "navigation": items,
        "search_url": search if any(i.href == search for i in items) else "",
    }


def breadcrumbs(user: Any, *trail: tuple[str, str | None]) -> list[tuple[str, str]]:
    """A trail from Home, each step (text, URL name or URL). A step whose URL
    name is a navigation place the user may not open is left out; a step given
    as an address (it starts with "/") is kept."""
    crumbs = [("Home", reverse("accounts:home"))]
    for text, target in trail:
        if target is None:
            continue
        if target.startswith("/"):
            crumbs.append((text, target))
        elif may_visit(user, target):
            crumbs.append((text, reverse(target)))
    return crumbs
