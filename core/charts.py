"""Line charts drawn as inline SVG by the templates: this module only works out
where things go (no markup, no domain). The SVG scales with ``viewBox`` and
``width: 100%`` so it fits a phone; the numbers are always also in a table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# GOV.UK colours, each with its own dash pattern so a line is told apart
# without its colour.
PALETTE = [
    ("#1d70b8", ""),
    ("#d4351c", "8 4"),
    ("#00703c", "2 4"),
    ("#4c2c92", "12 4 2 4"),
    ("#f47738", "4 4"),
    ("#505a5f", "10 6"),
]

# Drawn at 560 units wide and scaled to the column: on a 390-pixel phone a
# 20-unit label still reads at about 13 pixels.
WIDTH, HEIGHT = 560, 300
LEFT, RIGHT, TOP, BOTTOM = 40, 24, 14, 44
FONT_SIZE = 20
# Lines with the same scores would hide one another: each is drawn a little to
# the side of the next.
DODGE = 4
# The first and last points stand clear of the scale's labels.
INSET = 18


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    value: int


@dataclass(frozen=True)
class Line:
    name: str
    colour: str
    dash: str
    # Each stretch of consecutive values, as an SVG ``points`` attribute; a
    # missing value breaks the line.
    segments: list[str]
    marks: list[Mark]


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    font_size: int
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    lines: list[Line]


def line_chart(
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int | None]]],
    *,
    low: int = 0,
    high: int = 10,
) -> LineChart:
    """Where each point, line and tick goes for ``series`` (a name and one value
    or None per x label) on a scale from ``low`` to ``high``."""
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    count = len(x_labels)

    def x_at(i: int) -> float:
        if count <= 1:
            return LEFT + plot_w / 2
        return round(LEFT + INSET + (plot_w - 2 * INSET) * i / (count - 1), 1)

    def y_at(v: float) -> float:
        return round(TOP + plot_h * (high - v) / (high - low), 1)

    lines = []
    for n, (name, values) in enumerate(series):
        colour, dash = PALETTE[n % len(PALETTE)]
        # However many lines there are, they spread over 24 units at most.
        gap = min(DODGE, 24 / max(len(series) - 1, 1))
        shift = round(gap * (n - (len(series) - 1) / 2), 1)
        marks: list[Mark] = []
        segments: list[str] = []
        stretch: list[str] = []
        for i, value in enumerate(values):
            if value is None:
                if stretch:
                    segments.append(" ".join(stretch))
                stretch = []
                continue
            mark = Mark(round(x_at(i) + shift, 1), y_at(value), value)
            marks.append(mark)
            stretch.append(f"{mark.x},{mark.y}")
        if stretch:
            segments.append(" ".join(stretch))
        lines.append(
            Line(
                name=name,
                colour=colour,
                dash=dash,
                segments=[s for s in segments if " " in s],
                marks=marks,
            )
        )
    # Every other value is labelled on a long scale, and the bottom of it.
    step = 2 if high - low > 5 else 1
    return LineChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=HEIGHT - BOTTOM,
        font_size=FONT_SIZE,
        x_ticks=[Tick(x_at(i), label) for i, label in enumerate(x_labels)],
        y_ticks=[
            Tick(y_at(v), str(v))
            for v in range(low, high + 1)
            if v == low or (v - high) % step == 0
        ],
        lines=lines,
    )
