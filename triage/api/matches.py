"""``/api/v1/family-connect/{reference}/matches/``: a form's match candidates,
and confirming or rejecting them, for the managers who triage the form — what
the triage page does, over the API (PRODUCT §3.2).

A candidate is shown as a lookup, not a disclosure: a person by name, year of
birth and the locality whose records hold them, a household by its locality,
and the evidence in words; never a full date of birth, a postcode or an address
(``triage.selectors.TriageCandidate``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from core.access_log import access_log_record, access_log_record_many
from core.view_access import scoped
from family_connect.access import form_get_for_user
from family_connect.api.forms import ETAG_HEADER, IF_MATCH_HEADER, etag, seen_version
from family_connect.models import FamilyConnectForm, MatchStatus
from family_connect.services.matches import match_candidate_decide
from triage.access import may_decide
from triage.selectors import TriageCandidate, match_candidates_for_triage

HOUSEHOLD, PERSON = "household", "person"
KINDS = [HOUSEHOLD, PERSON]
CONFIRM, REJECT = "confirm", "reject"
DECISIONS = [CONFIRM, REJECT]


class MatchMemberSerializer(serializers.Serializer):
    position = serializers.IntegerField(
        help_text="The member's place on the form, from 0 (as in the form's members)"
    )
    name = serializers.CharField(source="full_name")


class MatchLocalitySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class MatchCandidateSerializer(serializers.Serializer):
    """A match candidate as triage sees it (read from a ``TriageCandidate``)."""

    id = serializers.IntegerField(source="candidate.pk")
    kind = serializers.SerializerMethodField()
    member = MatchMemberSerializer(
        source="candidate.member",
        allow_null=True,
        help_text="The person on the form this candidate may be; null for a household",
    )
    status = serializers.ChoiceField(
        source="candidate.status", choices=MatchStatus.choices
    )
    name = serializers.SerializerMethodField()
    born = serializers.SerializerMethodField()
    locality = MatchLocalitySerializer(
        source="household.locality",
        allow_null=True,
        help_text="The locality whose records hold the household or person; null "
        "when not known",
    )
    score = serializers.IntegerField(source="candidate.score", help_text="0 to 100")
    evidence = serializers.ListField(
        source="candidate.evidence",
        child=serializers.CharField(),
        help_text="Why it may be the same, in words",
    )
    crosses_localities = serializers.SerializerMethodField()
    concern = serializers.CharField(
        help_text="Why confirming it links the form across localities; empty "
        "when it does not"
    )
    reason_required = serializers.BooleanField(
        source="needs_reason",
        help_text="Confirming needs a `reason`: it crosses localities and this "
        "form is not yet linked to the household with one",
    )
    decided_by = serializers.CharField(
        source="candidate.decided_by.display_name", allow_null=True
    )
    decided_at = serializers.DateTimeField(
        source="candidate.decided_at", allow_null=True
    )

    @extend_schema_field(serializers.ChoiceField(choices=KINDS))
    def get_kind(self, t: TriageCandidate) -> str:
        return HOUSEHOLD if t.candidate.member_id is None else PERSON

    @extend_schema_field(OpenApiTypes.STR)
    def get_name(self, t: TriageCandidate) -> str:
        """The person's name, or "A household"."""
        person = t.candidate.person
        if t.candidate.member_id is None or person is None:
            return "A household"
        return f"{person.given_name} {person.family_name}".strip()

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_born(self, t: TriageCandidate) -> int | None:
        """The person's year of birth only; null for a household or when not
        known."""
        person = t.candidate.person
        if t.candidate.member_id is None or person is None:
            return None
        return person.date_of_birth.year if person.date_of_birth else None

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_crosses_localities(self, t: TriageCandidate) -> bool:
        return bool(t.concern)


class MatchDecisionRequestSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=DECISIONS)
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text="Why this form is linked to a household known in another "
        "locality: required to confirm a candidate whose `reason_required` is "
        "true; the data protection officer reviews every such link",
    )


def _triaged_form(request: Request, reference: str) -> FamilyConnectForm:
    """The form if the caller may triage it; 404 otherwise, as for a form that
    does not exist (the candidates show other households)."""
    form = form_get_for_user(request.user, reference)
    if form is None or not may_decide(request.user, form):
        raise NotFound()
    return form


def _log_reads(request: Request, form: Any, shown: list[TriageCandidate]) -> None:
    """The candidates show other households' people: their reads are logged, as
    on the triage page."""
    access_log_record(user=request.user, obj=form, channel="api", request=request)
    access_log_record_many(
        user=request.user,
        objs=[
            record
            for t in shown
            for record in (t.candidate.person or t.candidate.family,)
            if record is not None
        ],
        action="view",
        channel="api",
        request=request,
    )


@scoped(form_get_for_user)
class MatchListView(GenericAPIView):
    """The form's match candidates: households and people we already know that
    may be the family on the form. For the managers of the form's queue;
    ``404`` for anyone else, as for a form that does not exist. Allocation
    waits until each is confirmed or rejected."""

    serializer_class = MatchCandidateSerializer
    pagination_class = None

    @extend_schema(
        responses={200: MatchCandidateSerializer(many=True)},
        parameters=[ETAG_HEADER],
    )
    def get(self, request: Request, reference: str) -> Response:
        form = _triaged_form(request, reference)
        candidates = match_candidates_for_triage(form)
        _log_reads(request, form, candidates)
        response = Response(MatchCandidateSerializer(candidates, many=True).data)
        response["ETag"] = etag(form)
        return response


@scoped(form_get_for_user)
class MatchDecisionView(GenericAPIView):
    """Confirm or reject one of the form's match candidates (managers of the
    form's queue). Confirming a household links the form to it; confirming a
    person links the form's member to them; nothing is merged. A confirmation
    that crosses localities needs a `reason` (``400`` on `reason` without one).
    ``409`` once the form is decided. The answer carries the form's ETag:
    deciding the household's match changes it, a person's does not."""

    serializer_class = MatchDecisionRequestSerializer

    @extend_schema(
        request=MatchDecisionRequestSerializer,
        parameters=[
            OpenApiParameter(
                IF_MATCH_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="Optional: the form's ETag (from the form, its matches "
                "or the last match decided). If the form has changed since, the "
                "answer is 412 and nothing is changed.",
            ),
            ETAG_HEADER,
        ],
        responses={
            200: MatchCandidateSerializer,
            409: OpenApiResponse(description="The form has been decided."),
            412: OpenApiResponse(
                description="The form has changed since the ETag in `If-Match`."
            ),
        },
    )
    def post(self, request: Request, reference: str, candidate_id: int) -> Response:
        form = _triaged_form(request, reference)
        if not form.match_candidates.filter(pk=candidate_id).exists():
            raise NotFound()
        serializer = MatchDecisionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        match_candidate_decide(
            candidate_id=candidate_id,
            actor=request.user,
            confirm=data["decision"] == CONFIRM,
            reason=data.get("reason", ""),
            seen_version=seen_version(request),
        )
        # As the decision left them: the form's version, the candidate's link.
        form = FamilyConnectForm.objects.get(pk=form.pk)
        decided = [
            t
            for t in match_candidates_for_triage(form)
            if t.candidate.pk == candidate_id
        ]
        _log_reads(request, form, decided)
        response = Response(MatchCandidateSerializer(decided[0]).data)
        response["ETag"] = etag(form)
        return response
