from django import template
from django.utils.translation import get_language

from surveys.i18n import CANONICAL_LANGUAGE
from surveys.i18n import localized as localized_text

register = template.Library()


@register.filter
def localized(obj, field: str) -> str:
    """`{{ competence|localized:"name" }}`: the text in the active language, else English."""
    return localized_text(obj, field, get_language())


@register.filter
def untranslated(obj, field: str) -> bool:
    """True where ``obj.field`` falls back to English in the active (non-English) language."""
    language = (get_language() or CANONICAL_LANGUAGE).lower()
    if language.split("-")[0] == CANONICAL_LANGUAGE or not getattr(obj, field, ""):
        return False
    translations = getattr(obj, "translations", None) or {}
    return not any(
        (translations.get(code) or {}).get(field) for code in (language, language.split("-")[0])
    )
