"""On realistic data the scorecard run and the hand-written SQL of
``bench/scorecard_sql.py`` agree on every indicator, locality and the city:
value, numerator, denominator and (EH03) provisional. Months are taken at
moments where EH21's windows have all ended, where some scopes' have not, and
where EH03 is still provisional; EH23 is compared against keyed-in EH23D
figures."""

from __future__ import annotations

import datetime as dt
import json
from unittest import mock

import pytest
from django.db.models import Count

from bench.scorecard_sql import reference_values
from casework.models import CaseClosure
from core.periods import Month, local_midnight
from family_connect.models import FamilyConnectForm
from localities.models import Locality
from records_import.run import records_import
from scorecard.models import Indicator, PartnerFigure, Value
from scorecard.services import scorecard_run
from tests.demo.test_seed_demo import context
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Breakdown rows being added to the run; compared once it produces them.
PENDING_PREFIXES = ("EH22:",)


def _import_demo(tmp_path):
    from demo.generator import demo_episodes

    path = tmp_path / "demo.jsonl"
    episodes = list(demo_episodes(scale="small", seed=3, context=context(), count=600))
    path.write_text("".join(json.dumps(e) + "\n" for e in episodes))
    assert records_import(path).rejected == 0


def _busiest(queryset, field):
    row = (
        queryset.values(f"{field}__year", f"{field}__month")
        .annotate(n=Count("pk"))
        .order_by("-n", f"-{field}__year", f"-{field}__month")
        .first()
    )
    assert row is not None
    return Month(row[f"{field}__year"], row[f"{field}__month"])


def _partner_figures(month):
    """EH23D for the city and every locality but one; one locality keys in 0."""
    lead = UserFactory(organisation=None)
    indicator = Indicator.objects.get(ref="EH23D")
    localities = list(Locality.objects.order_by("slug"))
    PartnerFigure.objects.create(
        indicator=indicator, period=str(month), value=40, entered_by=lead
    )
    for i, locality in enumerate(localities[1:]):
        PartnerFigure.objects.create(
            indicator=indicator,
            period=str(month),
            locality=locality,
            value=0 if i == 0 else 3 + i,
            entered_by=lead,
        )


def _same(a, b):
    if a is None or b is None:
        return a is None and b is None
    return a == pytest.approx(b, rel=1e-9, abs=1e-9)


def _differences(release, reference):
    """Every (ref, scope) cell where the run and the SQL differ, as text."""
    produced = {
        (v.ref, v.locality_id): v for v in Value.objects.filter(release=release)
    }
    expected = {
        (ref, scope): cell
        for ref, cells in reference.items()
        for scope, cell in cells.items()
    }
    out = []
    for key in sorted(produced.keys() - expected.keys(), key=str):
        out.append(f"{key}: only the run produced it")
    for key in sorted(expected.keys() - produced.keys(), key=str):
        if not key[0].startswith(PENDING_PREFIXES):
            out.append(f"{key}: only the SQL produced it")
    for key in sorted(produced.keys() & expected.keys(), key=str):
        v, cell = produced[key], expected[key]
        got = (v.value, v.numerator, v.denominator, v.provisional)
        if not all(_same(a, b) for a, b in zip(got, cell, strict=True)):
            out.append(f"{key}: run {got} != SQL {tuple(cell)}")
    return out


def test_the_run_and_the_hand_written_sql_agree(tmp_path):
    _import_demo(tmp_path)
    forms = FamilyConnectForm.objects.all()
    last_received = forms.order_by("-received_at").first().received_at
    latest = Month.of(last_received)
    # "Now" for the imported history: shortly after its last form.
    present = last_received + dt.timedelta(days=2)
    busy = _busiest(forms, "received_at")
    ended = _busiest(
        CaseClosure.objects.filter(
            closed_at__lt=local_midnight(latest.plus(-4).first_day)
        ),
        "closed_at",
    )
    runs = [
        # Long after: every window has ended.
        (busy, dt.datetime(2031, 1, 1, tzinfo=dt.UTC)),
        # Half way through the windows of the busy month's closures.
        (busy, local_midnight(busy.plus(3).first_day) + dt.timedelta(days=14)),
        # The month with the most closures whose windows have all ended.
        (ended, present),
        # The last month: EH03 provisional, EH21 not yet calculable.
        (latest, present),
    ]
    for month in {busy, ended}:
        _partner_figures(month)
    localities = dict(Locality.objects.values_list("pk", "slug"))
    problems = []
    seen = {"eh21_calculable": 0, "eh21_pending": 0, "provisional": 0, "eh23": 0}
    not_produced = set()
    for month, now in runs:
        with mock.patch("core.clock.now", return_value=now):
            release = scorecard_run(period=month)
        reference = reference_values(month, now, localities)
        problems += [
            f"{month} at {now:%Y-%m-%d}: {p}" for p in _differences(release, reference)
        ]
        produced = set(
            Value.objects.filter(release=release).values_list("ref", flat=True)
        )
        not_produced |= reference.keys() - produced
        for cell in reference["EH21a"].values():
            if cell.denominator:
                seen["eh21_calculable"] += 1
            elif cell.denominator is None:
                seen["eh21_pending"] += 1
        seen["provisional"] += sum(c.provisional for c in reference["EH03"].values())
        seen["eh23"] += sum(c.value is not None for c in reference["EH23"].values())
    assert not problems, "\n".join(problems)
    assert all(ref.startswith(PENDING_PREFIXES) for ref in not_produced)
    # The months and moments chosen exercise what they are meant to.
    assert all(seen.values()), seen
