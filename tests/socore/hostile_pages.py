"""The pages with forms, for tests/socore/test_hostile_input.py: the world they need (a
record in each workflow state, campaigns, a draft framework, a failed report), the table of
URL patterns and who opens each, the stages of allauth's flows, and the files the upload
forms take.
"""

import datetime
import json
import re
import time
from dataclasses import dataclass

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core import mail
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from activities.models import ActivityDocument, PolicyInstrument
from practices.models import Attachment, BriefStatus, GoodPractice, PolicyBrief, Status
from surveys.models import (
    Answer,
    Campaign,
    Competence,
    Framework,
    Invitation,
    ReportRequest,
    Response,
    Survey,
)
from surveys.reports import pipeline
from tests.factories.accounts import PASSWORD, MembershipFactory, UserFactory
from tests.factories.activities import ActivityFactory, FollowUpFactory, ParticipantFactory
from tests.factories.briefs import BriefFactory
from tests.factories.practices import RUBRIC, PracticeFactory
from tests.factories.surveys import (
    CampaignFactory,
    ResponseFactory,
    SurveyFactory,
    answer,
    small_framework,
)

from . import hostile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    users: dict
    draft: GoodPractice
    attachment: Attachment
    submitted: GoodPractice
    approved: GoodPractice
    published: GoodPractice
    brief: PolicyBrief
    brief_in_review: PolicyBrief
    finding: object
    framework: Framework
    campaign: Campaign
    consent_campaign: Campaign
    invitation: Invitation
    in_progress: Response
    submitted_response: Response
    report: ReportRequest
    # A held activity of the Province of Silesia, with a guest sent the capacity survey.
    held_activity: object = None
    follow_up: object = None
    # Activities of the Province of Silesia: a proposal, a confirmed one that began
    # yesterday, and the held one's agenda.
    proposal: object = None
    started_activity: object = None
    activity_document: object = None
    # Śląskie's policy instrument (/impact/instruments/).
    instrument: object = None


