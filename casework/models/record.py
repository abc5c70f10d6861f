"""The record of the work with a family: assessment, plan, reviews and closure."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

from core.codes import check_in
from core.models import ChoiceLabelsModel, TimeStampedModel
from families.models import Person

if TYPE_CHECKING:
    pass

from casework.models.cases import Case


class WheelDomain(models.TextChoices):
    """The five domains of the family wheel (PRODUCT §3.3)."""

    HEALTHY_LIFESTYLES = "healthy_lifestyles", "Healthy lifestyles"
    RELATIONSHIPS = "relationships", "Relationships"
    LEARNING_DEVELOPMENT = "learning_development", "Learning and development"
    COMMUNITY_ENGAGEMENT = "community_engagement", "Community engagement"
    SAFEGUARDING = "safeguarding", "Safeguarding"


def _score(low: int, high: int, name: str, field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__isnull": True})
        | models.Q(**{f"{field}__gte": low, f"{field}__lte": high}),
        name=name,
    )


class Assessment(TimeStampedModel):
    """The Early Help Assessment of a case; its scores are the baseline."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="assessment"
    )
    worries = models.TextField("What we are worried about", blank=True)
    working_well = models.TextField("What is working well", blank=True)
    needs_to_happen = models.TextField("What needs to happen", blank=True)
    family_voice = models.TextField("The family's voice", blank=True)
    scaling = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="0 to 10: how close things are to being good enough to close.",
    )
    healthy_lifestyles = models.PositiveSmallIntegerField(null=True, blank=True)
    relationships = models.PositiveSmallIntegerField(null=True, blank=True)
    learning_development = models.PositiveSmallIntegerField(null=True, blank=True)
    community_engagement = models.PositiveSmallIntegerField(null=True, blank=True)
    safeguarding = models.PositiveSmallIntegerField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        constraints = [
            _score(0, 10, "assessment_scaling_0_10", "scaling"),
            *[
                _score(1, 10, f"assessment_{domain}_1_10", domain)
                for domain in WheelDomain.values
            ],
        ]

    def __str__(self) -> str:
        return f"Assessment of case {self.case_id}"


class AssessmentPerson(models.Model):
    """Each household member's overall score (1–10) and, for a child, their voice."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="people"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    voice = models.TextField("The child's voice", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "person"], name="assessment_person_unique"
            ),
            _score(1, 10, "assessment_person_score_1_10", "score"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.person_id}"


class ClosureReason(models.TextChoices):
    OUTCOMES_MET = "outcomes_met", "Outcomes met"
    STEPPED_UP = "stepped_up", "Stepped up to children's social care"
    DECLINED_OR_DISENGAGED = "declined_or_disengaged", "Declined or disengaged"
    MOVED_AWAY = "moved_away", "Moved away"
    TRANSFERRED = "transferred", "Transferred"
    OTHER = "other", "Other"


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_ASKED = "not_asked", "Not asked"


class CaseClosure(TimeStampedModel):
    """How a case ended: reason, scores at closure, the children's answers and
    the family's feedback; a manager signs it off."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="closure")
    closed_at = models.DateTimeField(db_index=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=30, choices=ClosureReason.choices)
    healthy_lifestyles = models.PositiveSmallIntegerField(null=True, blank=True)
    relationships = models.PositiveSmallIntegerField(null=True, blank=True)
    learning_development = models.PositiveSmallIntegerField(null=True, blank=True)
    community_engagement = models.PositiveSmallIntegerField(null=True, blank=True)
    safeguarding = models.PositiveSmallIntegerField(null=True, blank=True)
    family_feedback_score = models.PositiveSmallIntegerField(null=True, blank=True)
    family_feedback_comment = models.TextField(blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            check_in("reason", ClosureReason, "closure_reason_valid"),
            _score(1, 5, "closure_feedback_1_5", "family_feedback_score"),
            *[
                _score(1, 10, f"closure_{domain}_1_10", domain)
                for domain in WheelDomain.values
            ],
        ]

    def __str__(self) -> str:
        return f"Closure of case {self.case_id}"


