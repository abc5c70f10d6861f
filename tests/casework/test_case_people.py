"""The people on a case (INDICATORS.md, settled reading 23): those named on the
form that opened it, plus anyone added afterwards — by a later form allocated
to it or on the case's pages. A baby born later joins only the cases it is
added to, and EH21 and EH22 count the people on each case, not the household
as it is today; the hand-written SQL agrees."""

from __future__ import annotations

import copy
import datetime as dt
from unittest import mock

import pytest
from django.test import Client

from bench.scorecard_sql import reference_values
from casework.models import Case, CaseEvent, CasePerson
from casework.services.closure import ClosureInput, case_close
from casework.services.people import PersonInput, case_person_add
from core.errors import Conflict, InvalidInput
from core.models import AccessLog
from core.periods import Month
from families.models import Person
from family_connect.models import MatchCandidate
from family_connect.services.matches import match_candidate_decide
from localities.models import Locality
from scorecard.models import Value
from scorecard.services import scorecard_run
from tests.factories import CaseFactory, PersonFactory, UserFactory, join_team
from tests.helpers import sign_in_as
from tests.records_import.test_import_records import run, write
from tests.records_import.test_import_validate import good
from tests.scorecard import test_reference_sql as reference
from tests.triage.test_triage import decide, submit

pytestmark = pytest.mark.django_db

AFTER_EVERY_WINDOW = dt.datetime(2031, 1, 1, tzinfo=dt.UTC)


def places_carry_their_cases_locality() -> None:
    """Every place on a case holds the case's locality, which a manager's
    view of people is read by (``casework.access.person_queryset_for_user``)."""
    rows = list(CasePerson.objects.values_list("locality_id", "case__locality_id"))
    assert rows and all(own == cases for own, cases in rows), rows


def on_case(case: Case) -> set[str]:
    return set(
        CasePerson.objects.filter(case=case).values_list(
            "person__given_name", flat=True
        )
    )


# --- Live work ------------------------------------------------------------------


def test_a_later_form_adds_its_new_people_to_the_open_case(
    requester_school, manager_erdington, practitioner_erdington
):
    first = submit(requester_school)
    response = decide(
        manager_erdington,
        first,
        outcome="allocated",
        lead_practitioner=practitioner_erdington.email,
    )
    assert response.status_code == 200, response.content
    case = Case.objects.get()
    assert on_case(case) == {"Ayesha", "Sara"}
    assert set(CasePerson.objects.values_list("source", flat=True)) == {"opening_form"}

    # A second form while the case is open names a baby born since.
    baby = {
        "role": "child",
        "given_name": "Zara",
        "family_name": "Khan",
        "date_of_birth": dt.date.today().replace(day=1).isoformat(),
        "sex": "female",
        "ethnicity": "asian_pakistani",
    }
    second = submit(
        requester_school,
        household__members=[*copy.deepcopy(good()["household"]["members"]), baby],
    )
    for candidate in MatchCandidate.objects.filter(form=second):
        match_candidate_decide(
            candidate_id=candidate.pk, actor=manager_erdington, confirm=True
        )
    response = decide(
        manager_erdington,
        second,
        outcome="allocated",
        lead_practitioner=practitioner_erdington.email,
    )
    assert response.status_code == 200, response.content
    assert Case.objects.count() == 1
    assert on_case(case) == {"Ayesha", "Sara", "Zara"}
    zara = CasePerson.objects.get(case=case, person__given_name="Zara")
    assert zara.source == "later_form" and zara.form.reference == second.reference
    assert zara.person.family_id == case.family_id
    places_carry_their_cases_locality()


@pytest.fixture
def requester_school(db):
    from accounts.roles import Role
    from tests.factories import OrganisationFactory

    return UserFactory(
        role=Role.REQUESTER, organisation=OrganisationFactory(kind="school")
    )


@pytest.fixture
def manager_erdington(db):
    return UserFactory(role="locality_manager", localities=["erdington"])


@pytest.fixture
def practitioner_erdington(db):
    return UserFactory(role="practitioner", localities=["erdington"])


@pytest.fixture
def household(db):
    """A family with a closed case and an open one, both about Ayesha and Sara."""
    earlier = CaseFactory(
        status="closed", closed_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    )
    PersonFactory(family=earlier.family, given_name="Ayesha")
    PersonFactory(
        family=earlier.family, given_name="Sara", role="adult", relationship="mother"
    )
    case = CaseFactory(family=earlier.family, status="plan")
    return earlier, case


