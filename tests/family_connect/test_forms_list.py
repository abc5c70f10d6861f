"""The forms list: search by a child's name, a postcode or a reference; filter
by status and locality; colleagues' forms by initials and locality; filters
kept across pages; bad input answered, never a 500; constant queries."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from core.models import AccessLog
from families.names import name_keys
from families.query import BAD_DATE, parse_query
from family_connect.access import (
    form_details_filter,
    form_queryset_for_user,
    form_shows_details,
)
from family_connect.matching import names_match
from family_connect.models import FamilyConnectForm
from family_connect.selectors import FormFilters, child_initials, form_list_for_user
from localities.models import Locality
from tests.factories import (
    FormFactory,
    OrganisationFactory,
    UserFactory,
    grant_citywide_triage,
)
from tests.helpers import sign_in_as

pytestmark = pytest.mark.django_db

URL = "/family-connect/forms/"
NOW = timezone.now()


def _child(form, given, family, born=dt.date(2014, 4, 3)):
    form.members.create(
        position=form.members.count(),
        role="child",
        given_name=given,
        family_name=family,
        **name_keys(given, family),
        date_of_birth=born,
    )


def _adult(form, given, family):
    form.members.create(
        position=form.members.count(),
        role="adult",
        relationship="mother",
        given_name=given,
        family_name=family,
        **name_keys(given, family),
    )


def _form(reference, *, child, hours_ago, **fields):
    form = FormFactory(
        reference=reference, received_at=NOW - dt.timedelta(hours=hours_ago), **fields
    )
    _child(form, *child)
    return form


@pytest.fixture
def world():
    school = OrganisationFactory(name="Stockland Green School", kind="school")
    other = OrganisationFactory(name="Another School", kind="school")
    dsl = UserFactory(role=Role.REQUESTER, organisation=school)
    colleague = UserFactory(role=Role.REQUESTER, organisation=school)
    outsider = UserFactory(role=Role.REQUESTER, organisation=other)
    erdington = Locality.objects.get(slug="erdington")
    ladywood = Locality.objects.get(slug="ladywood")
    hall_green = Locality.objects.get(slug="hall-green")
    ayesha = _form(
        "FC-AAAA-1111",
        child=("Ayesha", "Khan"),
        hours_ago=1,
        requester=dsl,
        organisation=school,
        postcode="B23 6TJ",
        locality=erdington,
    )
    _adult(ayesha, "Sara", "Khan")
    zoe = _form(
        "FC-BBBB-2222",
        child=("Zoë", "Van der Berg"),
        hours_ago=2,
        requester=dsl,
        organisation=school,
        postcode="B28 9AA",
        locality=hall_green,
        status="allocated",
    )
    # Keyed in by the DSL for a colleague: the DSL reads it.
    keyed = _form(
        "FC-CCCC-3333",
        child=("Liam", "O'Brien"),
        hours_ago=3,
        requester=colleague,
        entered_by=dsl,
        organisation=school,
        postcode="B23 7AA",
        locality=erdington,
    )
    amira = _form(
        "FC-DDDD-4444",
        child=("Amira", "Taylor"),
        hours_ago=4,
        requester=colleague,
        organisation=school,
        postcode="B16 8AA",
        locality=ladywood,
    )
    _child(amira, "Bilal", "Taylor")
    elsewhere = _form(
        "FC-EEEE-5555",
        child=("Ayesha", "Khan"),
        hours_ago=5,
        requester=outsider,
        organisation=other,
        postcode="B23 6TJ",
        locality=erdington,
    )
    return {
        "dsl": dsl,
        "colleague": colleague,
        "outsider": outsider,
        "ayesha": ayesha,
        "zoe": zoe,
        "keyed": keyed,
        "amira": amira,
        "elsewhere": elsewhere,
    }


REFERENCE = re.compile(r"FC-[0-9A-Z]{4}-[0-9A-Z]{4}")


def _references(response) -> list[str]:
    """The references in the list's table, in order."""
    html = response.content.decode()
    if "<tbody" not in html:
        return []
    return REFERENCE.findall(html.split("<tbody", 1)[1].split("</tbody>", 1)[0])


def _list(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


# --- Search by name, postcode and reference ---------------------------------


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("ayesha", ["FC-AAAA-1111"]),
        ("AYESHA KHAN", ["FC-AAAA-1111"]),
        ("  ayesha   khan ", ["FC-AAAA-1111"]),
        ("Khna", ["FC-AAAA-1111"]),  # one letter out
        ("Sara", ["FC-AAAA-1111"]),  # the mother on the form
        ("zoe", ["FC-BBBB-2222"]),  # the form says Zoë
        ("ZOË", ["FC-BBBB-2222"]),
        ("van der berg", ["FC-BBBB-2222"]),
        ("vanderberg", ["FC-BBBB-2222"]),
        ("Zoe Van der Berg", ["FC-BBBB-2222"]),
        ("obrien", ["FC-CCCC-3333"]),  # a form the DSL keyed in
        ("O'Brien", ["FC-CCCC-3333"]),
        ("o brien", ["FC-CCCC-3333"]),
        ("nobody", []),
    ],
)
def test_a_child_is_found_by_name_whatever_the_case_accents_or_spaces(
    client, world, typed, expected
):
    sign_in_as(client, world["dsl"])
    assert _references(_list(client, q=typed)) == expected


