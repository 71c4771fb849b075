"""Partners and regions: the seeded consortium, the public pages, editing by coordinators."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError

from partners.models import Membership, Partner, Region, RegionChange, User
from partners.permissions import coordinates_region, roles_of
from tests.factories.accounts import MembershipFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def test_the_consortium_regions_are_seeded_with_nuts_2024_codes():
    codes = dict(Region.objects.exclude(nuts_code="").values_list("nuts_code", "name"))
    assert codes["PL22"] == "Śląskie"
    assert codes["NL35"] == "Utrecht"
    assert codes["ITC3"] == "Liguria"
    assert {"PT11", "PT15", "PT19", "PT1A", "PT1B", "PT1C", "PT1D", "PT20", "PT30"} <= set(codes)
    assert {"LT01", "LT02"} <= set(codes)
    moldova = Region.objects.filter(country="MD")
    assert moldova.count() == 5
    assert set(moldova.values_list("nuts_code", flat=True)) == {""}


def test_only_the_four_named_partners_are_seeded_and_one_leads():
    assert set(Partner.objects.values_list("slug", flat=True)) == {
        "us",
        "province-of-silesia",
        "hu",
        "anci-liguria",
    }
    assert Partner.objects.get(is_lead=True).name == "University of Silesia in Katowice"
    with pytest.raises(IntegrityError):
        PartnerFactory(is_lead=True)


def test_partners_page_groups_by_country_and_region(client):
    html = client.get("/partners/").content.decode()

    def section(country: str) -> str:
        return html.split(f'id="country-{country}"')[1].split("</section>")[0]

    poland = section("PL")
    assert "Poland" in poland and "Śląskie" in poland
    assert "University of Silesia in Katowice" in poland and "Province of Silesia" in poland
    assert "HU University of Applied Sciences Utrecht" in section("NL")
    assert "ANCI Liguria" in section("IT")
    for country in ("PT", "LT", "MD"):  # no partner entered yet
        assert "will be presented here soon" in section(country)


def test_partners_page_query_count_does_not_grow_with_partners(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3) as few:
        client.get("/partners/")
    for _ in range(25):
        PartnerFactory(region=Region.objects.get(nuts_code="PT11"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/partners/")
    assert response.content.decode().count('class="card"') == 29


def test_partner_page_shows_its_region(client):
    html = client.get("/partners/hu/").content.decode()
    assert "HU University of Applied Sciences Utrecht" in html
    assert "NL35" in html and "Netherlands" in html


def test_consortium_coordinator_adds_a_portuguese_partner(client, consortium_coordinator):
    client.force_login(consortium_coordinator)
    norte = Region.objects.get(nuts_code="PT11")
    response = client.post(
        "/partners/add/",
        {
            "name": "Instituto de Exemplo do Norte",
            "short_name": "IEN",
            "type": "research_institute",
            "region": norte.pk,
            "website": "https://ien.example.org",
            "description": "",
        },
    )
    partner = Partner.objects.get(short_name="IEN")
    assert response["Location"] == "/partners/ien/"
    assert partner.region == norte and not partner.is_lead


def test_a_bad_partner_form_keeps_what_was_typed(client, consortium_coordinator):
    client.force_login(consortium_coordinator)
    response = client.post(
        "/partners/add/",
        {"name": "Half-typed <b>Organisation</b>", "short_name": "HU", "type": "", "region": ""},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Half-typed &lt;b&gt;Organisation&lt;/b&gt;"' in html
    assert "Another partner already uses this short name." in html
    assert "This field is required." in html
    assert Partner.objects.count() == 4


def test_regional_coordinator_edits_their_own_partner_only(client, coordinator):
    client.force_login(coordinator)
    province = Partner.objects.get(slug="province-of-silesia")
    data = {
        "name": province.name,
        "short_name": province.short_name,
        "type": province.type,
        "region": province.region_id,
        "website": "https://www.slaskie.pl",
        "description": "Regional government of Śląskie.",
    }
    assert client.post("/partners/province-of-silesia/edit/", data).status_code == 302
    province.refresh_from_db()
    assert province.description == "Regional government of Śląskie."
    response = client.post("/partners/hu/edit/", {**data, "short_name": "HU"})
    assert response.status_code == 403
    assert Partner.objects.get(slug="hu").description == ""


def test_a_regional_coordinator_cannot_move_their_partner_to_another_region(
    client, coordinator, utrecht
):
    client.force_login(coordinator)
    assert client.get("/reports/region/utrecht/").status_code == 404
    form = client.get("/partners/province-of-silesia/edit/")
    assert 'name="region"' not in form.content.decode()
    province = Partner.objects.get(slug="province-of-silesia")
    data = {
        "name": province.name,
        "short_name": province.short_name,
        "type": province.type,
        "region": utrecht.pk,
        "website": "",
        "description": "Moved?",
    }
    assert client.post("/partners/province-of-silesia/edit/", data).status_code == 302
    province.refresh_from_db()
    assert province.description == "Moved?"
    assert province.region.slug == "slaskie"
    assert RegionChange.objects.count() == 0
    assert client.get("/reports/region/utrecht/").status_code == 404


def test_the_consortium_coordinator_moves_a_partner_and_the_move_is_recorded(
    client, consortium_coordinator, coordinator, utrecht
):
    client.force_login(consortium_coordinator)
    province = Partner.objects.get(slug="province-of-silesia")
    data = {
        "name": province.name,
        "short_name": province.short_name,
        "type": province.type,
        "region": utrecht.pk,
        "website": "",
        "description": "",
    }
    assert client.post("/partners/province-of-silesia/edit/", data).status_code == 302
    change = RegionChange.objects.get()
    assert (change.partner, change.from_region.slug, change.to_region, change.changed_by) == (
        province,
        "slaskie",
        utrecht,
        consortium_coordinator,
    )
    page = client.get("/partners/province-of-silesia/").content.decode()
    assert "Śląskie → Utrecht" in page
    # Saving again without moving records nothing more.
    assert client.post("/partners/province-of-silesia/edit/", data).status_code == 302
    assert RegionChange.objects.count() == 1
    # The move is what decides the coordinator's region, and the public page shows no trail.
    client.force_login(coordinator)
    assert client.get("/reports/region/utrecht/").status_code == 200
    client.logout()
    assert "Śląskie → Utrecht" not in client.get("/partners/province-of-silesia/").content.decode()


def test_roles_follow_memberships(coordinator, staff, other_staff, consortium_coordinator):
    slaskie = Region.objects.get(nuts_code="PL22")
    utrecht = Region.objects.get(nuts_code="NL35")
    assert coordinates_region(coordinator, slaskie)
    assert not coordinates_region(coordinator, utrecht)
    assert coordinates_region(consortium_coordinator, utrecht)
    assert not coordinates_region(staff, slaskie)
    assert roles_of(other_staff).region_ids == {utrecht.pk}
    assert roles_of(staff).is_partner_staff and not roles_of(staff).is_coordinator


def test_consortium_flag_needs_a_coordinator_role(hu):
    with pytest.raises(IntegrityError):
        MembershipFactory(partner=hu, role="staff", is_consortium_coordinator=True)


def test_consortium_flag_outside_the_lead_partner_grants_nothing(hu):
    membership = MembershipFactory(partner=hu, role="coordinator", is_consortium_coordinator=True)
    assert not roles_of(membership.user).is_consortium_coordinator


def test_seed_demo_is_refused_outside_local():
    with pytest.raises(CommandError, match="LOCAL"):
        call_command("seed_demo")


def test_seed_demo_creates_one_account_per_role_and_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    users = User.objects.count()
    call_command("seed_demo")
    assert User.objects.count() == users
    # One account per role (the demo's RII staff, rii.…@example.org, have no password).
    assert (
        User.objects.filter(email__endswith="@example.org")
        .exclude(email__startswith="rii.")
        .count()
        == 10
    )
    assert not User.objects.get(email="rii.slaskie.001@example.org").has_usable_password()
    consortium = User.objects.get(email="coordinator@example.org")
    assert roles_of(consortium).is_consortium_coordinator
    regional = User.objects.get(email="coordinator.pl@example.org")
    assert roles_of(regional).coordinated_region_ids == {Region.objects.get(nuts_code="PL22").pk}
    assert Membership.objects.get(user__email="staff.nl@example.org").partner.slug == "hu"
    assert consortium.authenticator_set.filter(type="totp").count() == 1
    assert consortium.check_password(settings.DEMO_PASSWORD)


def test_seed_demo_adds_campaigns_and_plausible_responses_once(settings):
    from surveys.models import Answer, Campaign, Response, Survey

    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    open_now = Campaign.objects.open_now()
    assert open_now.filter(survey__kind=Survey.Kind.SELF_ASSESSMENT).count() == 3
    assert open_now.filter(survey__kind=Survey.Kind.DEMAND).count() == 3
    # Last year's round is closed, so public statistics have results to show.
    closed = Campaign.objects.exclude(pk__in=open_now)
    assert closed.filter(survey__kind=Survey.Kind.SELF_ASSESSMENT).count() == 3
    submitted = Response.objects.filter(status=Response.Status.SUBMITTED)
    # The demo's RII staff with accounts answered both rounds (demo/activities.py); the
    # other responses have no account, like those anonymised after erasure.
    paired = submitted.filter(respondent__isnull=False)
    assert paired.filter(campaign__in=closed).count() == 120
    assert paired.filter(campaign__in=open_now).count() == 120
    submitted = submitted.filter(respondent__isnull=True)
    this_year = submitted.filter(campaign__in=open_now, campaign__survey__kind="self")
    assert 190 <= this_year.count() <= 210
    assert 35 <= submitted.filter(campaign__survey__kind="demand").count() <= 45
    assert submitted.filter(campaign__in=closed).count() == 90
    in_progress = Response.objects.get(respondent__email="respondent@example.org")
    assert in_progress.status == Response.Status.IN_PROGRESS
    # Self-assessments carry both scales, employer answers only the required level.
    self_answer = Answer.objects.filter(response__campaign__survey__kind="self").exclude(
        not_applicable=True
    )
    assert not self_answer.filter(current_level__isnull=True).exists()
    assert not self_answer.filter(required_level__isnull=False).exists()
    demand_answer = Answer.objects.filter(response__campaign__survey__kind="demand")
    assert not demand_answer.filter(required_level__isnull=True).exists()
