"""Audit reports (selectors): the final-grade distribution by period, locality
and type; open and overdue follow-up actions; themes. One set-based query per
table; the API, the HTML report and the PDF all read from here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet

from audits.models import ActionStatus, AuditAction, AuditAnswer, AuditGrade, CaseAudit
from core.codes import AuditType
from core.periods import Month, financial_year_of, half_year_of
from localities.models import Locality

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def percent(count: int, total: int) -> Decimal:
    """``count`` of ``total`` as a percentage to 2 decimal places, half up;
    0.00 when there is nothing to count."""
    if not total:
        return Decimal("0.00")
    return (Decimal(count) * HUNDRED / Decimal(total)).quantize(
        CENT, rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    count: int
    percent: Decimal


@dataclass(frozen=True)
class Distribution:
    title: str
    total: int
    rows: list[Row]

    @property
    def grand_total_percent(self) -> Decimal:
        """The Grand Total row: 100.00% whenever anything was counted, even when
        the rounded rows add to 99.99 or 100.01."""
        return Decimal("100.00") if self.total else Decimal("0.00")


def finalised_in(first: Month, last: Month) -> QuerySet[CaseAudit]:
    """Case audits finalised from the start of ``first`` to the end of
    ``last`` (Europe/London months), by the final (moderated) grade."""
    start, _ = first.bounds()
    _, end = last.bounds()
    return CaseAudit.objects.filter(
        status=CaseAudit.Status.FINALISED,
        finalised_at__gte=start,
        finalised_at__lt=end,
    )


def _scale() -> list[AuditGrade]:
    return list(AuditGrade.objects.order_by("position", "code"))


def _distribution(
    title: str, counts: dict[str, int], scale: list[AuditGrade]
) -> Distribution:
    total = sum(counts.get(g.code, 0) for g in scale)
    return Distribution(
        title=title,
        total=total,
        rows=[
            Row(
                g.code,
                g.label,
                counts.get(g.code, 0),
                percent(counts.get(g.code, 0), total),
            )
            for g in scale
        ],
    )


def grade_distribution(
    *,
    first: Month,
    last: Month,
    locality: Locality | None = None,
    audit_type: str | None = None,
) -> Distribution:
    """Final grades of audits finalised in the months ``first``..``last``
    (inclusive), optionally for one locality and one audit type: every grade of
    the scale in order, zero counts included."""
    audits = finalised_in(first, last)
    if locality is not None:
        audits = audits.filter(locality=locality)
    if audit_type:
        audits = audits.filter(type=audit_type)
    rows = audits.order_by().values("final_grade").annotate(n=Count("pk"))
    counts = {str(r["final_grade"]): int(r["n"]) for r in rows}
    return _distribution("All audits", counts, _scale())


def _grouped(first: Month, last: Month, key: str) -> dict[str, dict[str, int]]:
    grouped: dict[str, dict[str, int]] = {}
    rows = (
        finalised_in(first, last)
        .order_by()
        .values_list(key, "final_grade")
        .annotate(n=Count("pk"))
    )
    for group, grade, n in rows:
        grouped.setdefault(str(group), {})[grade] = n
    return grouped


def distribution_by_locality(first: Month, last: Month) -> list[Distribution]:
    scale = _scale()
    grouped = _grouped(first, last, "locality__slug")
    return [
        _distribution(locality.name, grouped.get(locality.slug, {}), scale)
        for locality in Locality.objects.order_by("name")
    ]


def distribution_by_type(first: Month, last: Month) -> list[Distribution]:
    scale = _scale()
    grouped = _grouped(first, last, "type")
    return [
        _distribution(label, grouped.get(code, {}), scale)
        for code, label in AuditType.choices
    ]


@dataclass(frozen=True)
class Period:
    kind: str  # month, half_year, year
    first: Month
    last: Month

    @property
    def label(self) -> str:
        if self.first == self.last:
            return self.first.label()
        return f"{self.first.label()} to {self.last.label()}"


def period_for(kind: str, month: Month) -> Period:
    """The month itself, its half year (April–September, October–March) or its
    financial year (April–March)."""
    if kind == "half_year":
        return Period(kind, *half_year_of(month))
    if kind == "year":
        return Period(kind, *financial_year_of(month))
    return Period("month", month, month)


def actions_open(today: date) -> tuple[list[AuditAction], int]:
    """Open follow-up actions, soonest due first, and how many are overdue."""
    actions = list(
        AuditAction.objects.filter(status=ActionStatus.OPEN)
        .select_related("owner", "audit", "audit__locality")
        .order_by("due_on", "pk")
    )
    return actions, sum(1 for a in actions if a.due_on < today)


@dataclass(frozen=True)
class Theme:
    domain: str
    question: str
    weak: int  # graded below Good
    graded: int

    @property
    def percent(self) -> Decimal:
        return percent(self.weak, self.graded)


def themes(first: Month, last: Month, limit: int = 5) -> list[Theme]:
    """The questions most often graded below Good in the period's finalised
    audits: where practice most needs to improve."""
    audits = finalised_in(first, last).values("pk")
    rows = (
        AuditAnswer.objects.filter(audit__in=audits, grade__isnull=False)
        .values("question__domain__title", "question__text")
        .annotate(
            weak=Count("pk", filter=Q(grade__good=False)),
            graded=Count("pk"),
        )
        .filter(weak__gt=0)
        .order_by("-weak", "question__domain__title", "question__text")[:limit]
    )
    return [
        Theme(r["question__domain__title"], r["question__text"], r["weak"], r["graded"])
        for r in rows
    ]
