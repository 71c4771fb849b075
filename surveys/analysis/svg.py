"""What every server-drawn chart shares: numbers written for readers, the colours, and
labels cut to fit (the charts of surveys.analysis.charts and .scatter, the public
statistics' and the personal profile's)."""

from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString


def shown(value: float, pattern: str = "{:g}") -> str:
    """A number as a reader sees it (tick labels, tooltips): with the active language's
    decimal separator ("3,25" in every consortium language but English). Coordinates in
    the SVG markup keep the dot."""
    return pattern.format(value).replace(".", get_format("DECIMAL_SEPARATOR"))


# Colours with at least 3:1 contrast against white, told apart by lightness too.
CURRENT = "#1c4e80"
IMPORTANCE = "#d08b00"
REQUIRED = "#2e7d4f"
COMPARISON = "#8a96a8"


# Short enough for the widest of the fonts that pages and PDFs fall back to.
def truncate(text: str, limit: int = 38) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def opening(chart_id: str, css_class: str, width, height, title, description) -> SafeString:
    """The chart's <svg> tag with its accessible name (title) and description."""
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="{}" viewBox="0 0 {} {}" width="{}" '
        'height="{}" role="img" aria-labelledby="{}-title {}-desc"><title id="{}-title">{}'
        '</title><desc id="{}-desc">{}</desc>',
        css_class,
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
