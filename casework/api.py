"""``/api/v1/social-care-referrals/``: referrals to social care made elsewhere."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from casework.models import SocialCareReferral
from casework.referrals import ReferralInput, referral_record_for_user


class SocialCareReferralResponse(serializers.ModelSerializer):
    class Meta:
        model = SocialCareReferral
        fields = ["id", "person", "referred_at", "source", "reason"]


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
