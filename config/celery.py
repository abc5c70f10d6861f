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
def _require_secret_key(**kwargs: object) -> None:
    from config.secret import require_secret_key

    require_secret_key()
