"""Public PDFs are limited per client address; behind the TLS proxy, the address it saw."""

import pytest

from practices.models import Status
from tests.factories.briefs import BriefFactory
from tests.factories.practices import PracticeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pdfs(staff):
    practice = PracticeFactory(status=Status.PUBLISHED, created_by=staff)
    brief = BriefFactory(created_by=staff, status="published")
    return [f"/practices/{practice.pk}/pdf/", f"/briefs/{brief.pk}/pdf/"]


@pytest.mark.parametrize("which", [0, 1], ids=["practice", "brief"])
def test_a_public_pdf_is_refused_with_429_past_the_rate_and_others_are_still_served(
    client, settings, pdfs, which
):
    settings.PUBLIC_PDF_RATE = "3/m"
    path = pdfs[which]

    statuses = [client.get(path, REMOTE_ADDR="203.0.113.7").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    refused = client.get(path, REMOTE_ADDR="203.0.113.7")
    assert refused["Retry-After"] == "60"
    assert "Too many requests" in refused.content.decode()
    assert client.get(path, REMOTE_ADDR="198.51.100.4").status_code == 200


def test_behind_the_proxy_the_address_it_saw_counts_and_a_forged_one_does_not(
    client, settings, pdfs
):
    settings.PUBLIC_PDF_RATE = "2/m"
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}

    def get(forwarded):
        return client.get(pdfs[0], HTTP_X_FORWARDED_FOR=forwarded, **proxy).status_code

    # The client forges a new leftmost address each time; the proxy appends the real one.
    assert [get(f"192.0.2.{n}, 203.0.113.7") for n in range(3)] == [200, 200, 429]
    # Another real client behind the same proxy has its own allowance.
    assert get("203.0.113.99") == 200


def test_without_a_trusted_proxy_the_header_is_ignored_and_garbage_never_fails(
    client, settings, pdfs
):
    settings.PUBLIC_PDF_RATE = "2/m"
    statuses = [
        client.get(
            pdfs[0], HTTP_X_FORWARDED_FOR=f"192.0.2.{n}", REMOTE_ADDR="203.0.113.7"
        ).status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]

    # A header that is not an address counts as the proxy's own address: no server error.
    settings.TRUSTED_PROXY_COUNT = 1
    garbage = ["not-an-address", "", ",,,", "999.1.1.1", "<script>"]
    statuses = [
        client.get(pdfs[1], HTTP_X_FORWARDED_FOR=value, REMOTE_ADDR="198.51.100.8").status_code
        for value in garbage
    ]
    assert statuses == [200, 200, 429, 429, 429]
