"""Goal progress plots as server-rendered SVG: one small chart per goal, readable in print.

Dark strokes on white, no colour needed to read them (the target is dashed, the baseline
dotted, each measurement a filled circle with its value), and a <title> and <desc> that say in
words what the chart shows, for screen readers and for a page printed in black and white.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

WIDTH, HEIGHT = 360, 180
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 14, 30


@dataclass(frozen=True)
class GoalPoint:
    day: dt.date
    value: Decimal
    source: str  # "note", "progress report", "discharge", "baseline"


@dataclass(frozen=True)
class GoalSeries:
    plot_id: str
    label: str
    measure: str
    unit: str
    baseline: Decimal
    target: Decimal
    start: dt.date
    target_date: dt.date
    points: tuple[GoalPoint, ...]


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _scales(
    series: GoalSeries,
) -> tuple[Callable[[dt.date], float], Callable[[Decimal], float]]:
    days = [series.start, series.target_date, *[p.day for p in series.points]]
    first, last = min(days), max(days)
    span_days = max((last - first).days, 1)
    values = [series.baseline, series.target, *[p.value for p in series.points]]
    low, high = min(values), max(values)
    pad = (high - low) * Decimal("0.1") or Decimal(1)
    low, high = low - pad, high + pad
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: dt.date) -> float:
        return LEFT + plot_w * (day - first).days / span_days

    def y(value: Decimal) -> float:
        return TOP + plot_h * float((high - value) / (high - low))

    return x, y


def describe(series: GoalSeries) -> str:
    """The chart in words: baseline, target, and each measurement with its date."""
    unit = f" {series.unit}" if series.unit else ""
    measured = "; ".join(
        f"{p.day:%b %d}: {_fmt(p.value)}{unit} ({p.source})" for p in series.points
    )
    return (
        f"{series.measure}: baseline {_fmt(series.baseline)}{unit}, target {_fmt(series.target)}"
        f"{unit} by {series.target_date:%b %d, %Y}. "
        + (f"Measurements: {measured}." if series.points else "No measurements yet.")
    )


def goal_plot_svg(series: GoalSeries) -> str:
    """An accessible SVG line chart of one goal's measurements against its baseline and target."""
    x, y = _scales(series)
    title_id, desc_id = f"{series.plot_id}-title", f"{series.plot_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="goal-plot" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}">',
        f'<title id="{title_id}">{escape(series.label)}</title>',
        f'<desc id="{desc_id}">{escape(describe(series))}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
        _axes(series),
        _reference_line(y(series.baseline), "baseline", "2 3", _fmt(series.baseline)),
        _reference_line(y(series.target), "target", "6 4", _fmt(series.target)),
        _target_marker(x(series.target_date)),
    ]
    if series.points:
        coords = " ".join(f"{x(p.day):.1f},{y(p.value):.1f}" for p in series.points)
        parts.append(
            f'<polyline class="progress" points="{coords}" fill="none" stroke="#111" '
            f'stroke-width="2"/>'
        )
    parts.extend(_point(p, x(p.day), y(p.value), series.unit) for p in series.points)
    parts.append("</svg>")
    return "".join(parts)


def _axes(series: GoalSeries) -> str:
    bottom, right = HEIGHT - BOTTOM, WIDTH - RIGHT
    return (
        f'<g class="axes" stroke="#444" stroke-width="1">'
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}"/>'
        f'<line x1="{LEFT}" y1="{bottom}" x2="{right}" y2="{bottom}"/></g>'
        f'<text x="{LEFT}" y="{HEIGHT - 10}" font-size="10" fill="#111">'
        f"{series.start:%b %d}</text>"
        f'<text x="{right}" y="{HEIGHT - 10}" font-size="10" fill="#111" text-anchor="end">'
        f"{series.target_date:%b %d}</text>"
        f'<text x="4" y="{TOP + 8}" font-size="10" fill="#111">{escape(series.unit)}</text>'
    )


def _reference_line(at: float, name: str, dash: str, label: str) -> str:
    return (
        f'<line class="{name}" x1="{LEFT}" y1="{at:.1f}" x2="{WIDTH - RIGHT}" y2="{at:.1f}" '
        f'stroke="#555" stroke-dasharray="{dash}"/>'
        f'<text x="{LEFT - 4}" y="{at + 3:.1f}" font-size="10" fill="#111" text-anchor="end">'
        f"{escape(label)}</text>"
    )


def _target_marker(at: float) -> str:
    return (
        f'<line class="target-date" x1="{at:.1f}" y1="{TOP}" x2="{at:.1f}" '
        f'y2="{HEIGHT - BOTTOM}" stroke="#999" stroke-dasharray="1 3"/>'
    )


def _point(point: GoalPoint, cx: float, cy: float, unit: str) -> str:
    label = f"{point.day:%b %d}: {_fmt(point.value)} {unit} ({point.source})".replace("  ", " ")
    return (
        f'<circle class="point" cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="#111">'
        f"<title>{escape(label)}</title></circle>"
        f'<text x="{cx:.1f}" y="{cy - 7:.1f}" font-size="9" fill="#111" text-anchor="middle" '
        f"aria-hidden={quoteattr('true')}>{escape(_fmt(point.value))}</text>"
    )
