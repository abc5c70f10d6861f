from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import mail
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.services import api_token_issue
from families.names import name_key
from family_connect.matching import (
    MemberProbe,
    undecided_form_matches,
    within_one_edit,
)
from family_connect.models import (
    FamilyConnectForm,
    FormEvent,
    FormMember,
    MatchCandidate,
)
from tests.factories import (
    CaseFactory,
    FamilyFactory,
    FormFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)
from tests.family_connect.helpers import payload


def test_name_key_ignores_case_spacing_accents_and_punctuation():
    assert name_key("  O'Brien-Smith ") == "obriensmith"
    assert name_key("ZOË") == name_key("zoe")


@pytest.mark.parametrize(
    ("a", "b", "close"),
    [
        ("khan", "khan", True),
        ("khan", "kahn", True),  # neighbours swapped
        ("khan", "khan", True),  # one letter missing
        ("khan", "khann", True),  # one letter extra
        ("khan", "kgan", True),  # one letter wrong
        ("khan", "kgann", False),
        ("smith", "smyth", True),
        ("smith", "jones", False),
    ],
)
def test_within_one_edit(a, b, close):
    assert within_one_edit(a, b) is close
    assert within_one_edit(b, a) is close


@given(st.text(alphabet="abcdefghij", min_size=1, max_size=12), st.data())
def test_any_single_substitution_is_within_one_edit(word, data):
    i = data.draw(st.integers(min_value=0, max_value=len(word) - 1))
    letter = data.draw(st.sampled_from("klmnop"))
    assert within_one_edit(word, word[:i] + letter + word[i + 1 :])


