"""The partners page says how many of the consortium's ten partners are entered, instead of
saying ten while listing fewer."""

import pytest

from partners.models import Partner, Region
from tests.factories.accounts import PartnerFactory

pytestmark = pytest.mark.django_db


def lead(client) -> str:
    page = client.get("/partners/").content.decode()
    return " ".join(page.split('<p class="lead">')[1].split("</p>")[0].split())


def test_while_partners_are_missing_the_page_says_how_many_are_entered(client):
    assert Partner.objects.count() == 4  # the seeded ones

    assert lead(client).startswith("4 of the consortium's 10 partners are entered so far.")
    assert "Ten organisations" not in lead(client)


def test_with_one_partner_entered_the_sentence_is_singular(client):
    Partner.objects.exclude(is_lead=True).delete()

    assert lead(client).startswith("1 of the consortium's 10 partners is entered so far.")


def test_with_all_ten_entered_the_page_names_the_consortiums_partners(client):
    porto = Region.objects.get(nuts_code="PT11")
    for _ in range(6):
        PartnerFactory(region=porto)

    assert lead(client) == (
        "The consortium's 10 partners, from six countries, work together in SOCORE, "
        "each in its own region."
    )
    assert "so far" not in lead(client)
