"""A region with answered campaigns to report on, and helpers to read the PDFs made of it."""

import shutil
import subprocess
from dataclasses import dataclass

from partners.models import Region
from surveys.models import Campaign, Competence, Survey
from tests.conftest import unavailable
from tests.factories.surveys import (
    CampaignFactory,
    ResponseFactory,
    SurveyFactory,
    answer,
    small_framework,
)

TOP_COMPETENCE = "Negotiating with industry partners"


@dataclass
class World:
    region: Region
    self_campaign: Campaign
    demand_campaign: Campaign
    other_region_campaign: Campaign
    competences: list[Competence]
    top: Competence

    @property
    def campaigns(self) -> list[Campaign]:
        return [self.self_campaign, self.demand_campaign]


def build_world(respondents: int = 12) -> World:
    """Śląskie: `respondents` self-assessments and 6 employer answers on a 2 × 3 framework,
    where TOP_COMPETENCE has by far the largest gap; Utrecht answers the same questionnaire."""
    framework = small_framework(areas=2, per_area=3, name="Report framework")
    competences = list(Competence.objects.filter(area__framework=framework).order_by("code"))
    top = competences[1]
    Competence.objects.filter(pk=top.pk).update(name=TOP_COMPETENCE)
    top.refresh_from_db()
    slaskie = Region.objects.get(nuts_code="PL22")
    utrecht = Region.objects.get(nuts_code="NL35")
    self_survey = SurveyFactory(framework=framework, kind=Survey.Kind.SELF_ASSESSMENT)
    demand_survey = SurveyFactory(framework=framework, kind=Survey.Kind.DEMAND)
    self_campaign = CampaignFactory(survey=self_survey, region=slaskie, title="Śląskie staff 2026")
    demand_campaign = CampaignFactory(
        survey=demand_survey, region=slaskie, title="Śląskie employers 2026"
    )
    other = CampaignFactory(survey=self_survey, region=utrecht, title="Utrecht staff 2026")
    roles = ["researcher", "technical", "transfer"]
    for index in range(respondents):
        add_self_response(self_campaign, competences, top, role=roles[index % 3])
    for index in range(6):
        add_self_response(other, competences, top, role=roles[index % 3])
    for _index in range(6):
        response = ResponseFactory(
            campaign=demand_campaign, respondent=None, organisation_type="company"
        )
        for competence in competences:
            answer(response, competence, required=4)
    return World(slaskie, self_campaign, demand_campaign, other, competences, top)


def add_self_response(campaign, competences, top, role="researcher"):
    response = ResponseFactory(campaign=campaign, respondent=None, role=role)
    for competence in competences:
        if competence == top:
            answer(response, competence, 1, 5)
        else:
            answer(response, competence, 3, 3 + competence.position % 2)
    return response


def pdf_text(content: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        unavailable("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
