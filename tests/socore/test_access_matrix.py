"""Every URL pattern × every role × the role's own object and another region's: the access
rules of DESIGN.md section 1 as one table, checked against the resolved URLconf.

A pattern added without a row here fails `test_every_url_pattern_has_an_access_rule` ("new
view without an access rule"). Each row gives, per role of DESIGN.md section 1, the outcome
for the role's own object (of its region, partner, or its own response) and for the other
region's (another partner's, another respondent's): `(own, other)`, or one value for both.
Rules that hold everywhere: an outsider gets 404, a read-only member 403, a visitor is sent
to sign in wherever signing in is needed, and a refused request (GET or POST, with a valid
CSRF token) writes no row of any table. A page without a POST rule is POSTed too, as each
role it serves, and must write nothing. No page a role is served shows the title of a
practice or brief the table keeps from that role, nor another person's email address.

The world: tests/socore/matrix.py. Staff and coordinators of Śląskie (side A) and of Utrecht
(side B) are checked against the same column; the consortium coordinator's side is A
(the lead partner is in Śląskie) but at another partner than A's objects, which belong to
the Province of Silesia.
"""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from surveys.campaigns.forms import DATETIME_LOCAL
from surveys.framework import translating
from surveys.framework.forms import AreaFormSet, CompetenceFormSet, FrameworkForm
from surveys.framework.io import export_framework
from surveys.models import Competence
from tests.factories.accounts import PASSWORD
from tests.factories.briefs import form_data as brief_form_data
from tests.factories.practices import RUBRIC
from tests.factories.practices import form_data as practice_form_data
from tests.socore import matrix
from tests.socore.matrix import (
    LANGUAGE,
    OTHER_SIDE,
    PDF,
    ROLE_KIND,
    ROLE_SIDE,
    Cell,
    bound_data,
    by,
    matrix_world,
    run_row,
)

OK, FOUND, PERMANENT, UNAVAILABLE = 200, 302, 308, 503
TARGET_INDICATORS = (
    "study_visits",
    "workshops",
    "peer_reviews",
    "stakeholder_meetings",
    "good_practices",
    "increased_capacity",
    "competence_rose",
)
FORM_REFUSED = matrix.FORM_REFUSED  # the form says no (a region not the user's): no write
FORBIDDEN, MISSING, NOT_ALLOWED, LOGIN = 403, 404, 405, "login"
OWN = (OK, MISSING)  # own object yes, the other region's: not found
OWN_FOUND = (FOUND, MISSING)  # the same for a write that redirects when done
EVERYONE = by(OK)
SIGNED_IN = by(OK, visitor=LOGIN)
SIGNED_IN_FOUND = by(FOUND, visitor=LOGIN)
POST_ONLY = by(NOT_ALLOWED, visitor=LOGIN)  # @login_required @require_POST: GET
COORDINATORS = by(FORBIDDEN, visitor=LOGIN, coordinator=OK, consortium=OK)
CONSORTIUM = by(FORBIDDEN, visitor=LOGIN, consortium=OK)
# Campaign and report pages: people who cannot run them must not learn they exist.
HIDDEN_FROM_NON_COORDINATORS = by(MISSING, visitor=LOGIN, coordinator=OK, consortium=OK)
OWN_REGION_COORDINATORS = by(MISSING, visitor=LOGIN, coordinator=OWN, consortium=OK)
SIGNED_OUT_ONLY = by(FOUND, visitor=OK)
NO_SIGN_IN_UNDER_WAY = by(FOUND, visitor=LOGIN)
# Coordinators and the admin have TOTP; the others are sent to reauthenticate by password.
WITH_TOTP = by(OK, visitor=LOGIN, respondent=FOUND, staff=FOUND)
TOTP_ONLY = by(FOUND, visitor=LOGIN, respondent=MISSING, staff=MISSING)


def one(**kwargs):
    """Path parameters that are the same whoever asks."""
    return lambda world, side: kwargs


def practice(state, **more):
    return lambda world, side: {"pk": world.sides[side].practices[state].pk, **more}


def attachment(state):
    def params(world, side):
        item = world.sides[side].attachments[state]
        return {"pk": item.practice_id, "attachment_pk": item.pk}

    return params


def foreign_attachment(world, side):
    """The own draft's address with the other region's attachment number (IDOR)."""
    return {
        "pk": world.sides[side].practices["draft"].pk,
        "attachment_pk": world.sides[OTHER_SIDE[side]].attachments["draft"].pk,
    }


def brief(state, **more):
    return lambda world, side: {"pk": world.sides[side].briefs[state].pk, **more}


def finding(state):
    def params(world, side):
        item = world.sides[side].findings[state]
        return {"pk": item.brief_id, "finding_pk": item.pk}

    return params


def foreign_finding(world, side):
    return {
        "pk": world.sides[side].briefs["draft"].pk,
        "finding_pk": world.sides[OTHER_SIDE[side]].findings["draft"].pk,
    }


def partner(world, side):
    return {"slug": world.sides[side].partner.slug}


def region(world, side):
    return {"slug": world.sides[side].region.slug}


def campaign(world, side):
    return {"pk": world.sides[side].campaign.pk}


def consortium_campaign(world, side):
    return {"pk": world.consortium_campaign.pk}


def report(world, side):
    return {"pk": world.sides[side].report.pk}


def own_response(world, side, role):
    """The role's own response (a visitor has none: the respondent's is asked for)."""
    if side == world.role_side(role):
        return world.responses.get(role, world.responses["respondent"])
    # "Other": somebody else's, in the same region as the role's own.
    return world.sides[world.role_side(role)].someones_response


def response(**more):
    return lambda world, side, role: {"pk": own_response(world, side, role).pk, **more}


def invitation(world, side, role):
    if side == world.role_side(role):
        token = world.invitations.get(role, world.invitations["respondent"]).token
    else:
        token = world.sides[world.role_side(role)].someones_invitation.token
    return {"token": token}


def open_link(kind):
    def params(world, side):
        campaign = (
            world.sides[side].campaign
            if kind == "open"
            else world.sides[side].invitation_campaign
            if kind == "invited"
            else world.consortium_campaign
        )
        return {"link_token": campaign.link_token}

    return params


def framework_version(which):
    def params(world, side):
        framework = world.published_framework if which == "published" else world.draft_framework
        return {"version": framework.version}

    return params


