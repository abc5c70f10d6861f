"""The search page and the people API, measured as a locality manager would
use them (``bench.run``)."""

from __future__ import annotations

import statistics
from typing import Any
from urllib.parse import urlencode

from bench.measure import http_get, percentile

FLOOR = "/benchmark/floor/"


def search_queries(locality: Any) -> list[str]:
    """What a manager of the locality types to find a family: a full name, a
    family name with two letters swapped, a date of birth as "3/4/2014", a
    postcode without its space, and the start of a given name with a family
    name — for a few of the locality's people."""
    from families.models import Person

    people = (
        Person.objects.filter(family__locality=locality, date_of_birth__isnull=False)
        .exclude(family__postcode="")
        .select_related("family")
        .order_by("pk")[:4]
    )
    queries = []
    for p in people:
        key = p.family_name_key
        swapped = key[:1] + key[2:3] + key[1:2] + key[3:] if len(key) > 3 else key
        born = p.date_of_birth
        assert born is not None and p.family is not None  # as filtered
        queries += [
            f"{p.given_name} {p.family_name}",
            swapped,
            f"{born.day}/{born.month}/{born.year}",
            p.family.postcode.replace(" ", "").lower(),
            f"{p.given_name_key[:3]} {p.family_name}",
        ]
    return queries


def search_measure(port: int, s: dict[str, Any], requests: int) -> dict[str, Any]:
    """The search page and the people API as the busiest locality's manager,
    going round the queries of ``search_queries``; each median's ratio to the
    floor view's, asked in the same rounds (as the pages are)."""
    out: dict[str, Any] = {}
    queries = s["searches"]
    for name, path, auth in (
        ("search_page", "/search/", {"session": s["manager"]}),
        ("people_api", "/api/v1/people/", {"token": s["manager_token"]}),
    ):
        statuses = set()
        times = []
        floor = []
        by_query: dict[str, list[float]] = {}
        for i in range(requests + 3):
            query = queries[i % len(queries)]
            status, ms = http_get(port, f"{path}?{urlencode({'q': query})}", **auth)
            statuses.add(status)
            _status, floor_ms = http_get(port, FLOOR, session=s["manager"])
            if i >= 3:
                times.append(ms)
                floor.append(floor_ms)
                by_query.setdefault(query, []).append(ms)
        out[name] = {
            "path": path,
            "queries": len(queries),
            "status": sorted(statuses),
            "median_ms": round(statistics.median(times), 1),
            "floor_median_ms": round(statistics.median(floor), 1),
            "ratio_to_floor": round(
                statistics.median(times) / statistics.median(floor), 2
            ),
            "p95_ms": round(percentile(times, 0.95), 1),
            # Which inputs are slow: the slowest time of each, slowest first.
            "slowest_inputs_ms": dict(
                sorted(
                    ((q, round(max(t), 1)) for q, t in by_query.items()),
                    key=lambda item: -item[1],
                )[:5]
            ),
        }
    return out
