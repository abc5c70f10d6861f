"""Your details: a signed-in user changes their own work phone number, which
partners on their cases see; a number that is not a UK telephone number is
refused with a clear message and changes nothing; every change is logged."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.admin.models import CHANGE, LogEntry

from accounts.phone import BAD_PHONE, TOO_LONG, phone_clean
from accounts.roles import Role
from core.errors import InvalidInput
from tests.factories import UserFactory
from tests.helpers import sign_in_as

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("0121 496 0000", "0121 496 0000"),
        ("  0121  496 0000 ", "0121 496 0000"),
        ("01214960000", "01214960000"),
        ("07700 900982", "07700 900982"),
        ("07700-900-982", "07700-900-982"),
        ("(0121) 496 0000", "(0121) 496 0000"),
        ("+44 121 496 0000", "+44 121 496 0000"),
        ("+44 (0)121 496 0000", "+44 (0)121 496 0000"),
        ("0044 7700 900982", "0044 7700 900982"),
        ("01632 96000", "01632 96000"),  # 10 digits: some small exchanges
        ("", ""),
        ("   ", ""),
    ],
)
def test_uk_numbers_are_kept_as_typed_tidied(typed, kept):
    assert phone_clean(typed) == kept


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12345", BAD_PHONE),
        ("call me", BAD_PHONE),
        ("0121 496 00", BAD_PHONE),  # too few digits
        ("0121 496 00000 1", BAD_PHONE),  # too many digits
        ("+1 212 555 0100", BAD_PHONE),  # not a UK number
        ("00121 496 0000", BAD_PHONE),
        ("0121 496 0000 ext 5", BAD_PHONE),
        ("0121\x00496", BAD_PHONE),
        ("0" * 21, TOO_LONG),
    ],
)
def test_anything_else_is_refused_with_a_clear_message(typed, message):
    with pytest.raises(InvalidInput) as refused:
        phone_clean(typed)
    assert str(refused.value) == message
    assert refused.value.field == "phone"


def phone_changes(user) -> list[dict]:
    return [
        json.loads(e.change_message)
        for e in LogEntry.objects.filter(
            object_id=str(user.pk), action_flag=CHANGE
        ).order_by("pk")
    ]


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.REQUESTER, Role.AUDITOR])
def test_a_user_changes_their_own_phone_number_and_the_change_is_logged(client, role):
    user = UserFactory(role=role, localities=["erdington"], phone="")
    other = UserFactory(role=role, localities=["erdington"], phone="0121 000 0000")
    sign_in_as(client, user)
    page = client.get("/account/details/").content.decode()
    assert '<h1 class="govuk-heading-l">Your details</h1>' in page
    assert user.email in page
    assert 'href="/account/details/"' in page  # the account links hold it

    response = client.post(
        "/account/details/", {"phone": " +44 (0)121 496 0000 ", "user": other.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == "/account/details/"
    user.refresh_from_db()
    other.refresh_from_db()
    assert user.phone == "+44 (0)121 496 0000"
    assert other.phone == "0121 000 0000"
    page = client.get("/account/details/").content.decode()
    assert "Your phone number is now +44 (0)121 496 0000." in page
    assert 'value="+44 (0)121 496 0000"' in page
    assert phone_changes(user) == [
        {"before": {"phone": ""}, "after": {"phone": "+44 (0)121 496 0000"}}
    ]
    entry = LogEntry.objects.get(object_id=str(user.pk), action_flag=CHANGE)
    assert entry.user_id == user.pk

    # The same number again changes nothing and logs nothing.
    client.post("/account/details/", {"phone": "+44 (0)121 496 0000"})
    assert len(phone_changes(user)) == 1
    page = client.get("/account/details/").content.decode()
    assert "nothing changed" in page

    # An empty box removes the number.
    client.post("/account/details/", {"phone": ""})
    user.refresh_from_db()
    assert user.phone == ""
    assert phone_changes(user)[-1]["after"] == {"phone": ""}


@pytest.mark.parametrize(
    ("typed", "message"),
    [("12345", BAD_PHONE), ("+1 212 555 0100", BAD_PHONE), ("9" * 30, TOO_LONG)],
)
def test_a_bad_number_shows_the_error_and_changes_nothing(client, typed, message):
    user = UserFactory(
        role=Role.PRACTITIONER, localities=["erdington"], phone="0121 496 0000"
    )
    sign_in_as(client, user)
    response = client.post("/account/details/", {"phone": typed})
    assert response.status_code == 200
    page = response.content.decode()
    summary = re.search(r'class="govuk-error-summary".*?</div>\s*</div>', page, re.S)
    assert summary and message in summary.group(0)
    assert 'href="#id_phone"' in summary.group(0)
    assert 'id="id_phone-error"' in page
    assert page.count(message) == 2  # the summary and the field
    assert response.context["form"].errors["phone"] == [message]
    assert "<title>Error: Your details" in page
    user.refresh_from_db()
    assert user.phone == "0121 496 0000"
    assert phone_changes(user) == []


def test_someone_not_signed_in_is_sent_to_sign_in(client):
    response = client.post("/account/details/", {"phone": "0121 496 0000"})
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
