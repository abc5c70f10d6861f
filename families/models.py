"""Households and the people in them: the records "tell our story once"
matches against, which intake (``family_connect``) and casework both build on.

The tables keep the names they had when the models lived in ``casework``."""

from __future__ import annotations

from django.db import models

from core.codes import Ethnicity, MemberRole, Relationship, Sex, check_in
from core.models import TimeStampedModel


class Family(TimeStampedModel):
    """A household: where it lives now and which locality that puts it in."""

    external_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    postcode = models.CharField(max_length=8, blank=True, db_index=True)
    address_line = models.CharField(max_length=200, blank=True)
    locality = models.ForeignKey(
        "localities.Locality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="families",
    )

    class Meta:
        db_table = "casework_family"
        verbose_name_plural = "families"

    def __str__(self) -> str:
        return f"Family {self.pk}"


class Person(TimeStampedModel):
    """A child or adult; in one household at a time."""

    family = models.ForeignKey(
        Family, null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    external_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    role = models.CharField(max_length=10, choices=MemberRole.choices)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    # Lower-case letters only, for tolerant matching (family_connect.matching).
    given_name_key = models.CharField(max_length=100, blank=True)
    family_name_key = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True, db_index=True)
    expected = models.BooleanField(default=False)
    sex = models.CharField(max_length=10, choices=Sex.choices, blank=True)
    ethnicity = models.CharField(max_length=40, choices=Ethnicity.choices, blank=True)
    relationship = models.CharField(
        max_length=20, choices=Relationship.choices, blank=True
    )

    class Meta:
        db_table = "casework_person"
        verbose_name_plural = "people"
        # Searches read people by the keys their words match
        # (``families.names.keys_matching``), from these indexes alone: each
        # holds the other key, the household and the id, which is all a
        # search reads of a candidate and checks its scope by.
        indexes = [
            models.Index(
                fields=["given_name_key"],
                include=["family_name_key", "family", "id"],
                name="person_given_key_with",
            ),
            models.Index(
                fields=["family_name_key"],
                include=["given_name_key", "family", "id"],
                name="person_family_key_with",
            ),
        ]
        constraints = [
            check_in("role", MemberRole, "person_role_valid"),
            check_in("sex", Sex, "person_sex_valid"),
            check_in("ethnicity", Ethnicity, "person_ethnicity_valid"),
            check_in("relationship", Relationship, "person_relationship_valid"),
        ]

    def __str__(self) -> str:
        return f"Person {self.pk}"


# The access log names a record by its model's label and refuses updates: rows
# written before these models moved here keep their casework labels. Who-viewed
# queries read both.
FORMER_LABELS = {
    "families.family": "casework.family",
    "families.person": "casework.person",
}


class NameKey(models.Model):
    """Every name key a person or someone on a form has had: the vocabulary a
    search's words are matched against first (``families.names.keys_matching``),
    so that people and forms are then read by exact keys from B-tree indexes.

    Written by the database itself (triggers on the people and form members
    tables, ``families/migrations/0003``), so that no writer, batched or not,
    can leave a key out. Keys are never removed: one no longer used matches
    no one."""

    key = models.CharField(max_length=100, primary_key=True)

    def __str__(self) -> str:
        return self.key
