"""Search's limits: at most ``CANDIDATE_LIMIT`` candidates are read, the page
says when more people may match, the people API still pages what it found,
and the number of queries does not grow with the number of results."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.services import api_token_issue
from families.models import Person
from families.query import parse_query
from family_connect.matching import name_key
from localities.models import Locality
from search.api import PeoplePagination
from search.selectors import (
    CANDIDATE_LIMIT,
    MATCH_LIMIT,
    PAGE_LIMIT,
    people_search,
    search_for_user,
)
from tests.factories import (
    CaseFactory,
    FamilyFactory,
    FormFactory,
    PersonFactory,
    UserFactory,
)
from tests.helpers import sign_in_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])


@pytest.fixture
def household(manager):
    """A household of Erdington with a case, so its people are the manager's."""
    home = FamilyFactory(
        postcode="B23 6TJ", locality=Locality.objects.get(slug="erdington")
    )
    CaseFactory(
        family=home,
        lead_practitioner=UserFactory(role=Role.PRACTITIONER, localities=["erdington"]),
    )
    return home


def _people(home, count, family_name="Brennan"):
    Person.objects.bulk_create(
        Person(
            family=home,
            role="child",
            given_name=f"Kid{i}",
            family_name=family_name,
            given_name_key=name_key(f"Kid{i}"),
            family_name_key=name_key(family_name),
        )
        for i in range(count)
    )


_SIGNED_IN: dict[int, Client] = {}


@pytest.fixture(autouse=True)
def _clients():
    _SIGNED_IN.clear()
    yield
    _SIGNED_IN.clear()


def _page(user, q, **extra):
    """Search as the user, in a client of their own signed in once (a TOTP
    code is accepted once)."""
    if user.pk not in _SIGNED_IN:
        _SIGNED_IN[user.pk] = Client()
        sign_in_as(_SIGNED_IN[user.pk], user)
    response = _SIGNED_IN[user.pk].get("/search/", {"q": q, **extra})
    assert response.status_code == 200
    return response


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)}")
    return client


def test_no_more_than_the_cap_of_candidates_is_read(manager, household):
    _people(household, CANDIDATE_LIMIT + 5)
    with CaptureQueriesContext(connection) as captured:
        matches = people_search(manager, parse_query("brennan"))
    # The keys the word matches, then the people with those keys.
    keys, candidates = captured.captured_queries
    assert "families_namekey" in keys["sql"]
    # One row more than the cap, to know there were more.
    assert f"LIMIT {CANDIDATE_LIMIT + 1}" in candidates["sql"]
    assert matches.capped
    assert len(matches.ids) == MATCH_LIMIT


def test_more_candidates_than_the_cap_are_said_on_the_page(manager, household):
    _people(household, CANDIDATE_LIMIT + 1)
    response = _page(manager, "brennan")
    results = response.context["found"]
    assert results.capped and results.people_total == MATCH_LIMIT
    assert len(results.people) == PAGE_LIMIT
    body = response.content.decode()
    assert (
        f"More than {MATCH_LIMIT} people may match: add a date of birth or a "
        "postcode to narrow the search." in body
    )
    # A date of birth narrows it: no longer capped.
    narrowed = _page(manager, "brennan 2/5/2014")
    assert not narrowed.context["found"].capped
    assert 'data-testid="search-capped"' not in narrowed.content.decode()


def test_the_cap_leaves_out_the_least_likely_candidates(manager, household):
    # "Aron" is one letter from "aaron" and comes first in name order; the
    # name that starts with what was typed is read before them all.
    _people(household, CANDIDATE_LIMIT + 1, family_name="Aron")
    _people(household, 1, family_name="Aaronson")
    aaronson = Person.objects.get(family_name="Aaronson")
    response = _page(manager, "aaron")
    results = response.context["found"]
    assert results.people[0].person.pk == aaronson.pk
    assert results.capped and results.people_total == MATCH_LIMIT
    assert f"More than {MATCH_LIMIT} people may match" in response.content.decode()


def test_lookalikes_that_do_not_match_are_never_read(manager, household):
    # "Aabbon" has the start, the end and about the length of "aaron" but is
    # two letters from it: only people with a key the word matches are read,
    # so thousands of them neither fill the cap nor show.
    _people(household, CANDIDATE_LIMIT + 1, family_name="Aabbon")
    _people(household, 1, family_name="Aaron")
    aaron = Person.objects.get(family_name="Aaron")
    with CaptureQueriesContext(connection) as captured:
        matches = people_search(manager, parse_query("aaron"))
    assert matches.ids == [aaron.pk] and not matches.capped
    assert "aabbon" not in str(captured.captured_queries[-1]["sql"])
    results = _page(manager, "aaron").context["found"]
    assert [r.person.pk for r in results.people] == [aaron.pk]
    assert not results.capped


def test_the_cap_is_not_said_below_it(manager, household):
    _people(household, MATCH_LIMIT)
    response = _page(manager, "brennan")
    results = response.context["found"]
    assert not results.capped and results.people_total == MATCH_LIMIT
    body = response.content.decode()
    assert 'data-testid="search-capped"' not in body
    assert f"Showing {PAGE_LIMIT} of {MATCH_LIMIT} people." in body


