from django import template
from django.utils.formats import number_format

from surveys.analysis import Suppressed

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
