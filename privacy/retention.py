"""Retention (selectors): which records have been kept for their full period
(``RetentionRule``) and are due to have their personal data purged. This is the
report a purge is checked against first; it changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from casework.models import Case, CaseStatus
from core.periods import add_months_to_moment, local_date
from family_connect.models import FamilyConnectForm, FormStatus
from privacy.models import RetentionRecord, RetentionRule

# Decisions that end a form without a case.
NOT_ALLOCATED = [
    FormStatus.SIGNPOSTED,
    FormStatus.CONSULTATION_GIVEN,
    FormStatus.STEPPED_UP,
    FormStatus.NO_FURTHER_ACTION,
    FormStatus.DUPLICATE,
    FormStatus.WITHDRAWN,
]


@dataclass(frozen=True)
class Due:
    record_type: str
    pk: int
    record: str  # "case 12" or a form reference: never a name
    locality: str
    since: date  # closure or receipt
    kept_until: date


@dataclass(frozen=True)
class RetentionReport:
    now: datetime
    cutoffs: dict[str, datetime]
    due: list[Due]

    def count(self, record_type: str) -> int:
        return sum(1 for d in self.due if d.record_type == record_type)


def retention_due(now: datetime) -> RetentionReport:
    """Every record whose retention period ended before ``now``, oldest first
    (the period counted in calendar months on the London calendar)."""
    rules = dict(RetentionRule.objects.values_list("record_type", "keep_months"))
    cutoffs = {
        kind: add_months_to_moment(now, -months) for kind, months in rules.items()
    }
    due: list[Due] = []
    cutoff = cutoffs.get(RetentionRecord.CLOSED_CASE)
    if cutoff is not None:
        months = rules[RetentionRecord.CLOSED_CASE]
        for pk, closed_at, locality in (
            Case.objects.filter(status=CaseStatus.CLOSED, closed_at__lt=cutoff)
            .order_by("closed_at", "pk")
            .values_list("pk", "closed_at", "locality__name")
        ):
            assert closed_at is not None  # filtered on it
            due.append(
                Due(
                    RetentionRecord.CLOSED_CASE,
                    pk,
                    f"case {pk}",
                    locality,
                    local_date(closed_at),
                    local_date(add_months_to_moment(closed_at, months)),
                )
            )
    cutoff = cutoffs.get(RetentionRecord.FORM_NOT_ALLOCATED)
    if cutoff is not None:
        months = rules[RetentionRecord.FORM_NOT_ALLOCATED]
        for pk, reference, received_at, locality in (
            FamilyConnectForm.objects.filter(
                status__in=NOT_ALLOCATED, case__isnull=True, received_at__lt=cutoff
            )
            .order_by("received_at", "pk")
            .values_list("pk", "reference", "received_at", "locality__name")
        ):
            due.append(
                Due(
                    RetentionRecord.FORM_NOT_ALLOCATED,
                    pk,
                    reference,
                    locality or "no locality",
                    local_date(received_at),
                    local_date(add_months_to_moment(received_at, months)),
                )
            )
    return RetentionReport(now=now, cutoffs=cutoffs, due=due)
