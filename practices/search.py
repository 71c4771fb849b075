"""The public catalogue: full-text search, filters and facet counts, all in SQL.

Every state of a search is in its GET parameters (q, country, region, area, theme, year,
sort, page), so any result can be bookmarked and shared. A page costs two SQL statements
(plus one per tag filter): the page of results, and all facet counts at once, whose sum
is the total. Facet counts are cached for a few minutes and dropped on every save.
"""

import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from types import SimpleNamespace

from django import forms
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Exists, F, Func, OuterRef, QuerySet, Value
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from surveys.i18n import localized as localized_text
from surveys.models import Competence

from .models import GoodPractice, Theme
from .models.practices import STEMMED_CONFIGS

SORTS = {
    "relevance": _("Relevance"),
    "newest": _("Newest"),
    "title": _("Title"),
}
MAX_QUERY_LENGTH = 200
# Highlight delimiters: the snippet is escaped as a whole, then these become <mark> tags.
MARK_START, MARK_STOP = "\u27e6", "\u27e7"


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search words"), required=False, max_length=MAX_QUERY_LENGTH)
    country = forms.CharField(required=False, max_length=2)
    region = forms.SlugField(required=False)
    area = forms.CharField(required=False, max_length=10)
    theme = forms.SlugField(required=False)
    year = forms.IntegerField(required=False, min_value=1900, max_value=2100)
    sort = forms.ChoiceField(
        label=_("Sort by"), choices=list(SORTS.items()), required=False, initial="relevance"
    )

    def clean_q(self) -> str:
        # Control characters carry no meaning in a search; PostgreSQL's parser copes with the rest.
        return "".join(ch for ch in self.cleaned_data["q"] if ch.isprintable()).strip()


@dataclass
class Facet:
    name: str
    label: str
    options: list[dict] = field(default_factory=list)  # value, label, count, selected


@dataclass
class SearchResult:
    practices: QuerySet
    facets: list[Facet]
    query: str
    sort: str
    total: int = 0

    def paginator(self, per_page: int) -> "CountedPaginator":
        return CountedPaginator(self.practices, per_page, count=self.total)


def query_string(params, name: str, value) -> str:
    """These GET parameters with one set (or removed when None), back on the first page."""
    changed = params.copy()
    changed.pop("page", None)
    if value is None:
        changed.pop(name, None)
    else:
        changed[name] = value
    return "?" + changed.urlencode()


def unaccented(expression):
    return Func(expression, function="practices_unaccent")


def search(params: dict) -> SearchResult:
    """Published practices matching `params` (cleaned SearchForm data), with facet counts."""
    query = params.get("q") or ""
    sort = params.get("sort") or ("relevance" if query else "newest")
    if sort == "relevance" and not query:
        sort = "newest"

    practices = GoodPractice.objects.published()
    if query:
        search_query = catalogue_query(query)
        practices = practices.filter(search_vector=search_query).annotate(
            rank=SearchRank(F("search_vector"), search_query),
            snippet=SearchHeadline(
                "summary",
                SearchQuery(query, search_type="websearch", config="simple"),
                config="simple",
                start_sel=MARK_START,
                stop_sel=MARK_STOP,
                max_words=35,
                min_words=15,
            ),
        )
    practices = _filtered(practices, params)
    facets, total = _facets(practices, params)

    order = {
        "relevance": ["-rank", "-published_at"],
        "newest": ["-published_at", "-pk"],
        "title": ["title", "pk"],
    }[sort]
    practices = practices.select_related("region", "partner").order_by(*order)
    return SearchResult(practices=practices, facets=facets, query=query, sort=sort, total=total)


# A query of plain words (no quotes, no "or", no "-").
PLAIN_WORDS = re.compile(r"^[\w\s'’.,]+$")
WORDS = re.compile(r"\w+")


