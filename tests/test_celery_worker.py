"""A real Celery worker on the test Redis runs a task queued by the application."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone

from accounts.tasks import access_attempts_purge

ROOT = Path(__file__).resolve().parent.parent


def failed_sign_in(username: str, *, age: timedelta) -> AccessAttempt:
    attempt = AccessAttempt.objects.create(
        username=username,
        ip_address="192.0.2.1",
        user_agent="test",
        get_data="",
        post_data="",
        http_accept="",
        path_info="/sign-in/",
        failures_since_start=5,
    )
    AccessAttempt.objects.filter(pk=attempt.pk).update(
        attempt_time=timezone.now() - age
    )
    return attempt


def test_a_queued_task_runs_on_a_real_worker(real_celery_worker):
    old = failed_sign_in("someone@example.org", age=timedelta(days=1))
    recent = failed_sign_in("other@example.org", age=timedelta(minutes=1))
    access_attempts_purge.delay()
    deadline = time.monotonic() + 60
    while AccessAttempt.objects.filter(pk=old.pk).exists():
        assert real_celery_worker.poll() is None, real_celery_worker.output()
        assert time.monotonic() < deadline, "the worker did not run the task"
        time.sleep(0.2)
    assert AccessAttempt.objects.filter(pk=recent.pk).exists()


def start_celery(
    tmp_path: Path, program: list[str], ready: str, **env: str
) -> tuple[int | None, str]:
    """Start ``celery -A config PROGRAM`` with ``env`` over the test environment
    (an empty value removes the variable); wait until it exits or its log says
    ``ready`` (at most 30 s). Returns its exit code (None if still running, then
    stopped) and its log."""
    environ = {**os.environ, "DEBUG": "0"}
    for name, value in env.items():
        if value:
            environ[name] = value
        else:
            environ.pop(name, None)
    log = tmp_path / f"{program[0]}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", *program],
            cwd=ROOT,
            env=environ,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None or ready in log.read_text(errors="replace"):
                break
            time.sleep(0.2)
        return process.poll(), log.read_text(errors="replace")
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def start_worker(tmp_path: Path, **env: str) -> tuple[int | None, str]:
    return start_celery(
        tmp_path,
        ["worker", "--pool", "solo", "--loglevel", "INFO", "--without-gossip"]
        + ["--without-mingle", "--without-heartbeat"],
        "ready",
        **env,
    )


def start_beat(tmp_path: Path, **env: str) -> tuple[int | None, str]:
    # Its schedule file in the test's directory, not the project's.
    schedule = str(tmp_path / "beat-schedule")
    return start_celery(
        tmp_path,
        ["beat", "--loglevel", "INFO", "--schedule", schedule],
        "beat: Starting...",
        **env,
    )


MISSING = pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"REDIS_URL": "", "CELERY_BROKER_URL": ""}, "CELERY_BROKER_URL or REDIS_URL"),
    ],
    ids=["no-secret-key", "no-broker"],
)


@MISSING
def test_a_worker_refuses_to_start_without_its_configuration(tmp_path, env, message):
    code, output = start_worker(tmp_path, **env)
    assert code is not None and code != 0, output
    assert "ready" not in output
    assert f"The worker cannot start: {message}" in output, output


def test_a_worker_with_its_configuration_starts(tmp_path):
    assert settings.REDIS_URL
    code, output = start_worker(tmp_path)
    assert code is None, output
    assert "ready" in output


@MISSING
def test_beat_refuses_to_start_without_its_configuration(tmp_path, env, message):
    """Without a broker beat would send every due task to a local AMQP server
    that is not there, for ever; it stops at once with the reason instead."""
    started = time.monotonic()
    code, output = start_beat(tmp_path, **env)
    assert code is not None and code != 0, output
    assert time.monotonic() - started < 20
    assert "beat: Starting" not in output
    assert f"The beat cannot start: {message}" in output, output


def test_beat_with_its_configuration_starts(tmp_path):
    assert settings.REDIS_URL
    code, output = start_beat(tmp_path)
    assert code is None, output
    assert "beat: Starting..." in output
