"""The regional dashboard in a real browser: "Print this section" prints that section alone
(and a later print the whole page, a section to a page), and the scatter charts' point labels
do not overlap as Chromium draws them, with its own fonts."""

import pytest
from playwright.sync_api import Page, expect

from .conftest import BROWSER_TEST
from .test_dashboard_accessibility import world  # noqa: F401 - a fixture

pytestmark = BROWSER_TEST

DASHBOARD = "/reports/region/slaskie/"
SECTIONS = ("summary", "competences", "charts", "background", "comparison", "method")

# Stands in for the browser's print dialog, which a headless browser cannot show.
COUNT_PRINTS = "window.print = function () { window.printed = (window.printed || 0) + 1; };"


def visible_sections(page: Page) -> list[str]:
    return [name for name in SECTIONS if page.locator(f"#{name}").is_visible()]


def test_print_this_section_prints_that_section_alone(world, page, coordinator, sign_in):  # noqa: F811
    sign_in(coordinator, totp=True)
    page.add_init_script(COUNT_PRINTS)
    page.goto(DASHBOARD)

    page.get_by_role("link", name="Print this section: Charts").click()
    assert page.evaluate("window.printed") == 1
    assert page.evaluate("window.location.hash") == "#print-charts"
    page.emulate_media(media="print")
    assert visible_sections(page) == ["charts"]
    expect(page.locator(".dashboard-contents")).to_be_hidden()
    expect(page.locator("#filters")).to_be_hidden()
    # The chart data, folded on screen, is printed open.
    expect(
        page.get_by_role("table", name="Current level, importance and quadrant of each competence")
    ).to_be_visible()

    # After printing, the address points at the section itself: a later print is whole.
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.evaluate("window.location.hash") == "#charts"
    assert visible_sections(page) == list(SECTIONS)


def test_without_a_section_chosen_the_whole_page_prints(world, page, coordinator, sign_in):  # noqa: F811
    sign_in(coordinator, totp=True)
    page.goto(DASHBOARD + "#charts")
    page.emulate_media(media="print")
    assert visible_sections(page) == list(SECTIONS)
    expect(page.locator(".dashboard-contents")).to_be_hidden()
    # Each section after the first starts a page.
    breaks = page.evaluate(
        "[...document.querySelectorAll('.dashboard-section')].map("
        "s => getComputedStyle(s).breakBefore)"
    )
    assert breaks == ["auto"] + ["page"] * (len(SECTIONS) - 1)


BOXES = """
(chart) => {
  const svg = document.getElementById(chart + "-title").closest("svg");
  const box = (element) => {
    const b = element.getBBox();
    return [b.x, b.y, b.x + b.width, b.y + b.height];
  };
  return {
    labels: [...svg.querySelectorAll("text.chart-point-label")].map(
      (t) => [t.textContent, ...box(t)]),
    points: [...svg.querySelectorAll("circle.chart-point")].map(box),
  };
}
"""


MARKER_RADIUS = 4


def distance_to_box(point_box, box) -> float:
    """From the centre of a marker (given by its bounding box) to the nearest point of box."""
    x, y = (point_box[0] + point_box[2]) / 2, (point_box[1] + point_box[3]) / 2
    dx = max(box[0] - x, 0, x - box[2])
    dy = max(box[1] - y, 0, y - box[3])
    return (dx * dx + dy * dy) ** 0.5


def overlap(one, other) -> bool:
    return one[0] < other[2] and other[0] < one[2] and one[1] < other[3] and other[1] < one[3]


@pytest.mark.parametrize("chart", ["focus-chart", "quadrant-chart"])
def test_point_labels_do_not_overlap_as_the_browser_draws_them(
    world,  # noqa: F811
    page,
    coordinator,
    sign_in,
    chart,
):
    sign_in(coordinator, totp=True)
    page.goto(DASHBOARD)
    drawn = page.evaluate(BOXES, chart)

    labels, points = drawn["labels"], drawn["points"]
    assert len(points) >= 20 and len(labels) >= len(points) - 3
    for index, (text, *box) in enumerate(labels):
        for other_text, *other in labels[index + 1 :]:
            assert not overlap(box, other), (text, other_text)
        for point in points:
            # Each label beside, never on, a point: the box keeps clear of the marker's disc.
            assert distance_to_box(point, box) >= MARKER_RADIUS, (text, point)