class ClosurePerson(ChoiceLabelsModel):
    """A household member at closure: overall score; for a child, whether they
    feel happy, healthy and safe."""

    closure = models.ForeignKey(
        CaseClosure, on_delete=models.CASCADE, related_name="people"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    happy = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    healthy = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    safe = models.CharField(max_length=10, choices=Answer.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["closure", "person"], name="closure_person_unique"
            ),
            _score(1, 10, "closure_person_score_1_10", "score"),
            check_in("happy", Answer, "closure_person_happy_valid"),
            check_in("healthy", Answer, "closure_person_healthy_valid"),
            check_in("safe", Answer, "closure_person_safe_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.closure_id} {self.person_id}"


class PostClosureCheck(models.Model):
    """Due 3 calendar months after closure (INDICATORS.md window rule); the job
    records, per child, what happened in the window."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="post_closure_check"
    )
    closed_at = models.DateTimeField()
    window_end = models.DateTimeField(db_index=True)
    done_at = models.DateTimeField(null=True, blank=True)
    results = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"Post-closure check of case {self.case_id}"


class PlanOutcome(TimeStampedModel):
    """An outcome the family set in Our Family Plan, linked to a wheel domain."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="outcomes")
    text = models.TextField()
    domain = models.CharField(max_length=30, choices=WheelDomain.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [check_in("domain", WheelDomain, "plan_outcome_domain_valid")]

    def __str__(self) -> str:
        return self.text[:50]


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class PlanAction(TimeStampedModel):
    """Who does what by when towards an outcome: any organisation's user, or the
    family itself; at least one should come from a community resource."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    outcome = models.ForeignKey(
        PlanOutcome, on_delete=models.CASCADE, related_name="actions"
    )
    what = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_actions",
    )
    owner_is_family = models.BooleanField(default=False)
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    community = models.BooleanField(
        default=False, help_text="Delivered by a community resource."
    )
    community_service = models.ForeignKey(
        "localities.CommunityService",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The service from the community services directory that "
        "delivers it, when it is in the directory.",
    )

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            check_in("status", ActionStatus, "plan_action_status_valid"),
            models.CheckConstraint(
                condition=models.Q(community_service__isnull=True)
                | models.Q(community=True),
                name="plan_action_service_is_community",
            ),
            models.CheckConstraint(
                condition=models.Q(owner__isnull=False, owner_is_family=False)
                | models.Q(owner__isnull=True, owner_is_family=True),
                name="plan_action_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.what[:50]


class Review(TimeStampedModel):
    """A review of the plan, every 6 weeks by default: scores again."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    held_at = models.DateTimeField(db_index=True)
    attendees = models.TextField()
    progress = models.TextField()
    plan_changes = models.TextField(blank=True)
    scaling = models.PositiveSmallIntegerField()
    # Whole in every live review; imported history may lack some scores.
    healthy_lifestyles = models.PositiveSmallIntegerField(null=True, blank=True)
    relationships = models.PositiveSmallIntegerField(null=True, blank=True)
    learning_development = models.PositiveSmallIntegerField(null=True, blank=True)
    community_engagement = models.PositiveSmallIntegerField(null=True, blank=True)
    safeguarding = models.PositiveSmallIntegerField(null=True, blank=True)
    next_review_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["held_at", "pk"]
        constraints = [
            _score(0, 10, "review_scaling_0_10", "scaling"),
            *[
                _score(1, 10, f"review_{domain}_1_10", domain)
                for domain in WheelDomain.values
            ],
        ]

    def __str__(self) -> str:
        return f"Review of case {self.case_id} on {self.held_at:%Y-%m-%d}"


class ReviewPerson(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review", "person"], name="review_person_unique"
            ),
            _score(1, 10, "review_person_score_1_10", "score"),
        ]

    def __str__(self) -> str:
        return f"{self.review_id} {self.person_id}"