@pytest.mark.parametrize(
    "typed",
    ["B23 6TJ", "b236tj", "B236TJ", " b23  6tj "],
)
def test_a_postcode_finds_forms_with_or_without_its_space(client, world, typed):
    sign_in_as(client, world["dsl"])
    # Not the other school's form at the same postcode: outside the scope.
    assert _references(_list(client, q=typed)) == ["FC-AAAA-1111"]


@pytest.mark.parametrize("typed", ["FC-BBBB-2222", "fc-bbbb-2222", "fc bbbb 2222"])
def test_a_reference_finds_its_form(client, world, typed):
    sign_in_as(client, world["dsl"])
    assert _references(_list(client, q=typed)) == ["FC-BBBB-2222"]


def test_another_organisations_form_is_not_found_by_its_reference(client, world):
    sign_in_as(client, world["dsl"])
    response = _list(client, q="FC-EEEE-5555")
    assert _references(response) == []
    assert "No forms match" in response.content.decode()


# --- Colleagues' forms: initials and locality, never found by name ------------


def test_a_colleagues_form_shows_the_childs_initials_and_locality(client, world):
    sign_in_as(client, world["dsl"])
    html = _list(client).content.decode()
    assert _references(_list(client)) == [
        "FC-AAAA-1111",
        "FC-BBBB-2222",
        "FC-CCCC-3333",
        "FC-DDDD-4444",
    ]
    row = html.split("FC-DDDD-4444", 1)[1].split("</tr>", 1)[0]
    assert "A. T." in row  # the first child, Amira Taylor
    assert "Ladywood" in row
    assert "Sent by a colleague" in row
    assert "Amira" not in html and "Bilal" not in html and "Taylor" not in html
    # The DSL's own forms still show the children's names in full.
    assert "Ayesha Khan" in html and "Zoë Van der Berg" in html


@pytest.mark.parametrize(
    "typed", ["Amira", "amira taylor", "Taylor", "Bilal", "B16 8AA", "b168aa"]
)
def test_a_colleagues_form_is_not_found_by_the_childs_name_or_postcode(
    client, world, typed
):
    """Finding it would tell the searcher the name (or address) they typed is
    on a form whose details they may not read."""
    sign_in_as(client, world["dsl"])
    response = _list(client, q=typed)
    assert _references(response) == []
    assert "No forms match" in response.content.decode()


def test_a_colleagues_form_is_found_by_its_reference_showing_initials_only(
    client, world
):
    sign_in_as(client, world["dsl"])
    response = _list(client, q="FC-DDDD-4444")
    html = response.content.decode()
    assert _references(response) == ["FC-DDDD-4444"]
    assert "A. T." in html and "Amira" not in html


def test_the_colleague_who_sent_it_finds_it_by_name(client, world):
    sign_in_as(client, world["colleague"])
    response = _list(client, q="amira")
    assert _references(response) == ["FC-DDDD-4444"]
    assert "Amira Taylor" in response.content.decode()


def test_the_hint_says_names_find_only_the_requesters_own_forms(client, world):
    sign_in_as(client, world["dsl"])
    html = _list(client).content.decode()
    assert "find a colleague&#x27;s form by its reference" in html
    # Filters are optional by nature: no label says so.
    assert "(optional)" not in html


def test_staff_are_not_told_names_find_only_their_own_forms(client, world):
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    sign_in_as(client, manager)
    html = _list(client).content.decode()
    assert "A child&#x27;s name, a postcode or a reference" in html
    assert "colleague" not in html


def test_a_name_and_a_reference_together_narrow_to_both(client, world):
    sign_in_as(client, world["dsl"])
    assert _references(_list(client, q="FC-AAAA-1111 ayesha")) == ["FC-AAAA-1111"]
    assert _references(_list(client, q="FC-AAAA-1111 zoe")) == []
    # A colleague's form by reference is not confirmed by a name either.
    assert _references(_list(client, q="FC-DDDD-4444 amira")) == []


