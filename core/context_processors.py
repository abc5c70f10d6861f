from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

# The phase banner's tag, in the page's language; any other phase is shown as
# it is configured.
PHASES = {"alpha": _("Alpha"), "beta": _("Beta"), "live": _("Live")}


def service(request: HttpRequest) -> dict[str, Any]:
    subject = quote(f"Feedback on {settings.SERVICE_NAME}")
    return {
        "service_name": settings.SERVICE_NAME,
        "service_phase": PHASES.get(
            settings.SERVICE_PHASE.lower(), settings.SERVICE_PHASE.capitalize()
        ),
        "feedback_url": f"mailto:{settings.FEEDBACK_EMAIL}?subject={subject}",
        "two_factor_required": settings.TWO_FACTOR_REQUIRED,
    }
