"""The roles of PRODUCT §1."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    REQUESTER = "requester", "Requester"
    PRACTITIONER = "practitioner", "Practitioner"
    LOCALITY_MANAGER = "locality_manager", "Locality manager"
    AUDITOR = "auditor", "Auditor"
    PERFORMANCE_LEAD = "performance_lead", "Performance lead"
    ADMINISTRATOR = "administrator", "Administrator"
    DATA_PROTECTION = "data_protection", "Data protection officer"


# Staff roles must pass two-factor before anything beyond the home page. Requesters
# are partner professionals who only submit forms and follow their own.
STAFF_ROLES = frozenset(
    {
        Role.PRACTITIONER,
        Role.LOCALITY_MANAGER,
        Role.AUDITOR,
        Role.PERFORMANCE_LEAD,
        Role.ADMINISTRATOR,
        Role.DATA_PROTECTION,
    }
)

# Roles whose work is tied to one or more localities.
LOCALITY_ROLES = frozenset({Role.PRACTITIONER, Role.LOCALITY_MANAGER})

ROLE_SUMMARIES = {
    Role.REQUESTER: (
        "Ask for help for a family through a Family Connect Form and follow the "
        "status and decision of the forms your organisation submitted."
    ),
    Role.PRACTITIONER: (
        "Work the cases you lead or are a team member of in your locality: "
        "assessment, Our Family Plan, reviews, notes, step-up and closure."
    ),
    Role.LOCALITY_MANAGER: (
        "Run your locality: the triage queue, allocation, transfers, closure sign-off "
        "and your team's caseloads."
    ),
    Role.AUDITOR: (
        "Audit the case files assigned to you in an open audit round and record "
        "your grades."
    ),
    Role.PERFORMANCE_LEAD: (
        "See the city and locality scorecards and audit reports, and export "
        "aggregate figures."
    ),
    Role.ADMINISTRATOR: (
        "Manage users, organisations and reference data: localities, wards, "
        "reasons, audit templates and indicators."
    ),
    Role.DATA_PROTECTION: (
        "Answer for the records held about people: who viewed a person's "
        "records, subject access requests and retention."
    ),
}

# The group (created by a data migration) whose permissions open the
# administration site to administrators: reference data, never case data.
ADMINISTRATORS_GROUP = "Administrators"
