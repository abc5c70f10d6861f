"""Scorecard runs store immutable releases; running a month again makes a new
release and leaves the old one as it was."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.periods import Month
from localities.models import Locality
from scorecard.models import Indicator, Release, Value
from scorecard.services import scorecard_run
from tests.factories import FormFactory
from tests.scorecard.helpers import UTC, loc

pytestmark = pytest.mark.django_db


def snapshot(release: Release) -> list[tuple]:
    return sorted(
        Value.objects.filter(release=release).values_list(
            "ref", "locality_id", "value", "numerator", "denominator", "provisional"
        ),
        key=repr,
    )


def test_the_registry_lists_every_computed_indicator_and_the_partner_figures():
    refs = set(Indicator.objects.values_list("ref", flat=True))
    for ref in ("EH01", "EH03", "EH10", "EH20e", "EH21d", "EH25c", "EH27", "EH23D"):
        assert ref in refs
    assert len([r for r in refs if r.startswith("EH07:")]) == 13
    assert Indicator.objects.get(ref="EH23D").source == "partner"
    assert Indicator.objects.get(ref="OF7.2").data_owner == "West Midlands Police"


def test_a_run_stores_every_scope_and_a_rerun_makes_a_new_release():
    at = dt.datetime(2024, 5, 14, 10, tzinfo=UTC)
    FormFactory(received_at=at, locality=loc("erdington"))
    first = scorecard_run(period=Month(2024, 5))
    assert first.status == "done" and first.generated_at is not None
    assert first.code_version
    scopes = Locality.objects.count() + 1
    eh01 = Value.objects.filter(release=first, ref="EH01")
    assert eh01.count() == scopes
    assert eh01.get(locality=None).value == 1
    before = snapshot(first)

    FormFactory(received_at=at, locality=loc("ladywood"))
    second = scorecard_run(period=Month(2024, 5))
    assert second.pk != first.pk
    assert snapshot(first) == before  # the old release never changes
    assert Value.objects.get(release=second, ref="EH01", locality=None).value == 2
    assert Release.objects.filter(period="2024-05").count() == 2


def test_a_failed_run_is_marked_failed(monkeypatch):
    def broken(period):
        raise RuntimeError("measure failed")

    monkeypatch.setattr("scorecard.services.MEASURES", [broken])
    with pytest.raises(RuntimeError):
        scorecard_run(period=Month(2024, 5))
    release = Release.objects.get()
    assert release.status == "failed" and "measure failed" in release.error
    assert not Value.objects.exists()


def test_the_command_prints_the_release_id():
    out = StringIO()
    call_command("run_scorecard", "--period", "2024-05", stdout=out)
    assert out.getvalue().strip() == str(Release.objects.get().pk)
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("run_scorecard", "--period", "May 2024")
