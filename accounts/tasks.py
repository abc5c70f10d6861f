from __future__ import annotations

from axes.models import AccessAttempt
from celery import shared_task
from django.conf import settings
from django.utils import timezone

from core.unavailable import TASK_RETRY


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100, **TASK_RETRY)
def access_attempts_purge() -> int:
    """Remove failed-sign-in records whose lockout period is long over.

    Idempotent: running it twice deletes nothing more the second time.
    """
    cutoff = timezone.now() - settings.AXES_COOLOFF_TIME * 4
    deleted, _ = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()
    return deleted
