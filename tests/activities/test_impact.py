"""/impact/: the indicators (counted for a period and by region, per reporting period), the
evidence behind them with names only for those allowed, the targets, the policy
instruments, and the public impact page; each page as each role."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.impact import indicators
from activities.impact.indicators import Period
from activities.models import Activity, Indicator, IndicatorTarget, PolicyInstrument
from practices.models import Status as PracticeStatus
from tests.conftest import row_counts
from tests.factories.activities import ActivityFactory, FollowUpFactory, ParticipantFactory
from tests.factories.briefs import BriefFactory
from tests.factories.practices import PracticeFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 6, 10)  # in the first reporting period (May–October 2025)
LATER = datetime.date(2026, 1, 15)  # in the second (November 2025–April 2026)


def held(kind=Activity.Kind.STUDY_VISIT, starts_on=DAY, **fields):
    return ActivityFactory(
        kind=kind, starts_on=starts_on, ends_on=starts_on, status=Activity.Status.HELD, **fields
    )


def increased(activity, *, name, email, answered=None, answer="large"):
    participant = ParticipantFactory(activity=activity, name=name, email=email)
    return FollowUpFactory(
        participant=participant,
        answered_at=answered or timezone.make_aware(datetime.datetime(2025, 6, 20, 12)),
        capacity_increased=answer,
    )


def figure(indicator, period=None, viewer=None):
    for one in indicators.figures(period or Period.project(), viewer=viewer):
        if one.indicator == indicator:
            return one
    raise AssertionError(indicator)


# Counting -------------------------------------------------------------------------------------


def test_only_confirmed_held_activities_of_the_kind_count_in_the_period_of_their_first_day(
    consortium_coordinator, slaskie, hu
):
    held()
    held(starts_on=LATER)
    held(host_partner=hu)
    ActivityFactory(starts_on=DAY, ends_on=DAY)  # planned
    held(confirmed_at=None)  # not confirmed
    ActivityFactory(starts_on=DAY, ends_on=DAY, status=Activity.Status.CANCELLED)
    held(kind=Activity.Kind.PEER_REVIEW)
    held(starts_on=datetime.date(2025, 4, 30))  # before the project period
    visits = figure(Indicator.STUDY_VISITS, viewer=consortium_coordinator)
    assert visits.achieved == 3
    assert visits.share == 50  # of 6
    by_region = {region.nuts_code: value for region, value in visits.by_region}
    assert by_region["PL22"] == 2 and by_region["NL35"] == 1
    assert [(in_period, running) for _one, in_period, running in visits.over_time[:3]] == [
        (2, 2),
        (1, 3),
        (0, 3),
    ]
    first_half = Period(datetime.date(2025, 5, 1), datetime.date(2025, 10, 31))
    assert figure(Indicator.STUDY_VISITS, first_half, consortium_coordinator).achieved == 2
    assert figure(Indicator.PEER_REVIEWS, viewer=consortium_coordinator).achieved == 1


def test_reporting_periods_are_six_months_from_may_2025_cut_to_the_period():
    periods = Period(datetime.date(2025, 9, 1), datetime.date(2026, 6, 30)).reporting_periods()
    assert [(one.start, one.end) for one in periods] == [
        (datetime.date(2025, 9, 1), datetime.date(2025, 10, 31)),
        (datetime.date(2025, 11, 1), datetime.date(2026, 4, 30)),
        (datetime.date(2026, 5, 1), datetime.date(2026, 6, 30)),
    ]
    assert len(Period.project().reporting_periods()) == 8


def test_good_practices_count_when_published_in_the_period(consortium_coordinator):
    PracticeFactory(status=PracticeStatus.PUBLISHED)
    PracticeFactory(status=PracticeStatus.APPROVED)
    old = PracticeFactory(status=PracticeStatus.PUBLISHED)
    type(old).objects.filter(pk=old.pk).update(
        published_at=timezone.make_aware(datetime.datetime(2024, 1, 1))
    )
    period = Period(datetime.date(2025, 5, 1), timezone.localdate())
    assert figure(Indicator.GOOD_PRACTICES, period, consortium_coordinator).achieved == 1


def test_a_person_counts_once_when_they_first_counted_in_that_activity_s_region(
    consortium_coordinator, hu
):
    visit, workshop = held(), held(kind=Activity.Kind.WORKSHOP, host_partner=hu)
    increased(visit, name="Anna Nowak", email="anna@example.org")
    increased(
        workshop,
        name="Anna Nowak",
        email="ANNA@example.org",
        answered=timezone.make_aware(datetime.datetime(2026, 1, 20)),
    )
    increased(visit, name="Piotr", email="piotr@example.org", answer="no")
    increased(workshop, name="Jan", email="jan@example.org", answer="some")
    people = figure(Indicator.INCREASED_CAPACITY, viewer=consortium_coordinator)
    assert people.achieved == 2
    by_region = {region.nuts_code: value for region, value in people.by_region}
    assert by_region["PL22"] == 1 and by_region["NL35"] == 1


def test_people_counts_are_exact_only_where_the_viewer_may_see_the_names(coordinator, hu):
    visit, workshop = held(), held(host_partner=hu)
    for number in range(7):
        increased(visit, name=f"Slask {number}", email=f"s{number}@example.org")
    for number in range(3):
        increased(workshop, name=f"Utrecht {number}", email=f"u{number}@example.org")
    people = figure(Indicator.INCREASED_CAPACITY, viewer=coordinator)
    by_region = {region.nuts_code: value for region, value in people.by_region}
    assert by_region["PL22"] == 7
    assert by_region["NL35"] == "fewer than 5"
    assert people.achieved == 10  # 10 people, including another region's: in steps of 5


def test_a_total_is_rounded_for_a_regional_coordinator_even_when_only_their_region_counts(
    coordinator,
):
    # Were it exact until someone elsewhere counted, its turning to steps of 5 would tell.
    increased(held(), name="Anna", email="anna@example.org")
    people = figure(Indicator.INCREASED_CAPACITY, viewer=coordinator)
    assert people.achieved == "fewer than 5"
    assert {region.nuts_code: value for region, value in people.by_region}["PL22"] == 1


# Pages and roles ------------------------------------------------------------------------------

COORDINATORS = ["coordinator", "other_coordinator", "consortium_coordinator"]
OTHERS = ["respondent", "staff", "other_staff"]


@pytest.mark.parametrize(
    "name,args",
    [
        ("impact:index", []),
        ("impact:evidence", [Indicator.STUDY_VISITS]),
        ("impact:instruments", []),
        ("impact:instrument_new", []),
    ],
)
def test_coordinators_pages_as_each_role(client_as, name, args):
    url = reverse(name, args=args)
    response = client_as("anonymous").get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for role in OTHERS:
        client = client_as(role)
        assert client.get(url).status_code == 403, role
        client.logout()
    for role in COORDINATORS:
        client = client_as(role)
        assert client.get(url).status_code == 200, role
        client.logout()


def test_the_indicators_page_shows_target_achieved_share_chart_and_table(client_as):
    held()
    held(starts_on=LATER)
    response = client_as("consortium_coordinator").get(reverse("impact:index"))
    page = response.content.decode()
    assert 'id="achieved-study_visits">2<' in page.replace("\n", "")
    assert "33 %" in page  # 2 of 6
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--progress"' in page
    assert "per reporting period" in page
    assert "Change the targets" in page


def test_the_period_filter_narrows_the_figures_and_refuses_bad_dates_next_to_the_field(
    client_as,
):
    held()
    held(starts_on=LATER)
    client = client_as("coordinator")
    response = client.get(reverse("impact:index"), {"start": "2025-11-01", "end": "2026-04-30"})
    assert response.context["figures"][0].achieved == 1
    response = client.get(reverse("impact:index"), {"start": "2026-05-01", "end": "2025-05-01"})
    assert response.status_code == 400
    assert response.context["form"].errors["end"] == [
        "The end of the period comes before its start."
    ]
    assert 'value="2025-05-01"' in response.content.decode()  # what was typed is kept
    response = client.get(reverse("impact:index"), {"start": "9999-01-01", "end": "nonsense"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"start", "end"}


def test_the_indicators_page_makes_a_fixed_number_of_queries(client_as, memory_cache, hu):
    """Counted with an empty cache each time (the competence change keeps its result there),
    so both readings take the same path: the count does not grow with the data."""
    client = client_as("consortium_coordinator")
    held()

    def queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as page:
            assert client.get(reverse("impact:index")).status_code == 200
        return len(page.captured_queries)

    queries()  # the session and the content types, once
    few = queries()
    assert few <= 20
    for number in range(6):
        activity = held(**({"host_partner": hu} if number % 2 else {}))
        increased(activity, name=f"P{number}", email=f"p{number}@example.org")
        PracticeFactory(status=PracticeStatus.PUBLISHED)
    assert queries() == few


def test_evidence_names_people_only_for_the_host_region_s_coordinators(client_as, hu):
    visit, workshop = held(), held(host_partner=hu)
    increased(visit, name="Anna Nowak", email="anna@example.org")
    increased(workshop, name="Joost de Vries", email="joost@example.org")
    url = reverse("impact:evidence", args=[Indicator.INCREASED_CAPACITY])
    page = client_as("coordinator").get(url).content.decode()
    assert "Anna Nowak" in page and "Joost de Vries" not in page
    assert "Utrecht: fewer than 5" in page
    assert "Liguria: fewer than 5" in page  # nobody there: listed all the same
    client = client_as("consortium_coordinator")
    page = client.get(url).content.decode()
    assert "Anna Nowak" in page and "Joost de Vries" in page


def test_evidence_of_activities_and_practices_links_to_them(client_as):
    visit = held()
    practice = PracticeFactory(status=PracticeStatus.PUBLISHED)
    client = client_as("other_coordinator")
    page = client.get(reverse("impact:evidence", args=[Indicator.STUDY_VISITS])).content.decode()
    assert visit.get_absolute_url() in page
    page = client.get(reverse("impact:evidence", args=[Indicator.GOOD_PRACTICES])).content.decode()
    assert practice.get_absolute_url() in page
    assert client.get(reverse("impact:evidence", args=["nonsense"])).status_code == 404


# Targets --------------------------------------------------------------------------------------


def test_only_the_consortium_coordinator_changes_the_targets(client_as):
    url = reverse("impact:targets")
    data = dict.fromkeys(Indicator.values, 7)
    for role in ["coordinator", "staff", "respondent"]:
        client = client_as(role)
        before = row_counts()
        assert client.post(url, data).status_code == 403, role
        assert client.get(url).status_code == 403, role
        assert row_counts() == before
        client.logout()
    client = client_as("consortium_coordinator")
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 302
    assert IndicatorTarget.objects.get(indicator=Indicator.STUDY_VISITS).target == 7


def test_a_target_must_be_a_whole_number_of_0_or_more(client_as):
    client = client_as("consortium_coordinator")
    data = dict.fromkeys(Indicator.values, 7)
    for bad in ["-1", "2.5", "many"]:
        response = client.post(reverse("impact:targets"), {**data, "study_visits": bad})
        assert response.status_code == 400
        assert response.context["form"].errors["study_visits"]
        assert f'value="{bad}"' in response.content.decode()
    assert IndicatorTarget.objects.get(indicator=Indicator.STUDY_VISITS).target == 6


# Policy instruments ---------------------------------------------------------------------------


def instrument_data(region, **fields):
    return {
        "region": region.pk,
        "name": "Silesian Regional Innovation Strategy",
        "managing_authority": "Marshal's Office of the Silesian Voivodeship",
        "status": PolicyInstrument.Status.IN_PREPARATION,
        "evidence_link": "https://example.org/ris",
        "evidence_date": "2026-02-01",
        "evidence_note": "",
        **fields,
    }


def test_a_coordinator_adds_an_instrument_for_their_region_and_the_list_shows_it(
    client_as, slaskie
):
    client = client_as("coordinator")
    response = client.post(reverse("impact:instrument_new"), instrument_data(slaskie))
    assert response.status_code == 302
    instrument = PolicyInstrument.objects.get()
    assert instrument.region == slaskie
    page = client.get(reverse("impact:instruments")).content.decode()
    assert "Silesian Regional Innovation Strategy" in page and "Change in preparation" in page


def test_a_coordinator_cannot_widen_to_another_region(client_as, utrecht, slaskie):
    client = client_as("coordinator")
    before = row_counts()
    response = client.post(reverse("impact:instrument_new"), instrument_data(utrecht))
    assert response.status_code == 400
    assert response.context["form"].errors["region"] == [
        "Choose one of the regions you coordinate."
    ]
    assert row_counts() == before
    theirs = PolicyInstrument.objects.create(region=utrecht, name="Utrecht", managing_authority="X")
    edit = reverse("impact:instrument_edit", args=[theirs.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, instrument_data(utrecht)).status_code == 403
    mine = PolicyInstrument.objects.create(region=slaskie, name="Mine", managing_authority="X")
    response = client.post(
        reverse("impact:instrument_edit", args=[mine.pk]), instrument_data(utrecht)
    )
    assert response.status_code == 400
    mine.refresh_from_db()
    assert mine.region == slaskie
    consortium = client_as("consortium_coordinator")
    assert consortium.post(edit, instrument_data(utrecht, name="Renamed")).status_code == 302


def test_the_evidence_brief_is_a_published_one_or_the_user_s_partner_s(
    client_as, slaskie, hu, province
):
    published = BriefFactory(status="published", partner=hu)
    own_draft = BriefFactory(partner=province)
    other_draft = BriefFactory(partner=hu)
    client = client_as("coordinator")
    form = client.get(reverse("impact:instrument_new")).context["form"]
    choices = set(form.fields["evidence_brief"].queryset)
    assert published in choices and own_draft in choices and other_draft not in choices
    response = client.post(
        reverse("impact:instrument_new"), instrument_data(slaskie, evidence_brief=other_draft.pk)
    )
    assert response.status_code == 400 and "evidence_brief" in response.context["form"].errors


# The public page ------------------------------------------------------------------------------


def test_the_public_page_shows_aggregates_only_and_people_in_steps_of_5(client, slaskie):
    visit = held()
    for number in range(7):
        increased(visit, name=f"Visible Name {number}", email=f"v{number}@example.org")
    PolicyInstrument.objects.create(
        region=slaskie, name="Plan", managing_authority="X", status="improved"
    )
    response = client.get(reverse("impact:public"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="public-people">5<' in page
    assert 'id="public-improved">1<' in page
    assert "Visible Name" not in page and "@example.org" not in page
    assert visit.title not in page  # no per-activity figures


def test_the_public_page_says_fewer_than_5_below_5(client):
    increased(held(), name="Only One", email="one@example.org")
    page = client.get(reverse("impact:public")).content.decode()
    assert "fewer than 5" in page and "Only One" not in page


def test_people_whose_level_rose_count_from_the_competence_change_with_names_for_the_region(
    client_as, coordinator
):
    from tests.surveys.analysis.change_data import (
        EARLIER,
        LATER,
        closed_campaign,
        framework_of,
        people,
        responses,
    )

    framework = framework_of({"A": ["K1"]})
    baseline = closed_campaign(framework, EARLIER)
    follow_up = closed_campaign(framework, LATER - datetime.timedelta(days=40))
    persons = people(6)  # a campaign of fewer than 5 counts for nothing
    responses(baseline, persons, [{"K1": 2}] * 6, EARLIER + datetime.timedelta(days=1))
    responses(
        follow_up,
        persons,
        [{"K1": 4}, {"K1": 3}] + [{"K1": 2}] * 4,
        LATER - datetime.timedelta(days=39),
    )
    period = Period(datetime.date(2020, 1, 1), timezone.localdate())
    rose = figure(Indicator.COMPETENCE_ROSE, period, coordinator)
    by_region = {region.nuts_code: value for region, value in rose.by_region}
    assert by_region["PL22"] == 2  # both in Śląskie, which the coordinator coordinates
    assert rose.achieved == "fewer than 5"  # the total covers every region
    response = client_as("coordinator").get(
        reverse("impact:evidence", args=[Indicator.COMPETENCE_ROSE]),
        {"start": "2020-01-01", "end": timezone.localdate().isoformat()},
    )
    assert [row["person"] for row in response.context["people"].named] == [
        persons[0].pk,
        persons[1].pk,
    ]
    other = figure(Indicator.COMPETENCE_ROSE, period, None)
    assert other.achieved == "fewer than 5"
