"""Hostile input in every form.

Every URL pattern has a row in VISITS (tests/socore/hostile_pages.py) saying which roles open
it, so a new view cannot be left out; every form of every page opened is collected from the
HTML, and every template with a form (the portal's and the allauth pages it offers) must
have been shown by that crawl. The Django admin is left out: Django's own forms, for the
superuser only, and nothing in the product depends on it.

Each form is sent once as a person fills it, then with hostile values (tests/socore/
hostile.py): every field gets each value of its kind once, in submissions where the visible
fields take theirs together and hidden fields, tick boxes and files theirs alone, the other
fields keeping their valid values. Each answer must:
- not be a server error, nor redirect away from the portal;
- hold no element or attribute a browser would run, in the answer or in the page it leads
  to (read from the parsed HTML, not searched for as text);
- when the form is taken: have stored exactly what was typed in each text field (every
  INSERT and UPDATE sent to PostgreSQL during the request is read);
- when it is refused: carry a message next to a field (or about the whole form), show each
  field not marked as it was typed, and keep what was typed in every other field; the
  fields not marked are then sent again alone, so that what they store is checked too.

Each submission runs in a savepoint that is rolled back, so each starts from the same world;
the client's cookies and the cache (rate limits, used TOTP codes) are put back after each.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import allauth
import pytest
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.template.base import Template
from django.test import Client
from django.test.utils import ContextList
from django.urls import resolve, reverse

from . import hostile
from .hostile_pages import (
    ANONYMOUS,
    NEVER_POSTED,
    NEW_PASSWORD,
    PASSWORD,
    STAFF,
    VISITS,
    Visitor,
    build_world,
    prepare_uploads,
    totp_code,
    url_patterns,
)

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


@pytest.fixture
def world(
    staff,
    coordinator,
    consortium_coordinator,
    respondent,
    admin_user,
    province,
    slaskie,
    private_root,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = str(tmp_path / "media")  # attachments saved by the forms
    roles = {
        "staff": staff,
        "coordinator": coordinator,
        "consortium_coordinator": consortium_coordinator,
        "respondent": respondent,
        "admin_user": admin_user,
    }
    return build_world(roles, province, slaskie)


def test_every_url_pattern_has_a_row():
    names = {name for name, _pattern in url_patterns()}
    assert not names - VISITS.keys(), "URL patterns without a row in VISITS (new views?)"
    assert not VISITS.keys() - names, "rows of VISITS that name no URL pattern"


# The crawl ---------------------------------------------------------------------------------

ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"
# allauth's templates with a form that this configuration never shows, and why.
NOT_OFFERED = {
    "account/email_change.html": "ACCOUNT_CHANGE_EMAIL is off: addresses are added on /email/",
    "account/email_confirm.html": "addresses are confirmed by code, not by link",
    "account/password_set.html": "every account has a password (sign-up asks for one)",
    "account/phone_change.html": "no phone numbers",
    "account/signup_by_passkey.html": "no passkeys",
    "mfa/trust.html": "MFA_TRUST_ENABLED is off",
}
ALLAUTH_APPS = ("account", "mfa", "usersessions")
FORM = re.compile(r"<form\b|\{% element form\b")


def form_templates() -> set[str]:
    """Templates holding a form: the portal's, and those of the allauth apps installed (but
    webauthn's, not among MFA_SUPPORTED_TYPES)."""
    found = set()
    for path in TEMPLATES.rglob("*.html"):
        if FORM.search(path.read_text()):
            found.add(str(path.relative_to(TEMPLATES)))
    for app in ALLAUTH_APPS:
        for path in (ALLAUTH_TEMPLATES / app).rglob("*.html"):
            name = str(path.relative_to(ALLAUTH_TEMPLATES))
            if "/webauthn/" not in name and FORM.search(path.read_text()):
                found.add(name)
    return found - NOT_OFFERED.keys()


