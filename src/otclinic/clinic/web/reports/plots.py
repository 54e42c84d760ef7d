"""Bar charts as server-rendered SVG, for the reports: one bar per row of the table beside it.

Like the goal plots (care/plots.py): dark bars on white with each value written at the bar's
end, so the chart reads without colour and in print; `role="img"` with a <title> and a <desc>
that say the numbers in words. The table next to the chart holds the same numbers.
"""

from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

WIDTH = 520
LABEL_W, VALUE_W, BAR_H, GAP, TOP = 190, 60, 18, 8, 6


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | Decimal


def _fmt(value: int | Decimal) -> str:
    return str(value)


def describe(title: str, bars: list[Bar]) -> str:
    """The chart in words: each label and its value."""
    if not bars:
        return f"{title}: nothing in this range."
    return f"{title}: " + "; ".join(f"{b.label} {_fmt(b.value)}" for b in bars) + "."


def bar_chart_svg(*, plot_id: str, title: str, bars: list[Bar]) -> str:
    """An accessible horizontal bar chart; the longest bar spans the plot's width."""
    height = TOP * 2 + max(len(bars), 1) * (BAR_H + GAP)
    top = max((b.value for b in bars), default=0) or 1
    span = WIDTH - LABEL_W - VALUE_W
    title_id, desc_id = f"{plot_id}-title", f"{plot_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="report-plot" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'aria-labelledby="{title_id} {desc_id}" id={quoteattr(plot_id)}>',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(describe(title, bars))}</desc>',
    ]
    for index, bar in enumerate(bars):
        y = TOP + index * (BAR_H + GAP)
        length = span * float(Decimal(bar.value) / Decimal(top)) if bar.value > 0 else 0
        parts += [
            f'<text x="{LABEL_W - 6}" y="{y + BAR_H - 5}" text-anchor="end" font-size="12">'
            f"{escape(bar.label[:32])}</text>",
            f'<rect x="{LABEL_W}" y="{y}" width="{length:.1f}" height="{BAR_H}" fill="#1f3a5f"/>',
            f'<text x="{LABEL_W + length + 4:.1f}" y="{y + BAR_H - 5}" font-size="12">'
            f"{escape(_fmt(bar.value))}</text>",
        ]
    parts.append("</svg>")
    return "".join(parts)
