from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ..search import MARK_START, MARK_STOP, whole_words

register = template.Library()


@register.filter
def highlighted(snippet: str, source: str = "") -> str:
    """A search snippet of `source` in whole words: user text escaped, only the match
    delimiters become <mark>."""
    text = escape(whole_words(snippet or "", source or ""))
    return mark_safe(text.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))  # noqa: S308 - escaped above


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current GET parameters with some changed (None removes one); page resets to 1."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