@dataclass
class Target:
    """A form as one role sees it, sent with one of its buttons."""

    role: str
    page: str
    form: hostile.Form
    button: hostile.Button | None
    htmx: bool = False  # sent by htmx in the background (the practice form's autosave)

    @property
    def path(self) -> str:
        return self.form.htmx if self.htmx else self.form.target(self.button)

    @property
    def view(self) -> str:
        return resolve(self.path.split("?")[0]).view_name

    def __str__(self) -> str:
        button = (
            f" [{self.button.name}={self.button.value}]" if self.button and self.button.name else ""
        )
        how = " by htmx" if self.htmx else ""
        return (
            f"{self.form.method.upper()} {self.view}{button}{how} as {self.role} (from {self.page})"
        )


def crawl(world, visitor) -> tuple[dict, set[str], list[str]]:
    """Every form of every page of VISITS: {key: [targets, one per button]}, the templates
    rendered, and anything live found on the pages themselves."""
    found: dict[tuple, list[Target]] = {}
    rendered: set[str] = set()
    live = []
    for name, visits in VISITS.items():
        for role, kwargs in visits:
            path = reverse(name, kwargs=kwargs(world))
            response = visitor.client(role).get(path, follow=True)
            assert response.status_code < 500, f"{path} as {role}: {response.status_code}"
            if isinstance(response.templates, ContextList | list):
                rendered.update(t.name for t in response.templates if t.name)
            if "html" not in response.get("Content-Type", ""):
                continue
            page = response.request["PATH_INFO"]
            root = hostile.parse(response.content.decode())
            live += [f"{page}: {item}" for item in hostile.live_elements(root)]
            for form in hostile.forms_of(root, page):
                buttons = sorted(form.buttons, key=lambda b: b.value != "save") or [None]
                targets = [Target(role, page, form, b) for b in buttons]
                if form.htmx:
                    targets.append(Target(role, page, form, None, htmx=True))
                views = tuple(
                    sorted({(t.view, t.button.name or "" if t.button else "") for t in targets})
                )
                key = (form.method, views, tuple(sorted(form.fields)), role != ANONYMOUS)
                found.setdefault(key, targets)
    return found, rendered, live


# Valid values, where the page leaves a needed field empty ----------------------------------

# (view, field) or field -> the value a person would type.
VALID = {
    ("partners:add", "short_name"): "NEWP",
    ("partners:add", "name"): "New partner organisation",
    "website": "https://example.org/",
    "title": "A plain title",
    "name": "A plain name",
    "code": totp_code,
    "email": "new.person@example.org",
    "login": lambda: "respondent.test@example.org",
    "password": PASSWORD,
    "oldpassword": PASSWORD,
    "password1": NEW_PASSWORD,
    "password2": NEW_PASSWORD,
    "framework-name": "Draft framework",
    "opens_at": "2026-03-01T09:00",
    "closes_at": "2026-04-30T17:00",
    ("practices:transition", "comment"): "Please say how many firms took part.",
    ("practices:transition", "evidence_score"): "4",
    ("practices:transition", "transferability_score"): "3",
    ("practices:transition", "relevance_score"): "5",
}


def valid_values(target: Target, field: hostile.Field, visitor: Visitor) -> list:
    client = visitor.client(target.role)
    if field.name == "code" and client.code:
        return [client.code]
    if field.name == "code" and target.view == "mfa_activate_totp":
        return [totp_code(client.session[SECRET_SESSION_KEY])]  # the secret the page shows
    chosen = VALID.get((target.view, field.name), VALID.get(field.name))
    if chosen is not None and not (field.values and field.values[0]):
        value = chosen() if callable(chosen) else chosen
        return [value]
    if field.kind == hostile.FILE:
        return [visitor.uploads[target.view]]
    if field.values and any(field.values):
        return list(field.values)
    if not field.required:
        if field.kind in (hostile.TEXT, hostile.NUMBER, hostile.DATE, hostile.DATETIME):
            return [""]
        if field.kind == hostile.CHOICE and field.input_type == "select":
            return field.options[:1]
        if field.kind == hostile.MULTIPLE and field.input_type == "checkbox":
            return field.options[:1]  # a list of boxes often needs one: the first is ticked
        return []
    default = {
        hostile.TEXT: "Plain valid text",
        hostile.NUMBER: "3",
        hostile.DATE: "2026-01-15",
        hostile.DATETIME: "2026-01-15T09:00",
        hostile.HIDDEN: "",
    }
    if field.kind in default:
        return [default[field.kind]]
    return [next((option for option in field.options if option), "")]


