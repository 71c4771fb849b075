"""Findings cited in a brief: a competence's figures for a region's campaigns.

The figures come from the survey analysis, page and PDF alike, and hide any group of fewer
than 5 respondents: live while the brief is written, frozen when it is published.
"""

import datetime

import pytest
import time_machine
from django.utils import timezone

from practices.models import BriefFinding, BriefStatus, PolicyBrief
from surveys.models import Competence, Framework, Response, Survey
from tests.conftest import row_counts
from tests.factories.briefs import BriefFactory
from tests.factories.surveys import CampaignFactory, ResponseFactory, SurveyFactory, self_assessment
from tests.practices.briefs.test_pages import form_data, pdf_text

pytestmark = pytest.mark.django_db

SUPPRESSED_TEXT = "fewer than 5 responses"


@pytest.fixture
def negotiating():
    return Competence.objects.get(area__framework=Framework.objects.current(), code="2.3")


@pytest.fixture
def campaign(negotiating):
    survey = SurveyFactory(framework=negotiating.area.framework, kind=Survey.Kind.SELF_ASSESSMENT)
    return CampaignFactory(survey=survey, title="Śląskie self-assessment 2026")


def respond(campaign, competence, pairs):
    for current, importance in pairs:
        self_assessment(campaign, {competence: (current, importance)})


def cite(brief, campaign, competence, position=1):
    return BriefFinding.objects.create(
        brief=brief,
        campaign=campaign,
        region=campaign.region,
        competence=competence,
        position=position,
    )


def test_a_finding_of_fewer_than_5_respondents_shows_the_suppression_text(
    client, staff, campaign, negotiating, tmp_path
):
    respond(campaign, negotiating, [(2, 5), (1, 4), (2, 4), (3, 5)])
    # A response still in progress does not count.
    ResponseFactory(campaign=campaign, status=Response.Status.IN_PROGRESS, submitted_at=None)
    brief = BriefFactory(
        created_by=staff, status=BriefStatus.PUBLISHED, body="Negotiation is weak [F1]."
    )
    cite(brief, campaign, negotiating)

    page = client.get(f"/briefs/{brief.pk}/").content.decode()
    findings = page[page.index('id="findings-heading"') :]
    assert "2.3 Negotiating agreements" in findings
    assert findings.count(SUPPRESSED_TEXT) >= 4  # respondents, current, importance, gap
    assert "2.25" not in page  # the mean current level of the four is nowhere
    body = page[page.index('class="prose brief__body"') :].split("</div>", 1)[0]
    assert 'href="#finding-1"' in body and SUPPRESSED_TEXT in body

    text = " ".join(pdf_text(client.get(f"/briefs/{brief.pk}/pdf/").content, tmp_path).split())
    assert "Negotiating agreements" in text
    assert text.count(SUPPRESSED_TEXT) >= 4
    assert "2.25" not in text


def test_a_draft_shows_live_figures_from_5_respondents_on(
    client_as, staff, campaign, negotiating, tmp_path
):
    respond(campaign, negotiating, [(2, 5), (1, 4), (2, 4), (3, 5)])
    brief = BriefFactory(created_by=staff, body="Negotiation is weak [F1].")
    cite(brief, campaign, negotiating)
    client = client_as("staff")
    assert SUPPRESSED_TEXT in client.get(f"/briefs/{brief.pk}/").content.decode()

    respond(campaign, negotiating, [(2, 4)])  # the fifth: mean current 2.00, importance 4.40

    page = client.get(f"/briefs/{brief.pk}/").content.decode()
    assert SUPPRESSED_TEXT not in page
    assert "they are frozen when the brief is published" in page
    body = page[page.index('class="prose brief__body"') :].split("</div>", 1)[0]
    assert "current level 2.00" in body and "importance 4.40" in body
    text = " ".join(pdf_text(client.get(f"/briefs/{brief.pk}/pdf/").content, tmp_path).split())
    assert "2.00" in text and "4.40" in text and SUPPRESSED_TEXT not in text