def translation(world, side):
    return {"version": world.published_framework.version, "language": LANGUAGE[side]}


def campaign_translation(world, side):
    return {"pk": world.sides[side].campaign.pk, "language": LANGUAGE[side]}


def draft_area(world, side):
    return {"pk": world.draft_framework.areas.order_by("position").first().pk}


def draft_competence(world, side):
    return {"pk": Competence.objects.filter(area__framework=world.draft_framework).first().pk}


# POST bodies: what the page's own form sends, so that an allowed role's POST really writes
# (and a refused one would, if it were not refused).


def partner_body(world, side):
    item = world.sides[side].partner
    return {
        "name": item.name,
        "short_name": item.short_name,
        "type": item.type,
        "region": item.region_id,
        "website": "https://example.org/changed",
        "description": "A description changed by the matrix.",
    }


def new_partner_body(world, side):
    return {
        "name": "Matrix Regional Agency",
        "short_name": "MRA",
        "type": "regional_agency",
        "region": world.sides[side].region.pk,
        "website": "https://example.org/mra",
        "description": "Added by the matrix.",
    }


def practice_body(state):
    def body(world, side):
        item = world.sides[side].practices[state]
        return practice_form_data(item, title=f"{item.title} (edited)")

    return body


def new_practice_body(world, side):
    return practice_form_data(
        world.sides[side].practices["draft"], title="A practice of the matrix"
    )


def upload_body(world, side):
    return {"files": SimpleUploadedFile("more-results.pdf", PDF, "application/pdf")}


def brief_body(state):
    def body(world, side):
        item = world.sides[side].briefs[state]
        return brief_form_data(item, title=f"{item.title} (edited)")

    return body


def new_brief_body(world, side):
    return brief_form_data(world.sides[side].briefs["draft"], title="A brief of the matrix")


def finding_body(world, side):
    competence = Competence.objects.filter(area__framework=world.published_framework).first()
    return {"campaign": world.sides[side].campaign.pk, "competence": competence.code}


def transition_body(world, side):
    return {**RUBRIC, "comment": "Reviewed by the matrix."}


def import_body(world, side):
    content = json.dumps(export_framework(world.draft_framework)).encode()
    return {"file": SimpleUploadedFile("framework.json", content, "application/json")}


def version_body(world, side):
    framework = world.draft_framework
    data = bound_data(
        FrameworkForm(instance=framework, prefix="framework"),
        AreaFormSet(instance=framework, prefix="areas"),
    )
    data["framework-name"] = "Matrix draft framework (renamed)"
    return data


def area_body(world, side):
    area = world.draft_framework.areas.order_by("position").first()
    data = bound_data(
        CompetenceFormSet(
            instance=area,
            prefix="competences",
            queryset=Competence.objects.order_by("position", "pk"),
        )
    )
    data["competences-0-name"] = "Renamed by the matrix"
    return data


def levels_body(world, side):
    return {f"level_{level}": f"Level {level}, rewritten" for level in range(1, 6)}


def translation_body(world, side):
    return {"framework:name": "Przetłumaczone przez macierz"}


def po_body(world, side):
    content = translating.to_po(world.published_framework, LANGUAGE[side])
    return {"file": SimpleUploadedFile("framework.po", content, "text/x-gettext-translation")}


def campaign_body(world, side, existing=None):
    item = existing or world.sides[side].campaign
    opens = item.opens_at if existing else datetime.datetime(2030, 1, 1, 9, 0)
    return {
        "title": "Campaign edited by the matrix" if existing else "Campaign of the matrix",
        "survey": item.survey_id,
        "region": world.sides[side].region.pk,
        "opens_at": opens.strftime(DATETIME_LOCAL),
        "closes_at": (opens + datetime.timedelta(days=60)).strftime(DATETIME_LOCAL),
        "access": "open",
        "privacy_notice": item.privacy_notice,
        "privacy_notice_version": "2.0",
        "target_responses": "",
        "reminder_days_before": "",
    }


def campaign_edit_body(world, side):
    return campaign_body(world, side, world.sides[side].campaign)


def new_campaign_body(world, side):
    return campaign_body(world, side)


def invitations_body(world, side):
    content = b"email,name\nmatrix.invitee@example.org,Matrix Invitee\n"
    return {"file": SimpleUploadedFile("invitees.csv", content, "text/csv")}


def campaign_translation_body(world, side):
    return {"campaign:title": "Kampania przetłumaczona"}


def consent_body(world, side):
    return {"agree": "on", "language": "en"}


def background_body(world, side):
    return {
        "organisation_type": "research_institute",
        "role": "technical",
        "experience": "0-2",
        "action": "next",
    }


def report_body(world, side):
    return {
        "region": world.sides[side].region.slug,
        "campaigns": [world.sides[side].campaign.pk],
        "language": "en",
        "kind": "report_pdf",
    }


def instrument_body(world, side):
    return {
        "region": world.sides[side].region.pk,
        "name": f"Instrument posted by the matrix for {world.sides[side].region.name}",
        "managing_authority": "Managing authority",
        "status": "in_preparation",
    }


def progress_body(world, side):
    return {
        "start": "2025-05-01",
        "end": "2025-10-31",
        "region": world.sides[side].region.slug,
        "kind": "progress_csv",
        "language": "en",
    }


def instrument(world, side):
    return {"pk": world.sides[side].instrument.pk}


def profile_body(world, side):
    return {"name": "Renamed by the matrix", "language": "pl", "time_zone": ""}


# The table --------------------------------------------------------------------------------
#
# name: Cell(objects, get, post, data)
#   objects  {label: params(world, side)}; none for a page without path parameters
#   get/post {label: by(...)} (or one by(...) for every label); post None: a GET-only page,
#            whose POST is still sent and must change nothing
#   data     the POST body, built for the object's side (the role's own side when the page
#            has no object)

PRACTICE_STATES = {s: practice(s) for s in ("draft", "submitted", "published")}
BRIEF_STATES = {s: brief(s) for s in ("draft", "in_review", "published")}
SEES_SUBMITTED = by(MISSING, staff=OWN, coordinator=OWN, consortium=OK)
BRIEF_WRITERS_OWN = by(MISSING, visitor=LOGIN, staff=OWN, coordinator=OWN, consortium=OWN)

