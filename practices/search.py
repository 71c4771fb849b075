"""The public catalogue: full-text search, filters and facet counts, all in SQL.

Every state of a search is in its GET parameters (q, country, region, area, theme, year,
sort, page), so any result can be bookmarked and shared. A query costs a fixed number of
SQL statements: the page, its count, and one per facet.
"""

from dataclasses import dataclass, field

from django import forms
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import Count, Exists, F, Func, OuterRef, QuerySet, Value
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from .models import GoodPractice

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
        search_query = SearchQuery(
            unaccented(Value(query)), search_type="websearch", config="simple"
        )
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
    facets = _facets(practices, params)

    order = {
        "relevance": ["-rank", "-published_at"],
        "newest": ["-published_at", "-pk"],
        "title": ["title", "pk"],
    }[sort]
    practices = practices.select_related("region", "partner").order_by(*order)
    return SearchResult(practices=practices, facets=facets, query=query, sort=sort)


def _filtered(practices: QuerySet, params: dict) -> QuerySet:
    if params.get("country"):
        practices = practices.filter(region__country=params["country"].upper())
    if params.get("region"):
        practices = practices.filter(region__slug=params["region"])
    if params.get("year"):
        practices = practices.filter(start_date__year=params["year"])
    # Many-to-many filters as EXISTS, so a practice never appears twice.
    if params.get("area"):
        through = GoodPractice.competences.through
        practices = practices.filter(
            Exists(
                through.objects.filter(
                    goodpractice_id=OuterRef("pk"), competence__area__code=params["area"]
                )
            )
        )
    if params.get("theme"):
        through = GoodPractice.themes.through
        practices = practices.filter(
            Exists(
                through.objects.filter(goodpractice_id=OuterRef("pk"), theme__slug=params["theme"])
            )
        )
    return practices


def _facets(practices: QuerySet, params: dict) -> list[Facet]:
    from partners.models import COUNTRY_NAMES

    ids = practices.order_by().values("pk")

    def options(rows, key, label, param):
        return [
            {
                "value": str(row[key]),
                "label": label(row),
                "count": row["count"],
                "selected": str(params.get(param) or "") == str(row[key]),
            }
            for row in rows
            if row[key] is not None
        ]

    base = GoodPractice.objects.filter(pk__in=ids).order_by()
    countries = base.values("region__country").annotate(count=Count("pk"))
    regions = base.values("region__slug", "region__name").annotate(count=Count("pk"))
    areas = (
        GoodPractice.competences.through.objects.filter(goodpractice_id__in=ids)
        .values("competence__area__code", "competence__area__name", "competence__area__position")
        .annotate(count=Count("goodpractice_id", distinct=True))
        .order_by("competence__area__position")
    )
    themes = (
        GoodPractice.themes.through.objects.filter(goodpractice_id__in=ids)
        .values("theme__slug", "theme__name")
        .annotate(count=Count("goodpractice_id"))
        .order_by("theme__name")
    )
    years = (
        base.annotate(year=ExtractYear("start_date"))
        .values("year")
        .annotate(count=Count("pk"))
        .order_by("-year")
    )
    return [
        Facet(
            "country",
            _("Country"),
            sorted(
                options(
                    countries,
                    "region__country",
                    lambda r: str(COUNTRY_NAMES.get(r["region__country"], r["region__country"])),
                    "country",
                ),
                key=lambda option: option["label"],
            ),
        ),
        Facet(
            "region",
            _("Region"),
            sorted(
                options(regions, "region__slug", lambda r: r["region__name"], "region"),
                key=lambda option: option["label"],
            ),
        ),
        Facet(
            "area",
            _("Competence area"),
            options(areas, "competence__area__code", lambda r: r["competence__area__name"], "area"),
        ),
        Facet(
            "theme", _("Theme"), options(themes, "theme__slug", lambda r: r["theme__name"], "theme")
        ),
        Facet("year", _("Start year"), options(years, "year", lambda r: str(r["year"]), "year")),
    ]
