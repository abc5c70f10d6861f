"""What the timeliness measures share: a form's decision is the first of the
five decision outcomes; ``transferred`` is not one (INDICATORS.md)."""

from __future__ import annotations

from family_connect.models import FormStatus

DECISIONS = (
    FormStatus.ALLOCATED,
    FormStatus.SIGNPOSTED,
    FormStatus.CONSULTATION_GIVEN,
    FormStatus.STEPPED_UP,
    FormStatus.NO_FURTHER_ACTION,
)
