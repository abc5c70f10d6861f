from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from accounts.roles import Role
from audits.models import AuditTemplate
from audits.services import RoundInput, audit_round_create
from tests.factories import OrganisationFactory, UserFactory


def auditor(agency: str = "Health", **kwargs):
    return UserFactory(
        role=Role.AUDITOR,
        organisation=OrganisationFactory(name=agency, kind="health"),
        **kwargs,
    )


def performance_lead():
    return UserFactory(role=Role.PERFORMANCE_LEAD, organisation=None)


def round_input(**overrides: Any) -> RoundInput:
    values: dict[str, Any] = {
        "type": "monthly_citywide",
        "title": "Monthly audit, May 2026",
        "period_start": dt.date(2026, 5, 1),
        "period_end": dt.date(2026, 5, 31),
        "locality_slugs": ["erdington"],
        "sample_size": 2,
        # Audits are due today or later.
        "due_on": timezone.localdate() + dt.timedelta(days=30),
        "auditor_emails": [],
        "moderator_email": "",
    }
    values.update(overrides)
    return RoundInput(**values)


def make_round(*, lead=None, auditors=None, moderator=None, **overrides):
    lead = lead or performance_lead()
    auditors = auditors or [auditor("Health"), auditor("Police")]
    moderator = moderator or auditor("Council")
    data = round_input(
        auditor_emails=[a.email for a in auditors],
        moderator_email=moderator.email,
        **overrides,
    )
    return audit_round_create(actor=lead, data=data), lead, auditors, moderator


def questions():
    template = AuditTemplate.objects.get(current=True)
    return [q for d in template.domains.all() for q in d.questions.all()]
