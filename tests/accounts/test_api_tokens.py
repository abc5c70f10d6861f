"""API tokens expire, are listed and revocable by their owner and by
administrators, and end when the owner changes their password."""

from __future__ import annotations

import datetime as dt
import importlib
from unittest import mock

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.roles import Role
from accounts.services import api_token_issue, api_token_user
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.helpers import sign_in, sign_in_verified

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-much-longer-passphrase-2026"


def api_status(raw: str) -> int:
    return APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {raw}").status_code


def at(moment: dt.datetime):
    return mock.patch.object(timezone, "now", return_value=moment)


ISSUED = timezone.now()


def test_a_token_works_for_90_days_and_then_is_refused():
    user = UserFactory(role=Role.REQUESTER)
    with at(ISSUED):
        raw = api_token_issue(user=user)
    token = ApiToken.objects.get(user=user)
    assert token.expires_at == token.created_at + dt.timedelta(days=90)
    assert api_status(raw) == 200
    with at(token.created_at + dt.timedelta(days=89, hours=23)):
        assert api_token_user(raw) == user
    with at(token.expires_at + dt.timedelta(seconds=1)):
        assert api_token_user(raw) is None
        assert api_status(raw) == 401


@override_settings(API_TOKEN_LIFETIME_DAYS=7)
def test_the_lifetime_is_a_setting():
    user = UserFactory(role=Role.REQUESTER)
    with at(ISSUED):
        raw = api_token_issue(user=user)
    token = ApiToken.objects.get()
    assert token.expires_at == ISSUED + dt.timedelta(days=7)
    with at(token.created_at + dt.timedelta(days=8)):
        assert api_token_user(raw) is None


def test_a_password_change_revokes_every_token_of_the_user_and_the_email_says_so(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(role=Role.REQUESTER)
    mine = [api_token_issue(user=user, name=n) for n in ("school MIS", "script")]
    other_user = UserFactory(role=Role.REQUESTER)
    theirs = api_token_issue(user=other_user)
    sign_in(client, user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/account/password/",
            {"current": DEFAULT_PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        )
    assert response.status_code == 302
    assert [api_status(raw) for raw in mine] == [401, 401]
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    assert api_status(theirs) == 200
    (message,) = mail.outbox
    assert "API tokens" in message.body and "revoked" in message.body


def test_a_refused_password_change_keeps_the_tokens(client):
    user = UserFactory(role=Role.REQUESTER)
    raw = api_token_issue(user=user)
    sign_in(client, user)
    response = client.post(
        "/account/password/",
        {"current": "not-my-password", "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert api_status(raw) == 200


def test_the_owner_sees_their_own_tokens_only(client):
    user = UserFactory(role=Role.REQUESTER)
    api_token_issue(user=user, name="school MIS")
    api_token_issue(user=user, name="old script")
    ApiToken.objects.filter(name="old script").update(revoked_at=timezone.now())
    api_token_issue(user=user, name="last year's export")
    ApiToken.objects.filter(name="last year's export").update(
        expires_at=timezone.now() - dt.timedelta(days=1)
    )
    other = UserFactory(role=Role.REQUESTER)
    api_token_issue(user=other, name="Qzx importer")
    sign_in(client, user)
    page = client.get("/account/api-tokens/")
    assert page.status_code == 200
    text = page.content.decode()
    for token in ApiToken.objects.filter(user=user):
        assert token.prefix in text
    assert "school MIS" in text and "old script" in text
    assert "Active" in text and "Revoked" in text and "Expired" in text
    # Only the active token can be revoked.
    assert text.count("/revoke/") == 1
    assert "Qzx" not in text
    assert ApiToken.objects.get(user=other).prefix not in text
    assert "no-store" in page["Cache-Control"]


def test_the_owner_revokes_their_token(client):
    user = UserFactory(role=Role.REQUESTER)
    raw = api_token_issue(user=user, name="school MIS")
    token = ApiToken.objects.get(user=user)
    sign_in(client, user)
    response = client.post(f"/account/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert response["Location"] == "/account/api-tokens/"
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_status(raw) == 401
    page = client.get("/account/api-tokens/")
    assert "has been revoked" in page.content.decode()


def test_nobody_revokes_another_users_token_and_nothing_changes(client):
    owner = UserFactory(role=Role.REQUESTER)
    raw = api_token_issue(user=owner)
    token = ApiToken.objects.get(user=owner)
    sign_in(client, UserFactory(role=Role.REQUESTER))
    assert client.post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 404
    assert client.post("/account/api-tokens/999999/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    assert api_status(raw) == 200


def test_revoking_needs_a_post_with_the_csrf_token():
    from django.test import Client

    user = UserFactory(role=Role.REQUESTER)
    api_token_issue(user=user)
    token = ApiToken.objects.get(user=user)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get(f"/account/api-tokens/{token.pk}/revoke/").status_code == 405
    assert client.post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 403
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_administrators_revoke_tokens_in_the_admin_and_cannot_edit_revoked_at(
    client,
):
    admin_user = UserFactory(
        role=Role.ADMINISTRATOR, organisation=None, is_staff=True, is_superuser=True
    )
    owner = UserFactory(role=Role.REQUESTER)
    revoked, kept = api_token_issue(user=owner), api_token_issue(user=owner)
    token = ApiToken.objects.get(prefix=revoked[:8])
    sign_in_verified(client, admin_user)
    response = client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    assert api_status(revoked) == 401 and api_status(kept) == 200
    page = client.get(f"/admin/accounts/apitoken/{token.pk}/change/")
    assert page.status_code == 200
    assert b'name="revoked_at' not in page.content
    assert b'name="expires_at' not in page.content


def test_existing_tokens_expire_a_lifetime_after_they_were_issued():
    from django.apps import apps

    migration = importlib.import_module("accounts.migrations.0004_api_token_expires_at")
    api_token_issue(user=UserFactory(role=Role.REQUESTER))
    issued = dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC)
    ApiToken.objects.update(created_at=issued, expires_at=issued)
    migration.expire_existing_tokens(apps, None)
    assert ApiToken.objects.get().expires_at == issued + dt.timedelta(days=90)
