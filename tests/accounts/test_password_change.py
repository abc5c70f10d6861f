"""Changing your password: other sessions end, this one carries on under a new
session id, and an e-mail without case data says so. Bad input changes
nothing."""

from __future__ import annotations

import pytest
from django.core import mail
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.roles import Role
from tests.factories import DEFAULT_PASSWORD, CaseFactory, PersonFactory, UserFactory
from tests.helpers import sign_in, sign_in_verified

pytestmark = pytest.mark.django_db

NEW = "a-much-longer-passphrase-2026"


def change(client, current=DEFAULT_PASSWORD, new=NEW, confirm=None):
    return client.post(
        "/account/password/",
        {"current": current, "new": new, "confirm": confirm or new},
    )


def test_other_sessions_end_and_this_one_carries_on(
    client, django_capture_on_commit_callbacks
):
    from django.test import Client

    user = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    case = CaseFactory(lead_practitioner=user)
    child = PersonFactory(family=case.family, given_name="Oluwaseun")
    device = sign_in_verified(client, user)
    # The same user signed in elsewhere, also past two-factor.
    other = Client()
    other.force_login(user)
    session = other.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert other.get("/cases/").status_code == 200
    before = client.session.session_key
    with django_capture_on_commit_callbacks(execute=True):
        response = change(client)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session.session_key != before  # a new session id
    assert client.get("/cases/").status_code == 200  # still signed in
    ended = other.get("/cases/")
    assert ended.status_code == 302 and "/sign-in/" in ended["Location"]
    user.refresh_from_db()
    assert user.check_password(NEW)
    (message,) = mail.outbox
    assert message.to == [user.email]
    assert message.subject == "Your Early Help Connect password was changed"
    # No case data: nothing about the user's cases or families.
    for leak in (
        f"/cases/{case.pk}/",
        child.given_name,
        case.family.postcode,
        case.family.address_line,
    ):
        assert leak not in message.body
    assert "sign-in" in message.body


@pytest.mark.parametrize(
    "current, new, confirm, message",
    [
        ("wrong-password", NEW, NEW, "Your current password is not correct"),
        (DEFAULT_PASSWORD, "short", "short", "This password is too short"),
        (DEFAULT_PASSWORD, NEW, NEW + "x", "The two new passwords are not the same"),
        ("", NEW, NEW, "Enter your current password"),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(
    client, current, new, confirm, message
):
    user = UserFactory(role=Role.REQUESTER)
    sign_in(client, user)
    response = change(client, current, new, confirm)
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)
    assert mail.outbox == []


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/account/password/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
