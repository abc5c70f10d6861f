"""The Celery application.

Reliability settings (QUALITY §3) live in settings.py under ``CELERY_*`` so that one
module holds all configuration; this file only wires the app to Django, and
stops a worker or beat that lacks its configuration before it starts.
"""

import os
from functools import cached_property
from typing import Any

from celery import Celery
from celery.apps.beat import Beat
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def _refuse(process: str) -> None:
    """End the process with status 1 and the reason when its configuration is
    missing. SystemExit, not an Exception: Celery logs and carries on past an
    exception from a signal handler."""
    from django.core.exceptions import ImproperlyConfigured

    from config.secret import require_worker_configuration

    try:
        require_worker_configuration()
    except ImproperlyConfigured as exc:
        raise SystemExit(f"The {process} cannot start: {exc}") from exc


class CheckedBeat(Beat):
    """``celery beat`` that refuses to start without a broker: otherwise it
    would tick on, sending each due task to a local AMQP server that is not
    there, and never exit. Checked before its banner and its schedule file."""

    def run(self) -> None:
        _refuse("beat")
        super().run()


class Application(Celery):
    @cached_property
    def Beat(self) -> Any:  # noqa: N802 (Celery's name for the beat program)
        return self.subclass_with_self(CheckedBeat)


app = Application("early_help_connect")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _refuse_bad_configuration(**kwargs: object) -> None:
    """Stop a worker that lacks its configuration before it says it is ready."""
    _refuse("worker")