def baseline(target: Target, visitor: Visitor) -> list[tuple[str, list]]:
    """[(field name, values)] as a person sends the form after filling what is needed."""
    return [
        (name, valid_values(target, field, visitor))
        for name, field in target.form.fields.items()
        if not field.disabled
    ]


def encoded(pairs: list[tuple[str, list]], button: hostile.Button | None) -> hostile.Data:
    data: hostile.Data = []
    for name, values in pairs:
        for value in values:
            if isinstance(value, str):
                value = value.encode()
            data.append((name, value))
    if button is not None and button.name:
        data.append((button.name, button.value.encode()))
    return data


# Sending, and reading what the portal did ---------------------------------------------------


class Writes:
    """Every text the portal sends to PostgreSQL in an INSERT or UPDATE, but of sessions and
    the cache."""

    def __init__(self):
        self.texts: set[str] = set()

    def __call__(self, execute, sql, params, many, context):
        head = sql.lstrip()[:80].upper()
        if head.startswith(("INSERT", "UPDATE")) and "DJANGO_SESSION" not in head:
            self._collect(params)
        return execute(sql, params, many, context)

    def _collect(self, value):
        if isinstance(value, str):
            self.texts.add(value)
            if value[:1] in "[{":
                with suppress(ValueError):
                    self._collect(json.loads(value))
        elif isinstance(value, list | tuple | set):
            for item in value:
                self._collect(item)
        elif isinstance(value, dict):
            for key, item in value.items():
                self._collect(key)
                self._collect(item)
        elif hasattr(value, "obj"):  # psycopg's Json / Jsonb
            self._collect(value.obj)

    def holds(self, text: str) -> bool:
        return any(
            candidate in self.texts for candidate in (text, text.strip(), " ".join(text.split()))
        )


def send(client: Client, target: Target, data: hostile.Data):
    path = target.path
    if target.form.method == "get":
        query = hostile.urlencoded(data).decode()
        return client.get(f"{path.split('?')[0]}?{query}")
    if target.form.multipart or any(isinstance(v, hostile.Upload) for _n, v in data):
        body, content_type = hostile.multipart(data)
    else:
        body, content_type = hostile.urlencoded(data), "application/x-www-form-urlencoded"
    headers = {"HX-Request": "true"} if target.htmx else {}
    return client.generic("POST", path, body, content_type=content_type, headers=headers)


@dataclass
class Outcome:
    status: int
    saved: bool  # redirected: the portal took the form
    writes: Writes
    pages: list  # (path, parsed HTML) of the answer and of the page it led to
    form: hostile.Form | None  # the same form, shown again
    form_message: bool  # with a message for the whole form
    problems: list[str]


def same_form(target: Target, forms: list[hostile.Form]) -> hostile.Form | None:
    """The form shown again: the one posting where the target posts with the same fields
    and buttons, else (a view answering with another page's form) one with its fields."""
    buttons = sorted((b.name or "", b.value) for b in target.form.buttons)
    fields = target.form.fields.keys() - {"csrfmiddlewaretoken"}
    for form in forms:
        if (
            form.target(target.button) == target.path
            and form.fields.keys() - {"csrfmiddlewaretoken"} == fields
            and sorted((b.name or "", b.value) for b in form.buttons) == buttons
        ):
            return form
    visible = {n for n in fields if target.form.fields[n].kind != hostile.HIDDEN}
    return next((form for form in forms if form.fields.keys() >= visible), None)


