"""One set-based function per indicator (INDICATORS.md), each computing every
locality and the city in a few queries."""

from __future__ import annotations

from scorecard.measures import (
    caseload,
    eh01,
    eh02,
    eh03,
    eh04_eh05,
    eh06,
    eh07,
    eh08,
    escalation,
    outcomes,
    quality,
)
from scorecard.measures.base import Measure

MEASURES: list[Measure] = [
    eh01.measure,
    eh02.measure,
    eh03.measure,
    eh04_eh05.measure,
    eh06.measure,
    eh07.measure,
    eh08.measure,
    caseload.measure,
    outcomes.measure,
    escalation.measure,
    quality.measure,
]
