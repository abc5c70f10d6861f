"""The case, its team, the people on it, its events and notes.

The case is one episode of early help for a household (``families``) with its
lead practitioner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from casework import events
from core.codes import check_in
from core.models import Event, TimeStampedModel
from families.models import Family, Person

if TYPE_CHECKING:
    from accounts.models import User


class CaseStatus(models.TextChoices):
    """PRODUCT §3.3: allocated → assessment → plan → closed (reopened to plan)."""

    ALLOCATED = "allocated", "Allocated"
    ASSESSMENT = "assessment", "Assessment"
    PLAN = "plan", "Our Family Plan"
    CLOSED = "closed", "Closed"


# Every status in which the family is being worked with.
OPEN_STATUSES = (CaseStatus.ALLOCATED, CaseStatus.ASSESSMENT, CaseStatus.PLAN)


class Case(TimeStampedModel):
    """One episode of early help for a family, led by one practitioner."""

    Status = CaseStatus

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="cases")
    locality = models.ForeignKey(
        "localities.Locality", on_delete=models.PROTECT, related_name="cases"
    )
    lead_practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="led_cases",
    )
    status = models.CharField(
        max_length=20,
        choices=CaseStatus.choices,
        default=CaseStatus.ALLOCATED,
        db_index=True,
    )
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    people: models.ManyToManyField[Person, CasePerson] = models.ManyToManyField(
        Person,
        through="CasePerson",
        through_fields=("case", "person"),
        related_name="cases",
        blank=True,
    )
    team: models.ManyToManyField[User, CaseMember] = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CaseMember",
        through_fields=("case", "user"),
        related_name="team_cases",
        blank=True,
    )

    class Meta:
        # No "one open case per family" constraint: imported history may overlap
        # (IMPORT.md); live triage links a new form to the open case instead.
        constraints = [check_in("status", CaseStatus, "case_status_valid")]
        indexes = [
            models.Index(fields=["family", "status"]),
            # A manager's households: their localities' cases' families, read
            # from this index alone (``casework.access.person_queryset_for_user``).
            models.Index(fields=["locality", "family"], name="case_locality_family"),
        ]

    def __str__(self) -> str:
        return f"Case {self.pk}"


class CaseMember(TimeStampedModel):
    """A member of the team around the family (any organisation's user)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="case_memberships",
    )
    is_lead = models.BooleanField(default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="case_member_unique"),
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(is_lead=True), name="case_one_lead"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.user_id}"


class CasePersonSource(models.TextChoices):
    OPENING_FORM = "opening_form", "Named on the form that opened the case"
    LATER_FORM = "later_form", "Named on a later form added to the case"
    ADDED = "added", "Added to the case"


class CasePerson(TimeStampedModel):
    """Someone the case is about (INDICATORS.md, settled reading 23): the
    household members named on the form that opened it, and anyone added to it
    afterwards, by a later form or on the case's pages. A person joins only the
    cases they are added to: a baby born later is not on the household's
    earlier cases."""

    Source = CasePersonSource

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="places")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="case_places"
    )
    # The case's locality, which never changes once the case is open, kept
    # here so that a locality's people on cases are read from one index
    # (``casework.access.person_queryset_for_user``) rather than case by case.
    # Whoever writes a place sets it from the case.
    locality = models.ForeignKey(
        "localities.Locality", on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(max_length=20, choices=CasePersonSource.choices)
    form = models.ForeignKey(
        "family_connect.FamilyConnectForm",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person"], name="case_person_unique"
            ),
            check_in("source", CasePersonSource, "case_person_source_valid"),
        ]
        indexes = [
            models.Index(fields=["person", "case"]),
            models.Index(fields=["locality", "person"], name="case_person_locality"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.person_id}"


class CaseUserObjectPermission(UserObjectPermissionBase):
    """An object-level grant on one case (django-guardian, with a direct foreign
    key so access checks join on an indexed integer): team members and
    auditors. Written only through ``casework.grants``."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        pass


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    """Group grants on one case (unused by the product; present so guardian
    never falls back to its text-keyed generic table for cases)."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        pass


class CaseEvent(Event):
    """Who did what to a case, and when; written in the same transaction. The
    kinds and their builders are in ``casework.events``."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40, choices=events.Kind.choices)

    class Meta(Event.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=events.Kind.values),
                name="case_event_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class NoteKind(models.TextChoices):
    VISIT = "visit", "Visit"
    CALL = "call", "Call"
    MEETING = "meeting", "Meeting"
    MESSAGE = "message", "Message"
    NOTE = "note", "Note"


class CaseNote(TimeStampedModel):
    """A chronology entry; significant events stand out in the timeline."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=10, choices=NoteKind.choices)
    happened_at = models.DateTimeField(db_index=True)
    text = models.TextField()
    significant = models.BooleanField(default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["happened_at", "pk"]
        constraints = [check_in("kind", NoteKind, "case_note_kind_valid")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.happened_at:%Y-%m-%d}"


class NoteAmendment(models.Model):
    """A correction of a chronology note, never a silent change: the text
    before and after, who amended it, when and why. The note holds its current
    text; its first amendment's ``text_before`` is what was first written."""

    note = models.ForeignKey(
        CaseNote, on_delete=models.CASCADE, related_name="amendments"
    )
    text_before = models.TextField()
    text_after = models.TextField()
    reason = models.TextField()
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    amended_at = models.DateTimeField()

    class Meta:
        ordering = ["amended_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reason=""), name="note_amendment_reason_given"
            )
        ]

    def __str__(self) -> str:
        return f"Amendment of note {self.note_id}"


class ImportedEpisode(models.Model):
    """One episode of a records import (IMPORT.md): the form it became and a
    digest of its line, so importing the line again changes nothing and a
    changed line replaces only its own episode."""

    external_id = models.CharField(max_length=64, unique=True)
    digest = models.CharField(max_length=64)
    form = models.OneToOneField(
        "family_connect.FamilyConnectForm",
        on_delete=models.PROTECT,
        related_name="imported_episode",
    )
    household_external_id = models.CharField(max_length=64, db_index=True)
    received_at = models.DateTimeField()
    imported_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.external_id