def build_world(users: dict, province, slaskie) -> World:
    """`users`: the role fixtures of tests/conftest.py by name."""
    staff, coordinator, respondent = users["staff"], users["coordinator"], users["respondent"]
    users = {**users, "forgetful": UserFactory(email="forgetful@example.org")}
    author = UserFactory(email="author.slaskie@example.org")
    MembershipFactory(user=author, partner=province)
    current = Framework.objects.current()
    survey = SurveyFactory(framework=current, kind=Survey.Kind.SELF_ASSESSMENT)

    draft = PracticeFactory(created_by=staff, title="Draft clinic")
    draft.editors.add(staff)
    attachment = Attachment(
        practice=draft,
        name="report.pdf",
        content_type="application/pdf",
        size=len(PDF),
        uploaded_by=staff,
    )
    attachment.file.save("report.pdf", ContentFile(PDF), save=False)
    attachment.save()
    submitted = PracticeFactory(created_by=author, title="Submitted clinic")
    submitted.editors.add(author)
    submitted.transition("submit", by=author)
    approved = PracticeFactory(created_by=author, title="Approved clinic")
    approved.editors.add(author)
    approved.transition("submit", by=author)
    approved.transition("approve", by=coordinator, rubric=RUBRIC)
    published = PracticeFactory(
        created_by=author, title="Published clinic", status=Status.PUBLISHED
    )

    brief = BriefFactory(created_by=staff, title="Draft brief")
    brief_in_review = BriefFactory(
        created_by=author, title="Brief in review", status=BriefStatus.IN_REVIEW
    )
    campaign = CampaignFactory(survey=survey, region=slaskie, title="Śląskie staff 2026")
    finding = brief.findings.create(
        campaign=campaign,
        region=slaskie,
        competence=Competence.objects.filter(area__framework=current).first(),
        position=1,
    )
    consent_campaign = CampaignFactory(
        survey=survey, region=slaskie, title="Consent campaign", access=Campaign.Access.OPEN
    )
    invited = CampaignFactory(
        survey=survey, region=slaskie, title="Invited campaign", access=Campaign.Access.INVITATION
    )
    invitation = Invitation.objects.create(campaign=invited, email=respondent.email)
    in_progress = ResponseFactory(
        campaign=campaign,
        respondent=respondent,
        status=Response.Status.IN_PROGRESS,
        submitted_at=None,
    )
    done_campaign = CampaignFactory(survey=survey, region=slaskie, title="Earlier campaign")
    submitted_response = ResponseFactory(campaign=done_campaign, respondent=respondent)
    for competence in Competence.objects.filter(area__framework=current)[:3]:
        answer(submitted_response, competence, 3, 4)
    # Published figures: the public statistics and the consortium's dashboard show their
    # choices only where there are some.
    closed = CampaignFactory(
        survey=survey,
        region=slaskie,
        title="Śląskie staff 2025",
        opens_at=timezone.now() - datetime.timedelta(days=90),
        closes_at=timezone.now() - datetime.timedelta(days=30),
    )
    consortium_wide = CampaignFactory(survey=survey, region=None, title="Consortium 2026")
    competences = list(Competence.objects.filter(area__framework=current))
    for index in range(12):
        response = ResponseFactory(
            campaign=closed if index < 6 else consortium_wide,
            respondent=None,
            role=("researcher", "technical", "transfer")[index % 3],
        )
        Answer.objects.bulk_create(
            Answer(
                response=response,
                competence=competence,
                current_level=1 + (index + competence.pk) % 5,
                importance=1 + (index * 2 + competence.pk) % 5,
            )
            for competence in competences
        )

    report, _existing = pipeline.request_report(
        user=coordinator, region=slaskie, campaigns=[campaign], language="en"
    )
    ReportRequest.objects.filter(pk=report.pk).update(
        status=ReportRequest.Status.FAILED, error="The renderer stopped."
    )
    framework = small_framework(areas=1, per_area=1, name="Draft framework")
    held_activity = ActivityFactory(
        starts_on=timezone.localdate() - datetime.timedelta(days=3), created_by=staff
    )
    held_activity.mark_held()
    follow_up = FollowUpFactory(
        participant=ParticipantFactory(activity=held_activity, email="guest@example.net"),
        language="en",
    )
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    proposal = ActivityFactory(confirmed_at=None, created_by=staff, starts_on=yesterday)
    started_activity = ActivityFactory(created_by=staff, starts_on=yesterday)
    activity_document = ActivityDocument(
        activity=held_activity,
        kind=ActivityDocument.Kind.AGENDA,
        name="agenda.pdf",
        content_type="application/pdf",
        size=len(PDF),
        uploaded_by=staff,
    )
    activity_document.file.save("agenda.pdf", ContentFile(PDF), save=False)
    activity_document.save()
    return World(
        users=users,
        draft=draft,
        attachment=attachment,
        submitted=submitted,
        approved=approved,
        published=published,
        brief=brief,
        brief_in_review=brief_in_review,
        finding=finding,
        framework=framework,
        campaign=campaign,
        consent_campaign=consent_campaign,
        invitation=invitation,
        in_progress=in_progress,
        submitted_response=submitted_response,
        report=report,
        held_activity=held_activity,
        follow_up=follow_up,
        proposal=proposal,
        started_activity=started_activity,
        activity_document=activity_document,
        instrument=PolicyInstrument.objects.create(
            region=slaskie, name="Regional innovation strategy", managing_authority="Marshal"
        ),
    )


# The pages: URL name -> [(role, path parameters from the world)] -------------------------
# A row with no visits names a URL that only receives forms of other pages (a transition, a
# removal): some crawled form must post to it.

ANONYMOUS, RESPONDENT, STAFF, COORDINATOR, CONSORTIUM, ADMIN = (
    "anonymous",
    "respondent",
    "staff",
    "coordinator",
    "consortium_coordinator",
    "admin_user",
)
EVERYONE = [ANONYMOUS, RESPONDENT, STAFF, COORDINATOR, CONSORTIUM]
# Roles in the middle of an allauth flow (its "stages"), or just asked for their password again.
SIGNING_IN, SIGNING_UP, ASKED_FOR_CODE = "anonymous/2fa", "anonymous/signup", "anonymous/code"
RESPONDENT_AGAIN, COORDINATOR_AGAIN = "respondent/again", "coordinator/again"


def none(world):
    return {}


def practice(name):
    return lambda world: {"pk": getattr(world, name).pk}