def catalogue_query(query: str) -> SearchQuery:
    """What the stored vector is searched with.

    Always the words as typed, accent-folded, against every record's "simple" part. A query
    of plain words also matches them stemmed in the reader's language and in English
    (against each record's part stemmed in its own language: "innovatie" finds
    "innovaties"), and as prefixes, which serves Polish, for which PostgreSQL has no stemmer
    ("Śląsk" finds "Śląskie"). A query with operators (quotes, "or", "-") keeps their exact
    meaning and is matched as typed only: a word excluded in one language must not come back
    in another.
    """
    combined = SearchQuery(unaccented(Value(query)), search_type="websearch", config="simple")
    if not PLAIN_WORDS.match(query) or " or " in f" {query.lower()} ":
        return combined
    for config in stemming_configs():
        combined |= SearchQuery(query, search_type="plain", config=config)
    words = [word for word in WORDS.findall(query) if len(word) >= MIN_PREFIX]
    if words:
        prefixes = " & ".join(f"{word}:*" for word in words)
        combined |= SearchQuery(unaccented(Value(prefixes)), search_type="raw", config="simple")
    return combined


def stemming_configs() -> list[str]:
    """The reader's language (the one they most likely type in) and English, the consortium's
    common language: each more configuration costs the query another tsquery to match."""
    language = (get_language() or "en").split("-")[0]
    return sorted({STEMMED_CONFIGS.get(language, "english"), "english"})


# Shorter words are not matched as prefixes: "in:*" would match almost every record.
MIN_PREFIX = 4

# Where a sentence ends: a full stop (and closing quotes or brackets) before a space, or a
# line break.
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+|\n\s*")
# A snippet that starts at most this many words into its sentence starts at the sentence.
SENTENCE_REACH = 8


def whole_words(snippet: str, text: str) -> str:
    """The highlighted `snippet` of `text`, widened so that it never starts or ends inside a
    word, and starting with the sentence of its first match when that begins in the snippet
    or only a few words earlier; an ellipsis marks the text left out before and after.

    PostgreSQL cuts a headline at its parser's tokens: the second part of "co-creation", the
    path of a web address. A snippet that is not part of `text` is returned as it is.
    """
    plain = snippet.replace(MARK_START, "").replace(MARK_STOP, "")
    found = text.find(plain) if plain.strip() else -1
    if found < 0:
        return snippet
    start, end = found, found + len(plain)
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    # The sentence of the first match: from its start when that is in the snippet or only a
    # few words before it.
    first_match = found + snippet.find(MARK_START) if MARK_START in snippet else start
    sentence = max((m.end() for m in SENTENCE_END.finditer(text, 0, first_match)), default=0)
    if sentence >= start or len(text[sentence:start].split()) <= SENTENCE_REACH:
        start = sentence
    if start >= found:
        widened = snippet[start - found :] + text[found + len(plain) : end]
    else:
        widened = text[start:found] + snippet + text[found + len(plain) : end]
    widened = widened.strip()
    before = "… " if text[:start].strip() else ""
    after = " …" if text[end:].strip() else ""
    return before + widened + after


def _filtered(practices: QuerySet, params: dict) -> QuerySet:
    if params.get("country"):
        practices = practices.filter(region__country=params["country"].upper())
    if params.get("region"):
        practices = practices.filter(region__slug=params["region"])
    if params.get("year"):
        practices = practices.filter(start_date__year=params["year"])
    # Tags by id (looked up first) and as EXISTS: the planner estimates them well and a
    # practice never appears twice.
    if params.get("area"):
        competence_ids = list(
            Competence.objects.filter(area__code=params["area"]).values_list("pk", flat=True)
        )
        practices = practices.filter(
            Exists(
                GoodPractice.competences.through.objects.filter(
                    goodpractice_id=OuterRef("pk"), competence_id__in=competence_ids or [0]
                )
            )
        )
    if params.get("theme"):
        theme_ids = list(Theme.objects.filter(slug=params["theme"]).values_list("pk", flat=True))
        practices = practices.filter(
            Exists(
                GoodPractice.themes.through.objects.filter(
                    goodpractice_id=OuterRef("pk"), theme_id__in=theme_ids or [0]
                )
            )
        )
    return practices


