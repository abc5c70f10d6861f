"""Linking a form to a household of another locality needs a reason and is
watched; match candidates show what triage needs to decide and no more."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.admin.models import LogEntry

from accounts.roles import Role
from casework.models import Case
from core.errors import InvalidInput
from families.models import Family, Person
from family_connect.linking import cross_locality_concerns
from family_connect.models import CrossLocalityLink, FormEvent, MatchCandidate
from family_connect.services.matches import match_candidate_decide
from localities.models import Locality
from tests.factories import (
    CaseFactory,
    FamilyFactory,
    FormFactory,
    PersonFactory,
    UserFactory,
)
from tests.helpers import sign_in_verified
from tests.triage.test_triage import submit
from triage.services.decisions import form_allocate

pytestmark = pytest.mark.django_db

TOM_BORN = dt.date(2015, 3, 4)
KATE_BORN = dt.date(1985, 7, 9)


@pytest.fixture
def scene():
    ladywood = Locality.objects.get(slug="ladywood")
    erdington = Locality.objects.get(slug="erdington")
    taylors = FamilyFactory(
        postcode="B16 8QG", address_line="4 Ladywood Walk", locality=ladywood
    )
    tom = PersonFactory(
        family=taylors, given_name="Tom", family_name="Taylor", date_of_birth=TOM_BORN
    )
    lily = PersonFactory(
        family=taylors,
        given_name="Lily",
        family_name="Taylor",
        date_of_birth=dt.date(2017, 8, 1),
    )
    kate = PersonFactory(
        family=taylors,
        role="adult",
        given_name="Kate",
        family_name="Taylor",
        date_of_birth=KATE_BORN,
        relationship="mother",
    )
    closed = CaseFactory(
        family=taylors,
        locality=ladywood,
        status="closed",
        lead_practitioner=UserFactory(role=Role.PRACTITIONER, localities=["ladywood"]),
    )
    return {
        "ladywood": ladywood,
        "erdington": erdington,
        "taylors": taylors,
        "tom": tom,
        "lily": lily,
        "kate": kate,
        "closed": closed,
        "manager": UserFactory(
            role=Role.LOCALITY_MANAGER,
            localities=["erdington"],
            full_name="Mo Ahmed",
        ),
        "practitioner": UserFactory(
            role=Role.PRACTITIONER, localities=["erdington"], full_name="Ann Lee"
        ),
    }


def phone_form(manager, members, postcode="B23 6TJ", address="9 New Street"):
    """A form keyed by a manager from a phone call."""
    return submit(
        manager,
        request__route="phone",
        request__contact={"name": "A caller", "phone": "0121 000 0000"},
        household__postcode=postcode,
        household__address_line=address,
        household__members=members,
    )


TOM = {
    "role": "child",
    "given_name": "Tom",
    "family_name": "Taylor",
    "date_of_birth": TOM_BORN.isoformat(),
    "sex": "male",
    "ethnicity": "white_british",
}


def confirm(client, form, candidate, **data):
    return client.post(
        f"/triage/forms/{form.reference}/matches/{candidate.pk}/",
        {"confirm": "yes", **data},
        follow=True,
    )


def allocate(client, form, practitioner):
    return client.post(
        f"/triage/forms/{form.reference}/",
        {
            "outcome": "allocated",
            "lead_practitioner": practitioner.pk,
            "reason": "Keyed from a call.",
        },
    )


def test_a_made_up_form_does_not_open_a_family_of_another_locality(client, scene):
    """Finding 1: a manager keys a form naming one child of a Ladywood family
    whose only case is closed, confirms every match triage offers and
    allocates to their own practitioner. Without a reason, nothing links."""
    form = phone_form(scene["manager"], [TOM])
    candidates = MatchCandidate.objects.filter(form=form)
    assert {c.family_id or c.person.family_id for c in candidates} == {
        scene["taylors"].pk
    }
    sign_in_verified(client, scene["manager"])
    for candidate in candidates:
        response = confirm(client, form, candidate)
        assert response.status_code == 200
        assert "Enter why you are linking this form to it" in response.content.decode()
    assert not candidates.filter(status="confirmed").exists()
    assert not CrossLocalityLink.objects.exists()

    allocate(client, form, scene["practitioner"])
    opened = Case.objects.filter(locality=scene["erdington"]).first()
    assert opened is None or opened.family_id != scene["taylors"].pk
    form.refresh_from_db()
    assert form.family_id is None
    assert (
        not Person.objects.filter(given_name="Lily")
        .exclude(family=scene["taylors"])
        .exists()
    )


def test_a_genuine_move_links_in_one_step_with_a_reason_and_is_watched(client, scene):
    """The Taylors moved from Ladywood to Erdington: the manager confirms the
    household with a reason, confirms the people without another one, and
    allocates. The case opens in Erdington on the family we know, the
    household's address follows, and the link is on the anomaly page."""
    kate = {
        "role": "adult",
        "relationship": "mother",
        "given_name": "Kate",
        "family_name": "Taylor",
        "date_of_birth": KATE_BORN.isoformat(),
    }
    form = phone_form(scene["manager"], [TOM, kate], address="9 Moved Road")
    household = MatchCandidate.objects.get(form=form, member=None)
    sign_in_verified(client, scene["manager"])
    page = client.get(f"/triage/forms/{form.reference}/").content.decode()
    assert "Why are you linking this form to a family known in another locality?" in (
        page
    )
    assert "The household lives in another locality." in page

    reason = "Family moved from Ladywood in October; mum confirmed on the phone."
    response = confirm(client, form, household, reason=reason)
    assert "Match confirmed" in response.content.decode()
    link = CrossLocalityLink.objects.get()
    assert (link.form_id, link.family_id, link.actor_id) == (
        form.pk,
        scene["taylors"].pk,
        scene["manager"].pk,
    )
    assert (link.form_locality, link.household_locality) == (
        scene["erdington"],
        scene["ladywood"],
    )
    assert link.reason == reason and link.form_reference == form.reference
    event = FormEvent.objects.get(form=form, kind="match_confirmed")
    assert event.data["cross_locality_link"] == link.pk
    assert event.data["reason"] == reason

    # The people of a household already linked need no second reason.
    for person_match in MatchCandidate.objects.filter(form=form, member__isnull=False):
        response = confirm(client, form, person_match)
        assert "Match confirmed" in response.content.decode()
    assert CrossLocalityLink.objects.count() == 1

    response = allocate(client, form, scene["practitioner"])
    assert response.status_code == 302, response.content.decode()[-2000:]
    case = Case.objects.get(locality=scene["erdington"])
    assert case.family_id == scene["taylors"].pk
    assert Person.objects.filter(family=scene["taylors"]).count() == 3  # no copies
    taylors = Family.objects.get(pk=scene["taylors"].pk)
    assert (taylors.postcode, taylors.address_line, taylors.locality) == (
        "B23 6TJ",
        "9 Moved Road",
        scene["erdington"],
    )
    moved = LogEntry.objects.filter(object_id=str(taylors.pk)).latest("pk")
    assert json.loads(moved.change_message)["before"]["locality"] == (
        scene["ladywood"].pk
    )

    # The data protection officer sees it, with the manager's count that month.
    second = phone_form(
        scene["manager"],
        [{**TOM, "given_name": "Lily", "date_of_birth": "2017-08-01"}],
    )
    candidate = MatchCandidate.objects.filter(form=second, member=None).first()
    if candidate is None:
        candidate = MatchCandidate.objects.filter(form=second).first()
    # Now that the family lives in Erdington with a case there, no reason.
    match_candidate_decide(
        candidate_id=candidate.pk, actor=scene["manager"], confirm=True
    )
    assert CrossLocalityLink.objects.count() == 1
    other = phone_form(
        scene["manager"],
        [
            {
                **TOM,
                "given_name": "Ben",
                "family_name": "Okoro",
                "date_of_birth": "2013-01-01",
            }
        ],
    )
    okoros = FamilyFactory(postcode="B18 4AA", locality=scene["ladywood"])
    okoro = PersonFactory(
        family=okoros,
        given_name="Ben",
        family_name="Okoro",
        date_of_birth=dt.date(2013, 1, 1),
    )
    CaseFactory(family=okoros, locality=scene["ladywood"], status="closed")
    okoro_match = MatchCandidate.objects.create(
        form=other, member=other.members.get(), person=okoro, score=90
    )
    match_candidate_decide(
        candidate_id=okoro_match.pk,
        actor=scene["manager"],
        confirm=True,
        reason="Ben's school says the family moved to Erdington.",
    )

    client.logout()
    dpo = UserFactory(role=Role.DATA_PROTECTION, organisation=None)
    sign_in_verified(client, dpo)
    response = client.get("/privacy/anomalies/")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.link.form_reference for row in rows] == [
        other.reference,
        form.reference,
    ]
    assert [row.managers_links_in_month for row in rows] == [2, 2]
    html = response.content.decode()
    assert reason in html and "Mo Ahmed" in html and "Ladywood" in html
    assert "The household lives in another locality." in html
    assert rows[0].link.person_id == okoro.pk
    # Reading the reasons is a read of each household's record.
    from core.models import AccessLog

    assert set(
        AccessLog.objects.filter(user=dpo, object_type="families.family").values_list(
            "object_id", flat=True
        )
    ) == {str(scene["taylors"].pk), str(okoros.pk)}


