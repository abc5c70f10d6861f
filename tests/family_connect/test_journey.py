from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from family_connect.models import FamilyConnectForm, FormDraft
from family_connect.services.drafts import drafts_purge
from family_connect.tasks import drafts_purge as drafts_purge_task

pytestmark = pytest.mark.django_db

CHILD = {
    "given_name": "Ayesha",
    "family_name": "Khan",
    "date_of_birth_0": "2",
    "date_of_birth_1": "5",
    "date_of_birth_2": "2014",
    "sex": "female",
    "ethnicity": "asian_pakistani",
    "send": "none",
    "young_carer": "no",
}


def child_pages(child: dict, index: int = 0) -> list[tuple[str, dict]]:
    """A child's three pages: the first adds the child, the others complete it
    (each page takes its own fields from the whole answer)."""
    return [
        ("/family-connect/person/child/", child),
        (f"/family-connect/person/child/{index}/about/", child),
        (f"/family-connect/person/child/{index}/school/", child),
    ]


# (url, data) for every page of the public journey, in order.
PUBLIC_PAGES = [
    ("/family-connect/step/safeguarding/", {"safeguarding_concern": "no"}),
    ("/family-connect/step/consent/", {"consent": "yes"}),
    (
        "/family-connect/step/contact/",
        {"contact_name": "Sara Khan", "contact_email": "sara@example.org"},
    ),
    (
        "/family-connect/step/address/",
        {"address_line": "12 Example Road", "postcode": "b23 6tj"},
    ),
    *child_pages(CHILD),
    ("/family-connect/step/children/", {"add_another": "no"}),
    ("/family-connect/step/adults/", {"add_another": "no"}),
    (
        "/family-connect/step/language/",
        {"language": "English", "interpreter_needed": "no"},
    ),
    ("/family-connect/step/communication/", {"communication_needs": ""}),
    ("/family-connect/step/reasons/", {"reasons": ["financial_housing_employment"]}),
    ("/family-connect/step/need/", {"level_of_need": "universal_plus"}),
    ("/family-connect/step/family-words/", {"family_words": "Help with food."}),
    ("/family-connect/step/child-voice/", {"child_voice": ""}),
    ("/family-connect/step/working-well/", {"working_well": "Grandma helps."}),
]


def start(client):
    response = client.post("/family-connect/")
    assert response.status_code == 302
    return response


def walk(client, pages=PUBLIC_PAGES):
    for url, data in pages:
        response = client.post(url, data)
        assert response.status_code == 302, (url, response.content.decode()[:3000])
    return response


