"""Reads for Our Family Plan."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from casework.models import Case
from localities.models import CommunityService


def plan_community_services(case: Case) -> QuerySet[CommunityService]:
    """The directory's services an action of the case may name: the active
    services of the case's locality and those that work across the city."""
    return CommunityService.objects.filter(active=True).filter(
        Q(locality_id=case.locality_id) | Q(locality__isnull=True)
    )
