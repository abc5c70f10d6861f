"""Reference codes shared by intake and casework (PRODUCT §6, IMPORT.md).

Codes are stable English snake_case: reports, imports and the API rely on them.
Labels are translatable because the public journey shows them to families.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    NOT_KNOWN = "not_known", _("Not known")


class Ethnicity(models.TextChoices):
    """The ONS 2021 census ethnic groups."""

    ASIAN_BANGLADESHI = "asian_bangladeshi", _("Asian or Asian British: Bangladeshi")
    ASIAN_CHINESE = "asian_chinese", _("Asian or Asian British: Chinese")
    ASIAN_INDIAN = "asian_indian", _("Asian or Asian British: Indian")
    ASIAN_PAKISTANI = "asian_pakistani", _("Asian or Asian British: Pakistani")
    ASIAN_OTHER = "asian_other", _("Asian or Asian British: any other Asian background")
    BLACK_AFRICAN = (
        "black_african",
        _("Black, Black British, Caribbean or African: African"),
    )
    BLACK_CARIBBEAN = (
        "black_caribbean",
        _("Black, Black British, Caribbean or African: Caribbean"),
    )
    BLACK_OTHER = (
        "black_other",
        _("Black, Black British, Caribbean or African: any other Black background"),
    )
    MIXED_WHITE_ASIAN = "mixed_white_asian", _("Mixed or multiple: White and Asian")
    MIXED_WHITE_BLACK_AFRICAN = (
        "mixed_white_black_african",
        _("Mixed or multiple: White and Black African"),
    )
    MIXED_WHITE_BLACK_CARIBBEAN = (
        "mixed_white_black_caribbean",
        _("Mixed or multiple: White and Black Caribbean"),
    )
    MIXED_OTHER = "mixed_other", _("Mixed or multiple: any other mixed background")
    WHITE_BRITISH = (
        "white_british",
        _("White: English, Welsh, Scottish, Northern Irish or British"),
    )
    WHITE_IRISH = "white_irish", _("White: Irish")
    WHITE_GYPSY_IRISH_TRAVELLER = (
        "white_gypsy_irish_traveller",
        _("White: Gypsy or Irish Traveller"),
    )
    WHITE_ROMA = "white_roma", _("White: Roma")
    WHITE_OTHER = "white_other", _("White: any other White background")
    OTHER_ARAB = "other_arab", _("Other ethnic group: Arab")
    OTHER_ANY = "other_any", _("Other ethnic group: any other ethnic group")
    NOT_STATED = "not_stated", _("Prefer not to say")


class Relationship(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    STEP_PARENT = "step_parent", _("Step-parent")
    GRANDPARENT = "grandparent", _("Grandparent")
    CARER = "carer", _("Carer")
    SIBLING = "sibling", _("Brother or sister")
    OTHER = "other", _("Other")


class MemberRole(models.TextChoices):
    CHILD = "child", _("Child")
    ADULT = "adult", _("Adult")


class LevelOfNeed(models.TextChoices):
    """Right Help, Right Time (seed 001, "Layers of Need")."""

    UNIVERSAL = "universal", _("Universal")
    UNIVERSAL_PLUS = "universal_plus", _("Universal plus")
    ADDITIONAL = "additional", _("Additional")
    COMPLEX_SIGNIFICANT = "complex_significant", _("Complex or significant")


LEVEL_OF_NEED_HELP = {
    LevelOfNeed.UNIVERSAL: _(
        "Needs are met by the services every family uses, such as schools, "
        "nurseries, GPs and health visitors."
    ),
    LevelOfNeed.UNIVERSAL_PLUS: _(
        "Some extra help from one service or a community group would meet the "
        "family's needs."
    ),
    LevelOfNeed.ADDITIONAL: _(
        "Several needs that call for a coordinated plan with more than one service "
        "working together with the family."
    ),
    LevelOfNeed.COMPLEX_SIGNIFICANT: _(
        "Complex needs or risk of significant harm: contact the children's advice "
        "and support service (social care front door)."
    ),
}


def check_in(
    field: str, choices: type[models.TextChoices], name: str
) -> models.CheckConstraint:
    """A database check that ``field`` holds one of the codes (or is blank)."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__in": ["", *choices.values]}),
        name=name,
    )
