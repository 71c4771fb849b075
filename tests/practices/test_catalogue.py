"""The public catalogue: search, facets, paging, CSV, feed and PDF of published practices."""

import csv
import datetime
import io
import shutil
import subprocess
import threading
import xml.etree.ElementTree as ET
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from weasyprint import HTML

from partners.models import Partner
from practices.models import GoodPractice, Status, Theme
from socore.lib.pdf import BASE_URL, RefusedURL, StaticFilesOnly
from tests.conftest import unavailable
from tests.factories.practices import PracticeFactory

pytestmark = pytest.mark.django_db


def published(**fields):
    return PracticeFactory(status=Status.PUBLISHED, **fields)


def titles(response) -> list[str]:
    return [practice.title for practice in response.context["page"].object_list]


def facet(response, name) -> dict[str, int]:
    """{option label: count} of one facet of the page."""
    (found,) = [f for f in response.context["result"].facets if f.name == name]
    return {option["label"]: option["count"] for option in found.options}


# Search -------------------------------------------------------------------------------------


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_description(client):
    in_description = published(
        title="Laboratory open days", description="Visitors meet the quokka of innovation."
    )
    in_title = published(title="The quokka programme", description="Plain words only.")
    published(title="Nothing to do with it")

    response = client.get("/practices/", {"q": "quokka"})

    assert titles(response) == [in_title.title, in_description.title]
    assert response.context["result"].sort == "relevance"


def test_a_word_in_the_summary_ranks_above_the_body_and_is_highlighted(client):
    published(title="Alpha", summary="Plain summary.", lessons="The wombat lesson.")
    published(title="Beta", summary="A wombat in the summary.", lessons="Plain lessons.")

    response = client.get("/practices/", {"q": "wombat"})

    assert titles(response) == ["Beta", "Alpha"]
    assert "<mark>wombat</mark>" in response.content.decode()


def test_practice_text_in_a_highlighted_snippet_is_escaped(client):
    published(title="Snippet", summary="<script>alert('x')</script> R&D: the quokka <b>bold</b>")

    page = client.get("/practices/", {"q": "quokka"}).content.decode()
    card = page.split('<li class="practice-card">')[1].split("</li>")[0]

    assert "<mark>quokka</mark>" in card
    assert "R&amp;D" in card
    assert "<script" not in card and "<b>" not in card


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("Mentoring network of Śląsk", "slask"),
        ("Mentoring network of Śląsk", "ŚLĄSK"),
        ("Science cafés in Łódź", "lodz"),
        ("Science cafes in Lodz", "Łódź"),
        ("Cooperação universidade–empresa", "cooperacao"),
    ],
)
def test_accents_do_not_matter_either_way(client, stored, typed):
    published(title=stored)
    published(title="Something else entirely")

    response = client.get("/practices/", {"q": typed})

    assert titles(response) == [stored]


@pytest.mark.parametrize(
    ("language", "stored", "typed"),
    [
        ("nl", "Innovaties in het laboratorium", "innovatie"),
        ("nl", "Samenwerking met bedrijven", "samenwerkingen"),
        ("it", "Competenze trasversali dei tecnici", "competenza"),
        ("pt", "Transferência de conhecimentos", "conhecimento"),
        ("ro", "Inovarea în infrastructurile de cercetare", "inovare"),
        ("lt", "Kompetencijų ugdymas laboratorijose", "kompetencijos"),
        ("en", "Mentoring programmes for technicians", "programme"),
        # Polish has no stemmer in PostgreSQL: a word finds longer forms by prefix.
        ("pl", "Śląskie centrum transferu", "Śląsk"),
        ("pl", "Mentoring dla laborantów", "laborant"),
    ],
)
def test_a_word_finds_its_inflected_forms_in_the_practices_own_language(
    client, language, stored, typed
):
    published(title=stored, language=language)
    published(title="Something else entirely", language=language)

    # A reader who reads the practice's language types in it.
    response = client.get("/practices/", {"q": typed}, headers={"accept-language": language})

    assert titles(response) == [stored]


def test_short_words_are_not_prefixes_and_operators_keep_their_meaning(client):
    published(title="Quokkaville days", language="en")
    published(title="Wombatty cafés", language="en")

    assert titles(client.get("/practices/", {"q": "quo"})) == []  # three letters: no prefix
    assert titles(client.get("/practices/", {"q": "quok"})) == ["Quokkaville days"]
    assert titles(client.get("/practices/", {"q": "wombatty -cafés"})) == []
    assert titles(client.get("/practices/", {"q": '"wombatty cafés"'})) == ["Wombatty cafés"]


