"""Regional reports: asking for one, the row's state machine, the PDF's contents, reuse of
the same inputs, the sweep, what the renderer refuses to fetch, and each page as each role.

The unit of work (`pipeline.run`) is called directly here; test_worker.py beside this file
runs it through a real worker and broker.
"""

import datetime
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from partners.models import Membership
from socore.lib.pdf import BASE_URL, RefusedURL, StaticFilesOnly
from surveys.models import Answer, Campaign, ReportRequest
from surveys.models.reports import ATTEMPTS_EXHAUSTED, RENDER_ERROR, private_storage
from surveys.reports import document, pipeline
from tests.conftest import ROLES
from tests.factories.practices import PracticeFactory, eager_tasks  # noqa: F401 - a fixture
from tests.factories.reports import TOP_COMPETENCE, add_self_response, build_world, pdf_text
from tests.factories.surveys import CampaignFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def ask(user, world, **options):
    options.setdefault("language", "en")
    return pipeline.request_report(
        user=user, region=world.region, campaigns=world.campaigns, **options
    )


@pytest.fixture
def done_report(coordinator, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        report, _existing = ask(coordinator, world)
        pipeline.run(report.pk, "task-1")
    report.refresh_from_db()
    assert report.status == ReportRequest.Status.DONE, report.error
    return report


def stored_pdf(report: ReportRequest) -> bytes:
    with private_storage().open(report.file, "rb") as handle:
        return handle.read()


# Requesting and reuse -------------------------------------------------------------------


def test_a_request_is_a_queued_row_sent_to_the_worker_after_commit(
    coordinator, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        report, existing = ask(coordinator, world, filters={"role": "researcher", "age_band": ""})

    assert not existing
    assert len(callbacks) == 1
    assert report.status == ReportRequest.Status.QUEUED
    assert report.version == 1
    assert report.filters == {"role": "researcher"}
    assert set(report.campaigns.all()) == set(world.campaigns)


def test_the_same_inputs_within_a_day_return_the_existing_report(
    coordinator, world, done_report, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        again, existing = ask(coordinator, world)

    assert existing and again == done_report
    assert callbacks == []
    assert ReportRequest.objects.count() == 1


def test_other_inputs_new_answers_a_day_later_or_render_again_make_new_versions(
    coordinator, world, done_report
):
    in_polish, existing = ask(coordinator, world, language="pl")
    assert not existing and in_polish.version == 1  # another subject: its own versions

    forced = pipeline.render_again(done_report, coordinator)
    assert forced.version == 2 and forced.subject == done_report.subject

    add_self_response(world.self_campaign, world.competences, world.top)
    after_new_answers, existing = ask(coordinator, world)
    assert not existing and after_new_answers.version == 3

    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        next_day, existing = ask(coordinator, world)
    assert not existing and next_day.version == 4
    # Earlier versions stay: nothing was deleted or replaced.
    assert ReportRequest.objects.get(pk=done_report.pk).status == ReportRequest.Status.DONE


def test_a_failed_report_is_not_reused(coordinator, world):
    first, _ = ask(coordinator, world)
    ReportRequest.objects.filter(pk=first.pk).update(status=ReportRequest.Status.FAILED)

    second, existing = ask(coordinator, world)

    assert not existing and second.pk != first.pk


# The document -----------------------------------------------------------------------------


def test_the_pdf_names_the_region_and_the_top_ranked_competence(done_report, tmp_path):
    content = stored_pdf(done_report)
    text = pdf_text(content, tmp_path)

    assert content.startswith(b"%PDF")
    assert done_report.file_size == len(content)
    assert "Śląskie" in text
    flat = " ".join(text.split())
    summary = flat.split("largest gaps", 1)[1].split("Strengths", 1)[0]
    # Ranked first: the first competence of the table of largest gaps.
    assert summary.index(f"A0.1 {TOP_COMPETENCE}") < summary.index("A1.1 Competence 1-1")
    for heading in ("Contents", "Method", "Full table", "Comparison with the consortium", "Annex"):
        assert heading in text
    assert "Utrecht" in text  # the consortium it is compared with
    assert done_report.progress == 100 and done_report.attempts == 1


def test_the_pdf_is_tagged_a4_with_embedded_fonts(done_report, tmp_path):
    import subprocess

    path = tmp_path / "report.pdf"
    path.write_bytes(stored_pdf(done_report))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout

    assert "Tagged:          yes" in info
    assert "(A4)" in info
    assert "Regional report: Śląskie" in info
    fonts = pdf_fonts(path)
    assert fonts and {embedded for _name, embedded in fonts} == {"yes"}


def pdf_fonts(path) -> list[tuple[str, str]]:
    """(name, embedded) of each font of the PDF, as pdffonts lists them."""
    import subprocess

    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    lines = lines.splitlines()
    # pdffonts prints "name type encoding emb sub uni object ID" over a row of dashes whose
    # runs mark each column's span; "emb" is the fourth.
    spans = [match.span() for match in re.finditer(r"-+", lines[1])]
    assert lines[0][spans[3][0] : spans[3][1]].strip() == "emb"
    return [
        (row[: spans[0][1]].strip(), row[spans[3][0] : spans[3][1]].strip()) for row in lines[2:]
    ]


def test_the_report_is_written_in_the_chosen_language(coordinator, world, tmp_path):
    report, _ = ask(coordinator, world, language="pl")
    pipeline.run(report.pk, "task-pl")
    report.refresh_from_db()

    text = " ".join(pdf_text(stored_pdf(report), tmp_path).split())
    assert "Samoocena (pracownicy infrastruktury badawczo-innowacyjnej)" in text
    assert "Partnerzy" in text
    assert "Self-assessment (RII staff)" not in text


@pytest.mark.parametrize("language", ["nl", "it", "pt", "ro", "lt", "pl"])
def test_a_report_in_each_shipped_language_has_translated_headings_and_decimal_commas(
    coordinator, world, tmp_path, language
):
    report, _ = ask(coordinator, world, language=language)
    pipeline.run(report.pk, f"task-{language}")
    report.refresh_from_db()

    text = " ".join(pdf_text(stored_pdf(report), tmp_path).split())
    with translation.override(language):
        headings = [gettext(h) for h in ("Contents", "Method", "Full table", "Annex")]
    assert headings != ["Contents", "Method", "Full table", "Annex"]
    for heading in headings:
        assert heading in text
    assert not re.search(r"\b(Full table|Method|Contents)\b", text)
    # Every consortium language writes decimals with a comma: "3,40", never "3.40".
    assert re.search(r"\b[1-5],\d\d\b", text)
    assert not re.search(r"\b[1-5]\.\d\d\b", text)


# The letters beyond ASCII that each language's report writes (its translations), and look-
# alikes a font substitution would put in their place (Romanian ș ț with a comma, not ş ţ).
SPECIAL_LETTERS = {
    "pl": ("ąęłóśż", ""),
    "lt": ("ąčėįšūųž", ""),
    "ro": ("ăâîșț", "şţ"),
}


@pytest.mark.parametrize("language", SPECIAL_LETTERS)
def test_a_report_keeps_its_language_s_letters_in_embedded_fonts(
    coordinator, world, tmp_path, language
):
    report, _ = ask(coordinator, world, language=language)
    pipeline.run(report.pk, f"task-{language}")
    report.refresh_from_db()
    path = tmp_path / "report.pdf"
    path.write_bytes(stored_pdf(report))

    text = pdf_text(path.read_bytes(), tmp_path)
    letters, lookalikes = SPECIAL_LETTERS[language]
    assert {letter for letter in letters if letter not in text} == set()
    assert not set(lookalikes) & set(text)
    assert "\ufffd" not in text
    with translation.override(language):
        assert gettext("Full table") in " ".join(text.split())
    fonts = pdf_fonts(path)
    assert fonts and {embedded for _name, embedded in fonts} == {"yes"}
    assert all("DejaVu" in name for name, _embedded in fonts)


def test_good_practices_addressing_the_top_gap_are_listed(coordinator, world, tmp_path):
    practice = PracticeFactory(status="published", title="Negotiation clinic for lab heads")
    practice.competences.add(world.top)
    PracticeFactory(status="draft", title="Unpublished idea").competences.add(world.top)

    report, _ = ask(coordinator, world)
    pipeline.run(report.pk, "task-1")
    report.refresh_from_db()

    text = pdf_text(stored_pdf(report), tmp_path)
    assert "Negotiation clinic for lab heads" in text
    assert "Unpublished idea" not in text


def test_the_requester_is_emailed_a_link_when_the_report_is_ready(done_report, settings):
    settings.SITE_URL = "https://portal.socore.eu"

    assert pipeline.email_outcome(done_report)

    message = mail.outbox[-1]
    assert message.to == [done_report.requested_by.email]
    assert "ready" in message.subject and "Śląskie" in message.subject
    assert f"https://portal.socore.eu/reports/requests/{done_report.pk}/" in message.body


def test_every_kind_of_file_has_its_writer():
    assert set(pipeline.RENDERERS) == set(ReportRequest.Kind.values)


def test_a_report_that_cannot_be_stored_fails_and_the_requester_is_told(
    coordinator, world, private_root, django_capture_on_commit_callbacks
):
    # A file where the reports folder should be: storing fails for real (NotADirectoryError).
    private_root.parent.mkdir(parents=True, exist_ok=True)
    private_root.write_text("not a folder")
    report, _ = ask(coordinator, world)

    with django_capture_on_commit_callbacks() as told:
        assert pipeline.run(report.pk, "task-1") == ReportRequest.Status.FAILED

    report.refresh_from_db()
    assert (report.status, report.error) == (ReportRequest.Status.FAILED, str(RENDER_ERROR))
    assert report.finished_at is not None and not report.file
    assert len(told) == 1  # the requester's email, sent once the failure is committed
    assert pipeline.email_outcome(report)
    assert "could not be made" in mail.outbox[-1].subject


# The claim, attempts and the sweep --------------------------------------------------------


def test_a_queued_row_is_claimed_once_and_only_a_redelivery_claims_it_again(
    coordinator, world, settings
):
    settings.REPORT_MAX_ATTEMPTS = 2
    report, _ = ask(coordinator, world)
    claim = ReportRequest.objects.claim

    assert claim(report.pk, "message-a") == 1
    assert claim(report.pk, "message-b") is None  # another message: the row is taken
    assert claim(report.pk, "message-a") == 2  # the same message again: its worker died
    assert claim(report.pk, "message-a") is None  # attempts used up
    assert pipeline.run(report.pk, "message-a") == ReportRequest.Status.FAILED

    report.refresh_from_db()
    assert report.status == ReportRequest.Status.FAILED
    assert report.error == str(ATTEMPTS_EXHAUSTED)
    assert pipeline.run(report.pk, "message-a") == "skipped"


def test_a_finished_row_is_not_rendered_again_by_a_late_redelivery(done_report):
    assert pipeline.run(done_report.pk, "task-1") == "skipped"
    assert ReportRequest.objects.get(pk=done_report.pk).attempts == 1


def test_the_sweep_retries_or_fails_rows_left_running_and_resends_forgotten_ones(
    coordinator, world, settings, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.REPORT_TIME_LIMIT + 600)
    retried, _ = ask(coordinator, world)
    exhausted = pipeline.render_again(retried, coordinator)
    forgotten = pipeline.render_again(retried, coordinator)
    fresh = pipeline.render_again(retried, coordinator)
    running_now = pipeline.render_again(retried, coordinator)
    ReportRequest.objects.filter(pk__in=[retried.pk, exhausted.pk]).update(
        status=ReportRequest.Status.RUNNING, started_at=long_ago, attempts=1
    )
    ReportRequest.objects.filter(pk=exhausted.pk).update(attempts=settings.REPORT_MAX_ATTEMPTS)
    ReportRequest.objects.filter(pk=forgotten.pk).update(created_at=long_ago, sent_at=long_ago)
    ReportRequest.objects.filter(pk=running_now.pk).update(
        status=ReportRequest.Status.RUNNING, started_at=timezone.now(), attempts=1
    )

    with django_capture_on_commit_callbacks() as callbacks:
        counts = pipeline.sweep()

    assert counts == {"requeued": 1, "failed": 1, "resent": 1}
    statuses = dict(ReportRequest.objects.values_list("pk", "status"))
    assert statuses[retried.pk] == ReportRequest.Status.QUEUED
    assert statuses[exhausted.pk] == ReportRequest.Status.FAILED
    assert statuses[forgotten.pk] == ReportRequest.Status.QUEUED
    assert statuses[fresh.pk] == ReportRequest.Status.QUEUED
    assert statuses[running_now.pk] == ReportRequest.Status.RUNNING
    assert ReportRequest.objects.get(pk=exhausted.pk).error == str(ATTEMPTS_EXHAUSTED)
    # Two messages sent again (retried, forgotten) and one email (exhausted).
    assert len(callbacks) == 3
    # A second sweep right away finds nothing more to do.
    assert pipeline.sweep() == {"requeued": 0, "failed": 0, "resent": 0}


# What the renderer fetches ----------------------------------------------------------------


class _Recorder(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - the name http.server calls
        self.requests.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def listening_server():
    _Recorder.requests = []
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", _Recorder.requests
    server.shutdown()
    server.server_close()


def test_the_fetcher_refuses_a_system_file_and_a_local_address():
    with pytest.raises(RefusedURL):
        StaticFilesOnly().fetch("file:///etc/passwd")
    with pytest.raises(RefusedURL):
        StaticFilesOnly().fetch("http://127.0.0.1/")
    assert StaticFilesOnly().fetch(f"{BASE_URL}static/css/print.css").content_type == "text/css"


def test_user_text_in_a_report_is_escaped_and_fetches_nothing(
    coordinator, world, listening_server, tmp_path
):
    address, requests = listening_server
    title = (
        f'<img src="{address}/pixel.png"><link rel="stylesheet" href="file:///etc/passwd">'
        f"<style>@import url({address}/x.css);</style>"
    )
    Campaign.objects.filter(pk=world.self_campaign.pk).update(title=title)
    practice = PracticeFactory(status="published", title=f'<img src="{address}/p.png">')
    practice.competences.add(world.top)

    report, _ = ask(coordinator, world)
    pipeline.run(report.pk, "task-1")
    report.refresh_from_db()

    assert report.status == ReportRequest.Status.DONE
    assert requests == []
    text = pdf_text(stored_pdf(report), tmp_path)
    assert f'<img src="{address}/pixel.png">' in text.replace("\n", "")
    assert "root:" not in text


# Pages, as each role ----------------------------------------------------------------------

SEES_THE_REPORT = {"coordinator", "consortium_coordinator"}


@pytest.mark.parametrize("role", ROLES)
def test_the_request_page_as_each_role(role, client_as, done_report):
    response = client_as(role).get(f"/reports/requests/{done_report.pk}/")

    if role == "anonymous":
        assert response.status_code == 302
    elif role in SEES_THE_REPORT:
        assert response.status_code == 200
        page = response.content.decode()
        assert f"/reports/requests/{done_report.pk}/download/" in page
        assert "Render again" in page
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_the_download_as_each_role(role, client_as, done_report):
    response = client_as(role).get(f"/reports/requests/{done_report.pk}/download/")

    if role == "anonymous":
        assert response.status_code == 302
    elif role in SEES_THE_REPORT:
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "socore-slaskie-report-pdf-v1.pdf" in response["Content-Disposition"]
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_render_again_as_each_role(
    role, client_as, done_report, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        response = client_as(role).post(f"/reports/requests/{done_report.pk}/render-again/")

    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role in SEES_THE_REPORT:
        new = ReportRequest.objects.exclude(pk=done_report.pk).get()
        assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
        assert new.version == 2
    else:
        assert response.status_code == 404
    if role not in SEES_THE_REPORT:
        assert ReportRequest.objects.count() == 1


def test_a_requester_who_no_longer_coordinates_loses_the_report(
    client_as, coordinator, done_report
):
    Membership.objects.filter(user=coordinator).update(role=Membership.Role.STAFF)
    client = client_as("coordinator")

    assert client.get(f"/reports/requests/{done_report.pk}/download/").status_code == 404
    assert client.get(f"/reports/requests/{done_report.pk}/").status_code == 404
    assert client.get("/reports/requests/").status_code == 404
    assert client.post(f"/reports/requests/{done_report.pk}/render-again/").status_code == 404
    assert ReportRequest.objects.count() == 1


def test_a_report_is_not_made_for_a_requester_who_lost_the_region_meanwhile(coordinator, world):
    report, _existing = ask(coordinator, world)
    Membership.objects.filter(user=coordinator).delete()

    assert pipeline.run(report.pk, "task-1") == ReportRequest.Status.FAILED
    report.refresh_from_db()
    assert not report.file
    assert "no longer coordinates this region" in report.error


@pytest.mark.parametrize("role", ROLES)
def test_the_list_as_each_role(role, client_as, done_report):
    response = client_as(role).get("/reports/requests/")

    if role == "anonymous":
        assert response.status_code == 302
    elif role in SEES_THE_REPORT | {"other_coordinator"}:
        assert response.status_code == 200
        listed = f"/reports/requests/{done_report.pk}/" in response.content.decode()
        assert listed == (role in SEES_THE_REPORT)
    else:
        assert response.status_code == 404


def test_the_list_makes_the_same_queries_for_many_requests(
    client_as, coordinator, world, django_assert_max_num_queries
):
    for language in ("en", "pl", "nl", "it", "pt", "ro", "lt"):
        ask(coordinator, world, language=language)
    client = client_as("coordinator")
    client.get("/reports/requests/")

    with django_assert_max_num_queries(8):
        response = client.get("/reports/requests/")
    assert response.content.decode().count("Regional report (PDF): Śląskie") == 7


def test_progress_fragment_polls_while_pending_and_stops_when_done(client_as, coordinator, world):
    pending, _ = ask(coordinator, world)
    client = client_as("coordinator")

    fragment = client.get(f"/reports/requests/{pending.pk}/", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<progress" in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    page = client.get(f"/reports/requests/{pending.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in page
    # One status line; the refresh link only without JavaScript, "updates itself" only with.
    assert page.count("Waiting for a worker") == 1
    noscript = page.split("<noscript>", 1)[1].split("</noscript>", 1)[0]
    assert "Refresh to see the progress" in noscript
    assert '<span class="js-only">This page updates itself' in page

    pipeline.run(pending.pk, "task-1")
    done = client.get(f"/reports/requests/{pending.pk}/", headers={"HX-Request": "true"})
    assert done.status_code == 286  # htmx stops polling
    assert f"/reports/requests/{pending.pk}/download/" in done.content.decode()


def test_a_failed_report_shows_its_message_and_can_be_rendered_again(
    client_as, coordinator, world, private_root
):
    private_root.parent.mkdir(parents=True, exist_ok=True)
    private_root.write_text("not a folder")  # storing fails for real
    report, _ = ask(coordinator, world, kind=ReportRequest.Kind.TABLE_CSV)
    pipeline.run(report.pk, "task-1")

    page = client_as("coordinator").get(f"/reports/requests/{report.pk}/").content.decode()

    assert str(RENDER_ERROR) in page
    assert "Render again" in page
    assert (
        client_as("coordinator").get(f"/reports/requests/{report.pk}/download/").status_code == 404
    )


def test_earlier_versions_stay_listed_and_downloadable(client_as, coordinator, done_report):
    newer = pipeline.render_again(done_report, coordinator)
    pipeline.run(newer.pk, "task-2")
    client = client_as("coordinator")

    page = client.get(f"/reports/requests/{newer.pk}/").content.decode()

    assert f"/reports/requests/{done_report.pk}/download/" in page
    assert "Version 1" in page
    assert client.get(f"/reports/requests/{done_report.pk}/download/").status_code == 200


# The form ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_form_as_each_role(role, client_as, world):
    response = client_as(role).get("/reports/requests/new/")

    if role == "anonymous":
        assert response.status_code == 302
    elif role in SEES_THE_REPORT | {"other_coordinator"}:
        assert response.status_code == 200
        page = response.content.decode()
        assert (world.self_campaign.title in page) == (role in SEES_THE_REPORT)
    else:
        assert response.status_code == 404


def test_the_form_costs_the_same_queries_for_more_campaigns_of_the_region(
    client_as, world, django_assert_max_num_queries
):
    client = client_as("coordinator")
    query = f"?region=slaskie&campaign={world.self_campaign.pk}&language=en"
    client.get("/reports/requests/new/" + query)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/reports/requests/new/" + query).status_code == 200
    for year in range(2020, 2026):
        CampaignFactory(
            survey=world.self_campaign.survey, region=world.region, title=f"Śląskie staff {year}"
        )
    with django_assert_max_num_queries(len(few)):
        page = client.get("/reports/requests/new/" + query).content.decode()
    assert "Śląskie staff 2020" in page


def test_the_dashboard_link_prefills_the_form(client_as, world):
    query = (
        f"?region=slaskie&campaign={world.self_campaign.pk}&campaign={world.demand_campaign.pk}"
        "&language=pl&role=researcher"
    )
    page = client_as("coordinator").get("/reports/requests/new/" + query).content.decode()

    assert '<option value="slaskie" selected>' in page
    campaign_inputs = re.findall(r'<input[^>]*name="campaigns"[^>]*>', page)
    checked = {
        re.search(r'value="(\d+)"', tag).group(1) for tag in campaign_inputs if " checked" in tag
    }
    assert checked == {str(world.self_campaign.pk), str(world.demand_campaign.pk)}
    assert '<option value="pl" selected>' in page
    assert '<option value="researcher" selected>' in page


def test_posting_the_form_makes_a_request_and_shows_its_page(
    client_as, coordinator, world, django_capture_on_commit_callbacks
):
    data = {
        "region": "slaskie",
        "campaigns": [world.self_campaign.pk, world.demand_campaign.pk],
        "language": "en",
        "kind": "report_pdf",
        "role": "researcher",
    }
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_as("coordinator").post("/reports/requests/new/", data, follow=True)

    report = ReportRequest.objects.get()
    assert response.redirect_chain[-1][0] == report.get_absolute_url()
    assert len(callbacks) == 1
    assert report.requested_by == coordinator and report.filters == {"role": "researcher"}
    assert "Your report is on its way." in response.content.decode()

    again = client_as("coordinator").post("/reports/requests/new/", data, follow=True)
    assert ReportRequest.objects.count() == 1
    assert "asked for in the last 24 hours" in again.content.decode()


def test_bad_input_is_explained_next_to_the_field_and_kept(client_as, world):
    response = client_as("coordinator").post(
        "/reports/requests/new/",
        {"region": "slaskie", "campaigns": [], "language": "pl", "kind": "report_pdf"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page
    assert '<option value="pl" selected>' in page
    assert ReportRequest.objects.count() == 0

    response = client_as("coordinator").post(
        "/reports/requests/new/",
        {
            "region": "slaskie",
            "campaigns": [world.other_region_campaign.pk],
            "language": "en",
            "kind": "report_pdf",
        },
    )
    # Utrecht's campaign is not even offered to Śląskie's coordinator.
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_a_campaign_of_another_region_is_refused_by_name(client_as, world):
    response = client_as("consortium_coordinator").post(
        "/reports/requests/new/",
        {
            "region": "slaskie",
            "campaigns": [world.self_campaign.pk, world.other_region_campaign.pk],
            "language": "en",
            "kind": "report_pdf",
        },
    )

    assert response.status_code == 400
    assert "Not campaigns of Śląskie: Utrecht staff 2026." in response.content.decode()


def test_a_coordinator_cannot_ask_for_another_regions_report(client_as, world):
    response = client_as("other_coordinator").post(
        "/reports/requests/new/",
        {
            "region": "slaskie",
            "campaigns": [world.self_campaign.pk],
            "language": "en",
            "kind": "report_pdf",
        },
    )

    assert response.status_code == 400
    assert ReportRequest.objects.count() == 0


@pytest.mark.usefixtures("eager_tasks")
def test_from_the_form_to_the_email_with_the_tasks_in_process(
    client_as, coordinator, world, django_capture_on_commit_callbacks
):
    data = {
        "region": "slaskie",
        "campaigns": [world.self_campaign.pk],
        "language": "en",
        "kind": "report_pdf",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client_as("coordinator").post("/reports/requests/new/", data)

    report = ReportRequest.objects.get()
    assert report.status == ReportRequest.Status.DONE
    assert [message.to for message in mail.outbox] == [[coordinator.email]]


def test_the_report_hides_a_consortium_figure_that_would_give_away_a_few_elsewhere(
    coordinator, world
):
    # Utrecht's 6 answer the top competence; 4 of them now say "not applicable", so the
    # consortium's figure for it differs from Śląskie's by 2 people.
    utrecht = list(world.other_region_campaign.responses.values_list("pk", flat=True))
    Answer.objects.filter(response_id__in=utrecht[:4], competence=world.top).update(
        not_applicable=True, current_level=None, importance=None
    )
    report, _existing = ask(coordinator, world)
    html = document.render_html(report)
    comparison = html[html.index('id="comparison"') :]
    row = comparison[comparison.index(TOP_COMPETENCE) :].split("</tr>", 1)[0]
    cells = re.findall(r'<td class="number">(.*?)</td>', row)
    region_current, consortium_current, _difference, _mwds, consortium_mwds = cells[:5]
    assert region_current == "1.00"
    assert consortium_current == consortium_mwds == "fewer than 5 responses"
    # Another competence, answered by all 6 in Utrecht, shows the consortium beside it.
    other_row = comparison[comparison.index(world.competences[0].name) :].split("</tr>", 1)[0]
    assert "fewer than 5" not in other_row


def test_the_report_form_narrows_by_one_background_question_only(client_as, world):
    response = client_as("coordinator").post(
        "/reports/requests/new/",
        {
            "region": world.region.slug,
            "campaigns": [world.self_campaign.pk],
            "language": "en",
            "kind": ReportRequest.Kind.REPORT_PDF,
            "organisation_type": "university",
            "role": "researcher",
        },
    )
    assert response.status_code == 400
    assert "Narrow by one background question at a time" in response.content.decode()
    assert ReportRequest.objects.count() == 0
