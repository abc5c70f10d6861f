"""``GET /api/v1/scorecard/{YYYY-MM}/?locality=SLUG`` (PRODUCT §4.1): the
latest release for that month, city or one locality."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.periods import Month
from core.view_access import scoped
from localities.api import locality_param
from scorecard.access import may_read_scorecard
from scorecard.documents import release_pdf_bytes, release_pdf_request
from scorecard.selectors import latest_release, release_rows


class IndicatorValueSerializer(serializers.Serializer):
    ref = serializers.CharField()
    title = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text="Unrounded")
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    dot = serializers.CharField(help_text="Direction of travel")
    provisional = serializers.BooleanField()


class ScorecardSerializer(serializers.Serializer):
    period = serializers.CharField()
    locality = serializers.CharField(allow_null=True)
    release = serializers.IntegerField()
    generated_at = serializers.DateTimeField()
    indicators = IndicatorValueSerializer(many=True)


def _readable_month(request: Request, period: str) -> Month:
    """The month asked for, for a user who may read the scorecard (else 404);
    a malformed month is a 400."""
    if not may_read_scorecard(request.user):
        raise NotFound()
    try:
        return Month.parse(period)
    except ValueError as exc:
        raise serializers.ValidationError({"period": [str(exc)]}) from exc


@scoped(may_read_scorecard)
class ScorecardView(APIView):
    """The latest release of a month's scorecard."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "locality", str, description="A locality slug; none: the city"
            )
        ],
        responses=ScorecardSerializer,
    )
    def get(self, request: Request, period: str) -> Response:
        month = _readable_month(request, period)
        locality = locality_param(request.query_params.get("locality"))
        release = latest_release(month)
        if release is None:
            raise NotFound("No scorecard has been released for that month.")
        return Response(
            {
                "period": str(month),
                "locality": locality.slug if locality else None,
                "release": release.pk,
                "generated_at": release.generated_at,
                "indicators": [
                    {
                        "ref": row.indicator.ref,
                        "title": row.indicator.title,
                        "value": row.value.value,
                        "numerator": row.value.numerator,
                        "denominator": row.value.denominator,
                        "dot": row.dot,
                        "provisional": row.value.provisional,
                    }
                    for row in release_rows(release, locality)
                ],
            }
        )


class PDFRenderer(BaseRenderer):
    """Lets a client ask for ``application/pdf``; errors still go out as JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(
        self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None
    ) -> bytes:
        if isinstance(data, bytes):
            return data
        return json.dumps(data).encode()


class PDFJobSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=["queued", "running"], help_text="Where the PDF job stands"
    )
    progress = serializers.IntegerField(help_text="Percent done")
    release = serializers.IntegerField()
    detail = serializers.CharField()


# How long a client waits before asking again for a PDF being made.
PDF_RETRY_AFTER_SECONDS = 5


@scoped(may_read_scorecard)
class ScorecardPDFView(APIView):
    """The PDF of the month's latest release: the city, then each locality,
    then the definitions. A worker makes it once per release; until it is
    stored, the answer is 202 with the job's progress and ``Retry-After``:
    ask the same URL again."""

    renderer_classes = [JSONRenderer, PDFRenderer]

    def handle_exception(self, exc: Exception) -> Response:
        """Errors are JSON, whatever the client asked for."""
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                bytes, description="The stored PDF of the latest release."
            ),
            (202, "application/json"): OpenApiResponse(
                PDFJobSerializer,
                description="The PDF is being made: ask the same URL again after "
                "the seconds in `Retry-After`.",
            ),
        },
        parameters=[
            OpenApiParameter(
                "Retry-After",
                int,
                OpenApiParameter.HEADER,
                response=[202],
                description="Seconds to wait before asking again.",
            ),
            OpenApiParameter(
                "Location",
                str,
                OpenApiParameter.HEADER,
                response=[202],
                description="Where to ask again (this URL).",
            ),
        ],
    )
    def get(self, request: Request, period: str) -> HttpResponse:
        month = _readable_month(request, period)
        release = latest_release(month)
        if release is None:
            raise NotFound("No scorecard has been released for that month.")
        job = release_pdf_request(release)
        pdf = release_pdf_bytes(job)
        if pdf is None:
            waiting = Response(
                {
                    "status": job.status,
                    "progress": job.progress,
                    "release": release.pk,
                    "detail": "The PDF is being made: ask again in a few seconds.",
                },
                status=202,
                headers={
                    "Retry-After": str(PDF_RETRY_AFTER_SECONDS),
                    "Location": request.path,
                    "Cache-Control": "no-store",
                },
            )
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
            return waiting
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="scorecard-{month}-release-{release.pk}.pdf"'
        )
        response["Cache-Control"] = "no-store"
        return response
