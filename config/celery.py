"""The Celery application.

Reliability settings (QUALITY §3) live in settings.py under ``CELERY_*`` so that one
module holds all configuration; this file only wires the app to Django.
"""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("early_help_connect")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _refuse_bad_configuration(**kwargs: object) -> None:
    """Stop a worker that lacks its configuration before it says it is ready.
    Celery logs and ignores an exception from a signal handler; SystemExit is
    not an Exception, so it ends the process with status 1 and the message."""
    from django.core.exceptions import ImproperlyConfigured

    from config.secret import require_worker_configuration

    try:
        require_worker_configuration()
    except ImproperlyConfigured as exc:
        raise SystemExit(f"The worker cannot start: {exc}") from exc
