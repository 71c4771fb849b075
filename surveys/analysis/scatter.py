"""Scatter charts with quadrants: points with their 95 % intervals, cross-hairs, the
quadrants' names and point labels placed without collisions (`labels`). The priority views
of surveys.analysis.charts draw with it."""

import math
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from . import labels, svg
from .svg import CURRENT, shown, truncate

SCATTER_SIZE = 480
SCATTER_MARGIN = 52
POINT_FONT = 10
CORNER_FONT = 9


@dataclass(frozen=True)
class Point:
    """A competence in a scatter chart: each coordinate with the margin of its interval;
    `placed` when the view gives it a quadrant, not "near the average"."""

    key: str
    x: float
    x_margin: float | None
    y: float
    y_margin: float | None
    placed: bool
    tooltip: str


def _range_of(values: list[float], bounds: tuple[float, float]) -> tuple[float, float]:
    """Whole or half steps around the values, at least one wide, within the scale's bounds."""
    low = max(bounds[0], math.floor(min(values, default=bounds[0]) * 2) / 2)
    high = min(bounds[1], math.ceil(max(values, default=bounds[1]) * 2) / 2)
    if high - low < 1:
        low, high = max(bounds[0], low - 0.5), min(bounds[1], high + 0.5)
    return low, high


def _scatter_ticks(low: float, high: float) -> list[float]:
    step = 0.25 if high - low <= 2 else 0.5
    return [low + index * step for index in range(int(round((high - low) / step)) + 1)]


def _extent(points: list[Point], which: str) -> list[float]:
    values = []
    for point in points:
        value, margin = getattr(point, which), getattr(point, f"{which}_margin") or 0
        values += [value - margin, value + margin]
    return values


def _fitting_corners(corners: tuple[str, str, str, str], plot: float) -> list[str]:
    """The quadrants' names, the longer of a pair shortened where the two would meet."""
    room = int((plot - 16) / (labels.CHARACTER_WIDTH_EM * CORNER_FONT))
    fitted = list(corners)
    for left, right in ((0, 1), (2, 3)):
        over = len(fitted[left]) + len(fitted[right]) - room
        if over > 0:
            longer = left if len(fitted[left]) >= len(fitted[right]) else right
            fitted[longer] = truncate(fitted[longer], len(fitted[longer]) - over)
    return fitted