def test_facet_counts_follow_the_query_and_the_selected_filter(client, province, hu):
    us = Partner.objects.get(slug="us")
    published(partner=province, title="Kiwi clinic", start_date=datetime.date(2021, 1, 1))
    published(partner=us, title="Kiwi academy", start_date=datetime.date(2019, 5, 1))
    published(partner=hu, title="Kiwi bridge", start_date=datetime.date(2021, 9, 1))
    published(partner=hu, title="Unrelated bridge", start_date=datetime.date(2020, 2, 1))

    everything = client.get("/practices/")
    kiwi = client.get("/practices/", {"q": "kiwi"})
    kiwi_nl = client.get("/practices/", {"q": "kiwi", "country": "NL"})

    assert facet(everything, "country") == {"Netherlands": 2, "Poland": 2}
    assert facet(everything, "year") == {"2021": 2, "2020": 1, "2019": 1}
    assert facet(kiwi, "country") == {"Netherlands": 1, "Poland": 2}
    assert facet(kiwi, "region") == {"Śląskie": 2, "Utrecht": 1}
    assert facet(kiwi, "year") == {"2021": 2, "2019": 1}
    assert titles(kiwi_nl) == ["Kiwi bridge"]
    assert facet(kiwi_nl, "region") == {"Utrecht": 1}
    page = kiwi_nl.content.decode()
    selected = page.split('class="facet__selected">')[1].split("</a>")[0]
    assert "Netherlands" in selected and "(1)" in selected
    # The search box keeps the filter, and the selected option's link removes it.
    assert '<input type="hidden" name="country" value="NL">' in page
    (netherlands,) = [
        o for f in kiwi_nl.context["result"].facets if f.name == "country" for o in f.options
    ]
    assert netherlands["selected"] and "country" not in netherlands["url"]
    assert "q=kiwi" in netherlands["url"]


def test_theme_and_competence_area_facets_filter_without_duplicates(client):
    themes = list(Theme.objects.all()[:2])
    published(title="Two themes", themes=themes)
    published(title="One theme", themes=themes[1:])

    response = client.get("/practices/", {"theme": themes[0].slug})
    everything = client.get("/practices/")

    assert titles(response) == ["Two themes"]
    assert facet(everything, "theme") == {themes[0].name: 1, themes[1].name: 2}
    (area,) = facet(everything, "area").values()  # both practices' competences share one area
    assert area == 2


def test_the_year_facet_filters_by_start_year(client):
    published(title="Started 2018", start_date=datetime.date(2018, 6, 1))
    published(title="Started 2023", start_date=datetime.date(2023, 2, 1))

    response = client.get("/practices/", {"year": "2018"})

    assert titles(response) == ["Started 2018"]
    assert facet(response, "year") == {"2018": 1}


def test_sort_by_title_and_by_newest(client):
    now = timezone.now()
    published(title="Banana", published_at=now - timedelta(days=1))
    published(title="Apple", published_at=now - timedelta(days=3))
    published(title="Cherry", published_at=now - timedelta(days=2))

    assert titles(client.get("/practices/", {"sort": "title"})) == ["Apple", "Banana", "Cherry"]
    assert titles(client.get("/practices/", {"sort": "newest"})) == ["Banana", "Cherry", "Apple"]
    assert titles(client.get("/practices/")) == ["Banana", "Cherry", "Apple"]


def test_paging_shows_the_rest_on_page_two(client):
    now = timezone.now()
    for n in range(25):
        published(title=f"Practice {n:02d}", published_at=now - timedelta(hours=n))

    first = client.get("/practices/")
    second = client.get("/practices/", {"page": "2"})

    assert titles(first) == [f"Practice {n:02d}" for n in range(20)]
    assert titles(second) == [f"Practice {n:02d}" for n in range(20, 25)]
    assert "25 good practices" in first.content.decode()
    assert 'href="?page=2" rel="next"' in first.content.decode()
    assert "Page 2 of 2" in second.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "staff", "consortium_coordinator"])
def test_only_published_practices_appear(client_as, staff, role):
    for status in Status:
        PracticeFactory(created_by=staff, status=status, title=f"Ibis {status.value}")

    client = client_as(role)
    listed = titles(client.get("/practices/", {"q": "ibis"}))
    everything = titles(client.get("/practices/"))

    assert listed == everything == ["Ibis published"]


def test_an_empty_query_lists_every_published_practice(client):
    for n in range(3):
        published(title=f"Listed {n}")

    response = client.get("/practices/", {"q": "   "})

    assert sorted(titles(response)) == ["Listed 0", "Listed 1", "Listed 2"]


