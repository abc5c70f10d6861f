"""``seed_demo``: deterministic, realistic, and every line imports."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from casework.models import Case, ImportedEpisode
from demo.generator import Context, demo_episodes
from localities.models import PostcodeDistrict
from records_import.run import records_import

pytestmark = pytest.mark.django_db
UNTIL = dt.date(2026, 11, 23)


def context() -> Context:
    districts: dict[str, list[str]] = {}
    for district, slug in PostcodeDistrict.objects.order_by(
        "locality__slug", "district"
    ).values_list("district", "locality__slug"):
        districts.setdefault(slug, []).append(district)
    return Context(districts=districts, until=UNTIL)


def test_the_same_seed_writes_the_same_file_and_another_seed_does_not(tmp_path):
    def write(name: str, seed: int) -> bytes:
        path = tmp_path / name
        call_command(
            "seed_demo",
            "--scale=small",
            f"--seed={seed}",
            "--until=2026-11-23",
            f"--output={path}",
            "--no-import",
            stdout=StringIO(),
        )
        return path.read_bytes()

    first = write("a.jsonl", 1)
    assert first == write("b.jsonl", 1)
    assert first != write("c.jsonl", 2)
    assert first.count(b"\n") == 2000


def test_the_mix_follows_the_partnerships_figures():
    episodes = list(
        demo_episodes(scale="city", seed=1, context=context(), count=20_000)
    )
    n = len(episodes)
    reasons = Counter(r for e in episodes for r in e["request"]["reasons"])
    for code, share in {
        "financial_housing_employment": 0.47,
        "health_emotional_wellbeing": 0.36,
        "children_young_people": 0.25,
        "domestic_abuse": 0.15,
        "education": 0.14,
        "risk_of_homelessness": 0.08,
    }.items():
        assert abs(reasons[code] / n - share) < 0.02, (code, reasons[code] / n)
    routes = Counter(e["request"]["route"] for e in episodes)
    assert routes.most_common(1)[0][0] == "school"
    localities = Counter(e["request"]["locality"] for e in episodes)
    assert len(localities) == 10
    assert localities["hodge-hill"] > 2 * localities["sutton-coldfield"]
    decided = [e for e in episodes if "decision" in e["request"]]
    waits = [
        dt.datetime.fromisoformat(e["request"]["decision"]["decided_at"])
        - dt.datetime.fromisoformat(e["request"]["received_at"])
        for e in decided
    ]
    within_week = sum(w <= dt.timedelta(days=7) for w in waits) / len(waits)
    assert 0.75 < within_week < 0.95
    assert max(waits) > dt.timedelta(days=14)  # a tail
    households = Counter(e["household"]["external_id"] for e in episodes)
    assert 0.10 < sum(c > 1 for c in households.values()) / len(households) < 0.30
    ethnicity = Counter(
        m["ethnicity"] for e in episodes for m in e["household"]["members"]
    )
    assert ethnicity.most_common(2)[0][0] == "white_british"
    assert ethnicity.most_common(2)[1][0] == "asian_pakistani"
    grades = Counter(a["grade"] for e in episodes for a in e.get("audits", []))
    assert grades["good"] and grades["requires_improvement"] and grades["outstanding"]


def test_every_generated_line_imports(tmp_path):
    path = tmp_path / "demo.jsonl"
    with path.open("w") as handle:
        for e in demo_episodes(scale="small", seed=3, context=context(), count=150):
            handle.write(json.dumps(e) + "\n")
    rejected: list[str] = []
    report = records_import(path, report_line=lambda n, m: rejected.append(f"{n}: {m}"))
    assert rejected == [] and report.imported == 150
    assert ImportedEpisode.objects.count() == 150
    assert Case.objects.filter(status="closed").exists()
    assert Case.objects.filter(status="plan").exists()