def brief(name):
    return lambda world: {"pk": getattr(world, name).pk}


def reset_key(world):
    # Of an account no client signs in to: a sign-in would make the key stale.
    user = world.users["forgetful"]
    return {
        "uidb36": user_pk_to_url_str(user),
        "key": default_token_generator.make_token(user),
    }


VISITS = {
    "home": [(role, none) for role in EVERYONE],
    "privacy": [(ANONYMOUS, none)],
    "health": [(ANONYMOUS, none)],
    "set_language": [],
    "partners:list": [(CONSORTIUM, none)],
    "partners:add": [(CONSORTIUM, none)],
    "partners:detail": [(COORDINATOR, lambda w: {"slug": "province-of-silesia"})],
    "partners:edit": [
        (COORDINATOR, lambda w: {"slug": "province-of-silesia"}),
        (CONSORTIUM, lambda w: {"slug": "province-of-silesia"}),
    ],
    "practices:catalogue": [(ANONYMOUS, none)],
    "practices:export_csv": [(ANONYMOUS, none)],
    "practices:feed": [(ANONYMOUS, none)],
    "practices:mine": [(STAFF, none)],
    "practices:queue": [(COORDINATOR, none)],
    "practices:create": [(STAFF, none)],
    "practices:detail": [
        (STAFF, practice("draft")),
        (COORDINATOR, practice("submitted")),
        (CONSORTIUM, practice("approved")),
    ],
    "practices:edit": [(STAFF, practice("draft"))],
    "practices:pdf": [],
    "practices:upload": [],
    "practices:attachment": [
        (STAFF, lambda w: {"pk": w.draft.pk, "attachment_pk": w.attachment.pk})
    ],
    "practices:delete_attachment": [],
    "practices:diff": [],
    "practices:transition": [],
    "briefs:list": [(ANONYMOUS, none)],
    "briefs:feed": [(ANONYMOUS, none)],
    "briefs:mine": [(STAFF, none)],
    "briefs:create": [(STAFF, none)],
    "briefs:detail": [
        (STAFF, brief("brief")),
        (COORDINATOR, brief("brief_in_review")),
        (CONSORTIUM, brief("brief_in_review")),
    ],
    "briefs:edit": [(STAFF, brief("brief"))],
    "briefs:pdf": [],
    "briefs:add_finding": [],
    "briefs:remove_finding": [],
    "briefs:diff": [],
    "briefs:transition": [],
    "surveys:framework": [(ANONYMOUS, none)],
    "surveys:export": [(ANONYMOUS, lambda w: {"version": w.framework.version})],
    "surveys:manage": [(CONSORTIUM, none)],
    "surveys:import": [],
    "surveys:manage_version": [(CONSORTIUM, lambda w: {"version": w.framework.version})],
    "surveys:new_version": [],
    "surveys:publish": [],
    "surveys:translations": [
        (CONSORTIUM, lambda w: {"version": w.framework.version, "language": "pl"})
    ],
    "surveys:translations_file": [],
    "surveys:manage_area": [
        (CONSORTIUM, lambda w: {"pk": w.framework.areas.get().pk}),
    ],
    "surveys:manage_levels": [
        (CONSORTIUM, lambda w: {"pk": Competence.objects.get(area__framework=w.framework).pk}),
    ],
    "campaigns:list": [(COORDINATOR, none)],
    "campaigns:create": [(COORDINATOR, none), (CONSORTIUM, none)],
    "campaigns:detail": [(COORDINATOR, lambda w: {"pk": w.campaign.pk})],
    "campaigns:edit": [(COORDINATOR, lambda w: {"pk": w.campaign.pk})],
    "campaigns:invitations": [],
    "campaigns:reminders": [],
    "campaigns:translations": [
        (COORDINATOR, lambda w: {"pk": w.campaign.pk, "language": "pl"}),
    ],
    "answers:open": [(RESPONDENT, lambda w: {"link_token": w.consent_campaign.link_token})],
    "answers:invitation": [
        (RESPONDENT, lambda w: {"token": w.invitation.token}),
    ],
    "answers:page": [
        (RESPONDENT, lambda w: {"pk": w.in_progress.pk, "number": 1}),
        (RESPONDENT, lambda w: {"pk": w.in_progress.pk, "number": 2}),
    ],
    "answers:page_from_0": [],
    "results:list": [(RESPONDENT, none)],
    "results:profile": [(RESPONDENT, lambda w: {"pk": w.submitted_response.pk})],
    "results:pdf": [],
    "results:my_data": [],
    "results:erase": [(RESPONDENT, none)],
    "dashboard:index": [(COORDINATOR, none)],
    "dashboard:region": [(COORDINATOR, lambda w: {"slug": "slaskie"})],
    "dashboard:consortium": [(CONSORTIUM, none)],
    "dashboard:compare": [(CONSORTIUM, none)],
    "dashboard:change": [(COORDINATOR, none), (CONSORTIUM, none)],
    "statistics:index": [(ANONYMOUS, none)],
    "reports:list": [(COORDINATOR, none)],
    "reports:new": [(COORDINATOR, none)],
    "reports:detail": [(COORDINATOR, lambda w: {"pk": w.report.pk})],
    "reports:download": [],
    "reports:render_again": [],
    "profile": [(RESPONDENT, none)],
    "delete_account": [(RESPONDENT, none)],
    "account_login": [(ANONYMOUS, none)],
    "account_logout": [(RESPONDENT, none)],
    "account_inactive": [(ANONYMOUS, none)],
    "account_signup": [(ANONYMOUS, none)],
    "account_reauthenticate": [(RESPONDENT, none)],
    "account_email": [(RESPONDENT, none)],
    "account_email_verification_sent": [(SIGNING_UP, none)],
    "account_change_password": [(RESPONDENT, none)],
    "account_set_password": [(RESPONDENT, none)],
    "account_reset_password": [(ANONYMOUS, none)],
    "account_confirm_login_code": [(ASKED_FOR_CODE, none)],
    "account_reset_password_from_key_done": [(ANONYMOUS, none)],
    "account_reset_password_from_key": [(ANONYMOUS, reset_key)],
    "account_reset_password_done": [(ANONYMOUS, none)],
    "account_request_login_code": [(ANONYMOUS, none)],
    "mfa_index": [(RESPONDENT, none), (COORDINATOR, none)],
    "mfa_authenticate": [(SIGNING_IN, none)],
    "mfa_reauthenticate": [(COORDINATOR, none)],
    "mfa_activate_totp": [(RESPONDENT_AGAIN, none)],
    "mfa_deactivate_totp": [(COORDINATOR_AGAIN, none)],
    "mfa_view_recovery_codes": [(COORDINATOR_AGAIN, none)],
    "mfa_generate_recovery_codes": [(COORDINATOR_AGAIN, none)],
    "mfa_download_recovery_codes": [],
    "usersessions_list": [(RESPONDENT, none)],
    "activities:participants": [(COORDINATOR, lambda w: {"pk": w.held_activity.pk})],
    "activities:participant_add": [],
    "activities:participant_import": [],
    "activities:participant_attendance": [],
    "activities:participant_remove": [],
    "activities:capacity_send": [],
    "activities:capacity": [(CONSORTIUM, lambda w: {"pk": w.held_activity.pk})],
    "activities:change": [(COORDINATOR, lambda w: {"pk": w.held_activity.pk})],
    "activities:follow_up": [(ANONYMOUS, lambda w: {"token": w.follow_up.token})],
    "activities:list": [(ANONYMOUS, none)],
    "activities:calendar": [],
    "activities:create": [(STAFF, none)],
    "activities:detail": [
        (COORDINATOR, lambda w: {"pk": w.proposal.pk}),
        (COORDINATOR, lambda w: {"pk": w.started_activity.pk}),
        (STAFF, lambda w: {"pk": w.held_activity.pk}),
    ],
    "activities:edit": [(STAFF, lambda w: {"pk": w.proposal.pk})],
    "activities:confirm": [],
    "activities:mark_held": [],
    "activities:cancel": [],
    "activities:upload_document": [],
    "activities:document": [
        (
            STAFF,
            lambda w: {"pk": w.held_activity.pk, "document_pk": w.activity_document.pk},
        )
    ],
    "activities:delete_document": [],
    "impact:index": [(COORDINATOR, none)],
    "impact:evidence": [(COORDINATOR, lambda w: {"indicator": "increased_capacity"})],
    "impact:targets": [(CONSORTIUM, none)],
    "impact:instruments": [(COORDINATOR, none)],
    "impact:instrument_new": [(COORDINATOR, none)],
    "impact:instrument_edit": [(COORDINATOR, lambda w: {"pk": w.instrument.pk})],
    "impact:export": [],
    "impact:public": [(ANONYMOUS, none)],
}