def test_public_journey_creates_one_form_in_the_postcodes_locality(
    client, django_capture_on_commit_callbacks
):
    start(client)
    last = walk(client)
    assert last["Location"] == "/family-connect/check/"
    page = client.get("/family-connect/check/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ayesha Khan" in html and "B23 6TJ" in html and "2 May 2014" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/family-connect/check/", {"website": ""})
    assert response["Location"] == "/family-connect/confirmation/"
    # A second click, or the browser retrying, changes nothing.
    again = client.post("/family-connect/check/", {"website": ""})
    assert again["Location"] == "/family-connect/confirmation/"
    form = FamilyConnectForm.objects.get()
    assert form.route == "family" and form.request_type == "support"
    assert form.locality.slug == "erdington"
    assert form.contact_email == "sara@example.org"
    assert form.consent and form.consent_given_by == "Sara Khan"
    assert form.requester is None
    confirmation = client.get("/family-connect/confirmation/").content.decode()
    assert form.reference in confirmation
    status_url = re.search(r'data-testid="status-link">([^<]+)<', confirmation)[1]
    status = client.get(status_url.replace("http://testserver", ""))
    assert status.status_code == 200
    text = status.content.decode()
    assert "Waiting for a decision" in text
    assert "Khan" not in text and "B23" not in text
    assert [m.to for m in mail.outbox] == [["sara@example.org"]]
    # The draft kept nothing but the link to the form.
    assert FormDraft.objects.get().answers == {}


@pytest.mark.parametrize("token", ["abc.def", "abc.%C3%A9", "nodot", "." * 3])
def test_a_wrong_status_token_shows_nothing(client, token):
    assert client.get(f"/family-connect/status/{token}/").status_code == 404


@pytest.mark.parametrize(
    ("url", "data", "message", "anchor"),
    [
        (
            "/family-connect/step/address/",
            {"postcode": "B23 6T"},
            "Enter a real postcode",
            "#id_postcode",
        ),
        (
            "/family-connect/person/child/",
            {**CHILD, "date_of_birth_2": str(timezone.localdate().year + 1)},
            "Date of birth must be today or in the past",
            "#id_date_of_birth_0",
        ),
        (
            "/family-connect/step/reasons/",
            {},
            "Select at least one reason",
            "#id_reasons_0",
        ),
        (
            "/family-connect/step/consent/",
            {"consent": "no"},
            "The family must agree to the request",
            "#id_consent_0",
        ),
        (
            "/family-connect/step/family-words/",
            {"family_words": ""},
            "Tell us what would help",
            "#id_family_words",
        ),
        (
            "/family-connect/step/safeguarding/",
            {},
            "Select yes if a child may be at risk",
            "#id_safeguarding_concern_0",
        ),
    ],
)
def test_each_bad_answer_shows_the_error_summary_and_stores_only_the_draft(
    client, url, data, message, anchor
):
    start(client)
    before = dict(FormDraft.objects.get().answers)
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "<title>Error:" in html
    assert f'href="{anchor}"' in html and message in html
    assert FormDraft.objects.get().answers == before
    assert FamilyConnectForm.objects.count() == 0


def test_safeguarding_yes_shows_the_front_door_and_flags_the_form(client):
    start(client)
    response = client.post(
        "/family-connect/step/safeguarding/", {"safeguarding_concern": "yes"}
    )
    assert response["Location"] == "/family-connect/step/front-door/"
    page = client.get("/family-connect/step/front-door/").content.decode()
    assert "999" in page and "0121 303 1888" in page
    refused = client.post("/family-connect/step/front-door/", {})
    assert "Confirm that you have contacted" in refused.content.decode()
    ok = client.post("/family-connect/step/front-door/", {"front_door_contacted": "on"})
    assert ok["Location"] == "/family-connect/step/consent/"
    walk(client, PUBLIC_PAGES[1:])
    client.post("/family-connect/check/", {"website": ""})
    form = FamilyConnectForm.objects.get()
    assert form.safeguarding_concern and form.front_door_contacted


def test_the_resume_link_restores_every_answer_in_a_new_browser(
    client, django_db_blocker
):
    from django.test import Client

    start(client)
    walk(client, PUBLIC_PAGES[:8])
    saved = client.get("/family-connect/save/").content.decode()
    link = re.search(r'data-testid="resume-link">([^<]+)<', saved)[1]
    other = Client()  # a closed browser: a new session, nothing but the link
    response = other.get(link.replace("http://testserver", ""))
    assert response["Location"] == "/family-connect/step/adults/"
    page = other.get("/family-connect/step/address/").content.decode()
    assert 'value="B23 6TJ"' in page and 'value="12 Example Road"' in page
    child = other.get("/family-connect/person/child/0/").content.decode()
    assert 'value="Ayesha"' in child and 'value="2014"' in child
    # Opening the link gave the draft a new one: the old link no longer works, so
    # whoever else holds it cannot read what is typed from now on.
    assert Client().get(link.replace("http://testserver", "")).status_code == 404
    new_link = re.search(
        r'data-testid="resume-link">([^<]+)<',
        other.get("/family-connect/save/").content.decode(),
    )[1]
    assert new_link != link
    assert Client().get(new_link.replace("http://testserver", "")).status_code == 302


def test_partner_second_child_is_offered_the_family_name(client):
    start(client)
    walk(client, PUBLIC_PAGES[:5])
    page = client.get("/family-connect/person/child/").content.decode()
    assert 'name="family_name"' in page and 'value="Khan"' in page


def test_expired_drafts_are_purged_by_the_job(client):
    start(client)
    walk(client, PUBLIC_PAGES[:3])
    assert FormDraft.objects.count() == 1
    FormDraft.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    fresh = FormDraft.objects.create(
        token_digest="x" * 64,
        route="family",
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    assert drafts_purge_task.delay().get() == 1
    assert list(FormDraft.objects.all()) == [fresh]
    assert drafts_purge() == 0


def test_an_expired_resume_link_does_not_open_the_draft(client):
    from django.test import Client

    start(client)
    walk(client, PUBLIC_PAGES[:2])
    link = re.search(
        r'data-testid="resume-link">([^<]+)<',
        client.get("/family-connect/save/").content.decode(),
    )[1]
    FormDraft.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = Client().get(link.replace("http://testserver", ""))
    assert response.status_code == 404


def test_the_honeypot_creates_nothing(client):
    start(client)
    walk(client)
    response = client.post("/family-connect/check/", {"website": "http://spam"})
    assert response.status_code == 400
    assert FamilyConnectForm.objects.count() == 0


def test_at_most_twenty_people_can_be_added(client):
    start(client)
    walk(client, PUBLIC_PAGES[:5])
    draft = FormDraft.objects.get()
    draft.answers["children"] = [dict(draft.answers["children"][0]) for _ in range(20)]
    draft.save()
    response = client.post("/family-connect/person/child/", CHILD)
    assert response.status_code == 200
    assert "You can add up to 20 people" in response.content.decode()
    assert len(FormDraft.objects.get().answers["children"]) == 20


def test_the_public_form_works_when_the_rate_limit_cache_is_down(client, monkeypatch):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "add", down)
    assert client.post("/family-connect/").status_code == 302
