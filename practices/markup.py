"""Markdown of policy briefs to HTML: parsed by markdown-it, then cleaned by an allow-list.

Raw HTML in the Markdown is never passed through: the parser escapes it as text, and the
sanitiser (nh3, Ammonia) keeps only the tags and attributes below, only http(s) and mailto
links, and gives every link rel="nofollow noopener". Both steps run on every rendering;
nothing rendered is stored.
"""

from collections.abc import Callable

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"scope"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# "commonmark" with tables; html=False makes raw HTML blocks and inline tags plain text.
_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_parser.enable("table")


def _demote_headings(html: str) -> str:
    # A brief's page has its own h1; "# Heading" in the text becomes h2, and so on.
    for level in (5, 4, 3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{min(level + 1, 4)}>")
        html = html.replace(f"</h{level}>", f"</h{min(level + 1, 4)}>")
    return html


def render_markdown(text: str, *, in_text: Callable[[str], str] | None = None) -> SafeString:
    """`in_text` rewrites the words of the text (never of code, link targets or titles)
    before they are escaped."""
    tokens = _parser.parse(text or "")
    if in_text is not None:
        for token in tokens:
            for child in token.children or ():
                if child.type == "text":
                    child.content = in_text(child.content)
    html = _demote_headings(_parser.renderer.render(tokens, _parser.options, {}))
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 - cleaned by the allow-list above
