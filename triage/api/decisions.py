"""``/api/v1/family-connect/{reference}/decision/``: triage's decision on a form
(PRODUCT §3.2, §4.1), as the triage page makes it."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from core.access_log import access_log_record
from core.view_access import scoped
from family_connect.access import form_get_for_user
from family_connect.api.forms import (
    ETAG_HEADER,
    IF_MATCH_HEADER,
    FormReadSerializer,
    etag,
    seen_version,
)
from family_connect.models import FamilyConnectForm, FormStatus
from localities.models import CommunityService, Locality
from triage.access import may_decide
from triage.services.outcomes import form_decide

OUTCOMES = [s for s in FormStatus.values if s != FormStatus.SUBMITTED] + ["transferred"]


class DecisionRequestSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=OUTCOMES)
    reason = serializers.CharField(max_length=5000)
    lead_practitioner = serializers.EmailField(
        required=False, help_text="allocated only: the lead practitioner's e-mail"
    )
    to_locality = serializers.SlugField(required=False, help_text="transferred only")
    community_service = serializers.IntegerField(
        required=False, help_text="signposted only: the community service's id"
    )
    duplicate_of = serializers.CharField(
        required=False,
        max_length=12,
        help_text="duplicate only: the original's reference",
    )


@scoped(form_get_for_user)
class DecisionView(GenericAPIView):
    """Record triage's decision on a form (locality managers). ``409`` when the
    form has already been decided.

    With ``If-Match`` (the ETag of the form's GET), the decision is made only if
    the form is still as the manager saw it: else ``412`` and nothing changes.
    ``withdrawn`` or ``duplicate`` for a form already decided closes it, and needs
    ``If-Match`` (without it: ``409``, already decided); an allocated form cannot
    be closed (``409``)."""

    serializer_class = DecisionRequestSerializer

    @extend_schema(
        request=DecisionRequestSerializer,
        parameters=[
            OpenApiParameter(
                IF_MATCH_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="Optional: the ETag from GET of the form. If the form "
                "has changed since, the answer is 412 and nothing is changed. "
                "Required to withdraw a form already decided or close it as a "
                "duplicate.",
            ),
            ETAG_HEADER,
        ],
        responses={
            200: FormReadSerializer,
            409: OpenApiResponse(
                description="Already decided, or a transition the form cannot make."
            ),
            412: OpenApiResponse(
                description="The form has changed since the ETag in `If-Match`."
            ),
        },
    )
    def post(self, request: Request, reference: str) -> Response:
        form = form_get_for_user(request.user, reference)
        if form is None:
            raise NotFound()
        if not may_decide(request.user, form):
            raise PermissionDenied(
                "Only a manager of the form's locality can decide it."
            )
        serializer = DecisionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        version = seen_version(request)
        links = _decision_links(request.user, data)
        form_decide(
            form_id=form.pk,
            actor=request.user,
            outcome=data["outcome"],
            reason=data["reason"],
            seen_version=version,
            **links,
        )
        # The form as the decision left it (a transfer may move it out of scope).
        form = FamilyConnectForm.objects.select_related(
            "locality", "organisation", "decision", "duplicate_of"
        ).get(pk=form.pk)
        access_log_record(user=request.user, obj=form, channel="api", request=request)
        response = Response(FormReadSerializer(form).data)
        response["ETag"] = etag(form)
        return response


def _decision_links(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Resolve the e-mail, slug, id and reference a decision names; unknown ones
    are field errors."""
    links: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    if "lead_practitioner" in data:
        lead = User.objects.filter(email__iexact=data["lead_practitioner"]).first()
        if lead is None:
            errors["lead_practitioner"] = ["No user has this e-mail address."]
        links["lead_practitioner"] = lead
    if "to_locality" in data:
        locality = Locality.objects.filter(slug=data["to_locality"]).first()
        if locality is None:
            errors["to_locality"] = ["Unknown locality."]
        links["to_locality"] = locality
    if "community_service" in data:
        service = CommunityService.objects.filter(
            pk=data["community_service"], active=True
        ).first()
        if service is None:
            errors["community_service"] = ["Unknown community service."]
        links["community_service"] = service
    if "duplicate_of" in data:
        original = form_get_for_user(user, data["duplicate_of"])
        if original is None:
            errors["duplicate_of"] = ["No form with this reference in your scope."]
        links["duplicate_of"] = original
    if errors:
        raise serializers.ValidationError(errors)
    return links