def submit(client: Client, target: Target, data: hostile.Data) -> Outcome:
    """Send the form in a savepoint rolled back afterwards, reading what happened first."""
    cookies = client.cookies
    client.cookies = copy.deepcopy(cookies)
    writes = Writes()
    problems = []
    pages = []
    shown_again = None
    try:
        with transaction.atomic():
            with connection.execute_wrapper(writes):
                response = send(client, target, data)
            status = response.status_code
            if status >= 500:
                error = getattr(response, "exc_info", None)
                problems.append(f"server error {status}: {error[1]!r}" if error else f"{status}")
            # A redirect, or an htmx autosave's "saved" answer.
            saved = 300 <= status < 400 or response.get("X-Draft-Saved") == "1"
            location = response.get("Location", "")
            if saved and location:
                parts = urlsplit(location)
                if parts.netloc not in ("", "testserver") or location.startswith("//"):
                    problems.append(f"redirects away from the portal: {location[:200]}")
                else:
                    landing = client.get(location)
                    if landing.status_code >= 500:
                        problems.append(f"the page after saving: {landing.status_code}")
                    if "html" in landing.get("Content-Type", ""):
                        pages.append((location, hostile.parse(landing.content.decode())))
            if "html" in response.get("Content-Type", "") and not saved:
                root = hostile.parse(response.content.decode())
                pages.append((target.path, root))
                shown_again = same_form(target, hostile.forms_of(root, target.page))
            for path, root in pages:
                problems += [f"live in {path}: {item}" for item in hostile.live_elements(root)]
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
        cache.clear()
    message = shown_again is not None and any(hostile.form_message(root) for _path, root in pages)
    return Outcome(status, saved, writes, pages, shown_again, message, problems)


# The checks ----------------------------------------------------------------------------------

# (view, field, value) -> what allauth does that the portal cannot change, and why it is safe.
UPSTREAM = {
    ("mfa_authenticate", "code", "missing"): (
        "allauth answers a POST without `code` with the page minus its field (a browser always "
        "sends it); nobody is signed in"
    ),
}
# (view, field) -> why a re-display after another field's error does not keep its choice.
NOT_KEPT = {
    (view, field): (
        "the 'Cite this finding' box is read only by its own button: after Save or Submit "
        "refused for another field it comes back empty"
    )
    for view in ("briefs:create", "briefs:edit")
    for field in ("cite-campaign", "cite-demand_campaign", "cite-competence")
}
# How many fields take the 1 MB text in one submission: five would pass the 5 MB a request
# may carry (DATA_UPLOAD_MAX_MEMORY_SIZE), which Django refuses as a whole.
MEGABYTE_FIELDS = 4


def kind_group(name: str) -> str:
    """Fields repeated in a formset or per competence ("areas-0-name", "c12-importance",
    "level:A0.0:3") are one kind: its first field stands for all of them."""
    return re.sub(r"\d+", "#", name)


def hostile_fields(form: hostile.Form) -> list[hostile.Field]:
    seen, fields = set(), []
    for field in form.fields.values():
        group = kind_group(field.name)
        if field.name == "csrfmiddlewaretoken" or field.disabled or group in seen:
            continue
        seen.add(group)
        fields.append(field)
    return fields


# The values sent through the other buttons of a form, and through a form another role also
# has with more fields: those most likely to break a page or to run in it.
SAMPLED = {"svg in an attribute", "NUL byte", "wrong choice"}