# Activities' participants (activities/access.py): a public activity's participants are the
# host region's coordinators' and the consortium's; everyone else who sees the activity, 403.
PARTICIPANT_MANAGERS = by(FORBIDDEN, visitor=LOGIN, coordinator=(OK, FORBIDDEN), consortium=OK)
PARTICIPANT_CHANGES = by(FORBIDDEN, visitor=LOGIN, coordinator=(FOUND, FORBIDDEN), consortium=FOUND)


def held_activity(world, side):
    return {"pk": world.sides[side].held_activity.pk}


def activity_participant(world, side):
    participant = world.sides[side].participant
    return {"pk": participant.activity_id, "participant_pk": participant.pk}


def follow_up_token(world, side):
    return {"token": world.sides[side].follow_up.token}


def participant_body(world, side):
    return {"email": "matrix.new.guest@example.net", "name": "New Guest", "type": "other"}


def participant_import_body(world, side):
    content = b"name,email,organisation,type\nMatrix Guest,matrix.csv.guest@example.net,,other\n"
    return {"file": SimpleUploadedFile("participants.csv", content, "text/csv")}


def attendance_body(world, side):
    return {"attended": [world.sides[side].participant.pk]}


def follow_up_body(world, side):
    return {"met_practices": "4", "capacity_increased": "some", "most_useful": "The visit"}


# Activities (activities/access.py): a proposal is its partner's staff's and its region's
# coordinators' until one of them confirms it; a confirmed planned activity is public, and
# only its region's coordinators (and the consortium's) change it.
ACTIVITY_STATES = ("proposal", "planned")
SEES_PROPOSAL = by(MISSING, staff=OWN, coordinator=OWN, consortium=OK)
CHANGES_PROPOSAL = by(
    MISSING, visitor=LOGIN, staff=OWN_FOUND, coordinator=OWN_FOUND, consortium=FOUND
)
CHANGES_CONFIRMED = by(FORBIDDEN, visitor=LOGIN, coordinator=(FOUND, FORBIDDEN), consortium=FOUND)
# Agenda and minutes of a public activity: its partner's staff and its region's coordinators.
UPLOADS_CONFIRMED = by(
    FORBIDDEN,
    visitor=LOGIN,
    staff=(FOUND, FORBIDDEN),
    coordinator=(FOUND, FORBIDDEN),
    consortium=FOUND,
)


def activity(state, **more):
    attribute = {"proposal": "proposal", "planned": "planned_activity"}[state]
    return lambda world, side: {"pk": getattr(world.sides[side], attribute).pk, **more}


def activity_document(state):
    def params(world, side):
        document = world.sides[side].activity_documents[state]
        return {"pk": document.activity_id, "document_pk": document.pk}

    return params


def foreign_activity_document(world, side):
    """The own planned activity's address with the other region's document number (IDOR)."""
    return {
        "pk": world.sides[side].planned_activity.pk,
        "document_pk": world.sides[OTHER_SIDE[side]].activity_documents["planned"].pk,
    }


def activity_body(state):
    def body(world, side):
        item = activity(state)(world, side)["pk"]
        from activities.models import Activity

        found = Activity.objects.get(pk=item)
        return {
            "kind": found.kind,
            "title": found.title,
            "starts_on": found.starts_on.isoformat(),
            "ends_on": found.ends_on.isoformat(),
            "place": found.place,
            "description": found.description,
        }

    return body


def new_activity_body(world, side, role):
    """A new activity hosted by one of the role's own partners."""
    from partners.permissions import roles_of

    user = world.users[role]
    own = sorted(roles_of(user).partner_ids) if user is not None else []
    return _activity_body(own[0] if own else world.sides[side].partner.pk)


def another_partners_activity_body(world, side, role):
    """The same, hosted by the other region's partner: not the role's to choose."""
    return _activity_body(world.sides[OTHER_SIDE[side]].partner.pk)


def _activity_body(partner: int) -> dict:
    return {
        "host_partner": partner,
        "kind": "workshop",
        "title": "Matrix workshop",
        "starts_on": "2027-03-01",
        "ends_on": "2027-03-02",
        "place": "Online and Katowice",
    }


def document_body(world, side):
    return {"kind": "minutes", "file": SimpleUploadedFile("minutes.pdf", PDF, "application/pdf")}