# All facets in one statement over the matching ids, computed once (MATERIALIZED).
FACETS_SQL = """
WITH hits (id, region_id, start_date) AS MATERIALIZED ({hits})
SELECT 'region', r.slug, r.name, r.country, 0, x.n
  FROM (SELECT region_id, count(*) AS n FROM hits GROUP BY region_id) x
  JOIN partners_region r ON r.id = x.region_id
UNION ALL
SELECT 'year', NULL, NULL, NULL, extract(year FROM h.start_date)::int, count(*)
  FROM hits h WHERE h.start_date IS NOT NULL GROUP BY 5
UNION ALL
SELECT 'theme', t.slug, t.name, NULL, 0, x.n
  FROM (SELECT pt.theme_id, count(*) AS n FROM hits h
        JOIN practices_goodpractice_themes pt ON pt.goodpractice_id = h.id
        GROUP BY pt.theme_id) x
  JOIN practices_theme t ON t.id = x.theme_id
UNION ALL
SELECT 'area', a.code, a.name, a.translations::text, a.position, x.n
  FROM (SELECT area_id, count(*) AS n FROM (
          SELECT DISTINCT h.id, c.area_id FROM hits h
          JOIN practices_goodpractice_competences pc ON pc.goodpractice_id = h.id
          JOIN surveys_competence c ON c.id = pc.competence_id) d
        GROUP BY area_id) x
  JOIN surveys_area a ON a.id = x.area_id
"""
FACET_PARAMS = ("q", "country", "region", "area", "theme", "year")
FACET_CACHE_SECONDS = 300
GENERATION_KEY = "practices:catalogue-generation"


def localized(obj, field: str) -> str:
    return localized_text(obj, field, get_language())


def catalogue_changed() -> None:
    """Called on every save of a practice: cached facet counts are from then on stale."""
    cache.set(GENERATION_KEY, time.time_ns(), None)


def _facet_rows(practices: QuerySet, params: dict) -> list[tuple]:
    """The facet rows for these matches, shared between visitors for a few minutes."""
    generation = cache.get(GENERATION_KEY, 0)
    wanted = repr([(name, str(params.get(name) or "")) for name in FACET_PARAMS])
    key = f"practices:facets:{generation}:{hashlib.sha256(wanted.encode()).hexdigest()}"
    rows = cache.get(key)
    if rows is None:
        hits = practices.order_by().values_list("pk", "region_id", "start_date")
        sql, sql_params = hits.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(FACETS_SQL.format(hits=sql), sql_params)
            rows = cursor.fetchall()
        cache.set(key, rows, FACET_CACHE_SECONDS)
    return rows


def _facets(practices: QuerySet, params: dict) -> tuple[list[Facet], int]:
    """The facets, and the number of matches (each practice has exactly one region)."""
    from partners.models import COUNTRY_NAMES

    def option(name, value, label, count):
        selected = str(params.get(name) or "") == str(value)
        return {"value": str(value), "label": label, "count": count, "selected": selected}

    regions, countries, years, themes, areas = [], {}, [], [], []
    total = 0
    for facet, key, label, country, number, count in _facet_rows(practices, params):
        if facet == "region":
            total += count
            regions.append(option("region", key, label, count))
            countries[country] = countries.get(country, 0) + count
        elif facet == "year":
            years.append((number, option("year", number, str(number), count)))
        elif facet == "theme":
            themes.append(option("theme", key, gettext(label), count))  # shipped: translated
        elif facet == "area":
            # (For an area, the "country" column carries the area's translations.)
            area = SimpleNamespace(name=label, translations=json.loads(country or "{}"))
            areas.append((number, option("area", key, localized(area, "name"), count)))
    country_options = [
        option("country", code, str(COUNTRY_NAMES.get(code, code)), count)
        for code, count in countries.items()
    ]
    by_label = lambda item: item["label"]  # noqa: E731
    facets = [
        Facet("country", _("Country"), sorted(country_options, key=by_label)),
        Facet("region", _("Region"), sorted(regions, key=by_label)),
        Facet("area", _("Competence area"), [item for _n, item in sorted(areas, key=_first)]),
        Facet("theme", _("Theme"), sorted(themes, key=by_label)),
        Facet(
            "year", _("Start year"), [item for _n, item in sorted(years, key=_first, reverse=True)]
        ),
    ]
    return facets, total


def _first(pair):
    return pair[0]


class CountedPaginator(Paginator):
    """A paginator told the number of items, instead of counting them again."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count