def rounds(target: Target, full: bool, visitor: Visitor) -> list[dict[str, hostile.Hostile]]:
    """The submissions to make: in each, some fields get a hostile value, the others keep a
    valid one. Every field kind gets every value of its kind once; the fields a person sees
    take theirs together; hidden fields, tick boxes and files by themselves."""
    fields = hostile_fields(target.form)
    alone = (hostile.HIDDEN, hostile.FILE, hostile.BOOLEAN)  # a box sent is a box ticked
    groups = [[f for f in fields if f.kind not in alone]] + [
        [f for f in fields if f.kind == kind] for kind in alone
    ]
    planned = []
    for group in groups:
        lists = {}
        for position, field in enumerate(group):
            if field.kind == hostile.FILE:
                values = hostile.file_values(
                    visitor.uploads[target.view], visitor.hostile_files.get(target.view, [])
                )
            else:
                values = hostile.values_for(field, position)
            lists[field.name] = [v for v in values if full or v.name in SAMPLED]
        for index in range(max((len(v) for v in lists.values()), default=0)):
            assignment = {name: v[index] for name, v in lists.items() if index < len(v)}
            big = [name for name, value in assignment.items() if value.name == "1 MB"]
            for start in range(0, len(big), MEGABYTE_FIELDS):
                planned.append(
                    {name: assignment[name] for name in big[start : start + MEGABYTE_FIELDS]}
                )
            rest = {name: value for name, value in assignment.items() if name not in big}
            if rest:
                planned.append(rest)
    return planned


def replaced(pairs, assignment: dict[str, hostile.Hostile]) -> list[tuple[str, list]]:
    out = []
    for name, values in pairs:
        value = assignment.get(name)
        if value is None:
            out.append((name, values))
        elif value.repeated:
            out.append((name, list(value.repeated)))
        elif value.upload is not None:
            out.append((name, [value.upload]))
        elif value.raw is not None:
            out.append((name, [value.raw]))
    return out


def typed(field: hostile.Field, value: hostile.Hostile) -> str | None:
    """The text the field must keep (stored, or shown again), if it is one."""
    if field.kind == hostile.TEXT and field.input_type != "password":
        return value.received
    return None


def check(target, assignment, pairs, outcome, baseline_saved):
    """Problems of one answer, and the fields to try again without those refused with a
    message (so that what they would have stored is checked too)."""
    problems = list(outcome.problems)
    fields = target.form.fields
    if outcome.saved:
        for name, value in assignment.items():
            text = typed(fields[name], value)
            if text is not None and not outcome.writes.holds(text):
                problems.append(f"{name} = {value.name}: saved, but not as typed")
        return problems, None
    upstream = all((target.view, n, v.name) in UPSTREAM for n, v in assignment.items())
    if target.htmx:
        return problems, None  # the answer is a status line; the next save shows the messages
    if outcome.form is None:
        visible = any(fields[n].kind not in (hostile.HIDDEN,) for n in assignment)
        if baseline_saved and visible and not upstream and outcome.status not in (403, 404):
            problems.append(f"answered {outcome.status} without the form and its messages")
        return problems, None
    shown = outcome.form.fields
    marked = {name for name in assignment if name in shown and hostile.flagged(shown[name])}
    for name, value in assignment.items():
        text = typed(fields[name], value)
        searched = target.form.method == "get"  # a filter or a search: nothing to keep
        if name in shown and name not in marked and text is not None and not searched:
            again = shown[name].values
            if again not in ([text], [text.strip()]):
                problems.append(f"{name} = {value.name}: shown again as {again[:1]!r:.80}")
    for name, values in pairs:
        other = fields.get(name)
        if name in assignment or other is None or name not in shown:
            continue
        if other.kind in (hostile.FILE, hostile.HIDDEN) or other.input_type == "password":
            continue
        if (target.view, name) in NOT_KEPT:
            continue
        sent = sorted(v if isinstance(v, str) else v.decode() for v in values)
        if sorted(shown[name].values) != sent:
            problems.append(
                f"{name} lost what was typed: {sent!r:.60} -> {shown[name].values!r:.60}"
            )
    hidden_only = all(fields[n].kind == hostile.HIDDEN for n in assignment)
    # A message may rightly sit next to another field ("must close after it opens").
    elsewhere = any(hostile.flagged(other) for other in shown.values())
    if baseline_saved and not (elsewhere or outcome.form_message or hidden_only or upstream):
        names = ", ".join(f"{n} = {v.name}" for n, v in assignment.items())
        problems.append(f"{names}: refused without a message next to any field")
    retry = {n: v for n, v in assignment.items() if n not in marked}
    if marked and retry:
        return problems, retry
    return problems, None