def test_a_baby_added_on_the_case_page_joins_that_case_and_the_household_only(
    client, household
):
    earlier, case = household
    sign_in_as(client, case.lead_practitioner)
    page = client.get(f"/cases/{case.pk}/people/new/")
    assert page.status_code == 200
    assert "Add someone to the case" in page.content.decode()
    body = {
        "role": "child",
        "given_name": "Zara",
        "family_name": "Khan",
        "date_of_birth_0": "1",
        "date_of_birth_1": "11",
        "date_of_birth_2": "2026",
    }
    response = client.post(f"/cases/{case.pk}/people/new/", body)
    assert response.status_code == 302, response.content.decode()[:3000]
    zara = Person.objects.get(given_name="Zara")
    assert zara.family_id == case.family_id
    assert on_case(case) == {"Ayesha", "Sara", "Zara"}
    assert on_case(earlier) == {"Ayesha", "Sara"}
    added = CasePerson.objects.get(case=case, person=zara)
    assert added.source == "added" and added.added_by == case.lead_practitioner
    assert CaseEvent.objects.filter(case=case, kind="person_added").count() == 1

    # The case page lists her on the case; the earlier case's page, in the
    # household but not on that case.
    page = client.get(f"/cases/{case.pk}/").content.decode()
    people = page.split('data-testid="people"')[1].split("</table>")[0]
    assert "Zara Khan" in people
    manager = Client()
    sign_in_as(manager, UserFactory(role="locality_manager", localities=["erdington"]))
    page = manager.get(f"/cases/{earlier.pk}/").content.decode()
    people = page.split('data-testid="people"')[1].split("</table>")[0]
    assert "Zara Khan" not in people and "Ayesha Khan" in people
    assert "Zara Khan" in page.split('data-testid="household-others"')[1]

    # The same baby again is refused with a clear message, and nothing changes.
    again = client.post(f"/cases/{case.pk}/people/new/", body)
    assert again.status_code == 200
    assert "Zara Khan is already on the case" in again.content.decode()
    assert Person.objects.filter(given_name="Zara").count() == 1


def test_someone_in_the_household_is_added_from_the_list(client, household):
    earlier, case = household
    later = PersonFactory(family=case.family, given_name="Omar", on_cases=False)
    stranger = PersonFactory(given_name="Imran")
    sign_in_as(client, case.lead_practitioner)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Omar Khan" in page.split('data-testid="household-others"')[1]
    # Shown in passing, and so logged as read, as the people on the case are.
    logged = set(
        AccessLog.objects.filter(
            user=case.lead_practitioner, object_type="families.person"
        ).values_list("object_id", flat=True)
    )
    assert str(later.pk) in {str(pk) for pk in logged}

    for bad in (str(stranger.pk), "x", ""):
        response = client.post(
            f"/cases/{case.pk}/people/", {"person": bad}, follow=True
        )
        assert (
            "Choose someone in the family&#x27;s household" in response.content.decode()
        )
    assert on_case(case) == {"Ayesha", "Sara"}

    response = client.post(
        f"/cases/{case.pk}/people/", {"person": later.pk}, follow=True
    )
    assert "Omar Khan added to the case." in response.content.decode()
    assert on_case(case) == {"Ayesha", "Sara", "Omar"}
    assert on_case(earlier) == {"Ayesha", "Sara"}
    places_carry_their_cases_locality()
    again = client.post(f"/cases/{case.pk}/people/", {"person": later.pk}, follow=True)
    assert "Omar Khan is already on the case" in again.content.decode()


def test_only_the_cases_workers_add_people_and_only_to_open_cases(client, household):
    earlier, case = household
    partner = UserFactory(role="requester")
    join_team(case, partner)
    outsider = UserFactory(role="practitioner", localities=["erdington"])
    for user in (partner, outsider):
        client.logout()
        sign_in_as(client, user)
        assert client.get(f"/cases/{case.pk}/people/new/").status_code == 404
        assert (
            client.post(f"/cases/{case.pk}/people/", {"person": 1}).status_code == 404
        )
    with pytest.raises(Conflict):
        case_person_add(
            case_id=earlier.pk,
            actor=earlier.lead_practitioner,
            role="child",
            data=PersonInput("Zara", "Khan", dt.date(2026, 11, 1)),
        )
    with pytest.raises(InvalidInput) as refused:
        case_person_add(
            case_id=case.pk,
            actor=case.lead_practitioner,
            role="child",
            data=PersonInput("Zara", "Khan", None),
        )
    assert refused.value.field == "date_of_birth"
    assert not Person.objects.filter(given_name="Zara").exists()


def test_assessment_closure_and_step_up_are_about_the_people_on_the_case(household):
    _earlier, case = household
    later = PersonFactory(family=case.family, given_name="Omar", on_cases=False)
    ayesha = Person.objects.get(given_name="Ayesha")
    case_close(
        case_id=case.pk,
        actor=case.lead_practitioner,
        data=ClosureInput(
            reason="moved_away",
            wheel={},
            person_scores={},
            children={ayesha.pk: {"happy": "yes"}},
        ),
    )
    closed = set(case.closure.people.values_list("person__given_name", flat=True))
    assert closed == {"Ayesha", "Sara"}
    assert later.pk not in set(case.closure.people.values_list("person_id", flat=True))


# --- History and the measures -----------------------------------------------------


