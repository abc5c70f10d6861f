"""Every header the security specification asks for, on the settings that
production computes (read from the settings module in a production
environment): pages, case pages, the API, a CSV and a PDF download."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.test import override_settings

from accounts.roles import Role
from tests.factories import (
    DEFAULT_PASSWORD,
    CaseFactory,
    TOTPDeviceFactory,
    UserFactory,
)
from tests.helpers import totp_now
from tests.test_configuration import ROOT, production_env

pytestmark = pytest.mark.django_db

SECURITY_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
]


@pytest.fixture(scope="module")
def production():
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {SECURITY_SETTINGS!r}}}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**production_env(), "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    values = json.loads(out.strip().splitlines()[-1])
    assert values["SECURE_SSL_REDIRECT"] and values["SECURE_HSTS_SECONDS"] >= 31536000
    return values


def test_every_security_header_under_production_settings(client, production):
    with override_settings(**production, ALLOWED_HOSTS=["testserver"]):
        plain = client.get("/sign-in/")
        assert plain.status_code == 301 and plain.url.startswith("https://")
        lead = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
        case = CaseFactory(lead_practitioner=lead)
        device = TOTPDeviceFactory(user=lead)
        signed = client.post(
            "/sign-in/",
            {"username": lead.email, "password": DEFAULT_PASSWORD},
            secure=True,
        )
        assert signed.status_code == 302
        verified = client.post(
            "/account/two-factor/verify/", {"code": totp_now(device)}, secure=True
        )
        assert verified.status_code == 302
        cookie = client.cookies["sessionid"]
        assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
        assert client.cookies["csrftoken"]["secure"]
        for url in (
            "/",
            f"/cases/{case.pk}/",
            f"/api/v1/cases/{case.pk}/",
            "/cases/social-care-referrals/template.csv",
            "/family-connect/",
        ):
            response = client.get(url, secure=True)
            assert response.status_code == 200, url
            hsts = response["Strict-Transport-Security"]
            assert "max-age=31536000" in hsts and "includeSubDomains" in hsts, url
            assert response["X-Content-Type-Options"] == "nosniff", url
            assert response["X-Frame-Options"] == "DENY", url
            assert response["Referrer-Policy"] == "same-origin", url
            assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
            assert "no-store" in response["Cache-Control"], url
            csp = response["Content-Security-Policy"]
            assert "default-src 'none'" in csp and "unsafe-inline" not in csp, url
            assert "frame-ancestors 'none'" in csp, url
