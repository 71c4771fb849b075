"""What every server-drawn chart shares: numbers written for readers, the colours, and
labels cut to fit (the charts of surveys.analysis.charts and .scatter, the public
statistics' and the personal profile's)."""

from django.utils.formats import get_format


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
