from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import localities_for_user
from core.view_access import signed_in


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    role = serializers.CharField()
    organisation = serializers.CharField(allow_null=True)
    localities = serializers.ListField(child=serializers.CharField())


@signed_in("the user's own account")
class MeView(APIView):
    """Who the caller is: e-mail, role, organisation and locality slugs."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user = request.user
        data = {
            "email": user.email,
            "role": user.role,
            "organisation": user.organisation.name if user.organisation else None,
            "localities": [loc.slug for loc in localities_for_user(user)],
        }
        return Response(MeSerializer(data).data)
