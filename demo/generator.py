"""Realistic demo and benchmark data as an ``early-help-episode/1`` file.

``demo_episodes`` yields one episode at a time (memory stays flat at every
scale), deterministically for a seed and an end date: the same inputs give the
same lines. The mixes come from the partnership's own documents
(``demo.profiles``): locality volumes and needs, routes, the six
published reasons, decisions mostly inside a week with a tail, assessments,
reviews and closures with plausible score changes, step-ups, step-downs,
re-referrals, social care referrals after closure, audits, and names and
ethnicities reflecting the city.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

from demo import profiles as P

LONDON = ZoneInfo("Europe/London")
SCALES = {
    # episodes, years of history
    "small": (2_000, 1),
    "city": (39_000, 1),
    "city5y": (195_000, 5),
}
WHEEL = [
    "healthy_lifestyles",
    "relationships",
    "learning_development",
    "community_engagement",
    "safeguarding",
]
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


@dataclass(frozen=True)
class Context:
    """Reference data the generator draws from (from the database, sorted)."""

    districts: dict[str, list[str]]  # locality slug → its postcode districts
    until: dt.date
    demo_share: float = 0.15  # of a locality's cases led by its demo sign-in


def _moment(r: random.Random, day: dt.date, start_hour: int = 8) -> dt.datetime:
    at = dt.datetime.combine(
        day,
        dt.time(start_hour + r.randrange(0, 9), r.randrange(60), r.randrange(60)),
        tzinfo=LONDON,
    )
    return at


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _weighted(r: random.Random, table: Mapping[str, float]) -> str:
    keys = list(table)
    return r.choices(keys, weights=[table[k] for k in keys])[0]


def _working_day_after(day: dt.date, days: int) -> dt.date:
    out = day + dt.timedelta(days=days)
    while out.weekday() >= 5:
        out += dt.timedelta(days=1)
    return out


class _Households:
    """Households already written, for re-referrals (a bounded recent pool)."""

    def __init__(self, limit: int = 5_000) -> None:
        self.pool: list[dict[str, Any]] = []
        self.limit = limit

    def add(self, household: dict[str, Any]) -> None:
        self.pool.append(household)
        if len(self.pool) > self.limit:
            self.pool.pop(0)


def demo_episodes(
    *, scale: str, seed: int, context: Context, count: int | None = None
) -> Iterator[dict[str, Any]]:
    """The scale's episodes (or ``count`` of them over the scale's years)."""
    default_count, years = SCALES[scale]
    count = default_count if count is None else count
    r = random.Random(f"{scale}:{seed}")  # noqa: S311  # reproducible demo data
    if scale != "small":
        context = replace(context, demo_share=1 / P.PRACTITIONERS_PER_LOCALITY)
    first_day = context.until - dt.timedelta(days=365 * years)
    span = (context.until - first_day).days
    households = _Households()
    counters = {"household": 0, "person": 0}
    # Receipt days in order: the file reads like the history it is.
    days = sorted(first_day + dt.timedelta(days=_day(r, span)) for _ in range(count))
    for n, day in enumerate(days, start=1):
        yield _episode(r, n, day, context, households, counters)


def _day(r: random.Random, span: int) -> int:
    # Fewer requests at weekends.
    while True:
        d = r.randrange(span)
        if d % 7 < 5 or r.random() < 0.25:
            return d


def _person_id(counters: dict[str, int]) -> str:
    counters["person"] += 1
    return f"P-{counters['person']:07d}"


def _new_household(
    r: random.Random,
    locality: str,
    day: dt.date,
    context: Context,
    counters: dict[str, int],
) -> dict[str, Any]:
    counters["household"] += 1
    district = r.choice(context.districts[locality])
    postcode = (
        f"{district} {r.randrange(1, 10)}{r.choice(INWARD_LETTERS)}"
        f"{r.choice(INWARD_LETTERS)}"
    )
    heritage = _weighted(r, P.LOCALITY_ETHNICITY.get(locality, P.CITY_ETHNICITY))
    surname = r.choice(P.NAMES[heritage]["family"])
    members = []
    adult_sex = "female" if r.random() < 0.8 else "male"
    members.append(
        {
            "external_id": _person_id(counters),
            "role": "adult",
            "relationship": "mother" if adult_sex == "female" else "father",
            "given_name": r.choice(P.NAMES[heritage][adult_sex]),
            "family_name": surname,
            "date_of_birth": (
                day - dt.timedelta(days=r.randrange(20, 50) * 365 + r.randrange(365))
            ).isoformat(),
            "sex": adult_sex,
            "ethnicity": heritage,
        }
    )
    if r.random() < 0.35:
        other = "male" if adult_sex == "female" else "female"
        members.append(
            {
                "external_id": _person_id(counters),
                "role": "adult",
                "relationship": "father" if other == "male" else "mother",
                "given_name": r.choice(P.NAMES[heritage][other]),
                "family_name": surname,
                "sex": other,
                "ethnicity": heritage,
            }
        )
    for _ in range(r.choices([1, 2, 3, 4], weights=[45, 32, 15, 8])[0]):
        sex = r.choice(["female", "male"])
        members.append(
            {
                "external_id": _person_id(counters),
                "role": "child",
                "given_name": r.choice(P.NAMES[heritage][sex]),
                "family_name": surname,
                "date_of_birth": (
                    day - dt.timedelta(days=r.randrange(0, 17 * 365))
                ).isoformat(),
                "sex": sex,
                "ethnicity": heritage,
            }
        )
    return {
        "external_id": f"HH-{counters['household']:07d}",
        "postcode": postcode,
        "address_line": f"{r.randrange(1, 220)} {r.choice(P.STREETS)}",
        "members": members,
        "_locality": locality,
    }


def _episode(
    r: random.Random,
    n: int,
    day: dt.date,
    context: Context,
    households: _Households,
    counters: dict[str, int],
) -> dict[str, Any]:
    received = _moment(r, day)
    rereferral = households.pool and r.random() < P.REREFERRAL_RATE
    if rereferral:
        base = r.choice(households.pool)
        locality = base["_locality"]
        household = {**base}
    else:
        locality = _weighted(r, P.LOCALITY_VOLUME)
        household = _new_household(r, locality, day, context, counters)
        households.add(household)
    members = [
        m
        for m in household["members"]
        if m["role"] == "adult"
        or m["date_of_birth"] > (day - dt.timedelta(days=18 * 365)).isoformat()
    ]
    if not any(m["role"] == "child" for m in members):
        # The children have grown up: a new baby is on the way.
        due = day + dt.timedelta(days=r.randrange(30, 200))
        heritage = household["members"][0]["ethnicity"]
        baby = {
            "external_id": _person_id(counters),
            "role": "child",
            "given_name": r.choice(P.NAMES[heritage]["female"]),
            "family_name": household["members"][0]["family_name"],
            "date_of_birth": due.isoformat(),
            "expected": True,
            "sex": "not_known",
            "ethnicity": heritage,
        }
        household["members"] = [*household["members"], baby]
        if rereferral:
            base["members"] = household["members"]
        members.append(baby)
    children = [m for m in members if m["role"] == "child"]

    route = _weighted(r, P.ROUTES)
    request_type = "consultation" if r.random() < P.CONSULTATION_RATE else "support"
    consent = True if request_type == "support" else r.random() < 0.6
    reasons = [code for code, p in P.REASONS.items() if r.random() < p]
    if not reasons:
        # Keeps the published shares exact: a request with none of them is
        # recorded under "other".
        reasons = ["other"]
    request: dict[str, Any] = {
        "route": route,
        "request_type": request_type,
        "received_at": _iso(received),
        "locality": locality,
        "reasons": reasons,
        "level_of_need": _weighted(r, P.LEVEL_OF_NEED),
        "consent": consent,
    }
    if route in P.ROUTE_ORGANISATIONS:
        request["organisation"] = r.choice(P.ROUTE_ORGANISATIONS[route])
    if route == "step_down":
        request["closed_to_social_care_on"] = (
            day - dt.timedelta(days=r.randrange(1, 30))
        ).isoformat()
    episode: dict[str, Any] = {
        "schema": "early-help-episode/1",
        "external_id": f"EP-{n:07d}",
        "household": {k: v for k, v in household.items() if not k.startswith("_")}
        | {"members": members},
        "request": request,
    }

    # The decision: most inside a week, with a tail; the newest still waiting.
    wait_days = (
        r.randrange(0, 7) if r.random() < P.DECIDED_IN_A_WEEK else r.randrange(7, 30)
    )
    decided_day = _working_day_after(day, wait_days)
    if decided_day >= context.until:
        return episode
    decided = max(_moment(r, decided_day), received + dt.timedelta(minutes=5))
    current_locality = locality
    if r.random() < P.TRANSFER_RATE:
        moved_to = r.choice(sorted(set(P.LOCALITY_VOLUME) - {locality}))
        at = received + (decided - received) / 2
        request["transfers"] = [
            {
                "to_locality": moved_to,
                "at": _iso(at),
                "reason": "Family lives in another locality",
            }
        ]
        current_locality = moved_to
    outcome = _weighted(r, P.OUTCOMES)
    if outcome == "allocated" and not consent:
        outcome = "consultation_given"
    manager = P.manager(current_locality)
    request["decision"] = {
        "outcome": outcome,
        "decided_at": _iso(decided),
        "by": manager,
        "reason": P.DECISION_REASONS[outcome],
    }
    if outcome != "allocated" and r.random() < P.DUPLICATE_RATE:
        request["final_status"] = "duplicate"
    if r.random() < P.FEEDBACK_RATE:
        request["requester_feedback"] = {
            "score": r.choices([1, 2, 3, 4, 5], weights=[3, 5, 15, 40, 37])[0],
            "given_at": _iso(decided + dt.timedelta(days=r.randrange(1, 10))),
        }
    if outcome == "allocated":
        episode["case"] = _case(
            r, decided, context, members, children, current_locality, n
        )
        _after_closure(r, episode, children, context)
        if r.random() < P.AUDIT_RATE and "closure" in episode["case"]:
            closed = dt.datetime.fromisoformat(episode["case"]["closure"]["closed_at"])
            finalised = closed + dt.timedelta(days=r.randrange(10, 60))
            if finalised.date() < context.until:
                episode["audits"] = [
                    {
                        "type": _weighted(r, P.AUDIT_TYPES),
                        "finalised_at": _iso(finalised),
                        "grade": _weighted(r, P.AUDIT_GRADES),
                        "auditor": f"auditor.{r.randrange(1, 25):02d}@demo.example",
                    }
                ]
    return episode


def _scores(r: random.Random, centre: float) -> dict[str, int]:
    return {d: max(1, min(10, round(r.gauss(centre, 1.5)))) for d in WHEEL}


def _case(
    r: random.Random,
    decided: dt.datetime,
    context: Context,
    members: list[dict[str, Any]],
    children: list[dict[str, Any]],
    locality: str,
    n: int,
) -> dict[str, Any]:
    opened = decided
    case: dict[str, Any] = {
        "lead_practitioner": P.practitioner(locality, r, context.demo_share),
        "opened_at": _iso(opened),
    }
    until = dt.datetime.combine(context.until, dt.time(0), tzinfo=LONDON)
    completed = opened + dt.timedelta(
        days=r.choices([r.randrange(5, 30), r.randrange(30, 60)], weights=[80, 20])[0],
        hours=r.randrange(0, 6),
    )
    if completed >= until or r.random() < P.NO_ASSESSMENT_RATE:
        # Some families disengage or move before the assessment is done.
        closed = opened + dt.timedelta(days=r.randrange(10, 60))
        if closed < until:
            case["closure"] = {
                "closed_at": _iso(closed),
                "reason": r.choice(["declined_or_disengaged", "moved_away"]),
                "children": {},
            }
        return case
    baseline = r.uniform(3.0, 5.5)
    case["assessment"] = {
        "completed_at": _iso(completed),
        "scaling": max(0, min(10, round(baseline))),
        "wheel": _scores(r, baseline),
        "person_scores": {
            m["external_id"]: max(1, min(10, round(r.gauss(baseline, 1.5))))
            for m in members
        },
    }
    # Reviews every six weeks; scores drift upwards for most families.
    gain = r.gauss(P.MEAN_GAIN, 1.2)
    held = completed
    reviews = []
    n_reviews = r.choices([0, 1, 2, 3, 4], weights=[10, 30, 30, 20, 10])[0]
    for i in range(1, n_reviews + 1):
        held = held + dt.timedelta(weeks=6, days=r.randrange(-3, 4))
        if held >= until:
            break
        level = baseline + gain * i / (n_reviews + 1)
        reviews.append(
            {
                "held_at": _iso(held),
                "scaling": max(0, min(10, round(level))),
                "wheel": _scores(r, level),
                "person_scores": {
                    m["external_id"]: max(1, min(10, round(r.gauss(level, 1.5))))
                    for m in members
                },
            }
        )
    if reviews:
        case["reviews"] = reviews
    closed = held + dt.timedelta(days=r.randrange(7, 45))
    if r.random() < P.STEP_UP_RATE and children:
        at = completed + dt.timedelta(days=r.randrange(1, 40))
        if at < min(closed, until):
            case["step_ups"] = [
                {
                    "person": children[0]["external_id"],
                    "referred_at": _iso(at),
                    "outcome": _weighted(r, P.STEP_UP_OUTCOMES),
                }
            ]
    if closed >= until:
        return case
    reason = (
        "stepped_up"
        if "step_ups" in case and r.random() < 0.5
        else _weighted(r, P.CLOSURE_REASONS)
    )
    final = baseline + gain
    case["closure"] = {
        "closed_at": _iso(closed),
        "reason": reason,
        "wheel": _scores(r, final),
        "person_scores": {
            m["external_id"]: max(1, min(10, round(r.gauss(final, 1.5))))
            for m in members
        },
        "children": {
            c["external_id"]: {
                q: r.choices(["yes", "no", "not_asked"], weights=[70, 12, 18])[0]
                for q in ("happy", "healthy", "safe")
            }
            for c in children
            if not c.get("expected")
        },
    }
    if r.random() < 0.6:
        case["closure"]["family_feedback"] = {
            "score": r.choices([1, 2, 3, 4, 5], weights=[2, 4, 12, 38, 44])[0],
            "comment": r.choice(P.FEEDBACK_COMMENTS),
        }
    return case


def _after_closure(
    r: random.Random,
    episode: dict[str, Any],
    children: list[dict[str, Any]],
    context: Context,
) -> None:
    """Some children are referred to social care within months of closure."""
    closure = episode["case"].get("closure")
    if closure is None or not children or r.random() >= P.REFERRAL_AFTER_CLOSURE_RATE:
        return
    at = dt.datetime.fromisoformat(closure["closed_at"]) + dt.timedelta(
        days=r.randrange(5, 150)
    )
    if at.date() < context.until:
        episode["social_care_referrals"] = [
            {"person": children[0]["external_id"], "referred_at": _iso(at)}
        ]
