"""Tasks meeting the database or the broker away for a moment are retried with
backoff instead of waiting minutes for the sweeper; the outbox claim keeps a
retried e-mail to one send (QUALITY §3)."""

from __future__ import annotations

from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, connections
from kombu.exceptions import OperationalError as BrokerError

from config.celery import app
from core.models import Notification
from core.tasks import notifications_send
from core.unavailable import TASK_RETRY


@contextmanager
def database_fails_once(error: type[Exception], *, at_query: int = 1):
    """The query numbered ``at_query`` finds the connection gone (PostgreSQL
    restarting); the ones after it reach the database again."""
    connection = connections["default"]
    original = connection.ensure_connection
    calls: list[int] = []
    failures: list[Exception] = []

    def flaky() -> None:
        calls.append(1)
        if len(calls) == at_query:
            failures.append(error("server closed the connection unexpectedly"))
            raise failures[0]
        original()

    with mock.patch.object(connection, "ensure_connection", side_effect=flaky):
        yield failures


def queued(key: str = "form:1:requester") -> Notification:
    return Notification.objects.create(
        key=key, to="requester@example.org", subject="FC-AAAA-BBBB", body="Ref"
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
@pytest.mark.parametrize(
    "at_query",
    [pytest.param(1, id="claiming"), pytest.param(2, id="reading-the-claimed-row")],
)
def test_an_email_task_meeting_a_database_error_is_retried_and_sends_once(
    mailoutbox, error, at_query
):
    """Reading the row fails after the claim was taken: the claim is let go,
    so the retry sends it rather than leaving it to the sweeper minutes later."""
    row = queued()
    with (
        mock.patch.object(
            notifications_send, "retry", wraps=notifications_send.retry
        ) as retry,
        database_fails_once(error, at_query=at_query) as failures,
    ):
        # Eagerly, the retry runs at once (its countdown is skipped), and its
        # result is the task's.
        result = notifications_send.apply(kwargs={"keys": [row.key]}, throw=False)
    assert result.successful() and result.result == 1
    assert len(failures) == 1
    assert retry.call_count == 1
    assert isinstance(retry.call_args.kwargs["exc"], error)
    assert [m.subject for m in mailoutbox] == ["FC-AAAA-BBBB"]
    row.refresh_from_db()
    assert row.sent_at is not None and row.claimed_at is not None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_retry_of_a_sent_email_sends_nothing_more(mailoutbox):
    row = queued()
    notifications_send.apply(kwargs={"keys": [row.key]})
    notifications_send.apply(kwargs={"keys": [row.key]})
    assert len(mailoutbox) == 1


def test_every_task_retries_database_and_broker_errors_with_backoff():
    app.autodiscover_tasks(force=True)
    ours = {
        name: task for name, task in app.tasks.items() if not name.startswith("celery.")
    }
    assert len(ours) >= 9
    for name, task in ours.items():
        retried = set(getattr(task, "autoretry_for", ()))
        assert {OperationalError, InterfaceError, BrokerError, OSError} <= retried, name
        assert task.retry_backoff and task.retry_jitter, name
        assert 0 < task.max_retries <= TASK_RETRY["max_retries"], name
