"""A dependency away for a moment: 503 with ``Retry-After``, never a 500.

While PostgreSQL restarts or fails over, or Redis (the broker and the cache)
restarts, a request cannot be served now but can be sent again unchanged a few
seconds later; a task can be run again the same way. The errors that say so,
the answer a client gets, and the retry policy of tasks are defined here once.
"""

from __future__ import annotations

from typing import Any

import redis
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from kombu.exceptions import OperationalError as BrokerError

from core.http import error_response

# django.db's OperationalError covers a refused or dropped connection, a
# deadlock and a serialisation failure (psycopg's subclasses): all worth one
# more try. IntegrityError, DataError and the like are the request's own fault.
UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (
    OperationalError,
    InterfaceError,
    BrokerError,
    redis.ConnectionError,
    redis.TimeoutError,
)

RETRY_AFTER_SECONDS = 5

MESSAGE = "The service is unavailable for a moment: try again in a moment."

# Celery options for every task: the same errors retried with exponential
# backoff and full jitter (5, 10, 20, 40, 80, 120 s at most, so a worker fleet
# does not return all at once), and OSError for the mail server. Each task is
# idempotent (keyed on a job row), so a retry never doubles its work; the
# countdowns stay far below the broker's visibility timeout.
TASK_RETRY: dict[str, Any] = {
    "autoretry_for": (*UNAVAILABLE_ERRORS, OSError),
    "retry_backoff": 5,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 6,
}


def is_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, UNAVAILABLE_ERRORS)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 in the form the client reads: JSON ``{"detail": ...}`` for the API,
    the "try again in a moment" page otherwise (made without the database)."""
    response = error_response(request, status=503, message=MESSAGE, template="503.html")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
