"""The world of the permission matrix (tests/socore/test_access_matrix.py, test_headers.py).

Two regions, each with the same things in it: A is Śląskie (the Province of Silesia; the lead
partner, whose consortium coordinator is a member there, is in Śląskie too), B is Utrecht
(HU). Each kind of object exists once per region, so that for any signed-in role "own"
is the object of the role's region (or partner, or the role's own response, invitation) and
"other" the same object of the other region (another partner, another respondent). Roles
without a region (visitor, respondent, admin) are on side A: their "other" is B's, asked for
only where the table gives it another outcome (their own response, an open link).

The world is built once per module, inside a transaction rolled back at the end; every
request of the matrix runs in a savepoint rolled back after it, so that no cell sees what
another cell wrote (an allowed POST really does change rows, for a moment).
"""

import datetime
from dataclasses import dataclass, field, replace

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from partners.models import Membership, Partner, Region, User
from practices.briefs.findings import freeze
from practices.models import Attachment, BriefFinding, BriefStatus, GoodPractice, Status
from surveys.models import Campaign, Competence, Framework, Invitation, Survey
from surveys.models.reports import ReportRequest, private_storage
from tests.factories.accounts import MembershipFactory, UserFactory, activate_totp
from tests.factories.briefs import BriefFactory
from tests.factories.practices import PracticeFactory
from tests.factories.surveys import CampaignFactory, ResponseFactory, SurveyFactory, small_framework

A, B = "A", "B"
OTHER_SIDE = {A: B, B: A}

# The roles of DESIGN.md section 1 as the tests sign in (tests/conftest.py's names), each
# with the column of the table it is checked against and its side.
ROLE_KIND = {
    "anonymous": "visitor",
    "respondent": "respondent",
    "staff": "staff",
    "other_staff": "staff",
    "coordinator": "coordinator",
    "other_coordinator": "coordinator",
    "consortium_coordinator": "consortium",
    "admin_user": "admin",
}
ROLE_SIDE = {role: B if role.startswith("other_") else A for role in ROLE_KIND}
KINDS = ("visitor", "respondent", "staff", "coordinator", "consortium", "admin")

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
# The country's language a regional coordinator may translate into.
LANGUAGE = {A: "pl", B: "nl"}


@dataclass
class Side:
    """Everything one region has, once."""

    region: Region
    partner: Partner
    staff: User
    coordinator: User
    someone: User  # a respondent of this region who is none of the roles
    practices: dict[str, GoodPractice] = field(default_factory=dict)
    attachments: dict[str, Attachment] = field(default_factory=dict)
    briefs: dict = field(default_factory=dict)
    findings: dict = field(default_factory=dict)
    campaign: Campaign | None = None
    invitation_campaign: Campaign | None = None
    someones_response: object = None
    someones_invitation: Invitation | None = None
    report: ReportRequest | None = None
    # A confirmed activity of the side's partner, held: its participant (a guest) was sent
    # the capacity survey.
    held_activity: object = None
    participant: object = None
    follow_up: object = None
    # Activities of the side's partner: a proposal nobody has confirmed, and a confirmed
    # planned one that began yesterday; each with an agenda its staff uploaded.
    proposal: object = None
    planned_activity: object = None
    activity_documents: dict = field(default_factory=dict)
    instrument: object = None  # the region's policy instrument (/impact/instruments/)
    key: str = ""  # A or B


@dataclass
class World:
    sides: dict[str, Side]
    users: dict[str, User | None]
    responses: dict[str, object]  # role -> the role's own response
    invitations: dict[str, Invitation]  # role -> an invitation sent to the role's address
    consortium_campaign: Campaign
    published_framework: Framework
    draft_framework: Framework
    reset_key: dict[str, str]

    # Filled in by `matrix_world`: a signed-in client per role.
    clients: dict = field(default_factory=dict)
    # Per role, text that must appear in no page it is served (others' titles, addresses).
    secrets: dict = field(default_factory=dict)
    writes: dict | None = None  # the last reading of writes_so_far()
    cells: int = 0

    def role_side(self, role: str) -> str:
        return ROLE_SIDE[role]


