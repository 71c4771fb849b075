"""What the practice form's title counter can say comes from the server, translated: one
text for each number of characters left, with the language's plural forms."""

import json
from html import unescape

import pytest

pytestmark = pytest.mark.django_db


def counter_texts(page: str) -> list[str]:
    attribute = page.split('data-counter-for="id_title"')[1].split('data-counter-texts="')[1]
    return json.loads(unescape(attribute.split('"', 1)[0]))


def test_the_counter_has_a_text_for_every_number_of_characters_left(client_as, staff):
    page = client_as("staff").get("/practices/new/").content.decode()

    texts = counter_texts(page)

    assert len(texts) == 101  # 0 to 100 characters left
    assert texts[62] == "62 characters left"
    assert texts[1] == "1 character left"
    assert texts[0] == "0 characters left"
