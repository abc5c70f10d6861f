"""The Celery application.

Reliability settings (QUALITY §3) live in settings.py under ``CELERY_*`` so that one
module holds all configuration; this file only wires the app to Django.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("early_help_connect")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
