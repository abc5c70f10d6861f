"""The demo (``make run``) runs with DEMO=1 and DEBUG off: the service's own
not-found and error pages, static files still served, plain HTTP on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.core.handlers.exception import response_for_exception
from django.test import Client, RequestFactory

client = Client(HTTP_HOST="127.0.0.1")
missing = client.get("/no-such-page/")
static = client.get("/static/core/app.css")
request = RequestFactory(HTTP_HOST="127.0.0.1").get("/cases/")
failed = response_for_exception(request, RuntimeError("boom"))
print(json.dumps({
    "debug": settings.DEBUG,
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "secure_cookie": settings.SESSION_COOKIE_SECURE,
    "two_factor": settings.TWO_FACTOR_REQUIRED,
    "demo_app": "demo" in settings.INSTALLED_APPS,
    "missing": [missing.status_code, missing.content.decode()],
    "static": static.status_code,
    "failed": [failed.status_code, failed.content.decode()],
}))
"""


def demo_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "SESSION_", "CSRF_", "DJANGO_ALLOW_ASYNC"))
        and k
        not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "DEBUG"}
    }
    # As scripts/run.sh starts it.
    env.update(DEMO="1", TWO_FACTOR_REQUIRED="0", **extra)
    return env


def run_probe(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_demo_shows_the_services_own_error_pages_and_serves_static_files():
    result = run_probe(demo_env())
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["debug"] is False
    status, page = seen["missing"]
    assert status == 404
    assert 'data-testid="not-found"' in page
    assert "Using the URLconf" not in page  # Django's debugging 404
    status, page = seen["failed"]
    assert status == 500
    assert "Sorry, there is a problem with the service" in page
    assert "Traceback" not in page
    assert seen["static"] == 200
    # What a machine of one's own needs: plain HTTP on loopback, the demo's
    # sign-ins without two-factor, and its data generator.
    assert seen["allowed_hosts"] == ["127.0.0.1", "localhost"]
    assert seen["ssl_redirect"] is False
    assert seen["secure_cookie"] is False
    assert seen["two_factor"] is False
    assert seen["demo_app"] is True


def test_the_demo_refuses_any_host_but_loopback():
    result = run_probe(demo_env(ALLOWED_HOSTS="early-help.example.org"))
    assert result.returncode != 0
    assert "DEMO serves only 127.0.0.1 and localhost" in result.stderr


def test_the_run_command_starts_the_demo_with_debug_off():
    script = (ROOT / "scripts" / "run.sh").read_text()
    assert "export DEMO=1" in script
    assert "export DEBUG=${DEBUG:-0}" in script


@pytest.mark.django_db
def test_demo_sign_ins_are_refused_outside_the_demo_and_debug(settings):
    settings.LOCAL = False
    with pytest.raises(CommandError):
        call_command("demo_users", "--quiet", stdout=StringIO())