@pytest.mark.parametrize(
    "role",
    [Role.REQUESTER, Role.PRACTITIONER, Role.LOCALITY_MANAGER, Role.AUDITOR, ""],
)
def test_the_details_filter_agrees_with_form_shows_details(world, role):
    school = world["dsl"].organisation
    user = UserFactory(role=role, organisation=school, localities=["erdington"])
    FormFactory(requester=user, organisation=school)
    FormFactory(entered_by=user, organisation=school)
    visible = form_queryset_for_user(user)
    readable = set(visible.filter(form_details_filter(user)))
    for form in FamilyConnectForm.objects.all():
        if form in set(visible):
            assert (form in readable) == form_shows_details(user, form), form


def test_the_details_filter_agrees_for_the_dsl(world):
    dsl = world["dsl"]
    readable = set(form_queryset_for_user(dsl).filter(form_details_filter(dsl)))
    assert readable == {world["ayesha"], world["zoe"], world["keyed"]}
    for form in form_queryset_for_user(dsl):
        assert (form in readable) == form_shows_details(dsl, form)


# --- Status and locality -------------------------------------------------------


def test_the_status_filter(client, world):
    sign_in_as(client, world["dsl"])
    response = _list(client, status="allocated")
    assert _references(response) == ["FC-BBBB-2222"]
    html = response.content.decode()
    assert '<option value="allocated" selected>' in html
    # Every status as families and partners see it.
    for label in ("Waiting for a decision", "Signposted to a community service"):
        assert label in html


def test_the_locality_filter_offers_the_localities_of_the_users_forms(client, world):
    sign_in_as(client, world["dsl"])
    html = _list(client).content.decode()
    select = html.split('name="locality"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option value="([^"]*)"', select) == [
        "",
        "erdington",
        "hall-green",
        "ladywood",
    ]
    assert _references(_list(client, locality="erdington")) == [
        "FC-AAAA-1111",
        "FC-CCCC-3333",
    ]
    # A colleague's form by its locality: the locality shows on it anyway.
    assert _references(_list(client, locality="ladywood")) == ["FC-DDDD-4444"]


def test_forms_whose_locality_is_not_known_are_a_choice(client, world):
    unresolved = _form(
        "FC-FFFF-6666",
        child=("Noor", "Ali"),
        hours_ago=6,
        locality=None,
        postcode="ZZ1 1ZZ",
    )
    manager = grant_citywide_triage(
        UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    )
    sign_in_as(client, manager)
    html = _list(client).content.decode()
    assert '<option value="unknown">Not yet known</option>' in html
    assert _references(_list(client, locality="unknown")) == [unresolved.reference]


def test_filters_combine(client, world):
    sign_in_as(client, world["dsl"])
    assert _references(_list(client, q="khan", locality="erdington")) == [
        "FC-AAAA-1111"
    ]
    assert _references(_list(client, q="khan", status="allocated")) == []
    assert _references(_list(client, status="submitted", locality="erdington")) == [
        "FC-AAAA-1111",
        "FC-CCCC-3333",
    ]


def test_a_locality_manager_finds_their_localitys_forms_by_name(client, world):
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    sign_in_as(client, manager)
    # Both schools' Ayesha Khan forms are in Erdington; the manager reads both.
    assert _references(_list(client, q="ayesha khan")) == [
        "FC-AAAA-1111",
        "FC-EEEE-5555",
    ]
    assert _references(_list(client, q="amira")) == []  # a Ladywood form


# --- Pagination and empty lists -------------------------------------------------


def test_the_pages_keep_the_filters(client, world):
    school = world["dsl"].organisation
    for i in range(30):
        _form(
            f"FC-P{i:03d}-0000",
            child=("Yusuf", "Khan"),
            hours_ago=10 + i,
            requester=world["dsl"],
            organisation=school,
        )
    sign_in_as(client, world["dsl"])
    first = _list(client, q="yusuf", status="submitted", locality="erdington")
    html = first.content.decode()
    assert len(_references(first)) == 25
    href = re.search(r'href="([^"]+)" rel="next"', html)[1].replace("&amp;", "&")
    assert parse_qs(urlsplit(href).query) == {
        "q": ["yusuf"],
        "status": ["submitted"],
        "locality": ["erdington"],
        "page": ["2"],
    }
    second = client.get(URL + href)
    assert len(_references(second)) == 5
    assert set(_references(second)).isdisjoint(_references(first))
    previous = re.search(r'href="([^"]+)" rel="prev"', second.content.decode())[1]
    assert "q=yusuf" in previous and "status=submitted" in previous


def test_no_match_is_not_no_forms_yet(client, world):
    sign_in_as(client, world["dsl"])
    html = _list(client, q="nobody", status="withdrawn").content.decode()
    assert "No forms match ‘nobody’, status ‘Withdrawn’" in html
    assert "No forms yet." not in html
    assert f'href="{URL}"' in html  # clear the filters
    assert "Clear filters" in html


