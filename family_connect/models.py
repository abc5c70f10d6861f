"""The Family Connect Form: how every family reaches early help (PRODUCT §3.1)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.codes import (
    Ethnicity,
    LevelOfNeed,
    MemberRole,
    Relationship,
    Sex,
    check_in,
)
from core.models import AppendOnlyModel, ChoiceLabelsModel, Event, TimeStampedModel
from family_connect import events


class Route(models.TextChoices):
    SCHOOL = "school", _("School, nursery or college")
    PROFESSIONAL = "professional", _("Professional")
    FAMILY = "family", _("Family")
    PHONE = "phone", _("Phone call")
    STEP_DOWN = "step_down", _("Step-down from social care")
    BULK = "bulk", _("Bulk list")


class RequestType(models.TextChoices):
    SUPPORT = "support", _("Support for the family")
    CONSULTATION = "consultation", _("Advice about a family (consultation)")


class FormStatus(models.TextChoices):
    """Submitted until triage decides; then the decision's outcome."""

    SUBMITTED = "submitted", _("Waiting for a decision")
    ALLOCATED = "allocated", _("Allocated to an early help worker")
    SIGNPOSTED = "signposted", _("Signposted to a community service")
    CONSULTATION_GIVEN = "consultation_given", _("Advice given")
    STEPPED_UP = "stepped_up", _("Passed to children's social care")
    NO_FURTHER_ACTION = "no_further_action", _("No further action")
    DUPLICATE = "duplicate", _("Closed as a duplicate")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Send(models.TextChoices):
    NONE = "none", _("No")
    SEN_SUPPORT = "sen_support", _("Yes, SEN support")
    EHCP = "ehcp", _("Yes, an education, health and care plan (EHCP)")
    NOT_KNOWN = "not_known", _("Not known")


class Reason(TimeStampedModel):
    """A reason for connection (PRODUCT §6); administrators may add more."""

    code = models.SlugField(max_length=50, unique=True)
    label = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=100)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.label


