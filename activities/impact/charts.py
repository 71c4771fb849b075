"""An indicator over time, drawn on the server (surveys.analysis.svg): one bar per six-month
reporting period for the cumulative value, and the target as a dashed line. The page and
the PDF show the same numbers as a table beside it."""

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from surveys.analysis import svg

WIDTH = 640
HEIGHT = 220
LEFT = 48
RIGHT = 16
TOP = 16
BOTTOM = 40
TARGET = "#b3261e"


def _nice_max(value: int) -> int:
    for step in (5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000):
        if value <= step:
            return step
    return value


def progress_chart(figure, *, chart_id: str) -> SafeString:
    """Cumulative achieved value per reporting period of `figure` (indicators.Figure)."""
    values = figure.cumulative
    periods = [one for one, _in_period, _running in figure.over_time]
    top = _nice_max(max([*values, figure.target or 0, 1]))
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(values), 1)
    bar = min(slot * 0.6, 48)
    title = _("%(indicator)s over time") % {"indicator": figure.label}
    description = _(
        "Cumulative value at the end of each reporting period; the dashed line is the target."
    )
    parts = [str(svg.opening(chart_id, "chart chart--progress", WIDTH, HEIGHT, title, description))]
    # Five steps: every scale is a multiple of 5, so the ticks are whole numbers.
    for tick in range(6):
        value = top * tick // 5
        y = TOP + plot_height - plot_height * tick / 5
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#d5dbe3" stroke-width="1"/>'
                '<text x="{}" y="{}" class="chart-tick" text-anchor="end" font-size="10" '
                'fill="#56606e">{}</text>',
                LEFT,
                f"{y:.1f}",
                WIDTH - RIGHT,
                f"{y:.1f}",
                LEFT - 6,
                f"{y + 3:.1f}",
                value,
            )
        )
    for index, (period, value) in enumerate(zip(periods, values, strict=True)):
        height = plot_height * value / top
        x = LEFT + index * slot + (slot - bar) / 2
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" class="chart-bar">'
                "<title>{}: {}</title></rect>"
                '<text x="{}" y="{}" class="chart-tick" text-anchor="middle" font-size="9" '
                'fill="#56606e">{}</text>',
                f"{x:.1f}",
                f"{TOP + plot_height - height:.1f}",
                f"{bar:.1f}",
                f"{height:.1f}",
                svg.CURRENT,
                period,
                value,
                f"{x + bar / 2:.1f}",
                HEIGHT - BOTTOM + 14,
                period.end.strftime("%m/%Y"),
            )
        )
    if figure.target:
        y = TOP + plot_height - plot_height * figure.target / top
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2" '
                'stroke-dasharray="6 4" class="chart-target"><title>{}</title></line>',
                LEFT,
                f"{y:.1f}",
                WIDTH - RIGHT,
                f"{y:.1f}",
                TARGET,
                _("Target: %(target)s") % {"target": figure.target},
            )
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped by format_html
