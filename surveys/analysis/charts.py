"""Charts drawn on the server as SVG: no script, no inline style (the CSP forbids both).

Colours are SVG presentation attributes (``fill=``), text takes CSS classes, so the same
markup works in the page, in WeasyPrint PDFs and with styles off. Every chart is an image
with a <title> and <desc>; the page that shows it also shows the same numbers as a table.
Personal profiles, the regional dashboard, the regional report and the public statistics
all draw with it.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


def shown(value: float, pattern: str = "{:g}") -> str:
    """A number as a reader sees it (tick labels, tooltips): with the active language's
    decimal separator ("3,25" in every consortium language but English). Coordinates in
    the SVG markup keep the dot."""
    return pattern.format(value).replace(".", get_format("DECIMAL_SEPARATOR"))


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


# Short enough for the widest of the fonts that pages and PDFs fall back to.
def _truncate(text: str, limit: int = 38) -> str:
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
                _truncate(row.label, 34 if row.heading else 38),
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
                    shown(value, "{:.1f}"),
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


# Charts of a group's analysis (surveys.analysis.Analysis), shared by the regional
# dashboard, the regional report PDF and the public statistics. Suppressed or missing
# figures are simply not drawn; the data table beside each chart says why.


def _shown(value) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def analysis_series(result) -> list[Series]:
    series = []
    if result.has_self_assessment:
        series += [
            Series("current", _("Current level"), CURRENT),
            Series("importance", _("Importance"), IMPORTANCE),
        ]
    if result.has_demand:
        series.append(Series("required", _("Required by employers"), REQUIRED))
    return series


def area_profile_chart(result, *, chart_id: str = "profile") -> SafeString:
    """Mean current level, importance and required level by area and competence."""
    rows = []
    for area in result.areas:
        rows.append(
            Row(
                area.name,
                {
                    "current": _shown(area.mean_current),
                    "importance": _shown(area.mean_importance),
                    "required": _shown(area.mean_required),
                },
                heading=True,
            )
        )
        rows.extend(
            Row(
                f"{row.code} {row.name}",
                {
                    "current": _shown(row.current.mean),
                    "importance": _shown(row.importance.mean),
                    "required": _shown(row.required.mean),
                },
            )
            for row in area.competences
        )
    return horizontal_bars(
        rows,
        analysis_series(result),
        title=_("Profile by area and competence"),
        description=_(
            "Mean current level, importance and level required by employers, on the 1 to 5 "
            "scale, for each area (in bold) and competence. Groups of fewer than five "
            "responses are not drawn. The table below gives the same numbers."
        ),
        chart_id=chart_id,
    )


def ranking_chart(result, *, chart_id: str = "ranking", limit: int | None = None) -> SafeString:
    """Competences by mean weighted discrepancy score, largest first."""
    ranked = result.ranking[:limit] if limit else result.ranking
    top = max((row.mwds for row in ranked), default=0)
    return horizontal_bars(
        [Row(f"{row.rank}. {row.code} {row.name}", {"mwds": row.mwds}) for row in ranked],
        [Series("mwds", _("Weighted gap (MWDS)"), IMPORTANCE)],
        title=_("Competences ranked by weighted gap"),
        description=_(
            "Mean weighted discrepancy score (importance minus current level, weighted by "
            "mean importance) for each competence, largest first. Negative scores are drawn "
            "as zero. The table below gives the same numbers."
        ),
        scale_max=max(5, math.ceil(top)),
        chart_id=chart_id,
    )


QUADRANT_SIZE = 420
QUADRANT_MARGIN = 48


def _axis_range(values: list[float]) -> tuple[float, float]:
    """Whole or half levels around the values, at least one level wide, within 1..5."""
    low = math.floor(min(values, default=1) * 2) / 2
    high = math.ceil(max(values, default=5) * 2) / 2
    if high - low < 1:
        low, high = max(1.0, low - 0.5), min(5.0, high + 0.5)
    return low, high


def _ticks(low: float, high: float) -> list[float]:
    return [low + step / 4 for step in range(int((high - low) * 4) + 1)]


def quadrant_chart(result, *, chart_id: str = "quadrant") -> SafeString:
    """Importance against current level for each competence, with cross-hairs at the
    group's grand means: the four quadrants of an importance–performance analysis."""
    points = [
        (row.code, row.current.mean, row.importance.mean)
        for row in result.competences
        if row.current.shown and row.importance.shown
    ]
    x_low, x_high = _axis_range([c for _code, c, _i in points])
    y_low, y_high = _axis_range([i for _code, _c, i in points])
    plot = QUADRANT_SIZE - 2 * QUADRANT_MARGIN

    def x_of(value: float) -> float:
        return QUADRANT_MARGIN + (value - x_low) / (x_high - x_low) * plot

    def y_of(value: float) -> float:
        return QUADRANT_MARGIN + (y_high - value) / (y_high - y_low) * plot

    size = QUADRANT_SIZE
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--quadrant" '
            'viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
            'aria-labelledby="{}-title {}-desc"><title id="{}-title">{}</title>'
            '<desc id="{}-desc">{}</desc>',
            size,
            size,
            size,
            size,
            chart_id,
            chart_id,
            chart_id,
            _("Importance and current level of each competence"),
            chart_id,
            _(
                "Each competence is placed by its mean current level (across) and mean "
                "importance (up). The lines cross at the group's mean of all competences: "
                "top left, concentrate here; top right, keep up the good work; bottom left, "
                "low priority; bottom right, possible overkill. The table below gives the "
                "same numbers."
            ),
        ),
        format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#8a96a8"/>',
            QUADRANT_MARGIN,
            QUADRANT_MARGIN,
            plot,
            plot,
        ),
    ]
    for tick in _ticks(x_low, x_high):
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="10" fill="#56606e" text-anchor="middle">{}</text>',
                f"{x_of(tick):.1f}",
                QUADRANT_MARGIN + plot + 14,
                shown(tick),
            )
        )
    for tick in _ticks(y_low, y_high):
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="10" fill="#56606e" text-anchor="end">{}</text>',
                QUADRANT_MARGIN - 6,
                f"{y_of(tick) + 3:.1f}",
                shown(tick),
            )
        )
    parts.append(
        format_html(
            '<text x="{}" y="{}" font-size="11" fill="#1a1f29" text-anchor="middle">{}</text>'
            '<text x="14" y="{}" font-size="11" fill="#1a1f29" text-anchor="middle" '
            'transform="rotate(-90 14 {})">{}</text>',
            QUADRANT_MARGIN + plot / 2,
            size - 8,
            _("Current level"),
            QUADRANT_MARGIN + plot / 2,
            QUADRANT_MARGIN + plot / 2,
            _("Importance"),
        )
    )
    if points:
        cross_x = x_of(result.grand_mean_current)
        cross_y = y_of(result.grand_mean_importance)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#1a1f29" stroke-dasharray="4 3"/>'
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#1a1f29" stroke-dasharray="4 3"/>',
                f"{cross_x:.1f}",
                QUADRANT_MARGIN,
                f"{cross_x:.1f}",
                QUADRANT_MARGIN + plot,
                QUADRANT_MARGIN,
                f"{cross_y:.1f}",
                QUADRANT_MARGIN + plot,
                f"{cross_y:.1f}",
            )
        )
        corners = [
            (QUADRANT_MARGIN + 4, QUADRANT_MARGIN + 12, "start", _("Concentrate here")),
            (QUADRANT_MARGIN + plot - 4, QUADRANT_MARGIN + 12, "end", _("Keep up the good work")),
            (QUADRANT_MARGIN + 4, QUADRANT_MARGIN + plot - 6, "start", _("Low priority")),
            (QUADRANT_MARGIN + plot - 4, QUADRANT_MARGIN + plot - 6, "end", _("Possible overkill")),
        ]
        for x, y, anchor, label in corners:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="10" fill="#56606e" text-anchor="{}" '
                    'font-style="italic">{}</text>',
                    f"{x:.1f}",
                    f"{y:.1f}",
                    anchor,
                    label,
                )
            )
    for code, current, importance in points:
        parts.append(
            format_html(
                '<circle cx="{}" cy="{}" r="4" fill="{}"><title>{}: {} {}, {} {}</title></circle>'
                '<text x="{}" y="{}" font-size="9" fill="#1a1f29">{}</text>',
                f"{x_of(current):.1f}",
                f"{y_of(importance):.1f}",
                CURRENT,
                code,
                _("current level"),
                shown(current, "{:.2f}"),
                _("importance"),
                shown(importance, "{:.2f}"),
                f"{x_of(current) + 6:.1f}",
                f"{y_of(importance) + 3:.1f}",
                code,
            )
        )
    parts.append("</svg>")
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - every piece escaped
