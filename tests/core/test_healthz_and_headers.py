import pytest
from django.test import override_settings

from accounts.roles import Role
from tests.factories import UserFactory
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_when_the_database_and_redis_answer(client, settings):
    assert settings.REDIS_URL, "the test command runs the suite with a Redis"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_healthz_answers_503_when_redis_does_not(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["redis"] == "unavailable"


@override_settings(REDIS_URL="")
def test_healthz_without_redis_configured(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["redis"] == "not_configured"


def test_pages_carry_a_strict_content_security_policy_and_security_headers(client):
    response = client.get("/sign-in/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_templates_have_no_inline_scripts_or_styles(client):
    user = UserFactory(role=Role.REQUESTER)
    sign_in(client, user)
    for url in ["/sign-in/", "/"]:
        html = client.get(url).content.decode()
        for tag in html.split("<script")[1:]:
            assert "src=" in tag.split(">")[0], f"inline script on {url}"
        assert "<style" not in html and " style=" not in html


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_SSL_REDIRECT=True)
def test_production_redirects_to_https_and_sends_hsts(client):
    response = client.get("/sign-in/")
    assert response.status_code == 301 and response.url.startswith("https://")
    secure = client.get("/sign-in/", secure=True)
    assert "max-age=31536000" in secure["Strict-Transport-Security"]


def test_unknown_pages_get_the_service_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