TABLE: dict[str, Cell] = {
    # The portal's own pages -------------------------------------------------------------
    "home": Cell(get=EVERYONE),
    "privacy": Cell(get=EVERYONE),
    # The operators' view (a staff session) names each service: no worker runs here.
    "health": Cell(get=by(OK, admin=UNAVAILABLE)),
    "set_language": Cell(
        get=by(NOT_ALLOWED),
        post=by(FOUND),
        data=lambda world, side: {"language": "pl", "next": "/"},
    ),
    "profile": Cell(get=SIGNED_IN, post=SIGNED_IN_FOUND, data=profile_body),
    "delete_account": Cell(
        get=SIGNED_IN,
        post=SIGNED_IN_FOUND,
        data=lambda world, side: {"password": PASSWORD},
    ),
    # Partners: public pages; a partner is edited by its coordinators and the consortium's.
    "partners:list": Cell(get=EVERYONE),
    "partners:detail": Cell(objects={"partner": partner}, get=EVERYONE),
    "partners:add": Cell(
        get=CONSORTIUM,
        post=by(FORBIDDEN, visitor=LOGIN, consortium=FOUND),
        data=new_partner_body,
    ),
    "partners:edit": Cell(
        objects={"partner": partner},
        get=by(FORBIDDEN, visitor=LOGIN, coordinator=(OK, FORBIDDEN), consortium=OK),
        post=by(FORBIDDEN, visitor=LOGIN, coordinator=(FOUND, FORBIDDEN), consortium=FOUND),
        data=partner_body,
    ),
    # Good practices ----------------------------------------------------------------------
    "practices:catalogue": Cell(get=EVERYONE),
    "practices:export_csv": Cell(get=EVERYONE),
    "practices:feed": Cell(get=EVERYONE),
    "practices:mine": Cell(get=SIGNED_IN),
    "practices:queue": Cell(get=COORDINATORS),
    "practices:create": Cell(
        get=by(OK, visitor=LOGIN, respondent=FORBIDDEN, admin=FORBIDDEN),
        post=by(FOUND, visitor=LOGIN, respondent=FORBIDDEN, admin=FORBIDDEN),
        data=new_practice_body,
    ),
    # A draft is its partner's; from submission on its region's coordinators and the
    # consortium's review it; published, it is everyone's.
    "practices:detail": Cell(
        objects=PRACTICE_STATES,
        get={
            "draft": by(MISSING, staff=OWN, coordinator=OWN),
            "submitted": SEES_SUBMITTED,
            "published": EVERYONE,
        },
    ),
    "practices:pdf": Cell(
        objects=PRACTICE_STATES,
        get={
            "draft": by(MISSING, staff=OWN, coordinator=OWN),
            "submitted": SEES_SUBMITTED,
            "published": EVERYONE,
        },
    ),
    "practices:edit": Cell(
        objects=PRACTICE_STATES,
        get={
            "draft": by(MISSING, visitor=LOGIN, staff=OWN, coordinator=OWN),
            "submitted": by(
                MISSING,
                visitor=LOGIN,
                staff=(FORBIDDEN, MISSING),
                coordinator=(FORBIDDEN, MISSING),
                consortium=FORBIDDEN,
            ),
            "published": by(FORBIDDEN, visitor=LOGIN),
        },
        post={
            "draft": by(MISSING, visitor=LOGIN, staff=OWN_FOUND, coordinator=OWN_FOUND),
            "submitted": by(
                MISSING,
                visitor=LOGIN,
                staff=(FORBIDDEN, MISSING),
                coordinator=(FORBIDDEN, MISSING),
                consortium=FORBIDDEN,
            ),
            "published": by(FORBIDDEN, visitor=LOGIN),
        },
        data=None,  # per object: see DATA_PER_OBJECT
    ),
    "practices:upload": Cell(
        objects={"draft": practice("draft"), "published": practice("published")},
        get=POST_ONLY,
        post={
            "draft": by(MISSING, visitor=LOGIN, staff=OWN_FOUND, coordinator=OWN_FOUND),
            "published": by(FORBIDDEN, visitor=LOGIN),
        },
        data=upload_body,
    ),
    "practices:attachment": Cell(
        objects={
            "draft": attachment("draft"),
            "submitted": attachment("submitted"),
            "published": attachment("published"),
            "foreign": foreign_attachment,
        },
        get={
            "draft": by(MISSING, staff=OWN, coordinator=OWN),
            "submitted": SEES_SUBMITTED,
            "published": EVERYONE,
            "foreign": by(MISSING),
        },
    ),
    "practices:delete_attachment": Cell(
        objects={
            "draft": attachment("draft"),
            "published": attachment("published"),
            "foreign": foreign_attachment,
        },
        get=POST_ONLY,
        post={
            "draft": by(MISSING, visitor=LOGIN, staff=OWN_FOUND, coordinator=OWN_FOUND),
            "published": by(FORBIDDEN, visitor=LOGIN),
            "foreign": by(MISSING, visitor=LOGIN),
        },
    ),
    # The trail (steps, versions) is for the partner's members and the reviewers.
    "practices:diff": Cell(
        objects={
            "submitted": practice("submitted", number=1),
            "published": practice("published", number=1),
        },
        get={
            "submitted": SEES_SUBMITTED,
            "published": by(MISSING, staff=OWN, coordinator=OWN, consortium=OK),
        },
    ),
    "practices:transition": Cell(
        objects={
            "draft": practice("draft", action="submit"),
            "submitted": practice("submitted", action="approve"),
            "published": practice("published", action="archive"),
        },
        get=POST_ONLY,
        post={
            "draft": by(MISSING, visitor=LOGIN, staff=OWN_FOUND, coordinator=OWN_FOUND),
            "submitted": by(
                MISSING,
                visitor=LOGIN,
                staff=(FORBIDDEN, MISSING),
                coordinator=OWN_FOUND,
                consortium=FOUND,
            ),
            "published": by(FORBIDDEN, visitor=LOGIN, consortium=FOUND),
        },
        data=transition_body,
    ),
    # Policy briefs: written by the staff of its partner and of its regions' partners
    # (the consortium coordinator's lead partner is in Śląskie, so A's briefs are theirs to
    # write too); reviewed by its regions' coordinators and the consortium's.
    "briefs:list": Cell(get=EVERYONE),
    "briefs:feed": Cell(get=EVERYONE),
    "briefs:mine": Cell(get=SIGNED_IN),
    "briefs:create": Cell(
        get=by(OK, visitor=LOGIN, respondent=FORBIDDEN, admin=FORBIDDEN),
        post=by(FOUND, visitor=LOGIN, respondent=FORBIDDEN, admin=FORBIDDEN),
        data=new_brief_body,
    ),
    "briefs:detail": Cell(
        objects=BRIEF_STATES,
        get={
            "draft": by(MISSING, staff=OWN, coordinator=OWN, consortium=OWN),
            "in_review": SEES_SUBMITTED,
            "published": EVERYONE,
        },
    ),
    "briefs:pdf": Cell(
        objects=BRIEF_STATES,
        get={
            "draft": by(MISSING, staff=OWN, coordinator=OWN, consortium=OWN),
            "in_review": SEES_SUBMITTED,
            "published": EVERYONE,
        },
    ),
    "briefs:edit": Cell(
        objects=BRIEF_STATES,
        get={
            "draft": BRIEF_WRITERS_OWN,
            "in_review": by(
                MISSING,
                visitor=LOGIN,
                staff=(FORBIDDEN, MISSING),
                coordinator=(FORBIDDEN, MISSING),
                consortium=FORBIDDEN,
            ),
            "published": by(FORBIDDEN, visitor=LOGIN),
        },
        post={
            "draft": by(
                MISSING, visitor=LOGIN, staff=OWN_FOUND, coordinator=OWN_FOUND, consortium=OWN_FOUND
            ),
            "in_review": by(
                MISSING,
                visitor=LOGIN,
                staff=(FORBIDDEN, MISSING),
                coordinator=(FORBIDDEN, MISSING),
                consortium=FORBIDDEN,
            ),
            "published": by(FORBIDDEN, visitor=LOGIN),
        },
    ),
    # The figures a brief cites: closed campaigns', or its own region's open ones.
    "briefs:add_finding": Cell(
        objects={
            "draft": brief("draft"),
            "draft citing another region's open campaign": brief("draft"),
            "published": brief("published"),
        },
        get=POST_ONLY,
        post={
            "draft": by(
                MISSING, visitor=LOGIN, staff=OWN_FOUND, coordinator=OWN_FOUND, consortium=OWN_FOUND
            ),
            "draft citing another region's open campaign": by(
                MISSING,
                visitor=LOGIN,
                staff=(FORM_REFUSED, MISSING),
                coordinator=(FORM_REFUSED, MISSING),
                consortium=(FORM_REFUSED, MISSING),
            ),
            "published": by(FORBIDDEN, visitor=LOGIN),
        },
        data=finding_body,
    ),
    "briefs:remove_finding": Cell(
        objects={
            "draft": finding("draft"),
            "published": finding("published"),
            "foreign": foreign_finding,
        },
        get=POST_ONLY,
        post={
            "draft": by(
                MISSING, visitor=LOGIN, staff=OWN_FOUND, coordinator=OWN_FOUND, consortium=OWN_FOUND
            ),
            "published": by(FORBIDDEN, visitor=LOGIN),
            "foreign": by(MISSING, visitor=LOGIN),
        },
    ),
    "briefs:diff": Cell(
        objects={
            "in_review": brief("in_review", number=1),
            "published": brief("published", number=1),
        },
        get={
            "in_review": SEES_SUBMITTED,
            "published": by(MISSING, staff=OWN, coordinator=OWN, consortium=OK),
        },
    ),
    "briefs:transition": Cell(
        objects={
            "draft": brief("draft", action="submit"),
            "in_review": brief("in_review", action="comment"),
            "published": brief("published", action="withdraw"),
        },
        get=POST_ONLY,
        post={
            "draft": by(
                MISSING, visitor=LOGIN, staff=OWN_FOUND, coordinator=OWN_FOUND, consortium=OWN_FOUND
            ),
            "in_review": by(
                MISSING,
                visitor=LOGIN,
                staff=(FORBIDDEN, MISSING),
                coordinator=OWN_FOUND,
                consortium=FOUND,
            ),
            "published": by(FORBIDDEN, visitor=LOGIN, consortium=FOUND),
        },
        data=transition_body,
    ),
    # The competence framework: public when published; managed by the consortium
    # coordinator; translated by coordinators into their country's language.
    "surveys:framework": Cell(get=EVERYONE),
    "surveys:export": Cell(
        objects={
            "published": framework_version("published"),
            "draft": framework_version("draft"),
        },
        get={"published": EVERYONE, "draft": by(MISSING, consortium=OK)},
    ),
    "surveys:manage": Cell(get=CONSORTIUM),
    "surveys:import": Cell(
        get=POST_ONLY, post=by(FORBIDDEN, visitor=LOGIN, consortium=FOUND), data=import_body
    ),
    "surveys:manage_version": Cell(
        objects={"draft": framework_version("draft")},
        get=CONSORTIUM,
        post=by(FORBIDDEN, visitor=LOGIN, consortium=FOUND),
        data=version_body,
    ),
    "surveys:new_version": Cell(
        objects={"published": framework_version("published")},
        get=POST_ONLY,
        post=by(FORBIDDEN, visitor=LOGIN, consortium=FOUND),
    ),
    "surveys:publish": Cell(
        objects={"draft": framework_version("draft")},
        get=POST_ONLY,
        post=by(FORBIDDEN, visitor=LOGIN, consortium=FOUND),
    ),
    "surveys:translations": Cell(
        objects={"language": translation},
        get=by(FORBIDDEN, visitor=LOGIN, coordinator=(OK, FORBIDDEN), consortium=OK),
        post=by(FORBIDDEN, visitor=LOGIN, coordinator=(FOUND, FORBIDDEN), consortium=FOUND),
        data=translation_body,
    ),
    "surveys:translations_file": Cell(
        objects={"language": translation},
        get=by(FORBIDDEN, visitor=LOGIN, coordinator=(OK, FORBIDDEN), consortium=OK),
        post=by(FORBIDDEN, visitor=LOGIN, coordinator=(FOUND, FORBIDDEN), consortium=FOUND),
        data=po_body,
    ),
    "surveys:manage_area": Cell(
        objects={"draft": draft_area},
        get=CONSORTIUM,
        post=by(FORBIDDEN, visitor=LOGIN, consortium=FOUND),
        data=area_body,
    ),
    "surveys:manage_levels": Cell(
        objects={"draft": draft_competence},
        get=CONSORTIUM,
        post=by(FORBIDDEN, visitor=LOGIN, consortium=FOUND),
        data=levels_body,
    ),
    # Campaigns: run by the region's coordinators and the consortium's (consortium-wide
    # campaigns by the consortium's alone); hidden from everyone else.
    "campaigns:list": Cell(get=HIDDEN_FROM_NON_COORDINATORS),
    "campaigns:create": Cell(
        objects={"in the own region": one(), "in another region": one()},
        get=HIDDEN_FROM_NON_COORDINATORS,
        post={
            "in the own region": by(MISSING, visitor=LOGIN, coordinator=FOUND, consortium=FOUND),
            "in another region": by(
                MISSING, visitor=LOGIN, coordinator=FORM_REFUSED, consortium=FOUND
            ),
        },
    ),
    "campaigns:detail": Cell(
        objects={"region": campaign, "consortium-wide": consortium_campaign},
        get={
            "region": OWN_REGION_COORDINATORS,
            "consortium-wide": by(MISSING, visitor=LOGIN, consortium=OK),
        },
    ),
    "campaigns:edit": Cell(
        objects={"region": campaign, "moved to the other region": campaign},
        get=OWN_REGION_COORDINATORS,
        post={
            "region": by(MISSING, visitor=LOGIN, coordinator=OWN_FOUND, consortium=FOUND),
            "moved to the other region": by(
                MISSING, visitor=LOGIN, coordinator=(FORM_REFUSED, MISSING), consortium=FOUND
            ),
        },
    ),
    "campaigns:invitations": Cell(
        objects={"region": campaign},
        get=POST_ONLY,
        post=by(MISSING, visitor=LOGIN, coordinator=OWN_FOUND, consortium=FOUND),
        data=invitations_body,
    ),
    "campaigns:reminders": Cell(
        objects={"region": campaign},
        get=POST_ONLY,
        post=by(MISSING, visitor=LOGIN, coordinator=OWN_FOUND, consortium=FOUND),
    ),
    "campaigns:translations": Cell(
        objects={"region": campaign_translation},
        get=OWN_REGION_COORDINATORS,
        post=by(MISSING, visitor=LOGIN, coordinator=OWN_FOUND, consortium=FOUND),
        data=campaign_translation_body,
    ),
    # Answering: by an entry link; a response is its respondent's alone.
    "answers:open": Cell(
        objects={
            "open": open_link("open"),
            "invited": open_link("invited"),
            "consortium-wide": open_link("consortium-wide"),
        },
        # Own open campaign: the role has a response there already and is taken back to it;
        # the other region's open link lets anyone signed in start (it is an open link).
        get={
            "open": by((FOUND, OK), visitor=LOGIN),
            "invited": by((OK, FORBIDDEN), visitor=LOGIN),
            "consortium-wide": by(OK, visitor=LOGIN),
        },
        post={
            "open": by(FOUND, visitor=LOGIN),
            "invited": by((FOUND, FORBIDDEN), visitor=LOGIN),
            "consortium-wide": by(FOUND, visitor=LOGIN),
        },
        data=consent_body,
    ),
    "answers:invitation": Cell(
        objects={"invitation": invitation},
        get=by((OK, FORBIDDEN), visitor=LOGIN),
        post=by((FOUND, FORBIDDEN), visitor=LOGIN),
        data=consent_body,
    ),
    "answers:page": Cell(
        objects={"response": response(number=1)},
        get=by(OWN, visitor=LOGIN),
        post=by(OWN_FOUND, visitor=LOGIN),
        data=background_body,
    ),
    # The earlier addresses lead to the page above, which checks.
    "answers:page_from_0": Cell(
        objects={"response": response(page=0)},
        get=by(PERMANENT),
        post=by(PERMANENT),
        data=background_body,
    ),
    # A respondent's own results and data.
    "results:list": Cell(get=SIGNED_IN),
    "results:profile": Cell(objects={"response": response()}, get=by(OWN, visitor=LOGIN)),
    "results:pdf": Cell(objects={"response": response()}, get=by(OWN, visitor=LOGIN)),
    "results:my_data": Cell(get=SIGNED_IN),
    "results:erase": Cell(get=SIGNED_IN, post=SIGNED_IN),
    # Dashboards: coordinators see their regions' aggregates, the consortium's all.
    # Partner staff, respondents and the admin are refused outright (403: the regions and
    # the /reports/ prefix are public, so refusing tells nothing).
    "dashboard:index": Cell(get=COORDINATORS),
    "dashboard:region": Cell(
        objects={"region": region},
        get=by(FORBIDDEN, visitor=LOGIN, coordinator=OWN, consortium=OK),
    ),
    "dashboard:consortium": Cell(
        get=by(FORBIDDEN, visitor=LOGIN, coordinator=MISSING, consortium=OK)
    ),
    "dashboard:compare": Cell(get=by(FORBIDDEN, visitor=LOGIN, coordinator=MISSING, consortium=OK)),
    # Competence change: every coordinator opens it; the regions offered are their own.
    "dashboard:change": Cell(get=COORDINATORS),
    "statistics:index": Cell(get=EVERYONE),
    # Report requests: for the current coordinators of the region and the consortium's.
    "reports:list": Cell(get=HIDDEN_FROM_NON_COORDINATORS),
    # A report of the own region, of another region, of the own region with another
    # region's campaign.
    "reports:new": Cell(
        objects={"own region": one(), "other region": one(), "other region's campaign": one()},
        get=HIDDEN_FROM_NON_COORDINATORS,
        post={
            "own region": by(MISSING, visitor=LOGIN, coordinator=FOUND, consortium=FOUND),
            "other region": by(MISSING, visitor=LOGIN, coordinator=FORM_REFUSED, consortium=FOUND),
            "other region's campaign": by(
                MISSING, visitor=LOGIN, coordinator=FORM_REFUSED, consortium=FORM_REFUSED
            ),
        },
    ),
    "reports:detail": Cell(objects={"region": report}, get=OWN_REGION_COORDINATORS),
    "reports:download": Cell(objects={"region": report}, get=OWN_REGION_COORDINATORS),
    "reports:render_again": Cell(
        objects={"region": report},
        get=POST_ONLY,
        post=by(MISSING, visitor=LOGIN, coordinator=OWN_FOUND, consortium=FOUND),
    ),
    # allauth's pages, as allauth decides: the sign-in pages send the signed-in home;
    # the account pages need signing in; steps of a sign-in that is not under way (a code
    # to confirm, a second factor) go back to its start; what needs a recent sign-in
    # (TOTP, recovery codes) asks for it again; without TOTP there is nothing to deactivate
    # and no recovery codes (404).
    "account_login": Cell(get=SIGNED_OUT_ONLY, post=SIGNED_OUT_ONLY),
    "account_signup": Cell(get=SIGNED_OUT_ONLY, post=SIGNED_OUT_ONLY),
    "account_request_login_code": Cell(get=SIGNED_OUT_ONLY, post=SIGNED_OUT_ONLY),
    "account_confirm_login_code": Cell(get=NO_SIGN_IN_UNDER_WAY, post=NO_SIGN_IN_UNDER_WAY),
    "mfa_authenticate": Cell(get=NO_SIGN_IN_UNDER_WAY, post=NO_SIGN_IN_UNDER_WAY),
    "account_logout": Cell(get=by(OK, visitor=FOUND), post=by(FOUND)),
    "account_inactive": Cell(get=EVERYONE),
    "account_reset_password": Cell(get=EVERYONE, post=EVERYONE),
    "account_reset_password_done": Cell(get=EVERYONE),
    "account_reset_password_from_key": Cell(
        objects={"key": lambda world, side: world.reset_key}, get=EVERYONE, post=EVERYONE
    ),
    "account_reset_password_from_key_done": Cell(get=EVERYONE),
    "account_reauthenticate": Cell(get=SIGNED_IN, post=SIGNED_IN),
    "account_email": Cell(get=SIGNED_IN, post=SIGNED_IN_FOUND),
    "account_email_verification_sent": Cell(get=SIGNED_IN_FOUND),
    "account_change_password": Cell(get=SIGNED_IN, post=SIGNED_IN),
    "account_set_password": Cell(get=SIGNED_IN_FOUND, post=SIGNED_IN_FOUND),
    "usersessions_list": Cell(get=SIGNED_IN, post=SIGNED_IN_FOUND),
    "mfa_index": Cell(get=SIGNED_IN),
    "mfa_reauthenticate": Cell(get=WITH_TOTP, post=WITH_TOTP),
    "mfa_activate_totp": Cell(get=SIGNED_IN_FOUND, post=SIGNED_IN_FOUND),
    "mfa_deactivate_totp": Cell(get=TOTP_ONLY, post=TOTP_ONLY),
    "mfa_generate_recovery_codes": Cell(get=SIGNED_IN_FOUND, post=SIGNED_IN_FOUND),
    "mfa_view_recovery_codes": Cell(get=TOTP_ONLY),
    "mfa_download_recovery_codes": Cell(get=TOTP_ONLY),
    # Participants of an activity and its capacity survey's results: the host region's
    # coordinators and the consortium's; the activity is public, so others are read-only.
    **{
        name: Cell(objects={"held activity": held_activity}, get=PARTICIPANT_MANAGERS)
        for name in ("activities:participants", "activities:capacity", "activities:change")
    },
    **{
        name: Cell(
            objects={"held activity": held_activity},
            get=POST_ONLY,
            post=PARTICIPANT_CHANGES,
            data=body,
        )
        for name, body in (
            ("activities:participant_add", participant_body),
            ("activities:participant_import", participant_import_body),
            ("activities:participant_attendance", attendance_body),
        )
    },
    "activities:capacity_send": Cell(
        objects={"held activity": held_activity}, get=POST_ONLY, post=PARTICIPANT_CHANGES
    ),
    "activities:participant_remove": Cell(
        objects={"participant": activity_participant},
        get=POST_ONLY,
        post=PARTICIPANT_CHANGES,
    ),
    # The capacity survey's personal link: the token is the key, whoever holds it.
    "activities:follow_up": Cell(
        objects={"token": follow_up_token}, get=EVERYONE, post=by(FOUND), data=follow_up_body
    ),
    # The activity pages.
    "activities:list": Cell(get=EVERYONE),
    "activities:calendar": Cell(get=EVERYONE),
    "activities:create": Cell(
        objects={"own partner": one(), "another partner": one()},
        get=by(FORBIDDEN, visitor=LOGIN, staff=OK, coordinator=OK, consortium=OK),
        post={
            "own partner": by(
                FORBIDDEN, visitor=LOGIN, staff=FOUND, coordinator=FOUND, consortium=FOUND
            ),
            "another partner": by(
                FORBIDDEN,
                visitor=LOGIN,
                staff=FORM_REFUSED,
                coordinator=FORM_REFUSED,
                consortium=FORM_REFUSED,
            ),
        },
    ),
    "activities:detail": Cell(
        objects={s: activity(s) for s in ACTIVITY_STATES},
        get={"proposal": SEES_PROPOSAL, "planned": EVERYONE},
    ),
    "activities:edit": Cell(
        objects={s: activity(s) for s in ACTIVITY_STATES},
        get={
            "proposal": by(MISSING, visitor=LOGIN, staff=OWN, coordinator=OWN, consortium=OK),
            "planned": by(FORBIDDEN, visitor=LOGIN, coordinator=(OK, FORBIDDEN), consortium=OK),
        },
        post={"proposal": CHANGES_PROPOSAL, "planned": CHANGES_CONFIRMED},
    ),
    "activities:confirm": Cell(
        objects={s: activity(s) for s in ACTIVITY_STATES},
        get=POST_ONLY,
        post={
            "proposal": by(
                MISSING,
                visitor=LOGIN,
                staff=(FORBIDDEN, MISSING),
                coordinator=OWN_FOUND,
                consortium=FOUND,
            ),
            # Already confirmed: said so, nothing written; for others still no.
            "planned": CHANGES_CONFIRMED,
        },
    ),
    # A proposal cannot be held (a message says why); a planned activity, by coordinators.
    **{
        name: Cell(
            objects={s: activity(s) for s in ACTIVITY_STATES},
            get=POST_ONLY,
            post={"proposal": CHANGES_PROPOSAL, "planned": CHANGES_CONFIRMED},
        )
        for name in ("activities:mark_held", "activities:cancel")
    },
    "activities:upload_document": Cell(
        objects={s: activity(s) for s in ACTIVITY_STATES},
        get=POST_ONLY,
        post={"proposal": CHANGES_PROPOSAL, "planned": UPLOADS_CONFIRMED},
        data=document_body,
    ),
    "activities:document": Cell(
        objects={
            "proposal": activity_document("proposal"),
            "planned": activity_document("planned"),
            "foreign": foreign_activity_document,
        },
        get={"proposal": SEES_PROPOSAL, "planned": EVERYONE, "foreign": by(MISSING)},
    ),
    "activities:delete_document": Cell(
        objects={
            "proposal": activity_document("proposal"),
            "planned": activity_document("planned"),
            "foreign": foreign_activity_document,
        },
        get=POST_ONLY,
        post={
            "proposal": CHANGES_PROPOSAL,
            "planned": UPLOADS_CONFIRMED,
            "foreign": by(MISSING, visitor=LOGIN),
        },
    ),
    # The indicators: for coordinators (regional and consortium), 403 for anyone else; the
    # targets for the consortium coordinator; a region's policy instrument kept by its
    # coordinators; a progress report of one's own regions, the consortium's for the
    # consortium coordinator. The public impact page for everyone.
    "impact:index": Cell(get=COORDINATORS),
    "impact:evidence": Cell(
        objects={"indicator": one(indicator="increased_capacity")}, get=COORDINATORS
    ),
    "impact:targets": Cell(
        get=CONSORTIUM,
        post=by(FORBIDDEN, visitor=LOGIN, consortium=FOUND),
        data=lambda world, side: dict.fromkeys(TARGET_INDICATORS, 7),
    ),
    "impact:instruments": Cell(get=COORDINATORS),
    "impact:instrument_new": Cell(
        objects={"own region": one(), "other region": one()},
        get=COORDINATORS,
        post={
            "own region": by(FORBIDDEN, visitor=LOGIN, coordinator=FOUND, consortium=FOUND),
            "other region": by(
                FORBIDDEN, visitor=LOGIN, coordinator=FORM_REFUSED, consortium=FOUND
            ),
        },
    ),
    "impact:instrument_edit": Cell(
        objects={"instrument": instrument},
        get=by(FORBIDDEN, visitor=LOGIN, coordinator=(OK, FORBIDDEN), consortium=OK),
        post=by(FORBIDDEN, visitor=LOGIN, coordinator=(FOUND, FORBIDDEN), consortium=FOUND),
        data=instrument_body,
    ),
    "impact:export": Cell(
        objects={"own region": one(), "other region": one(), "all regions": one()},
        get=POST_ONLY,
        post={
            "own region": by(FORBIDDEN, visitor=LOGIN, coordinator=FOUND, consortium=FOUND),
            "other region": by(
                FORBIDDEN, visitor=LOGIN, coordinator=FORM_REFUSED, consortium=FOUND
            ),
            "all regions": by(FORBIDDEN, visitor=LOGIN, coordinator=FORM_REFUSED, consortium=FOUND),
        },
    ),
    "impact:public": Cell(get=EVERYONE),
    # Django's admin: for the admin alone (its own permissions decide inside).
    "admin:index": Cell(get=by(LOGIN, admin=OK)),
}