def attack(visitor, target: Target, full: bool) -> tuple[int, list[str]]:
    client = visitor.client(target.role)
    pairs = baseline(target, visitor)
    first = submit(client, target, encoded(pairs, target.button))
    failures = [f"{target}: with valid values: {p}" for p in first.problems]
    count = 1
    for assignment in rounds(target, full, visitor):
        while assignment:
            now = baseline(target, visitor) if "code" in target.form.fields else pairs
            sent = replaced(now, assignment)
            outcome = submit(client, target, encoded(sent, target.button))
            count += 1
            problems, assignment = check(target, assignment, sent, outcome, first.saved)
            failures += [f"{target}: {problem}" for problem in problems]
    return count, failures


def synthesised(found, world) -> dict:
    """Forms for views that take a POST no page sends: /briefs/<pk>/findings/ takes the
    fields the brief's form sends as cite-…, without the prefix."""
    extra = {}
    for targets in found.values():
        target = targets[0]
        if target.view != "briefs:edit" or target.role != STAFF:
            continue
        fields = {
            name.removeprefix("cite-"): dataclasses.replace(field, name=name.removeprefix("cite-"))
            for name, field in target.form.fields.items()
            if name.startswith("cite-") or name == "csrfmiddlewaretoken"
        }
        action = reverse("briefs:add_finding", args=[world.brief.pk])
        form = dataclasses.replace(target.form, fields=fields, buttons=[], action=action)
        key = ("post", (("briefs:add_finding", ""),), tuple(sorted(fields)), True)
        extra[key] = [Target(STAFF, target.page, form, None)]
    return extra


def plain_render(self, context):
    return self.nodelist.render(context)


@pytest.mark.slow  # every form of every role: over two minutes on its own
def test_every_form_survives_hostile_input(world, monkeypatch):
    started = time.monotonic()
    visitor = Visitor(world)
    found, rendered, live = crawl(world, visitor)
    assert live == [], "pages that run something before any input"
    missed = form_templates() - rendered
    assert not missed, f"templates with a form the crawl never showed: {sorted(missed)}"
    found.update(synthesised(found, world))
    receiving = {name for name, visits in VISITS.items() if not visits}
    posted_to = {t.view for targets in found.values() for t in targets if t.form.method == "post"}
    unreached = receiving - posted_to - NEVER_POSTED.keys()
    assert not unreached, f"views no crawled form posts to: {sorted(unreached)}"

    visitor.uploads = prepare_uploads(world, visitor)
    # The test client copies every template's context for response.context (thousands on a
    # page with a long list of options); the submissions read the HTML only.
    monkeypatch.setattr(Template, "_render", plain_render)
    widest = {}
    for key in found:
        method, views, fields, _signed_in = key
        if len(fields) > len(widest.get((method, views), ((), (), ()))[2]):
            widest[(method, views)] = key
    count, failures, forms = 0, [], 0
    for key, targets in found.items():
        forms += 1
        for index, target in enumerate(targets):
            full = index == 0 and widest[key[:2]] == key
            sent, problems = attack(visitor, target, full=full)
            count += sent
            failures += problems
    elapsed = time.monotonic() - started
    targets = sum(len(group) for group in found.values())
    print(f"{forms} forms ({targets} with each button), {count} submissions in {elapsed:.0f} s")
    assert not failures, "\n".join(failures)
