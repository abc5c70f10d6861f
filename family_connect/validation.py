"""One validation of a submitted form, whichever way it arrives.

The API body, a bulk-upload row and the web journey's answers are all shaped as the
``request`` + ``household`` objects of IMPORT.md and checked here, so the rules (and
their messages) are the same everywhere. The result is a typed ``SubmissionInput``
for ``services.form_submit``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from core.codes import Ethnicity, LevelOfNeed, MemberRole, Relationship, Sex
from family_connect.models import Reason, RequestType, Route, Send
from localities.models import Locality
from localities.postcodes import postcode_normalise

MAX_MEMBERS = 20
MAX_TEXT = 5000

MSG_CONSENT = _(
    "The family must agree to the request before you can ask for support. "
    "Without their agreement you can only ask for advice (a consultation)."
)
MSG_POSTCODE = _("Enter a real postcode, like B23 6TJ")
MSG_DOB_FUTURE = _("Date of birth must be today or in the past")
MSG_REASONS = _("Select at least one reason for asking for help")
MSG_FRONT_DOOR = _(
    "Confirm that you have contacted the children's advice and support service"
)


@dataclass(frozen=True)
class MemberInput:
    role: str
    given_name: str
    family_name: str
    date_of_birth: dt.date | None = None
    expected: bool = False
    sex: str = ""
    gender_identity: str = ""
    ethnicity: str = ""
    school: str = ""
    send: str = ""
    young_carer: bool | None = None
    relationship: str = ""
    external_id: str = ""


@dataclass(frozen=True)
class SubmissionInput:
    route: str
    request_type: str
    postcode: str
    reasons: tuple[str, ...]
    level_of_need: str
    consent: bool
    members: tuple[MemberInput, ...]
    address_line: str = ""
    household_external_id: str = ""
    locality_slug: str = ""
    consent_given_by: str = ""
    closed_to_social_care_on: dt.date | None = None
    safeguarding_concern: bool = False
    front_door_contacted: bool = False
    family_words: str = ""
    child_voice: str = ""
    working_well: str = ""
    language: str = ""
    interpreter_needed: bool = False
    communication_needs: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _text(max_length: int = 200, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, default="", **kwargs
    )


# The schema states per role what ``MemberSerializer.validate`` requires, as
# IMPORT.md defines a household member; the one validator reads both shapes, so
# bulk rows and the web journey get the same rules and messages.
@extend_schema_field(
    PolymorphicProxySerializer(
        component_name="Member",
        serializers=lambda: {
            MemberRole.CHILD.value: ChildMemberSerializer,
            MemberRole.ADULT.value: AdultMemberSerializer,
        },
        resource_type_field_name="role",
        many=True,
    )
)
class MemberListSerializer(serializers.ListSerializer):
    pass


class MemberSerializer(serializers.Serializer):
    external_id = _text(64)
    role = serializers.ChoiceField(choices=MemberRole.choices)
    given_name = serializers.CharField(max_length=100)
    family_name = serializers.CharField(max_length=100)
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    expected = serializers.BooleanField(required=False, default=False)
    sex = serializers.ChoiceField(
        choices=Sex.choices, required=False, allow_blank=True, default=""
    )
    gender_identity = _text(100)
    ethnicity = serializers.ChoiceField(
        choices=Ethnicity.choices, required=False, allow_blank=True, default=""
    )
    school = _text(200)
    send = serializers.ChoiceField(
        choices=Send.choices, required=False, allow_blank=True, default=""
    )
    young_carer = serializers.BooleanField(
        required=False, allow_null=True, default=None
    )
    relationship = serializers.ChoiceField(
        choices=Relationship.choices, required=False, allow_blank=True, default=""
    )

    class Meta:
        list_serializer_class = MemberListSerializer

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        dob = attrs.get("date_of_birth")
        today = timezone.localdate()
        if attrs["role"] == MemberRole.CHILD:
            if dob is None:
                raise serializers.ValidationError(
                    {"date_of_birth": _("Enter the child's date of birth")}
                )
            if attrs.get("expected"):
                if dob < today:
                    raise serializers.ValidationError(
                        {"date_of_birth": _("A baby's due date must be in the future")}
                    )
            elif dob > today:
                raise serializers.ValidationError({"date_of_birth": MSG_DOB_FUTURE})
        else:
            if attrs.get("expected"):
                raise serializers.ValidationError(
                    {"expected": _("Only a child can be an expected baby")}
                )
            if dob is not None and dob > today:
                raise serializers.ValidationError({"date_of_birth": MSG_DOB_FUTURE})
            if not attrs.get("relationship"):
                raise serializers.ValidationError(
                    {"relationship": _("Select how the adult is related to the child")}
                )
        return attrs


class ChildMemberSerializer(MemberSerializer):
    """A child in the household: the date of birth (an expected baby's due
    date) is required; a relationship is optional."""

    role = serializers.ChoiceField(choices=[MemberRole.CHILD])
    date_of_birth = serializers.DateField(
        help_text="An expected baby's due date when `expected` is true"
    )


class AdultMemberSerializer(MemberSerializer):
    """An adult in the household: how they are related to the child is
    required; the date of birth is optional."""

    role = serializers.ChoiceField(choices=[MemberRole.ADULT])
    relationship = serializers.ChoiceField(
        choices=Relationship.choices, help_text="How the adult is related to the child"
    )
    # Only a child can be an expected baby.
    expected = None


class HouseholdSerializer(serializers.Serializer):
    external_id = _text(64)
    postcode = serializers.CharField(max_length=10)
    address_line = _text(200)
    members = MemberSerializer(many=True, max_length=MAX_MEMBERS)

    def validate_postcode(self, value: str) -> str:
        normalised = postcode_normalise(value)
        if normalised is None:
            raise serializers.ValidationError(MSG_POSTCODE)
        return normalised

    def validate_members(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not any(m["role"] == MemberRole.CHILD for m in value):
            raise serializers.ValidationError(_("Add at least one child"))
        return value


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    phone = _text(30)
    email = serializers.EmailField(required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("phone") and not attrs.get("email"):
            raise serializers.ValidationError(
                {"phone": _("Enter a phone number or an email address")}
            )
        return attrs


class RequestSerializer(serializers.Serializer):
    route = serializers.ChoiceField(choices=Route.choices)
    request_type = serializers.ChoiceField(choices=RequestType.choices)
    organisation = _text(
        200, help_text="Ignored: a form is from its requester's organisation."
    )
    locality = serializers.SlugField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Optional; otherwise resolved from the household postcode.",
    )
    reasons = serializers.ListField(
        child=serializers.CharField(max_length=50), allow_empty=True, max_length=30
    )
    level_of_need = serializers.ChoiceField(choices=LevelOfNeed.choices)
    consent = serializers.BooleanField()
    consent_given_by = _text(200)
    closed_to_social_care_on = serializers.DateField(
        required=False, allow_null=True, default=None
    )
    safeguarding_concern = serializers.BooleanField(required=False, default=False)
    front_door_contacted = serializers.BooleanField(required=False, default=False)
    family_words = _text(MAX_TEXT)
    child_voice = _text(MAX_TEXT)
    working_well = _text(MAX_TEXT)
    language = _text(100)
    interpreter_needed = serializers.BooleanField(required=False, default=False)
    communication_needs = _text(MAX_TEXT)
    contact = ContactSerializer(required=False, allow_null=True, default=None)

    def validate_reasons(self, value: list[str]) -> list[str]:
        codes = list(dict.fromkeys(value))
        if not codes:
            raise serializers.ValidationError(MSG_REASONS)
        known = set(
            Reason.objects.filter(code__in=codes, active=True).values_list(
                "code", flat=True
            )
        )
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise serializers.ValidationError(
                _("Unknown reason: %(codes)s") % {"codes": ", ".join(unknown)}
            )
        return codes

    def validate_locality(self, value: str) -> str:
        if value and not Locality.objects.filter(slug=value).exists():
            raise serializers.ValidationError(_("Unknown locality"))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, Any] = {}
        if attrs["request_type"] == RequestType.SUPPORT and not attrs["consent"]:
            errors["consent"] = MSG_CONSENT
        closed_on = attrs.get("closed_to_social_care_on")
        if attrs["route"] == Route.STEP_DOWN:
            if closed_on is None:
                errors["closed_to_social_care_on"] = _(
                    "Enter the date the child's social care involvement closed"
                )
            elif closed_on > timezone.localdate():
                errors["closed_to_social_care_on"] = _(
                    "The date social care closed must be today or in the past"
                )
        elif closed_on is not None:
            errors["closed_to_social_care_on"] = _(
                "Only a step-down from social care has a social care closure date"
            )
        if attrs.get("safeguarding_concern") and not attrs.get("front_door_contacted"):
            errors["front_door_contacted"] = MSG_FRONT_DOOR
        if attrs["route"] == Route.FAMILY and not attrs.get("contact"):
            errors["contact"] = _("Tell us your name and how to contact you")
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class SubmissionSerializer(serializers.Serializer):
    """A Family Connect Form as submitted: the ``request`` and ``household``
    objects of IMPORT.md, without timestamps, decision or feedback."""

    request = RequestSerializer()
    household = HouseholdSerializer()


def submission_input(validated: dict[str, Any]) -> SubmissionInput:
    """The typed input for ``form_submit`` from a validated serializer."""
    req = validated["request"]
    household = validated["household"]
    contact = req.get("contact") or {}
    return SubmissionInput(
        route=req["route"],
        request_type=req["request_type"],
        postcode=household["postcode"],
        address_line=household["address_line"],
        household_external_id=household["external_id"],
        reasons=tuple(req["reasons"]),
        level_of_need=req["level_of_need"],
        consent=req["consent"],
        consent_given_by=req["consent_given_by"],
        locality_slug=req["locality"],
        closed_to_social_care_on=req["closed_to_social_care_on"],
        safeguarding_concern=req["safeguarding_concern"],
        front_door_contacted=req["front_door_contacted"],
        family_words=req["family_words"],
        child_voice=req["child_voice"],
        working_well=req["working_well"],
        language=req["language"],
        interpreter_needed=req["interpreter_needed"],
        communication_needs=req["communication_needs"],
        contact_name=contact.get("name", ""),
        contact_phone=contact.get("phone", ""),
        contact_email=contact.get("email", ""),
        members=tuple(MemberInput(**m) for m in household["members"]),
    )


def submission_validate(payload: Any) -> tuple[SubmissionInput | None, dict[str, Any]]:
    """Validate a payload; the input, or None and the field errors."""
    serializer = SubmissionSerializer(data=payload)
    if serializer.is_valid():
        return submission_input(serializer.validated_data), {}
    return None, serializer.errors
