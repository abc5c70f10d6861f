"""The locality's directory of community services, which triage signposts
families to.
"""

from __future__ import annotations

from django.db import transaction

from core.change_log import change_record
from core.errors import refuse_if_any
from localities.models import CommunityService, Locality


def community_service_save(
    *,
    locality: Locality,
    name: str,
    category: str,
    contact: str,
    actor: object,
    service_id: int | None = None,
    active: bool = True,
) -> CommunityService:
    """Add a community service to a locality's directory, or change one of its
    own (city-wide services are the administrators')."""
    name, category, contact = (v.strip() for v in (name, category, contact))
    errors = [
        (field, message)
        for field, value, message in (
            ("name", name, "Enter the service's name"),
            ("category", category, "Enter what kind of help it gives"),
            ("contact", contact, "Enter how families contact it"),
        )
        if not value
    ]
    refuse_if_any(errors)
    with transaction.atomic():
        fields = ("name", "category", "contact", "active")
        before = None
        if service_id is None:
            service = CommunityService(locality=locality)
        else:
            service = CommunityService.objects.select_for_update().get(
                pk=service_id, locality=locality
            )
            before = {f: getattr(service, f) for f in fields}
        service.name, service.category, service.contact = name, category, contact
        service.active = active
        service.save()
        after = {f: getattr(service, f) for f in fields}
        change_record(actor=actor, obj=service, before=before, after=after)
    return service