def _post(user, body):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)}")
    response = client.post(
        "/api/v1/family-connect/", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    return FamilyConnectForm.objects.get(reference=response.json()["reference"])


@pytest.fixture
def requester(db):
    return UserFactory(
        role=Role.REQUESTER, organisation=OrganisationFactory(kind="school")
    )


@pytest.mark.django_db
def test_proposes_the_known_household_despite_postcode_spacing_and_a_surname_typo(
    requester,
):
    family = FamilyFactory(postcode="B23 6TJ")
    ayesha = PersonFactory(family=family, given_name="Ayesha", family_name="Khan")
    sara = PersonFactory(
        family=family,
        role="adult",
        given_name="Sara",
        family_name="Khan",
        date_of_birth=dt.date(1988, 1, 19),
        relationship="mother",
    )
    unrelated = PersonFactory(
        family=FamilyFactory(postcode="B1 1AA"),
        given_name="Zara",
        family_name="Jones",
        date_of_birth=dt.date(2014, 5, 2),
    )
    body = payload(household__postcode="b236tj")
    body["household"]["members"][0]["family_name"] = "Kahn"
    body["household"]["members"][1]["family_name"] = "KHAN "
    form = _post(requester, body)

    household = MatchCandidate.objects.get(form=form, member__isnull=True)
    assert household.family == family
    assert household.status == "proposed"
    assert household.score >= 80
    people = {
        c.person_id: c
        for c in MatchCandidate.objects.filter(form=form, member__isnull=False)
    }
    assert set(people) == {ayesha.pk, sara.pk}
    assert "family name: one letter different" in people[ayesha.pk].evidence
    assert unrelated.pk not in people
    # Never merged silently: the form is not linked to the family without a case.
    form.refresh_from_db()
    assert form.family is None and form.case is None
    assert FormEvent.objects.filter(form=form, kind="matched").exists()


@pytest.mark.django_db
def test_a_different_family_at_the_same_postcode_is_not_proposed(requester):
    neighbours = FamilyFactory(postcode="B23 6TJ")
    PersonFactory(
        family=neighbours,
        given_name="Tom",
        family_name="Wright",
        date_of_birth=dt.date(2010, 1, 1),
    )
    form = _post(requester, payload())
    assert not MatchCandidate.objects.filter(form=form).exists()


@pytest.mark.django_db
def test_a_family_with_an_open_case_gets_the_form_attached_and_the_lead_told(
    requester, django_capture_on_commit_callbacks
):
    case = CaseFactory(family=FamilyFactory(postcode="B23 6TJ"))
    PersonFactory(family=case.family, given_name="Ayesha", family_name="Khan")
    with django_capture_on_commit_callbacks(execute=True):
        form = _post(requester, payload(household__postcode="B23 6TJ"))
    form.refresh_from_db()
    assert form.case == case and form.family == case.family
    event = FormEvent.objects.get(form=form, kind="attached_to_case")
    assert event.data["case"] == case.pk
    told = [m for m in mail.outbox if m.to == [case.lead_practitioner.email]]
    assert len(told) == 1
    assert form.reference in told[0].subject
    assert "Ayesha" not in told[0].body and "Khan" not in told[0].body


@pytest.mark.django_db
def test_a_closed_case_is_not_attached(requester):
    case = CaseFactory(family=FamilyFactory(postcode="B23 6TJ"), status="closed")
    PersonFactory(family=case.family, given_name="Ayesha", family_name="Khan")
    form = _post(requester, payload())
    form.refresh_from_db()
    assert form.case is None
    assert MatchCandidate.objects.filter(form=form, family=case.family).exists()


@pytest.mark.parametrize(
    ("same_postcode", "people", "proposed", "strong"),
    [
        (True, [], False, False),  # a neighbour: the postcode alone is not enough
        (True, [100], True, True),  # same home, the same child
        (True, [95, 90], True, True),  # a one-letter typo in the surname
        (False, [90], True, False),  # moved house: proposed, never attached
        (False, [90, 90, 90], True, True),  # moved, but three people match
    ],
)
def test_household_score_bands(same_postcode, people, proposed, strong):
    from family_connect.matching import HOUSEHOLD_THRESHOLD, STRONG, household_score

    score = household_score(same_postcode=same_postcode, person_scores=people)
    assert (score >= HOUSEHOLD_THRESHOLD) is proposed
    assert (score >= STRONG) is strong


def _probes(*members):
    return [MemberProbe(i, g, f, d) for i, (g, f, d) in enumerate(members)]


AYESHA = ("Ayesha", "Khan", dt.date(2014, 5, 2))
SARA = ("Sara", "Khan", dt.date(1988, 1, 19))
BILAL = ("Bilal", "Khan", dt.date(2017, 8, 30))


def _waiting_form(*members, **fields):
    form = FormFactory(**fields)
    FormMember.objects.bulk_create(
        FormMember(
            form=form,
            position=i,
            role="child",
            given_name=g,
            family_name=f,
            date_of_birth=d,
        )
        for i, (g, f, d) in enumerate(members)
    )
    return form


@pytest.mark.django_db
def test_waiting_forms_about_the_same_family_are_matched_by_the_household_rules():
    this = _waiting_form(AYESHA, SARA)
    same = _waiting_form(("Ayesa", "Khan", AYESHA[2]), SARA)  # a one-letter typo
    moved = _waiting_form(AYESHA, postcode="B25 8AA")  # the child, another home
    neighbours = _waiting_form(("Tom", "Price", dt.date(2016, 9, 9)))
    decided = _waiting_form(AYESHA, SARA, status="no_further_action")
    found = undecided_form_matches(
        form_id=this.pk, postcode="B23 6TJ", members=_probes(AYESHA, SARA)
    )
    assert [m.form for m in found] == [same, moved]
    assert found[0].evidence == [
        "Ayesha Khan: date of birth: same, family name: same, given name: one "
        "letter different",
        "Sara Khan: date of birth: same, family name: same, given name: same",
        "postcode: same",
        "2 of 2 people match",
    ]
    assert neighbours not in [m.form for m in found]
    assert decided not in [m.form for m in found]
    assert this not in [m.form for m in found]


@pytest.mark.django_db
def test_matching_waiting_forms_is_one_query_whatever_the_number_of_members(
    django_assert_num_queries,
):
    for _ in range(3):
        _waiting_form(AYESHA, SARA, BILAL)
    for members in ([AYESHA], [AYESHA, SARA, BILAL]):
        with django_assert_num_queries(1):
            found = undecided_form_matches(
                form_id=0, postcode="B23 6TJ", members=_probes(*members)
            )
            assert all(m.form.locality.slug == "erdington" for m in found)
        assert len(found) == 3
