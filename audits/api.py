"""``/api/v1/audits/grade-distribution/`` (PRODUCT §4.1)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audits.access import may_read_reports
from audits.codes import AuditType
from audits.reports import grade_distribution
from core.periods import Month
from core.view_access import scoped
from localities.models import Locality


class GradeRowSerializer(serializers.Serializer):
    grade = serializers.CharField()
    count = serializers.IntegerField()
    percent = serializers.CharField(help_text="2 decimal places, rounded half up")


class GradeDistributionSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    rows = GradeRowSerializer(many=True)


@scoped(may_read_reports)
class GradeDistributionView(APIView):
    """Final grades of the case audits finalised in the months ``from``..``to``
    (inclusive), every grade of the scale in order, zero counts included."""

    @extend_schema(
        parameters=[
            OpenApiParameter("from", str, required=True, description="YYYY-MM"),
            OpenApiParameter("to", str, required=True, description="YYYY-MM"),
            OpenApiParameter("locality", str, description="A locality slug"),
            OpenApiParameter(
                "type", str, enum=AuditType.values, description="The audit type"
            ),
        ],
        responses=GradeDistributionSerializer,
    )
    def get(self, request: Request) -> Response:
        if not may_read_reports(request.user):
            raise NotFound()
        params = request.query_params
        errors: dict[str, list[str]] = {}
        months: dict[str, Month] = {}
        for name in ("from", "to"):
            try:
                months[name] = Month.parse(params.get(name, ""))
            except ValueError as exc:
                errors[name] = [str(exc)]
        if not errors and months["to"] < months["from"]:
            errors["to"] = ["The last month must not be before the first"]
        locality = None
        if params.get("locality"):
            locality = Locality.objects.filter(slug=params["locality"]).first()
            if locality is None:
                errors["locality"] = ["No locality has that slug"]
        # A ``type`` given empty is a wrong type, not "every type".
        audit_type = params.get("type")
        if audit_type is not None and audit_type not in AuditType.values:
            errors["type"] = ["Use one of " + ", ".join(AuditType.values)]
        if errors:
            raise serializers.ValidationError(errors)
        distribution = grade_distribution(
            first=months["from"],
            until=months["to"].end,
            locality=locality,
            audit_type=audit_type,
        )
        return Response(
            {
                "total": distribution.total,
                "rows": [
                    {"grade": r.code, "count": r.count, "percent": str(r.percent)}
                    for r in distribution.rows
                ],
            }
        )