def test_a_user_with_no_forms_sees_no_forms_yet(client, world):
    newcomer = UserFactory(role=Role.REQUESTER, organisation=OrganisationFactory())
    sign_in_as(client, newcomer)
    html = _list(client).content.decode()
    assert "No forms yet." in html and "No forms match" not in html
    assert 'data-testid="forms-filter"' not in html
    html = _list(client, q="ayesha").content.decode()
    assert "No forms yet." in html and "Ayesha" not in html


# --- Bad input --------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, message",
    [
        ({"q": "x" * 201}, "Enter no more than 200 characters"),
        ({"status": "lost"}, "Choose a status from the list"),
        ({"locality": "atlantis"}, "Choose a locality from the list"),
        # A locality that exists but none of the user's forms is in.
        ({"locality": "yardley"}, "Choose a locality from the list"),
        ({"q": "ayesha 31/2/2014"}, BAD_DATE),
    ],
)
def test_bad_input_is_explained_and_the_rest_of_the_list_shown(
    client, world, params, message
):
    sign_in_as(client, world["dsl"])
    response = _list(client, **params)
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert "<title>Error: " in html
    # The filter in error is left out: every form is listed.
    assert len(_references(response)) == 4


def test_a_bad_filter_leaves_the_good_ones_applied(client, world):
    sign_in_as(client, world["dsl"])
    response = _list(client, q="zoe", status="lost")
    assert "Choose a status from the list" in response.content.decode()
    assert _references(response) == ["FC-BBBB-2222"]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "%%%"},
        {"q": "' OR 1=1 --"},
        {"q": "ａｙｅｓｈａ"},
        {"q": "a" * 200},
        {"page": "banana"},
        {"page": "99999"},
        {"q": "\u202eayesha"},
    ],
)
def test_odd_input_never_fails(client, world, params):
    sign_in_as(client, world["dsl"])
    response = client.get(URL, params)
    assert response.status_code == 200


def test_text_with_nothing_to_search_matches_nothing(client, world):
    sign_in_as(client, world["dsl"])
    response = _list(client, q="%%%")
    assert _references(response) == []
    assert "No forms match ‘%%%’" in response.content.decode()


# --- Constant queries, access log ----------------------------------------------


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "khan"},
        {"q": "B23 6TJ", "status": "submitted", "locality": "erdington"},
        {"q": "FC-AAAA-1111"},
    ],
)
def test_the_query_count_does_not_grow_with_the_rows(client, world, params):
    school = world["dsl"].organisation
    sign_in_as(client, world["dsl"])
    FamilyConnectForm.objects.exclude(pk=world["ayesha"].pk).filter(
        organisation=school
    ).delete()
    one = _queries(client, params)
    for i in range(9):
        form = _form(
            f"FC-Q{i:03d}-0000",
            child=("Ayesha", "Khan"),
            hours_ago=20 + i,
            requester=world["dsl"] if i % 2 else world["colleague"],
            organisation=school,
        )
        _adult(form, "Sara", "Khan")
    ten = _queries(client, params)
    assert one == ten


def test_every_form_listed_is_in_the_access_log(client, world):
    sign_in_as(client, world["dsl"])
    _list(client, q="khan")
    logged = AccessLog.objects.filter(user=world["dsl"], action="list")
    assert set(logged.values_list("object_id", flat=True)) == {str(world["ayesha"].pk)}


# --- The pieces -------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, given, family, expected",
    [
        ("ayesha khan", "Ayesha", "Khan", True),
        ("khan ayesha", "Ayesha", "Khan", True),
        ("ayeshakhan", "Ayesha", "Khan", True),
        ("van der berg", "Zoë", "Van der Berg", True),
        ("zoe vanderberg", "Zoë", "Van der Berg", True),
        ("mary jane", "Mary-Jane", "Smith", True),
        ("ayesha smith", "Ayesha", "Khan", False),
        ("amir", "Ayesha", "Khan", False),
    ],
)
def test_names_match(typed, given, family, expected):
    from families.names import name_key

    tokens = parse_query(typed).names
    assert names_match(tokens, name_key(given), name_key(family)) is expected


@pytest.mark.parametrize(
    "members, initials",
    [
        ([("child", "Amira", "Taylor")], "A. T."),
        ([("adult", "Sara", "Khan"), ("child", "Ayesha", "Khan")], "A. K."),
        ([("child", "élodie", "o'brien")], "É. O."),
        ([("child", "'Ola", "-")], "O."),
        ([("adult", "Sara", "Khan")], ""),
    ],
)
def test_child_initials(members, initials):
    form = FormFactory()
    for role, given, family in members:
        form.members.create(
            position=form.members.count(),
            role=role,
            relationship="mother" if role == "adult" else "",
            given_name=given,
            family_name=family,
            date_of_birth=dt.date(2014, 4, 3) if role == "child" else None,
        )
    listed = form_list_for_user(
        UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"]),
        FormFilters(),
    ).get(pk=form.pk)
    assert child_initials(listed) == initials
