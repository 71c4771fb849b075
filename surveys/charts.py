"""Charts drawn on the server as SVG: no script, no inline style (the CSP forbids both).

Colours are SVG presentation attributes (``fill=``), text takes CSS classes, so the same
markup works in the page, in WeasyPrint PDFs and with styles off. Every chart is an image
with a <title> and <desc>; the page that shows it also shows the same numbers as a table.
Personal profiles use it now; regional reports will reuse it.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Series:
    """One kind of value drawn for each row, e.g. "current level"."""

    key: str
    label: str
    colour: str


@dataclass(frozen=True)
class Row:
    """One labelled group of bars; a heading row (an area) is drawn in bold."""

    label: str
    values: dict[str, float | None] = field(default_factory=dict)
    heading: bool = False


# Colours with at least 3:1 contrast against white, told apart by lightness too.
CURRENT = "#1c4e80"
IMPORTANCE = "#d08b00"
REQUIRED = "#2e7d4f"
COMPARISON = "#8a96a8"

LABEL_WIDTH = 260
PLOT_WIDTH = 360
BAR_HEIGHT = 10
ROW_GAP = 8
TOP = 28
LEGEND_HEIGHT = 24


def _truncate(text: str, limit: int = 42) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def horizontal_bars(
    rows: Sequence[Row],
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    scale_max: int = 5,
    chart_id: str = "chart",
) -> SafeString:
    """Grouped horizontal bars, one bar per series for each row, on a 0..scale_max axis."""
    group_height = BAR_HEIGHT * len(series) + ROW_GAP
    height = TOP + group_height * len(rows) + LEGEND_HEIGHT + 8
    width = LABEL_WIDTH + PLOT_WIDTH + 40
    unit = PLOT_WIDTH / scale_max
    parts: list[str] = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {} {}" '
            'width="{}" height="{}" role="img" aria-labelledby="{}-title {}-desc">'
            '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
            width,
            height,
            width,
            height,
            chart_id,
            chart_id,
            chart_id,
            title,
            chart_id,
            description,
        )
    ]
    # Axis: vertical grid lines at each whole level, labelled on top.
    for tick in range(scale_max + 1):
        x = LABEL_WIDTH + tick * unit
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#d5dbe3" stroke-width="1"/>'
                '<text x="{}" y="{}" class="chart-tick" text-anchor="middle" '
                'font-size="10" fill="#56606e">{}</text>',
                f"{x:.1f}",
                TOP - 6,
                f"{x:.1f}",
                TOP + group_height * len(rows),
                f"{x:.1f}",
                TOP - 10,
                tick,
            )
        )
    for index, row in enumerate(rows):
        y = TOP + index * group_height
        parts.append(
            format_html(
                '<text x="{}" y="{}" class="chart-label{}" text-anchor="end" font-size="11"'
                ' font-weight="{}" fill="#1a1f29">{}</text>',
                LABEL_WIDTH - 8,
                f"{y + BAR_HEIGHT * len(series) / 2 + 4:.1f}",
                " chart-label--heading" if row.heading else "",
                "bold" if row.heading else "normal",
                _truncate(row.label),
            )
        )
        for position, one in enumerate(series):
            value = row.values.get(one.key)
            if value is None:
                continue
            bar_y = y + position * BAR_HEIGHT
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" class="chart-bar">'
                    "<title>{}: {}</title></rect>",
                    LABEL_WIDTH,
                    f"{bar_y:.1f}",
                    f"{max(value, 0) * unit:.1f}",
                    BAR_HEIGHT - 1,
                    one.colour,
                    one.label,
                    f"{value:.1f}",
                )
            )
    legend_y = TOP + group_height * len(rows) + 16
    x = LABEL_WIDTH
    for one in series:
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="10" height="10" fill="{}"/>'
                '<text x="{}" y="{}" class="chart-legend" font-size="10" fill="#1a1f29">{}</text>',
                x,
                legend_y - 9,
                one.colour,
                x + 14,
                legend_y,
                one.label,
            )
        )
        x += 14 + 7 * len(one.label) + 16
    parts.append("</svg>")
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - every piece escaped