HOSTILE = [
    {"q": "'; DROP TABLE practices_goodpractice; --"},
    {"q": "a & | ! ("},
    {"q": "!!! :* <-> ''"},
    {"q": '"unbalanced'},
    {"q": "<script>alert(1)</script>"},
    {"q": "x" * 500},
    {"q": "kiwi\x00\x07\x1b[31m"},
    {"year": "abc"},
    {"year": "99999999999999999999"},
    {"page": "999"},
    {"page": "-1"},
    {"sort": "evil"},
    {"sort": "rank; DROP TABLE x"},
    {"country": "<b>"},
    {"region": "../../etc"},
    {"theme": "\x00"},
    {"area": "' OR 1=1 --"},
]


@pytest.mark.parametrize("params", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_parameters_give_a_page_not_an_error(client, params):
    published(title="Kiwi clinic")

    response = client.get("/practices/", params)
    export = client.get("/practices/export.csv", params)

    assert response.status_code == 200
    assert export.status_code == 200
    b"".join(export.streaming_content)
    page = response.content.decode()
    assert "<script>alert(1)" not in page
    assert "<b>" not in page


def test_a_searched_script_is_shown_as_text(client):
    response = client.get("/practices/", {"q": "<script>alert(1)</script>"})

    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in response.content.decode()


def test_control_characters_are_dropped_from_the_query(client):
    published(title="Kiwi clinic")
    published(title="Other thing")

    response = client.get("/practices/", {"q": "ki\x07wi\x1b"})

    assert titles(response) == ["Kiwi clinic"]


def test_the_catalogue_costs_the_same_queries_for_3_and_40_practices(
    client, django_assert_max_num_queries
):
    for n in range(3):
        published(title=f"Kiwi {n}")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/practices/", {"q": "kiwi"}).status_code == 200

    for n in range(3, 40):
        published(title=f"Kiwi {n}")
    with django_assert_max_num_queries(len(few)):
        response = client.get("/practices/", {"q": "kiwi"})

    assert len(titles(response)) == 20
    with CaptureQueriesContext(connection) as browsing:
        client.get("/practices/")
    assert len(browsing) == len(few)


def test_two_words_in_a_region_and_a_theme_cost_the_same_queries_for_3_and_40_practices(
    client, django_assert_max_num_queries
):
    theme = Theme.objects.order_by("pk").first()
    search = {"q": "kiwi clinic", "region": "slaskie", "theme": theme.slug}
    for n in range(3):
        published(title=f"Kiwi clinic {n}", themes=[theme])
    with CaptureQueriesContext(connection) as few:
        assert client.get("/practices/", search).status_code == 200

    for n in range(3, 40):
        published(title=f"Kiwi clinic {n}", themes=[theme, *Theme.objects.all()[1:3]])
    with django_assert_max_num_queries(len(few)):
        response = client.get("/practices/", search)

    assert len(titles(response)) == 20
    assert response.context["result"].total == 40


# CSV ----------------------------------------------------------------------------------------


def read_csv(response) -> list[dict]:
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_the_csv_holds_the_current_search(client, province, hu):
    clinic = published(partner=province, title="Kiwi clinic", organisation="Silesian office")
    published(partner=hu, title="Kiwi bridge")
    published(partner=hu, title="Unrelated bridge")
    PracticeFactory(title="Kiwi draft")

    everything = read_csv(client.get("/practices/export.csv"))
    kiwi = read_csv(client.get("/practices/export.csv", {"q": "kiwi", "sort": "title"}))
    kiwi_pl = read_csv(client.get("/practices/export.csv", {"q": "kiwi", "country": "PL"}))

    assert sorted(row["Title"] for row in everything) == [
        "Kiwi bridge",
        "Kiwi clinic",
        "Unrelated bridge",
    ]
    assert [row["Title"] for row in kiwi] == ["Kiwi bridge", "Kiwi clinic"]
    (row,) = kiwi_pl
    assert row["Title"] == "Kiwi clinic"
    assert row["Country"] == "PL"
    assert row["Region"] == "Śląskie"
    assert row["Organisation in charge"] == "Silesian office"
    assert row["Start"] == "2022-03-01"
    assert row["End"] == "ongoing"
    assert row["Address"] == f"http://testserver/practices/{clinic.pk}/"


@pytest.mark.parametrize("start", ["+", "-", "@", "\t", "\r", "="])
def test_csv_cells_a_spreadsheet_would_run_are_made_inert(client, start):
    summary = f"{start}SUM(A1:A9)*cmd|' /C calc'!A0"
    published(title='=HYPERLINK("http://x")', summary=summary)

    (row,) = read_csv(client.get("/practices/export.csv"))

    assert row["Title"] == '\'=HYPERLINK("http://x")'
    assert row["Summary"] == "'" + summary


def test_csv_leaves_ordinary_text_alone(client):
    published(title="Plain title", summary="Fifty-fifty: a -5% cost, +3 partners.")

    (row,) = read_csv(client.get("/practices/export.csv"))

    assert row["Title"] == "Plain title"
    assert row["Summary"] == "Fifty-fifty: a -5% cost, +3 partners."


# Feed ---------------------------------------------------------------------------------------


def test_the_atom_feed_lists_published_practices_only(client, staff):
    for status in Status:
        PracticeFactory(created_by=staff, status=status, title=f"Feed {status.value}")

    response = client.get("/practices/feed/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    atom = "{http://www.w3.org/2005/Atom}"
    entries = ET.fromstring(response.content).findall(f"{atom}entry")  # noqa: S314 - our own feed
    assert [entry.findtext(f"{atom}title") for entry in entries] == ["Feed published"]
    assert entries[0].find(f"{atom}category").get("term") == "Śląskie"


# PDF ----------------------------------------------------------------------------------------


def pdf_text(content: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        unavailable("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "practice.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_the_pdf_of_a_practice_carries_its_text(client, tmp_path):
    practice = published(title="Łódź science cafés", lessons="Start small, stay regular.")

    response = client.get(f"/practices/{practice.pk}/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content, tmp_path)
    assert "Łódź science cafés" in text
    assert "Start small, stay regular." in text
    assert practice.contact_email not in text  # contact details are for signed-in users


def test_the_pdf_shows_the_contact_to_signed_in_users(client_as, tmp_path):
    practice = published(title="Contact check")

    response = client_as("respondent").get(f"/practices/{practice.pk}/pdf/")

    assert practice.contact_email in pdf_text(response.content, tmp_path)


REFUSED_URLS = [
    "file:///etc/passwd",
    "http://127.0.0.1:8000/",
    "https://example.org/x.png",
    "data:text/plain,hi",
    "https://pdf.socore.invalid/static/../../etc/passwd",
    "https://pdf.socore.invalid/static/%2e%2e/%2e%2e/etc/passwd",
    "https://pdf.socore.invalid/static//etc/passwd",
    "https://pdf.socore.invalid/media/practices/1/secret",
    "https://pdf.socore.invalid/static/no/such/file.css",
    "https://pdf.socore.invalid.example.org/static/css/print.css",
]


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_pdf_rendering_refuses_anything_but_our_static_files(url):
    with pytest.raises(RefusedURL):
        StaticFilesOnly().fetch(url)


def test_pdf_rendering_serves_our_stylesheet():
    response = StaticFilesOnly().fetch(f"{BASE_URL}static/css/print.css")

    assert response.content_type == "text/css"
    assert b"@page" in response.read()


class _Recorder(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - the name http.server calls
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def listening_server():
    """A real HTTP server on 127.0.0.1: any request the PDF renderer makes shows up here."""
    _Recorder.requests = []
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", _Recorder.requests
    server.shutdown()
    server.server_close()


def test_images_in_a_practice_are_text_in_its_pdf_and_nothing_is_fetched(
    client, tmp_path, listening_server
):
    address, requests = listening_server
    description = (
        '<img src="file:///etc/passwd">\n\n'
        f'<img src="{address}/x.png">\n\n<img src="http://127.0.0.1/x.png">'
    )
    practice = published(title="Image trap", description=description)

    response = client.get(f"/practices/{practice.pk}/pdf/")

    assert response.status_code == 200
    text = pdf_text(response.content, tmp_path)
    assert '<img src="file:///etc/passwd">' in text
    assert "root:" not in text
    assert requests == []


def test_the_renderer_does_not_fetch_images_even_in_raw_html(listening_server, tmp_path):
    address, requests = listening_server
    html = (
        f'<p>Before</p><img src="{address}/raw.png"><img src="file:///etc/passwd">'
        '<link rel="stylesheet" href="/static/css/print.css"><p>After</p>'
    )

    pdf = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).write_pdf()

    assert requests == []
    assert "After" in pdf_text(pdf, tmp_path)


def test_a_public_pdf_is_laid_out_once_per_content(client, tmp_path, monkeypatch):
    import weasyprint

    layouts = []
    write_pdf = weasyprint.HTML.write_pdf

    def counted(self, *args, **kwargs):  # WeasyPrint still does the work; we count it
        layouts.append(1)
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", counted)
    practice = published(title="Cached science cafés", lessons="Start small.")

    first = client.get(f"/practices/{practice.pk}/pdf/").content
    again = client.get(f"/practices/{practice.pk}/pdf/").content
    assert again == first and len(layouts) == 1
    GoodPractice.objects.filter(pk=practice.pk).update(lessons="Start small, stay regular.")
    changed = client.get(f"/practices/{practice.pk}/pdf/").content
    assert len(layouts) == 2
    assert "stay regular" in pdf_text(changed, tmp_path)
