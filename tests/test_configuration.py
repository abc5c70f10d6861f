"""Configuration: production checks, Celery reliability settings, the compose file."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def production_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "SESSION_", "CSRF_", "DJANGO_ALLOW_ASYNC"))
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="early-help.example.org",
        **extra,
    )
    return env


def test_check_deploy_passes_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_without_https_settings():
    # The check above could not fail if the settings never reached it.
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(SECURE_SSL_REDIRECT="0"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (
        result.returncode != 0
        and "SECURE_SSL_REDIRECT" in result.stdout + result.stderr
    )


def run_without_secret_key(*args: str) -> subprocess.CompletedProcess:
    env = production_env()
    env.pop("SECRET_KEY")
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_web_process_refuses_to_start_without_a_secret_key():
    result = run_without_secret_key("-c", "import config.wsgi")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY" in result.stderr


# A real worker without its secret key or broker: tests/test_celery_worker.py.


def test_tools_that_sign_nothing_run_without_a_secret_key():
    result = run_without_secret_key(
        "manage.py", "makemigrations", "--check", "--dry-run"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_celery_reliability_settings():
    from config.celery import app

    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_time_limit and conf.task_soft_time_limit < conf.task_time_limit
    visibility = conf.broker_transport_options["visibility_timeout"]
    assert visibility > conf.task_time_limit
    # No longer than the longest task needs: a whole worker's death is noticed
    # by the job reaper, and its message delivered again, well within the hour.
    assert visibility <= conf.task_time_limit + 5 * 60
    assert conf.task_soft_time_limit > settings.JOB_LEASE_SECONDS
    assert conf.timezone == "Europe/London"
    assert settings.TIME_ZONE == "Europe/London" and settings.USE_TZ


def test_every_beat_entry_names_a_registered_task():
    from config.celery import app

    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name


def test_compose_declares_every_service_with_health_checks_and_volumes():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    for name in ("db", "redis", "web", "worker", "beat"):
        assert "healthcheck" in services[name], name
    assert "volumes" in services["db"] and "volumes" in services["redis"]
    assert set(compose["volumes"]) >= {"pgdata", "redisdata"}
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert "DATABASE_URL" in env and "REDIS_URL" in env and "SECRET_KEY" in env
        assert str(env.get("DEBUG", "0")) in {"0", "false", "False"}
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert (
        "worker" in services["worker"]["command"]
        and "beat" in services["beat"]["command"]
    )
    assert (ROOT / "Dockerfile").exists()


def compose_default(value: object) -> str:
    """A compose value with every ``${NAME:-default}`` read as its default."""
    return re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", str(value))


def test_compose_believes_exactly_the_proxy_in_front_of_web():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    web = compose["services"]["web"]
    env = web["environment"]
    # The TLS proxy appends the client's address; the app believes one entry.
    assert env["BEHIND_TLS_PROXY"] == "1"
    assert compose_default(env["TRUSTED_PROXY_COUNT"]) == "1"
    assert "TRUST_X_REAL_IP" not in env
    # Nobody but that proxy reaches gunicorn, so nobody else writes the header.
    for port in web["ports"]:
        host, _, container = compose_default(port).rpartition(":")
        assert container == "8000"
        assert host == "127.0.0.1:8000", port


def test_readme_names_the_two_commands_and_ci_calls_the_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_a_visibility_timeout_below_the_task_time_limit_is_refused():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=production_env(
            CELERY_TASK_TIME_LIMIT="900", CELERY_VISIBILITY_TIMEOUT="600"
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "CELERY_VISIBILITY_TIMEOUT must be above" in result.stderr


def test_production_does_not_install_the_demo_data_generator():
    def installed(**extra: str) -> str:
        env = {k: v for k, v in production_env(**extra).items() if k != "DEMO_DATA"}
        env.update(extra)
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                "import django; django.setup(); from django.conf import settings; "
                "print('demo' in settings.INSTALLED_APPS)",
            ],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert installed() == "False"
    assert installed(DEMO_DATA="1") == "True"
