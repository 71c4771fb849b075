"""The regional dashboard at /reports/: who sees which region, that the page shows the
analysis's numbers (suppressed where they must be), the filters and their refusals, the
sortable table, the consortium average beside the region and the region comparison."""

import datetime
import re
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from surveys.analysis import SUPPRESSED, Group, analyse, compare_regions
from surveys.models import Answer, Competence, Response, Survey
from surveys.templatetags.analysis import figure
from tests.factories.surveys import (
    CampaignFactory,
    ResponseFactory,
    SurveyFactory,
    answer,
    self_assessment,
    small_framework,
)
from tests.surveys.analysis import student_t

pytestmark = pytest.mark.django_db

SUPPRESSED_TEXT = "fewer than 5 responses"


class Tables(HTMLParser):
    """The text of every cell of every table, by table id (or position): {id: [[cell]]}."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.headers: dict[str, list[dict]] = {}
        self._table = None
        self._row = None
        self._cell = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = attrs.get("id") or f"table-{len(self.tables)}"
            self.tables[self._table] = []
            self.headers[self._table] = []
        elif tag == "tr" and self._table:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
            if tag == "th" and attrs.get("scope") == "col":
                self.headers[self._table].append(attrs)
        elif tag == "a" and self._cell is not None and self._table:
            self.headers[self._table][-1]["href"] = attrs.get("href")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def competence_rows(response) -> list[list[str]]:
    return Tables(response.content.decode()).tables["competence-table"][1:]


def with_margin(value, margin) -> str:
    """A cell as the page prints a figure with ± half its 95 % interval."""
    shown = figure(value)
    both = isinstance(value, float) and isinstance(margin, float)
    return f"{shown} ± {figure(margin)}" if both else shown


@pytest.fixture
def framework():
    return small_framework(areas=2, per_area=2)


@pytest.fixture
def competences(framework) -> list[Competence]:
    return list(Competence.objects.filter(area__framework=framework).order_by("code"))


# Per respondent, (current, importance) for A0.0, A0.1, A1.0; A1.1 is rated by three only.
RESEARCHERS = [
    ((2, 5), (3, 4), (4, 4)),
    ((3, 5), (4, 4), (5, 3)),
    ((2, 4), (4, 5), (4, 2)),
    ((1, 5), (3, 3), (5, 3)),
    ((3, 4), (5, 4), (4, 3)),
    ((2, 5), (4, 4), (3, 2)),
    ((2, 3), (3, 5), (4, 3)),
    ((3, 5), (4, 4), (5, 4)),
]
# A group of three, with figures found nowhere else on the page.
TECHNICIANS = [((1, 5), (1, 5), (1, 5)), ((1, 5), (1, 5), (1, 5)), ((2, 4), (2, 4), (2, 4))]


@pytest.fixture
def world(framework, competences, slaskie, utrecht):
    self_survey = SurveyFactory(framework=framework, kind=Survey.Kind.SELF_ASSESSMENT)
    demand_survey = SurveyFactory(framework=framework, kind=Survey.Kind.DEMAND)
    silesia = CampaignFactory(survey=self_survey, region=slaskie, title="Śląskie staff 2026")
    employers = CampaignFactory(survey=demand_survey, region=slaskie, title="Śląskie firms 2026")
    abroad = CampaignFactory(survey=self_survey, region=utrecht, title="Utrecht staff 2026")
    a00, a01, a10, a11 = competences
    for index, ratings in enumerate(RESEARCHERS):
        values = dict(zip((a00, a01, a10), ratings, strict=True))
        values[a11] = (3, 4) if index < 3 else None
        self_assessment(silesia, values, respondent=None, role="researcher")
    for ratings in TECHNICIANS:
        values = dict(zip((a00, a01, a10), ratings, strict=True))
        self_assessment(silesia, values, respondent=None, role="technical")
    for level in (3, 4, 4, 5, 4, 3):
        response = ResponseFactory(campaign=employers, respondent=None, role="business")
        for competence in competences:
            answer(response, competence, required=level)
    for index in range(6):
        values = dict.fromkeys((a00, a01, a10, a11), (4, 5 - index % 2))
        self_assessment(abroad, values, respondent=None, role="researcher")
    return {"silesia": silesia, "employers": employers, "abroad": abroad}


def region_url(region, **params) -> str:
    url = reverse("dashboard:region", args=[region.slug])
    if params:
        url += "?" + urlencode(params, doseq=True)
    return url


# Who sees what -------------------------------------------------------------------------

REGION_ACCESS = {
    "anonymous": 302,
    "respondent": 403,
    "staff": 403,
    "other_staff": 403,
    "coordinator": 200,
    "other_coordinator": 404,
    "consortium_coordinator": 200,
    "admin_user": 403,
}


@pytest.mark.parametrize(("role", "status"), REGION_ACCESS.items())
def test_region_dashboard_as_each_role(role, status, client_as, world, slaskie):
    response = client_as(role).get(region_url(slaskie))
    assert response.status_code == status
    if role == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))
    if status == 200:
        assert "Śląskie staff 2026" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("respondent", 403),
        ("staff", 403),
        ("coordinator", 200),
        ("consortium_coordinator", 200),
    ],
)
def test_index_as_each_role(role, status, client_as, world):
    response = client_as(role).get(reverse("dashboard:index"))
    assert response.status_code == status


def test_index_lists_own_region_for_a_coordinator_and_every_region_for_the_consortium(
    client_as, world, slaskie, utrecht
):
    page = client_as("coordinator").get(reverse("dashboard:index")).content.decode()
    assert region_url(slaskie) in page
    assert region_url(utrecht) not in page
    assert reverse("dashboard:compare") not in page

    client_as("consortium_coordinator")
    page = client_as("consortium_coordinator").get(reverse("dashboard:index")).content.decode()
    assert region_url(slaskie) in page and region_url(utrecht) in page
    assert reverse("dashboard:compare") in page


def test_consortium_coordinator_sees_every_region_even_without_campaigns(client_as, world):
    from partners.models import Region

    client = client_as("consortium_coordinator")
    for region in Region.objects.all():
        assert client.get(region_url(region)).status_code == 200, region.slug
    assert client.get("/reports/region/no-such-region/").status_code == 404


def test_other_regions_coordinator_is_refused_own_region_allowed(client_as, world, utrecht):
    client = client_as("other_coordinator")
    response = client.get(region_url(utrecht))
    assert response.status_code == 200
    assert "Utrecht staff 2026" in response.content.decode()
    assert "Śląskie staff 2026" not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("respondent", 403),
        ("staff", 403),
        ("coordinator", 404),
        ("other_coordinator", 404),
        ("consortium_coordinator", 200),
    ],
)
def test_comparison_and_consortium_wide_campaigns_as_each_role(role, status, client_as, world):
    client = client_as(role)
    assert client.get(reverse("dashboard:compare")).status_code == status
    assert client.get(reverse("dashboard:consortium")).status_code == status


def test_navigation_shows_results_to_coordinators_only(client_as, world):
    link = f'href="{reverse("dashboard:index")}"'
    assert link in client_as("coordinator").get(reverse("home")).content.decode()
    client = client_as("staff")
    assert link not in client.get(reverse("home")).content.decode()


# The numbers ---------------------------------------------------------------------------


def test_table_shows_the_numbers_of_the_analysis(client_as, world, slaskie):
    response = client_as("coordinator").get(region_url(slaskie))
    result = analyse(Group.of([world["silesia"], world["employers"]]))
    rows = {row[0].split()[0]: row for row in competence_rows(response)}
    assert list(rows) == [row.code for row in result.competences]
    for competence in result.competences:
        expected = [
            figure(competence.current.n),
            with_margin(competence.current.mean, competence.current.margin),
            with_margin(competence.importance.mean, competence.importance.margin),
            with_margin(competence.gap, competence.gap_margin),
            with_margin(competence.mwds, competence.mwds_margin),
            figure(competence.rank or (SUPPRESSED if competence.mwds is SUPPRESSED else None)),
            competence.focus_label or quadrant_placeholder(competence),
            competence.quadrant_label or quadrant_placeholder(competence),
            figure(competence.required.n),
            with_margin(competence.required.mean, competence.required.margin),
            with_margin(competence.market_gap, competence.market_gap_margin),
        ]
        assert rows[competence.code][1:] == expected
    page = response.content.decode()
    assert f'<dd>{result.self_respondents}<span class="dashboard-figures__beside' in page
    assert f'<dd>{result.demand_respondents}<span class="dashboard-figures__beside' in page


def quadrant_placeholder(row) -> str:
    """The quadrant cell of a competence placed in none."""
    return SUPPRESSED_TEXT if SUPPRESSED in (row.current.mean, row.importance.mean) else "–"


def test_competence_rated_by_three_is_suppressed_and_its_numbers_absent(
    client_as, world, slaskie, competences
):
    response = client_as("coordinator").get(region_url(slaskie))
    rows = {row[0].split()[0]: row for row in competence_rows(response)}
    a11 = rows[competences[3].code]
    # n, C, I, gap, MWDS, rank, Locus for Focus, quadrant: all hidden; the employers' R is
    # shown, with its interval (six levels 3, 4, 4, 5, 4, 3: sd 0.753, t(5) = 2.571).
    assert a11[1:9] == [SUPPRESSED_TEXT] * 8
    assert a11[9:] == ["6", f"{figure(23 / 6)} ± 0.79", SUPPRESSED_TEXT]


def test_small_background_group_is_suppressed_and_its_numbers_absent(client_as, world, slaskie):
    response = client_as("coordinator").get(region_url(slaskie, group="role:technical"))
    assert response.status_code == 200
    page = response.content.decode()
    for row in competence_rows(response):
        assert row[1:9] == [SUPPRESSED_TEXT] * 8
    # The technicians' means (current 1.33, importance 4.67) appear nowhere.
    assert "1.33" not in page and "4.67" not in page
    assert "Technical or laboratory staff" in page


def test_breakdown_hides_the_small_group_and_what_would_reveal_it(client_as, world, slaskie):
    response = client_as("coordinator").get(region_url(slaskie))
    tables = Tables(response.content.decode()).tables
    role_table = next(t for t in tables.values() if t[0][0] == "Group" and "Researcher" in str(t))
    by_label = {row[0]: row for row in role_table[1:]}
    assert by_label["Technical or laboratory staff"][1] == SUPPRESSED_TEXT
    # With the technicians hidden, the researchers are too: the total would give them away.
    assert by_label["Researcher"][1] == SUPPRESSED_TEXT


def test_consortium_average_beside_the_region(client_as, world, slaskie, competences):
    response = client_as("coordinator").get(region_url(slaskie))
    consortium = analyse(Group.of([world["silesia"], world["employers"], world["abroad"]]))
    region = analyse(Group.of([world["silesia"], world["employers"]]))
    tables = Tables(response.content.decode()).tables
    beside = next(
        t
        for t in tables.values()
        if t[0][:3] == ["Competence", "Current level (C)", "C, consortium"]
    )
    a00 = next(row for row in beside if row[0].startswith(competences[0].code))
    assert a00[1] == figure(region.by_code[competences[0].code].current.mean)
    assert a00[2] == figure(consortium.by_code[competences[0].code].current.mean)
    assert a00[1] != a00[2]


def test_consortium_figure_is_hidden_when_other_regions_add_fewer_than_five(
    client_as, world, slaskie, competences
):
    # Utrecht's campaign counts (five responses), but only two of them rated the first
    # competence: consortium minus Śląskie would give away those two people's answers.
    keep = list(world["abroad"].responses.values_list("pk", flat=True)[:5])
    Response.objects.filter(campaign=world["abroad"]).exclude(pk__in=keep).delete()
    Answer.objects.filter(response_id__in=keep[:3], competence__code=competences[0].code).update(
        not_applicable=True, current_level=None, importance=None
    )
    response = client_as("coordinator").get(region_url(slaskie))
    tables = Tables(response.content.decode()).tables
    beside = next(
        t
        for t in tables.values()
        if t[0][:3] == ["Competence", "Current level (C)", "C, consortium"]
    )
    a00 = next(row for row in beside if row[0].startswith(competences[0].code))
    assert a00[1] != SUPPRESSED_TEXT
    assert a00[2] == SUPPRESSED_TEXT


# Filters -------------------------------------------------------------------------------


def test_one_campaign_only(client_as, world, slaskie):
    response = client_as("coordinator").get(region_url(slaskie, campaigns=[world["silesia"].pk]))
    result = analyse(Group.of([world["silesia"]]))
    rows = competence_rows(response)
    # Self-assessment only: no employers' columns.
    assert len(rows[0]) == 9
    current = result.competences[0].current
    assert rows[0][2] == f"{figure(current.mean)} ± {figure(current.margin)}"


def test_another_regions_campaign_is_refused_with_a_message(client_as, world, slaskie):
    response = client_as("coordinator").get(region_url(slaskie, campaigns=[world["abroad"].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Campaign {world['abroad'].pk} is not one of the campaigns shown here." in page
    assert 'id="competence-table"' not in page
    # Not even mixed in with the region's own.
    response = client_as("consortium_coordinator").get(
        region_url(slaskie, campaigns=[world["silesia"].pk, world["abroad"].pk])
    )
    assert "is not one of the campaigns shown here" in response.content.decode()
    assert 'id="competence-table"' not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"campaigns": "abc"}, "“abc” is not a campaign number."),
        ({"group": "role:astronaut"}, "“role:astronaut” is not one of the groups listed."),
        ({"group": "<script>"}, "“&lt;script&gt;” is not one of the groups listed."),
        ({"sort": "nonsense"}, "The table cannot be sorted that way"),
        ({"dir": "sideways"}, "The table cannot be sorted that way"),
        ({"axis": "sideways"}, "“sideways” is not one of the choices listed."),
    ],
)
def test_bad_parameters_give_a_message_not_an_error(client_as, world, slaskie, params, message):
    response = client_as("coordinator").get(region_url(slaskie, **params))
    assert response.status_code == 200
    assert message in response.content.decode()


def test_filter_form_keeps_what_was_chosen(client_as, world, slaskie):
    response = client_as("coordinator").get(
        region_url(slaskie, campaigns=[world["silesia"].pk], group="role:researcher")
    )
    page = response.content.decode()
    assert 'value="role:researcher" selected' in page
    assert re.search(rf'value="{world["silesia"].pk}" id="id_campaigns_\d" checked>', page)
    assert re.search(rf'value="{world["employers"].pk}" id="id_campaigns_\d">', page)


# What is shown by default: the newest campaign of each kind -----------------------------


@pytest.fixture
def last_year(world, framework, competences, slaskie):
    """Last year's self-assessment round in Śląskie, closed: other people, other ratings."""
    now = timezone.now()
    campaign = CampaignFactory(
        survey=SurveyFactory(framework=framework, kind=Survey.Kind.SELF_ASSESSMENT),
        region=slaskie,
        title="Śląskie staff 2025",
        opens_at=now - datetime.timedelta(days=400),
        closes_at=now - datetime.timedelta(days=340),
    )
    for _ in range(6):
        self_assessment(campaign, dict.fromkeys(competences, (5, 5)), respondent=None)
    return campaign


