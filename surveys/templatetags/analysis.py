from django import template
from django.utils.formats import number_format
from django.utils.html import format_html

from surveys.analysis import Suppressed, is_number

register = template.Library()


@register.filter
def figure(value, decimals: int = 2) -> str:
    """`{{ row.current.mean|figure }}`: a number in the active language's format, the
    suppression text for a group below five, a dash where the scale was not asked."""
    if value is None:
        return "–"
    if isinstance(value, Suppressed):
        return str(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return number_format(value)
    # number_format cuts digits off; a mean of 3.667 reads 3.67, not 3.66.
    return number_format(round(value, int(decimals)), decimal_pos=int(decimals))


@register.filter
def percent(value) -> str:
    """A share (0.42) as a percentage ("42 %"), or the suppression text / a dash."""
    if value is None or isinstance(value, Suppressed):
        return figure(value)
    return f"{number_format(value * 100, decimal_pos=0)} %"


@register.filter
def with_margin(value, margin) -> str:
    """`{{ row.gap|with_margin:row.gap_margin }}`: the figure and, where both are numbers, ± half
    its 95 % interval ("1.20 ± 0.15"); where the figure is hidden, only what `figure` shows."""
    if not is_number(value) or not is_number(margin):
        return figure(value)
    # No-break spaces: "1.20 ± 0.15" stays on one line in pages and PDFs alike.
    return format_html(
        '<span class="with-margin">{}\u00a0<span class="figure-margin">±\u00a0{}</span></span>',
        figure(value),
        figure(margin),
    )
