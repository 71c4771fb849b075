"""Coordinators translate a framework version beside its English, in the portal or through a
PO file; a frozen version keeps its English and takes translations."""

import io

import polib
import pytest
from django.urls import reverse

from surveys.models import Competence, Framework, LevelDescriptor

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    return Framework.objects.get(version=1)


def url(language, version=1):
    return reverse("surveys:translations", args=[version, language])


def file_url(language, version=1):
    return reverse("surveys:translations_file", args=[version, language])


# Who translates what: the consortium coordinator every language, a regional coordinator the
# language of their region's country (Śląskie: Polish; Utrecht: Dutch), nobody else.
ACCESS = {
    ("anonymous", "pl"): 302,
    ("respondent", "pl"): 403,
    ("staff", "pl"): 403,
    ("other_staff", "nl"): 403,
    ("coordinator", "pl"): 200,
    ("coordinator", "nl"): 403,
    ("coordinator", "lt"): 403,
    ("other_coordinator", "nl"): 200,
    ("other_coordinator", "pl"): 403,
    ("consortium_coordinator", "lt"): 200,
    ("consortium_coordinator", "ro"): 200,
}


@pytest.mark.parametrize(("role", "language"), list(ACCESS), ids=lambda v: str(v))
def test_only_the_coordinators_of_a_language_translate_into_it(client_as, version, role, language):
    client = client_as(role)
    expected = ACCESS[(role, language)]
    before = Competence.objects.get(area__framework=version, code="1.1").translations

    page = client.get(url(language))
    posted = client.post(url(language), {"competence:1.1:name": "Przejęte"})
    download = client.get(file_url(language))

    for response in (page, posted if expected != 200 else page, download):
        assert response.status_code == expected
    if expected == 302:
        assert page["Location"].startswith("/accounts/login/")
    if expected != 200:
        assert Competence.objects.get(area__framework=version, code="1.1").translations == before


def test_english_and_unknown_languages_have_no_translation_page(client_as, version):
    client = client_as("consortium_coordinator")
    assert client.get(url("en")).status_code == 404
    assert client.get(url("xx")).status_code == 404
    assert client.get(url("pl", version=99)).status_code == 404


def test_the_page_shows_each_text_beside_its_english_and_saves_a_frozen_version(client_as, version):
    client = client_as("coordinator")
    competence = Competence.objects.get(area__framework=version, code="1.1")
    level = LevelDescriptor.objects.get(competence=competence, level=2)
    english = (competence.name, level.text)

    page = client.get(url("pl")).content.decode()
    assert competence.name in page
    assert f'value="{competence.translations["pl"]["name"]}"' in page
    assert "182 of 182 texts translated." in page

    reply = client.post(
        url("pl"),
        {
            "competence:1.1:name": "Komunikacja z partnerami spoza uczelni",
            "level:1.1:2": "",  # emptied: falls back to English again
        },
    )
    assert reply.status_code == 302
    competence.refresh_from_db()
    level.refresh_from_db()
    assert competence.translations["pl"]["name"] == "Komunikacja z partnerami spoza uczelni"
    assert "text" not in level.translations["pl"]
    assert (competence.name, level.text) == english  # the English text is still frozen
    assert Framework.objects.get(pk=version.pk).is_frozen

    page = client.get(url("pl")).content.decode()
    assert "181 of 182 texts translated." in page
    assert page.count("Not yet translated") == 1


def test_a_text_falling_back_to_english_is_marked_for_coordinators_only(client, client_as):
    level = LevelDescriptor.objects.get(
        competence__area__framework__version=1, competence__code="2.3", level=4
    )
    del level.translations["pl"]
    level.save(update_fields=["translations"])

    coordinator_page = client_as("coordinator").get("/framework/", HTTP_ACCEPT_LANGUAGE="pl")
    assert coordinator_page.content.decode().count("status--draft") == 1
    assert level.text in coordinator_page.content.decode()  # the English fallback
    client.logout()
    visitor_page = client.get("/framework/", HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert "status--draft" not in visitor_page
    assert level.text in visitor_page


def po_of(client, language) -> polib.POFile:
    response = client.get(file_url(language))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/x-gettext-translation"
    assert "socore-framework-v1-" + language + ".po" in response["Content-Disposition"]
    return polib.pofile(response.content.decode())


def upload(client, language, content: bytes):
    data = {"file": io.BytesIO(content)}
    data["file"].name = f"{language}.po"
    return client.post(file_url(language), data)


def test_a_language_goes_out_as_a_po_file_and_comes_back_reviewed(client_as, version):
    client = client_as("consortium_coordinator")
    po = po_of(client, "lt")
    entries = {entry.msgctxt: entry for entry in po}
    assert len(entries) == 182  # 1 + 1 framework, 6 × 2 area, 24 × 2 competence, 120 level
    competence = Competence.objects.get(area__framework=version, code="3.2")
    assert entries["competence:3.2:name"].msgid == competence.name
    assert entries["competence:3.2:name"].msgstr == competence.translations["lt"]["name"]

    entries["competence:3.2:name"].msgstr = "Verslo mąstymas (peržiūrėta)"
    entries["area:A1:name"].msgstr = "Bendravimas (peržiūrėta)"
    entries["area:A1:name"].flags.append("fuzzy")  # a reviewer's doubt is not taken
    entries["level:3.2:1"].msgid = "An English text that has changed since"
    po.append(polib.POEntry(msgctxt="competence:9.9:name", msgid="No such", msgstr="Nėra"))

    reply = upload(client, "lt", str(po).encode())
    assert reply.status_code == 302
    competence.refresh_from_db()
    assert competence.translations["lt"]["name"] == "Verslo mąstymas (peržiūrėta)"
    area = version.areas.get(code="A1")
    assert area.translations["lt"]["name"] != "Bendravimas (peržiūrėta)"
    messages = [str(m) for m in reply.wsgi_request._messages]
    assert messages[0] == "1 text taken from the file."
    assert "level:3.2:1" in messages[1]
    assert "competence:9.9:name" in messages[2]


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"\xff\xfe not utf-8", "This is not a PO file in UTF-8"),
        (b'msgid "a"\nmsgstr ""\n', "The file holds no translated text."),
        (b"x" * 2_000_001, "The file is larger than 2 MB."),
    ],
    ids=["not-utf8", "nothing-translated", "too-large"],
)
def test_a_bad_file_is_refused_next_to_the_field_and_changes_nothing(
    client_as, version, content, error
):
    client = client_as("consortium_coordinator")
    before = list(Competence.objects.filter(area__framework=version).values("translations"))

    reply = upload(client, "pl", content)

    assert reply.status_code == 400
    page = reply.content.decode()
    assert error in page
    assert 'class="field field--error"' in page
    assert list(Competence.objects.filter(area__framework=version).values("translations")) == (
        before
    )
