"""Quality and feedback:

- EH24: case audits of type ``monthly_citywide``, ``locality_bimonthly`` or
  ``themed`` finalised in M: % whose final grade is Outstanding or Good;
- EH25a–c: stepping-in / step-up / step-down audits finalised in M: the same;
- EH26: cases closed in M with a family feedback score: mean (1–5);
- EH27: requester feedback given in M, by the form's current locality: mean.

Audits belong to the audited case's locality and the month they were
finalised, by the final (moderated) grade (settled reading 21).
"""

from __future__ import annotations

from django.db.models import Count, F, Q, Sum

from audits.codes import AuditType
from audits.models import CaseAudit
from casework.models import CaseClosure
from family_connect.models import FormFeedback, FormStatus
from scorecard.measures.base import Cell, Period, Scope, mean_cells, percent_cells

AUDIT_GROUPS = {
    "EH24": (
        AuditType.MONTHLY_CITYWIDE,
        AuditType.LOCALITY_BIMONTHLY,
        AuditType.THEMED,
    ),
    "EH25a": (AuditType.STEPPING_IN,),
    "EH25b": (AuditType.STEP_UP,),
    "EH25c": (AuditType.STEP_DOWN,),
}


def measure(period: Period) -> dict[str, dict[Scope, Cell]]:
    audits = list(
        CaseAudit.objects.filter(
            status=CaseAudit.Status.FINALISED,
            finalised_at__gte=period.start,
            finalised_at__lt=period.end,
        )
        .values("type", scope=F("case__locality_id"))
        .annotate(n=Count("pk"), good=Count("pk", filter=Q(final_grade__good=True)))
        .order_by()
    )
    out: dict[str, dict[Scope, Cell]] = {}
    for ref, types in AUDIT_GROUPS.items():
        num: dict[int | None, int] = {}
        den: dict[int | None, int] = {}
        for r in audits:
            if r["type"] in types:
                num[r["scope"]] = num.get(r["scope"], 0) + r["good"]
                den[r["scope"]] = den.get(r["scope"], 0) + r["n"]
        out[ref] = percent_cells(period, num, den)

    family = list(
        CaseClosure.objects.filter(
            closed_at__gte=period.start,
            closed_at__lt=period.end,
            family_feedback_score__isnull=False,
        )
        .values(scope=F("case__locality_id"))
        .annotate(total=Sum("family_feedback_score"), n=Count("pk"))
        .order_by()
    )
    out["EH26"] = mean_cells(
        period,
        {r["scope"]: r["total"] for r in family},
        {r["scope"]: r["n"] for r in family},
    )
    requesters = list(
        FormFeedback.objects.filter(given_at__gte=period.start, given_at__lt=period.end)
        .exclude(form__status__in=(FormStatus.DUPLICATE, FormStatus.WITHDRAWN))
        .values(scope=F("form__locality_id"))
        .annotate(total=Sum("score"), n=Count("pk"))
        .order_by()
    )
    out["EH27"] = mean_cells(
        period,
        {r["scope"]: r["total"] for r in requesters},
        {r["scope"]: r["n"] for r in requesters},
    )
    return out
