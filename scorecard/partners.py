"""Partner-supplied monthly figures (services): keyed in or uploaded as CSV by
performance leads; one figure per indicator, month and scope, the latest entry
replacing an earlier one."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db import transaction

from accounts.models import User
from core.change_log import change_record
from core.errors import InvalidInput, Problem, refuse_if_any
from core.periods import Month
from core.uploads import RowError, csv_rows
from localities.models import Locality
from scorecard.models import Indicator, PartnerFigure, Source

COLUMNS = ["ref", "period", "locality", "value"]


@dataclass(frozen=True)
class FigureInput:
    ref: str
    period: str
    locality: str  # a slug, or blank for the city
    value: str


def _checked(data: FigureInput) -> tuple[Indicator, Month, Locality | None, float]:
    """The figure's parts, or every problem with them refused at once."""
    problems: list[Problem] = []
    indicator = Indicator.objects.filter(
        ref=data.ref.strip(), source=Source.PARTNER, active=True
    ).first()
    if indicator is None:
        problems.append(("ref", "Choose a partner-supplied indicator"))
    month = None
    try:
        month = Month.parse(data.period)
    except ValueError as exc:
        problems.append(("period", str(exc)))
    locality = None
    if data.locality.strip():
        locality = Locality.objects.filter(slug=data.locality.strip()).first()
        if locality is None:
            problems.append(
                ("locality", "No locality has that slug (for example, erdington)")
            )
    value = math.nan
    try:
        value = float(data.value.replace(",", "").strip())
    except ValueError:
        problems.append(("value", "Enter the figure as a number"))
    else:
        if not math.isfinite(value) or value < 0:
            problems.append(("value", "Enter the figure as a number, 0 or more"))
    refuse_if_any(problems)
    assert indicator is not None and month is not None  # refused above
    return indicator, month, locality, value


def partner_figure_record(*, data: FigureInput, actor: User) -> PartnerFigure:
    """Record one figure. Preconditions: ``access.may_read_scorecard`` and the
    actor is a performance lead."""
    indicator, month, locality, value = _checked(data)
    with transaction.atomic():
        figure = (
            PartnerFigure.objects.select_for_update()
            .filter(indicator=indicator, period=str(month), locality=locality)
            .first()
        )
        before = None if figure is None else {"value": figure.value}
        if figure is None:
            figure = PartnerFigure.objects.create(
                indicator=indicator,
                period=str(month),
                locality=locality,
                value=value,
                entered_by=actor,
            )
        else:
            figure.value, figure.entered_by = value, actor
            figure.save(update_fields=["value", "entered_by", "updated_at"])
        # Who entered what, and what it replaced.
        change_record(actor=actor, obj=figure, before=before, after={"value": value})
    return figure


def partner_figures_upload(
    *, content: bytes, actor: User
) -> tuple[int, list[RowError]]:
    """Record every row of an uploaded CSV, or none: with any bad row nothing is
    saved and every problem is reported by row."""
    rows = csv_rows(content, required=COLUMNS)
    checked = []
    errors: list[RowError] = []
    for number, row in enumerate(rows, start=2):
        data = FigureInput(
            ref=row.get("ref") or "",
            period=row.get("period") or "",
            locality=row.get("locality") or "",
            value=row.get("value") or "",
        )
        try:
            _checked(data)
        except InvalidInput as exc:
            errors += [
                RowError(number, field or "", message)
                for field, message in exc.problems
            ]
        else:
            checked.append(data)
    if errors:
        return 0, errors
    with transaction.atomic():
        for data in checked:
            partner_figure_record(data=data, actor=actor)
    return len(checked), []
