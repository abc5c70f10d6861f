"""The client's address behind a known number of proxies (TRUSTED_PROXY_COUNT):
what the public form's rate limit, the access log and the sign-in lockout use."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client, RequestFactory

from accounts.roles import Role
from core.http import client_ip
from core.models import AccessLog
from family_connect.models import FormDraft
from tests.factories import FormFactory, UserFactory
from tests.helpers import sign_in_verified

PROXY = "10.0.0.5"


def request_from(remote: str = PROXY, forwarded: str | None = None, **extra):
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_with_no_trusted_proxy_forwarded_headers_are_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = request_from("198.51.100.4", "203.0.113.9", HTTP_X_REAL_IP="203.0.113.10")
    assert client_ip(request) == "198.51.100.4"


def test_behind_one_proxy_the_address_it_appended_is_believed(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client sent "X-Forwarded-For: 203.0.113.9"; the proxy appended the
    # address it saw. The client's own entry is ignored.
    assert client_ip(request_from(forwarded="203.0.113.9, 198.51.100.4")) == (
        "198.51.100.4"
    )
    assert client_ip(request_from(forwarded="198.51.100.4")) == "198.51.100.4"


def test_behind_two_proxies_the_second_address_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = request_from(forwarded="1.2.3.4, 198.51.100.4, 10.0.0.9")
    assert client_ip(request) == "198.51.100.4"


def test_an_ipv6_client_is_read_too(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from(forwarded=" 2001:db8::7 ")) == "2001:db8::7"


@pytest.mark.parametrize(
    "forwarded",
    [
        None,  # the proxy did not say: the request did not come through it
        "",
        "   ,  ",
        "not-an-address",
        "198.51.100.4, <script>",
        "198.51.100.4:443",
        "198.51.100.4\x00",
    ],
)
def test_a_missing_or_malformed_header_falls_back_to_the_peer(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from(forwarded=forwarded)) == PROXY


def test_a_chain_shorter_than_the_proxies_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from(forwarded="198.51.100.4")) == PROXY


def test_no_address_at_all_is_none(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="")) is None


@pytest.mark.django_db
def test_two_families_behind_one_proxy_have_their_own_rate_limit(settings):
    from family_connect.views import session

    settings.TRUSTED_PROXY_COUNT = 1
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    cache.clear()  # the local-memory cache outlives each test
    page_limit = session.PAGE_LIMIT
    session.PAGE_LIMIT = (3, 600)
    try:
        first = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.17")
        codes = [first.post("/family-connect/").status_code for _ in range(4)]
        # The first family rotating a header of its own gains nothing.
        spoofed = Client(
            REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.17"
        )
        again = spoofed.post("/family-connect/").status_code
        second = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.18")
        other = second.post("/family-connect/").status_code
    finally:
        session.PAGE_LIMIT = page_limit
        cache.clear()
    assert codes == [302, 302, 302, 429]
    assert again == 429
    assert other == 302
    assert FormDraft.objects.count() == 4


@pytest.mark.django_db
def test_the_access_log_records_the_client_not_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    form = FormFactory()
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.23")
    sign_in_verified(client, manager)
    response = client.get(f"/api/v1/family-connect/{form.reference}/")
    assert response.status_code == 200, response.content[:300]
    entry = AccessLog.objects.get(object_id=str(form.pk))
    assert entry.ip_address == "198.51.100.23"


@pytest.mark.django_db
def test_the_sign_in_lockout_records_the_client_not_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = UserFactory(role=Role.REQUESTER)
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.31")
    for _ in range(5):
        response = client.post(
            "/sign-in/", {"username": user.email, "password": "wrong-password-here"}
        )
    assert response.status_code == 429
    attempt = AccessAttempt.objects.get()
    assert attempt.ip_address == "198.51.100.31"
    assert attempt.failures_since_start == 5
