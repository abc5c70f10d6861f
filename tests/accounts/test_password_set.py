"""A set-password link sent from the administration site: the person chooses
their own password (validators apply), their other sessions end, the link
works once, and the administrator never sees it."""

from __future__ import annotations

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.roles import Role
from accounts.services import password_link_send, user_save
from tests.factories import DEFAULT_PASSWORD, TOTPDeviceFactory, UserFactory
from tests.helpers import sign_in, sign_in_verified

pytestmark = pytest.mark.django_db

NEW = "a-much-longer-passphrase-2026"


def link_for(user, admin, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        password_link_send(user_id=user.pk, actor=admin)
    (message,) = [m for m in mail.outbox if m.to == [user.email]]
    (path,) = re.findall(r"/account/set-password/\S+/\S+/", str(message.body))
    return path


def test_a_new_user_without_a_password_chooses_one(
    client, django_capture_on_commit_callbacks
):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    user = user_save(email="new.worker@example.org", role=Role.REQUESTER).user
    assert not user.has_usable_password()
    path = link_for(user, admin, django_capture_on_commit_callbacks)

    page = client.get(path)
    assert page.status_code == 200
    assert "Choose your password" in page.content.decode()
    response = client.post(path, {"new": NEW, "confirm": NEW})
    assert response.status_code == 302 and response["Location"] == "/sign-in/"
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert sign_in(client, user, password=NEW).status_code == 302
    # The link works once.
    again = Client().get(path)
    assert "This link has expired" in again.content.decode()
    entry = LogEntry.objects.filter(object_id=str(user.pk)).order_by("pk").last()
    assert entry is not None and "set by link" in entry.change_message


def test_setting_the_password_ends_every_other_session(
    client, django_capture_on_commit_callbacks
):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    user = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    device = TOTPDeviceFactory(user=user)
    other = Client()
    other.force_login(user)
    session = other.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert other.get("/cases/").status_code == 200
    path = link_for(user, admin, django_capture_on_commit_callbacks)

    client.post(path, {"new": NEW, "confirm": NEW})

    ended = other.get("/cases/")
    assert ended.status_code == 302 and "/sign-in/" in ended["Location"]


def test_validators_apply_and_a_refused_password_changes_nothing(
    client, django_capture_on_commit_callbacks
):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    user = UserFactory(role=Role.PRACTITIONER)
    path = link_for(user, admin, django_capture_on_commit_callbacks)
    for new, confirm, words in (
        ("short", "short", "too short"),
        ("password12345", "password12345", "too common"),
        (NEW, NEW + "x", "not the same"),
        ("", "", "Enter a new password"),
    ):
        response = client.post(path, {"new": new, "confirm": confirm})
        assert response.status_code == 200
        assert words in response.content.decode(), words
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


@pytest.mark.parametrize(
    "path",
    [
        "/account/set-password/x/y/",
        "/account/set-password/MQ/not-a-token/",
        "/account/set-password/%F0%9F%98%80/a-b/",
    ],
)
def test_a_bad_link_says_it_has_expired_and_changes_nothing(client, path):
    user = UserFactory(role=Role.PRACTITIONER)
    response = client.get(path)
    assert response.status_code == 200
    assert "This link has expired" in response.content.decode()
    response = client.post(path, {"new": NEW, "confirm": NEW})
    assert "This link has expired" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_a_signed_in_staff_user_can_still_use_a_link(
    client, django_capture_on_commit_callbacks
):
    """The page needs no sign-in, so two-factor does not stand in its way."""
    admin = UserFactory(role=Role.ADMINISTRATOR)
    user = UserFactory(role=Role.PRACTITIONER)
    path = link_for(user, admin, django_capture_on_commit_callbacks)
    sign_in(client, UserFactory(role=Role.LOCALITY_MANAGER))
    assert client.get(path).status_code == 200


def test_the_admin_never_sees_the_link(client, django_capture_on_commit_callbacks):
    admin = user_save(
        email="helen@council.example",
        role=Role.ADMINISTRATOR,
        password=DEFAULT_PASSWORD,
    ).user
    sign_in_verified(client, admin)
    other = UserFactory(role=Role.PRACTITIONER)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/accounts/user/",
            {"action": "send_set_password_link", "_selected_action": [other.pk]},
            follow=True,
        )
    page = response.content.decode()
    assert f"e-mailed to {other.email}" in page
    (message,) = [m for m in mail.outbox if m.to == [other.email]]
    token = message.body.split("/account/set-password/")[1].split()[0]
    assert token not in page
    # Nor through the admin's history of the user.
    history = client.get(f"/admin/accounts/user/{other.pk}/history/")
    assert token not in history.content.decode()
