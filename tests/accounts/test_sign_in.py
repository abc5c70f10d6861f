from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from accounts.roles import Role
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2():
    user = UserFactory()
    assert user.password.startswith("argon2")


def test_signing_in_lands_on_the_home_page_with_a_new_session_id(client):
    user = UserFactory(role=Role.REQUESTER)
    client.get("/sign-in/")
    before = client.session.session_key
    response = sign_in(client, user)
    assert response.status_code == 302 and response.url == "/"
    assert client.session.session_key != before
    page = client.get("/")
    assert page.status_code == 200
    assert b"Requester" in page.content


def test_unknown_user_and_wrong_password_get_the_same_message(client):
    user = UserFactory()
    wrong_password = client.post(
        "/sign-in/", {"username": user.email, "password": "nope-nope-nope"}
    )
    unknown_user = client.post(
        "/sign-in/", {"username": "nobody@example.org", "password": "nope-nope-nope"}
    )
    assert wrong_password.status_code == unknown_user.status_code == 200
    message = b"Enter a correct e-mail address and password."
    assert message in wrong_password.content and message in unknown_user.content
    assert b"Error: Sign in" in wrong_password.content  # GOV.UK error title prefix


def test_an_over_long_email_is_refused_in_words_not_a_server_error(client):
    from axes.models import AccessAttempt

    response = client.post(
        "/sign-in/", {"username": "x" * 300 + "@example.org", "password": "nope"}
    )
    assert response.status_code == 200
    assert b"E-mail address must be 254 characters or fewer" in response.content
    assert not AccessAttempt.objects.exists()


def test_sign_in_is_case_insensitive_on_the_email(client):
    user = UserFactory(email="mixed@example.org", role=Role.REQUESTER)
    response = client.post(
        "/sign-in/", {"username": "  MIXED@example.org ", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_five_failures_lock_the_username_even_from_another_ip(client):
    user = UserFactory(role=Role.REQUESTER)
    for _ in range(5):
        response = sign_in(client, user, ip="10.0.0.1", password="wrong-password-here")
    assert response.status_code == 429
    # The right password from another address is refused while locked.
    response = sign_in(client, user, ip="192.0.2.77")
    assert response.status_code == 429
    assert b"too many attempts" in response.content
    assert "_auth_user_id" not in client.session
    # A different account from the first address is not affected.
    other = UserFactory(role=Role.REQUESTER)
    assert sign_in(client, other, ip="10.0.0.1").status_code == 302


def test_the_lockout_also_counts_case_variants_of_the_email(client):
    user = UserFactory(email="case@example.org")
    for variant in [
        "case@example.org",
        "CASE@example.org",
        "Case@Example.org",
        "case@EXAMPLE.org",
        " case@example.org",
    ]:
        client.post(
            "/sign-in/", {"username": variant, "password": "wrong-password-here"}
        )
    assert sign_in(client, user).status_code == 429


def test_four_failures_do_not_lock_and_the_lockout_ends_after_15_minutes(client):
    user = UserFactory(role=Role.REQUESTER)
    for _ in range(4):
        sign_in(client, user, password="wrong-password-here")
    assert sign_in(client, user).status_code == 302
    client.post("/sign-out/")
    for _ in range(5):
        sign_in(client, user, password="wrong-password-here")
    assert sign_in(client, user).status_code == 429
    # Each attempt while locked (this one included) restarts the 15 minutes; once
    # they have passed since the last attempt, the right password works again.
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time")
        - settings.AXES_COOLOFF_TIME
        - timedelta(seconds=5)
    )
    assert sign_in(client, user).status_code == 302


def test_idle_sessions_end_after_30_minutes(client):
    user = UserFactory(role=Role.REQUESTER)
    sign_in(client, user)
    session = client.session
    session[LAST_SEEN_AT] = timezone.now().timestamp() - 31 * 60
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/sign-in/")
    assert "_auth_user_id" not in client.session


def test_sessions_end_12_hours_after_sign_in_even_when_active(client):
    user = UserFactory(role=Role.REQUESTER)
    sign_in(client, user)
    session = client.session
    session[SIGNED_IN_AT] = timezone.now().timestamp() - 12 * 3600 - 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/sign-in/")


def test_sign_out_is_a_post_and_ends_the_session(client):
    user = UserFactory(role=Role.REQUESTER)
    sign_in(client, user)
    assert client.get("/sign-out/").status_code == 405
    client.post("/sign-out/")
    assert client.get("/").status_code == 302


def test_the_admin_site_signs_in_through_the_service_sign_in_page(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/sign-in/?next=%2Fadmin%2F"
    assert b"Sign in to Early Help Connect" in response.content


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and response.url == "/sign-in/?next=/"
    page = client.get(response.url)
    assert page.status_code == 200
    assert b"Sign in to Early Help Connect" in page.content
