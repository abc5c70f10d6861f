"""Drawing a round's sample: which cases are eligible, the reproducible draw, and
who audits which case."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from audits.codes import AuditType
from casework.models import Case, SocialCareReferral
from core.periods import add_months_to_moment, local_midnight

# A case audited in the previous six months is not drawn again (PRODUCT §3.4).
RECENTLY_AUDITED_MONTHS = 6


def eligible_cases(
    *,
    audit_type: str,
    locality_ids: Sequence[int],
    period_start: date,
    period_end: date,
    now: datetime,
) -> QuerySet[Case]:
    """Cases of the localities that were open at some point in the period
    (step-up rounds: with a step-up from the case in the period; step-down
    rounds: opened from a step-down form), leaving out cases audited in the six
    months before ``now``."""
    from audits.models import CaseAudit

    start = local_midnight(period_start)
    end = local_midnight(period_end + timedelta(days=1))
    cases = Case.objects.filter(
        locality_id__in=locality_ids,
        opened_at__lt=end,
    ).filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start))
    if audit_type == AuditType.STEP_UP:
        cases = cases.filter(
            Exists(
                SocialCareReferral.objects.filter(
                    case=OuterRef("pk"),
                    source=SocialCareReferral.Source.CASE,
                    referred_at__gte=start,
                    referred_at__lt=end,
                )
            )
        )
    elif audit_type == AuditType.STEP_DOWN:
        cases = cases.filter(forms__route="step_down").distinct()
    cutoff = add_months_to_moment(now, -RECENTLY_AUDITED_MONTHS)
    recent = CaseAudit.objects.filter(case=OuterRef("pk")).filter(
        Q(assigned_at__gte=cutoff) | Q(finalised_at__gte=cutoff)
    )
    return cases.exclude(Exists(recent))


def draw(candidates: Sequence[int], size: int, *, seed: int, stratum: str) -> list[int]:
    """``size`` of the candidate ids (all of them if fewer), at random but
    reproducibly: the same ids, size, seed and stratum give the same draw."""
    ordered = sorted(set(candidates))
    rng = random.Random(f"{seed}:{stratum}")  # noqa: S311  # a sample, not a secret
    if len(ordered) <= size:
        return ordered
    return rng.sample(ordered, size)


def assign(cases: Sequence[Any], auditors: Sequence[Any]) -> dict[int, Any]:
    """Share the cases out evenly, each to an auditor from an agency other than
    the lead practitioner's where the panel allows. Deterministic."""
    panel = sorted(auditors, key=lambda a: (a.email, a.pk))
    load = {a.pk: 0 for a in panel}
    chosen: dict[int, Any] = {}
    for case in cases:
        lead_org = case.lead_practitioner.organisation_id
        others = [a for a in panel if a.organisation_id != lead_org or not lead_org]
        pool = others or panel
        auditor = min(pool, key=lambda a: load[a.pk])
        load[auditor.pk] += 1
        chosen[case.pk] = auditor
    return chosen
