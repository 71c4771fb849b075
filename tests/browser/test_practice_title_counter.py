"""The practice form's title counter says what it counts: "62 characters left"."""

from playwright.sync_api import expect

from tests.factories.practices import PracticeFactory

from .conftest import BROWSER_TEST

pytestmark = BROWSER_TEST


def test_the_title_counter_says_how_many_characters_are_left(page, sign_in, staff):
    practice = PracticeFactory(created_by=staff, title="Mentoring lunches")
    sign_in(staff)
    page.goto(f"/practices/{practice.pk}/edit/")
    counter = page.locator('[data-counter-for="id_title"]')
    title = page.locator("#id_title")

    expect(counter).to_have_text("83 characters left")
    title.fill("A" * 38)
    expect(counter).to_have_text("62 characters left")
    title.fill("A" * 99)
    expect(counter).to_have_text("1 character left")
    title.fill("A" * 100)
    expect(counter).to_have_text("0 characters left")
