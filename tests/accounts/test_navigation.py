"""The service navigation: each role sees exactly its places, and the current
one is marked (``accounts.navigation``)."""

from __future__ import annotations

import re

import pytest

from accounts.navigation import PLACES, navigation_items
from accounts.roles import Role
from tests.factories import UserFactory
from tests.helpers import sign_in_as

pytestmark = pytest.mark.django_db

PLACES_BY_ROLE = {
    Role.REQUESTER: ["Home", "My work", "Cases", "Forms", "Search"],
    Role.PRACTITIONER: ["Home", "My work", "Cases", "Forms", "Search", "Audits"],
    Role.LOCALITY_MANAGER: [
        *("Home", "My work", "Cases", "Triage", "Forms", "Search", "Audits"),
        "Scorecard",
    ],
    Role.AUDITOR: ["Home", "Audits"],
    Role.PERFORMANCE_LEAD: ["Home", "Audits", "Scorecard"],
    Role.ADMINISTRATOR: ["Home", "Admin"],
    Role.DATA_PROTECTION: ["Home", "Search", "Privacy"],
}

NAV = re.compile(r'<nav aria-label="Menu".*?</nav>', re.S)
ITEM = re.compile(
    r'<li class="govuk-service-navigation__item'
    r'( govuk-service-navigation__item--active)?">'
    r'\s*<a class="govuk-service-navigation__link" href="([^"]+)"'
    r'(?: aria-current="(page|true)")?>(?:<strong[^>]*>)?([^<]+)',
    re.S,
)


def places_on(html: str) -> list[tuple[str, str, str, bool]]:
    nav = NAV.search(html)
    if nav is None:
        return []
    return [
        (text, href, current or "", bool(active))
        for active, href, current, text in ITEM.findall(nav.group(0))
    ]


def user_of(role: Role):
    works_in_a_locality = role in (Role.PRACTITIONER, Role.LOCALITY_MANAGER)
    return UserFactory(
        role=role, localities=["erdington"] if works_in_a_locality else []
    )


@pytest.mark.parametrize("role", list(PLACES_BY_ROLE))
def test_each_role_sees_exactly_its_places_with_home_current(client, role):
    sign_in_as(client, user_of(role))
    response = client.get("/")
    assert response.status_code == 200
    places = places_on(response.content.decode())
    assert [p[0] for p in places] == PLACES_BY_ROLE[role]
    assert [(p[0], p[2], p[3]) for p in places if p[2]] == [("Home", "page", True)]


@pytest.mark.parametrize(
    ("role", "path", "current", "aria"),
    [
        (Role.LOCALITY_MANAGER, "/cases/", "Cases", "page"),
        (Role.LOCALITY_MANAGER, "/triage/erdington/", "Triage", "true"),
        (Role.LOCALITY_MANAGER, "/scorecard/", "Scorecard", "page"),
        (Role.PRACTITIONER, "/family-connect/forms/", "Forms", "page"),
        (Role.PRACTITIONER, "/audits/", "Audits", "page"),
        (Role.REQUESTER, "/cases/", "Cases", "page"),
        (Role.DATA_PROTECTION, "/privacy/anomalies/", "Privacy", "true"),
        (Role.PERFORMANCE_LEAD, "/audits/reports/", "Audits", "true"),
        (Role.PRACTITIONER, "/search/?q=khan", "Search", "page"),
        (Role.LOCALITY_MANAGER, "/cases/my-work/", "My work", "page"),
        (Role.LOCALITY_MANAGER, "/cases/my-work/team/", "My work", "true"),
    ],
)
def test_the_current_place_is_marked(client, role, path, current, aria):
    sign_in_as(client, user_of(role))
    response = client.get(path)
    assert response.status_code == 200
    marked = [(p[0], p[2]) for p in places_on(response.content.decode()) if p[2]]
    assert marked == [(current, aria)]


def test_a_page_outside_every_place_marks_none(client):
    sign_in_as(client, user_of(Role.PRACTITIONER))
    html = client.get("/account/password/").content.decode()
    assert places_on(html) and not [p for p in places_on(html) if p[2]]


def test_signed_out_and_public_pages_have_no_navigation(client):
    for path in ("/sign-in/", "/family-connect/"):
        html = client.get(path).content.decode()
        assert 'data-testid="service-navigation"' not in html
        assert "Early Help Connect" in html


def test_a_user_without_a_role_has_no_navigation(client):
    sign_in_as(client, UserFactory(role=""))
    html = client.get("/").content.decode()
    assert 'data-testid="service-navigation"' not in html


def test_staff_before_two_factor_see_only_home(client, settings):
    from tests.helpers import sign_in

    settings.TWO_FACTOR_REQUIRED = True
    sign_in(client, user_of(Role.LOCALITY_MANAGER))
    assert [p[0] for p in places_on(client.get("/").content.decode())] == ["Home"]


def test_the_deepest_place_is_current_so_a_place_inside_another_is_one_line():
    """A place whose prefix lies inside another's wins on its own pages."""
    from accounts import navigation

    user = UserFactory(role=Role.LOCALITY_MANAGER)
    extra = navigation.place(
        "My work", "casework:dashboard", "/cases/dashboard/", navigation.MGR
    )
    original = navigation.PLACES
    navigation.PLACES = (*original, extra)
    try:
        marked = [
            (i.text, i.current)
            for i in navigation_items(user, "/cases/dashboard/")
            if i.current
        ]
    finally:
        navigation.PLACES = original
    assert marked == [("My work", "page")]
    assert {p.text for p in PLACES} == {
        "Home",
        "My work",
        "Cases",
        "Triage",
        "Forms",
        "Search",
        "Audits",
        "Scorecard",
        "Privacy",
        "Admin",
    }


SEARCH_BOX = re.compile(r'<form class="ehc-nav-search" action="/search/" method="get"')


@pytest.mark.parametrize("role", list(PLACES_BY_ROLE))
def test_the_search_box_is_there_for_the_roles_that_search(client, role):
    sign_in_as(client, user_of(role))
    html = client.get("/").content.decode()
    assert bool(SEARCH_BOX.search(html)) == ("Search" in PLACES_BY_ROLE[role])
