"""Direction of travel, state by state."""

from __future__ import annotations

import pytest

from scorecard.dot import direction


@pytest.mark.parametrize(
    "current, previous, unit, polarity, tolerance, expected",
    [
        (None, 50.0, "percent", "higher", None, "could_not_calculate"),
        (50.0, None, "percent", "higher", None, "could_not_calculate"),
        (50.0, 50.0, "percent", "higher", None, "no_change"),
        (51.0, 50.0, "percent", "higher", None, "no_notable_change"),  # 1.0 pp
        (51.01, 50.0, "percent", "higher", None, "improving"),
        (48.9, 50.0, "percent", "higher", None, "declining"),
        (48.9, 50.0, "percent", "lower", None, "improving"),
        (105.0, 100.0, "count", "neutral", None, "no_notable_change"),  # 5%
        (106.0, 100.0, "count", "neutral", None, "higher"),
        (94.0, 100.0, "count", "neutral", None, "lower"),
        (4.1, 4.0, "mean", "higher", None, "no_notable_change"),  # 0.1
        (4.2, 4.0, "mean", "higher", None, "improving"),
        (3.0, 2.0, "median_days", "lower", None, "declining"),
        (1.0, 0.0, "count", "neutral", None, "higher"),  # 5% of 0 is 0
        (53.0, 50.0, "percent", "higher", 5.0, "no_notable_change"),  # own tolerance
    ],
)
def test_direction(current, previous, unit, polarity, tolerance, expected):
    got = direction(
        current=current,
        previous=previous,
        unit=unit,
        polarity=polarity,
        tolerance=tolerance,
    )
    assert got == expected