def _practices(side: Side, competences) -> None:
    for state in (Status.DRAFT, Status.SUBMITTED, Status.PUBLISHED):
        practice = PracticeFactory(
            partner=side.partner,
            created_by=side.staff,
            status=state,
            title=f"Practice mx-{side.key}-{state}",
            competences=competences,
        )
        practice.editors.add(side.staff)
        if practice.submitted_at:
            practice.versions.create(number=1, content=practice.snapshot(), saved_by=side.staff)
            GoodPractice.objects.filter(pk=practice.pk).update(version=1)
        side.practices[state] = practice
        item = Attachment(
            practice=practice,
            name="results.pdf",
            content_type="application/pdf",
            size=len(PDF),
            uploaded_by=side.staff,
        )
        item.file.save("results.pdf", ContentFile(PDF), save=False)
        item.save()
        side.attachments[state] = item


def _briefs(side: Side, campaign: Campaign, competence: Competence) -> None:
    for state in (BriefStatus.DRAFT, BriefStatus.IN_REVIEW, BriefStatus.PUBLISHED):
        brief = BriefFactory(
            partner=side.partner,
            created_by=side.staff,
            status=state,
            title=f"Brief mx-{side.key}-{state}",
        )
        brief.editors.add(side.staff)
        if brief.submitted_at:
            brief.versions.create(number=1, content=brief.snapshot(), saved_by=side.staff)
            type(brief).objects.filter(pk=brief.pk).update(version=1)
        side.briefs[state] = brief
        if state == BriefStatus.IN_REVIEW:
            continue  # its live figures would cost every page of it an analysis, for nothing
        side.findings[state] = BriefFinding.objects.create(
            brief=brief, campaign=campaign, region=side.region, competence=competence, position=1
        )
        if state == BriefStatus.PUBLISHED:
            # As publishing does: the figures cited are frozen.
            freeze(brief, brief.published_at)
            type(brief).objects.filter(pk=brief.pk).update(figures_as_of=brief.published_at)


def _report(side: Side, campaign: Campaign) -> ReportRequest:
    report = ReportRequest.objects.create(
        kind=ReportRequest.Kind.REPORT_PDF,
        requested_by=side.coordinator,
        region=side.region,
        language="en",
        status=ReportRequest.Status.DONE,
        subject=f"matrix-{side.region.slug}",
        fingerprint=f"matrix-{side.region.slug}",
        finished_at=timezone.now(),
    )
    report.campaigns.set([campaign])
    name = private_storage().save(f"reports/matrix/{report.pk}.pdf", ContentFile(PDF))
    ReportRequest.objects.filter(pk=report.pk).update(file=name, file_size=len(PDF))
    report.refresh_from_db()
    return report


