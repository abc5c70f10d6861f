"""``/api/v1/people/``: people by name, date of birth and postcode, within the
caller's scope.

``q`` is read as the search page reads it (names, a date of birth typed as
people do, a postcode); ``date_of_birth`` (``YYYY-MM-DD``) and ``postcode``
narrow it further. Each result's ``locality`` is the slug of the person's
household's locality (or null) and ``case`` the id of the person's open case
that the caller may see — a case the person is on, else their household's,
the newest when there are several — or null. At most 500 matches are
counted (and at most 2,000 candidates read: a name shared by more people
than that needs a date of birth or a postcode to find them all); pages of
50. Every search, and every person in the page answered, is in the access
log with the action ``search``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import StrictPageNumberPagination
from core.view_access import scoped
from families.query import BAD_DATE, parse_query
from localities.postcodes import postcode_normalise
from search.access import may_search_people_api
from search.selectors import PersonResult, people_page, people_search
from search.services import search_log

NO_QUERY = "Enter a name, a date of birth or a postcode to search for"
BAD_ISO_DATE = "Enter the date of birth as YYYY-MM-DD, like 2014-04-03"
BAD_POSTCODE = "Enter a real postcode, like B23 6AA"


class PeoplePagination(StrictPageNumberPagination):
    """``{"count", "next", "results"}``: the people API's fixed shape."""

    page_size = 50  # more than the search page's twenty: a client pages less

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "count": self.page.paginator.count,
                "next": self.get_next_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        full = PageNumberPagination.get_paginated_response_schema(self, schema)
        full["properties"].pop("previous", None)
        full["required"] = ["count", "next", "results"]
        return full


class PersonFoundSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="person.pk")
    given_name = serializers.CharField(source="person.given_name")
    family_name = serializers.CharField(source="person.family_name")
    date_of_birth = serializers.DateField(
        source="person.date_of_birth", allow_null=True
    )
    locality = serializers.SerializerMethodField()
    case = serializers.IntegerField(source="case_id", allow_null=True)

    @extend_schema_field(serializers.SlugField(allow_null=True))
    def get_locality(self, found: PersonResult) -> str | None:
        family = found.person.family
        if family is None or family.locality is None:
            return None
        return family.locality.slug


class PeopleQuery(serializers.Serializer):
    q = serializers.CharField(
        max_length=200,
        trim_whitespace=True,
        error_messages={"required": NO_QUERY, "blank": NO_QUERY},
    )
    date_of_birth = serializers.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": BAD_ISO_DATE},
    )
    postcode = serializers.CharField(required=False, max_length=10)

    def validate_q(self, value: str) -> str:
        query = parse_query(value)
        if query.errors:
            raise serializers.ValidationError(BAD_DATE)
        if query.is_empty:
            raise serializers.ValidationError(NO_QUERY)
        return value

    def validate_postcode(self, value: str) -> str:
        postcode = postcode_normalise(value)
        if postcode is None:
            raise serializers.ValidationError(BAD_POSTCODE)
        return postcode


@scoped(may_search_people_api)
class PeopleSearchView(GenericAPIView):
    """People you may see who match: practitioners the people of their cases,
    locality managers their localities' (requesters, who see the plan of
    their team's cases but not the family's records, find none)."""

    serializer_class = PersonFoundSerializer
    pagination_class = PeoplePagination

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                str,
                required=True,
                description=(
                    "A name (any case, accents or spacing, one letter wrong), a "
                    "date of birth typed as people do (3/4/2014 is 3 April), a "
                    "postcode"
                ),
            ),
            OpenApiParameter("date_of_birth", dt.date, description="YYYY-MM-DD"),
            OpenApiParameter("postcode", str, description="A postcode, any spacing"),
        ],
        responses=PersonFoundSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        if not may_search_people_api(request.user):
            raise PermissionDenied("Your role does not include searching for people")
        params = PeopleQuery(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = parse_query(params.validated_data["q"])
        if params.validated_data.get("date_of_birth"):
            query = replace(query, date_of_birth=params.validated_data["date_of_birth"])
        if params.validated_data.get("postcode"):
            query = replace(query, postcode=params.validated_data["postcode"])
        ids = people_search(request.user, query).ids
        page_ids = self.paginate_queryset(ids) or []  # type: ignore[arg-type]
        found = people_page(request.user, page_ids)
        search_log(
            user=request.user,
            shown=[r.person for r in found],
            channel="api",
            request=request,  # type: ignore[arg-type]
        )
        return self.get_paginated_response(PersonFoundSerializer(found, many=True).data)
