"""``/api/v1/cases/``: the cases you may see (read only), and
``/api/v1/social-care-referrals/``: referrals to social care made elsewhere."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from casework.access import (
    case_queryset_for_user,
    may_upload_referrals,
    person_queryset_for_user,
    sees_team_view_only,
)
from casework.models import (
    OPEN_STATUSES,
    Case,
    CaseMember,
    CaseStatus,
    SocialCareReferral,
)
from casework.selectors.cases import PEOPLE_ORDER
from casework.services.referrals import ReferralInput, referral_record_for_user
from core.access_log import access_log_record_many
from core.view_access import scoped
from families.models import Person
from localities.api import locality_param


class SocialCareReferralResponse(serializers.ModelSerializer):
    class Meta:
        model = SocialCareReferral
        fields = ["id", "person", "referred_at", "source", "reason"]
        read_only_fields = fields


@scoped(may_upload_referrals, person_queryset_for_user)
class SocialCareReferralCreateView(GenericAPIView):
    """Record a referral to children's social care made outside early help, for a
    person in a case you work (practitioners and locality managers)."""

    serializer_class = ReferralInput

    @extend_schema(
        responses={
            201: SocialCareReferralResponse,
            200: OpenApiResponse(
                SocialCareReferralResponse,
                description="Already recorded: the same person at the same moment",
            ),
        }
    )
    def post(self, request: Request) -> Response:
        serializer = ReferralInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        referral, created = referral_record_for_user(
            user=request.user,  # type: ignore[arg-type]  # authenticated
            data=serializer.validated_data,
            channel="api",
            request=request,
        )
        return Response(
            SocialCareReferralResponse(referral).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


# --- Cases (read only) ---------------------------------------------------------------


class CasePersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = [
            "id",
            "external_id",
            "role",
            "given_name",
            "family_name",
            "date_of_birth",
            "expected",
            "sex",
            "ethnicity",
            "relationship",
        ]
        # Always in the answer. (Not read-only: a read-only choice field loses
        # its blank choice in the schema, and most of these may be blank.)
        extra_kwargs = {name: {"required": True} for name in fields if name != "id"}


class CaseTeamMemberSerializer(serializers.Serializer):
    name = serializers.CharField(source="user.display_name")
    organisation = serializers.CharField(
        source="user.organisation.name", default=None, allow_null=True, read_only=True
    )
    is_lead = serializers.BooleanField()


class CaseSerializer(serializers.ModelSerializer):
    """A case. Partners on the team (requesters) get the team view: no family
    details, as on the case page."""

    locality = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    lead_practitioner = serializers.CharField(source="lead_practitioner.display_name")
    postcode = serializers.CharField(source="family.postcode", allow_null=True)
    people = CasePersonSerializer(many=True, read_only=True, allow_null=True)
    team = CaseTeamMemberSerializer(source="members", many=True, read_only=True)
    assessment_completed_at = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "status",
            "locality",
            "opened_at",
            "closed_at",
            "lead_practitioner",
            "postcode",
            "people",
            "team",
            "assessment_completed_at",
        ]
        read_only_fields = fields

    def get_assessment_completed_at(self, case: Case) -> datetime | None:
        assessment = getattr(case, "assessment", None)
        return assessment.completed_at if assessment is not None else None

    def to_representation(self, case: Case) -> dict[str, Any]:
        data = super().to_representation(case)
        if self.context["team_view"]:
            data["postcode"] = None
            data["people"] = None
            data["assessment_completed_at"] = None
        return data


def _cases_for_api(user: Any) -> QuerySet[Case]:
    return (
        case_queryset_for_user(user)
        .select_related("family", "locality", "lead_practitioner", "assessment")
        .prefetch_related(
            Prefetch("people", queryset=Person.objects.order_by(*PEOPLE_ORDER)),
            Prefetch(
                "members",
                queryset=CaseMember.objects.select_related(
                    "user", "user__organisation"
                ).order_by("-is_lead", "user__full_name"),
            ),
        )
    )


def _log_case_reads(
    request: Request, cases: list[Case], team_view: bool, action: str
) -> None:
    """One entry per case read and, when the family is shown, per person."""
    objs: list[Any] = list(cases)
    if not team_view:
        objs += [p for c in cases for p in c.people.all()]
    access_log_record_many(
        user=request.user, objs=objs, channel="api", action=action, request=request
    )


@scoped(case_queryset_for_user)
class CaseListView(GenericAPIView):
    """The cases you may see: practitioners their own, locality managers their
    localities', partners the cases whose team they are on (team view)."""

    serializer_class = CaseSerializer

    def get_queryset(self) -> Any:
        cases = _cases_for_api(self.request.user)
        wanted = self.request.query_params.get("status", "open")
        if wanted == "open":
            cases = cases.filter(status__in=OPEN_STATUSES)
        elif wanted in CaseStatus.values:
            cases = cases.filter(status=wanted)
        elif wanted != "all":
            raise serializers.ValidationError(
                {"status": ["Use open, all, or one of " + ", ".join(CaseStatus.values)]}
            )
        locality = locality_param(self.request.query_params.get("locality"))
        if locality is not None:
            cases = cases.filter(locality=locality)
        return cases.order_by("opened_at", "pk")

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status",
                str,
                enum=["open", "all", *CaseStatus.values],
                description="open (default), all, or one status",
            ),
            OpenApiParameter("locality", str, description="A locality slug"),
        ],
        responses=CaseSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset()) or []
        team_view = sees_team_view_only(request.user)
        _log_case_reads(request, page, team_view, "list")
        data = CaseSerializer(page, many=True, context={"team_view": team_view}).data
        return self.get_paginated_response(data)


@scoped(case_queryset_for_user)
class CaseDetailView(GenericAPIView):
    """One case, within your scope (else 404)."""

    serializer_class = CaseSerializer

    def get(self, request: Request, case_id: int) -> Response:
        case = _cases_for_api(request.user).filter(pk=case_id).first()
        if case is None:
            raise NotFound()
        team_view = sees_team_view_only(request.user)
        _log_case_reads(request, [case], team_view, "view")
        return Response(CaseSerializer(case, context={"team_view": team_view}).data)
