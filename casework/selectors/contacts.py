"""Reads of the professionals around a family."""

from __future__ import annotations

from django.db import models
from django.db.models import IntegerField, QuerySet, Value, When
from django.db.models.functions import Lower

from casework.models import CaseContact, ContactKind


def case_contacts(case_id: int) -> QuerySet[CaseContact]:
    """A case's professional contacts in one query: GP, school, health visitor,
    social worker, then anyone else; by name within each."""
    rank = models.Case(
        *[When(kind=kind, then=Value(i)) for i, kind in enumerate(ContactKind.values)],
        default=Value(len(ContactKind.values)),
        output_field=IntegerField(),
    )
    return (
        CaseContact.objects.filter(case_id=case_id)
        .annotate(kind_rank=rank)
        .order_by("kind_rank", Lower("name"), "pk")
    )
