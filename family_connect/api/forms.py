"""``/api/v1/family-connect/``: submit, list and read forms (PRODUCT §4.1); the
form's ETag and ``If-Match``, which triage's decision and match answers use too."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from core.access_log import access_log_record, access_log_record_many
from core.errors import Conflict
from core.view_access import scoped
from family_connect.access import (
    form_get_for_user,
    form_queryset_for_user,
    form_shows_details,
    routes_for_user,
    shows_details,
)
from family_connect.models import FamilyConnectForm, FormMember, Route
from family_connect.selectors import (
    MEMBER_FIELDS,
    form_list_for_user,
    form_rows_for_user,
    form_rows_related,
)
from family_connect.services.submission import form_submit, may_submit
from family_connect.validation import SubmissionSerializer, submission_input

IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY = 255
IF_MATCH_HEADER = "If-Match"


def etag(form: FamilyConnectForm) -> str:
    return f'"{form.version}"'


# The answers that carry the form's ETag say so in the schema.
ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description="The form's version now: send it back as `If-Match` so that a "
    "change is made only if the form is still as you saw it.",
)


def seen_version(request: Request) -> str | None:
    """The form version an ``If-Match`` header names: None when absent or ``*``
    (any version). One ETag only; anything else is a 400."""
    value = (request.headers.get(IF_MATCH_HEADER) or "").strip()
    if not value or value == "*":
        return None
    if value.startswith("W/"):
        # A weak tag never matches for a change (RFC 9110 §13.1.1).
        raise serializers.ValidationError(
            {IF_MATCH_HEADER: ["Send the form's ETag as given, not a weak tag."]}
        )
    tag = value.strip('"')
    if not tag or "," in tag or '"' in tag or len(tag) > 64:
        raise serializers.ValidationError(
            {IF_MATCH_HEADER: ["Send one ETag, as the form's GET gave it."]}
        )
    return tag


class SubmitResponseSerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.CharField()
    locality = serializers.CharField(allow_null=True)


class DecisionSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    decided_at = serializers.DateTimeField()
    reason = serializers.CharField()


class MemberReadSerializer(serializers.ModelSerializer):
    class Meta:
        model = FormMember
        fields = list(MEMBER_FIELDS)
        # Always in the answer. (Not read-only: a read-only choice field loses
        # its blank choice in the schema, and most of these may be blank.)
        extra_kwargs = {name: {"required": True} for name in fields}


class FormStatusOnlySerializer(serializers.ModelSerializer):
    """What a requester sees of a form a colleague in their organisation sent:
    its reference, status, received time, organisation and decision, and no
    details of the family."""

    organisation = serializers.SlugRelatedField(
        slug_field="name",
        read_only=True,
        allow_null=True,
        help_text="null for a form sent by a family or keyed from a phone call",
    )
    decision = serializers.SerializerMethodField()
    duplicate_of = serializers.SlugRelatedField(
        slug_field="reference", read_only=True, allow_null=True
    )

    class Meta:
        model = FamilyConnectForm
        fields = [
            "reference",
            "status",
            "received_at",
            "organisation",
            "decision",
            "duplicate_of",
        ]
        read_only_fields = fields

    @extend_schema_field(DecisionSerializer(allow_null=True))
    def get_decision(self, form: FamilyConnectForm) -> dict[str, Any] | None:
        """The triage decision; null until triage decides."""
        decision = getattr(form, "decision", None)
        if decision is None:
            return None
        return {
            "outcome": decision.outcome,
            "decided_at": decision.decided_at,
            "reason": decision.reason,
        }


class FormReadSerializer(FormStatusOnlySerializer):
    """A form whole: to staff, and to a requester for the forms they sent."""

    locality = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="null until the form is placed in a locality",
    )
    reasons = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    members = MemberReadSerializer(many=True, read_only=True)

    class Meta:
        model = FamilyConnectForm
        fields = [
            "reference",
            "status",
            "locality",
            "route",
            "request_type",
            "received_at",
            "organisation",
            "postcode",
            "level_of_need",
            "reasons",
            "consent",
            "safeguarding_concern",
            "members",
            "decision",
            "duplicate_of",
        ]
        read_only_fields = fields


# A form as the caller may see it: whole, or its status only (requesters, for
# colleagues' forms; see ``access.form_shows_details``). The status-only shape
# has no other keys, so exactly one of the two matches any answer.
def form_for_caller_schema(many: bool = False) -> PolymorphicProxySerializer:
    return PolymorphicProxySerializer(
        component_name="FormForCaller",
        serializers=[FormReadSerializer, FormStatusOnlySerializer],
        resource_type_field_name=None,
        many=many,
    )


def form_data(form: FamilyConnectForm, user: Any) -> dict[str, Any]:
    """The form as this user may read it."""
    return forms_data([form], user)[0]


def forms_data(forms: list[FamilyConnectForm], user: Any) -> list[dict[str, Any]]:
    """Each form as this user may read it, in order. One serializer for each
    shape serves the whole page: a serializer per form would copy every field
    of it again for each form."""
    whole = [form_shows_details(user, form) for form in forms]
    read = iter(
        FormReadSerializer(
            [f for f, w in zip(forms, whole, strict=True) if w], many=True
        ).data
    )
    status_only = iter(
        FormStatusOnlySerializer(
            [f for f, w in zip(forms, whole, strict=True) if not w], many=True
        ).data
    )
    return [next(read) if w else next(status_only) for w in whole]


FORM_LOG_TYPE = FamilyConnectForm._meta.label_lower


def form_rows_data(rows: list[dict[str, Any]], user: Any) -> list[dict[str, Any]]:
    """A page of ``form_rows_for_user`` rows as ``forms_data`` gives the same
    forms (each value through the serializers' own fields, so the answer is
    the same to the character), without a model instance per form and
    member."""
    related = form_rows_related(rows)
    read = FormReadSerializer().fields
    status_only = FormStatusOnlySerializer().fields
    member_fields = MemberReadSerializer().fields
    out = []
    for row in rows:
        decision = related.decisions.get(row["pk"])
        linked: dict[str, Any] = {
            "locality": related.locality_slugs.get(row["locality_id"]),
            "organisation": related.organisation_names.get(row["organisation_id"]),
            "duplicate_of": related.original_references.get(row["duplicate_of_id"]),
            "decision": dict(decision) if decision is not None else None,
        }
        if not shows_details(user, row["requester_id"], row["entered_by_id"]):
            out.append(_shape(status_only, row, linked))
            continue
        linked["reasons"] = related.reason_codes.get(row["pk"], [])
        linked["members"] = [
            _shape(member_fields, member, {})
            for member in related.members.get(row["pk"], [])
        ]
        out.append(_shape(read, row, linked))
    return out


def _shape(fields: Any, row: dict[str, Any], linked: dict[str, Any]) -> dict[str, Any]:
    """A serializer's answer from a row: its linked values as they are, every
    other field's value through that field (None stays None, as in DRF)."""
    shaped = {}
    for name, field in fields.items():
        if name in linked:
            shaped[name] = linked[name]
        else:
            value = row[field.source]
            shaped[name] = None if value is None else field.to_representation(value)
    return shaped


