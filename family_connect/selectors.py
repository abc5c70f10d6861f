"""Reads of Family Connect Forms, with the joins their pages need."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from accounts.access import Viewer
from family_connect.access import form_queryset_for_user
from family_connect.models import FamilyConnectForm, FormMember, Reason


def form_list_for_user(user: Viewer) -> QuerySet[FamilyConnectForm]:
    """The user's forms, newest first, with what a list shows in constant queries."""
    return (
        form_queryset_for_user(user)
        .select_related("locality", "organisation", "decision", "duplicate_of")
        .prefetch_related(
            Prefetch("reasons", queryset=Reason.objects.only("code", "label")),
            Prefetch("members", queryset=FormMember.objects.order_by("position")),
        )
        .order_by("-received_at", "-pk")
    )


def form_reason_codes(form: FamilyConnectForm) -> list[str]:
    return sorted(r.code for r in form.reasons.all())
