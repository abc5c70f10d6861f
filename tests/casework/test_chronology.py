"""The chronology reads as the family's story: filtered in the query string
(significant events, notes, what the system recorded) without JavaScript, in
a fixed number of queries; a step-up and what social care decided read as
sentences."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from casework.models import CaseNote, SocialCareReferral
from casework.services.contacts import (
    ContactInput,
    case_contact_add,
    case_contact_edit,
)
from casework.services.step_up import case_step_up, step_up_outcome_record
from core import clock
from tests.factories import CaseFactory, PersonFactory, UserFactory
from tests.helpers import sign_in_verified

pytestmark = pytest.mark.django_db

MARCH_3 = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)
MARCH_5 = dt.datetime(2026, 3, 5, 15, 30, tzinfo=dt.UTC)


@pytest.fixture
def case():
    lead = UserFactory(
        role=Role.PRACTITIONER, localities=["erdington"], full_name="Amira Khan"
    )
    case = CaseFactory(lead_practitioner=lead)
    PersonFactory(family=case.family, given_name="Ayesha", family_name="Begum")
    PersonFactory(family=case.family, given_name="Bilal", family_name="Begum")
    return case


def note(case, text, *, significant=False, at=MARCH_3):
    return CaseNote.objects.create(
        case=case,
        kind="visit",
        text=text,
        significant=significant,
        happened_at=at,
        author=case.lead_practitioner,
    )


def step_up(case, reason="Concerns about neglect after the school's call."):
    people = list(case.people.values_list("pk", flat=True))
    with clock.replaying_at(MARCH_3):
        return case_step_up(
            case_id=case.pk,
            actor=case.lead_practitioner,
            person_ids=people,
            reason=reason,
        )


def timeline(html: str) -> str:
    match = re.search(r'data-testid="timeline">(.*?)</ul>\s*{?', html, re.DOTALL)
    assert match
    return match.group(1)


def test_a_step_up_reads_as_a_sentence_saying_who_and_why(client, case):
    step_up(case)
    sign_in_verified(client, case.lead_practitioner)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert (
        "Stepped up to children&#x27;s social care by Amira Khan (lead "
        "practitioner) on 3 March 2026: Concerns about neglect after the "
        "school&#x27;s call."
    ) in html
    assert "Referred: Ayesha Begum and Bilal Begum." in html


def test_what_social_care_decided_reads_as_a_sentence(client, case):
    referral, _other = step_up(case)
    manager = UserFactory(
        role=Role.LOCALITY_MANAGER, localities=["erdington"], full_name="Sam Reid"
    )
    with clock.replaying_at(MARCH_5):
        step_up_outcome_record(
            referral_id=referral.pk, actor=manager, outcome="accepted_for_assessment"
        )
    sign_in_verified(client, manager)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    name = f"{referral.person.given_name} {referral.person.family_name}"
    assert (
        f"Children&#x27;s social care decided: {name} accepted for a social care "
        "assessment, on 5 March 2026."
    ) in html
    assert "Recorded by Sam Reid." in html


def test_a_manager_stepping_up_is_named_as_a_manager(client, case):
    manager = UserFactory(
        role=Role.LOCALITY_MANAGER, localities=["erdington"], full_name="Sam Reid"
    )
    with clock.replaying_at(MARCH_3):
        case_step_up(
            case_id=case.pk,
            actor=manager,
            person_ids=list(case.people.values_list("pk", flat=True)),
            reason="Disclosure at school.",
        )
    sign_in_verified(client, manager)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert (
        "Stepped up to children&#x27;s social care by Sam Reid (locality manager) "
        "on 3 March 2026: Disclosure at school."
    ) in html


def test_the_filter_keeps_the_choice_in_the_url_and_shows_only_what_was_chosen(
    client, case
):
    note(case, "Visit: a calmer morning.", significant=True)
    note(case, "Call with the school.")
    step_up(case)
    case_contact_add(
        case_id=case.pk,
        actor=case.lead_practitioner,
        data=ContactInput(kind="gp", name="Dr Patel", phone="0121 496 0000"),
    )
    sign_in_verified(client, case.lead_practitioner)
    url = f"/cases/{case.pk}/"

    def shown(query: str) -> str:
        return timeline(client.get(url + query).content.decode())

    everything = shown("")
    for text in ("calmer", "Call with", "Stepped up", "Professional contact"):
        assert text in everything
    significant = shown("?show=significant")
    assert "calmer" in significant and "Stepped up" in significant
    assert "Call with" not in significant and "Professional contact" not in significant
    notes = shown("?show=notes")
    assert "calmer" in notes and "Call with" in notes
    assert "Stepped up" not in notes and "Professional contact" not in notes
    events = shown("?show=events")
    assert "Stepped up" in events and "Professional contact" in events
    assert "calmer" not in events and "Call with" not in events
    both = shown("?show=significant&show=events")
    assert "calmer" in both and "Professional contact" in both
    assert "Call with" not in both
    assert (
        "Showing 3 entries: significant events and what the system recorded."
        in client.get(url + "?show=significant&show=events").content.decode()
    )
    # Anything else is ignored: everything is shown.
    assert shown("?show=secret") == everything
    # The form sends the choice in the query string and shows it ticked.
    page = client.get(url + "?show=notes").content.decode()
    assert re.search(r'<form method="get" action="/cases/\d+/#chronology"', page)
    assert re.search(
        r'id="show-notes" name="show" type="checkbox" value="notes"[^>]*checked', page
    )
    assert not re.search(r'id="show-events"[^>]*checked', page)
    assert "Showing 2 entries: notes." in page
    assert f'href="{url}#chronology">Show everything</a>' in page


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def add_story(case, rounds: int) -> None:
    lead = case.lead_practitioner
    for i in range(rounds):
        note(case, f"Visit {i}", significant=True)
        note(case, f"Call {i}")
        referral = step_up(case, reason=f"Worry {i}")[0]
        step_up_outcome_record(
            referral_id=referral.pk, actor=lead, outcome="child_protection"
        )
        contact = case_contact_add(
            case_id=case.pk,
            actor=lead,
            data=ContactInput(kind="school", name=f"Teacher {i}", email="t@ex.org"),
        )
        case_contact_edit(
            contact_id=contact.pk,
            actor=lead,
            data=ContactInput(kind="school", name=f"Teacher {i}", phone="07700900982"),
        )


@pytest.mark.parametrize(
    "query", ["", "?show=significant", "?show=notes", "?show=events"]
)
def test_the_case_page_reads_a_fixed_number_of_queries_however_long_the_story(
    client, case, query
):
    sign_in_verified(client, case.lead_practitioner)
    url = f"/cases/{case.pk}/{query}"
    add_story(case, 1)
    queries(client, url)
    few = queries(client, url)
    add_story(case, 9)
    assert SocialCareReferral.objects.filter(case=case).count() == 20
    assert queries(client, url) == few
