"""Every page of the respondent's and the coordinator's journey in each of the seven languages:
the home page, a survey page, the personal results page and the report request form. The
document's `lang` is the language, the main landmark holds no English text left over from
the English page, the page reflows at 320 px and axe-core finds nothing serious."""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone

from partners.models import Partner, Region
from surveys.models import Campaign, Competence, Framework, Response, Survey

from .conftest import BROWSER_TEST
from .test_accessibility import assert_no_serious_violations, assert_reflows_at_narrowest

pytestmark = BROWSER_TEST

LANGUAGES = [code for code, _name in settings.LANGUAGES]

# The text of the main landmark, one entry per text node and per readable attribute, with
# at least two words of letters: a phrase identical in two languages is a leftover, where a
# single word may be the same in both ("Mentoring", "Partner").
MAIN_PHRASES = """
() => {
  const main = document.querySelector("main");
  const found = new Set();
  const keep = (text) => {
    const value = (text || "").replace(/\\s+/g, " ").trim();
    if ((value.match(/\\p{L}{2,}/gu) || []).length >= 2) found.add(value);
  };
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    // Text marked as another language inside main (a language's own name) is not counted.
    const marked = parent && parent.closest("[lang]");
    const foreign = marked && main.contains(marked);
    if (parent && !foreign && !parent.closest("script, style, [translate='no']")) {
      keep(walker.currentNode.nodeValue);
    }
  }
  const readable = ["aria-label", "placeholder", "title", "alt"];
  for (const element of main.querySelectorAll(readable.map((a) => `[${a}]`).join(","))) {
    for (const name of readable) keep(element.getAttribute(name));
  }
  return [...found];
}
"""


@pytest.fixture
def journey(respondent, coordinator, slaskie):
    framework = Framework.objects.get(version=1)
    survey = Survey.objects.create(
        framework=framework, kind=Survey.Kind.SELF_ASSESSMENT, title="Self-assessment"
    )
    now = timezone.now()

    def campaign(title):
        return Campaign.objects.create(
            survey=survey,
            region=slaskie,
            title=title,
            opens_at=now - datetime.timedelta(days=2),
            closes_at=now + datetime.timedelta(days=14),
            access=Campaign.Access.OPEN,
            privacy_notice="SOCORE",
            privacy_notice_version="2026-1",
        )

    def response(title, **state):
        return Response.objects.create(
            campaign=campaign(title),
            respondent=respondent,
            consent_version="2026-1",
            consented_at=now,
            organisation_type="university",
            role="researcher",
            experience="2-5",
            **state,
        )

    answering = response("SOCORE 2026")
    done = response(
        "SOCORE 2025", status=Response.Status.SUBMITTED, submitted_at=now, released=True
    )
    for number, competence in enumerate(Competence.objects.filter(area__framework=framework)):
        done.answers.create(competence=competence, current_level=1 + number % 5, importance=4)
    return {
        "survey page": (respondent, f"/surveys/responses/{answering.pk}/pages/2/"),
        "results": (respondent, f"/surveys/results/{done.pk}/"),
        "report request": (coordinator, "/reports/requests/new/"),
        "home": (None, "/"),
    }


def proper_names() -> re.Pattern:
    """Names that stay as they are in every language: the portal's, regions', partners'."""
    names = ["SOCORE", "Interreg Europe", "ResearchComp", "LifeComp", "EntreComp"]
    for region in Region.objects.all():
        names += [region.name, region.nuts_code]
    names += list(Partner.objects.values_list("name", flat=True))
    return re.compile("|".join(re.escape(n) for n in sorted(filter(None, names), key=len)[::-1]))


def phrases(page, path: str) -> set[str]:
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    names = proper_names()
    return {
        phrase
        for phrase in page.evaluate(MAIN_PHRASES)
        if len(re.findall(r"[^\W\d_]{2,}", names.sub(" ", phrase))) >= 2
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_journey_speaks_the_language_throughout(
    browser, live_server, sign_in, page, journey, language
):
    signed_in = set()
    for name, (user, path) in journey.items():
        if user is None:
            # A visitor: the browser's language decides.
            context = browser.new_context(locale=language, base_url=live_server.url)
            visitor = context.new_page()
            seen, english_page = (
                visitor,
                browser.new_context(locale="en-GB", base_url=live_server.url).new_page(),
            )
        else:
            if user.pk not in signed_in:
                page.context.clear_cookies()
                sign_in(user, totp=user.authenticator_set.filter(type="totp").exists())
                signed_in = {user.pk}
            seen, english_page = page, page
        if user is not None:
            type(user).objects.filter(pk=user.pk).update(language="en")
        english = phrases(english_page, path)
        if user is not None:
            type(user).objects.filter(pk=user.pk).update(language=language)
        translated = phrases(seen, path)

        assert seen.evaluate("document.documentElement.lang") == language, (name, path)
        if language != "en":
            assert translated & english == set(), f"{language} {name}: English left over"
        assert_no_serious_violations(seen)
        assert_reflows_at_narrowest(seen)
        seen.set_viewport_size({"width": 1280, "height": 800})