# Rows of VISITS without visits that no form posts to: files and pages reached by links.
NEVER_POSTED = {
    "practices:pdf": "a PDF",
    "practices:diff": "a page of differences, linked from the trail",
    "briefs:pdf": "a PDF",
    "briefs:diff": "a page of differences, linked from the trail",
    "answers:page_from_0": "an old address, redirected",
    "results:pdf": "a PDF",
    "activities:calendar": "an iCalendar download",
    "results:my_data": "a JSON download",
    "reports:download": "a file download",
    "mfa_download_recovery_codes": "a text download",
}


def url_patterns():
    """(name, pattern) of every URL the portal serves, but the Django admin's."""

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if entry.app_name == "admin":
                    continue
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                yield from walk(entry, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                yield name, prefix + str(entry.pattern)

    return list(walk(get_resolver(), "", ""))


# Signing in, and the stages of allauth's flows ------------------------------------------

NEW_PASSWORD = "Another-long-password-2026!"


def totp_code(secret: str | None = None) -> str:
    """The code an authenticator app shows now for `secret` (the demo one by default; allauth
    accepts only the current period's): near the end of a period, wait for the next one."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    if time.time() % period > period - 2:
        time.sleep(period - time.time() % period + 0.1)
    counter = int(time.time()) // period
    return format_hotp_value(hotp_value(secret or settings.DEMO_TOTP_SECRET, counter))


def _stage_two_factor(client, world):
    response = client.post(
        "/accounts/login/", {"login": world.users[COORDINATOR].email, "password": PASSWORD}
    )
    assert response["Location"] == "/accounts/2fa/authenticate/"


def emailed_code() -> str:
    body = mail.outbox[-1].body
    return re.search(r"^\s*([A-Z0-9][A-Z0-9-]{3,14})\s*$", body, re.MULTILINE).group(1)


def _stage_signup(client, world):
    response = client.post(
        "/accounts/signup/",
        {"email": "newcomer@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response["Location"] == "/accounts/confirm-email/"
    client.code = emailed_code()


def _stage_login_code(client, world):
    response = client.post("/accounts/login/code/", {"email": world.users[RESPONDENT].email})
    assert response["Location"] == "/accounts/login/code/confirm/"
    client.code = emailed_code()


def _signed_in_again(client, world):
    if world.users[COORDINATOR] == client.user:
        response = client.post("/accounts/2fa/reauthenticate/", {"code": totp_code()})
    else:
        response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]


STAGES = {
    "2fa": _stage_two_factor,
    "signup": _stage_signup,
    "code": _stage_login_code,
    "again": _signed_in_again,
}


class Visitor:
    """One client per role (and stage), signed in once."""

    def __init__(self, world):
        self.world = world
        self.clients: dict[str, Client] = {}
        self.uploads: dict[str, hostile.Upload] = {}  # the file each upload form takes
        self.hostile_files: dict[str, list[tuple[str, bytes]]] = {}  # and its hostile ones

    def client(self, role: str) -> Client:
        if role not in self.clients:
            base, _slash, stage = role.partition("/")
            client = Client(raise_request_exception=False)
            client.user = self.world.users.get(base)
            client.code = None  # a code emailed in the role's stage
            if client.user is not None:
                client.force_login(client.user)
            if stage:
                STAGES[stage](client, self.world)
            self.clients[role] = client
        return self.clients[role]


# The files the upload forms take -------------------------------------------------------


def _po_with(valid: bytes, text: bytes) -> bytes:
    """The PO file with its first translation set to `text`."""
    head, separator, rest = valid.partition(b'msgstr ""\n\n')
    entry, _blank, tail = rest.partition(b'msgstr ""')
    return head + separator + entry + b'msgstr "' + text + b'"' + tail


HOSTILE_FILES = {
    "campaigns:invitations": [
        (
            "markup and formulas",
            b"email,name\n<script>alert(1)</script>@example.org,x\n"
            b'person.two@example.org,"=HYPERLINK(""https://example.org"")"\n'
            b"person.three@example.org,<svg onload=alert(1)>\n"
            b'""><svg onload=alert(1)>",x\n@SUM(A1)@example.org,+1\n',
        ),
        ("NUL byte", b"email\nperson@example.org\x00\n"),
        ("a long line", b"x" * 200_000 + b"@example.org\n"),
        (
            "right-to-left override and a lone surrogate",
            "person.four@example.org,Ann\u202eevil\n".encode()
            + b"person.five@example.org,\xed\xa0\x80\n",
        ),
    ],
    "activities:participant_import": [
        (
            "markup and formulas",
            b"name,email,organisation,type\n<script>alert(1)</script>,a@example.org,x,other\n"
            b'"=HYPERLINK(""https://example.org"")",b@example.org,+1,other\n'
            b"<svg onload=alert(1)>,c@example.org,@SUM(A1),<b>other</b>\n",
        ),
        ("NUL byte", b"name,email\nPerson,person@example.org\x00\n"),
        ("a long line", b"x" * 200_000 + b"@example.org\n"),
        (
            "right-to-left override and a lone surrogate",
            "Ann\u202eevil,person.four@example.org\n".encode()
            + b"\xed\xa0\x80,person.five@example.org\n",
        ),
    ],
    "surveys:import": [
        ("not JSON", b"{not json"),
        ("a list, not an object", b'["a", 1]'),
        ("deep nesting", b"[" * 50_000 + b"]" * 50_000),
        (
            "huge level number",
            b'{"name": "x", "areas": [{"code": "A", "name": "A", "competences": [{"code": "1", '
            b'"name": "n", "description": "d", "levels": {"99999999999999999999": "x"}}]}]}',
        ),
    ],
    "surveys:translations_file": [
        ("not a PO file", b"\x00\x01 garbage msgstr"),
    ],
    "activities:upload_document": [
        ("HTML named .pdf", b"<html><script>alert(1)</script></html>"),
        ("SVG with a script", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ],
    "practices:upload": [
        ("HTML named .pdf", b"<html><script>alert(1)</script></html>"),
        ("SVG with a script", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ],
}


def prepare_uploads(world, visitor) -> dict[str, hostile.Upload]:
    """The file each upload form takes: a PDF, a CSV of invitees, the draft framework's own
    JSON and PO files (as exported), and hostile versions of the last two."""
    consortium = visitor.client(CONSORTIUM)
    version = world.framework.version
    exported = consortium.get(reverse("surveys:export", args=[version])).content
    po = consortium.get(reverse("surveys:translations_file", args=[version, "pl"])).content
    framework = json.loads(exported)
    framework["name"] = hostile.SCRIPT
    framework["areas"][0]["name"] = hostile.SVG
    framework["areas"][0]["competences"][0]["description"] = "before\x00after"
    visitor.hostile_files = {
        **HOSTILE_FILES,
        "surveys:import": [
            *HOSTILE_FILES["surveys:import"],
            ("markup and NUL in the texts", json.dumps(framework).encode()),
        ],
        "surveys:translations_file": [
            *HOSTILE_FILES["surveys:translations_file"],
            ("markup in a translation", _po_with(po, hostile.SCRIPT.encode())),
            ("NUL byte in a translation", _po_with(po, b"before\x00after")),
            ("a NUL escape in a translation", _po_with(po, b"before\\0after")),
        ],
    }
    return {
        "practices:upload": hostile.Upload(b"report.pdf", PDF, "application/pdf"),
        "activities:upload_document": hostile.Upload(b"agenda.pdf", PDF, "application/pdf"),
        "campaigns:invitations": hostile.Upload(
            b"invitees.csv", b"email,name\nperson.one@example.org,Person One\n", "text/csv"
        ),
        "activities:participant_import": hostile.Upload(
            b"participants.csv",
            b"name,email,organisation,type\nPerson One,person.one@example.org,Park,other\n",
            "text/csv",
        ),
        "surveys:import": hostile.Upload(b"framework.json", exported, "application/json"),
        "surveys:translations_file": hostile.Upload(
            b"framework-pl.po", _po_with(po, b"Szkic ramy"), "text/plain"
        ),
    }
