"""The professionals around a family on the case: added and corrected by the
lead practitioner and managers (each change kept: the case's history and the
change log), seen by everyone on the team with tap-to-call and e-mail links."""

from __future__ import annotations

import json

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType

from accounts.phone import BAD_PHONE
from accounts.roles import Role
from casework.models import CaseContact, CaseEvent
from casework.services.contacts import BAD_EMAIL, NO_WAY_TO_REACH
from tests.error_summary import error_summary
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, join_team
from tests.helpers import sign_in_as, sign_in_verified

pytestmark = pytest.mark.django_db

GP = {
    "kind": "gp",
    "name": "Dr Priya Patel",
    "role": "Family doctor",
    "organisation": "Lozells Surgery",
    "phone": "+44 (0)121 496 0000",
    "email": "priya.patel@example.nhs.uk",
}


def log_entries(contact: CaseContact) -> list[tuple[int, dict]]:
    kind = ContentType.objects.get_for_model(CaseContact)
    return [
        (e.action_flag, json.loads(e.change_message))
        for e in LogEntry.objects.filter(
            content_type=kind, object_id=str(contact.pk)
        ).order_by("pk")
    ]


def test_the_lead_adds_a_contact_and_the_case_page_links_to_call_and_email(client):
    case = CaseFactory()
    sign_in_verified(client, case.lead_practitioner)
    page = client.get(f"/cases/{case.pk}/")
    assert f'href="/cases/{case.pk}/contacts/new/"' in page.content.decode()
    assert client.get(f"/cases/{case.pk}/contacts/new/").status_code == 200
    response = client.post(f"/cases/{case.pk}/contacts/new/", GP)
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/#contacts"
    contact = CaseContact.objects.get()
    assert (contact.case, contact.name, contact.phone, contact.added_by) == (
        case,
        "Dr Priya Patel",
        "+44 (0)121 496 0000",
        case.lead_practitioner,
    )
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'href="tel:+441214960000"' in html
    assert 'href="mailto:priya.patel@example.nhs.uk"' in html
    assert "Lozells Surgery" in html
    assert f'href="/cases/{case.pk}/contacts/{contact.pk}/"' in html
    # The case's history says so, and the change log has every value.
    event = CaseEvent.objects.get(case=case, kind="contact_added")
    assert event.actor == case.lead_practitioner
    assert event.data == {"contact": contact.pk}
    assert "Professional contact added" in html
    assert "Dr Priya Patel, GP, Lozells Surgery" in html
    ((flag, message),) = log_entries(contact)
    assert flag == ADDITION and message["after"]["email"] == GP["email"]


def test_a_manager_corrects_a_contact_and_the_change_is_kept(client):
    case = CaseFactory()
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    sign_in_verified(client, manager)
    client.post(f"/cases/{case.pk}/contacts/new/", GP)
    contact = CaseContact.objects.get()
    url = f"/cases/{case.pk}/contacts/{contact.pk}/"
    form = client.get(url).content.decode()
    assert 'value="Dr Priya Patel"' in form
    response = client.post(url, {**GP, "phone": "07700 900 982", "role": ""})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.phone, contact.role) == ("07700 900 982", "")
    event = CaseEvent.objects.get(case=case, kind="contact_edited")
    assert event.actor == manager
    assert event.data["changes"] == {
        "phone": {"from": "+44 (0)121 496 0000", "to": "07700 900 982"},
        "role": {"from": "Family doctor", "to": ""},
    }
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Telephone number: “+44 (0)121 496 0000” → “07700 900 982”" in html
    assert "Role: “Family doctor” → none" in html
    assert log_entries(contact)[-1] == (
        CHANGE,
        {
            "before": {"phone": "+44 (0)121 496 0000", "role": "Family doctor"},
            "after": {"phone": "07700 900 982", "role": ""},
        },
    )
    # Saving it unchanged records nothing.
    client.post(url, {**GP, "phone": "07700 900 982", "role": ""})
    assert CaseEvent.objects.filter(kind="contact_edited").count() == 1
    assert len(log_entries(contact)) == 2