def ticked(page: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'value="(\d+)" id="id_campaigns_\d+" checked', page)}


def campaigns_shown(page: str) -> str:
    start = page.index('id="campaigns-shown"')
    return page[start : page.index("</div>", start)]


def test_the_newest_campaign_of_each_kind_is_shown_by_default(client_as, world, slaskie, last_year):
    response = client_as("coordinator").get(region_url(slaskie))
    page = response.content.decode()
    newest = analyse(Group.of([world["silesia"], world["employers"]]))

    first = competence_rows(response)[0]
    assert first[2] == with_margin(
        newest.competences[0].current.mean, newest.competences[0].current.margin
    )
    # The choice is on the page: ticked in the form, listed in the summary, and said.
    assert ticked(page) == {world["silesia"].pk, world["employers"].pk}
    shown = campaigns_shown(page)
    assert "Śląskie staff 2026" in shown and "Śląskie firms 2026" in shown
    assert "Śląskie staff 2025" not in shown
    assert "The newest campaign of each kind." in shown
    assert "Earlier campaigns asked other people" in shown
    # Last year's ratings (all 5) are in no figure.
    assert first[2] != with_margin(
        analyse(Group.of([world["silesia"], last_year])).competences[0].current.mean,
        analyse(Group.of([world["silesia"], last_year])).competences[0].current.margin,
    )


