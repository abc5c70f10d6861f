"""A real Celery worker on the test Redis runs a task queued by the application."""

import time
from datetime import timedelta

from axes.models import AccessAttempt
from django.utils import timezone

from accounts.tasks import access_attempts_purge


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
