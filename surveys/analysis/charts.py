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

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from . import svg
from .scatter import Point, scatter_chart
from .svg import COMPARISON as COMPARISON
from .svg import CURRENT, IMPORTANCE, REQUIRED, shown, truncate


@dataclass(frozen=True)
class Series:
    """One kind of value drawn for each row, e.g. "current level"."""

    key: str
    label: str
    colour: str


@dataclass(frozen=True)
class Row:
    """One labelled group of bars; a heading row (an area) is drawn in bold. `intervals`
    gives some bars a 95 % interval (low, high), drawn as a line across the bar's end."""

    label: str
    values: dict[str, float | None] = field(default_factory=dict)
    heading: bool = False
    intervals: dict[str, tuple[float, float]] = field(default_factory=dict)


LABEL_WIDTH = 260
PLOT_WIDTH = 360
BAR_HEIGHT = 10
ROW_GAP = 8
TOP = 28
LEGEND_HEIGHT = 24


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
    parts: list[str] = [svg.opening(chart_id, "chart", width, height, title, description)]
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
                truncate(row.label, 34 if row.heading else 38),
            )
        )
        for position, one in enumerate(series):
            value = row.values.get(one.key)
            if value is None:
                continue
            bar_y = y + position * BAR_HEIGHT
            interval = row.intervals.get(one.key)
            tooltip = shown(value, "{:.1f}")
            if interval:
                tooltip = _("%(value)s (95 %% interval %(low)s to %(high)s)") % {
                    "value": shown(value, "{:.2f}"),
                    "low": shown(interval[0], "{:.2f}"),
                    "high": shown(interval[1], "{:.2f}"),
                }
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
                    tooltip,
                )
            )
            if interval:
                low, high = (LABEL_WIDTH + min(max(v, 0), scale_max) * unit for v in interval)
                middle = bar_y + (BAR_HEIGHT - 1) / 2
                parts.append(
                    format_html(
                        '<path d="M{} {}H{}M{} {}V{}M{} {}V{}" stroke="#1a1f29" stroke-width="1"'
                        ' fill="none" class="chart-interval"/>',
                        f"{low:.1f}",
                        f"{middle:.1f}",
                        f"{high:.1f}",
                        f"{low:.1f}",
                        f"{middle - 3:.1f}",
                        f"{middle + 3:.1f}",
                        f"{high:.1f}",
                        f"{middle - 3:.1f}",
                        f"{middle + 3:.1f}",
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


def _interval(value, margin) -> dict[str, tuple[float, float]]:
    if _shown(value) is None or _shown(margin) is None:
        return {}
    return {"mwds": (value - margin, value + margin)}


def ranking_chart(result, *, chart_id: str = "ranking", limit: int | None = None) -> SafeString:
    """Competences by mean weighted discrepancy score, largest first, with 95 % intervals."""
    ranked = result.ranking[:limit] if limit else result.ranking
    rows = [
        Row(
            f"{row.rank}. {row.code} {row.name}",
            {"mwds": row.mwds},
            intervals=_interval(row.mwds, row.mwds_margin),
        )
        for row in ranked
    ]
    top = max(
        (
            max([row.values["mwds"], *(high for _low, high in row.intervals.values())])
            for row in rows
        ),
        default=0,
    )
    return horizontal_bars(
        rows,
        [Series("mwds", _("Weighted gap (MWDS)"), IMPORTANCE)],
        title=_("Competences ranked by weighted gap"),
        # xgettext:no-python-format
        description=_(
            "Mean weighted discrepancy score (importance minus current level, weighted by "
            "mean importance) for each competence, largest first, with a line across the end "
            "of each bar for its 95 % interval: bars whose lines overlap are not told apart "
            "by the data. Negative scores are drawn as zero. The table below gives the same "
            "numbers."
        ),
        scale_max=max(5, math.ceil(top)),
        chart_id=chart_id,
    )


def _tooltip(code: str, coordinates: list[tuple[str, float, float | None]], label: str) -> str:
    figures = ", ".join(
        _("%(name)s %(value)s ± %(margin)s")
        % {"name": name, "value": shown(value, "{:.2f}"), "margin": shown(margin or 0, "{:.2f}")}
        for name, value, margin in coordinates
    )
    return f"{code}: {figures} ({label})" if label else f"{code}: {figures}"


AXIS_TITLES = {
    "importance": lambda: _("Importance (I)"),
    "required": lambda: _("Required by employers (R)"),
}
AXIS_NOUNS = {
    "importance": lambda: _("importance"),
    "required": lambda: _("level required by employers"),
}
DISCREPANCY_NOUNS = {
    "importance": lambda: _("gap (importance − current level)"),
    "required": lambda: _("market gap (required − current level)"),
}
DISCREPANCY_TITLES = {
    "importance": lambda: _("Gap (I − C)"),
    "required": lambda: _("Market gap (R − C)"),
}


def quadrant_chart(result, *, chart_id: str = "quadrant", axis: str = "importance") -> SafeString:
    """Importance (or the employers' required level) against current level for each
    competence, with cross-hairs at the means over the competences: the four quadrants of an
    importance–performance analysis; hollow points are near the average."""
    points = []
    for row in result.competences:
        placement = row.placement(axis)
        importance = getattr(row, axis)
        if not placement.quadrant:
            continue
        points.append(
            Point(
                row.code,
                row.current.mean,
                row.current.margin,
                importance.mean,
                importance.margin,
                placement.quadrant != "near_average",
                _tooltip(
                    row.code,
                    [
                        (_("current level"), row.current.mean, row.current.margin),
                        (AXIS_TITLES[axis](), importance.mean, importance.margin),
                    ],
                    placement.quadrant_label,
                ),
            )
        )
    cross_hairs = result.cross_hairs.get(axis)
    return scatter_chart(
        points,
        chart_id=chart_id,
        title=_("Importance and current level of each competence"),
        description=_(
            "Each competence is placed by its mean current level (across) and mean "
            "%(importance)s (up), with lines for the 95 %% interval of each. The dashed lines "
            "cross at the means of all competences: top left, concentrate here; top right, "
            "keep up the good work; bottom left, low priority; bottom right, possible "
            "overkill. A hollow point's interval reaches a dashed line: it is near the "
            "average, in no quadrant. The table below gives the same numbers."
        )
        % {"importance": AXIS_NOUNS[axis]()},
        x_label=_("Current level (C)"),
        y_label=AXIS_TITLES[axis](),
        cross=(cross_hairs.current, cross_hairs.importance) if cross_hairs else (None, None),
        corners=(
            _("Concentrate here"),
            _("Keep up the good work"),
            _("Low priority"),
            _("Possible overkill"),
        ),
    )


def focus_chart(result, *, chart_id: str = "focus", axis: str = "importance") -> SafeString:
    """Locus for Focus (Mink, Shultz & Mink 1991): importance (or the required level) against
    the gap for each competence; the top right quadrant is where to focus."""
    points = []
    discrepancy = "gap" if axis == "importance" else "market_gap"
    for row in result.competences:
        placement = row.placement(axis)
        if not placement.focus:
            continue
        importance = getattr(row, axis)
        gap, margin = getattr(row, discrepancy), getattr(row, f"{discrepancy}_margin")
        points.append(
            Point(
                row.code,
                importance.mean,
                importance.margin,
                gap,
                margin,
                placement.focus != "near_average",
                _tooltip(
                    row.code,
                    [
                        (AXIS_TITLES[axis](), importance.mean, importance.margin),
                        (DISCREPANCY_TITLES[axis](), gap, margin),
                    ],
                    placement.focus_label,
                ),
            )
        )
    cross_hairs = result.cross_hairs.get(axis)
    return scatter_chart(
        points,
        chart_id=chart_id,
        title=_("Locus for Focus: importance and gap of each competence"),
        description=_(
            "Each competence is placed by its mean %(importance)s (across) and its %(gap)s "
            "(up), with lines for the 95 %% interval of each. The dashed lines cross at the "
            "means of all competences: top right, focus here (important, large gap); top "
            "left, large gap, less important; bottom right, important, smaller gap; bottom "
            "left, less important, smaller gap. A hollow point's interval reaches a dashed "
            "line: it is near the average, in no quadrant. The table below gives the same "
            "numbers."
        )
        % {"importance": AXIS_NOUNS[axis](), "gap": DISCREPANCY_NOUNS[axis]()},
        x_label=AXIS_TITLES[axis](),
        y_label=DISCREPANCY_TITLES[axis](),
        cross=(cross_hairs.focus_importance, cross_hairs.discrepancy)
        if cross_hairs
        else (None, None),
        corners=(
            _("Large gap, less important"),
            _("Focus here: important, large gap"),
            _("Less important, smaller gap"),
            _("Important, smaller gap"),
        ),
        y_bounds=(-4.0, 4.0),
    )