def test_the_anomaly_page_by_month_and_a_bad_month(client, scene):
    dpo = UserFactory(role=Role.DATA_PROTECTION, organisation=None)
    sign_in_verified(client, dpo)
    response = client.get("/privacy/anomalies/?month=1999-01")
    assert response.status_code == 200
    assert "Choose a month from the list" in response.content.decode()
    response = client.get("/privacy/anomalies/")
    assert "No form was linked to a family of another locality" in (
        response.content.decode()
    )


def test_a_reason_is_refused_when_too_long_and_nothing_changes(scene):
    form = phone_form(scene["manager"], [TOM])
    household = MatchCandidate.objects.get(form=form, member=None)
    with pytest.raises(InvalidInput, match="5,000 characters"):
        match_candidate_decide(
            candidate_id=household.pk,
            actor=scene["manager"],
            confirm=True,
            reason="x" * 5001,
        )
    household.refresh_from_db()
    assert household.status == "proposed"
    assert not CrossLocalityLink.objects.exists()
    # Rejecting needs no reason.
    match_candidate_decide(
        candidate_id=household.pk, actor=scene["manager"], confirm=False
    )
    household.refresh_from_db()
    assert household.status == "rejected"


def test_match_candidates_show_name_year_and_locality_only(client, scene):
    """Finding 2: a form naming a mother at the family's postcode, without a
    date of birth, showed her exact date of birth; a form with a child's name
    and date of birth showed the family's address."""
    mother = {
        "role": "adult",
        "relationship": "mother",
        "given_name": "Kate",
        "family_name": "Taylor",
    }
    baby = {**TOM, "given_name": "Zoe", "date_of_birth": "2024-02-02"}
    by_postcode = phone_form(
        scene["manager"], [baby, mother], postcode="B16 8QG", address="Somewhere"
    )
    by_birth = phone_form(scene["manager"], [{**TOM, "family_name": "Smith"}])
    assert MatchCandidate.objects.filter(form=by_postcode, person=scene["kate"])
    assert MatchCandidate.objects.filter(form=by_birth, person=scene["tom"])
    # The Ladywood manager triages the form that went to Ladywood.
    ladywood_manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["ladywood"])
    sign_in_verified(client, ladywood_manager)
    page = client.get(f"/triage/forms/{by_postcode.reference}/").content.decode()
    assert "Kate Taylor, born 1985" in page
    assert "9 July 1985" not in page
    client.logout()
    sign_in_verified(client, scene["manager"])
    page = client.get(f"/triage/forms/{by_birth.reference}/").content.decode()
    assert "Tom Taylor, born 2015" in page
    assert "Ladywood" in page  # where the records are held
    assert "B16 8QG" not in page and "Ladywood Walk" not in page


