from __future__ import annotations

import pytest

from accounts.models import Organisation
from accounts.roles import Role
from core.models import AccessLog
from family_connect.models import FamilyConnectForm
from tests.factories import OrganisationFactory, UserFactory
from tests.family_connect.test_journey import CHILD, child_pages
from tests.helpers import sign_in, sign_in_verified

pytestmark = pytest.mark.django_db

SECOND_CHILD = {
    **CHILD,
    "given_name": "Bilal",
    "date_of_birth_0": "9",
    "date_of_birth_1": "9",
    "date_of_birth_2": "2017",
    "sex": "male",
}

COMMON_TAIL = [
    ("/family-connect/step/address/", {"postcode": "B9 4AA"}),
    *child_pages(CHILD),
    ("/family-connect/step/children/", {"add_another": "yes"}),
    *child_pages(SECOND_CHILD, 1),
    ("/family-connect/step/children/", {"add_another": "no"}),
    ("/family-connect/step/adults/", {"add_another": "no"}),
    (
        "/family-connect/step/language/",
        {"language": "Urdu", "interpreter_needed": "yes"},
    ),
    ("/family-connect/step/communication/", {"communication_needs": ""}),
    ("/family-connect/step/reasons/", {"reasons": ["education", "neglect"]}),
    ("/family-connect/step/need/", {"level_of_need": "additional"}),
    ("/family-connect/step/family-words/", {"family_words": "Mum asks for help."}),
    ("/family-connect/step/child-voice/", {"child_voice": "Bilal is worried."}),
    ("/family-connect/step/working-well/", {"working_well": ""}),
]


def walk(client, pages):
    for url, data in pages:
        response = client.post(url, data)
        assert response.status_code == 302, (url, response.content.decode()[:2000])
    return response


def submit(client):
    response = client.post("/family-connect/check/", {"website": ""})
    assert response["Location"] == "/family-connect/confirmation/", response.content[
        :2000
    ]


def test_a_school_sends_a_form_for_two_children_without_retyping(client):
    school = OrganisationFactory(name="Example Primary", kind="school")
    dsl = UserFactory(role=Role.REQUESTER, organisation=school)
    sign_in(client, dsl)
    start = client.post("/family-connect/")
    assert start["Location"] == "/family-connect/step/safeguarding/"
    walk(
        client,
        [
            ("/family-connect/step/safeguarding/", {"safeguarding_concern": "no"}),
            ("/family-connect/step/request-type/", {"request_type": "support"}),
            (
                "/family-connect/step/consent/",
                {"consent": "yes", "consent_given_by": "Sara Khan, mother"},
            ),
        ],
    )
    # No contact page: the requester and organisation come from the account.
    response = client.get("/family-connect/step/contact/")
    assert response.status_code == 404
    walk(client, COMMON_TAIL)
    submit(client)
    form = FamilyConnectForm.objects.get()
    assert form.route == "school"
    assert form.requester == dsl and form.organisation == school
    assert form.consent_given_by == "Sara Khan, mother"
    names = list(form.members.values_list("given_name", "family_name"))
    assert names == [("Ayesha", "Khan"), ("Bilal", "Khan")]
    assert form.interpreter_needed and form.language == "Urdu"

    # "My organisation's forms", as a colleague at the same school sees it.
    colleague = UserFactory(role=Role.REQUESTER, organisation=school)
    client.logout()
    sign_in(client, colleague)
    page = client.get("/family-connect/forms/")
    html = page.content.decode()
    assert form.reference in html and "Waiting for a decision" in html
    assert "Ayesha" not in html  # a colleague's form: status and decision only
    client.logout()
    sign_in(client, dsl)
    assert "Ayesha Khan" in client.get("/family-connect/forms/").content.decode()
    assert AccessLog.objects.filter(user=colleague, action="list").count() == 1
    client.logout()
    sign_in(client, colleague)
    outsider = UserFactory(role=Role.REQUESTER, organisation=OrganisationFactory())
    client.logout()
    sign_in(client, outsider)
    assert form.reference not in client.get("/family-connect/forms/").content.decode()