def test_an_address_naming_campaigns_still_adds_them_together(client_as, world, slaskie, last_year):
    chosen = [last_year, world["silesia"], world["employers"]]
    response = client_as("coordinator").get(region_url(slaskie, campaigns=[c.pk for c in chosen]))
    page = response.content.decode()
    together = analyse(Group.of(chosen))

    first = competence_rows(response)[0]
    assert first[2] == with_margin(
        together.competences[0].current.mean, together.competences[0].current.margin
    )
    assert ticked(page) == {c.pk for c in chosen}
    assert "Śląskie staff 2025" in campaigns_shown(page)
    assert "The newest campaign of each kind." not in page


def test_a_campaign_not_yet_open_is_not_the_default(client_as, world, slaskie, framework):
    later = timezone.now() + datetime.timedelta(days=7)
    CampaignFactory(
        survey=world["silesia"].survey,
        region=slaskie,
        title="Śląskie staff 2027",
        opens_at=later,
        closes_at=later + datetime.timedelta(days=30),
    )
    page = client_as("coordinator").get(region_url(slaskie)).content.decode()
    assert ticked(page) == {world["silesia"].pk, world["employers"].pk}
    assert "Śląskie staff 2027" not in campaigns_shown(page)


# The summary first, then sections from a contents bar -----------------------------------