def scatter_chart(
    points: list[Point],
    *,
    chart_id: str,
    title: str,
    description: str,
    x_label: str,
    y_label: str,
    cross: tuple[float | None, float | None],
    corners: tuple[str, str, str, str],
    x_bounds: tuple[float, float] = (1.0, 5.0),
    y_bounds: tuple[float, float] = (1.0, 5.0),
) -> SafeString:
    """Points with their 95 % intervals as cross lines, cross-hairs, the four quadrants'
    names (top left, top right, bottom left, bottom right) and each point's label placed
    where it meets no other (`labels.place_labels`); points without room are listed below."""
    x_low, x_high = _range_of(_extent(points, "x"), x_bounds)
    y_low, y_high = _range_of(_extent(points, "y"), y_bounds)
    plot = SCATTER_SIZE - 2 * SCATTER_MARGIN
    top, left = SCATTER_MARGIN, SCATTER_MARGIN

    def x_of(value: float) -> float:
        value = min(max(value, x_low), x_high)
        return left + (value - x_low) / (x_high - x_low) * plot

    def y_of(value: float) -> float:
        value = min(max(value, y_low), y_high)
        return top + (y_high - value) / (y_high - y_low) * plot

    area = labels.Box(left, top, left + plot, top + plot)
    corner_texts = []
    if points:
        for index, text in enumerate(_fitting_corners(corners, plot)):
            right_side = index % 2 == 1
            x = left + plot - 4 if right_side else left + 4
            baseline = top + 12 if index < 2 else top + plot - 6
            anchor = "end" if right_side else "start"
            corner_texts.append((x, baseline, anchor, text))
    fixed = [
        labels.text_box(x, b, text, CORNER_FONT, anchor) for x, b, anchor, text in corner_texts
    ]
    centres = {p.key: (x_of(p.x), y_of(p.y)) for p in points}
    placed = labels.place_labels(
        [(p.key, p.key, *centres[p.key]) for p in points], area, POINT_FONT, fixed
    )
    missing = [p.key for p in points if p.key not in placed]
    legend_y = SCATTER_SIZE - 4
    height = SCATTER_SIZE + 18 + (16 if missing else 0)

    parts = [
        svg.opening(chart_id, "chart chart--quadrant", SCATTER_SIZE, height, title, description),
        format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#8a96a8"/>',
            left,
            top,
            plot,
            plot,
        ),
    ]
    for tick in _scatter_ticks(x_low, x_high):
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="10" fill="#56606e" text-anchor="middle">{}</text>',
                f"{x_of(tick):.1f}",
                top + plot + 14,
                shown(tick),
            )
        )
    for tick in _scatter_ticks(y_low, y_high):
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="10" fill="#56606e" text-anchor="end">{}</text>',
                left - 6,
                f"{y_of(tick) + 3:.1f}",
                shown(tick),
            )
        )
    parts.append(
        format_html(
            '<text x="{}" y="{}" font-size="11" fill="#1a1f29" text-anchor="middle">{}</text>'
            '<text x="14" y="{}" font-size="11" fill="#1a1f29" text-anchor="middle" '
            'transform="rotate(-90 14 {})">{}</text>',
            left + plot / 2,
            top + plot + 32,
            x_label,
            top + plot / 2,
            top + plot / 2,
            y_label,
        )
    )
    cross_x, cross_y = cross
    if points and cross_x is not None and cross_y is not None:
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#1a1f29" stroke-dasharray="4 3"/>'
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#1a1f29" stroke-dasharray="4 3"/>',
                f"{x_of(cross_x):.1f}",
                top,
                f"{x_of(cross_x):.1f}",
                top + plot,
                left,
                f"{y_of(cross_y):.1f}",
                left + plot,
                f"{y_of(cross_y):.1f}",
            )
        )
    for x, baseline, anchor, text in corner_texts:
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="{}" fill="#56606e" text-anchor="{}" '
                'font-style="italic" class="chart-corner">{}</text>',
                f"{x:.1f}",
                f"{baseline:.1f}",
                CORNER_FONT,
                anchor,
                text,
            )
        )
    for point in points:
        cx, cy = centres[point.key]
        x_margin, y_margin = point.x_margin or 0, point.y_margin or 0
        parts.append(
            format_html(
                '<path d="M{} {}H{}M{} {}V{}" stroke="#8a96a8" stroke-width="1" fill="none" '
                'class="chart-interval"/>',
                f"{x_of(point.x - x_margin):.1f}",
                f"{cy:.1f}",
                f"{x_of(point.x + x_margin):.1f}",
                f"{cx:.1f}",
                f"{y_of(point.y + y_margin):.1f}",
                f"{y_of(point.y - y_margin):.1f}",
            )
        )
    for point in points:
        cx, cy = centres[point.key]
        parts.append(
            format_html(
                '<circle cx="{}" cy="{}" r="{}" fill="{}" stroke="{}" stroke-width="1.5" '
                'class="chart-point"><title>{}</title></circle>',
                f"{cx:.1f}",
                f"{cy:.1f}",
                labels.MARKER_RADIUS,
                CURRENT if point.placed else "#ffffff",
                CURRENT,
                point.tooltip,
            )
        )
    for point in points:
        label = placed.get(point.key)
        if label is None:
            continue
        if label.leader_to:
            cx, cy = centres[point.key]
            parts.append(
                format_html(
                    '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#8a96a8" stroke-width="0.75"'
                    ' class="chart-leader"/>',
                    f"{cx:.1f}",
                    f"{cy:.1f}",
                    f"{label.leader_to[0]:.1f}",
                    f"{label.leader_to[1]:.1f}",
                )
            )
        box = label.box
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="#ffffff" fill-opacity="0.8"/>',
                f"{box.left:.1f}",
                f"{box.top:.1f}",
                f"{box.right - box.left:.1f}",
                f"{box.bottom - box.top:.1f}",
            )
        )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="{}" fill="#1a1f29" class="chart-point-label">'
                "{}</text>",
                f"{label.x:.1f}",
                f"{label.baseline:.1f}",
                POINT_FONT,
                label.text,
            )
        )
    # Legend: filled or hollow points, and the interval lines.
    parts.append(
        format_html(
            '<circle cx="{}" cy="{}" r="4" fill="{}" stroke="{}" stroke-width="1.5"/>'
            '<text x="{}" y="{}" font-size="10" fill="#1a1f29">{}</text>'
            '<circle cx="{}" cy="{}" r="4" fill="#ffffff" stroke="{}" stroke-width="1.5"/>'
            '<text x="{}" y="{}" font-size="10" fill="#1a1f29">{}</text>',
            left + 4,
            legend_y + 10,
            CURRENT,
            CURRENT,
            left + 12,
            legend_y + 14,
            _("in a quadrant"),
            left + plot / 2,
            legend_y + 10,
            CURRENT,
            left + plot / 2 + 8,
            legend_y + 14,
            # xgettext:no-python-format
            _("near the average (lines: 95 % intervals)"),
        )
    )
    if missing:
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="10" fill="#1a1f29" class="chart-unlabelled">'
                "{}</text>",
                left,
                legend_y + 30,
                _("Not labelled for want of room: %(codes)s") % {"codes": ", ".join(missing)},
            )
        )
    parts.append("</svg>")
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - every piece escaped