def test_the_people_api_pages_a_capped_search(manager, household):
    _people(household, CANDIDATE_LIMIT + 1)
    client = _api(manager)
    first = client.get("/api/v1/people/?q=brennan")
    assert first.status_code == 200
    body = first.json()
    assert list(body) == ["count", "next", "results"]
    size = PeoplePagination.page_size
    assert body["count"] == MATCH_LIMIT and len(body["results"]) == size
    assert body["next"].endswith("/api/v1/people/?page=2&q=brennan")
    last = client.get(f"/api/v1/people/?q=brennan&page={MATCH_LIMIT // size}")
    assert last.status_code == 200 and last.json()["next"] is None


def test_the_officers_capped_search_says_so(household):
    officer = UserFactory(role=Role.DATA_PROTECTION, organisation=None)
    _people(household, CANDIDATE_LIMIT + 1)
    response = _page(officer, "brennan")
    results = response.context["found"]
    assert results.capped and len(results.citywide) == PAGE_LIMIT
    assert (
        f"More than {MATCH_LIMIT} people may match: add a year of birth or a "
        "locality to narrow the search." in response.content.decode()
    )
    assert search_for_user(officer, parse_query("brennan 1990")).capped is False


# --- Query counts ------------------------------------------------------------


def _queries_for(client, path, q) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, {"q": q})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", [Role.LOCALITY_MANAGER, Role.PRACTITIONER])
def test_one_result_or_twenty_take_the_same_queries(role, household):
    user = UserFactory(role=role, localities=["erdington"])
    if role == Role.PRACTITIONER:
        case = household.cases.get()
        case.lead_practitioner = user
        case.save(update_fields=["lead_practitioner"])
    PersonFactory(family=household, given_name="Solo", family_name="Quinn")
    for i in range(20):
        PersonFactory(
            family=household, given_name=f"Child{chr(65 + i)}", family_name="Quayle"
        )
    page = Client()
    sign_in_as(page, user)
    page.get("/search/", {"q": "warm"})  # the session's first use is noted
    one = _queries_for(page, "/search/", "quinn")
    twenty = _queries_for(page, "/search/", "quayle")
    assert len(page.get("/search/", {"q": "quayle"}).context["found"].people) == 20
    assert one == twenty

    api = _api(user)
    api.get("/api/v1/people/", {"q": "warm"})  # the token's first use is noted
    one = _queries_for(api, "/api/v1/people/", "quinn")
    twenty = _queries_for(api, "/api/v1/people/", "quayle")
    assert api.get("/api/v1/people/", {"q": "quayle"}).json()["count"] == 20
    assert one == twenty


def test_postgresql_compiles_no_query_just_in_time():
    # A search's estimates alone made PostgreSQL compile its queries, which
    # took longer than running them.
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def _scans(sql: str, params) -> list[tuple[str, str]]:
    """The (node type, table) of every scan PostgreSQL plans for the query,
    with table and bitmap scans ruled out unless nothing else will do (the
    test's tables are too small for the planner to choose as at scale)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_bitmapscan")
    found = []

    def walk(node):
        if "Relation Name" in node:
            found.append((node["Node Type"], node["Relation Name"]))
        for child in node.get("Plans", []):
            walk(child)

    walk((plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"])
    return found


@pytest.mark.parametrize("typed", ["brennan", "kid1 brenan"])
def test_candidates_are_read_from_the_name_key_indexes_alone(manager, household, typed):
    """People and form members are read by their keys from indexes that hold
    everything a search reads of them: no candidate's row is read from the
    table, however many share a common family name."""
    _people(household, 30)
    form = FormFactory(locality=Locality.objects.get(slug="erdington"))
    form.members.create(
        position=0,
        role="child",
        given_name="Kid1",
        family_name="Brennan",
        given_name_key=name_key("Kid1"),
        family_name_key=name_key("Brennan"),
        date_of_birth=dt.date(2015, 6, 1),
    )
    with CaptureQueriesContext(connection) as captured:
        search_for_user(manager, parse_query(typed))
    candidates = [
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "casework_person"' in q["sql"]
        and f"LIMIT {CANDIDATE_LIMIT + 1}" in q["sql"]
    ]
    named = [q["sql"] for q in captured.captured_queries if "WITH named" in q["sql"]]
    assert len(candidates) == 1 and len(named) == 1
    for sql, table in (
        (candidates[0], "casework_person"),
        (named[0], "family_connect_formmember"),
    ):
        scans = [node for node, name in _scans(sql, None) if name == table]
        # The people by the two keys; the members by the two keys, and by
        # the keys run together (B-tree indexes, for names typed as one).
        keyed = [n for n in scans if n == "Index Only Scan"]
        assert len(keyed) >= 2 and "Seq Scan" not in scans, scans
        if table == "casework_person":
            assert scans == ["Index Only Scan"] * 2


def test_the_trigram_indexes_searched_keep_a_short_pending_list():
    """A GIN index's pending list is scanned in full by every search until it
    is merged: the indexes searches read merge theirs at 128 kB, and no
    trigram index nothing reads is kept up on every member written."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.reloptions FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am a ON a.oid = c.relam WHERE a.amname = 'gin'"
        )
        gin = dict(cursor.fetchall())
    assert gin == {
        "families_namekey_key_trgm": ["gin_pending_list_limit=128"],
    }