def test_the_page_opens_with_a_summary_and_a_contents_bar_to_every_section(
    client_as, world, slaskie
):
    page = client_as("coordinator").get(region_url(slaskie)).content.decode()
    nav = re.search(r'<nav class="dashboard-contents".*?</nav>', page, re.S).group(0)
    anchors = re.findall(r'href="#([\w-]+)"', nav)

    assert anchors == ["summary", "competences", "charts", "background", "comparison", "method"]
    positions = []
    for anchor in anchors:
        assert page.count(f'id="{anchor}"') == 1, anchor
        # Each section carries the mark its "Print this section" link aims at.
        assert f'id="print-{anchor}"' in page and f'href="#print-{anchor}"' in page
        positions.append(page.index(f'id="{anchor}"'))
    assert positions == sorted(positions)
    summary = page[positions[0] : positions[1]]
    for piece in ('id="top-gaps-table"', "Strengths", 'id="summary-ranking-chart-title"'):
        assert piece in summary, piece
    assert page.index(nav) < positions[0]


# The priority views on the employers' required level -----------------------------------


def test_the_views_can_take_the_employers_required_level_as_importance(client_as, world, slaskie):
    response = client_as("coordinator").get(region_url(slaskie, axis="required"))
    page = response.content.decode()
    result = analyse(Group.of([world["silesia"], world["employers"]]))
    tables = Tables(page).tables

    focus = {row[0].split()[0]: row for row in tables["focus-data"][1:]}
    assert tables["focus-data"][0][1:3] == ["Level required by employers (R)", "Market gap (R − C)"]
    for row in result.competences:
        placement = row.placement("required")
        expected = [
            with_margin(row.required.mean, row.required.margin),
            with_margin(row.market_gap, row.market_gap_margin),
            placement.focus_label or "–",
        ]
        assert focus[row.code][1:] == expected, row.code
    cells = {row[0].split()[0]: row for row in competence_rows(response)}
    for row in result.competences:
        if row.placement("required").quadrant:
            assert cells[row.code][8] == row.placement("required").quadrant_label
    assert 'value="required" selected' in page