class FamilyConnectForm(TimeStampedModel):
    """One request for early help, from whoever asked, about one household."""

    reference = models.CharField(max_length=12, unique=True)
    # Random key of the private status link; the link also carries an HMAC of it
    # (family_connect.references), so neither the key nor the secret alone opens it.
    status_key = models.CharField(max_length=32, unique=True)
    external_id = models.CharField(max_length=64, unique=True, null=True, blank=True)

    route = models.CharField(max_length=20, choices=Route.choices)
    request_type = models.CharField(max_length=20, choices=RequestType.choices)
    status = models.CharField(
        max_length=20,
        choices=FormStatus.choices,
        default=FormStatus.SUBMITTED,
        db_index=True,
    )
    received_at = models.DateTimeField(db_index=True)

    # Who asked: a signed-in requester and their organisation, or a family contact.
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requested_forms",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forms",
    )
    # Who keyed it in, when not the requester (phone intake, step-down, bulk).
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entered_forms",
    )
    contact_name = models.CharField(max_length=200, blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    contact_email = models.EmailField(blank=True)

    postcode = models.CharField(max_length=8, db_index=True)
    address_line = models.CharField(max_length=200, blank=True)
    locality = models.ForeignKey(
        "localities.Locality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forms",
    )

    reasons = models.ManyToManyField(Reason, related_name="forms")
    level_of_need = models.CharField(max_length=30, choices=LevelOfNeed.choices)
    consent = models.BooleanField()
    consent_given_by = models.CharField(max_length=200, blank=True)
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    safeguarding_concern = models.BooleanField(default=False)
    front_door_contacted = models.BooleanField(default=False)

    family_words = models.TextField(blank=True)
    child_voice = models.TextField(blank=True)
    working_well = models.TextField(blank=True)
    language = models.CharField(max_length=100, blank=True)
    interpreter_needed = models.BooleanField(default=False)
    communication_needs = models.TextField(blank=True)
    closed_to_social_care_on = models.DateField(null=True, blank=True)

    # Links made by "tell our story once" (a strong match with an open case) or by
    # triage when it confirms a candidate.
    family = models.ForeignKey(
        "families.Family",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forms",
    )
    case = models.ForeignKey(
        "casework.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forms",
    )
    # The form this one duplicates, when closed as a duplicate (at triage or
    # after another decision).
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )

    class Meta:
        verbose_name = "Family Connect Form"
        permissions = [
            (
                "triage_citywide",
                "Can triage the city-wide queue of forms whose locality is unknown",
            )
        ]
        indexes = [
            models.Index(fields=["locality", "status", "received_at"]),
            models.Index(fields=["organisation", "received_at"]),
            # A locality's forms, and when each came, read from the index
            # alone: a manager's search keeps the forms it finds to those of
            # their localities and puts them newest first.
            models.Index(
                fields=["locality", "id"],
                include=["received_at"],
                name="form_locality_id_received",
            ),
        ]
        constraints = [
            check_in("route", Route, "form_route_valid"),
            check_in("request_type", RequestType, "form_request_type_valid"),
            check_in("status", FormStatus, "form_status_valid"),
            check_in("level_of_need", LevelOfNeed, "form_level_of_need_valid"),
            models.CheckConstraint(
                condition=models.Q(consent=True)
                | models.Q(request_type="consultation"),
                name="form_support_needs_consent",
            ),
            models.CheckConstraint(
                condition=models.Q(route="step_down")
                | models.Q(closed_to_social_care_on__isnull=True),
                name="form_step_down_date_only_on_step_down",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def version(self) -> str:
        """The state a manager saw, for the API's ``ETag`` and the triage page's
        hidden field: any saved change (a decision, a transfer, a match confirmed)
        gives another value. Status and locality are in it as well as the time,
        so a change within the same clock tick still shows."""
        seen = ":".join(
            str(v) for v in (self.pk, self.status, self.locality_id, self.updated_at)
        )
        return hashlib.sha256(seen.encode()).hexdigest()[:20]


class FormMember(ChoiceLabelsModel):
    """A child or adult in the household, as the requester described them."""

    form = models.ForeignKey(
        FamilyConnectForm, on_delete=models.CASCADE, related_name="members"
    )
    position = models.PositiveSmallIntegerField()
    external_id = models.CharField(max_length=64, blank=True)
    role = models.CharField(max_length=10, choices=MemberRole.choices)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    # Lower-case letters only (``families.names.name_keys``), for searching
    # forms by name: set by every writer of a member.
    given_name_key = models.CharField(max_length=100, blank=True)
    family_name_key = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    expected = models.BooleanField(default=False)
    sex = models.CharField(max_length=10, choices=Sex.choices, blank=True)
    gender_identity = models.CharField(max_length=100, blank=True)
    ethnicity = models.CharField(max_length=40, choices=Ethnicity.choices, blank=True)
    school = models.CharField(max_length=200, blank=True)
    send = models.CharField(max_length=20, choices=Send.choices, blank=True)
    young_carer = models.BooleanField(null=True, blank=True)
    relationship = models.CharField(
        max_length=20, choices=Relationship.choices, blank=True
    )
    person = models.ForeignKey(
        "families.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="form_memberships",
    )

    class Meta:
        ordering = ["form", "position"]
        # Searches read members by the keys their words match
        # (``families.names.keys_matching``), from these indexes alone: each
        # holds the other key and the form, all a search reads of a member.
        indexes = [
            models.Index(
                fields=["given_name_key"],
                include=["family_name_key", "form"],
                name="form_member_given_key_with",
            ),
            models.Index(
                fields=["family_name_key"],
                include=["given_name_key", "form"],
                name="form_member_family_key_with",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "position"], name="form_member_position_unique"
            ),
            check_in("role", MemberRole, "form_member_role_valid"),
            check_in("sex", Sex, "form_member_sex_valid"),
            check_in("ethnicity", Ethnicity, "form_member_ethnicity_valid"),
            check_in("send", Send, "form_member_send_valid"),
            check_in("relationship", Relationship, "form_member_relationship_valid"),
            models.CheckConstraint(
                condition=~models.Q(role="child")
                | models.Q(date_of_birth__isnull=False),
                name="form_member_child_has_dob",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form_id} member {self.position}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class FormEvent(Event):
    """Who did what to a form, and when; written in the same transaction. The
    kinds and their builders are in ``family_connect.events``."""

    form = models.ForeignKey(
        FamilyConnectForm, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=40, choices=events.Kind.choices)

    class Meta(Event.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=events.Kind.values),
                name="form_event_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.form_id} {self.kind}"


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


class MatchCandidate(models.Model):
    """An existing household or person that may be the one on a new form.

    Proposed at submission; triage confirms or rejects it. Nothing is merged until
    somebody confirms.
    """

    Status = MatchStatus

    form = models.ForeignKey(
        FamilyConnectForm, on_delete=models.CASCADE, related_name="match_candidates"
    )
    # Set for a person match; empty for a household match.
    member = models.ForeignKey(
        FormMember,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="match_candidates",
    )
    family = models.ForeignKey(
        "families.Family",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    person = models.ForeignKey(
        "families.Person",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    score = models.PositiveSmallIntegerField(help_text="0 to 100")
    evidence = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=MatchStatus.choices, default=MatchStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["form", "-score"]
        constraints = [
            check_in("status", MatchStatus, "match_candidate_status_valid"),
            models.CheckConstraint(
                condition=(
                    models.Q(member__isnull=True, family__isnull=False)
                    | models.Q(member__isnull=False, person__isnull=False)
                ),
                name="match_candidate_household_or_person",
            ),
            models.CheckConstraint(
                condition=models.Q(score__lte=100), name="match_candidate_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form_id} candidate {self.pk} ({self.score})"


class FormDraft(TimeStampedModel):
    """Answers saved as the user goes; resumable by a private link for 28 days."""

    token_digest = models.CharField(max_length=64, unique=True)
    route = models.CharField(max_length=20, choices=Route.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="form_drafts",
    )
    answers = models.JSONField(default=dict, blank=True)
    expires_at = models.DateTimeField(db_index=True)
    submitted_form = models.OneToOneField(
        FamilyConnectForm,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="draft",
    )

    class Meta:
        constraints = [check_in("route", Route, "form_draft_route_valid")]

    def __str__(self) -> str:
        return f"Draft {self.pk}"


class IdempotencyKey(models.Model):
    """An API caller's ``Idempotency-Key``: a retry returns the form it created."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=255)
    request_digest = models.CharField(max_length=64)
    form = models.ForeignKey(
        FamilyConnectForm, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], name="idempotency_key_unique_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"


class FormDecision(TimeStampedModel):
    """Triage's decision on a form: who, when, why and what it points at."""

    form = models.OneToOneField(
        FamilyConnectForm, on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(max_length=20, choices=FormStatus.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(db_index=True)
    reason = models.TextField()
    lead_practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.ForeignKey(
        "casework.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    community_service = models.ForeignKey(
        "localities.CommunityService",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(outcome="submitted")
                & models.Q(outcome__in=FormStatus.values),
                name="form_decision_outcome_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome="allocated")
                | models.Q(lead_practitioner__isnull=False, case__isnull=False),
                name="form_decision_allocated_has_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form_id} {self.outcome}"


class FormTransfer(models.Model):
    """A form moved to another locality's queue before its decision; the clock
    keeps running from when the form was received."""

    form = models.ForeignKey(
        FamilyConnectForm, on_delete=models.CASCADE, related_name="transfers"
    )
    from_locality = models.ForeignKey(
        "localities.Locality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_locality = models.ForeignKey(
        "localities.Locality", on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    reason = models.TextField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.form_id} → {self.to_locality_id}"


class FormFeedback(models.Model):
    """The requester's answer, after the decision, to "how easy was it to get
    help?" (1 very hard to 5 very easy); EH27 reports it."""

    form = models.OneToOneField(
        FamilyConnectForm, on_delete=models.CASCADE, related_name="feedback"
    )
    score = models.PositiveSmallIntegerField()
    given_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5),
                name="form_feedback_score_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.form_id} {self.score}"


class CrossLocalityLink(AppendOnlyModel):
    """A manager linked a form to a household whose records belong to another
    locality, or that has no case in the form's locality, and said why.

    Linking opens the household's names, dates of birth, address and history to
    the locality that allocates the form, so the data protection officer reviews
    every such link (the anomaly page). Append-only: an entry is never changed or
    deleted, and it outlives the form's and household's retention (it names them
    by id and reference, without a database constraint that a purge would have
    to remove it for).
    """

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    form = models.ForeignKey(
        FamilyConnectForm,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    form_reference = models.CharField(max_length=20)
    family = models.ForeignKey(
        "families.Family",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # Set when the link was made by confirming a person rather than the household.
    person = models.ForeignKey(
        "families.Person",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # The queue the form was in, and where the household's records were held.
    form_locality = models.ForeignKey(
        "localities.Locality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    household_locality = models.ForeignKey(
        "localities.Locality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    why_flagged = models.CharField(max_length=200)
    reason = models.TextField()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["actor", "at"])]

    def __str__(self) -> str:
        return f"{self.form_reference} → family {self.family_id}"
