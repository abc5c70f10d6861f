"""The start-up checks of the serving processes: no secret key (or, for a Celery
worker or beat, no broker), no service."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_secret_key() -> None:
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django's own refusal of an empty key
        key = ""
    if not key:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")


def require_worker_configuration() -> None:
    """What a Celery worker or beat needs besides the web process's secret key:
    a broker. Without one Celery would quietly try a local AMQP server, and the
    web processes run their tasks themselves anyway (the embedded demo), so a
    worker has nothing to take tasks from and beat nowhere to send them, in
    DEBUG or not."""
    require_secret_key()
    if not settings.CELERY_BROKER_URL:
        raise ImproperlyConfigured(
            "CELERY_BROKER_URL or REDIS_URL must be set for a Celery worker or beat."
        )