def test_the_required_level_without_an_employer_campaign_is_refused_beside_its_field(
    client_as, world, slaskie
):
    response = client_as("coordinator").get(
        region_url(slaskie, axis="required", campaigns=[world["silesia"].pk])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The level employers require needs an employer survey among the campaigns." in page
    # The results are shown on the staff's importance, and the choice typed is kept.
    assert "Importance to staff (I)" in Tables(page).tables["focus-data"][0]
    assert 'value="required" selected' in page


# Sorting -------------------------------------------------------------------------------


@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_sorted_by_current_level_with_suppressed_last(
    client_as, world, slaskie, competences, direction
):
    response = client_as("coordinator").get(region_url(slaskie, sort="current", dir=direction))
    result = analyse(Group.of([world["silesia"], world["employers"]]))
    shown = [r for r in result.competences if r.current.shown]
    expected = sorted(shown, key=lambda r: r.current.mean, reverse=direction == "desc")
    codes = [row[0].split()[0] for row in competence_rows(response)]
    assert codes == [r.code for r in expected] + [competences[3].code]
    headers = Tables(response.content.decode()).headers["competence-table"]
    sorted_header = next(h for h in headers if "aria-sort" in h)
    assert sorted_header["aria-sort"] == ("ascending" if direction == "asc" else "descending")
    # Its link turns the order round and keeps the filter.
    assert f"dir={'desc' if direction == 'asc' else 'asc'}" in sorted_header["href"]
    assert "sort=current" in sorted_header["href"]


def test_every_column_header_is_a_sort_link(client_as, world, slaskie):
    response = client_as("coordinator").get(region_url(slaskie, group="role:researcher"))
    headers = Tables(response.content.decode()).headers["competence-table"]
    assert len(headers) == 12
    assert all("sort=" in h["href"] and "group=role%3Aresearcher" in h["href"] for h in headers)
    for header in headers:
        assert client_as("coordinator").get(region_url(slaskie) + header["href"]).status_code == 200


# Queries -------------------------------------------------------------------------------


def test_queries_do_not_grow_with_responses(client_as, world, slaskie, competences):
    client = client_as("coordinator")
    chosen = [world["silesia"].pk, world["employers"].pk]
    url = region_url(slaskie, group="role:researcher", campaigns=chosen)
    # Measured without cached analyses, so both runs compute everything.
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for _ in range(10):
        self_assessment(
            world["silesia"], dict.fromkeys(competences, (3, 4)), respondent=None, role="other"
        )
    added = CampaignFactory(survey=world["silesia"].survey, region=slaskie)
    url = region_url(slaskie, group="role:researcher", campaigns=[*chosen, added.pk])
    # The statistics of the campaign that changed are stored again, once.
    with CaptureQueriesContext(connection) as storing:
        assert client.get(url).status_code == 200
    cache.clear()
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before) < len(storing)