def test_publishing_freezes_the_figures_and_the_page_says_since_when(
    client, staff, consortium_coordinator, campaign, negotiating, tmp_path
):
    respond(campaign, negotiating, [(2, 5), (1, 4), (2, 4), (3, 5), (2, 4)])
    brief = BriefFactory(
        created_by=staff, status=BriefStatus.IN_REVIEW, body="Negotiation is weak [F1]."
    )
    brief.regions.add(campaign.region)
    cite(brief, campaign, negotiating)
    published_on = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(published_on, tick=False):
        brief.publish(by=consortium_coordinator)

    # Five more answers, all at the extremes, after publication: nothing moves.
    respond(campaign, negotiating, [(5, 1)] * 5)

    page = client.get(f"/briefs/{brief.pk}/").content.decode()
    body = page[page.index('class="prose brief__body"') :].split("</div>", 1)[0]
    assert "current level 2.00" in body and "importance 4.40" in body
    assert "when the brief was published, on 20 Nov 2026" in page
    text = " ".join(pdf_text(client.get(f"/briefs/{brief.pk}/pdf/").content, tmp_path).split())
    assert "2.00" in text and "4.40" in text
    assert "when the brief was published, on 20 Nov 2026" in text
    brief.refresh_from_db()
    assert brief.figures_as_of == published_on


def test_a_brief_published_before_figures_were_frozen_is_frozen_at_its_first_reading(
    client, staff, campaign, negotiating
):
    respond(campaign, negotiating, [(2, 5), (1, 4), (2, 4), (3, 5), (2, 4)])
    brief = BriefFactory(
        created_by=staff, status=BriefStatus.PUBLISHED, body="Negotiation is weak [F1]."
    )
    cite(brief, campaign, negotiating)

    first = client.get(f"/briefs/{brief.pk}/").content.decode()
    respond(campaign, negotiating, [(5, 1)] * 5)
    second = client.get(f"/briefs/{brief.pk}/").content.decode()

    assert "current level 2.00" in first and "current level 2.00" in second
    brief.refresh_from_db()
    assert brief.figures_as_of is not None


def test_a_writer_cites_a_finding_by_campaign_and_competence(
    client_as, staff, campaign, negotiating
):
    brief = BriefFactory(created_by=staff)

    response = client_as("staff").post(
        f"/briefs/{brief.pk}/findings/", {"campaign": campaign.pk, "competence": "2.3"}
    )

    assert response.status_code == 302
    finding = brief.findings.get()
    assert (finding.campaign, finding.competence, finding.region, finding.label) == (
        campaign,
        negotiating,
        campaign.region,
        "F1",
    )
    page = client_as("staff").get(f"/briefs/{brief.pk}/edit/").content.decode()
    assert "[F1]" in page and "Negotiating agreements" in page


def test_a_finding_needs_a_demand_campaign_of_the_same_region(
    client_as, staff, campaign, negotiating, utrecht
):
    # Closed, so that it may be cited; but it is Utrecht's, not the campaign's region.
    demand = CampaignFactory(
        survey=SurveyFactory(framework=negotiating.area.framework, kind=Survey.Kind.DEMAND),
        region=utrecht,
        opens_at=timezone.now() - datetime.timedelta(days=60),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    brief = BriefFactory(created_by=staff)

    response = client_as("staff").post(
        f"/briefs/{brief.pk}/findings/",
        {"campaign": campaign.pk, "demand_campaign": demand.pk, "competence": "2.3"},
    )

    assert response.status_code == 400
    assert "Choose a demand campaign of the same region, or none." in response.content.decode()
    assert not brief.findings.exists()


def test_only_writers_of_a_draft_cite_findings(client_as, staff, campaign):
    brief = BriefFactory(created_by=staff, status=BriefStatus.IN_REVIEW)
    data = {"campaign": campaign.pk, "competence": "2.3"}
    assert client_as("staff").post(f"/briefs/{brief.pk}/findings/", data).status_code == 403
    draft = BriefFactory(created_by=staff)
    assert client_as("other_staff").post(f"/briefs/{draft.pk}/findings/", data).status_code == 404
    assert not BriefFinding.objects.exists()


def test_a_reference_is_replaced_in_the_text_only_never_inside_markup(
    client, staff, campaign, negotiating
):
    for _ in range(5):
        respond(campaign, negotiating, [(2, 5)])
    brief = BriefFactory(
        created_by=staff,
        status=BriefStatus.PUBLISHED,
        body='See [the study](https://example.org/s "[F1]"), and `[F1]` in code: [F1].',
    )
    cite(brief, campaign, negotiating)

    page = client.get(f"/briefs/{brief.pk}/").content.decode()
    body = page[page.index("See ") : page.index("in code:") + 200]
    # The link keeps its title as written; the code span its text; the sentence the figures.
    assert 'title="[F1]" rel="nofollow noopener">the study</a>' in body
    assert "<code>[F1]</code>" in body
    assert body.count('class="finding-ref" href="#finding-1"') == 1
    assert body.index("in code:") < body.index('class="finding-ref"')


def test_a_brief_cites_its_own_regions_campaigns_or_closed_ones_only(
    client_as, staff, negotiating, utrecht
):
    survey = SurveyFactory(framework=negotiating.area.framework, kind=Survey.Kind.SELF_ASSESSMENT)
    running_elsewhere = CampaignFactory(survey=survey, region=utrecht, title="Utrecht, running")
    closed_elsewhere = CampaignFactory(
        survey=survey,
        region=utrecht,
        title="Utrecht, closed",
        opens_at=timezone.now() - datetime.timedelta(days=60),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    brief = BriefFactory(created_by=staff)
    client = client_as("staff")

    page = client.get(f"/briefs/{brief.pk}/edit/").content.decode()
    assert "Utrecht, closed" in page and "Utrecht, running" not in page
    refused = client.post(
        f"/briefs/{brief.pk}/findings/", {"campaign": running_elsewhere.pk, "competence": "2.3"}
    )
    assert refused.status_code == 400 and not brief.findings.exists()
    cited = client.post(
        f"/briefs/{brief.pk}/findings/", {"campaign": closed_elsewhere.pk, "competence": "2.3"}
    )
    assert cited.status_code == 302 and brief.findings.get().campaign == closed_elsewhere


def test_a_writer_removes_a_finding_and_the_change_is_kept_as_a_version(
    client_as, staff, campaign, negotiating
):
    # Back in draft after a review: changes from now on are kept as versions.
    brief = BriefFactory(created_by=staff, submitted_at=timezone.now())
    finding = cite(brief, campaign, negotiating)

    response = client_as("staff").post(f"/briefs/{brief.pk}/findings/{finding.pk}/remove/")

    assert response.status_code == 302
    assert not BriefFinding.objects.filter(pk=finding.pk).exists()
    version = brief.versions.get()
    assert version.saved_by == staff and len(version.content["findings"]) == 1


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("respondent", 404),
        ("other_staff", 404),
        ("other_coordinator", 404),
    ],
)
def test_removing_a_finding_is_refused_to_who_does_not_write_the_brief(
    client_as, staff, campaign, negotiating, role, status
):
    brief = BriefFactory(created_by=staff)
    finding = cite(brief, campaign, negotiating)
    client = client_as(role)
    before = row_counts()

    response = client.post(f"/briefs/{brief.pk}/findings/{finding.pk}/remove/")

    assert response.status_code == status
    assert row_counts() == before


