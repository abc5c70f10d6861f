"""The family's journey speaks to families: the phase banner, the level of need
in a parent's words, tap-to-call numbers, the status link in the receipt, "we
will contact you", a child's questions over three short pages, and Urdu pages
that keep English and Urdu apart."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.core import mail

from accounts.roles import Role
from family_connect.models import FamilyConnectForm, FormDraft
from tests.factories import OrganisationFactory, UserFactory
from tests.family_connect.test_journey import CHILD, PUBLIC_PAGES, start, walk
from tests.helpers import sign_in_verified

pytestmark = pytest.mark.django_db

BEFORE_CHILD = PUBLIC_PAGES[:4]


def send(client, django_capture_on_commit_callbacks, pages=PUBLIC_PAGES):
    start(client)
    walk(client, pages)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/family-connect/check/", {"website": ""})
    assert response["Location"] == "/family-connect/confirmation/"
    return client.get("/family-connect/confirmation/").content.decode()


# --- The phase banner ------------------------------------------------------------


def test_the_phase_banner_asks_a_family_for_feedback(client, settings):
    settings.FEEDBACK_EMAIL = "feedback@early-help.example.org"
    page = client.get("/family-connect/").content.decode()
    assert re.search(r'data-testid="phase">\s*Beta\s*<', page)
    assert "This is a new service." in page
    assert "use it only for your work" not in page
    assert (
        'href="mailto:feedback@early-help.example.org?subject=Feedback%20on%20Early'
        '%20Help%20Connect" data-testid="feedback-link">feedback</a>'
    ) in page


def test_the_phase_banner_reminds_staff_what_the_service_holds(client):
    sign_in_verified(client, UserFactory(role=Role.PRACTITIONER))
    page = client.get("/family-connect/").content.decode()
    assert "use it only for your work" in page
    assert 'data-testid="feedback-link"' in page


# --- Phone numbers ---------------------------------------------------------------

FRONT_DOOR = 'href="tel:01213031888" dir="ltr">0121 303 1888</a>'
EMERGENCY = 'href="tel:999" dir="ltr">999</a>'


def test_phone_numbers_are_tap_to_call_links_on_the_public_pages(client):
    start_page = client.get("/family-connect/").content.decode()
    footer = start_page.split('class="govuk-footer"', 1)[1]
    assert FRONT_DOOR in footer and EMERGENCY in footer
    main = start_page.split('class="govuk-footer"', 1)[0]
    assert FRONT_DOOR in main and EMERGENCY in main
    start(client)
    walk(
        client,
        [("/family-connect/step/safeguarding/", {"safeguarding_concern": "yes"})],
    )
    front_door = client.get("/family-connect/step/front-door/").content.decode()
    assert FRONT_DOOR in front_door and EMERGENCY in front_door
    assert 'href="tel:01216754806" dir="ltr">0121 675 4806</a>' in front_door
    # No number is left as plain text outside its link.
    text = re.sub(r"<a [^>]*>[^<]*</a>", "", front_door)
    assert "0121" not in text and "999" not in text


# --- The level of need -----------------------------------------------------------


def test_a_family_is_asked_how_much_help_it_needs_in_its_own_words(client):
    start(client)
    walk(client, PUBLIC_PAGES[:-4])
    page = client.get("/family-connect/step/need/").content.decode()
    assert "How much help does your family need at the moment?" in page
    assert "A bit of extra help with one thing" in page
    assert "Universal plus" not in page and "social care front door" not in page
    assert f'If a child is in danger, call <a class="govuk-link" {EMERGENCY}' in page
    walk(client, PUBLIC_PAGES[-4:])
    check = client.get("/family-connect/check/").content.decode()
    assert "How much help you need" in check and "Level of need" not in check
    assert "A bit of extra help with one thing" in check


def test_professionals_keep_the_levels_of_need(client):
    requester = UserFactory(
        role=Role.REQUESTER, organisation=OrganisationFactory(kind="school")
    )
    sign_in_verified(client, requester)
    start(client)
    draft = FormDraft.objects.get()
    assert draft.route == "school"
    draft.answers = {"request_type": "support"}
    draft.save()
    page = client.get("/family-connect/step/need/").content.decode()
    assert "How much help do you think the family needs?" in page
    assert "Universal plus" in page
    assert "A bit of extra help with one thing" not in page


# --- The confirmation and the receipt --------------------------------------------


def test_a_family_is_told_we_will_contact_it_and_gets_its_status_link_by_email(
    client, django_capture_on_commit_callbacks
):
    page = send(client, django_capture_on_commit_callbacks)
    assert "We will contact you to tell you what happens next" in page
    assert "the family or you" not in page
    assert "We have also sent your reference number and this link" in page
    status_url = re.search(r'data-testid="status-link">([^<]+)<', page)[1]
    # Left to right in an Urdu page too, so the link reads in its order.
    assert 'dir="ltr" data-testid="status-link"' in page
    form = FamilyConnectForm.objects.get()
    (receipt,) = [m for m in mail.outbox if m.to == ["sara@example.org"]]
    path = status_url.replace("http://testserver", "")
    assert f"http://127.0.0.1:8000{path}" in receipt.body
    assert form.reference in receipt.body and "We will contact you" in receipt.body
    # References and the private link only: no one's name.
    for name in ("Ayesha", "Khan", "Sara"):
        assert name not in receipt.body and name not in receipt.subject
    status = client.get(path)
    assert status.status_code == 200


def test_a_partners_receipt_carries_no_status_link(
    client, django_capture_on_commit_callbacks
):
    requester = UserFactory(
        role=Role.REQUESTER,
        organisation=OrganisationFactory(kind="school"),
        email="dsl@school.example.org",
    )
    sign_in_verified(client, requester)
    start(client)
    FormDraft.objects.update(
        answers={
            "request_type": "support",
            "safeguarding_concern": "no",
            "consent": "yes",
            "consent_given_by": "Sara Khan (mother)",
            "postcode": "B23 6TJ",
            "address_line": "",
            "children": [
                {
                    **{k: v for k, v in CHILD.items() if not k.startswith("date")},
                    "date_of_birth": "2014-05-02",
                    "expected": False,
                    "gender_identity": "",
                    "school": "",
                }
            ],
            "children_done": True,
            "adults_done": True,
            "language": "English",
            "interpreter_needed": "no",
            "communication_needs": "",
            "reasons": ["education"],
            "level_of_need": "additional",
            "family_words": "Help.",
            "child_voice": "",
            "working_well": "",
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/family-connect/check/", {"website": ""})
    assert response["Location"] == "/family-connect/confirmation/"
    page = client.get("/family-connect/confirmation/").content.decode()
    assert "We will contact the family or you" in page
    assert "We have also sent" not in page
    (receipt,) = [m for m in mail.outbox if m.to == ["dsl@school.example.org"]]
    assert "/family-connect/status/" not in receipt.body


# --- A child over three short pages ----------------------------------------------


def test_a_child_is_asked_over_three_short_pages(client):
    start(client)
    walk(client, BEFORE_CHILD)
    first = client.get("/family-connect/person/child/").content.decode()
    assert 'name="given_name"' in first and 'name="date_of_birth_0"' in first
    assert 'name="ethnicity"' not in first and 'name="sex"' not in first
    assert "Page 1 of 3" in first
    response = client.post("/family-connect/person/child/", CHILD)
    assert response["Location"] == "/family-connect/person/child/0/about/"
    about = client.get(response["Location"]).content.decode()
    assert "About Ayesha" in about and "Page 2 of 3" in about
    assert 'name="sex"' in about and 'name="ethnicity"' in about
    assert 'name="given_name"' not in about and 'name="school"' not in about
    # The 19 ethnic groups are five short groups.
    assert len(re.findall(r"<optgroup ", about)) == 5
    assert '<optgroup label="Asian or Asian British">' in about
    assert re.search(r'<option value="asian_pakistani"[^>]*>Pakistani</option>', about)
    response = client.post(
        "/family-connect/person/child/0/about/",
        {"sex": "female", "ethnicity": "asian_pakistani"},
    )
    assert response["Location"] == "/family-connect/person/child/0/school/"
    school = client.get(response["Location"]).content.decode()
    assert 'name="school"' in school and 'name="young_carer"' in school
    assert 'name="sex"' not in school
    response = client.post("/family-connect/person/child/0/school/", {})
    assert response["Location"] == "/family-connect/step/children/"
    (child,) = FormDraft.objects.get().answers["children"]
    assert child["given_name"] == "Ayesha" and child["sex"] == "female"
    assert child["ethnicity"] == "asian_pakistani" and child["school"] == ""


def test_a_child_left_half_way_is_completed_before_the_journey_goes_on(client):
    start(client)
    walk(client, [*BEFORE_CHILD, ("/family-connect/person/child/", CHILD)])
    # Back to the list of children, or on to check the answers: the child's
    # missing page comes first.
    listing = client.get("/family-connect/step/children/")
    assert listing["Location"] == "/family-connect/person/child/0/about/"
    check = client.get("/family-connect/check/")
    assert check["Location"] == "/family-connect/step/children/?change=1"
    assert (
        client.get(check["Location"])["Location"]
        == "/family-connect/person/child/0/about/?change=1"
    )


def test_the_check_page_names_the_ethnic_group_in_full(client):
    start(client)
    walk(client)
    check = client.get("/family-connect/check/").content.decode()
    assert "Ethnic group: Asian or Asian British: Pakistani" in check


def test_a_childs_later_page_needs_the_child_to_exist(client):
    start(client)
    walk(client, BEFORE_CHILD)
    assert client.get("/family-connect/person/child/0/about/").status_code == 404
    assert client.get("/family-connect/person/adult/0/about/").status_code == 404


# --- Urdu pages keep English and Urdu apart --------------------------------------


class MixedText(HTMLParser):
    """Text in Latin letters whose nearest ``lang`` is Urdu (the page's head,
    scripts and attribute values aside)."""

    VOID = {"br", "img", "input", "link", "meta", "hr", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        tags = [t for t, _ in self.stack]
        if "head" in tags or "script" in tags or "style" in tags:
            return
        lang = next((lang for _, lang in reversed(self.stack) if lang), "")
        if lang.startswith("ur") and re.search("[A-Za-z]{2,}", data):
            self.found.append(data.strip())


def mixed_text(html: str) -> list[str]:
    parser = MixedText()
    parser.feed(html)
    return parser.found


def test_mixed_text_finds_english_in_an_urdu_page():
    assert mixed_text('<html lang="ur"><body><p>Sign in</p></body></html>') == [
        "Sign in"
    ]
    assert mixed_text('<html lang="ur"><p lang="en">Sign in</p></html>') == []


@pytest.mark.parametrize("path", ["/family-connect/", "/sign-in/", "/no-such-page/"])
def test_urdu_pages_keep_english_and_urdu_apart(client, path):
    client.post("/i18n/setlang/", {"language": "ur", "next": "/family-connect/"})
    html = client.get(path).content.decode()
    assert 'lang="ur"' in html
    assert mixed_text(html) == []


def test_the_sign_in_page_is_wholly_english_in_an_urdu_page(client):
    client.post("/i18n/setlang/", {"language": "ur", "next": "/family-connect/"})
    html = client.get("/sign-in/").content.decode()
    main = html.split('data-testid="sign-in"', 1)[1].split("</main>", 1)[0]
    assert 'lang="en"' in html.split('data-testid="sign-in"', 1)[0][-80:]
    assert "E-mail address" in main and ">Password<" in main
    assert not re.search("[\u0600-\u06ff]", main)
    # The footer is wholly Urdu, the service's name marked as English.
    footer = html.split('class="govuk-footer"', 1)[1]
    assert '<span lang="en" dir="ltr">Early Help Connect</span>' in footer
    assert "is run by" not in footer