def test_dashboard_query_budget(client_as, world, slaskie, django_assert_max_num_queries):
    client = client_as("coordinator")
    client.get(region_url(slaskie))
    with django_assert_max_num_queries(30):
        client.get(region_url(slaskie))


# Comparison ----------------------------------------------------------------------------


def test_comparison_shows_each_regions_figures(client_as, world, competences):
    response = client_as("consortium_coordinator").get(
        reverse("dashboard:compare"), {"measure": "current"}
    )
    assert response.status_code == 200
    campaigns = [world["silesia"], world["employers"], world["abroad"]]
    columns = compare_regions(campaigns)
    overall = analyse(Group.of(campaigns))
    table = next(iter(Tables(response.content.decode()).tables.values()))
    assert table[0] == ["Competence", *[c.name for c in columns], "All regions"]
    row = next(r for r in table if r[0].startswith(competences[0].code))
    assert row[1:] == [
        *[figure(c.figures[competences[0].code][0]) for c in columns],
        figure(overall.by_code[competences[0].code].current.mean),
    ]


def test_comparison_refuses_unknown_survey_with_a_message(client_as, world):
    response = client_as("consortium_coordinator").get(
        reverse("dashboard:compare"), {"surveys": "999999", "measure": "sideways"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Survey 999999 is not one of the surveys listed." in page
    assert "Select a valid choice" in page


def test_the_comparison_costs_the_same_queries_for_more_regions_and_responses(
    client_as, world, competences
):
    from partners.models import Region

    client = client_as("consortium_coordinator")
    url = reverse("dashboard:compare")
    # Measured without cached analyses, so both runs compute everything.
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    liguria = CampaignFactory(
        survey=world["silesia"].survey, region=Region.objects.get(nuts_code="ITC3")
    )
    for campaign in (world["silesia"], world["abroad"], liguria):
        for _ in range(6):
            self_assessment(campaign, dict.fromkeys(competences, (3, 4)), respondent=None)
    client.get(url)  # what a change costs once (figures stored again) is paid here
    cache.clear()
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert "Liguria" in response.content.decode()
    assert len(after) == len(before)


def test_the_dashboard_says_a_small_campaign_counts_nowhere(client_as, world, slaskie, competences):
    small = CampaignFactory(
        survey=world["silesia"].survey, region=slaskie, title="Śląskie pilot with one invitee"
    )
    self_assessment(small, dict.fromkeys(competences, (5, 1)), respondent=None)
    campaigns = [world["silesia"].pk, small.pk]
    both = client_as("coordinator").get(region_url(slaskie, campaigns=campaigns))
    alone = client_as("coordinator").get(region_url(slaskie, campaigns=[world["silesia"].pk]))

    assert "One campaign has fewer than 5 submitted responses" in both.content.decode()
    assert competence_rows(both) == competence_rows(alone)


# An oracle of its own: the figures the page prints, computed here from the world's ratings ----


def expected_figures() -> dict[str, dict[str, float | None]]:
    """Per competence of Śląskie (researchers, technicians, employers), without the analysis:
    None where the page must show the suppression text (A1.1: three respondents)."""
    people = [*RESEARCHERS, *TECHNICIANS]
    required = [3, 4, 4, 5, 4, 3]
    figures = {}
    for index, code in enumerate(["A0.0", "A0.1", "A1.0"]):
        pairs = [person[index] for person in people]
        current = sum(c for c, _ in pairs) / len(pairs)
        importance = sum(i for _, i in pairs) / len(pairs)
        gap = sum(i - c for c, i in pairs) / len(pairs)
        figures[code] = {
            "current_n": len(pairs),
            "current": current,
            "importance": importance,
            "gap": gap,
            "mwds": gap * importance,
            "required_n": len(required),
            "required": sum(required) / len(required),
            "market_gap": sum(required) / len(required) - current,
        }
    figures["A1.1"] = dict.fromkeys(figures["A0.0"], None)
    figures["A1.1"].update(required_n=6, required=sum(required) / len(required))
    return figures


def expected_margins() -> dict[str, dict[str, float]]:
    """Half the 95 % interval of each mean the table prints with one, computed here with a t
    quantile of the test's own (a numerical integration of Student's density)."""
    people = [*RESEARCHERS, *TECHNICIANS]
    required = [3, 4, 4, 5, 4, 3]
    margins = {}
    for index, code in enumerate(["A0.0", "A0.1", "A1.0"]):
        currents = [person[index][0] for person in people]
        importances = [person[index][1] for person in people]
        gaps = [i - c for c, i in zip(currents, importances, strict=True)]
        margins[code] = {
            "current": student_t.margin(currents),
            "importance": student_t.margin(importances),
            "gap": student_t.margin(gaps),
            "mwds": student_t.margin(gaps) * sum(importances) / len(importances),
            "required": student_t.margin(required),
            "market_gap": student_t.welch_margin(required, currents),
        }
    margins["A1.1"] = {"required": student_t.margin(required)}
    return margins


def printed(value, margin=None) -> str:
    if not isinstance(value, float):
        return str(value)
    return f"{value:.2f}" if margin is None else f"{value:.2f} ± {margin:.2f}"


ORACLE_COLUMNS = [
    "current_n",
    "current",
    "importance",
    "gap",
    "mwds",
    "required_n",
    "required",
    "market_gap",
]


def test_the_printed_figures_match_an_independent_computation(client_as, world, slaskie):
    response = client_as("coordinator").get(region_url(slaskie))
    tables = Tables(response.content.decode())
    keys = [
        re.search(r"sort=(\w+)", h["href"]).group(1) for h in tables.headers["competence-table"]
    ]
    figures, margins = expected_figures(), expected_margins()
    for row in competence_rows(response):
        code = row[0].split()[0]
        cells = dict(zip(keys, row, strict=True))
        for key in ORACLE_COLUMNS:
            value = figures[code][key]
            expected = SUPPRESSED_TEXT if value is None else printed(value, margins[code].get(key))
            assert cells[key] == expected, (code, key)


@pytest.mark.parametrize("key", ORACLE_COLUMNS)
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_every_column_sorts_as_an_independent_sort_does(client_as, world, slaskie, key, direction):
    response = client_as("coordinator").get(region_url(slaskie, sort=key, dir=direction))
    codes = [row[0].split()[0] for row in competence_rows(response)]

    figures = expected_figures()
    shown = [code for code in sorted(figures) if figures[code][key] is not None]
    # Equal values keep the framework's order either way; suppressed figures come last.
    sign = -1 if direction == "desc" else 1
    ordered = sorted(shown, key=lambda c: sign * figures[c][key])
    assert codes == ordered + [c for c in sorted(figures) if figures[c][key] is None]
