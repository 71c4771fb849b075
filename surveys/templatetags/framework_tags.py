from django import template
from django.utils.translation import get_language

from surveys.i18n import localized as localized_text

register = template.Library()


@register.filter
def localized(obj, field: str) -> str:
    """`{{ competence|localized:"name" }}`: the text in the active language, else English."""
    return localized_text(obj, field, get_language())