# Bodies that differ by object (the edit forms post the object's own fields).
DATA_PER_OBJECT = {
    "activities:create": {
        "own partner": new_activity_body,
        "another partner": another_partners_activity_body,
    },
    "activities:edit": {s: activity_body(s) for s in ACTIVITY_STATES},
    "practices:edit": {s: practice_body(s) for s in ("draft", "submitted", "published")},
    "briefs:edit": {s: brief_body(s) for s in ("draft", "in_review", "published")},
    # What the form may not take: another region (0 cross-region writes through a field).
    "briefs:add_finding": {
        "draft citing another region's open campaign": lambda world, side: finding_body(
            world, OTHER_SIDE[side]
        )
    },
    "campaigns:create": {
        "in the own region": new_campaign_body,
        "in another region": lambda world, side: new_campaign_body(world, OTHER_SIDE[side]),
    },
    "campaigns:edit": {
        "region": campaign_edit_body,
        "moved to the other region": lambda world, side: {
            **campaign_edit_body(world, side),
            "region": world.sides[OTHER_SIDE[side]].region.pk,
        },
    },
    "impact:instrument_new": {
        "own region": instrument_body,
        "other region": lambda world, side: instrument_body(world, OTHER_SIDE[side]),
    },
    "impact:export": {
        "own region": progress_body,
        "other region": lambda world, side: progress_body(world, OTHER_SIDE[side]),
        "all regions": lambda world, side: {**progress_body(world, side), "region": ""},
    },
    "reports:new": {
        "own region": report_body,
        "other region": lambda world, side: report_body(world, OTHER_SIDE[side]),
        "other region's campaign": lambda world, side: {
            **report_body(world, side),
            "campaigns": [world.sides[OTHER_SIDE[side]].campaign.pk],
        },
    },
}