def _held_activity(side: Side) -> None:
    from tests.factories.activities import ActivityFactory, FollowUpFactory, ParticipantFactory

    side.held_activity = ActivityFactory(
        host_partner=side.partner,
        created_by=side.staff,
        title=f"Activity mx-{side.key} held",
        starts_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    side.held_activity.mark_held()
    side.participant = ParticipantFactory(
        activity=side.held_activity, email=f"matrix.guest.{side.key.lower()}@example.net"
    )
    side.follow_up = FollowUpFactory(participant=side.participant, language="en")


def _activities(side: Side) -> None:
    from activities.models import ActivityDocument
    from tests.factories.activities import ActivityFactory

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    side.proposal = ActivityFactory(
        host_partner=side.partner,
        created_by=side.staff,
        title=f"Activity mx-{side.key} proposed",
        confirmed_at=None,
    )
    side.planned_activity = ActivityFactory(
        host_partner=side.partner,
        created_by=side.staff,
        title=f"Activity mx-{side.key} planned",
        starts_on=yesterday,
        ends_on=yesterday + datetime.timedelta(days=1),
    )
    for label, activity in (("proposal", side.proposal), ("planned", side.planned_activity)):
        document = ActivityDocument(
            activity=activity,
            kind=ActivityDocument.Kind.AGENDA,
            name="agenda.pdf",
            content_type="application/pdf",
            size=len(PDF),
            uploaded_by=side.staff,
        )
        document.file.save("agenda.pdf", ContentFile(PDF), save=False)
        document.save()
        side.activity_documents[label] = document


def _instrument(side: Side):
    from activities.models import PolicyInstrument

    return PolicyInstrument.objects.create(
        region=side.region,
        name=f"Instrument mx-{side.key}",
        managing_authority=f"Managing authority of {side.region.name}",
    )


def two_factor(user: User) -> None:
    """TOTP and its recovery codes, as allauth sets up both when a person activates TOTP."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    activate_totp(user)
    RecoveryCodes.activate(user)


def build_world() -> World:
    slaskie = Region.objects.get(nuts_code="PL22")
    utrecht = Region.objects.get(nuts_code="NL35")
    province = Partner.objects.get(slug="province-of-silesia")
    hu = Partner.objects.get(slug="hu")
    lead = Partner.objects.get(slug="us")

    def member(email, partner, role=Membership.Role.STAFF, **flags):
        user = UserFactory(email=email)
        MembershipFactory(user=user, partner=partner, role=role, **flags)
        if role == Membership.Role.COORDINATOR:
            two_factor(user)
        return user

    coordinator_role = Membership.Role.COORDINATOR
    sides = {
        A: Side(
            slaskie,
            province,
            member("matrix.staff.a@example.org", province),
            member("matrix.coordinator.a@example.org", province, coordinator_role),
            UserFactory(email="matrix.someone.a@example.org"),
        ),
        B: Side(
            utrecht,
            hu,
            member("matrix.staff.b@example.org", hu),
            member("matrix.coordinator.b@example.org", hu, coordinator_role),
            UserFactory(email="matrix.someone.b@example.org"),
        ),
    }
    admin = UserFactory(email="matrix.admin@example.org", is_staff=True, is_superuser=True)
    two_factor(admin)
    users = {
        "anonymous": None,
        "respondent": UserFactory(email="matrix.respondent@example.org"),
        "staff": sides[A].staff,
        "other_staff": sides[B].staff,
        "coordinator": sides[A].coordinator,
        "other_coordinator": sides[B].coordinator,
        "consortium_coordinator": member(
            "matrix.consortium@example.org",
            lead,
            coordinator_role,
            is_consortium_coordinator=True,
        ),
        "admin_user": admin,
    }

    published = Framework.objects.current()
    competences = list(
        Competence.objects.filter(area__framework=published).order_by("area__position", "position")
    )
    draft = small_framework(areas=1, per_area=2, name="Matrix draft framework")
    self_survey = SurveyFactory(framework=published, kind=Survey.Kind.SELF_ASSESSMENT)
    now = timezone.now()
    for key, side in sides.items():
        side.key = key
        side.campaign = CampaignFactory(
            survey=self_survey,
            region=side.region,
            access=Campaign.Access.OPEN,
            title=f"{side.region.name} open campaign",
        )
        side.invitation_campaign = CampaignFactory(
            survey=self_survey,
            region=side.region,
            access=Campaign.Access.INVITATION,
            title=f"{side.region.name} invited campaign",
        )
        side.someones_response = ResponseFactory(campaign=side.campaign, respondent=side.someone)
        side.someones_invitation = Invitation.objects.create(
            campaign=side.invitation_campaign, email=side.someone.email, name="Someone"
        )
        _practices(side, competences[:2])
        _briefs(side, side.campaign, competences[0])
        side.report = _report(side, side.campaign)
        _held_activity(side)
        _activities(side)
        side.instrument = _instrument(side)
    consortium_campaign = CampaignFactory(
        survey=self_survey,
        region=None,
        access=Campaign.Access.OPEN,
        title="Consortium-wide campaign",
        opens_at=now - datetime.timedelta(days=10),
    )

    responses, invitations = {}, {}
    for role, user in users.items():
        if user is None:
            continue
        side = sides[ROLE_SIDE[role]]
        responses[role] = ResponseFactory(campaign=side.campaign, respondent=user)
        invitations[role] = Invitation.objects.create(
            campaign=side.invitation_campaign, email=user.email, name="Invited"
        )
    respondent = users["respondent"]
    return World(
        sides=sides,
        users=users,
        responses=responses,
        invitations=invitations,
        consortium_campaign=consortium_campaign,
        published_framework=published,
        draft_framework=draft,
        reset_key={
            "uidb36": user_pk_to_url_str(respondent),
            "key": default_token_generator.make_token(respondent),
        },
    )


def signed_in_clients(world: World) -> dict[str, Client]:
    """One client per role, CSRF checks on, signed in (coordinators and the admin have TOTP
    set up, so the portal lets them past its two-factor setup page)."""
    clients = {}
    for role, user in world.users.items():
        client = Client(enforce_csrf_checks=True)
        if user is not None:
            client.force_login(user)
        client.get("/")  # the page's forms set the CSRF cookie
        assert "csrftoken" in client.cookies, role
        clients[role] = client
    return clients


# Rows of every table, to prove a request changed none ------------------------------------

# The requester's own session (and allauth's record of it): renewed, or made for a visitor
# whose POST allauth keeps until they have signed in; and the cache, where it is a table (no
# Redis): rate limits count in it on every request. No one's data.
OWN_SESSION_TABLES = {"django_session", "usersessions_usersession"}


def _not_data() -> set[str]:
    from django.conf import settings

    cache = settings.CACHES["default"]
    if cache["BACKEND"].endswith("DatabaseCache"):
        return OWN_SESSION_TABLES | {cache["LOCATION"]}
    return OWN_SESSION_TABLES


def writes_so_far() -> dict[str, int]:
    """Rows inserted, updated or deleted so far in this transaction, per table (PostgreSQL's
    pg_stat_xact_user_tables, savepoints rolled back included): a refused request adds to
    none of them. Stricter than counting rows: an update, even one that writes the same
    values back, counts too."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
            " WHERE n_tup_ins + n_tup_upd + n_tup_del > 0"
        )
        ignored = _not_data()
        return {table: count for table, count in cursor.fetchall() if table not in ignored}


