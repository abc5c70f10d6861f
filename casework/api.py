"""``/api/v1/social-care-referrals/``: referrals to social care made elsewhere."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from casework.access import person_queryset_for_user
from casework.models import SocialCareReferral
from casework.services import social_care_referral_record
from core.access_log import access_log_record


class SocialCareReferralSerializer(serializers.Serializer):
    person = serializers.IntegerField(help_text="The person's id in Early Help Connect")
    referred_at = serializers.DateTimeField(help_text="ISO 8601 with an offset")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class SocialCareReferralResponse(serializers.ModelSerializer):
    class Meta:
        model = SocialCareReferral
        fields = ["id", "person", "referred_at", "source", "reason"]


class SocialCareReferralCreateView(GenericAPIView):
    """Record a referral to children's social care made outside early help, for a
    person in a case you work (practitioners and locality managers)."""

    serializer_class = SocialCareReferralSerializer

    @extend_schema(responses={201: SocialCareReferralResponse})
    def post(self, request: Request) -> Response:
        serializer = SocialCareReferralSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        person = (
            person_queryset_for_user(request.user).filter(pk=data["person"]).first()
        )
        if person is None:
            raise serializers.ValidationError(
                {"person": ["No person with this id in the cases you work."]}
            )
        access_log_record(user=request.user, obj=person, channel="api", request=request)
        referral = social_care_referral_record(
            person=person,
            actor=request.user,
            referred_at=data["referred_at"],
            reason=data.get("reason", ""),
        )
        return Response(
            SocialCareReferralResponse(referral).data, status=status.HTTP_201_CREATED
        )
