"""Social care referrals made outside early help, from any channel: keyed in on
the person page, ``POST /api/v1/social-care-referrals/`` and a CSV upload.

All three read the same input (``ReferralInput``), find the person within the
user's scope the same way, and record through
``social_care_referral_record``, which makes a repeated referral (same
person, same moment) one referral.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from rest_framework import serializers

from accounts.models import User
from casework.access import person_queryset_for_user
from casework.models import SocialCareReferral
from core.access_log import access_log_record
from core.errors import DomainError, InvalidInput
from core.uploads import RowError, csv_rows, csv_template
from families.models import Person

COLUMNS = ["person", "person_external_id", "referred_at", "reason"]
EXAMPLE = {
    "person": "1234",
    "person_external_id": "",
    "referred_at": "2026-10-01T09:30:00+01:00",
    "reason": "Referred by the school after a disclosure.",
}
MSG_PERSON = "No person with this id in the cases you work."


class ReferralInput(serializers.Serializer):
    person = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="The person's id in Early Help Connect (or give person_external_id)",
    )
    person_external_id = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text="The person's id in the records import (or give person)",
    )
    referred_at = serializers.DateTimeField(
        help_text="ISO 8601; without an offset it is UK time"
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        has_id = attrs.get("person") is not None
        has_external = bool((attrs.get("person_external_id") or "").strip())
        if has_id == has_external:
            raise serializers.ValidationError(
                {"person": ["Give the person's id or their external id (one of them)."]}
            )
        return attrs


def social_care_referral_record(
    *, person: Person, actor: User, referred_at: datetime, reason: str = ""
) -> tuple[SocialCareReferral, bool]:
    """Record a referral to children's social care made outside early help (for
    the post-closure check); returns it and whether it is new. The same person
    referred at the same moment is one referral, so keying it in, the API and
    a CSV uploaded twice never count it twice. Preconditions: the caller
    resolved the person through ``access.person_queryset_for_user``."""
    if referred_at > timezone.now():
        raise InvalidInput(
            "The referral date cannot be in the future", field="referred_at"
        )
    reason = (reason or "").strip()
    if len(reason) > 5000:
        raise InvalidInput(
            "The reason must be 5000 characters or fewer", field="reason"
        )
    with transaction.atomic():
        Person.objects.select_for_update().get(pk=person.pk)
        existing = SocialCareReferral.objects.filter(
            person=person,
            referred_at=referred_at,
            source=SocialCareReferral.Source.EXTERNAL,
        ).first()
        if existing is not None:
            return existing, False
        referral = SocialCareReferral.objects.create(
            person=person,
            referred_at=referred_at,
            source=SocialCareReferral.Source.EXTERNAL,
            reason=reason,
            recorded_by=actor,
        )
    return referral, True


def referral_person_for_user(user: Any, data: dict[str, Any]) -> Person:
    """The person a referral is about, if the user works their case."""
    people = person_queryset_for_user(user)
    if data.get("person") is not None:
        person = people.filter(pk=data["person"]).first()
    else:
        person = people.filter(external_id=data["person_external_id"].strip()).first()
    if person is None:
        raise InvalidInput(MSG_PERSON, field="person")
    return person


def referral_record_for_user(
    *,
    user: User,
    data: dict[str, Any],
    channel: str,
    request: HttpRequest | None = None,
) -> tuple[SocialCareReferral, bool]:
    """Find the person within scope, record the referral, log the read."""
    person = referral_person_for_user(user, data)
    recorded = social_care_referral_record(
        person=person,
        actor=user,
        referred_at=data["referred_at"],
        reason=data.get("reason") or "",
    )
    access_log_record(user=user, obj=person, channel=channel, request=request)
    return recorded


@dataclass
class ReferralUploadResult:
    created: list[SocialCareReferral] = field(default_factory=list)
    already: list[SocialCareReferral] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0


def template_csv() -> str:
    return csv_template(COLUMNS, EXAMPLE)


def _row_errors(row: int, errors: dict[str, Any]) -> list[RowError]:
    found = []
    for column, messages in errors.items():
        column = "person" if column == "non_field_errors" else column
        for message in messages if isinstance(messages, list) else [messages]:
            found.append(RowError(row, column, str(message)))
    return found


def referrals_upload(
    *, content: bytes, actor: User, request: HttpRequest | None = None
) -> ReferralUploadResult:
    """Record each valid row (each in its own transaction) and report every bad
    row by row and column; a bad row records nothing. Uploading the same file
    again records nothing new. Raises InvalidInput when the file itself cannot
    be read."""
    rows = csv_rows(content, required=["referred_at"])
    if not {"person", "person_external_id"} & set(rows[0]):
        raise InvalidInput(
            "The file needs a person or person_external_id column. "
            "Download the template to see the columns."
        )
    result = ReferralUploadResult(rows=len(rows))
    for i, row in enumerate(rows, start=2):
        body: dict[str, str | None] = {k: (row.get(k) or "").strip() for k in COLUMNS}
        body["person"] = body["person"] or None
        serializer = ReferralInput(data=body)
        if not serializer.is_valid():
            result.errors.extend(_row_errors(i, serializer.errors))
            continue
        try:
            referral, created = referral_record_for_user(
                user=actor,
                data=serializer.validated_data,
                channel="csv",
                request=request,
            )
        except DomainError as exc:
            result.errors.append(RowError(i, exc.field or "", exc.message))
            continue
        (result.created if created else result.already).append(referral)
    return result