def changed_tables(before: dict[str, int], after: dict[str, int]) -> list[str]:
    return sorted(table for table, count in after.items() if count != before.get(table, 0))


# The table's vocabulary -------------------------------------------------------------------

LOGIN = "login"
# A form that refuses what was sent (a region or campaign not the user's to choose): the page
# again, 200 or 400, with the form's message.
FORM_REFUSED = "form refused"
# Outcomes that refuse: nothing may change.
REFUSALS = (LOGIN, FORM_REFUSED, 400, 403, 404, 405)
LOGIN_PAGES = ("/accounts/login/", "/admin/login/")


def by(default, **kinds) -> dict[str, tuple]:
    """The expected outcome per role of DESIGN.md section 1, as (own object, other region's
    object); one value stands for both. Kinds not named get `default`."""
    unknown = set(kinds) - set(KINDS)
    assert not unknown, f"no such role: {unknown}"
    expected = {}
    for kind in KINDS:
        value = kinds.get(kind, default)
        expected[kind] = value if isinstance(value, tuple) else (value, value)
    return expected


@dataclass
class Cell:
    """One URL name's row: its objects (path parameters for a side) and the outcomes."""

    get: dict
    objects: dict | None = None
    post: dict | None = None
    data: object = None


def bound_data(*forms) -> dict:
    """What unbound forms (and formsets) would post as they are rendered."""
    from django.forms.formsets import BaseFormSet

    data = {}
    for form in forms:
        if isinstance(form, BaseFormSet):
            data.update(bound_data(form.management_form, *form.forms))
            continue
        for name in form.fields:
            bound = form[name]
            value = bound.field.prepare_value(bound.value())
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            key = bound.html_name
            data[key] = [str(item) for item in value] if isinstance(value, list | tuple) else value
    return data


def _expected(rule: dict, label: str) -> dict:
    return rule.get(label, rule)


def _refuses(expected) -> bool:
    return expected in REFUSALS


