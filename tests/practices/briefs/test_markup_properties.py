"""The Markdown of policy briefs played by an attacker (hypothesis): whatever the text, the
HTML rendered holds only the elements and attributes practices/markup.py allows, every link
goes to http(s) or mailto (or stays on the site) with rel="nofollow noopener", and nothing a
browser would run, load from elsewhere or style.

The texts mix Markdown that makes links, images, headings and tables with raw HTML and the
usual disguises of javascript: (case, entities, control characters, reference links,
autolinks), and any other text.
"""

import html
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from practices import markup
from tests.socore import hostile

SCHEMES = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    " javascript:alert(1)",
    "&#106;avascript:alert(1)",
    "javascript&colon;alert(1)",
    "%6Aavascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:image/svg+xml;base64,PHN2Zz4=",
    "file:///etc/passwd",
    "//evil.example/x",
    "https://example.org/a?b=c&d=<e>",
    "mailto:someone@example.org",
    "/briefs/1/",
]
FRAGMENTS = st.one_of(
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            '"><svg onload=alert(1)>',
            "<img src=x onerror=alert(1)>",
            '<a href="javascript:alert(1)">x</a>',
            "<iframe src=//evil.example></iframe>",
            "<style>body{display:none}</style>",
            '<p style="color:red" onclick="alert(1)">x</p>',
            "<!-- comment -->",
            "<![CDATA[x]]>",
            "\n\n# Heading\n\n",
            "\n\n###### Sixth heading\n\n",
            "\n\n| a | b |\n|---|---|\n| <b>1</b> | 2 |\n\n",
            "\n\n```\n<script>alert(1)</script>\n```\n\n",
            "`<script>`",
            "\n\n> quoted <svg/onload=alert(1)>\n\n",
            "\n\n1. one\n2. two\n\n",
            "**bold** and *em*",
            "[F1]",
            "\\",
            "&amp; &lt; &#x3c;script&#x3e;",
        ]
    ),
    st.builds(lambda scheme: f"[link]({scheme})", st.sampled_from(SCHEMES)),
    st.builds(lambda scheme: f'[link]({scheme} "title")', st.sampled_from(SCHEMES)),
    st.builds(lambda scheme: f"![image]({scheme})", st.sampled_from(SCHEMES)),
    st.builds(lambda scheme: f"<{scheme}>", st.sampled_from(SCHEMES)),
    st.builds(lambda scheme: f"[ref][1]\n\n[1]: {scheme}\n", st.sampled_from(SCHEMES)),
    st.text(max_size=20),
)
TEXTS = st.lists(FRAGMENTS, max_size=12).map("".join)

# Never in a brief, whatever the allow-list says: scripts, frames, plug-ins, forms, styles,
# images (no third-party assets) and any event handler.
NEVER = {"script", "iframe", "frame", "object", "embed", "form", "input", "style", "link"}
NEVER |= {"meta", "base", "img", "svg", "math", "video", "audio", "source"}
ALLOWED_SCHEMES = {f"{scheme}:" for scheme in markup.ALLOWED_URL_SCHEMES}


def scheme_of(url: str) -> str | None:
    """The scheme a browser reads: entities decoded, control characters and spaces dropped."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", html.unescape(url)).lower()
    found = re.match(r"[a-z][a-z0-9+.-]*:", cleaned)
    return found.group(0) if found else None


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI is reproducible
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(text=TEXTS)
@example(text="[x](javascript:alert(1)) <script>alert(1)</script> ![i](https://evil.example/i.png)")
def test_rendered_briefs_hold_only_what_the_allow_list_allows(text):
    rendered = markup.render_markdown(text)

    root = hostile.parse(str(rendered))
    assert hostile.live_elements(root) == []
    for node in root.iter():
        if node.tag == "#document":
            continue
        assert node.tag in markup.ALLOWED_TAGS, node.tag
        assert node.tag not in NEVER, node.tag
        allowed = markup.ALLOWED_ATTRIBUTES.get(node.tag, set()) | (
            {"rel"} if node.tag == "a" else set()
        )
        assert set(node.attrs) <= allowed, (node.tag, node.attrs)
        assert not any(name.startswith("on") or name == "style" for name in node.attrs)
        if node.tag == "a" and "href" in node.attrs:
            scheme = scheme_of(node.attrs["href"] or "")
            assert scheme is None or scheme in ALLOWED_SCHEMES, node.attrs["href"]
            assert set((node.attrs.get("rel") or "").split()) >= {"nofollow", "noopener"}


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(words=st.lists(st.text(st.characters(categories=["L", "N"]), min_size=1), max_size=8))
def test_plain_words_come_through_as_they_were_written(words):
    text = " ".join(words)

    rendered = markup.render_markdown(text)

    assert hostile.parse(str(rendered)).text().strip() == text.strip()
