"""The highlighted excerpt under each search result starts and ends at whole words."""

import re

import pytest

from practices.models import Status
from practices.search import MARK_START, MARK_STOP, whole_words
from tests.factories.practices import PracticeFactory

pytestmark = pytest.mark.django_db

FILLER = (
    "The regional innovation office runs the programme with the university and two "
    "clusters, and it has done so for many years in several towns of the region"
)


def snippet(client, summary: str, query: str) -> str:
    """The excerpt on the result card, as a reader sees it (marks as [brackets])."""
    PracticeFactory(status=Status.PUBLISHED, title="Result", summary=summary)
    page = client.get("/practices/", {"q": query}).content.decode()
    card = page.split('<li class="practice-card">')[1].split("</li>")[0]
    text = card.split("<p>")[-1].split("</p>")[0]
    return text.replace("<mark>", "[").replace("</mark>", "]").replace("&amp;", "&")


def assert_whole_words(shown: str, summary: str) -> None:
    plain = shown.replace("[", "").replace("]", "").removeprefix("… ").removesuffix(" …")
    start = summary.index(plain)
    end = start + len(plain)
    assert start == 0 or summary[start - 1].isspace(), shown
    assert end == len(summary) or summary[end].isspace(), shown


def test_the_excerpt_starts_at_the_sentence_of_the_match_when_it_is_near(client):
    summary = f"{FILLER}. Our co-mentoring scheme pairs young researchers with engineers."

    shown = snippet(client, summary, "mentoring")

    assert shown.startswith("… Our co-[mentoring] scheme pairs")
    assert_whole_words(shown, summary)


def test_the_excerpt_far_into_a_sentence_starts_at_a_whole_word(client):
    summary = (
        f"{FILLER}, with monthly check-ins and one-to-one sessions; co-mentoring follows the "
        "participants through their first contracts with companies in Katowice and elsewhere "
        "in the region, with an evaluation at the end of every year and a report to the board."
    )

    shown = snippet(client, summary, "mentoring")

    # PostgreSQL alone would start at "mentoring", inside "co-mentoring".
    assert shown.startswith("… co-[mentoring] follows the participants")
    assert_whole_words(shown, summary)


@pytest.mark.parametrize(
    ("summary", "query"),
    [
        (
            f"{FILLER}; one-to-one coaching follows, with co-creation days and e-mail contact.",
            "days",
        ),
        (f"{FILLER}: 20,000 EUR a year, R&D contracts (3.5 FTE) and spin-offs.", "contracts"),
        ("Short: a mentoring café.", "mentoring"),
        (f"Mentoring first. {FILLER} and again {FILLER} until the end.", "mentoring"),
    ],
)
def test_excerpts_never_cut_a_word(client, summary, query):
    shown = snippet(client, summary, query)

    assert re.search(r"\[\w+\]", shown)
    assert_whole_words(shown, summary)


def test_an_excerpt_of_the_whole_text_has_no_ellipsis():
    text = "A mentoring café for technicians."
    headline = f"A {MARK_START}mentoring{MARK_STOP} café for technicians."

    assert whole_words(headline, text) == headline
    assert whole_words("", text) == ""
    assert whole_words("not in the text", text) == "not in the text"
