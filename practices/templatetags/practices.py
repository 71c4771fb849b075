import json

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from ..search import MARK_START, MARK_STOP, whole_words

register = template.Library()


@register.filter
def highlighted(snippet: str, source: str = "") -> str:
    """A search snippet of `source` in whole words: user text escaped, only the match
    delimiters become <mark>."""
    text = escape(whole_words(snippet or "", source or ""))
    return mark_safe(text.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))  # noqa: S308 - escaped above


@register.simple_tag
def characters_left_texts(maximum: int) -> str:
    """What a field's counter says with 0, 1, … `maximum` characters left, as a JSON list in
    the reader's language, with the catalogue's plural forms (static/js/forms.js shows one)."""
    texts = [
        ngettext("%(count)s character left", "%(count)s characters left", left) % {"count": left}
        for left in range(maximum + 1)
    ]
    return json.dumps(texts, ensure_ascii=False)


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