def test_allocation_refuses_a_family_of_another_locality_linked_without_reason(
    scene,
):
    """Intake attached a form to the family's open case, which has since
    closed: a new case would open the family to this locality unexplained."""
    form = FormFactory(family=scene["taylors"], locality=scene["erdington"])
    form.members.create(
        position=0,
        role="child",
        given_name="Tom",
        family_name="Taylor",
        date_of_birth=TOM_BORN,
        person=scene["tom"],
    )
    with pytest.raises(InvalidInput, match="Confirm the household match again"):
        form_allocate(
            form_id=form.pk,
            actor=scene["manager"],
            lead_practitioner=scene["practitioner"],
            reason="Allocated.",
        )
    assert not Case.objects.filter(locality=scene["erdington"]).exists()


def test_which_links_cross_localities(scene):
    erdington, ladywood = scene["erdington"], scene["ladywood"]
    here_with_case = FamilyFactory(locality=erdington)
    CaseFactory(family=here_with_case, locality=erdington, status="closed")
    here_without_case = FamilyFactory(locality=erdington)
    unknown_locality = FamilyFactory(locality=None)
    here_but_cases_elsewhere = FamilyFactory(locality=erdington)
    CaseFactory(family=here_but_cases_elsewhere, locality=ladywood, status="closed")
    moved_back = FamilyFactory(locality=erdington)
    CaseFactory(family=moved_back, locality=ladywood, status="closed")
    CaseFactory(family=moved_back, locality=erdington, status="closed")
    families = [
        here_with_case,
        here_without_case,
        unknown_locality,
        here_but_cases_elsewhere,
        moved_back,
        scene["taylors"],
    ]
    concerns = cross_locality_concerns(form_locality_id=erdington.pk, families=families)
    assert concerns == {
        here_but_cases_elsewhere.pk: "The household's cases are in another locality.",
        scene["taylors"].pk: "The household lives in another locality.",
    }
    unresolved = cross_locality_concerns(form_locality_id=None, families=families)
    assert set(unresolved) == {f.pk for f in families}


def test_the_link_record_is_append_only(scene):
    form = phone_form(scene["manager"], [TOM])
    household = MatchCandidate.objects.get(form=form, member=None)
    match_candidate_decide(
        candidate_id=household.pk,
        actor=scene["manager"],
        confirm=True,
        reason="Moved here.",
    )
    link = CrossLocalityLink.objects.get()
    with pytest.raises(PermissionError):
        link.save()
    with pytest.raises(PermissionError):
        link.delete()
