"""Search (``/search/``) and the people API (``/api/v1/people/``): each role
finds only what its choke points let it see, names forgive one letter, dates
are read as people type them, and every search is in the access log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.services import api_token_issue
from core.models import AccessLog
from families.models import Person
from families.names import name_key, name_keys
from families.query import parse_query
from localities.models import Locality
from search.selectors import people_page, people_search, search_for_user
from tests.factories import (
    CaseFactory,
    FamilyFactory,
    FormFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    join_team,
)
from tests.helpers import sign_in_as

pytestmark = pytest.mark.django_db

APRIL_3 = dt.date(2014, 4, 3)


def _member(form, given, family, born=APRIL_3):
    form.members.create(
        position=form.members.count(),
        role="child",
        given_name=given,
        family_name=family,
        **name_keys(given, family),
        date_of_birth=born,
    )


@pytest.fixture
def world():
    school = OrganisationFactory(name="Erdington Primary", kind="school")
    users = {
        "lead": UserFactory(role=Role.PRACTITIONER, localities=["erdington"]),
        "other_practitioner": UserFactory(
            role=Role.PRACTITIONER, localities=["erdington"]
        ),
        "manager": UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"]),
        "ladywood_manager": UserFactory(
            role=Role.LOCALITY_MANAGER, localities=["ladywood"]
        ),
        "requester": UserFactory(role=Role.REQUESTER, organisation=school),
        "colleague": UserFactory(role=Role.REQUESTER, organisation=school),
        "data_protection": UserFactory(role=Role.DATA_PROTECTION, organisation=None),
        "performance_lead": UserFactory(role=Role.PERFORMANCE_LEAD, organisation=None),
        "administrator": UserFactory(role=Role.ADMINISTRATOR, organisation=None),
        "auditor": UserFactory(role=Role.AUDITOR),
        "no_role": UserFactory(role="", organisation=None),
    }
    erdington = Locality.objects.get(slug="erdington")
    ladywood = Locality.objects.get(slug="ladywood")
    home = FamilyFactory(postcode="B23 6TJ", locality=erdington)
    zoe = PersonFactory(
        family=home, given_name="Zoë", family_name="O'Brien", date_of_birth=APRIL_3
    )
    mum = PersonFactory(
        family=home,
        role="adult",
        given_name="Sarah",
        family_name="O'Brien",
        date_of_birth=dt.date(1988, 6, 1),
        relationship="mother",
    )
    case = CaseFactory(family=home, lead_practitioner=users["lead"])
    join_team(case, users["requester"])
    other_home = FamilyFactory(postcode="B23 7AA", locality=erdington)
    jayden = PersonFactory(family=other_home, given_name="Jayden", family_name="Smith")
    CaseFactory(family=other_home, lead_practitioner=users["other_practitioner"])
    away = FamilyFactory(postcode="B16 8AA", locality=ladywood)
    ladywood_zoe = PersonFactory(
        family=away, given_name="Zoe", family_name="OBrien", date_of_birth=APRIL_3
    )
    CaseFactory(
        family=away,
        locality=ladywood,
        lead_practitioner=UserFactory(role=Role.PRACTITIONER, localities=["ladywood"]),
    )
    own_form = FormFactory(requester=users["requester"], organisation=school)
    _member(own_form, "Zoë", "O'Brien")
    colleagues_form = FormFactory(requester=users["colleague"], organisation=school)
    _member(colleagues_form, "Zoe", "OBrien")
    elsewhere_form = FormFactory(
        requester=UserFactory(role=Role.REQUESTER), locality=ladywood
    )
    _member(elsewhere_form, "Zoe", "O'Brien")
    records = {
        "zoe": zoe,
        "mum": mum,
        "jayden": jayden,
        "ladywood_zoe": ladywood_zoe,
        "case": case,
        "own_form": own_form,
        "colleagues_form": colleagues_form,
        "elsewhere_form": elsewhere_form,
    }
    return users, records


_SIGNED_IN: dict[int, Client] = {}


@pytest.fixture(autouse=True)
def _clients():
    _SIGNED_IN.clear()
    yield
    _SIGNED_IN.clear()


def found(client, user, q, **extra):
    """Search as the user, in a client of their own signed in once (a TOTP
    code is accepted once)."""
    if user.pk not in _SIGNED_IN:
        _SIGNED_IN[user.pk] = Client()
        sign_in_as(_SIGNED_IN[user.pk], user)
    response = _SIGNED_IN[user.pk].get("/search/", {"q": q, **extra})
    assert response.status_code == 200, response.status_code
    return response


def people_of(response):
    return {r.person.pk for r in response.context["found"].people}


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)}")
    return client


# --- Scope per role ----------------------------------------------------------


def test_a_manager_finds_their_localitys_people_and_no_other(client, world):
    users, r = world
    response = found(client, users["manager"], "obrien")
    assert people_of(response) == {r["zoe"].pk, r["mum"].pk}
    results = response.context["found"]
    by_person = {x.person.pk: x for x in results.people}
    assert by_person[r["zoe"].pk].case_id == r["case"].pk
    assert "O&#x27;Brien family" in response.content.decode()
    # Locality managers see the forms of their locality; not Ladywood's.
    assert {f.form.pk for f in results.forms} == {
        r["own_form"].pk,
        r["colleagues_form"].pk,
    }
    ladywood = found(client, users["ladywood_manager"], "obrien")
    assert people_of(ladywood) == {r["ladywood_zoe"].pk}


def test_a_practitioner_finds_only_their_cases_people(client, world):
    users, r = world
    assert people_of(found(client, users["lead"], "obrien")) == {
        r["zoe"].pk,
        r["mum"].pk,
    }
    response = found(client, users["other_practitioner"], "obrien")
    assert people_of(response) == set()
    assert "No results for ‘obrien’" in response.content.decode()
    assert people_of(found(client, users["other_practitioner"], "smith")) == {
        r["jayden"].pk
    }


def test_a_requester_finds_only_their_teams_families_and_their_forms(client, world):
    users, r = world
    response = found(client, users["requester"], "o'brien")
    results = response.context["found"]
    assert results.people == [] and results.households == []
    assert [c.case.pk for c in results.cases] == [r["case"].pk]
    # The names the case's result shows are logged as the people's.
    logged = set(
        AccessLog.objects.filter(
            user=users["requester"], action="search", object_type="families.person"
        ).values_list("object_id", flat=True)
    )
    assert logged == {str(r["zoe"].pk), str(r["mum"].pk)}
    # Their own form; a colleague's only by its reference, without details.
    assert [f.form.pk for f in results.forms] == [r["own_form"].pk]
    by_reference = found(client, users["requester"], r["colleagues_form"].reference)
    (form,) = by_reference.context["found"].forms
    assert form.form.pk == r["colleagues_form"].pk and not form.shows_details
    assert "Zoe" not in by_reference.content.decode()
    # A date of birth does not find the team's families: partners see names.
    assert found(client, users["requester"], "3/4/2014").context["found"].cases == []


@pytest.mark.parametrize(
    "who", ["performance_lead", "administrator", "auditor", "no_role"]
)
def test_roles_without_search_are_refused(client, world, who):
    users, _r = world
    sign_in_as(client, users[who])
    response = client.get("/search/", {"q": "obrien"})
    assert response.status_code == 403
    assert "OBrien" not in response.content.decode()
    assert api(users[who]).get("/api/v1/people/?q=obrien").status_code == 403
    assert not AccessLog.objects.filter(action="search").exists()


def test_the_data_protection_officer_searches_people_citywide(client, world):
    users, r = world
    response = found(client, users["data_protection"], "obrien")
    results = response.context["found"]
    assert {p.id for p in results.citywide} == {
        r["zoe"].pk,
        r["mum"].pk,
        r["ladywood_zoe"].pk,
    }
    assert results.people == [] and results.cases == [] and results.forms == []
    row = next(p for p in results.citywide if p.id == r["zoe"].pk)
    assert (row.name, row.year_of_birth, row.locality) == (
        "Zoë O'Brien",
        2014,
        "Erdington",
    )
    body = response.content.decode()
    assert f"/privacy/who-viewed/?person={r['zoe'].pk}" in body
    assert f"/privacy/subject-access/?person={r['zoe'].pk}" in body
    # Name, year and locality only: no date of birth, postcode or address.
    assert "3 April 2014" not in body and "B23 6TJ" not in body
    by_year = found(client, users["data_protection"], "obrien 2014")
    assert {p.id for p in by_year.context["found"].citywide} == {
        r["zoe"].pk,
        r["ladywood_zoe"].pk,
    }
    in_ladywood = found(client, users["data_protection"], "obrien", locality="ladywood")
    assert {p.id for p in in_ladywood.context["found"].citywide} == {
        r["ladywood_zoe"].pk
    }
    # The people API is not the officer's: the page leads to their tools.
    assert (
        api(users["data_protection"]).get("/api/v1/people/?q=obrien").status_code == 403
    )


# --- Tolerant matching -------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "Zoe OBrien",
        "ZOË o'brien",
        "zoe  o brien",
        "Zoe OBrein",  # two letters swapped
        "Zoe OBiren",  # two letters swapped across the middle
        "Oze O'Brien",
        "Zpe O'Brien",  # one letter wrong
        "Zoe Brien",  # one letter missing
        "zo obr",  # the start of each name
    ],
)
def test_misspelt_names_are_found(client, world, typed):
    users, r = world
    assert r["zoe"].pk in people_of(found(client, users["manager"], typed))


@pytest.mark.parametrize(
    "typed", ["3/4/2014", "03/04/2014", "3 April 2014", "2014-04-03", "zoe 3.4.14"]
)
def test_dates_of_birth_as_people_type_them(client, world, typed):
    users, r = world
    assert people_of(found(client, users["manager"], typed)) == {r["zoe"].pk}


def test_postcodes_in_any_spacing_find_people_and_households(client, world):
    users, r = world
    response = found(client, users["manager"], "b236tj")
    assert people_of(response) == {r["zoe"].pk, r["mum"].pk}
    assert [h.pk for h in response.context["found"].households] == [r["zoe"].family_id]


def test_a_date_that_does_not_exist_is_an_error_and_the_query_is_kept(client, world):
    users, _r = world
    sign_in_as(client, users["manager"])
    response = client.get("/search/", {"q": "zoe 31/02/2014"})
    body = response.content.decode()
    assert response.status_code == 200 and response.context["found"] is None
    assert "There is a problem" in body and "Enter a real date of birth" in body
    assert 'value="zoe 31/02/2014"' in body


# --- The access log ----------------------------------------------------------


def test_every_search_and_every_record_shown_is_logged(client, world):
    users, r = world
    response = found(client, users["manager"], "obrien")
    results = response.context["found"]
    entries = AccessLog.objects.filter(user=users["manager"], action="search")
    logged = set(entries.values_list("object_type", "object_id"))
    shown = {("families.person", str(x.person.pk)) for x in results.people}
    shown |= {
        ("family_connect.familyconnectform", str(f.form.pk)) for f in results.forms
    }
    assert shown and shown <= logged
    assert ("search", str(len(results.shown()))) in logged
    assert entries.count() == len(results.shown()) + 1
    assert all("q=obrien" in e.path for e in entries)


def test_the_officers_search_is_logged_for_each_person(client, world):
    users, r = world
    found(client, users["data_protection"], "obrien")
    logged = set(
        AccessLog.objects.filter(
            action="search", object_type="families.person"
        ).values_list("object_id", flat=True)
    )
    assert logged == {str(r["zoe"].pk), str(r["mum"].pk), str(r["ladywood_zoe"].pk)}


# --- Query counts ------------------------------------------------------------


def _household_of(count, family_name, lead):
    home = FamilyFactory(postcode="B23 9ZZ")
    for i in range(count):
        PersonFactory(
            family=home, given_name=f"Child{chr(65 + i)}", family_name=family_name
        )
    CaseFactory(family=home, lead_practitioner=lead)


def _queries(client, user, q) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_the_results(
    client, world, django_assert_num_queries
):
    users, _r = world
    _household_of(1, "Quinn", users["lead"])
    _household_of(5, "Quayle", users["lead"])
    assert len(found(client, users["manager"], "quinn").context["found"].people) == 1
    client = _SIGNED_IN[users["manager"].pk]
    one = _queries(client, users["manager"], "quinn")
    with django_assert_num_queries(one):
        response = client.get("/search/", {"q": "quayle"})
    assert len(response.context["found"].people) == 5
    api_client = api(users["manager"])
    api_client.get("/api/v1/people/?q=warm")  # the token's first use is noted
    with CaptureQueriesContext(connection) as captured:
        assert api_client.get("/api/v1/people/?q=quinn").json()["count"] == 1
    with django_assert_num_queries(len(captured)):
        assert api_client.get("/api/v1/people/?q=quayle").json()["count"] == 5


def test_the_selectors_read_a_page_in_a_fixed_number_of_queries(world):
    users, r = world
    ids = people_search(users["manager"], parse_query("obrien")).ids
    assert len(ids) == 2
    with CaptureQueriesContext(connection) as one:
        people_page(users["manager"], ids[:1])
    with CaptureQueriesContext(connection) as two:
        people_page(users["manager"], ids)
    assert len(one) == len(two) <= 3
    assert search_for_user(users["manager"], parse_query("")).count == 0


# --- The people API ----------------------------------------------------------


def test_the_people_api_answers_its_fixed_shape(world):
    users, r = world
    response = api(users["manager"]).get("/api/v1/people/?q=zoe obrien")
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["count", "next", "results"]
    assert body["count"] == 1 and body["next"] is None
    assert body["results"] == [
        {
            "id": r["zoe"].pk,
            "given_name": "Zoë",
            "family_name": "O'Brien",
            "date_of_birth": "2014-04-03",
            "locality": "erdington",
            "case": r["case"].pk,
        }
    ]
    logged = AccessLog.objects.filter(action="search", channel="api")
    assert set(logged.values_list("object_type", "object_id")) == {
        ("search", "1"),
        ("families.person", str(r["zoe"].pk)),
    }


def test_the_people_api_narrows_by_date_of_birth_and_postcode(world):
    users, r = world
    client = api(users["manager"])
    ids = lambda url: {p["id"] for p in client.get(url).json()["results"]}  # noqa: E731
    assert ids("/api/v1/people/?q=obrien&date_of_birth=2014-04-03") == {r["zoe"].pk}
    assert ids("/api/v1/people/?q=obrien&postcode=b236tj") == {
        r["zoe"].pk,
        r["mum"].pk,
    }
    assert ids("/api/v1/people/?q=obrien&postcode=B23 7AA") == set()
    # Within scope: Ladywood's Zoe is not the Erdington manager's.
    assert ids("/api/v1/people/?q=zoe") == {r["zoe"].pk}
    assert ids("/api/v1/people/?q=3/4/2014") == {r["zoe"].pk}
    # Partners on a team see the plan, not the family's records.
    assert api(users["requester"]).get("/api/v1/people/?q=obrien").json() == {
        "count": 0,
        "next": None,
        "results": [],
    }


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "q"),
        ("q=", "q"),
        ("q=%20%20", "q"),
        ("q=31/02/2014", "q"),
        ("q=zoe&date_of_birth=3/4/2014", "date_of_birth"),
        ("q=zoe&date_of_birth=2014-02-31", "date_of_birth"),
        ("q=zoe&postcode=nowhere", "postcode"),
    ],
)
def test_the_people_api_refuses_bad_input_with_a_field_error(world, query, field):
    users, _r = world
    response = api(users["manager"]).get(f"/api/v1/people/?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert response.json()[field][0]


def test_the_people_api_pages_by_fifty(world):
    users, r = world
    home = r["zoe"].family
    Person.objects.bulk_create(
        Person(
            family=home,
            role="child",
            given_name=f"Kid{i}",
            family_name="Brennan",
            given_name_key=name_key(f"Kid{i}"),
            family_name_key="brennan",
        )
        for i in range(51)
    )
    client = api(users["manager"])
    first = client.get("/api/v1/people/?q=brennan").json()
    assert first["count"] == 51 and len(first["results"]) == 50
    assert first["next"].endswith("/api/v1/people/?page=2&q=brennan")
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None


def test_forms_found_by_name_show_the_newest_page_and_read_only_its_members(
    monkeypatch,
):
    """Only the forms a page shows, and their members, are read: the newest
    ``PAGE_LIMIT`` of those naming someone who matches."""
    monkeypatch.setattr("search.selectors.PAGE_LIMIT", 2)
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    now = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)
    forms = []
    for days in range(5):
        form = FormFactory(received_at=now - dt.timedelta(days=days))
        _member(form, "Wren", "Zeller")
        forms.append(form)
    with CaptureQueriesContext(connection) as ctx:
        results = search_for_user(manager, parse_query("zelelr")).forms
    assert [r.form.pk for r in results] == [forms[0].pk, forms[1].pk]
    assert all(r.children == ("Wren Zeller",) for r in results)
    prefetches = [
        q["sql"]
        for q in ctx.captured_queries
        if 'FROM "family_connect_formmember"' in q["sql"]
        and '"form_id" IN (' in q["sql"]
    ]
    assert len(prefetches) == 1
    listed = prefetches[0].split('"form_id" IN (', 1)[1].split(")", 1)[0]
    assert {int(pk) for pk in listed.split(",")} == {forms[0].pk, forms[1].pk}


def test_the_page_says_when_more_cases_and_forms_match_than_it_shows(
    client, monkeypatch
):
    """The page shows the newest ``PAGE_LIMIT`` cases and forms and says when
    there are more, with how to narrow the search; not when all are shown."""
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    now = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)
    for days in range(3):
        home = FamilyFactory(postcode="B23 9ZZ")
        PersonFactory(family=home, given_name="Wren", family_name="Zeller")
        CaseFactory(family=home)
        _member(
            FormFactory(received_at=now - dt.timedelta(days=days)), "Wren", "Zeller"
        )
    sign_in_as(client, manager)
    monkeypatch.setattr("search.selectors.PAGE_LIMIT", 3)
    body = client.get("/search/", {"q": "zeller"}).content.decode()
    assert 'data-testid="search-more-cases"' not in body
    assert 'data-testid="search-more-forms"' not in body
    monkeypatch.setattr("search.selectors.PAGE_LIMIT", 2)
    response = client.get("/search/", {"q": "zeller"})
    found_ = response.context["found"]
    assert len(found_.cases) == 2 and len(found_.forms) == 2
    body = response.content.decode()
    assert "Showing the 2 newest cases. Add a date of birth or a postcode" in body
    assert "Showing the 2 newest forms. Add a date of birth or a postcode" in body