@scoped(form_queryset_for_user, routes_for_user)
class FormListCreateView(GenericAPIView):
    """Submit a Family Connect Form, or list the forms you may see."""

    serializer_class = FormReadSerializer

    def get_queryset(self) -> Any:
        return form_list_for_user(self.request.user)

    @extend_schema(responses=form_for_caller_schema(many=True))
    def get(self, request: Request) -> Response:
        rows = self.paginate_queryset(form_rows_for_user(request.user)) or []
        access_log_record_many(
            user=request.user,
            objs=[(FORM_LOG_TYPE, row["pk"]) for row in rows],
            channel="api",
            request=request,
        )
        return self.get_paginated_response(form_rows_data(rows, request.user))

    @extend_schema(
        request=SubmissionSerializer,
        responses={
            201: SubmitResponseSerializer,
            422: OpenApiResponse(
                description="The Idempotency-Key was used before with another body."
            ),
        },
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="Any unique string up to 255 characters. A retry with "
                "the same key and body returns the form the first request created; "
                "the same key with a different body answers 422.",
            ),
            OpenApiParameter(
                REPLAYED_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                enum=["true"],
                response=[201],
                description="`true` when this answer is the form an earlier request "
                "with the same Idempotency-Key created (nothing new was saved); "
                "absent for a new form.",
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        key = (request.headers.get(IDEMPOTENCY_HEADER) or "").strip()
        if len(key) > MAX_KEY:
            return Response(
                {IDEMPOTENCY_HEADER: [f"At most {MAX_KEY} characters."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        serializer = SubmissionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = submission_input(serializer.validated_data)
        # Bulk lists come through the upload page, which reports row by row.
        if data.route == Route.BULK or not may_submit(request.user, data.route):
            usable = routes_for_user(request.user)
            if not usable:
                raise PermissionDenied("You cannot submit Family Connect Forms.")
            raise ValidationError(
                {
                    "request": {
                        "route": [
                            f"You cannot submit a form by the route {data.route!r}. "
                            f"Routes you may use: {', '.join(usable)}."
                        ]
                    }
                }
            )
        try:
            result = form_submit(data=data, actor=request.user, idempotency_key=key)
        except Conflict as exc:
            return Response(
                {"detail": exc.message, IDEMPOTENCY_HEADER: [exc.message]},
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        form = result.form
        body = {
            "reference": form.reference,
            "status": form.status,
            "locality": form.locality.slug if form.locality else None,
        }
        response = Response(body, status=status.HTTP_201_CREATED)
        if not result.created:
            response[REPLAYED_HEADER] = "true"
        return response


@scoped(form_get_for_user)
class FormDetailView(GenericAPIView):
    """A form, its status, locality and decision, if it is within your scope."""

    serializer_class = FormReadSerializer

    @extend_schema(responses=form_for_caller_schema(), parameters=[ETAG_HEADER])
    def get(self, request: Request, reference: str) -> Response:
        form = form_get_for_user(request.user, reference)
        if form is None:
            raise NotFound()
        access_log_record(user=request.user, obj=form, channel="api", request=request)
        response = Response(form_data(form, request.user))
        response["ETag"] = etag(form)
        return response
