"""The catalogue finds a practice by the names of its themes, target groups and competences,
in the reader's language and in English, also after its tags changed."""

import pytest
from django.core.management import call_command

from practices.models import GoodPractice, Status, TargetGroup, Theme
from tests.factories.practices import PracticeFactory, current_competences

pytestmark = pytest.mark.django_db


def published(**fields):
    return PracticeFactory(status=Status.PUBLISHED, **fields)


def found(client, query: str, language: str = "en") -> list[str]:
    response = client.get("/practices/", {"q": query}, headers={"accept-language": language})
    return sorted(practice.title for practice in response.context["page"].object_list)


@pytest.fixture
def mentoring() -> Theme:
    return Theme.objects.get(slug="mentoring-and-coaching")


@pytest.fixture
def three_mentoring_practices(mentoring):
    """Three practices tagged "Mentoring and coaching"; only the first says so in its text."""
    published(
        title="Buddy scheme", description="Mentoring by senior technicians.", themes=[mentoring]
    )
    published(title="Lab leaders circle", themes=[mentoring])
    published(title="Pairing days", themes=[mentoring])
    published(title="Patent desk")  # another theme, nothing about mentoring
    return ["Buddy scheme", "Lab leaders circle", "Pairing days"]


def test_a_theme_name_finds_every_practice_tagged_with_it(client, three_mentoring_practices):
    assert found(client, "mentoring") == three_mentoring_practices
    assert found(client, "coaching") == three_mentoring_practices
    assert found(client, "mentoring and coaching") == three_mentoring_practices


@pytest.mark.parametrize(
    ("language", "query"),
    [
        ("pl", "mentoring"),
        ("pl", "coaching"),
        ("pl", "Mentoring i coaching"),  # the theme's Polish name
        ("lt", "mentorystė"),
        ("lt", "Mentoryste ugdomasis"),  # accents do not matter
        ("pt", "acompanhamento personalizado"),
        ("ro", "mentorat"),
    ],
)
def test_a_reader_finds_them_by_the_theme_name_in_their_language(
    client, three_mentoring_practices, language, query
):
    assert found(client, query, language) == three_mentoring_practices


def test_a_reader_in_polish_also_finds_them_by_the_english_name(client, three_mentoring_practices):
    assert found(client, "Mentoring and coaching", "pl") == three_mentoring_practices


def test_a_target_group_name_finds_its_practices_stemmed_in_the_readers_language(client):
    policy_makers = TargetGroup.objects.get(slug="policy-makers")
    tagged = published(title="Open lab evenings")
    tagged.target_groups.set([policy_makers])
    published(title="Patent desk")

    assert found(client, "policy maker") == ["Open lab evenings"]
    # The Italian name is "Decisori politici"; an Italian reader types the singular.
    assert found(client, "decisore politico", "it") == ["Open lab evenings"]
    assert found(client, "decydenci", "pl") == ["Open lab evenings"]


def test_a_competence_name_finds_its_practices_in_english_and_the_readers_language(client):
    negotiating = current_competences().get(name="Negotiating agreements")
    published(title="Contract clinic", competences=[negotiating])
    published(title="Patent desk")  # the first two competences of the framework

    assert found(client, "negotiating agreements") == ["Contract clinic"]
    assert found(client, "negotiation") == ["Contract clinic"]  # stemmed
    assert found(client, "negocjowanie porozumień", "pl") == ["Contract clinic"]
    assert found(client, "overeenkomst", "nl") == ["Contract clinic"]  # "overeenkomsten"


def test_tags_added_after_creation_are_found_and_removed_ones_are_not(client, mentoring):
    practice = published(title="Pairing days")
    published(title="Patent desk")
    assert found(client, "coaching") == []

    practice.themes.add(mentoring)
    assert found(client, "coaching") == ["Pairing days"]

    practice.themes.remove(mentoring)
    assert found(client, "coaching") == []

    practice.themes.set([mentoring])
    assert found(client, "coaching") == ["Pairing days"]

    practice.themes.clear()
    assert found(client, "coaching") == []


def test_tags_changed_from_the_tags_side_are_followed(client, mentoring):
    practice = published(title="Pairing days")

    mentoring.goodpractice_set.add(practice)
    assert found(client, "coaching") == ["Pairing days"]

    mentoring.goodpractice_set.clear()
    assert found(client, "coaching") == []

    negotiating = current_competences().get(name="Negotiating agreements")
    negotiating.good_practices.add(practice)
    assert found(client, "negotiating") == ["Pairing days"]

    negotiating.good_practices.remove(practice)
    assert found(client, "negotiating") == []


def test_a_competence_translated_later_is_found_by_its_new_name(client):
    competence = current_competences().get(name="Negotiating agreements")
    published(title="Contract clinic", competences=[competence])
    assert found(client, "targowanie", "pl") == []

    competence.translations["pl"]["name"] = "Targowanie się o warunki"
    competence.save(update_fields=["translations"])

    assert found(client, "targowanie", "pl") == ["Contract clinic"]
    assert found(client, "negocjowanie", "pl") == []


def test_a_deleted_tag_no_longer_finds_its_practices(client):
    theme = Theme.objects.create(name="Quokka welfare", slug="quokka-welfare")
    published(title="Island days", themes=[theme])
    assert found(client, "quokka") == ["Island days"]

    theme.delete()

    assert found(client, "quokka") == []


def test_after_a_migrate_the_themes_are_found_by_their_names_in_the_catalogues(client, mentoring):
    published(title="Pairing days", themes=[mentoring])
    # As if the catalogues had not translated the theme yet when the vectors were computed.
    Theme.objects.filter(pk=mentoring.pk).update(translations={})
    GoodPractice.objects.all().refresh_search_vectors()
    assert found(client, "ugdomasis vadovavimas", "lt") == []

    call_command("migrate", verbosity=0)  # nothing to apply; the names come back

    assert found(client, "ugdomasis vadovavimas", "lt") == ["Pairing days"]


@pytest.mark.parametrize("role", ["anonymous", "staff", "consortium_coordinator"])
def test_practices_not_published_are_never_found_by_their_tags(client_as, staff, mentoring, role):
    for status in Status:
        PracticeFactory(created_by=staff, status=status, title=f"Ibis {status.value}")
    for practice in GoodPractice.objects.all():
        practice.themes.set([mentoring])

    assert found(client_as(role), "mentoring") == ["Ibis published"]