def test_a_new_brief_cites_a_finding_at_the_cursor_before_its_first_save(
    client_as, staff, campaign, negotiating
):
    """The writer has typed "Staff rate negotiation low." and "Train them." on two lines and
    put the cursor after "low" (character 26, as the browser counts: one per newline);
    "Cite this finding" saves the new draft and writes [F1] there."""
    response = client_as("staff").post(
        "/briefs/new/",
        {
            "title": "Teach negotiation",
            "body": "Staff rate negotiation low.\r\nTrain them.",  # as browsers send it
            "language": "en",
            "regions": [staff.memberships.get().partner.region_id],
            "cite-campaign": campaign.pk,
            "cite-competence": "2.3",
            "cite-at": "26",
            "then": "cite",
        },
    )

    brief = PolicyBrief.objects.get(title="Teach negotiation")
    assert response.status_code == 302
    assert response["Location"] == f"/briefs/{brief.pk}/edit/#id_body"
    assert brief.body == "Staff rate negotiation low[F1].\nTrain them."
    assert brief.findings.get().competence == negotiating


def test_citing_keeps_everything_typed_when_the_finding_is_incomplete(client_as, staff, campaign):
    brief = BriefFactory(created_by=staff, body="Old text")

    response = client_as("staff").post(
        f"/briefs/{brief.pk}/edit/",
        {
            **form_data(brief, body="New text, not saved yet"),
            "cite-campaign": campaign.pk,
            "cite-competence": "",
            "then": "cite",
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "New text, not saved yet" in page and "This field is required." in page
    brief.refresh_from_db()
    assert brief.body == "Old text" and not brief.findings.exists()


def test_a_cursor_past_the_end_or_not_a_number_writes_the_label_at_the_end(
    client_as, staff, campaign
):
    brief = BriefFactory(created_by=staff, body="Text")
    for at in ("999", "-1", "x"):
        client_as("staff").post(
            f"/briefs/{brief.pk}/edit/",
            {
                **form_data(brief, body="Text"),
                "cite-campaign": campaign.pk,
                "cite-competence": "2.3",
                "cite-at": at,
                "then": "cite",
            },
        )
        brief.refresh_from_db()
        assert brief.body.startswith("Text[F1]")
        brief.findings.all().delete()
