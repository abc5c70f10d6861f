"""On realistic data: every count indicator's city value is the sum of its
localities plus the unresolved forms, except EH02, which counts each household
once city-wide (settled reading 6)."""

from __future__ import annotations

import json

import pytest
from django.db.models import Count

from core.periods import Month
from family_connect.models import FamilyConnectForm
from records_import.run import records_import
from scorecard.models import Indicator, Value
from scorecard.services import scorecard_run
from tests.demo.test_seed_demo import context

pytestmark = pytest.mark.django_db


def test_city_counts_are_the_sum_of_the_localities_and_the_unresolved(tmp_path):
    from demo.generator import demo_episodes

    path = tmp_path / "demo.jsonl"
    episodes = list(demo_episodes(scale="small", seed=3, context=context(), count=600))
    path.write_text("".join(json.dumps(e) + "\n" for e in episodes))
    assert records_import(path).rejected == 0
    busiest = (
        FamilyConnectForm.objects.values("received_at__year", "received_at__month")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    assert busiest is not None
    month = Month(busiest["received_at__year"], busiest["received_at__month"])
    release = scorecard_run(period=month)
    counts = Indicator.objects.filter(unit="count", source="computed")
    checked = 0
    for ref in counts.values_list("ref", flat=True):
        values = Value.objects.filter(release=release, ref=ref)
        city = values.get(locality=None).value
        localities = sum(v.value for v in values.exclude(locality=None))
        if ref == "EH02":
            assert city <= localities
            continue
        start, end = month.bounds()
        unresolved_forms = FamilyConnectForm.objects.filter(
            locality=None, received_at__gte=start, received_at__lt=end
        )
        unresolved = {
            "EH01": unresolved_forms.count(),
            "EH06": unresolved_forms.filter(route="step_down")
            .exclude(status__in=("duplicate", "withdrawn"))
            .count(),
        }.get(ref, 0)  # case-based counts have no unresolved part
        assert city == localities + unresolved, ref
        checked += 1
    assert checked >= 5
    assert Value.objects.get(release=release, ref="EH01", locality=None).value > 0