def _episode(
    number: int, members: list[dict], received: str, opened: str, **case: object
) -> dict:
    data = copy.deepcopy(good())
    data["external_id"] = f"EP-PC{number}"
    data["household"]["external_id"] = "HH-PC1" if number < 3 else "HH-PC2"
    data["household"]["members"] = members
    data["request"]["received_at"] = received
    data["request"]["transfers"] = []
    data["request"]["locality"] = "yardley"
    data["request"]["decision"]["decided_at"] = opened
    data["request"]["requester_feedback"] = None
    data["case"].update(
        {
            "opened_at": opened,
            "assessment": None,
            "reviews": [],
            "step_ups": [],
            "closure": None,
            **case,
        }
    )
    data["social_care_referrals"] = []
    data["audits"] = []
    return data


def _person(pid: str, name: str, born: str, role: str = "child") -> dict:
    person = {
        "external_id": pid,
        "role": role,
        "given_name": name,
        "family_name": "Khan",
        "date_of_birth": born,
    }
    if role == "adult":
        person["relationship"] = "mother"
    return person


def _closure(at: str, reason: str = "moved_away") -> dict:
    return {
        "closed_at": at,
        "reason": reason,
        "wheel": {},
        "person_scores": {},
        "children": {},
    }


@pytest.mark.parametrize("strict", [False, True])
def test_history_fills_each_case_from_its_episode_and_the_measures_follow(
    tmp_path, strict
):
    """Household HH-PC1: a case about Ayesha and Sara (opened in May, closed
    on 1 September), then a case about Ayesha, Sara and the baby Bilal born in
    July, stepped up for Bilal in August. Household HH-PC2: Chloe is born after
    its case opened and is on it (a person joining mid-case); it closes with
    outcomes met and no assessment. ``strict`` runs the file whole, through
    the other import path."""
    ayesha = _person("P-PC-A", "Ayesha", "2014-05-02")
    sara = _person("P-PC-S", "Sara", "1988-01-19", role="adult")
    bilal = _person("P-PC-B", "Bilal", "2024-07-15")
    chloe = _person("P-PC-C", "Chloe", "2024-06-10")
    mum = _person("P-PC-M", "Mina", "1990-03-03", role="adult")
    episodes = [
        _episode(
            1,
            [ayesha, sara],
            "2024-05-02T10:15:00+01:00",
            "2024-05-06T11:00:00+01:00",
            closure=_closure("2024-09-01T10:00:00+01:00"),
        ),
        _episode(
            2,
            [ayesha, sara, bilal],
            "2024-08-01T10:15:00+01:00",
            "2024-08-05T11:00:00+01:00",
            step_ups=[
                {
                    "person": "P-PC-B",
                    "referred_at": "2024-08-20T10:00:00+01:00",
                    "outcome": "nfa_returned_to_early_help",
                }
            ],
        ),
        _episode(
            3,
            [mum, chloe],
            "2024-05-02T10:15:00+01:00",
            "2024-05-06T11:00:00+01:00",
            closure={
                **_closure("2024-10-01T10:00:00+01:00", reason="outcomes_met"),
                "children": {
                    "P-PC-C": {"happy": "yes", "healthy": "yes", "safe": "yes"}
                },
            },
        ),
    ]
    # The later episode first: each case still has only its own episode's people.
    episodes = [episodes[1], episodes[0], episodes[2]]
    args = ["--strict"] if strict else []
    code, out, err = run(write(tmp_path, episodes), *args)
    assert (code, err) == (0, ""), (out, err)
    assert "imported 3" in out and "rejected 0" in out

    def case_of(number: int) -> Case:
        return Case.objects.get(forms__imported_episode__external_id=f"EP-PC{number}")

    assert on_case(case_of(1)) == {"Ayesha", "Sara"}
    assert on_case(case_of(2)) == {"Ayesha", "Sara", "Bilal"}
    assert on_case(case_of(3)) == {"Mina", "Chloe"}
    # Today's household holds Bilal; the first case is still not about him.
    assert Person.objects.get(external_id="P-PC-B").family_id == case_of(1).family_id
    places_carry_their_cases_locality()

    localities = dict(Locality.objects.values_list("pk", "slug"))
    problems = []
    for month in (Month(2024, 8), Month(2024, 9)):
        with mock.patch("core.clock.now", return_value=AFTER_EVERY_WINDOW):
            release = scorecard_run(period=month)
        problems += [
            f"{month}: {p}"
            for p in reference._differences(
                release, reference_values(month, AFTER_EVERY_WINDOW, localities)
            )
        ]
        city = {v.ref: v for v in Value.objects.filter(release=release, locality=None)}
        if month == Month(2024, 8):
            # (case 1, Ayesha), (case 2, Ayesha), (case 2, Bilal), (case 3, Chloe)
            assert (city["EH22"].numerator, city["EH22"].denominator) == (1, 4)
        else:
            # Closed in September: case 1, about Ayesha alone.
            assert city["EH21a"].denominator == 1
    assert problems == []
