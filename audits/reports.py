"""Audit reports (selectors): the final-grade distribution by period, locality
and type; open and overdue follow-up actions; themes. One set-based query per
table; the API, the HTML report and the PDF all read from here.

Every selector takes an explicit upper bound, ``until``: nothing at or after
it is counted. A report for a month passes the month's end in Europe/London
(``Month.until``), so an audit finalised on 1 December never reaches
November's half-year, year or themes figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet

from audits.codes import AuditType
from audits.models import ActionStatus, AuditAction, AuditAnswer, AuditGrade, CaseAudit
from core.periods import Month, financial_year_of, half_year_of, local_date
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


def finalised_in(first: Month, *, until: datetime) -> QuerySet[CaseAudit]:
    """Case audits finalised from the start of ``first`` (Europe/London) up to,
    not including, ``until``, by the final (moderated) grade."""
    start, _ = first.bounds()
    return CaseAudit.objects.filter(
        status=CaseAudit.Status.FINALISED,
        finalised_at__gte=start,
        finalised_at__lt=until,
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
    until: datetime,
    locality: Locality | None = None,
    audit_type: str | None = None,
) -> Distribution:
    """Final grades of audits finalised from the start of ``first`` up to
    ``until``, optionally for one locality and one audit type: every grade of
    the scale in order, zero counts included."""
    audits = finalised_in(first, until=until)
    if locality is not None:
        audits = audits.filter(locality=locality)
    if audit_type:
        audits = audits.filter(type=audit_type)
    rows = audits.order_by().values("final_grade").annotate(n=Count("pk"))
    counts = {str(r["final_grade"]): int(r["n"]) for r in rows}
    return _distribution("All audits", counts, _scale())


def _grouped(first: Month, until: datetime, key: str) -> dict[str, dict[str, int]]:
    grouped: dict[str, dict[str, int]] = {}
    rows = (
        finalised_in(first, until=until)
        .order_by()
        .values_list(key, "final_grade")
        .annotate(n=Count("pk"))
    )
    for group, grade, n in rows:
        grouped.setdefault(str(group), {})[grade] = n
    return grouped


def distribution_by_locality(first: Month, *, until: datetime) -> list[Distribution]:
    return _by_locality(_grouped(first, until, "locality__slug"), _scale())


def _by_locality(
    grouped: dict[str, dict[str, int]], scale: list[AuditGrade]
) -> list[Distribution]:
    return [
        _distribution(locality.name, grouped.get(locality.slug, {}), scale)
        for locality in Locality.objects.order_by("name")
    ]


def distribution_by_type(first: Month, *, until: datetime) -> list[Distribution]:
    return _by_type(_grouped(first, until, "type"), _scale())


def _by_type(
    grouped: dict[str, dict[str, int]], scale: list[AuditGrade]
) -> list[Distribution]:
    return [
        _distribution(label, grouped.get(code, {}), scale)
        for code, label in AuditType.choices
    ]


def report_distributions(
    first: Month, *, until: datetime
) -> tuple[Distribution, list[Distribution], list[Distribution]]:
    """``grade_distribution``, ``distribution_by_locality`` and
    ``distribution_by_type`` for the same period, from one count of the
    audits by locality, type and grade and one read of the scale."""
    overall: dict[str, int] = {}
    by_locality: dict[str, dict[str, int]] = {}
    by_type: dict[str, dict[str, int]] = {}
    rows = (
        finalised_in(first, until=until)
        .order_by()
        .values_list("locality__slug", "type", "final_grade")
        .annotate(n=Count("pk"))
    )
    for slug, kind, grade, n in rows:
        for counts in (
            overall,
            by_locality.setdefault(str(slug), {}),
            by_type.setdefault(str(kind), {}),
        ):
            counts[grade] = counts.get(grade, 0) + n
    scale = _scale()
    return (
        _distribution("All audits", {str(g): n for g, n in overall.items()}, scale),
        _by_locality(by_locality, scale),
        _by_type(by_type, scale),
    )


KIND_NAMES = {"half_year": "half year", "year": "financial year"}


@dataclass(frozen=True)
class Period:
    """A reporting period as a report for ``month`` counts it: from the start
    of ``first`` up to ``until`` (the end of ``month`` in Europe/London, or the
    present moment while ``month`` is still running). ``last`` is the
    period's own last month: a half year to date stops at ``month``."""

    kind: str  # month, half_year, year
    first: Month
    last: Month
    month: Month
    until: datetime

    @property
    def to_date(self) -> bool:
        return self.month < self.last

    @property
    def running(self) -> bool:
        """Whether the report's month is not over yet."""
        return self.until < self.month.end

    @property
    def label(self) -> str:
        if self.first == self.month:
            return self.month.label()
        text = f"{self.first.label()} to {self.month.label()}"
        if self.to_date:
            text += f" ({KIND_NAMES[self.kind]} to date)"
        return text

    @property
    def heading(self) -> str:
        """A short column heading: "Half year to date", "Month"."""
        if self.kind == "month":
            return "Month"
        name = KIND_NAMES[self.kind].capitalize()
        return f"{name} to date" if self.to_date else name

    @property
    def span(self) -> str:
        """The months counted, abbreviated: "Oct 2026 to Nov 2026"."""
        first, month = self.first.first_day, self.month.first_day
        if self.first == self.month:
            return f"{month:%b %Y}"
        return f"{first:%b %Y} to {month:%b %Y}"

    @property
    def counted_to(self) -> str:
        """The bound in words, for the page and the PDF."""
        if self.running:
            return f"up to now ({self.month.label()} is not over)"
        last_day = self.month.last_day
        return f"up to the end of {last_day.day} {last_day:%B %Y}, UK time"


def period_for(kind: str, month: Month, *, until: datetime) -> Period:
    """The month itself, its half year (April–September, October–March) or its
    financial year (April–March) to the end of ``month``, counted up to
    ``until`` (the caller's bound: ``month.until(now)``)."""
    if kind == "half_year":
        first, last = half_year_of(month)
    elif kind == "year":
        first, last = financial_year_of(month)
    else:
        kind, first, last = "month", month, month
    return Period(kind, first, last, month, until)


def actions_open(*, as_of: datetime) -> QuerySet[AuditAction]:
    """Follow-up actions open at ``as_of``: added before it and not done by it."""
    return AuditAction.objects.filter(created_at__lt=as_of).filter(
        Q(status=ActionStatus.OPEN, done_at__isnull=True) | Q(done_at__gte=as_of)
    )


def actions_open_counts(*, as_of: datetime) -> tuple[int, int]:
    """How many follow-up actions were open at ``as_of`` and how many of them
    were overdue then: due before the London day ``as_of`` falls in. For a
    past month's end (00:00 on the 1st of the next month) an action due on the
    month's last day and not done by its end is overdue; for the present
    moment, one due before today. One query."""
    counts = actions_open(as_of=as_of).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=local_date(as_of)))
    )
    return counts["open"], counts["overdue"]


@dataclass(frozen=True)
class Theme:
    domain: str
    question: str
    weak: int  # graded below Good
    graded: int

    @property
    def percent(self) -> Decimal:
        return percent(self.weak, self.graded)


def themes(first: Month, *, until: datetime, limit: int = 5) -> list[Theme]:
    """The questions most often graded below Good in the audits finalised from
    the start of ``first`` up to ``until``: where practice most needs to
    improve."""
    audits = finalised_in(first, until=until).values("pk")
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