def _call(function, world, side, role):
    import inspect

    if len(inspect.signature(function).parameters) == 3:
        return function(world, side, role)
    return function(world, side)


def _outcome_matches(expected, response) -> str | None:
    """None when the response is the expected outcome, else what it was."""
    location = response.get("Location", "")
    to_login = response.status_code == 302 and location.startswith(LOGIN_PAGES)
    if expected == LOGIN:
        return None if to_login else _described(response)
    if expected == FORM_REFUSED:
        return None if response.status_code in (200, 400) else _described(response)
    if response.status_code != expected:
        return _described(response)
    if expected == 302 and to_login:
        return _described(response)
    return None


def _described(response) -> str:
    if response.status_code in (301, 302, 307, 308):
        return f"{response.status_code} to {response['Location']}"
    return str(response.status_code)


def send(world, client, method: str, url: str, data: dict | None, *, check_rows, secure=False):
    """One request in a savepoint rolled back afterwards (the client's cookies restored):
    the response and, when `check_rows(response)` says so, the tables it changed."""
    from http.cookies import SimpleCookie

    from django.db import transaction

    saved = dict(client.cookies)
    changed = []
    # The counters only grow within the transaction: the last reading is still right
    # unless a request since was not checked.
    before = world.writes if world.writes is not None else writes_so_far()
    world.writes = None
    try:
        with transaction.atomic():
            if method == "post":
                body = dict(data or {})
                body["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
                response = client.post(url, body, secure=secure)
            else:
                response = client.get(url, secure=secure)
            if response.streaming:
                # Read inside the savepoint; the test client closes it (without closing the
                # database connection, as response.close() would).
                response.body = b"".join(response.streaming_content)
            else:
                response.body = response.content
            if check_rows(response):
                world.writes = writes_so_far()
                changed = changed_tables(before, world.writes)
            transaction.set_rollback(True)
    finally:
        client.cookies = SimpleCookie()
        client.cookies.update(saved)
    return response, changed


@dataclass
class Address:
    """One cell's address: a role asking for the own or the other side's object."""

    role: str
    label: str
    own: bool
    side: str
    url: str
    sided: bool = True  # False: the same address whoever's side (a page, a form's body)

    @property
    def column(self) -> int:
        return 0 if self.own else 1

    def __str__(self) -> str:
        whose = ("own " if self.own else "other ") if self.sided else ""
        return f"{self.role} ({whose}{self.label or 'page'}) {self.url}"


def addresses(world, name: str, row: Cell):
    """Every role × object of a row, as addresses; an object that is the same for both sides
    (a page without a side) once. The outcomes of both columns must then agree."""
    from django.urls import reverse

    objects = row.objects or {"": None}
    for role in ROLE_KIND:
        seen = set()
        for label, params in objects.items():
            urls = {
                side: reverse(name, kwargs=_call(params, world, side, role) if params else {})
                for side in (A, B)
            }
            for own in (True, False):
                side = ROLE_SIDE[role] if own else OTHER_SIDE[ROLE_SIDE[role]]
                url = urls[side]
                address = Address(role, label, own, side, url, sided=urls[A] != urls[B])
                same_rules = rules_of(row, address) == rules_of(row, replace(address, own=True))
                # Two labels may share an address and differ by what is posted to it.
                if (label, url) in seen:
                    assert same_rules, (
                        f"{name} {address}: the table gives two rules for one address"
                    )
                    continue
                if not own and same_rules and ROLE_KIND[role] in SIDELESS and not _personal(params):
                    # A role without a region meets both regions' objects alike (the table
                    # says so): one of them is enough.
                    continue
                seen.add((label, url))
                yield address


# Roles that belong to no region: their "own" object is side A's only by convention.
SIDELESS = ("visitor", "respondent", "admin")


def _personal(params) -> bool:
    """Parameters chosen by who asks (their own response, invitation)."""
    import inspect

    return params is not None and len(inspect.signature(params).parameters) == 3


def rules_of(row: Cell, address: Address) -> list:
    """(method, expected outcome) of a cell: GET, and POST (None: a GET-only page whose
    POST must write nothing, sent only as a role the page serves)."""
    kind = ROLE_KIND[address.role]
    get = _expected(row.get, address.label)[kind][address.column]
    if row.post:
        return [("get", get), ("post", _expected(row.post, address.label)[kind][address.column])]
    served = isinstance(get, int) and 200 <= get < 400
    return [("get", get), ("post", None)] if served else [("get", get)]


def run_row(world, name: str, row: Cell, data_per_object: dict | None = None):
    """Every role × every object of one row, GET and POST: the failures, and the cells."""
    failures, cells, gotten = [], 0, set()
    for address in addresses(world, name, row):
        builder = (data_per_object or {}).get(address.label, row.data)
        for method, expected in rules_of(row, address):
            if method == "get" and (address.role, address.url) in gotten:
                continue  # another label's body, posted to an address already asked for
            gotten.add((address.role, address.url))
            data = {}
            if method == "post" and builder:
                data = _call(builder, world, address.side, address.role)
            failure = _check_cell(world, address.role, method, address.url, data, expected)
            cells += 1
            if failure:
                failures.append(f"{method.upper()} as {address}: {failure}")
    return failures, cells


def _check_cell(world, role, method, url, data, expected) -> str | None:
    client = world.clients[role]

    def refused(response):
        # A GET-only page: whatever it answers a POST, it writes nothing.
        return expected is None or _refuses(expected)

    try:
        response, changed = send(world, client, method, url, data, check_rows=refused)
    except Exception as error:  # noqa: BLE001 - a view that raises is a failed cell
        return f"raised {type(error).__name__}: {error}"
    if expected is None:
        if response.status_code >= 500:
            return f"answered {response.status_code}"
    else:
        wrong = _outcome_matches(expected, response)
        if wrong:
            return f"expected {expected}, got {wrong}"
    if changed:
        return f"refused ({_described(response)}) but changed {', '.join(changed)}"
    if response.status_code == 200 and not response.get("Content-Type", "").endswith("pdf"):
        text = response.body.decode(errors="replace")
        shown = [secret for secret in world.secrets.get(role, ()) if secret in text]
        if shown:
            return f"shows what is not theirs to see: {', '.join(shown)}"
    return None


def cpu_seconds() -> tuple[float, float | None]:
    """CPU time used so far by this process and by its PostgreSQL backend (None where the
    server's processes cannot be read): on a busy machine, the cost beside the wall time."""
    import os
    from pathlib import Path

    from django.db import connection

    process = sum(os.times()[:2])
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return process, None
    return process, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def matrix_world():
    """The module-scoped fixture `world`: built once, rolled back after the module; its size
    and time are written to the run's output."""
    import time

    import pytest
    from django.db import transaction
    from django.test import override_settings

    @pytest.fixture(scope="module")
    def world(django_db_setup, django_db_blocker, tmp_path_factory, request):
        root = tmp_path_factory.mktemp("matrix")
        storages = {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            "private": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(root / "private")},
            },
        }
        # Every PDF of the matrix comes from one address: no rate limit in the way.
        overrides = override_settings(
            MEDIA_ROOT=root / "media", STORAGES=storages, PUBLIC_PDF_RATE="100000/m"
        )
        with django_db_blocker.unblock(), overrides, transaction.atomic():
            started, (process, database) = time.perf_counter(), cpu_seconds()
            built = build_world()
            built.clients = signed_in_clients(built)
            yield built
            seconds, (process_end, database_end) = time.perf_counter() - started, cpu_seconds()
            transaction.set_rollback(True)
        cpu = f"CPU {process_end - process:.1f} s here"
        if database is not None:
            cpu += f", {database_end - database:.1f} s in PostgreSQL"
        plugins = request.config.pluginmanager
        reporter = plugins.get_plugin("terminalreporter")
        capture = plugins.get_plugin("capturemanager")
        if reporter and capture and built.cells:
            with capture.global_and_fixture_disabled():
                reporter.write_line(
                    f"\n{request.module.__name__}: {built.cells} requests in {seconds:.1f} s "
                    f"({cpu})"
                )

    return world