def test_a_consultation_needs_no_consent(client):
    health = OrganisationFactory(name="Health visiting", kind="health")
    visitor = UserFactory(role=Role.REQUESTER, organisation=health)
    sign_in(client, visitor)
    client.post("/family-connect/")
    walk(
        client,
        [
            ("/family-connect/step/safeguarding/", {"safeguarding_concern": "no"}),
            ("/family-connect/step/request-type/", {"request_type": "consultation"}),
            ("/family-connect/step/consent/", {"consent": "no"}),
            *COMMON_TAIL,
        ],
    )
    submit(client)
    form = FamilyConnectForm.objects.get()
    assert form.route == "professional" and form.request_type == "consultation"
    assert not form.consent


def test_staff_key_a_phone_call_for_a_family(client):
    worker = UserFactory(role=Role.PRACTITIONER, localities=["yardley"])
    sign_in_verified(client, worker)
    client.post("/family-connect/")
    walk(
        client,
        [
            ("/family-connect/step/safeguarding/", {"safeguarding_concern": "no"}),
            ("/family-connect/step/request-type/", {"request_type": "support"}),
            (
                "/family-connect/step/consent/",
                {"consent": "yes", "consent_given_by": "Caller, the mother"},
            ),
        ],
    )
    contact = client.get("/family-connect/step/contact/").content.decode()
    assert "Caller&#x27;s full name" in contact or "Caller's full name" in contact
    walk(
        client,
        [
            (
                "/family-connect/step/contact/",
                {"contact_name": "Sara Khan", "contact_phone": "0121 496 0000"},
            ),
            *COMMON_TAIL,
        ],
    )
    submit(client)
    form = FamilyConnectForm.objects.get()
    assert form.route == "phone" and form.entered_by == worker
    assert form.requester is None and form.contact_phone == "0121 496 0000"


def test_childrens_trust_steps_a_family_down_with_the_closure_date(client):
    trust = OrganisationFactory(
        name="Children's Trust", kind=Organisation.Kind.CHILDRENS_TRUST
    )
    social_worker = UserFactory(role=Role.REQUESTER, organisation=trust)
    sign_in(client, social_worker)
    start = client.post("/family-connect/")
    assert start["Location"] == "/family-connect/step/route/"
    walk(
        client,
        [
            ("/family-connect/step/route/", {"route": "step_down"}),
            ("/family-connect/step/safeguarding/", {"safeguarding_concern": "no"}),
            ("/family-connect/step/request-type/", {"request_type": "support"}),
            (
                "/family-connect/step/consent/",
                {"consent": "yes", "consent_given_by": "Sara Khan"},
            ),
            (
                "/family-connect/step/step-down/",
                {
                    "closed_to_social_care_on_0": "10",
                    "closed_to_social_care_on_1": "1",
                    "closed_to_social_care_on_2": "2026",
                },
            ),
            *COMMON_TAIL,
        ],
    )
    submit(client)
    form = FamilyConnectForm.objects.get()
    assert form.route == "step_down"
    assert str(form.closed_to_social_care_on) == "2026-01-10"
    assert form.organisation == trust


def test_a_route_the_user_may_not_use_is_refused(client):
    school = OrganisationFactory(kind="school")
    dsl = UserFactory(role=Role.REQUESTER, organisation=school)
    sign_in(client, dsl)
    client.post("/family-connect/")
    # The route page does not apply to a user with one route.
    assert (
        client.post("/family-connect/step/route/", {"route": "phone"}).status_code
        == 404
    )


@pytest.mark.parametrize(
    "role", [Role.AUDITOR, Role.PERFORMANCE_LEAD, Role.ADMINISTRATOR]
)
def test_roles_without_a_route_cannot_start_a_form(client, role):
    user = UserFactory(role=role)
    sign_in_verified(client, user)
    assert client.post("/family-connect/").status_code == 404
    assert (
        "cannot send Family Connect Forms"
        in client.get("/family-connect/").content.decode()
    )