# Patterns of the URLconf outside the table: Django's admin beyond its index (the admin
# has its own permission system, tested by Django), checked by name prefix.
OUTSIDE_THE_TABLE = ("admin:",)


def url_names(resolver=None, namespace="") -> list[str]:
    """Every named pattern of the URLconf, namespaced; unnamed ones by their route."""
    resolver = resolver or get_resolver()
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            names.extend(url_names(pattern, inner))
        elif isinstance(pattern, URLPattern):
            names.append(f"{namespace}{pattern.name or pattern.pattern}")
    return names


def test_every_url_pattern_has_an_access_rule():
    names = url_names()
    missing = [
        name
        for name in names
        if name not in TABLE and not (name.startswith(OUTSIDE_THE_TABLE) and name != "admin:index")
    ]
    assert not missing, "\n".join(f"new view without an access rule: {name}" for name in missing)
    stale = sorted(set(TABLE) - set(names))
    assert not stale, f"rows for patterns that no longer exist: {stale}"


def test_every_object_of_the_table_is_reached_by_someone():
    """A row whose objects nobody reaches would pass on 404s from wrong parameters: each object
    is served to someone, or refused as read-only (403: found, not theirs to change) or by its
    form (found, but what was sent is not the user's to choose). Only the
    deliberately foreign ones (another object's attachment or finding) are 404 to all."""
    unreached = []
    for name, row in TABLE.items():
        for label in row.objects or {"": None}:
            outcomes = [
                outcome
                for rule in (row.get, row.post or {})
                if rule
                for pair in rule.get(label, rule).values()
                for outcome in pair
            ]
            if label != "foreign" and not {OK, FOUND, PERMANENT, FORBIDDEN, FORM_REFUSED} & set(
                outcomes
            ):
                unreached.append(f"{name} {label}")
    assert not unreached


