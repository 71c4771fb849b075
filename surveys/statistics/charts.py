"""The public statistics' chart of the largest gaps, drawn on the server as SVG.

The shared charts (surveys.analysis.charts) are 660 units wide with the labels beside the
bars, so on a phone their text shrinks to about half its size. This one is 400 units wide
with each competence's name above its own row, so it keeps its text readable from a
390 px screen up. Same conventions: no script, no inline style, colours as presentation
attributes, a <title> and <desc>, and every number also in a table on the page.
"""

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ..analysis import svg
from ..analysis.svg import CURRENT, IMPORTANCE, REQUIRED, shown

WIDTH = 400
PLOT_LEFT = 14
PLOT_RIGHT = WIDTH - 70
SCALE = (1, 5)
LABEL_SIZE = 14
LABEL_LINE = 17
LABEL_CHARACTERS = 44
TOP = 30
MARK_ROW = 20
ROW_GAP = 14
LEGEND_LINE = 18
INK = "#1a1f29"
MUTED = "#56606e"
GRID = "#d5dbe3"


@dataclass(frozen=True)
class GapLine:
    """One competence in the chart: its rank, name and released means (None: not drawn)."""

    label: str
    current: float | None
    importance: float | None
    required: float | None
    mwds: float


def _x(value: float) -> float:
    low, high = SCALE
    return PLOT_LEFT + (min(max(value, low), high) - low) / (high - low) * (PLOT_RIGHT - PLOT_LEFT)


def _label_lines(text: str) -> list[str]:
    """At most two lines; a longer name ends with an ellipsis (the table has it in full)."""
    lines = textwrap.wrap(text, LABEL_CHARACTERS) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), LABEL_CHARACTERS, placeholder="…")]
    return lines


def _mark(shape: str, x: float, y: float, colour: str, label: str, value: float) -> str:
    tooltip = format_html("<title>{}: {}</title>", label, shown(value, "{:.2f}"))
    if shape == "circle":
        return format_html(
            '<circle cx="{}" cy="{}" r="5.5" fill="{}">{}</circle>',
            f"{x:.1f}",
            f"{y:.1f}",
            colour,
            tooltip,
        )
    if shape == "square":
        return format_html(
            '<rect x="{}" y="{}" width="10" height="10" fill="{}">{}</rect>',
            f"{x - 5:.1f}",
            f"{y - 5:.1f}",
            colour,
            tooltip,
        )
    return format_html(
        '<path d="M {} {} l 6.5 6.5 l -6.5 6.5 l -6.5 -6.5 z" fill="{}" stroke="#fff" '
        'stroke-width="1">{}</path>',
        f"{x:.1f}",
        f"{y - 6.5:.1f}",
        colour,
        tooltip,
    )


def largest_gaps_chart(
    lines: Sequence[GapLine],
    *,
    title: str,
    description: str,
    with_required: bool,
    chart_id: str = "gaps-chart",
) -> SafeString:
    """Current level (circle) and importance (square), and where released the level
    employers require (diamond), on the 1 to 5 scale, one row per competence, with the
    weighted gap written at the right of each row."""
    rows = []
    y = TOP
    for line in lines:
        labels = _label_lines(line.label)
        rows.append((line, labels, y))
        y += LABEL_LINE * len(labels) + MARK_ROW + ROW_GAP
    plot_bottom = y - ROW_GAP + 4
    legend = [
        ("circle", CURRENT, _("Current level")),
        ("square", IMPORTANCE, _("Importance")),
    ]
    if with_required:
        legend.append(("diamond", REQUIRED, _("Required by employers")))
    height = plot_bottom + 16 + LEGEND_LINE * len(legend)

    parts = [svg.opening(chart_id, "chart chart--gaps", WIDTH, height, title, description)]
    low, high = SCALE
    for tick in range(low, high + 1):
        x = _x(tick)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{}" font-size="13" fill="{}" text-anchor="middle">{}</text>',
                f"{x:.1f}",
                TOP - 8,
                f"{x:.1f}",
                plot_bottom,
                GRID,
                f"{x:.1f}",
                TOP - 14,
                MUTED,
                tick,
            )
        )
    parts.append(
        format_html(
            '<text x="{}" y="{}" font-size="12" font-weight="bold" fill="{}" '
            'text-anchor="end">{}</text>',
            WIDTH - 2,
            TOP - 14,
            INK,
            _("MWDS"),
        )
    )
    for line, labels, top in rows:
        for number, text in enumerate(labels):
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="{}" fill="{}">{}</text>',
                    PLOT_LEFT - 10,
                    top + LABEL_LINE * number + 12,
                    LABEL_SIZE,
                    INK,
                    text,
                )
            )
        mid = top + LABEL_LINE * len(labels) + MARK_ROW / 2
        ends = [value for value in (line.current, line.importance) if value is not None]
        if len(ends) == 2:
            parts.append(
                format_html(
                    '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="3"/>',
                    f"{_x(ends[0]):.1f}",
                    f"{mid:.1f}",
                    f"{_x(ends[1]):.1f}",
                    f"{mid:.1f}",
                    MUTED,
                )
            )
        for shape, colour, label, value in (
            ("diamond", REQUIRED, _("Required by employers"), line.required),
            ("circle", CURRENT, _("Current level"), line.current),
            ("square", IMPORTANCE, _("Importance"), line.importance),
        ):
            if value is not None:
                parts.append(_mark(shape, _x(value), mid, colour, label, value))
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="13" font-weight="bold" fill="{}" '
                'text-anchor="end">{}</text>',
                WIDTH - 2,
                f"{mid + 4.5:.1f}",
                INK,
                shown(line.mwds, "{:.2f}"),
            )
        )
    for number, (shape, colour, label) in enumerate(legend):
        y = plot_bottom + 16 + LEGEND_LINE * number
        parts.append(_legend_mark(shape, PLOT_LEFT, y, colour))
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="13" fill="{}">{}</text>',
                PLOT_LEFT + 14,
                y + 4,
                INK,
                label,
            )
        )
    parts.append("</svg>")
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - every piece escaped


def _legend_mark(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "circle":
        return format_html('<circle cx="{}" cy="{}" r="5.5" fill="{}"/>', x, y, colour)
    if shape == "square":
        return format_html(
            '<rect x="{}" y="{}" width="10" height="10" fill="{}"/>', x - 5, y - 5, colour
        )
    return format_html(
        '<path d="M {} {} l 6.5 6.5 l -6.5 6.5 l -6.5 -6.5 z" fill="{}"/>', x, y - 6.5, colour
    )
