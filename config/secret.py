"""The start-up check of the serving processes: no secret key, no service."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_secret_key() -> None:
    if not getattr(settings, "SECRET_KEY", ""):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
