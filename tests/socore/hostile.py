"""Reading forms out of the portal's HTML and filling them with hostile values.

With the standard library's html.parser only: a small tree of the page, the forms in it
(fields, their values, their submit buttons), the elements a browser would run, and the
request bodies a browser (or an attacker) sends, as bytes, so that invalid UTF-8 and lone
surrogates reach the portal as they would over the wire.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote_from_bytes, urljoin, urlsplit

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
}


@dataclass(eq=False)
class Node:
    tag: str
    attrs: dict[str, str | None]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)
    line: int = 0

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), parent=self.stack[-1], line=self.getpos()[0])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        node = Node(tag, dict(attrs), parent=self.stack[-1], line=self.getpos()[0])
        self.stack[-1].children.append(node)

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


# What a browser would run ----------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}


def live_elements(root: Node) -> list[str]:
    """Every element or attribute of the page that runs script: event handlers (the portal
    has none of its own), scripts not loaded from its static files, frames and plug-ins, and
    javascript: or data: addresses. Any of them in a page answering hostile input came from
    the input."""
    found = []
    for node in root.iter():
        for name, value in node.attrs.items():
            if name.startswith("on"):
                found.append(f"<{node.tag} {name}={value!r}> (line {node.line})")
            if name in URL_ATTRIBUTES and value:
                scheme = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                if scheme.startswith(("javascript:", "vbscript:", "data:text/html")):
                    found.append(f"<{node.tag} {name}={value!r}> (line {node.line})")
        data = (node.attrs.get("type") or "").lower() == "application/json"
        loaded = (node.attrs.get("src") or "").startswith("/static/")
        if node.tag == "script" and not (data or loaded):
            found.append(f"<script> {node.text()[:60]!r} (line {node.line})")
        if node.tag in ("iframe", "object", "embed", "frame", "base"):
            found.append(f"<{node.tag}> (line {node.line})")
        if node.tag == "meta" and (node.attrs.get("http-equiv") or "").lower() == "refresh":
            found.append(f"<meta http-equiv=refresh> (line {node.line})")
    return found


# Forms -------------------------------------------------------------------------------------

TEXT, NUMBER, DATE, DATETIME, CHOICE, MULTIPLE, BOOLEAN, FILE, HIDDEN = (
    "text",
    "number",
    "date",
    "datetime",
    "choice",
    "multiple",
    "boolean",
    "file",
    "hidden",
)
TEXT_TYPES = {"text", "search", "email", "url", "tel", "password", ""}


@dataclass
class Field:
    """One name of a form: its kind, the values the page gives it, and the choices offered."""

    name: str
    kind: str
    input_type: str
    values: list[str]
    options: list[str] = field(default_factory=list)
    required: bool = False
    disabled: bool = False
    nodes: list[Node] = field(default_factory=list)


@dataclass
class Button:
    name: str | None
    value: str
    action: str | None
    label: str


@dataclass
class Form:
    method: str
    action: str  # absolute path, as the browser would send to
    multipart: bool
    fields: dict[str, Field]
    buttons: list[Button]
    node: Node
    htmx: str | None = None  # hx-post target, where htmx saves in the background

    def target(self, button: Button | None) -> str:
        return (button.action if button and button.action else None) or self.action


def _field_kind(node: Node) -> tuple[str, str]:
    if node.tag == "textarea":
        return TEXT, "textarea"
    if node.tag == "select":
        return (MULTIPLE if "multiple" in node.attrs else CHOICE), "select"
    kind = (node.attrs.get("type") or "text").lower()
    if kind in TEXT_TYPES:
        return TEXT, kind
    if kind == "number":
        return NUMBER, kind
    if kind == "date":
        return DATE, kind
    if kind == "datetime-local":
        return DATETIME, kind
    if kind == "radio":
        return CHOICE, kind
    if kind == "checkbox":
        return BOOLEAN, kind
    if kind == "file":
        return FILE, kind
    if kind == "hidden":
        return HIDDEN, kind
    return TEXT, kind


def forms_of(root: Node, page_path: str) -> list[Form]:
    """Every form of a page, with the fields and buttons that belong to it (inside it, or
    outside with form="its id")."""
    forms = [node for node in root.iter() if node.tag == "form"]
    by_id = {node.attrs["id"]: node for node in forms if node.attrs.get("id")}
    members: dict[int, list[Node]] = {id(node): [] for node in forms}
    for node in root.iter():
        if node.tag not in ("input", "textarea", "select", "button"):
            continue
        owner = by_id.get(node.attrs.get("form") or "")
        if owner is None:
            owner = next((a for a in node.ancestors() if a.tag == "form"), None)
        if owner is not None:
            members[id(owner)].append(node)
    found = []
    for form_node in forms:
        action = urljoin(page_path, form_node.attrs.get("action") or page_path)
        fields: dict[str, Field] = {}
        buttons = []
        for node in members[id(form_node)]:
            name = node.attrs.get("name")
            if node.tag == "button" or (
                node.tag == "input" and node.attrs.get("type") in ("submit", "image")
            ):
                if (node.attrs.get("type") or "submit") == "submit":
                    formaction = node.attrs.get("formaction")
                    buttons.append(
                        Button(
                            name,
                            node.attrs.get("value") or "",
                            urljoin(page_path, formaction) if formaction else None,
                            " ".join(node.text().split()) or node.attrs.get("value") or "",
                        )
                    )
                continue
            if not name or node.attrs.get("type") in ("button", "reset"):
                continue
            kind, input_type = _field_kind(node)
            entry = fields.get(name)
            if entry is None:
                entry = fields[name] = Field(name, kind, input_type, [])
            entry.nodes.append(node)
            entry.required = entry.required or "required" in node.attrs
            entry.disabled = entry.disabled or "disabled" in node.attrs
            if node.tag == "select":
                for option in (n for n in node.iter() if n.tag == "option"):
                    value = option.attrs.get("value")
                    value = option.text() if value is None else value
                    entry.options.append(value)
                    if "selected" in option.attrs:
                        entry.values.append(value)
                if not entry.values and entry.kind == CHOICE and entry.options:
                    entry.values.append(entry.options[0])
            elif node.tag == "textarea":
                text = node.text()
                entry.values.append(text[1:] if text.startswith("\n") else text)
            elif input_type in ("radio", "checkbox"):
                value = node.attrs.get("value") or "on"
                entry.options.append(value)
                if "checked" in node.attrs:
                    entry.values.append(value)
                if input_type == "checkbox" and len(entry.options) > 1:
                    entry.kind = MULTIPLE
            elif input_type == "file":
                pass
            else:
                entry.values.append(node.attrs.get("value") or "")
        found.append(
            Form(
                method=(form_node.attrs.get("method") or "get").lower(),
                action=urlsplit(action).path
                + (f"?{urlsplit(action).query}" * bool(urlsplit(action).query)),
                multipart=(form_node.attrs.get("enctype") or "").lower() == "multipart/form-data",
                fields=fields,
                buttons=buttons,
                node=form_node,
                htmx=form_node.attrs.get("hx-post"),
            )
        )
    return found


ERROR_LISTS = {"errorlist", "field__errors"}


def flagged(field_: Field) -> bool:
    """A message sits next to the field: the box around it (the portal's `field--error`,
    `rating--error` …) holds an error list with some text."""
    for node in field_.nodes:
        for ancestor in node.ancestors():
            if ancestor.tag == "form":
                break
            if any(name.endswith("--error") for name in ancestor.classes) and any(
                ERROR_LISTS & set(inner.classes) and inner.text().strip()
                for inner in ancestor.iter()
            ):
                return True
    return False


def form_message(root: Node) -> bool:
    """A message about the form as a whole, with some text: its own errors (not under a
    field), or an error or warning above the page. "Please correct the fields marked below"
    alone does not count: it says that something else should be there."""
    for node in root.iter():
        if not node.text().strip():
            continue
        if {"message--error", "message--warning"} & set(node.classes):
            return True
        if "errorlist" in node.classes and not any(
            any(name.endswith("--error") for name in a.classes) for a in node.ancestors()
        ):
            return True
    return False


def shown_values(field_: Field) -> list[str]:
    """What the page shows in a field, as its values would be posted."""
    return list(field_.values)


@dataclass
class Upload:
    filename: bytes
    content: bytes
    content_type: str = "application/octet-stream"


# Hostile values ------------------------------------------------------------------------------

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class Hostile:
    """One hostile value: its name, the bytes sent (percent-encoded in a URL-encoded body, raw
    in a multipart one) and the text the portal receives from them (None: not a text that
    must be stored as typed, as a wrong choice, a number or a date may be refused)."""

    name: str
    raw: bytes | None  # None: the field is left out
    received: str | None = None
    repeated: tuple[bytes, ...] = ()
    upload: Upload | None = None


def _text(name: str, value: str) -> Hostile:
    return Hostile(name, value.encode("utf-8", "surrogatepass"), value)


def _raw(name: str, raw: bytes) -> Hostile:
    return Hostile(name, raw, raw.decode("utf-8", "replace"))


# A megabyte of words that differ (so that a search index of it is as large as it gets).
MEGABYTE_TEXT = " ".join(f"word{number:x}" for number in range(MEGABYTE // 9))[:MEGABYTE]
SCRIPT = "<script>alert(1)</script>"
SVG = '"><svg onload=alert(1)>'
LONG_WORD = "x" * 20_000
# What a spreadsheet would run; each field of a form gets one, in turn.
FORMULAS = ['=HYPERLINK("https://example.org","x")', "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1+1"]


def text_values(position: int = 0) -> list[Hostile]:
    """Text values; `position` (the field's place in its form) makes each field's own, so that
    what a field stored is told from what its neighbour did."""
    own = f" {position}" if position else ""
    return [
        _text("script", f"Before {SCRIPT} after{own}"),
        _text("svg in an attribute", f"{SVG}'><img src=x onerror=alert(2)>{own}"),
        _text("sql", f"' OR 1=1 -- ; DROP TABLE practices_goodpractice; --{own}"),
        _text("1 MB", MEGABYTE_TEXT + own),
        _text("NUL byte", f"before\x00after{own}"),
        _raw("lone surrogate", b"lone \xed\xa0\x80 surrogate" + own.encode()),
        _raw("invalid UTF-8", b"invalid \xff\xfe\xc3( bytes" + own.encode()),
        _text("right-to-left override", f"invoice\u202egpj.exe{own}"),
        _text("formula", FORMULAS[position % len(FORMULAS)] + own),
        _text("long line", LONG_WORD + str(position)),
    ]


def number_values() -> list[Hostile]:
    return [
        _text("negative", "-7"),
        _text("zero", "0"),
        _text("huge", "9" * 40),
        _text("not a number", "twelve"),
        _text("script", SCRIPT),
        _text("NUL byte", "1\x00"),
    ]


def date_values(with_time: bool) -> list[Hostile]:
    time = "T00:00" if with_time else ""
    return [
        _text("year 1900", f"1900-01-01{time}"),
        _text("year 9999", f"9999-12-31{'T23:59' if with_time else ''}"),
        _text("no such day", f"2026-02-30{time}"),
        _text("script", SCRIPT),
        _text("NUL byte", f"2026-01-01{time}\x00"),
    ]


def choice_values() -> list[Hostile]:
    return [
        _text("wrong choice", "999999"),
        _text("script", SCRIPT),
        _text("sql", "1' OR '1'='1"),
        _text("NUL byte", "1\x00"),
        _raw("invalid UTF-8", b"\xff\xfe"),
    ]


def hidden_values() -> list[Hostile]:
    return [
        _text("script", SCRIPT),
        _text("svg in an attribute", SVG),
        _text("NUL byte", "x\x00"),
        _raw("invalid UTF-8", b"\xff\xfe"),
    ]


def values_for(field_: Field, position: int = 0) -> list[Hostile]:
    """The hostile values of the field's kind, then the field left out and sent twice."""
    values = {
        TEXT: lambda: text_values(position),
        NUMBER: number_values,
        DATE: lambda: date_values(False),
        DATETIME: lambda: date_values(True),
        CHOICE: choice_values,
        MULTIPLE: choice_values,
        BOOLEAN: lambda: [_text("wrong choice", SCRIPT)],
        HIDDEN: hidden_values,
    }[field_.kind]()
    values.append(Hostile("missing", None))
    values.append(Hostile("repeated", b"", repeated=(b"first", SCRIPT.encode())))
    return values


def file_values(valid: Upload, own: list[tuple[str, bytes]]) -> list[Hostile]:
    """A file of the right kind under a hostile name, empty, not text, and with hostile
    content of its own format (`own`: label, content)."""
    extension = valid.filename.rsplit(b".", 1)[-1]

    def upload(label, filename=valid.filename, content=valid.content):
        return Hostile(label, None, upload=Upload(filename, content))

    return [
        upload("markup in the file name", f"{SVG}{SCRIPT}.".encode() + extension),
        upload("right-to-left override in the file name", "report\u202efdp.".encode() + extension),
        upload("NUL byte in the file name", b"report\x00.exe." + extension),
        upload("invalid UTF-8 in the file name", b"report\xff\xfe." + extension),
        upload("empty file", content=b""),
        upload("not text", content=b"\xff\xfe\x00\x01\x02 not text \xc3("),
        *(upload(label, content=content) for label, content in own),
        Hostile("missing", None),
    ]


# Request bodies ------------------------------------------------------------------------------


Data = list[tuple[str, "bytes | Upload"]]


def _quoted(value: bytes) -> str:
    return quote_from_bytes(value, safe="").replace("%20", "+")  # spaces as browsers send them


def urlencoded(data: Data) -> bytes:
    return "&".join(
        f"{_quoted(name.encode())}={_quoted(value)}"
        for name, value in data
        if isinstance(value, bytes)
    ).encode("ascii")


def _header_quoted(value: bytes) -> bytes:
    """As browsers write names in a multipart header (the HTML standard's encoding)."""
    return value.replace(b'"', b"%22").replace(b"\r", b"%0D").replace(b"\n", b"%0A")


def multipart(data: Data) -> tuple[bytes, str]:
    boundary = "----hostile" + secrets.token_hex(8)
    parts = []
    for name, value in data:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'.encode()
        if isinstance(value, Upload):
            parts.append(
                head
                + b'; filename="'
                + _header_quoted(value.filename)
                + b'"\r\nContent-Type: '
                + value.content_type.encode()
                + b"\r\n\r\n"
                + value.content
                + b"\r\n"
            )
        else:
            parts.append(head + b"\r\n\r\n" + value + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"