def test_every_problem_is_shown_at_once_and_nothing_is_saved(client):
    case = CaseFactory()
    sign_in_verified(client, case.lead_practitioner)
    response = client.post(
        f"/cases/{case.pk}/contacts/new/",
        {"kind": "", "name": " ", "phone": "12345", "email": "not an address"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error:" in html
    assert error_summary(html) == [
        (
            "id_kind_0",
            "Select who they are: GP, school, health visitor, social worker or other",
        ),
        ("id_name", "Enter the contact's name"),
        ("id_phone", BAD_PHONE),
        ("id_email", BAD_EMAIL),
    ]
    assert not CaseContact.objects.exists()
    assert not CaseEvent.objects.filter(kind="contact_added").exists()


@pytest.mark.parametrize(
    ("phone", "email", "problems"),
    [
        ("", "", [("id_phone", NO_WAY_TO_REACH)]),
        ("+1 212 555 0100", "", [("id_phone", BAD_PHONE)]),
        ("0121 496 00", "a@b", [("id_phone", BAD_PHONE), ("id_email", BAD_EMAIL)]),
        ("", "priya@example.org", []),
        ("07700900982", "", []),
    ],
)
def test_phone_and_email_are_checked(client, phone, email, problems):
    case = CaseFactory()
    sign_in_verified(client, case.lead_practitioner)
    response = client.post(
        f"/cases/{case.pk}/contacts/new/", {**GP, "phone": phone, "email": email}
    )
    assert error_summary(response.content) == problems
    assert CaseContact.objects.exists() == (not problems)


def test_a_refused_correction_changes_nothing(client):
    case = CaseFactory()
    sign_in_verified(client, case.lead_practitioner)
    client.post(f"/cases/{case.pk}/contacts/new/", GP)
    contact = CaseContact.objects.get()
    response = client.post(
        f"/cases/{case.pk}/contacts/{contact.pk}/", {**GP, "name": "", "phone": "x"}
    )
    assert [m for _, m in error_summary(response.content)] == [
        "Enter the contact's name",
        BAD_PHONE,
    ]
    contact.refresh_from_db()
    assert (contact.name, contact.phone) == (GP["name"], GP["phone"])
    assert not CaseEvent.objects.filter(kind="contact_edited").exists()


def test_partners_on_the_team_see_the_contacts_but_cannot_change_them(client):
    case = CaseFactory()
    sign_in_verified(client, case.lead_practitioner)
    client.post(f"/cases/{case.pk}/contacts/new/", GP)
    contact = CaseContact.objects.get()
    partner = UserFactory(role=Role.REQUESTER, organisation=OrganisationFactory())
    join_team(case, partner)
    client.logout()
    sign_in_as(client, partner)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'href="tel:+441214960000"' in html and "Dr Priya Patel" in html
    assert "/contacts/" not in html
    assert client.get(f"/cases/{case.pk}/contacts/new/").status_code == 404
    assert (
        client.post(f"/cases/{case.pk}/contacts/{contact.pk}/", GP | {"name": "X"})
    ).status_code == 404
    contact.refresh_from_db()
    assert contact.name == GP["name"]


@pytest.mark.parametrize("who", ["team_practitioner", "other_practitioner"])
def test_only_the_lead_and_managers_add_or_change_contacts(client, who):
    case = CaseFactory()
    practitioner = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    if who == "team_practitioner":
        join_team(case, practitioner)
    sign_in_verified(client, practitioner)
    assert client.post(f"/cases/{case.pk}/contacts/new/", GP).status_code == 404
    assert not CaseContact.objects.exists()
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "/contacts/new/" not in html


def test_a_closed_cases_contacts_are_shown_but_not_changed(client):
    case = CaseFactory()
    sign_in_verified(client, case.lead_practitioner)
    client.post(f"/cases/{case.pk}/contacts/new/", GP)
    contact = CaseContact.objects.get()
    case.status = "closed"
    case.save(update_fields=["status"])
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Dr Priya Patel" in html and "/contacts/" not in html
    assert client.post(f"/cases/{case.pk}/contacts/new/", GP).status_code == 404
    url = f"/cases/{case.pk}/contacts/{contact.pk}/"
    assert client.post(url, {**GP, "name": "Someone"}).status_code == 404
    assert CaseContact.objects.get().name == GP["name"]


def test_a_contact_of_another_case_is_not_found(client):
    case = CaseFactory()
    other = CaseFactory(lead_practitioner=case.lead_practitioner)
    sign_in_verified(client, case.lead_practitioner)
    client.post(f"/cases/{other.pk}/contacts/new/", GP)
    contact = CaseContact.objects.get()
    response = client.post(
        f"/cases/{case.pk}/contacts/{contact.pk}/", {**GP, "name": "Changed"}
    )
    assert response.status_code == 404
    assert CaseContact.objects.get().name == GP["name"]
