"""Passwords follow the NCSC's guidance: long enough, not a common password,
not like the user's name or e-mail, and not a repeated character, a repeated
pattern or a keyboard or alphabet sequence. No composition rules."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_save
from core.errors import InvalidInput
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db

GUESSABLE = [
    "aaaaaaaaaaaa",
    "abcabcabcabc",
    "123456789012",
    "qwertyuiopas",
    "zyxwvutsrqpo",
    "987654321098",
    "121212121212",
    "aaaaaabbbbbb",
    "AAAAaaaaAAAA",
    "!@#$%^&*()!@",
    "blueberryblueberry",
]
GOOD = [
    "plum violin harbour 42",
    "tangerine-otter-lampshade",
    "483920175638",  # random digits: long enough, and no pattern
]
MESSAGE = "Your password must not be a repeated character, a repeated pattern"


@pytest.mark.parametrize("password", GUESSABLE)
def test_a_guessable_password_is_refused_when_creating_a_user(password):
    with pytest.raises(InvalidInput, match=MESSAGE):
        user_save(email="new@example.org", role=Role.REQUESTER, password=password)
    assert not User.objects.filter(email="new@example.org").exists()


def test_create_user_refuses_a_repeated_character_and_creates_nobody():
    with pytest.raises(CommandError, match=MESSAGE):
        call_command(
            "create_user",
            "new@example.org",
            "--role",
            "practitioner",
            "--password",
            "aaaaaaaaaaaa",
            stdout=StringIO(),
        )
    assert not User.objects.filter(email="new@example.org").exists()


@pytest.mark.parametrize("password", GOOD)
def test_a_good_password_is_accepted(password):
    result = user_save(email="new@example.org", role=Role.REQUESTER, password=password)
    assert result.user.check_password(password)


def test_a_password_change_to_a_repeated_character_is_refused_and_changes_nothing(
    client,
):
    user = UserFactory(role=Role.REQUESTER)
    sign_in(client, user)
    response = client.post(
        "/account/password/",
        {
            "current": DEFAULT_PASSWORD,
            "new": "aaaaaaaaaaaa",
            "confirm": "aaaaaaaaaaaa",
        },
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_a_password_change_to_a_passphrase_is_accepted(client):
    user = UserFactory(role=Role.REQUESTER)
    sign_in(client, user)
    response = client.post(
        "/account/password/",
        {
            "current": DEFAULT_PASSWORD,
            "new": GOOD[0],
            "confirm": GOOD[0],
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(GOOD[0])