world = matrix_world()

# Contact persons of practices are shown to signed-in people only (DESIGN.md, practices).
CONTACT_EMAIL = "anna.kowalska@example.org"


@pytest.fixture(scope="module")
def kept_secrets(world):
    """What each role must find in none of the pages it is served: the titles of the
    practices and briefs the table keeps from it, every other person's email address, and
    for visitors the contact person's."""
    for role, kind in ROLE_KIND.items():
        secrets = [] if role != "anonymous" else [CONTACT_EMAIL]
        for side_name, side in world.sides.items():
            column = 0 if side_name == ROLE_SIDE[role] else 1
            for things, page in (
                (side.practices, "practices:detail"),
                (side.briefs, "briefs:detail"),
                (
                    {"proposal": side.proposal, "planned": side.planned_activity},
                    "activities:detail",
                ),
            ):
                for state, thing in things.items():
                    if TABLE[page].get[state][kind][column] != OK:
                        secrets.append(thing.title)
        secrets += [
            user.email for other, user in world.users.items() if user is not None and other != role
        ]
        secrets += [side.someone.email for side in world.sides.values()]
        world.secrets[role] = secrets


@pytest.mark.django_db
@pytest.mark.usefixtures("kept_secrets")
@pytest.mark.parametrize("name", sorted(TABLE))
def test_access(world, name):
    row = TABLE[name]
    failures, cells = run_row(world, name, row, DATA_PER_OBJECT.get(name))
    world.cells += cells
    assert not failures, f"{name}:\n" + "\n".join(failures)
